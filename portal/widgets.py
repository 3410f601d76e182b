"""Widgets of the portal's own."""

from __future__ import annotations

import html
from datetime import date

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _escape(value) -> str:
    """``conditional_escape`` without its lazy-string wrapper, which cost more than the
    escaping itself for a few hundred options: the same text."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """``attrs`` as Django's ``attrs.html`` writes them: ``True`` as a bare name, ``False``
    left out, anything else escaped."""
    return "".join(
        f" {name}" if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """A ``<select>`` whose options are written in Python, to the same HTML as Django's.

    Django renders every ``<option>`` through a template include: a filter over a few
    hundred cohorts spent ~11 ms on its options alone. The class keeps its name, so crispy
    still marks it ``select form-select``.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        values = set(self.format_value(value))
        parts = [format_html('<select name="{}"', name), _attrs(attrs), ">"]
        has_selected = False
        for group_value, group_label in self.choices:
            # As ChoiceWidget.optgroups: a choice without a value is "", and a single select
            # marks only the first option of the value selected.
            if group_value is None:
                group_value = ""
            if isinstance(group_label, list | tuple):
                group_name, options = group_value, group_label
                if group_name:
                    parts.append(format_html('\n  <optgroup label="{}">', group_name))
            else:
                group_name, options = None, [(group_value, group_label)]
            for option_value, label in options:
                text = str(option_value)
                selected = (not has_selected or self.allow_multiple_selected) and text in values
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{_escape(text)}"'
                    f"{' selected' if selected else ''}>{_escape(label)}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # Every part is escaped above: format_html, _attrs or _escape (B308, B703).
        return mark_safe("".join(parts))  # nosec B308 B703 # escaped above


class DateInput(forms.DateInput):
    """``<input type="date">``, empty rather than holding what is no date (``?since=x`` in
    the address): such a value is invalid HTML, and the field's error says what was wrong."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value):
        value = super().format_value(value)
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            return None
        return value
