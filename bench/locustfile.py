"""`make loadtest`'s journeys, for Locust (started by scripts/loadtest.py, never by hand on
anything but the loopback).

Each simulated person is a real account of the plan (bench.load.prepare, the file named by
LOADTEST_PLAN) and signs in through the real login: e-mail and password, and for staff the
TOTP code of the moment, computed from their own secret with portal.mfa.totp_code as an
authenticator app would. Then they act in turns with a pause (LOADTEST_PAUSE, 3 to 12 s
of reading or typing): participants read their pages and save a reflection, trainers
record the attendance of a held bijeenkomst, HR reads its dashboard, lists and approvals.
At LOADTEST_BURST_AFTER seconds 30 participants, who opened the enrolment form a moment
before, send it at the same instant into a cohort with fewer seats.

Every request has the label of its step (bench.journeys); an answer other than the one
expected (200 for a page, the redirect of a saved form) counts as an error.
``BaselineUser`` walks the same steps one request at a time with the baseline's people:
the single-request times the load is held to.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

import django
import gevent
from locust import HttpUser, constant, events, task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
django.setup()

from portal.mfa import totp_code  # noqa: E402 (needs the settings above)

# Empty when imported without a run (the test that the journeys' pages resolve).
PLAN_FILE = os.environ.get("LOADTEST_PLAN")
PLAN = json.loads(Path(PLAN_FILE).read_text()) if PLAN_FILE else {}
BURST_AFTER = float(os.environ.get("LOADTEST_BURST_AFTER", "60"))
# The burst's 30 open the enrolment form in the 10 s before it, at their own moment, and send
# it within this many seconds of each other: 15 enrolments a second into one cohort, twice
# the whole portal's rate under this load. (The parallel-request tests send them at one
# instant: tests/leergang/test_concurrency.py.)
BURST_SECONDS = float(os.environ.get("LOADTEST_BURST_SECONDS", "2"))
# The pause between two turns of one person, in seconds: reading a page, typing a reflection.
PAUSE = tuple(float(s) for s in os.environ.get("LOADTEST_PAUSE", "3-12").split("-"))
# Rounds of every step per baseline person.
BASELINE_ROUNDS = {"participant": 2, "trainer": 4, "hr": 4}
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATUS_FIELD = re.compile(r'name="(status_\d+)"')
REFLECTION = (
    "Wat ik meeneem: in het overleg met de wijkraad vroeg ik eerst wat de bewoners wilden "
    "bereiken, in plaats van meteen de regels uit te leggen. "
)

burst_at = time.time() + BURST_AFTER


@events.test_start.add_listener
def _start_clock(**kwargs):
    global burst_at
    burst_at = time.time() + BURST_AFTER


class Person(HttpUser):
    """One account of the plan, signed in at the start."""

    abstract = True
    role = ""
    # Who of the plan's people is next, per role (each account signs in once).
    handed_out: dict[str, int] = {}

    def wait_time(self):
        pause = random.uniform(*PAUSE)
        if self.burst_pending():
            pause = min(pause, max(0.0, self.opens_form_at - time.time()))
        return pause

    def on_start(self):
        people = PLAN["load"][self.role]
        n = Person.handed_out.get(self.role, 0)
        Person.handed_out[self.role] = n + 1
        self.person = people[n % len(people)]
        self.enrolled = False
        self.opens_form_at = burst_at - random.uniform(3, 10)
        self.sends_at = burst_at + random.uniform(0, BURST_SECONDS)
        sign_in(self)

    def burst_pending(self) -> bool:
        return (
            getattr(self, "person", None) is not None
            and not self.enrolled
            and ("enrol: send" in self.person["urls"])
        )

    @task
    def act(self):
        if self.burst_pending() and time.time() >= self.opens_form_at:
            enrol(self, at=self.sends_at)
            return
        weights, actions = zip(*ACTIONS[self.role], strict=True)
        random.choices(actions, weights)[0](self)


class ParticipantUser(Person):
    role = "participant"
    fixed_count = 34


class TrainerUser(Person):
    role = "trainer"
    fixed_count = 8


class HRUser(Person):
    role = "hr"
    fixed_count = 8


class BaselineUser(HttpUser):
    """The steps one at a time, each person signed in once; stops the run when done."""

    wait_time = constant(0)
    fixed_count = 1

    @task
    def walk(self):
        for role, people in PLAN["baseline"].items():
            for person in people:
                self.client.cookies.clear()
                self.person, self.enrolled = person, False
                sign_in(self)
                for _ in range(BASELINE_ROUNDS[role]):
                    for _weight, action in ACTIONS[role]:
                        action(self)
                if "enrol: send" in person["urls"]:
                    enrol(self)
        self.environment.runner.quit()


# -- requests ---------------------------------------------------------------------------


def page(user, step: str) -> str:
    with user.client.get(
        user.person["urls"][step], name=step, allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code != 200:
            response.failure(f"{response.status_code} where 200 was expected")
        return response.text


def form(user, step: str) -> tuple[str, str]:
    """The page of a form, and its CSRF token."""
    html = page(user, step)
    token = CSRF_TOKEN.search(html)
    return html, token.group(1) if token else ""


def send(user, step: str, data: dict, *, url: str | None = None) -> str:
    """A form sent; the portal answers a saved form with a redirect."""
    with user.client.post(
        url or user.person["urls"][step],
        data=data,
        name=step,
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"{response.status_code} where a redirect was expected")
            return ""
        return response.headers["Location"]


# -- the steps --------------------------------------------------------------------------


def sign_in(user) -> None:
    person = user.person
    _html, token = form(user, "sign-in: form")
    location = send(
        user,
        "sign-in: password",
        {"csrfmiddlewaretoken": token, "login": person["email"], "password": PLAN["password"]},
    )
    if "totp_secret" in person:
        if not location.endswith(person["urls"]["sign-in: code"]):
            return
        with user.client.get(location, name="sign-in: code form", catch_response=True) as response:
            found = CSRF_TOKEN.search(response.text)
        send(
            user,
            "sign-in: code",
            {
                "csrfmiddlewaretoken": found.group(1) if found else "",
                "code": totp_code(person["totp_secret"]),
            },
        )


def enrol(user, at: float | None = None) -> None:
    """Open the enrolment form, then (in the burst: at its moment, within BURST_SECONDS of
    the others) send it."""
    user.enrolled = True
    _html, token = form(user, "enrol: form")
    if at is not None:
        gevent.sleep(max(0.0, at - time.time()))
    send(user, "enrol: send", {"csrfmiddlewaretoken": token})


def steps(*labels):
    """The steps (bench.journeys) an action requests."""

    def mark(action):
        action.steps = labels
        return action

    return mark


SIGN_IN_STEPS = ("sign-in: form", "sign-in: password", "sign-in: code form", "sign-in: code")
ENROL_STEPS = ("enrol: form", "enrol: send")


@steps("participant: reflection form", "participant: reflection save")
def reflection(user) -> None:
    _html, token = form(user, "participant: reflection form")
    send(
        user,
        "participant: reflection save",
        {"csrfmiddlewaretoken": token, "text": REFLECTION * random.randint(1, 6)},
    )


@steps("trainer: attendance form", "trainer: attendance save")
def attendance(user) -> None:
    html, token = form(user, "trainer: attendance form")
    statuses = {
        name: random.choice(["present", "present", "present", "absent"])
        for name in set(STATUS_FIELD.findall(html))
    }
    send(user, "trainer: attendance save", {"csrfmiddlewaretoken": token, **statuses})


def visit(step: str):
    def action(user) -> None:
        page(user, step)

    return steps(step)(action)


# role -> (weight, action): what a person of that role does in one turn.
ACTIONS = {
    "participant": [
        (3, visit("participant: home")),
        (3, visit("participant: mijn leergang")),
        (2, visit("participant: catalogue")),
        (2, visit("participant: enrolment")),
        (1, visit("participant: agenda")),
        (2, reflection),
    ],
    "trainer": [
        (2, visit("trainer: home")),
        (2, visit("trainer: cohorts")),
        (3, visit("trainer: cohort")),
        (2, attendance),
    ],
    "hr": [
        (2, visit("hr: home")),
        (4, visit("hr: dashboard")),
        (2, visit("hr: people")),
        (1, visit("hr: approvals")),
    ],
}
# Every step the journeys request, for the test that each names a page that resolves.
USED_STEPS = sorted(
    {*SIGN_IN_STEPS, *ENROL_STEPS}
    | {step for actions in ACTIONS.values() for _weight, action in actions for step in action.steps}
)
