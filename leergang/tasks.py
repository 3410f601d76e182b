from celery import shared_task

from leergang.offers import offer_reminders, offers_expire
from leergang.retention import retention_apply_due


@shared_task
def retention_apply_task() -> int:
    """Remove the personal content of every cohort whose retention period is over (daily);
    each cohort under its row lock, so a retried or doubled task applies it once."""
    return retention_apply_due()


@shared_task
def offers_expire_task() -> int:
    """Pass on the seats whose offer lapsed (every few minutes); per cohort under its row
    lock, so a retried or doubled task passes each seat on once."""
    return offers_expire()


@shared_task
def offer_reminders_task() -> int:
    """Remind once before an offered seat lapses (every few minutes); the reminder is
    claimed on the enrolment's row, so a retried or doubled task sends it once."""
    return offer_reminders()
