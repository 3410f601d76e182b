"""`make loadtest` cannot rot unnoticed: the locustfile imports, every step its journeys
request names a page of the portal, and the plan built on bench data gives each simulated
person addresses that answer them (the two-minute run itself is not part of the suite)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.urls import resolve, reverse

from bench import data, load
from bench.journeys import ARGUMENTS, STEPS
from leergang.models import Cohort
from portal.models import User

ROOT = Path(__file__).resolve().parent.parent.parent
SIGN_IN_AND_POSTS = {"sign-in: form", "sign-in: password", "sign-in: code form", "sign-in: code"}


@pytest.fixture(scope="module")
def used_steps():
    """The steps the locustfile's journeys request, read by importing it in a process of its
    own (Locust patches the standard library with gevent on import)."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, bench.locustfile as f; print(json.dumps(f.USED_STEPS))",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_step_the_journeys_request_names_a_page_that_resolves(used_steps):
    assert {"participant: reflection save", "trainer: attendance save", "enrol: send"} <= set(
        used_steps
    )
    for step in used_steps:
        name = STEPS[step]
        path = reverse(name, args=[1] * len(ARGUMENTS.get(name, ())))
        assert resolve(path).view_name == name, step


def test_the_plan_gives_every_step_an_address(used_steps):
    planned = {
        *load.PARTICIPANT_STEPS,
        *load.TRAINER_STEPS,
        *load.HR_STEPS,
        *load.SIGN_IN_STEPS,
        *load.ENROL_STEPS,
    }
    assert set(used_steps) <= planned


@pytest.mark.django_db
def test_on_bench_data_each_person_of_the_plan_reaches_their_pages(client):
    data.generate(0.05)
    staff = User.objects.filter(email__in=[data.TRAINER_EMAIL, data.HR_EMAIL])
    assert Authenticator.objects.filter(user__in=staff, type="totp").count() == 2
    people = {"participant": 3, "trainer": 2, "hr": 2}
    plan = load.prepare(
        load=people, baseline={"participant": 1, "trainer": 1, "hr": 1}, burst=3, burst_seats=2
    )
    burst = Cohort.objects.get(pk=plan["burst_cohort"])
    assert burst.seats == 2 and not burst.enrolments.exists()
    for role, count in people.items():
        assert len(plan["load"][role]) == count
        for person in plan["load"][role] + plan["baseline"][role]:
            user = User.objects.get(email=person["email"])
            assert user.check_password(plan["password"])
            assert ("totp_secret" in person) == (role != "participant")
            client.force_login(user)
            for step, url in person["urls"].items():
                if step in SIGN_IN_AND_POSTS or step.endswith(("save", "send")):
                    continue
                assert client.get(url).status_code == 200, (person["email"], step, url)
            client.logout()
    assert all("enrol: send" in p["urls"] for p in plan["load"]["participant"])
