import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from portal.models import Organisation, Role, User


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_demo_command_is_idempotent_and_its_logins_work(client):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
    assert Organisation.objects.filter(kind=Organisation.Kind.OPLEIDER).count() == 1
    assert User.objects.get(email="hr@demo.example").organisation.name == "Gemeente Utrecht"
    assert User.objects.get(email="hr.nijmegen@demo.example").roles == {Role.HR}
    for user in User.objects.all():
        assert client.login(email=user.email, password="leergang-demo")


@pytest.mark.django_db
def test_content_security_policy_allows_only_our_own_origin(client):
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    for directive in ("frame-ancestors", "base-uri", "form-action"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
