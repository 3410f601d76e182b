"""Pages that gather from several apps: the home dashboard and HR's overview.

Apps register panels and columns here (portal imports no app); each reads its
own selectors, in a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    build: Callable  # (user) -> dict, or None to leave the panel out
    roles: tuple[str, ...]
    order: int


@dataclass(frozen=True)
class HrColumn:
    label: str
    build: Callable  # (users) -> {user id: list of short texts}
    order: int


_panels: list[Panel] = []
_hr_columns: list[HrColumn] = []


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


def register_hr_column(label, *, order=50):
    def decorator(build):
        _hr_columns.append(HrColumn(label, build, order))
        return build

    return decorator


def hr_rows(users) -> tuple[list[str], list[tuple]]:
    """Column labels, and per person their cells (counts and states only, never content)."""
    users = list(users)
    columns = sorted(_hr_columns, key=lambda c: c.order)
    values = [column.build(users) for column in columns]
    rows = [(user, [cells.get(user.pk, []) for cells in values]) for user in users]
    return [column.label for column in columns], rows
