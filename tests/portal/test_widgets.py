"""portal.widgets.Select: options written in Python, to the HTML Django's own Select writes."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from portal.widgets import Select

FLAT = [("", "---------"), (1, "Urban Professional: Voorjaar"), ("2", 'Tom & "Jerry" <b>')]
GROUPED = [
    ("", "All"),
    ("Omgevings<professional>", [(3, "Najaar"), (4, "Voorjaar & zomer")]),
    ("Urban Professional", [(5, "Najaar")]),
    (None, "No cohort"),
]


def _both(choices, value, attrs=None):
    ours = Select(choices=choices).render("cohort", value, attrs)
    django = forms.Select(choices=choices).render("cohort", value, attrs)
    return ours, django


@pytest.mark.parametrize("choices", [FLAT, GROUPED, []])
@pytest.mark.parametrize("value", [None, "", 1, "2", "4", "nonsense"])
def test_the_html_is_the_html_of_djangos_select(choices, value):
    ours, django = _both(choices, value, {"id": "id_cohort", "class": "form-select"})
    assert ours == django


def test_the_chosen_option_is_selected_and_only_that_one():
    html = Select(choices=FLAT).render("cohort", 1)
    assert '<option value="1" selected>Urban Professional: Voorjaar</option>' in html
    assert html.count(" selected") == 1
    # A value offered twice: a single select marks the first only, as Django does.
    twice = [(7, "first"), (7, "second")]
    assert _both(twice, 7)[0] == _both(twice, 7)[1]
    assert Select(choices=twice).render("x", 7).count(" selected") == 1


def test_labels_values_and_group_names_are_escaped():
    html = Select(choices=[*FLAT, ('"><script>', "x")]).render("cohort", None)
    assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;" in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html
    assert "<b>" not in html and "<script>" not in html
    html = Select(choices=GROUPED).render("cohort", None)
    assert '<optgroup label="Omgevings&lt;professional&gt;">' in html
    # A label already marked safe is written as it is, as Django's template does.
    assert "<i>x</i>" in Select(choices=[(1, mark_safe("<i>x</i>"))]).render("c", None)


def test_optgroups_hold_their_options_and_the_selected_one():
    html = Select(choices=GROUPED).render("cohort", 4)
    group = html[html.index("<optgroup") : html.index("</optgroup>")]
    assert '<option value="3">Najaar</option>' in group
    assert '<option value="4" selected>Voorjaar &amp; zomer</option>' in group
    assert html.count("<optgroup") == html.count("</optgroup>") == 2
    assert '<option value="">No cohort</option>' in html


def test_attributes_true_bare_false_left_out_and_lazy_labels_translated():
    html = Select(choices=[(1, gettext_lazy("All"))]).render(
        "cohort", None, {"required": True, "disabled": False, "aria-describedby": 'a"b'}
    )
    assert html.startswith('<select name="cohort" required aria-describedby="a&quot;b">')
    assert "disabled" not in html
    with override("nl"):
        assert ">Alle</option>" in Select(choices=[(1, gettext_lazy("All"))]).render("c", None)


def test_a_form_field_renders_with_its_errors_and_bound_value():
    class Form(forms.Form):
        cohort = forms.ChoiceField(choices=FLAT, widget=Select)

    form = Form({"cohort": "2"})
    assert form.is_valid()
    assert '<option value="2" selected>' in str(form["cohort"])
    assert 'id="id_cohort"' in str(form["cohort"])


def test_a_date_input_holds_a_date_or_nothing():
    from datetime import date

    from portal.widgets import DateInput

    widget = DateInput()
    assert widget.format_value(date(2026, 12, 3)) == "2026-12-03"
    assert widget.format_value("2026-12-03") == "2026-12-03"
    for not_a_date in ("31-02-2026", "gisteren", "", None):
        assert widget.format_value(not_a_date) is None
    assert 'type="date"' in widget.render("since", "gisteren")
    assert "gisteren" not in widget.render("since", "gisteren")
