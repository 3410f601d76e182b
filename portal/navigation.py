"""The main menu. Each app registers its entries; each role sees its own."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: tuple[str, ...]  # empty: every signed-in person
    order: int
    public: bool  # also shown to visitors who have not signed in


_entries: list[NavEntry] = []


def register(label, url_name, *, roles=(), order=50, public=False):
    _entries.append(NavEntry(label, url_name, tuple(roles), order, public))


def entries_for(user) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        visible = [e for e in _entries if e.public]
    else:
        visible = [e for e in _entries if not e.roles or user.has_role(*e.roles)]
    return [(e.label, reverse(e.url_name)) for e in sorted(visible, key=lambda e: e.order)]
