"""Anonymous by construction: no model, page, export or admin joins an answer to a person."""

import json
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from coaching.models import Trajectory
from evaluations.models import Answer, GoalScore, Invitation
from leergang.models import Cohort, Enrolment
from portal.models import Notification
from tests.evaluations.conftest import answer, held_cohort
from tests.factories import UserFactory

ANSWER_MODELS = (Answer, GoalScore)
# The edges by which an answer reaches people who are what it is about, never who gave it:
# a coaching evaluation is about its coach, a cohort has its trainers.
ABOUT_STAFF = {(Answer, "coach"), (Cohort, "trainers")}


def _forward_edges(model):
    """(field name, target model) of every relation this model holds itself."""
    for field in model._meta.get_fields():
        if field.is_relation and field.concrete and field.related_model is not None:
            yield field.name, field.related_model
        if isinstance(field, models.ManyToManyField):
            yield field.name, field.related_model


def _reachable(start, *, skip=frozenset()):
    """Every model reachable from ``start`` by relations held forward, with one path each."""
    paths = {start: [start.__name__]}
    queue = [start]
    while queue:
        model = queue.pop(0)
        for name, target in _forward_edges(model):
            if (model, name) in skip or target in paths:
                continue
            paths[target] = [*paths[model], f"{name} → {target.__name__}"]
            queue.append(target)
    return paths


@pytest.mark.parametrize("model", ANSWER_MODELS)
def test_no_relation_leads_from_an_answer_to_who_gave_it(model):
    forbidden = {Enrolment, Trajectory, Invitation, Notification}
    # Anything that holds a person's own participation: linking to it would name them.
    for candidate in apps.get_models():
        for field in candidate._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and field.related_model is get_user_model()
                and candidate not in {Cohort, Answer}
                and candidate._meta.app_label not in {"auth", "admin"}
            ):
                forbidden.add(candidate)
    reachable = _reachable(model)
    leaks = {m.__name__: " ".join(reachable[m]) for m in forbidden if m in reachable}
    assert leaks == {}
    # And the people it reaches at all are staff it is about (its coach, the trainers).
    without_staff = _reachable(model, skip=ABOUT_STAFF)
    assert get_user_model() not in without_staff, without_staff.get(get_user_model())


def test_nothing_but_the_answer_models_points_at_an_answer():
    pointing = {
        (m.__name__, f.name)
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model in ANSWER_MODELS
    }
    assert pointing == {("GoalScore", "answer")}


def test_answers_keep_no_time_and_invitations_no_moment_of_use():
    answer_times = [
        f.name
        for model in ANSWER_MODELS
        for f in model._meta.get_fields()
        if isinstance(f, models.DateTimeField)
    ]
    assert answer_times == []
    assert isinstance(Answer._meta.get_field("answered_on"), models.DateField)
    assert isinstance(Answer._meta.pk, models.UUIDField)
    invitation_times = {
        f.name for f in Invitation._meta.get_fields() if isinstance(f, models.DateTimeField)
    }
    assert invitation_times == {"created_at", "expires_at"}


@pytest.mark.django_db
def test_no_page_admin_or_export_shows_an_answer_next_to_a_name(
    client, morning, trainer, beheerder, hr, participant
):
    cohort, bijeenkomst, people = held_cohort(
        participants=3, trainers=[trainer], organisation=participant.organisation
    )
    for index, person in enumerate(people):
        person.first_name, person.last_name = f"Voornaam{index}", f"Achternaam{index}"
        person.save()
    from evaluations import services

    services.invitations_create()
    for index, person in enumerate(people):
        answer(
            Invitation.objects.get(recipient=person),
            grade=index + 5,
            comments=f"OPMERKING-{index}",
        )
    names = [p.last_name for p in people] + [p.email for p in people]
    pages = [
        (trainer, reverse("evaluations:cohort", args=[cohort.pk])),
        (beheerder, reverse("evaluations:cohort", args=[cohort.pk])),
        (beheerder, reverse("evaluations:programme")),
        (hr, reverse("evaluations:hr")),
    ]
    comments_seen = 0
    for user, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        comments_seen += page.count("OPMERKING-")
        for name in names:
            assert name not in page, (url, name)
        # No way across from an answer to an invitation (or back).
        assert not re.search(r"/evaluations/invitation/\d", page), url
    assert comments_seen >= 3
    # The invitations in the admin: who was asked, never what they said, nor the token.
    client.force_login(beheerder)
    page = client.get(reverse("admin:evaluations_invitation_changelist")).content.decode()
    assert "OPMERKING-" not in page and "Achternaam0" in page
    invitation = Invitation.objects.get(recipient=people[0])
    page = client.get(
        reverse("admin:evaluations_invitation_change", args=[invitation.pk])
    ).content.decode()
    assert invitation.token not in page and "OPMERKING-" not in page
    assert not re.search(r"/evaluations/answer/[0-9a-f]{8}-", page)
    # The person's own export: that they were asked and answered, not what.
    client.force_login(people[0])
    export = client.get(reverse("portal:profile-export")).content.decode()
    data = json.loads(export)
    assert data["evaluations"] == [
        {
            "about": "Bijeenkomst",
            "bijeenkomst": str(bijeenkomst),
            "cohort": None,
            "coaching_trajectory": None,
            "invited_at": invitation.created_at.isoformat(),
            "valid_until": invitation.expires_at.isoformat(),
            "answered": True,
        }
    ]
    assert "OPMERKING-" not in export


@pytest.mark.django_db
def test_an_answer_outlives_its_person(morning):
    cohort, bijeenkomst, (person,) = held_cohort(participants=1)
    from evaluations import services

    services.invitations_create()
    answer(Invitation.objects.get())
    person.delete()
    assert Answer.objects.count() == 1 and not Invitation.objects.exists()
    assert UserFactory()  # the database is still consistent


def test_answers_are_not_in_the_admin_where_one_could_be_matched_to_a_used_invitation():
    from django.contrib import admin

    from evaluations.models import GoalScore

    assert Answer not in admin.site._registry and GoalScore not in admin.site._registry
    inlines = {i.model for a in admin.site._registry.values() for i in a.inlines}
    assert not {Answer, GoalScore} & inlines
