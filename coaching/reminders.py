"""A coaching session's nudge: prepare, two days before (while nothing is written yet)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from coaching.models import CoachingSession
from portal.reminders import Due, register_reminder

KIND = "coaching_prepare"


def still_unprepared(notification) -> bool:
    session = CoachingSession.objects.filter(pk=notification.about_id).first()
    return (
        session is not None
        and session.is_planned
        and not session.preparation.strip()
        and session.starts_at == parse_datetime(notification.context["starts_at"])
    )


@register_reminder(
    KIND, label=_("A nudge to prepare a coaching session"), still_due=still_unprepared
)
def sessions_to_prepare(now):
    ahead = timedelta(hours=settings.REMINDER_COACHING_PREPARE_HOURS_BEFORE)
    sessions = (
        CoachingSession.objects.filter(
            status=CoachingSession.Status.PLANNED,
            preparation="",
            starts_at__gt=now,
            starts_at__lte=now + ahead,
            trajectory__participant__is_active=True,
        )
        .values(
            "pk",
            "starts_at",
            person=F("trajectory__participant"),
            email=F("trajectory__participant__email"),
            language=F("trajectory__participant__preferred_language"),
            coach_first=F("trajectory__coach__first_name"),
            coach_last=F("trajectory__coach__last_name"),
        )
        .order_by()
    )
    content_type = ContentType.objects.get_for_model(CoachingSession)
    for row in sessions.iterator(chunk_size=2000):
        stamp = row["starts_at"].strftime("%Y%m%d%H%M")
        yield Due(
            recipient_id=row["person"],
            email=row["email"],
            language=row["language"],
            about_type_id=content_type.pk,
            about_id=row["pk"],
            occasion=stamp,
            context={
                "starts_at": row["starts_at"].isoformat(),
                "coach": f"{row['coach_first']} {row['coach_last']}".strip(),
                "url": settings.PORTAL_BASE_URL
                + reverse("coaching:session-detail", args=[row["pk"]]),
            },
        )
