"""The access door itself: policies name their verbs, and an unknown verb is an error."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from leergang.models import Enrolment
from portal import access
from tests.factories import EnrolmentFactory


@pytest.mark.django_db
def test_an_unknown_verb_raises_instead_of_quietly_denying():
    enrolment = EnrolmentFactory(state=Enrolment.State.ENROLLED)
    assert access.may(enrolment.participant, "follow", enrolment) is True
    with pytest.raises(ImproperlyConfigured, match="knows no action 'folow'"):
        access.may(enrolment.participant, "folow", enrolment)


@pytest.mark.django_db
def test_an_unknown_verb_raises_for_anonymous_users_too():
    from django.contrib.auth.models import AnonymousUser

    enrolment = EnrolmentFactory(state=Enrolment.State.ENROLLED)
    assert access.may(AnonymousUser(), "follow", enrolment) is False
    with pytest.raises(ImproperlyConfigured):
        access.may(AnonymousUser(), "folow", enrolment)
