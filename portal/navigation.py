"""The main menu. Each app registers its entries; each role sees its own.

An entry may also name a test of the person (``applies``) for what a role alone cannot
tell, such as "has a coaching trajectory". It runs on every page for the people whose role
matches, so it must be cheap: at most one small query, none where it can be avoided.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: tuple[str, ...]  # empty: every signed-in person
    order: int
    applies: Callable[..., bool] | None = None  # None: the role is enough
    public: bool = False  # also shown to visitors who have not signed in


_entries: list[NavEntry] = []


def register(label, url_name, *, roles=(), order=50, applies=None, public=False):
    _entries.append(NavEntry(label, url_name, tuple(roles), order, applies, public))


def _shown(entry: NavEntry, user) -> bool:
    if not user.is_authenticated:
        return entry.public
    if entry.roles and not user.has_role(*entry.roles):
        return False
    return entry.applies is None or entry.applies(user)


def entries_for(user) -> list[tuple[str, str]]:
    visible = [e for e in _entries if _shown(e, user)]
    return [(e.label, reverse(e.url_name)) for e in sorted(visible, key=lambda e: e.order)]
