"""Every evaluation e-mail renders in Dutch, as text and HTML, with a working link."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coaching.models import Trajectory, TrajectoryTransition
from evaluations import services
from evaluations.models import Invitation
from portal.models import Notification
from portal.notifications import render_notification
from portal.reminders import reminders_scan
from tests.evaluations.conftest import held_cohort
from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


def rendered(kind, invitation):
    notification = Notification.objects.get(kind=kind, about_id=invitation.pk)
    message = render_notification(notification)
    return message.subject, message.body, message.alternatives[0][0]


def test_the_invitation_after_a_bijeenkomst(client, morning):
    cohort, bijeenkomst, (person,) = held_cohort(participants=1)
    person.first_name = "Sanne"
    person.save()
    reminders_scan()
    invitation = Invitation.objects.get()
    subject, text, html = rendered("evaluation_invitation", invitation)
    assert subject == "Wat vond je ervan? Je evaluatie in twee minuten"
    link = f"{settings.PORTAL_BASE_URL}{reverse('evaluations:answer', args=[invitation.token])}"
    for body in (text, html):
        assert "Beste Sanne," in body
        assert (
            f"de bijeenkomst ‘{bijeenkomst.title}’ van {cohort.leergang.title} op 10 maart 2027."
            in body
        )
        assert "anoniem" in body and "Je hoeft niet in te loggen" in body
        assert timezone.localtime(invitation.expires_at).strftime("%-d") in body
    assert invitation.token in text and f'href="{link}"' in html
    assert "april 2027" in text  # valid until, the month in full
    assert client.get(link.removeprefix(settings.PORTAL_BASE_URL)).status_code == 200


def test_the_reminder(morning):
    held_cohort(participants=1)
    reminders_scan()
    morning.shift(timedelta(days=7))
    reminders_scan()
    invitation = Invitation.objects.get()
    subject, text, html = rendered("evaluation_reminder", invitation)
    assert subject == "Herinnering: je evaluatie staat nog open"
    for body in (text, html):
        assert "Je hebt je evaluatie nog niet ingevuld van de bijeenkomst" in body
        assert invitation.token in body
        assert "Je kunt deze herinneringen uitzetten op je profiel." in body


def test_the_invitations_at_the_end_of_a_leergang_and_of_coaching(morning):
    from leergang.models import Enrolment
    from tests.factories import CohortFactory, EnrolmentFactory

    enrolment = EnrolmentFactory(
        cohort=CohortFactory(starts_on=timezone.localdate() - timedelta(days=100)),
        state=Enrolment.State.COMPLETED,
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    trajectory = TrajectoryFactory(state=Trajectory.State.COMPLETED)
    TrajectoryTransition.objects.create(
        trajectory=trajectory, to_state=trajectory.state, at=timezone.now()
    )
    reminders_scan()
    leergang = Invitation.objects.get(cohort=enrolment.cohort)
    _s, text, html = rendered("evaluation_invitation", leergang)
    expected = f"de leergang {enrolment.cohort.leergang.title} ({enrolment.cohort.name})"
    assert expected in text and expected in html
    coaching = Invitation.objects.get(trajectory=trajectory)
    _s, text, html = rendered("evaluation_invitation", coaching)
    expected = f"je coachtraject bij {trajectory.coach.get_full_name()}"
    assert expected in text and expected in html
    assert services.invitation_refusal(coaching) is None
