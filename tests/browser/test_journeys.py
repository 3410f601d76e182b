import re
from collections import Counter
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import Resolver404, resolve
from django.utils import timezone

from portal import demo
from portal.models import User
from tests.helpers import unused_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One persona of each kind (the second coach sees what the first one does).
DEMO_LOGINS = [
    demo.PARTICIPANT_EMAIL,
    demo.TRAINER_EMAIL,
    demo.COACH_EMAIL,
    demo.HR_UTRECHT_EMAIL,
    demo.HR_NIJMEGEN_EMAIL,
    demo.BEHEERDER_EMAIL,
]
# Links the crawl does not follow: downloads, sign-out, and the admin's depths
# (its index and one list are checked; the rest is Django's own).
SKIP = re.compile(
    r"/export/|\.(csv|xlsx)$|/download/|/accounts/logout/|/beheer/.+/.+/|/static/|/media/|/certificaat/$|/materiaal/"
)
MAX_PAGES = 60
PAGES_PER_VIEW = 2
MFA_AUTHENTICATE = "/accounts/2fa/authenticate/"


def sign_in(page, email, password=demo.DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(away_from("/accounts/login/"))
    if page.url.endswith(MFA_AUTHENTICATE):
        # Demo staff give the code of their demo secret, as `manage.py demo_code` prints it.
        page.get_by_label("Code").fill(unused_code(User.objects.get(email=email)))
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(away_from(MFA_AUTHENTICATE))


def away_from(path):
    """For ``wait_for_url``: once the page has left ``path`` (a pattern such as ``/$``
    would match the form's own address before the answer came)."""
    return lambda url: urlparse(url).path != path


def at(path):
    return lambda url: urlparse(url).path == path


def open_link(page, axe, name, **options):
    """Follow the first link called ``name``; axe the page it opens."""
    page.get_by_role("link", name=name, **options).first.click()
    axe.check(page)


def submit(page, axe, button):
    """Press ``button``, wait until the page says it worked; axe that page."""
    page.get_by_role("button", name=button).click()
    page.locator(".alert-success").first.wait_for()
    axe.check(page)


def _view_of(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path  # visited, and its 404 fails the crawl
    return match.view_name or match.route


def crawl(page, axe, start="/"):
    """Visit every kind of portal page reachable by links from ``start``; axe each one.

    Of one view (one URL pattern) at most ``PAGES_PER_VIEW`` pages: the twentieth cohort's
    page is the same template as the first two, and axing it again found nothing new."""
    seen, queue, per_view = set(), [start], Counter()
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        view = _view_of(path)
        if per_view[view] >= PAGES_PER_VIEW:
            continue
        per_view[view] += 1
        seen.add(path)
        response = page.goto(path)
        assert response.status < 400, f"{path} answered {response.status}"
        axe.check(page)
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
        ):
            target = urlparse(href)
            if target.netloc or not target.path.startswith("/") or SKIP.search(target.path):
                continue
            if target.path not in seen:
                queue.append(target.path)
    return seen


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_demo_role_signs_in_and_every_page_it_sees_passes_axe(page, axe, demo_data, email):
    sign_in(page, email)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    visited = crawl(page, axe)
    assert "/profiel/" in visited
    axe.assert_clean()


def test_pages_before_sign_in_pass_axe(page, axe, demo_data):
    for path in [
        "/accounts/login/",
        "/accounts/password/reset/",
        "/uitnodiging/onzin/",
        "/bestaat-niet/",
    ]:
        page.goto(path)
        axe.check(page)
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(demo.PARTICIPANT_EMAIL)
    page.get_by_label("Wachtwoord").fill("verkeerd")
    page.get_by_role("button", name="Inloggen").click()
    axe.check(page)  # the page with an error message
    axe.assert_clean()


def test_skip_link_is_the_first_stop_for_the_keyboard(page, demo_data):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de hoofdinhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_hr_invites_a_colleague_who_accepts_and_lands_on_home(page, axe, demo_data):
    sign_in(page, demo.HR_UTRECHT_EMAIL)
    page.get_by_role("link", name="Uitnodigingen").first.click()
    page.get_by_role("link", name="Iemand uitnodigen").click()
    axe.check(page)
    page.get_by_label("E-mailadres").fill("nieuwe.collega@utrecht.example")
    page.get_by_label("Voornaam").fill("Lotte")
    page.get_by_label("Achternaam").fill("Hendriks")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text("nieuwe.collega@utrecht.example").first.wait_for()
    axe.check(page)
    accept_url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.get_by_role("button", name="Uitloggen").click()

    page.goto(urlparse(accept_url).path)
    axe.check(page)
    page.locator("#id_password1").fill("een-lange-zin-als-wachtwoord")
    page.locator("#id_password2").fill("een-lange-zin-als-wachtwoord")
    page.get_by_role("button", name="Mijn account aanmaken").click()
    page.wait_for_url(at("/"))
    assert "Welkom, Lotte" in page.get_by_role("heading", level=1).inner_text()
    axe.check(page)
    axe.assert_clean()


def test_form_errors_are_summarised_and_tied_to_fields(page, axe, demo_data):
    sign_in(page, demo.HR_UTRECHT_EMAIL)
    page.goto("/uitnodigingen/nieuw/")
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_label("Voornaam").fill("A")
    page.get_by_label("Achternaam").fill("B")
    # Browser validation would stop an invalid e-mail; a server-side error is what we test.
    page.locator("main form").first.evaluate("f => f.noValidate = true")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    link = summary.get_by_role("link").first
    assert link.get_attribute("href") == "#id_email"
    email_field = page.locator("#id_email")
    assert email_field.get_attribute("aria-invalid") == "true"
    described_by = email_field.get_attribute("aria-describedby") or ""
    assert described_by, "the error is not tied to the field"
    axe.check(page)
    axe.assert_clean()


def test_participant_enrols_and_writes_a_reflection(page, axe, demo_data):
    sign_in(page, demo.PARTICIPANT_EMAIL)
    open_link(page, axe, "Leergangen", exact=True)
    open_link(page, axe, re.compile(r"^Inschrijven"))
    submit(page, axe, re.compile("inschrijven|wachtlijst|versturen", re.I))

    open_link(page, axe, "Mijn leergang")
    page.get_by_role("link", name=re.compile(r"^Module en leerlog")).last.click()
    axe.check(page)
    page.get_by_label("Jouw reflectie").fill(
        "Ik merk dat ik in overleggen snel naar oplossingen spring. Volgende keer vraag ik eerst "
        "door naar wat de bewoner echt nodig heeft."
    )
    submit(page, axe, "Reflectie indienen")
    axe.assert_clean()


def test_trainer_records_attendance_for_a_whole_bijeenkomst(page, axe, demo_data):
    sign_in(page, demo.TRAINER_EMAIL)
    open_link(page, axe, "Mijn uitvoeringen")
    page.locator("main table tbody a").first.click()  # the header links sort
    axe.check(page)
    open_link(page, axe, re.compile(r"^Aanwezigheid registreren"))
    for fieldset in page.locator("main form fieldset").all():
        fieldset.get_by_label("Aanwezig", exact=True).check()
    submit(page, axe, "Aanwezigheid opslaan")
    axe.assert_clean()


def test_hr_approves_a_request(page, axe, demo_data):
    sign_in(page, demo.HR_UTRECHT_EMAIL)
    open_link(page, axe, "Aanvragen")
    open_link(page, axe, re.compile(r"^Beslissen"))
    page.get_by_label("Goedkeuren").check()
    submit(page, axe, "Besluit opslaan")
    axe.assert_clean()


def _group_of_demo_participant():
    from intervisie.models import Group

    return Group.objects.filter(
        memberships__enrolment__participant__email=demo.PARTICIPANT_EMAIL,
        cohort__ends_on__gte=timezone.localdate(),
    ).first()


def test_intervisie_date_poll_from_proposal_to_planned_session(
    browser, live_server, axe, demo_data
):
    group = _group_of_demo_participant()
    other_member = (
        group.memberships.exclude(enrolment__participant__email=demo.PARTICIPANT_EMAIL)
        .first()
        .enrolment.participant.email
    )
    closes = timezone.localtime() + timedelta(days=3)
    days = [(timezone.localdate() + timedelta(days=n)).isoformat() for n in (6, 7)]

    def new_page():
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    trainer = new_page()
    sign_in(trainer, demo.TRAINER_EMAIL)
    open_link(trainer, axe, "Intervisie", exact=True)
    open_link(trainer, axe, group.name, exact=True)
    trainer.get_by_role("link", name="Data voorstellen").click()
    axe.check(trainer)
    trainer.get_by_label("Titel").fill("Intervisie voor de kerst")
    trainer.locator("#id_closes_at").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    for index, day in enumerate(days):
        trainer.locator(f"#id_slots-{index}-date").fill(day)
        trainer.locator(f"#id_slots-{index}-start").fill("13:30")
        trainer.locator(f"#id_slots-{index}-end").fill("16:00")
        trainer.locator(f"#id_slots-{index}-location").fill("Utrecht, Stadskantoor")
    submit(trainer, axe, "Peiling openen")
    manage_url = trainer.url

    for email, answer in [(demo.PARTICIPANT_EMAIL, "Ja"), (other_member, "Als het moet")]:
        member = new_page()
        sign_in(member, email)
        open_link(member, axe, "Intervisie", exact=True)
        open_link(member, axe, "Intervisie voor de kerst")
        for fieldset in member.locator("main form fieldset").all():
            fieldset.get_by_label(answer, exact=True).check()
        member.get_by_role("button", name="Mijn antwoorden opslaan").click()
        member.locator(".alert-success").first.wait_for()
        member.context.close()

    trainer.goto(manage_url)
    assert "1 ja, 1 als het moet, 0 nee" in trainer.locator("tfoot").inner_text()
    axe.check(trainer)
    submit(trainer, axe, "Sessie plannen en iedereen uitnodigen")
    assert any("Intervisie" in m.subject for m in mail.outbox)
    axe.assert_clean()


def test_member_reads_the_method_and_the_agreements(page, axe, demo_data):
    from intervisie.models import Session

    held = (
        Session.objects.filter(group=_group_of_demo_participant(), status="held")
        .exclude(method=None)
        .exclude(agreements="")
        .order_by("starts_at")
        .first()
    )
    sign_in(page, demo.PARTICIPANT_EMAIL)
    open_link(page, axe, "Intervisie", exact=True)
    page.locator(f"main a[href='/intervisie/sessies/{held.pk}/']").first.click()
    heading_texts = page.locator("main h2").all_inner_texts()
    assert f"Methode: {held.method.name}" in heading_texts
    assert "Afspraken" in heading_texts
    assert held.method.step_list()[0] in page.locator("main").inner_text()
    axe.check(page)
    axe.assert_clean()


def test_participant_books_a_moment_and_the_coach_writes_note_and_summary(
    browser, live_server, axe, demo_data
):
    """On the demo's running trajectory: goals, booking, preparation; then the coach."""

    def new_page():
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    def saved(page):
        page.locator(".alert-success").first.wait_for()
        axe.check(page)

    member = new_page()
    sign_in(member, demo.PARTICIPANT_EMAIL)
    member.get_by_role("link", name="Mijn coaching").click()
    axe.check(member)
    member.get_by_role("link", name="Leervraag, doelen en sessies").click()
    axe.check(member)
    member.get_by_label("Nieuw doel").fill("Ik sluit elk overleg af met heldere afspraken")
    member.get_by_role("button", name="Doel toevoegen").click()
    saved(member)
    member.locator("summary", has_text="Voortgang bijwerken").last.click()
    member.get_by_label("Voortgang (%)").last.fill("20")
    member.get_by_label("Wat is er veranderd?").last.fill("Twee keer gelukt deze week")
    member.get_by_role("button", name="Voortgang opslaan").last.click()
    saved(member)
    assert "Twee keer gelukt deze week" in member.locator("main").inner_text()
    member.get_by_role("button", name="Dit moment boeken").click()
    saved(member)
    member.get_by_label("Mijn voorbereiding").fill("Ik wil het hebben over het teamoverleg.")
    member.get_by_role("button", name="Opslaan").click()
    saved(member)
    session_url = member.url
    member.context.close()

    coach_page = new_page()
    sign_in(coach_page, demo.COACH_EMAIL)
    open_link(coach_page, axe, "Coaching", exact=True)
    open_link(coach_page, axe, "Sanne de Vries")
    main_text = coach_page.locator("main").inner_text()
    assert "Ik sluit elk overleg af met heldere afspraken" in main_text
    day = timezone.localdate() + timedelta(days=24)
    coach_page.locator("#id_plan-date").fill(day.isoformat())
    coach_page.locator("#id_plan-start").fill("15:00")
    coach_page.locator("#id_plan-end").fill("16:00")
    coach_page.locator("#id_plan-location").fill("Stadskantoor Utrecht")
    coach_page.get_by_role("button", name="Plannen en uitnodigen").click()
    saved(coach_page)
    coach_page.goto(urlparse(session_url).path)
    assert "Ik wil het hebben over het teamoverleg." in coach_page.locator("main").inner_text()
    coach_page.get_by_label("Privé-aantekening").fill("Sanne wil leren nee zeggen.")
    coach_page.get_by_role("button", name="Privé-aantekening toevoegen").click()
    saved(coach_page)
    coach_page.get_by_label("Gedeelde samenvatting").fill("We oefenen met grenzen stellen.")
    coach_page.get_by_role("button", name="Samenvatting opslaan").click()
    saved(coach_page)
    assert "Sanne wil leren nee zeggen." in coach_page.locator("main").inner_text()
    open_link(coach_page, axe, "Mijn beschikbaarheid")
    axe.assert_clean()


def test_hr_starts_a_coaching_trajectory_for_a_colleague(page, axe, demo_data):
    from coaching.models import Trajectory
    from portal.models import Role, User

    colleague = (
        User.objects.with_role(Role.DEELNEMER)
        .filter(organisation__slug="gemeente-utrecht")
        .exclude(coaching_trajectories__state__in=["intake", "running"])
        .order_by("last_name")
        .first()
    )
    sign_in(page, demo.HR_UTRECHT_EMAIL)
    open_link(page, axe, "Coachtrajecten")
    page.get_by_role("link", name="Traject starten").click()
    axe.check(page)
    page.get_by_label("Deelnemer").select_option(
        label=f"{colleague.get_full_name()} (Gemeente Utrecht)"
    )
    page.get_by_label("Coach").select_option(label="Annemiek van der Linden")
    page.get_by_label("Afgesproken sessies").fill("4")
    submit(page, axe, "Traject starten")
    assert colleague.get_full_name() in page.locator("main").inner_text()
    trajectory = Trajectory.objects.get(participant=colleague, state="intake")
    assert trajectory.funded_by == Trajectory.Funding.ORGANISATION
    axe.assert_clean()


def test_a_participant_turns_off_a_reminder_on_their_profile(page, axe, demo_data):
    sign_in(page, demo.PARTICIPANT_EMAIL)
    page.goto("/profiel/")
    reflections = page.get_by_label("Herinneringen aan een reflectie die je nog moet schrijven")
    assert reflections.is_checked()
    reflections.uncheck()
    submit(page, axe, "Herinneringen opslaan")
    assert not page.get_by_label(
        "Herinneringen aan een reflectie die je nog moet schrijven"
    ).is_checked()
    assert page.get_by_label("Herinneringen vóór bijeenkomsten, intervisie en coachingsessies")
    axe.assert_clean()


def test_the_programme_office_postpones_the_removal_of_a_cohorts_personal_data(
    page, axe, demo_data
):
    from leergang import retention
    from leergang.models import Cohort

    cohort = Cohort.objects.get(name="Eerdere uitvoering Amersfoort")
    # Past the coming month: the cohort moves to the table of postponed ones.
    until = retention.due_on(cohort) + timedelta(days=60)
    sign_in(page, demo.BEHEERDER_EMAIL)
    open_link(page, axe, "Bewaartermijnen")
    section = page.get_by_role("region", name=re.compile("Eerdere uitvoering Amersfoort"))
    assert "3 deelnemers te pseudonimiseren" in section.inner_text()
    section.get_by_role("link", name=re.compile("^Uitstellen")).click()
    page.wait_for_url(at(f"/bewaartermijnen/{cohort.pk}/uitstellen/"))
    axe.check(page)
    # Without a reason: the server's message at the field (the browser's check switched off).
    page.get_by_label("Persoonsgegevens bewaren tot").fill(until.isoformat())
    page.locator("main form").first.evaluate("f => f.noValidate = true")
    page.get_by_role("button", name="Uitstellen").click()
    page.locator(".error-summary").wait_for()
    assert page.locator("#id_reason").get_attribute("aria-invalid") == "true"
    axe.check(page)
    page.get_by_label("Reden").fill("Bezwaarprocedure van een deelnemer loopt nog.")
    page.get_by_role("button", name="Uitstellen").click()
    page.wait_for_url(at("/bewaartermijnen/"))
    page.locator(".alert-success").first.wait_for()
    axe.check(page)
    postponed = page.get_by_role("table", name="Uitvoeringen waarvan de persoonsgegevens")
    assert "Bezwaarprocedure van een deelnemer loopt nog." in postponed.inner_text()
    assert "Eerdere uitvoering Amersfoort" in postponed.inner_text()
    assert retention.due_on(cohort) == until
    axe.assert_clean()


def test_the_programme_office_moves_a_person_to_another_cohort(page, axe, demo_data):
    from leergang.models import Cohort, Enrolment

    today = timezone.localdate()
    # A running enrolment whose leergang has another cohort, not ended, with a free seat.
    moves = [
        (enrolment, target)
        for enrolment in Enrolment.objects.filter(state=Enrolment.State.ENROLLED)
        .select_related("cohort", "participant")
        .order_by("pk")
        for target in Cohort.objects.filter(
            leergang=enrolment.cohort.leergang_id, ends_on__gte=today, organisation=None
        )
        .exclude(pk=enrolment.cohort_id)
        .exclude(enrolments__participant=enrolment.participant_id)
        .order_by("pk")
        if target.free_seats()
    ]
    assert moves, "the demo has nobody to move"
    enrolment, target = moves[0]
    name = enrolment.participant.get_full_name()
    sign_in(page, demo.BEHEERDER_EMAIL)
    open_link(page, axe, "Inschrijvingen", exact=True)
    page.get_by_label("Naam of e-mailadres").fill(enrolment.participant.email)
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(re.compile(r"\?"))
    axe.check(page)
    row = page.get_by_role("row").filter(has_text=enrolment.cohort.name)
    row.get_by_role("link", name=re.compile("^Verplaatsen")).click()
    page.wait_for_url(at(f"/programmabureau/inschrijvingen/{enrolment.pk}/verplaatsen/"))
    axe.check(page)
    page.get_by_label("Naar de uitvoering").select_option(str(target.pk))
    page.get_by_label("Reden (niet verplicht)").fill("Andere data passen beter bij het werk.")
    page.get_by_role("button", name="Verplaatsen").click()
    page.wait_for_url(at("/programmabureau/inschrijvingen/"))
    page.locator(".alert-success").first.wait_for()
    told = page.locator(".alert-success").first.inner_text()
    assert f"{name} is verplaatst naar" in told and target.name in told
    axe.check(page)
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.CANCELLED
    assert enrolment.moved_to.cohort == target
    axe.assert_clean()
