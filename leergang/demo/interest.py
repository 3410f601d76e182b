"""The demo's interest list: people waiting for a cohort of a leergang that has none
coming, across organisations and regions, so the programme office's demand page and HR's
list show figures. Registered once; a second run leaves them alone."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from leergang.models import Interest, Leergang, Region
from portal.models import User

# (e-mail, leergang slug, region, earliest start in days from now, latest start, days ago)
INTEREST = [
    (
        "lotte.smit@utrecht.example",
        "professionaliseren-van-de-beleidsfunctie",
        Region.UTRECHT,
        60,
        240,
        40,
    ),
    (
        "maarten.dewit@utrecht.example",
        "professionaliseren-van-de-beleidsfunctie",
        Region.UTRECHT,
        None,
        180,
        33,
    ),
    ("iris.meijer@utrecht.example", "professionaliseren-van-de-beleidsfunctie", "", None, None, 21),
    (
        "eline.vos@nijmegen.example",
        "professionaliseren-van-de-beleidsfunctie",
        Region.GELDERLAND,
        90,
        None,
        18,
    ),
    (
        "karin.bosman@nijmegen.example",
        "professionaliseren-van-de-beleidsfunctie",
        Region.GELDERLAND,
        60,
        300,
        12,
    ),
    (
        "joost.vandam@provincie-utrecht.example",
        "professionaliseren-van-de-beleidsfunctie",
        Region.ONLINE,
        None,
        None,
        9,
    ),
    (
        "tom.schouten@rivierenland.example",
        "professionaliseren-van-de-beleidsfunctie",
        Region.GELDERLAND,
        None,
        365,
        5,
    ),
    ("priya.ramdin@odru.example", "omgevingsprofessional", Region.UTRECHT, 120, None, 14),
    ("lars.timmermans@nijmegen.example", "omgevingsprofessional", Region.GELDERLAND, None, None, 7),
]


def interest_load() -> int:
    """Put the demo's people on the interest lists (once); how many were added."""
    now = timezone.now()
    today = timezone.localdate()
    leergangen = {leergang.slug: leergang for leergang in Leergang.objects.all()}
    people = {user.email: user for user in User.objects.filter(email__in=[r[0] for r in INTEREST])}
    added = 0
    for email, slug, region, earliest, latest, ago in INTEREST:
        _interest, created = Interest.objects.get_or_create(
            leergang=leergangen[slug],
            participant=people[email],
            defaults={
                "region": region,
                "earliest_start": earliest and today + timedelta(days=earliest),
                "latest_start": latest and today + timedelta(days=latest),
                "created_at": now - timedelta(days=ago),
            },
        )
        added += created
    return added
