from celery import shared_task

from leergang.retention import retention_apply_due


@shared_task
def retention_apply_task() -> int:
    """Remove the personal content of every cohort whose retention period is over (daily);
    each cohort under its row lock, so a retried or doubled task applies it once."""
    return retention_apply_due()
