"""Every e-mail the portal sends, rendered in Dutch with the demo's data: the words are
Dutch, the details are there, and every calendar file parses back."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from icalendar import Calendar

from coaching.calendar import session_event as coaching_event
from coaching.models import CoachingSession, Trajectory
from evaluations.models import Invitation as EvaluationInvitation
from intervisie.calendar import session_event as intervisie_event
from intervisie.models import Poll, Session, SessionAttendance
from leergang.calendar import bijeenkomst_event
from leergang.models import Attendance, Bijeenkomst, Cohort, Enrolment, MakeUpRequest
from portal import demo
from portal.appointments import event_to_context
from portal.models import Notification, User
from portal.notifications import render_notification
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"
# Words that only an English text has: a message id left untranslated shows them.
ENGLISH = re.compile(r"\b(the|your|you|has been|will|please|with|reminder)\b", re.IGNORECASE)


def _kinds() -> set[str]:
    return {path.name.removesuffix("_subject.txt") for path in TEMPLATES.glob("*_subject.txt")}


def _first(model, **filters):
    found = model.objects.filter(**filters).first()
    assert found is not None, f"the demo has no {model.__name__} with {filters}"
    return found


def _moved(enrolment):
    """A cancelled enrolment of the demo, as if the person had moved to ``enrolment``."""
    moved = _first(Enrolment, state="cancelled", moved_to=None)
    moved.moved_to = enrolment
    moved.save(update_fields=["moved_to"])
    return moved


def _kept_for_interest():
    """An upcoming cohort of the demo, as if it had opened to the interest list."""
    cohort = _first(Cohort, starts_on__gt=timezone.localdate())
    cohort.priority_until = timezone.now() + timedelta(days=14)
    cohort.save(update_fields=["priority_until"])
    return cohort


def _appointment(kind_of_event, obj, **extra):
    return obj, {"event": event_to_context(kind_of_event(obj)), **extra}


def _cases():
    """kind -> (what it is about, its details), as the code that sends it makes them."""
    bijeenkomst = _first(Bijeenkomst, starts_at__gt=timezone.now())
    session = _first(Session)
    coaching = _first(CoachingSession)
    enrolment = _first(Enrolment, participant__email=demo.PARTICIPANT_EMAIL)
    poll = _first(Poll)
    url = settings.PORTAL_BASE_URL + "/"
    return {
        "appointment_planned": _appointment(intervisie_event, session),
        "appointment_moved": _appointment(
            bijeenkomst_event,
            bijeenkomst,
            previous_starts_at=(bijeenkomst.starts_at - timedelta(days=7)).isoformat(),
        ),
        "appointment_cancelled": _appointment(coaching_event, coaching),
        "appointment_reminder": _appointment(
            bijeenkomst_event, bijeenkomst, hours=48, with_calendar=True
        ),
        "attendance_excused": (_first(Attendance, status="excused"), {}),
        "coaching_prepare": (
            coaching,
            {"starts_at": coaching.starts_at.isoformat(), "coach": "Jeroen Visser", "url": url},
        ),
        "coaching_trajectory_started": (_first(Trajectory), {}),
        "enrolment_approval_needed": (_first(Enrolment, state="requested"), {}),
        "enrolment_cancelled": (_first(Enrolment, state="cancelled"), {}),
        "enrolment_completed": (_first(Enrolment, state="completed"), {}),
        "enrolment_enrolled": (enrolment, {}),
        "enrolment_moved": (_moved(enrolment), {"reason": "Verplaatst naar Groep 2."}),
        "enrolment_offered": (_first(Enrolment, state="offered"), {}),
        "enrolment_offer_reminder": (_first(Enrolment, state="offered"), {}),
        "enrolment_offer_lapsed": (_first(Enrolment, state="offered"), {}),
        "enrolment_promoted": (enrolment, {}),
        # The demo rejects nobody: the mail reads the same for any enrolment.
        "enrolment_rejected": (_first(Enrolment, state="requested"), {}),
        "enrolment_requested": (_first(Enrolment, state="requested"), {}),
        "enrolment_waitlisted": (
            _first(Enrolment, state="waitlisted"),
            {"waitlist_position": 2},
        ),
        "interest_cohort_opened": (_kept_for_interest(), {}),
        "intervisie_absence": (_first(SessionAttendance, status="excused"), {}),
        "intervisie_poll_opened": (poll, {}),
        "intervisie_poll_reminder": (
            poll,
            {
                "title": poll.title,
                "group": poll.group.name,
                "closes_at": poll.closes_at.isoformat(),
                "url": url,
            },
        ),
        "invitation": (
            InvitationFactory(organisation=enrolment.participant.organisation),
            {
                "first_name": "Lotte",
                "organisation": "Gemeente Utrecht",
                "invited_by": "Hanneke de Wit",
                "accept_url": url + "uitnodiging/abc/",
                "expires_at": "16-12-2026",
            },
        ),
        "evaluation_invitation": (_first(EvaluationInvitation, used=False), {}),
        "evaluation_reminder": (_first(EvaluationInvitation, kind="leergang"), {}),
        # Inhalen: the demo has an approved request and one waiting; the mails of a
        # rejection and a withdrawal read the same for any.
        "make_up_approved": (_first(MakeUpRequest, state="approved"), {}),
        "make_up_cancelled": (_first(MakeUpRequest, state="approved"), {}),
        "make_up_rejected": (_first(MakeUpRequest, state="requested"), {}),
        "make_up_host_cancelled": (
            enrolment,
            {
                "title": "Terug naar de bedoeling",
                "host": "Open uitvoering Zwolle",
                "when": "12 maart 2027 13:30",
                "missed": "Terug naar de bedoeling",
                "was_approved": True,
            },
        ),
        "make_up_requested": (_first(MakeUpRequest, state="requested"), {}),
        "reflection_reminder": (
            enrolment,
            {"module_id": 1, "module": "Terug naar de bedoeling", "number": 2, "url": url},
        ),
    }


def test_every_email_renders_in_dutch_and_its_calendar_file_parses(demo_data):
    cases = _cases()
    missing = _kinds() - set(cases)
    assert not missing, f"add a case for these e-mails: {sorted(missing)}"
    recipient = User.objects.get(email=demo.PARTICIPANT_EMAIL)
    for kind, (about, context) in sorted(cases.items()):
        notification = Notification(
            recipient=recipient,
            email=recipient.email,
            kind=kind,
            context=context,
            language="nl",
            about_type=ContentType.objects.get_for_model(about),
            about_id=about.pk,
        )
        message = render_notification(notification)
        html = message.alternatives[0][0]
        for text in (message.subject, message.body):
            assert "{{" not in text and "{%" not in text, kind
            assert not re.search(r"&\w+;", text), f"{kind}: HTML escaping in {text!r}"
            assert not ENGLISH.search(text), f"{kind}: {ENGLISH.search(text)[0]!r} in {text!r}"
        name = context.get("first_name", recipient.first_name)
        assert message.body.startswith(f"Beste {name},"), kind
        assert re.search(r"Leerportaal|leerportaal", message.body), kind
        assert html.lstrip().lower().startswith("<!doctype html>"), kind
        assert 'lang="nl"' in html, kind
        for name, content, mimetype in message.attachments:
            assert name.endswith(".ics") and mimetype.startswith("text/calendar")
            calendar = Calendar.from_ical(content)
            events = calendar.walk("VEVENT")
            assert events and all(str(e["UID"]).endswith("@leerportaal") for e in events), kind
            assert all("SEQUENCE" in e and "ORGANIZER" in e for e in events), kind


def test_the_appointment_mails_say_what_changed(demo_data):
    cases = _cases()
    recipient = User.objects.get(email=demo.PARTICIPANT_EMAIL)

    def render(kind):
        about, context = cases[kind]
        return render_notification(
            Notification(
                recipient=recipient,
                email=recipient.email,
                kind=kind,
                context=context,
                about_type=ContentType.objects.get_for_model(about),
                about_id=about.pk,
            )
        )

    moved = render("appointment_moved")
    assert moved.subject.startswith("Gewijzigd: ") and "Het stond gepland op" in moved.body
    assert "werkt de afspraak in je agenda bij" in moved.body
    cancelled = render("appointment_cancelled")
    assert cancelled.subject.startswith("Vervallen: ") and "gaat niet door" in cancelled.body
    assert str(Calendar.from_ical(cancelled.attachments[0][1])["METHOD"]) == "CANCEL"
    planned = render("appointment_planned")
    assert "Er staat een nieuwe afspraak in je agenda" in planned.body
    assert "Waar: " in planned.body
