"""Every URL of the portal, as every persona: the expected status.

Each row names a URL, how to build its arguments, the method, and the status per
persona. ``test_every_portal_url_has_a_row`` fails when a URL pattern of our own
apps has no row, so no page can be forgotten. Later issues add their rows.

Personas: anonymous, each role of Gemeente Utrecht / the provider, and users of
Gemeente Nijmegen (another organisation). Expected statuses: 200 (or 302 after a
successful POST), 302 to the login page for anonymous, 403 for a role that may
not, 404 for another organisation's object.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.models import Role
from tests.factories import InvitationFactory

PERSONAS = [
    "anonymous",
    "participant",
    "trainer",
    "coach",
    "hr",
    "beheerder",
    "outsider",
    "outsider_hr",
]
OUR_APPS = ("portal", "leergang", "intervisie", "coaching")
LOGIN = "login"  # expected: a redirect to the login page


@dataclass
class Row:
    name: str
    expected: dict[str, object]
    method: str = "get"
    args: callable = field(default=lambda objects: [])
    data: dict = field(default_factory=dict)

    def status_for(self, persona):
        return self.expected.get(persona, self.expected.get("*"))


ALL_SIGNED_IN_200 = {"anonymous": LOGIN, "*": 200}
INVITERS_ONLY = {"anonymous": LOGIN, "hr": 200, "beheerder": 200, "outsider_hr": 200, "*": 403}
# An action on Gemeente Utrecht's invitation: Nijmegen's HR gets a 404, not a 403.
UTRECHT_INVITATION_ACTION = {
    "anonymous": LOGIN,
    "hr": 302,
    "beheerder": 302,
    "outsider_hr": 404,
    "*": 403,
}

ROWS = [
    Row("portal:home", ALL_SIGNED_IN_200),
    Row("portal:profile", ALL_SIGNED_IN_200),
    Row(
        "portal:profile",
        {"anonymous": LOGIN, "*": 302},
        method="post",
        data={
            "first_name": "Anna",
            "last_name": "Smit",
            "job_title": "",
            "preferred_language": "nl",
        },
    ),
    Row("portal:profile-export", ALL_SIGNED_IN_200),
    Row("portal:invitation-list", INVITERS_ONLY),
    Row("portal:invitation-create", INVITERS_ONLY),
    Row("portal:invitation-import", {"anonymous": LOGIN, "hr": 200, "outsider_hr": 200, "*": 403}),
    Row(
        "portal:invitation-revoke",
        UTRECHT_INVITATION_ACTION,
        method="post",
        args=lambda o: [o["invitation"].pk],
    ),
    Row(
        "portal:invitation-resend",
        UTRECHT_INVITATION_ACTION,
        method="post",
        args=lambda o: [o["invitation"].pk],
    ),
    # The token is the key: anyone may open it; a signed-in person is asked to sign out.
    Row(
        "portal:invitation-accept",
        {"anonymous": 200, "*": 409},
        args=lambda o: [o["invitation"].token],
    ),
    Row("health", {"*": 200}),
    Row("set_language", {"*": 302}, method="post", data={"language": "nl", "next": "/"}),
    Row("admin:index", {"beheerder": 200, "*": 302}),
    Row("admin:portal_user_changelist", {"beheerder": 200, "*": 302}),
    Row("account_login", {"anonymous": 200, "*": 302}),
    Row("account_reset_password", {"*": 200}),
    Row("account_email", {"anonymous": LOGIN, "*": 200}),
    Row("account_change_password", {"anonymous": LOGIN, "*": 200}),
]


def _our_url_names():
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "")
                if module.split(".")[0] in OUR_APPS:
                    assert pattern.name, f"URL pattern {pattern.pattern} has no name"
                    names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_portal_url_has_a_row():
    missing = _our_url_names() - {row.name for row in ROWS}
    assert not missing, f"URLs without an authorization row: {sorted(missing)}"


@pytest.fixture
def objects(utrecht):
    return {"invitation": InvitationFactory(organisation=utrecht, roles=[Role.DEELNEMER])}


def _cases():
    for row in ROWS:
        for persona in PERSONAS:
            yield pytest.param(row, persona, id=f"{row.method}-{row.name}-{persona}")


@pytest.mark.parametrize(("row", "persona"), list(_cases()))
def test_access(client, request, objects, row, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(row.name, args=row.args(objects))
    response = getattr(client, row.method)(url, data=row.data)
    expected = row.status_for(persona)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, (
            f"{row.method.upper()} {url} as {persona}: {response.status_code}, expected {expected}"
        )
