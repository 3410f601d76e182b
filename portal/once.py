"""One creating form, one object: a replayed POST answers with the first result.

A creating form carries a hidden one-time token, issued when the form is shown.
The first POST with a token claims it in the cache (an atomic add, so two
parallel copies of one POST cannot both pass) and, once the object exists,
remembers where it redirected. A double click, a browser resend or a replayed
request then redirects to that same place instead of creating a second poll,
moment or goal (and mailing everybody twice).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

T = TypeVar("T")

FIELD = "once"
# A claim whose action died without answering frees itself after this long.
PENDING_SECONDS = 60
# How long a used token keeps answering with its first result.
REMEMBER_SECONDS = 60 * 60 * 24
_PENDING = "pending"


class OnceFormMixin:
    """Adds the hidden one-time token to a form (crispy renders it with the other fields)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional: a client without the token is served, just without replay protection.
        self.fields[FIELD] = forms.UUIDField(
            label=gettext_lazy("Form code"),
            widget=forms.HiddenInput,
            required=False,
            initial=uuid.uuid4,
        )
        self.once_token = None

    def clean(self):
        cleaned = super().clean()
        # Kept apart, so ``**form.cleaned_data`` still fits the service it feeds.
        self.once_token = cleaned.pop(FIELD, None)
        return cleaned


def token_key(user, token: uuid.UUID) -> str:
    """The cache key of one person's token: a token is only ever theirs."""
    return f"portal:once:{user.pk}:{token}"


def submit_once(
    request,
    form: forms.Form,
    action: Callable[[], T],
    respond: Callable[[T], HttpResponseRedirect],
    *,
    waiting_url: str | None = None,
) -> HttpResponseRedirect:
    """Run ``action`` for a valid form once per token and answer ``respond(result)``.

    A ValidationError of ``action`` frees the token again, so the corrected form
    can be sent; the caller shows the error. ``waiting_url`` (default: this page)
    is where a copy sent while the first still runs is told to wait.
    """
    token = getattr(form, "once_token", None)
    if token is None:
        return respond(action())
    key = token_key(request.user, token)
    if not cache.add(key, _PENDING, timeout=PENDING_SECONDS):
        return _replay(request, cache.get(key), waiting_url or request.path)
    try:
        result = action()
    except BaseException:
        cache.delete(key)
        raise
    response = respond(result)
    cache.set(key, response.url, timeout=REMEMBER_SECONDS)
    return response


def _replay(request, url: str | None, waiting_url: str) -> HttpResponseRedirect:
    if url in (None, _PENDING):
        messages.info(
            request, _("This form is still being processed. Reload the page in a moment.")
        )
        return redirect(waiting_url)
    messages.info(request, _("You had already sent this form; it has been saved once."))
    return redirect(url)
