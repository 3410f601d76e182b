"""Who may see what, and who may do what: the one door every view goes through.

Each app registers a policy per model (in its ``permissions.py``). Views ask:

* ``visible(user, Model)``: the objects of a model this user may see;
* ``may(user, action, obj)``: whether this user may do ``action`` to ``obj``;
* ``get_for_user(user, Model, action=..., pk=...)``: one object, 404 when it is
  not visible (the same answer for "missing" and "not yours"), 403 when it is
  visible but the action is not allowed;
* ``role_required(...)`` / ``RoleRequiredMixin``: 403 for a role that may not.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

_policies: dict[type[models.Model], Policy] = {}


class Policy:
    """Rules for one model. Deny by default: a policy states what it allows.

    ``verbs`` names every action the policy decides on; asking any other is a
    programming error (a misspelt verb would otherwise quietly deny, or a
    forgotten one quietly never be checked).
    """

    verbs: frozenset[str] = frozenset()

    def visible(self, user, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.none()

    def allows(self, user, action: str, obj) -> bool:
        return False


def register(model: type[models.Model]):
    def decorator(policy_class: type[Policy]) -> type[Policy]:
        _policies[model] = policy_class()
        return policy_class

    return decorator


def _policy_for(model: type[models.Model]) -> Policy:
    try:
        return _policies[model]
    except KeyError:
        # An unregistered model is a programming error, never an open door.
        raise ImproperlyConfigured(f"No access policy for {model.__name__}") from None


def visible(user, model_or_queryset) -> models.QuerySet:
    """The objects this user may see, as a QuerySet to filter further."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset, model = model_or_queryset, model_or_queryset.model
    else:
        queryset, model = model_or_queryset._default_manager.all(), model_or_queryset
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    return _policy_for(model).visible(user, queryset)


def may(user, action: str, obj) -> bool:
    """Whether this user may do ``action`` (a verb such as "view", "revoke") to ``obj``."""
    policy = _policy_for(type(obj))
    if action not in policy.verbs:
        raise ImproperlyConfigured(
            f"{type(policy).__name__} knows no action {action!r} (it knows {sorted(policy.verbs)})"
        )
    if not (user and user.is_authenticated and user.is_active):
        return False
    return policy.allows(user, action, obj)


def get_for_user(user, model_or_queryset, *, action: str = "view", **lookup):
    """One visible object or 404; 403 when visible but ``action`` is not allowed."""
    obj = get_object_or_404(visible(user, model_or_queryset), **lookup)
    if action != "view" and not may(user, action, obj):
        raise PermissionDenied
    return obj


def check_roles(user, roles) -> None:
    if not user.has_role(*roles):
        raise PermissionDenied


def role_required(*roles):
    """View decorator: login first, then one of ``roles`` (none given: any signed-in user)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles:
                check_roles(request.user, roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based views: ``roles = (Role.HR, ...)``; empty means any signed-in user."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles:
            check_roles(request.user, self.roles)
        return super().dispatch(request, *args, **kwargs)
