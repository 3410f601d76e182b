"""The date poll's reminder: at ``remind_at``, to the members who have not answered."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from intervisie.models import Poll, Vote
from leergang.models import Enrolment
from portal.reminders import Due, register_reminder

KIND = "intervisie_poll_reminder"


def _answered(poll, voter):
    return Vote.objects.filter(slot__poll=poll, voter=voter)


def poll_still_unanswered(notification) -> bool:
    poll = Poll.objects.filter(pk=notification.about_id).first()
    return (
        poll is not None
        and poll.is_open
        and not _answered(poll, notification.recipient_id).exists()
    )


@register_reminder(
    KIND, label=_("Reminders to answer a date poll"), still_due=poll_still_unanswered
)
def polls_unanswered(now):
    members = (
        Enrolment.objects.holding_seat()
        .filter(
            participant__is_active=True,
            intervisie_membership__group__polls__closed_at=None,
            intervisie_membership__group__polls__closes_at__gt=now,
            intervisie_membership__group__polls__remind_at__lte=now,
        )
        .annotate(poll_id=F("intervisie_membership__group__polls"))
        .exclude(Exists(_answered(OuterRef("poll_id"), OuterRef("participant"))))
        .values(
            "poll_id",
            "participant",
            "participant__email",
            "participant__preferred_language",
            title=F("intervisie_membership__group__polls__title"),
            group=F("intervisie_membership__group__name"),
            closes_at=F("intervisie_membership__group__polls__closes_at"),
        )
        .order_by()
    )
    content_type = ContentType.objects.get_for_model(Poll)
    for row in members.iterator(chunk_size=2000):
        yield Due(
            recipient_id=row["participant"],
            email=row["participant__email"],
            language=row["participant__preferred_language"],
            about_type_id=content_type.pk,
            about_id=row["poll_id"],
            occasion="1",
            context={
                "title": row["title"],
                "group": row["group"],
                "closes_at": row["closes_at"].isoformat(),
                "url": settings.PORTAL_BASE_URL
                + reverse("intervisie:poll-vote", args=[row["poll_id"]]),
            },
        )
