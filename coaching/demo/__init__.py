"""Demo data of the coaching app, loaded by `python manage.py demo` after the leergang demo.

For the two demo coaches: free moments over the coming three weeks, so the demo participant
can book one in the browser, and six trajectories in every state. ``content`` holds what
was written, ``scenarios`` when it happened, and plays it through the services. Running it
again changes nothing: a story whose trajectory (participant, coach) exists is skipped, and
a coach who has any moment keeps them. Dates are relative to the day of the first run.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from coaching.demo import scenarios
from coaching.models import CoachingSession, Trajectory
from coaching.selectors import free_slots

State = Trajectory.State


def load(*, command) -> None:
    """Create (once) the coaching demo data."""
    today = timezone.localdate()
    scenarios.publish_free_moments(today)
    for participant in scenarios.STARTS:
        scenarios.play(participant, today)

    trajectories = Trajectory.objects.order_by()
    states = dict(trajectories.values_list("state").annotate(count=Count("pk")))
    command.stdout.write(
        f"Coaching: {trajectories.count()} trajecten bij "
        f"{trajectories.values('coach').distinct().count()} coaches "
        f"({states.get(State.INTAKE, 0)} intake, {states.get(State.RUNNING, 0)} lopend, "
        f"{states.get(State.COMPLETED, 0)} afgerond, {states.get(State.STOPPED, 0)} gestopt), "
        f"{CoachingSession.objects.count()} sessies, {free_slots().count()} vrije momenten."
    )
