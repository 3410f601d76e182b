"""Demo data of the evaluations app, loaded by `python manage.py demo` after the others.

Through the services, each step backdated to its moment: after every held bijeenkomst, at
every leergang's and coaching trajectory's end the scan's ``invitations_create`` invites
the participants, and a few days later most of them answer (``answer_submit``). The demo
trainer then reads the finished cohort's results, and HR reads averages where enough of its
people answered. Who answers what is fixed by a seeded random generator, so running it
again changes nothing. The demo participant leaves her latest evaluation open, to try the
link (her home page lists it). The most recent event's invitations are left to the
portal's own first scan, so `make run` shows them being sent.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from coaching.models import Trajectory, TrajectoryTransition
from evaluations import services
from evaluations.demo.content import COACHING_COMMENTS, COMMENTS
from evaluations.models import Answer, Invitation
from leergang.models import Bijeenkomst, Cohort, Enrolment
from portal.demo import PARTICIPANT_EMAIL, backdated


def _moments(now: datetime) -> list[datetime]:
    """When the scan would have invited people: after each event that is past."""
    moments = [
        ends_at + timedelta(hours=2)
        for ends_at in Bijeenkomst.objects.filter(ends_at__lt=now).values_list("ends_at", flat=True)
    ]
    moments += [
        completed_at + timedelta(hours=1)
        for completed_at in Enrolment.objects.exclude(completed_at=None).values_list(
            "completed_at", flat=True
        )
    ]
    moments += [
        timezone.make_aware(datetime.combine(ends_on + timedelta(days=1), datetime.min.time()))
        + timedelta(hours=9)
        for ends_on in Cohort.objects.filter(ends_on__lt=timezone.localdate(now)).values_list(
            "ends_on", flat=True
        )
    ]
    moments += [
        at + timedelta(hours=1)
        for at in TrajectoryTransition.objects.filter(
            to_state=Trajectory.State.COMPLETED
        ).values_list("at", flat=True)
    ]
    return sorted(moment for moment in moments if moment < now)


def _answer(invitation: Invitation, now: datetime) -> bool:
    """Answer one invitation as its participant would have; False when left open."""
    rng = random.Random(f"{invitation.recipient.email}:{invitation.kind}:{invitation.created_at}")
    moment = invitation.created_at + timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 8))
    if moment >= now or moment >= invitation.expires_at:
        return False
    grade = rng.choice([6, 7, 7, 8, 8, 8, 9, 9, 10])
    recommendation = min(10, max(0, grade + rng.choice([-2, -1, 0, 0, 1])))
    comments = rng.choice(COACHING_COMMENTS if invitation.is_about_coaching else COMMENTS)
    goals = {
        (goal.module_id, goal.text): rng.choice([3, 4, 4, 5])
        for goal in services.invitation_goals(invitation)
    }
    with backdated(moment):
        services.answer_submit(
            token=invitation.token,
            grade=grade,
            recommendation=recommendation,
            comments=comments,
            goal_scores=goals,
        )
    return True


def load(*, command) -> None:
    """Create (once) the evaluations demo data; called by `python manage.py demo`."""
    now = timezone.now()
    moments = _moments(now)
    if moments and moments[-1] > now - timedelta(days=settings.EVALUATION_INVITE_WITHIN_DAYS):
        # The most recent event is left to the portal's first scan: with `make run` its
        # invitations go out (to the console) a few minutes after the portal starts.
        moments = [moment for moment in moments if moment < moments[-1]]
    for moment in moments:
        with backdated(moment):
            services.invitations_create(now=moment)
    invitations = Invitation.objects.filter(used=False).select_related("recipient")
    # The demo participant's most recent one stays open, to try the e-mail's link.
    keep_open = (
        invitations.filter(recipient__email=PARTICIPANT_EMAIL).order_by("-created_at").first()
    )
    answered = sum(
        _answer(services.invitation_find(invitation.token), now)
        for invitation in invitations.order_by("created_at", "pk")
        if invitation != keep_open
    )
    command.stdout.write(
        f"Evaluaties: {Invitation.objects.count()} uitnodigingen, {Answer.objects.count()} "
        f"ingevuld ({answered} nu)."
    )
