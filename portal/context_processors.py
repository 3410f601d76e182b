from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Role


def navigation(request):
    """The menu: each role sees its own entries."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_items": []}
    items = [(_("Home"), reverse("portal:home"))]
    if user.has_role(Role.HR, Role.BEHEERDER):
        items.append((_("Invitations"), reverse("portal:invitation-list")))
    if user.is_beheerder:
        items.append((_("Administration"), reverse("admin:index")))
    current = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "current": url == current or (url != "/" and current.startswith(url)),
            }
            for label, url in items
        ]
    }
