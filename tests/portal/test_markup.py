"""Markup the browser suite's checkers found wrong, pinned down without a browser."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from coaching import services as coaching_services
from intervisie.forms import SuggestForm
from leergang import services as leergang_services
from leergang.forms import ReflectionForm
from portal.forms import InvitationCsvForm
from tests.factories import CohortFactory, EnrolmentFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db
BUTTON_STYLES = {
    f"btn-{outline}{colour}"
    for outline in ("", "outline-")
    for colour in ("primary", "secondary", "success", "danger", "warning", "info", "light")
    + ("dark", "link")
}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _tags(html: str):
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _button_styles(html: str) -> list[set[str]]:
    return [
        set((dict(attrs).get("class") or "").split()) & BUTTON_STYLES
        for _tag, attrs in _tags(html)
        if "btn" in (dict(attrs).get("class") or "").split()
    ]


def _duplicate_ids(html: str) -> list[str]:
    ids = Counter(dict(attrs)["id"] for _tag, attrs in _tags(html) if dict(attrs).get("id"))
    return [value for value, count in ids.items() if count > 1]


def test_outline_buttons_do_not_also_carry_btn_primary():
    buttons = [
        set(ReflectionForm().helper.inputs[0].field_classes.split()) & BUTTON_STYLES,
        set(SuggestForm().helper.inputs[0].field_classes.split()) & BUTTON_STYLES,
    ]
    assert buttons == [{"btn-outline-primary"}, {"btn-outline-primary"}]


def test_reflection_page_buttons_carry_one_style_each(client, participant):
    enrolment = EnrolmentFactory(participant=participant)
    module = enrolment.cohort.leergang.module_links.first().module
    client.force_login(participant)
    html = client.get(
        reverse("leergang:reflection-edit", args=[enrolment.pk, module.slug])
    ).content.decode()
    styles = _button_styles(html)
    assert {"btn-outline-primary"} in styles  # "Concept opslaan"
    assert all(len(style) == 1 for style in styles), styles


def test_suggest_groups_button_carries_one_style(client, trainer):
    cohort = CohortFactory(trainers=[trainer], participants=4)
    client.force_login(trainer)
    html = client.get(reverse("intervisie:cohort-groups", args=[cohort.pk])).content.decode()
    assert "Groepen voorstellen" in html
    assert all(len(style) == 1 for style in _button_styles(html))


def test_page_with_several_forms_gives_each_submit_button_its_own_id(client, participant):
    trajectory = TrajectoryFactory(participant=participant)
    for description in ["Ik zeg vaker nee", "Ik vraag eerst door"]:
        coaching_services.goal_add(trajectory=trajectory, description=description, by=participant)
    client.force_login(participant)
    html = client.get(reverse("coaching:trajectory", args=[trajectory.pk])).content.decode()
    assert html.count('type="submit"') >= 4
    assert _duplicate_ids(html) == []


def test_file_upload_form_states_its_enctype_once(client, hr):
    client.force_login(hr)
    html = client.get(reverse("portal:invitation-import")).content.decode()
    forms = [attrs for tag, attrs in _tags(html) if tag == "form"]
    upload = [attrs for attrs in forms if ("enctype", "multipart/form-data") in attrs]
    assert len(upload) == 1
    assert [name for name, _value in upload[0]].count("enctype") == 1
    assert InvitationCsvForm().is_multipart()


def test_trainer_matrix_says_each_mark_in_hidden_text_not_in_span_aria_labels(
    client, trainer, clock
):
    cohort = CohortFactory(trainers=[trainer], bijeenkomsten=2, participants=2)
    clock.travel(days=60)  # attendance is recorded once a bijeenkomst has started
    first, second = cohort.enrolments.order_by("pk")
    leergang_services.attendance_record(
        bijeenkomst=cohort.bijeenkomsten.order_by("starts_at").first(),
        by=trainer,
        entries={first.pk: ("present", ""), second.pk: ("absent", "")},
    )
    client.force_login(trainer)
    html = client.get(reverse("leergang:cohort-manage", args=[cohort.pk])).content.decode()
    spans = [dict(attrs) for tag, attrs in _tags(html) if tag == "span"]
    assert not [span for span in spans if "aria-label" in span]
    assert '<span class="visually-hidden">aanwezig</span>' in html
    assert '<span class="visually-hidden">afwezig</span>' in html
