from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class LanguageMiddleware:
    """Dutch unless the person chose otherwise.

    Django's LocaleMiddleware follows the browser's Accept-Language, but many
    civil servants run an English browser and expect their portal in Dutch. The
    language comes from the switch (a cookie), then the person's profile.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            user = getattr(request, "user", None)
            language = (
                user.preferred_language
                if user is not None and user.is_authenticated
                else settings.LANGUAGE_CODE
            )
        request.LANGUAGE_CODE = language
        # Override, not activate: the language ends with the request, so a thread never
        # carries one person's language into work that runs outside a request.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class SecurityHeadersMiddleware:
    """Headers every response of the portal carries.

    A signed-in person's pages, files and calendar downloads are never stored: on a
    shared computer at the town hall the back button must not show the previous
    person's pages. Directives a view set itself (``never_cache``'s
    ``must-revalidate``, a ``max-age=0``) are kept; ``no-store`` and ``private`` are
    added, which only ever make a response less cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
