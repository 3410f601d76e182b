"""The leerlog's reminder: a reflection still open a week after its module's bijeenkomst."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leergang.models import Bijeenkomst, Enrolment, Reflection
from portal.reminders import Due, register_reminder

KIND = "reflection_reminder"


def _submitted(enrolment, module):
    return Reflection.objects.filter(enrolment=enrolment, module=module).exclude(submitted_at=None)


def reflection_still_open(notification) -> bool:
    return not _submitted(notification.about_id, notification.context["module_id"]).exists()


@register_reminder(
    KIND, label=_("Reminders of a reflection still to write"), still_due=reflection_still_open
)
def reflections_still_open(now):
    """Per enrolment and module: the reminder whose moment has come (the first a week after
    the bijeenkomst, the next a week later), and only the latest one, so a scan that was
    away does not send both at once."""
    first = timedelta(days=settings.REMINDER_REFLECTION_DAYS_AFTER)
    interval = timedelta(days=settings.REMINDER_REFLECTION_INTERVAL_DAYS)
    most = settings.REMINDER_REFLECTION_MAX
    # Once the last reminder's moment is a week past, stop looking.
    oldest = now - first - interval * most
    enrolments = (
        Enrolment.objects.filter(state=Enrolment.State.ENROLLED, participant__is_active=True)
        .filter(
            cohort__bijeenkomsten__starts_at__lte=now - first,
            cohort__bijeenkomsten__starts_at__gt=oldest,
            cohort__bijeenkomsten__module__isnull=False,
        )
        .annotate(
            held_at=F("cohort__bijeenkomsten__starts_at"),
            module_id=F("cohort__bijeenkomsten__module"),
        )
        .exclude(Exists(_submitted(OuterRef("pk"), OuterRef("module_id"))))
        # A module with two bijeenkomsten in one cohort: the reminder counts from the first.
        .exclude(
            Exists(
                Bijeenkomst.objects.filter(
                    cohort=OuterRef("cohort"),
                    module=OuterRef("module_id"),
                    starts_at__lt=OuterRef("held_at"),
                )
            )
        )
        .values(
            "pk",
            "held_at",
            "module_id",
            "participant",
            "participant__email",
            "participant__preferred_language",
            module_title=F("cohort__bijeenkomsten__module__title"),
            module_slug=F("cohort__bijeenkomsten__module__slug"),
        )
        .order_by()
    )
    content_type = ContentType.objects.get_for_model(Enrolment)
    for row in enrolments.iterator(chunk_size=2000):
        number = min(most, 1 + (now - row["held_at"] - first) // interval)
        yield Due(
            recipient_id=row["participant"],
            email=row["participant__email"],
            language=row["participant__preferred_language"],
            about_type_id=content_type.pk,
            about_id=row["pk"],
            occasion=f"{row['module_id']}-{number}",
            context={
                "module_id": row["module_id"],
                "module": row["module_title"],
                "number": number,
                "url": settings.PORTAL_BASE_URL
                + reverse("leergang:reflection-edit", args=[row["pk"], row["module_slug"]]),
            },
        )
