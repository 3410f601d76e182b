"""Template tags every app's pages share: ``{% load portal %}``."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from portal import access
from portal.widgets import Select

register = template.Library()


@register.simple_tag
def breadcrumbs(*items):
    """The trail above a page: label, url, label, url, ..., and last the page's own label.

    {% url 'intervisie:trainer-overview' as overview_url %}
    {% breadcrumbs _("Intervisie") overview_url group.name %}
    """
    if len(items) % 2 != 1:
        raise template.TemplateSyntaxError(
            "breadcrumbs takes label, url pairs and the current page's label last"
        )
    links = [(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
    return render_to_string("_breadcrumbs.html", {"links": links, "current": items[-1]})


@register.simple_tag
def may(user, action, obj):
    """Whether ``user`` may do ``action`` to ``obj``: the policy's answer, so a page offers
    exactly what the view behind the button allows.

    {% may user "cancel" enrolment as can_cancel %}{% if can_cancel %}...{% endif %}
    """
    return access.may(user, action, obj)


@register.filter
def moment(value: str, format_string: str = "l j F Y, H:i") -> str:
    """A moment kept as ISO 8601 text (an outbox row's details), written out in local time."""
    from django.template.defaultfilters import date
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    return date(timezone.localtime(parse_datetime(value)), format_string) if value else ""


@register.inclusion_tag("_sort_header.html", takes_context=True)
def sort_header(context, filterset, field, label):
    """A column header that sorts the list by ``field`` (a name of the filter set's ``sort``
    choices): ascending first, descending on the second click, with ``aria-sort`` telling
    a screen reader how the list is sorted now. The link keeps the filters and goes back
    to the first page."""
    if field not in filterset.filters["sort"].param_map:
        raise template.TemplateSyntaxError(
            f"{type(filterset).__name__} cannot sort by {field!r}: add it to its sort_filter"
        )
    current = filterset.current_sort
    if current == field:
        state, next_value = "ascending", f"-{field}"
    elif current == f"-{field}":
        state, next_value = "descending", field
    else:
        state, next_value = "none", field
    params = context.request.GET.copy()
    params.pop("page", None)
    params["sort"] = next_value
    return {"label": label, "state": state, "query": params.urlencode()}


# The widgets list_filter_field writes itself, with the class crispy's bootstrap5 pack gives.
_FILTER_WIDGET_CLASSES = {
    forms.TextInput: "textinput form-control",
    forms.DateInput: "dateinput form-control",
    forms.Select: "select form-select",
    Select: "select form-select",
}


@register.filter
def list_filter_field(field):
    """A list filter's field as ``{{ field|as_crispy_field }}`` writes it, the same elements,
    classes and aria attributes, for a text, date or select input without a help text of
    its own; any other field is crispy's. crispy's templates cost ~1 ms a field, a fifth of
    a list page."""
    widget = field.field.widget
    css_class = _FILTER_WIDGET_CLASSES.get(type(widget))
    if (
        css_class is None
        or not (field.label and field.auto_id)
        or field.help_text
        or field.field.required
        or {"class", "aria-describedby"} & widget.attrs.keys()
    ):
        return as_crispy_field(field)
    errors = field.errors
    attrs = {"class": css_class}
    if errors:
        attrs = {
            "class": f"{css_class} is-invalid",
            "aria-invalid": "true",
            "aria-describedby": f"{field.auto_id}_error",
        }
    parts = [
        format_html(
            '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>',
            field.auto_id,
            field.id_for_label,
            field.label,
        ),
        field.as_widget(attrs=attrs),
    ]
    if errors:
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">', field.auto_id))
        parts.extend(
            format_html('<p id="error_{}_{}"><strong>{}</strong></p>', number, field.auto_id, error)
            for number, error in enumerate(errors, start=1)
        )
        parts.append("</div>")
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped or a widget's HTML)
