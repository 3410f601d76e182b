"""Each enrolment and cohort rule is said once: the pages offer exactly what the policy and
the services allow, and the queryset and per-object forms of a rule agree."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from leergang.models import Cohort, Enrolment
from portal import access
from tests.factories import BijeenkomstFactory, CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

State = Enrolment.State


def _cancel_link(enrolment) -> str:
    return f'href="{reverse("leergang:enrolment-cancel", args=[enrolment.pk])}"'


def test_past_the_cancellation_deadline_no_cancel_button_and_the_post_is_refused(
    client, participant
):
    cohort = CohortFactory(cancellation_deadline=timezone.localdate() - timedelta(days=1))
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    client.force_login(participant)

    detail = client.get(reverse("leergang:enrolment-detail", args=[enrolment.pk]))
    assert detail.status_code == 200
    assert _cancel_link(enrolment) not in detail.content.decode()

    url = reverse("leergang:enrolment-cancel", args=[enrolment.pk])
    page = client.get(url)
    assert "termijn" in page.content.decode()  # the page says why, and offers no form
    assert 'name="reason"' not in page.content.decode()
    assert client.post(url, {"reason": "Ziek"}).status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.state == State.ENROLLED


def test_before_the_deadline_the_cancel_button_is_offered(client, participant):
    enrolment = EnrolmentFactory(cohort=CohortFactory(), participant=participant)
    client.force_login(participant)
    detail = client.get(reverse("leergang:enrolment-detail", args=[enrolment.pk]))
    assert _cancel_link(enrolment) in detail.content.decode()


def test_the_cancel_policy_and_the_refusal_agree(participant, beheerder, trainer):
    late = CohortFactory(cancellation_deadline=timezone.localdate() - timedelta(days=1))
    late.trainers.add(trainer)
    enrolment = EnrolmentFactory(cohort=late, participant=participant)
    assert not access.may(participant, "cancel", enrolment)
    assert enrolment.cancel_refusal(by=participant)
    assert access.may(beheerder, "cancel", enrolment)  # the programme office, at any time
    assert enrolment.cancel_refusal(by=beheerder) is None
    assert not access.may(trainer, "cancel", enrolment)  # not theirs to cancel
    ended = EnrolmentFactory(cohort=CohortFactory(), participant=participant, state=State.CANCELLED)
    assert not access.may(beheerder, "cancel", ended)


def test_report_absence_is_offered_only_where_the_rule_allows_it(client, participant):
    cohort = CohortFactory()
    future = BijeenkomstFactory(cohort=cohort, starts_at=timezone.now() + timedelta(days=2))
    started = BijeenkomstFactory(cohort=cohort, starts_at=timezone.now() - timedelta(hours=1))
    enrolment = EnrolmentFactory(cohort=cohort, participant=participant)
    client.force_login(participant)
    text = client.get(reverse("leergang:enrolment-detail", args=[enrolment.pk])).content.decode()
    assert reverse("leergang:bijeenkomst-excuse", args=[future.pk]) in text
    assert reverse("leergang:bijeenkomst-excuse", args=[started.pk]) not in text
    assert enrolment.excuse_refusal(future) is None
    assert enrolment.excuse_refusal(started)


def test_op_maat_rule_is_the_same_for_a_queryset_and_one_cohort(participant, outsider, utrecht):
    open_cohort = CohortFactory()
    tailored = CohortFactory(organisation=utrecht)
    for user in (participant, outsider, AnonymousUser()):
        listed = set(Cohort.objects.open_to(user))
        assert listed == {c for c in (open_cohort, tailored) if c.is_open_to(user)}
    assert tailored.is_open_to(participant)
    assert not tailored.is_open_to(outsider)
    assert not tailored.is_open_to(AnonymousUser())


def test_seats_taken_counted_one_way(participant):
    cohort = CohortFactory(seats=5)
    for state in (State.ENROLLED, State.COMPLETED, State.WAITLISTED, State.REQUESTED):
        EnrolmentFactory(cohort=cohort, state=state)
    EnrolmentFactory(cohort=cohort, state=State.CANCELLED)
    annotated = Cohort.objects.with_seats_taken().with_waitlist_count().get(pk=cohort.pk)
    assert annotated.seats_taken == cohort.enrolments.holding_seat().count() == 2
    assert annotated.free_seats() == Cohort.objects.get(pk=cohort.pk).free_seats() == 3
    assert annotated.waitlist_count == 1
    assert cohort.enrolments.live().count() == 4


def test_every_leergang_verb_is_asked_somewhere():
    """A verb no view or template asks is a rule nobody checks: remove it or ask it."""
    from pathlib import Path

    from django.conf import settings

    from leergang.models import Bijeenkomst, Leergang, Material, Reflection

    root = Path(settings.BASE_DIR)
    sources = [
        p
        for pattern in ("*/views.py", "*/forms.py", "*/permissions.py", "templates/**/*.html")
        for p in root.glob(pattern)
        if ".venv" not in p.parts
    ]
    text = "\n".join(p.read_text() for p in sources)
    for model in (Leergang, Cohort, Enrolment, Bijeenkomst, Reflection, Material):
        for verb in access._policy_for(model).verbs:
            asked = (f'action="{verb}"', f'may(request.user, "{verb}"', f'may user "{verb}"')
            assert any(ask in text for ask in asked) or f'may(user, "{verb}"' in text, (
                f"{model.__name__}: nobody asks {verb!r}"
            )
