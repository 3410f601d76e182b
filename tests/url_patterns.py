"""The URL patterns of our apps, found in the URL resolver: the authorization test, the
two-factor test and the hostile input test each walk all of them, so none is forgotten."""

import re
import uuid
from dataclasses import dataclass

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

OUR_APPS = ("portal", "leergang", "intervisie", "coaching", "evaluations", "hr", "sso")


@dataclass
class Pattern:
    name: str  # with its namespace: "leergang:cohort-enrol"
    pattern: URLPattern
    converters: dict  # of its own path and the includes above it
    groups: frozenset = frozenset()  # a re_path's named groups, its own and the includes'


def our_url_patterns(*, also=()) -> list[Pattern]:
    """Every URL pattern whose view lives in one of our apps (admin pages included when the
    view is ours), by name; each must have one. ``also``: more packages whose views count
    (the hostile input test takes allauth's, whose pages the portal serves)."""
    apps = (*OUR_APPS, *also)
    found = {}

    def walk(patterns, namespace, converters, groups=frozenset()):
        for pattern in patterns:
            inner = {**converters, **getattr(pattern.pattern, "converters", {})}
            inner_groups = groups | pattern.pattern.regex.groupindex.keys()
            if isinstance(pattern, URLResolver):
                name = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, name, inner, inner_groups)
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "")
                if module.split(".")[0] in apps:
                    assert pattern.name, f"URL pattern {pattern.pattern} has no name"
                    name = f"{namespace}{pattern.name}"
                    found.setdefault(name, Pattern(name, pattern, inner, inner_groups))

    walk(get_resolver().url_patterns, "", {})
    return sorted(found.values(), key=lambda found_pattern: found_pattern.name)


def sample_url(pattern: Pattern) -> str:
    """The pattern's URL with a value each converter accepts (no object need be behind it)."""
    kwargs = {}
    for key, converter in pattern.converters.items():
        kwargs[key] = next(
            sample
            for sample in ("1", "x", "a" * 43, str(uuid.uuid4()), "2026-12-03")
            if re.fullmatch(converter.regex, sample)
        )
    # A re_path's named groups: the first sample its expression accepts in all of them.
    groups = pattern.groups - kwargs.keys()
    if groups:
        kwargs |= next(
            filled
            for sample in ("1", "x", "csv")
            if _reverses(pattern.name, filled := {**kwargs, **dict.fromkeys(groups, sample)})
        )
    return reverse(pattern.name, kwargs=kwargs)


def _reverses(name, kwargs) -> bool:
    try:
        reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return False
    return True
