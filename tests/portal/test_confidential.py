"""The programme office never holds a permission on a model DOMAIN.md keeps from it."""

import pytest
from django.apps import apps

from portal.confidential import PERMISSION_ACTIONS, classification
from portal.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONFIDENTIAL = {
    "leergang.reflection",
    "leergang.insightsprofile",
    "intervisie.session",
    "intervisie.vote",
    "coaching.goal",
    "coaching.goalupdate",
    "coaching.coachingsession",
    "coaching.privatenote",
    "portal.calendarfeed",
    "sessions.session",
    "account.emailconfirmation",
    # Second factors (TOTP secrets, key material) and the sessions list (devices, addresses).
    "mfa.authenticator",
    "usersessions.usersession",
    # Single sign-on: an allauth app would hold a client secret, a token signs in.
    "socialaccount.socialapp",
    "socialaccount.socialtoken",
    "sso.providerapp",
}


def _labels(models):
    return [model._meta.label_lower for model in models]


def test_every_model_is_classified_as_confidential_or_not():
    classified = classification()
    unclassified = [label for label in _labels(apps.get_models()) if label not in classified]
    assert unclassified == [], "add these to confidential_models or open_models of their app"
    assert set(classified) <= set(_labels(apps.get_models())), "a classified model is gone"


def test_the_content_domain_md_keeps_from_the_programme_office_is_confidential():
    confidential = {label for label, secret in classification().items() if secret}
    assert confidential == CONFIDENTIAL


def test_beheerder_holds_no_permission_on_a_confidential_model(beheerder, provider):
    superuser = UserFactory(organisation=provider, roles=[Role.BEHEERDER], is_superuser=True)
    classified = classification()
    wrong = []
    for label in _labels(apps.get_models()):
        app_label, model_name = label.split(".")
        for user in (beheerder, superuser):
            for action in PERMISSION_ACTIONS:
                permission = f"{app_label}.{action}_{model_name}"
                if user.has_perm(permission) is classified[label]:
                    wrong.append((user.is_superuser, permission))
    assert wrong == []
