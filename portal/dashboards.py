"""The home dashboard gathers from several apps.

Apps register panels here (portal imports no app); each reads its own selectors,
in a fixed number of queries. HR's people list lives in the ``hr`` app, which may
import every app.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    build: Callable  # (user) -> dict, or None to leave the panel out
    roles: tuple[str, ...]
    order: int


_panels: list[Panel] = []


def register_panel(template: str, *, roles=(), order=50):
    def decorator(build):
        _panels.append(Panel(template, build, tuple(roles), order))
        return build

    return decorator


def unless_empty(**context) -> dict | None:
    """A panel's context, or None to leave the panel out when what it lists is empty."""
    return context if all(context.values()) else None


def panels_for(user) -> list[dict]:
    shown = []
    for panel in sorted(_panels, key=lambda p: p.order):
        if panel.roles and not user.has_role(*panel.roles):
            continue
        data = panel.build(user)
        if data is not None:
            shown.append({"template": panel.template, "data": data})
    return shown
