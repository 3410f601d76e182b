"""Template tags every app's pages share: ``{% load portal %}``."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.widgets import Input
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from portal import access

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


# The classes crispy's Bootstrap 5 pack gives a widget, by its input type.
_CONTROL_CLASSES = {"select": "select form-select", "checkbox": "checkboxinput form-check-input"}


@register.simple_tag
def filter_field(field):
    """One field of a list's filter form, in the markup crispy's Bootstrap 5 pack writes
    (label, widget, errors tied to it by ``aria-describedby``, help text), written in
    Python: crispy's nested templates took about a millisecond per field, on pages whose
    whole budget is a few times that. Filter fields are selects, checkboxes and one-line
    inputs; anything else still goes through crispy."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        kind = "select"
    elif isinstance(widget, Input) and not isinstance(widget, forms.FileInput):
        kind = widget.input_type
    else:
        return as_crispy_field(field)
    attrs = {"class": _CONTROL_CLASSES.get(kind, f"{kind}input form-control")}
    errors = ""
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = (
            f"{field.auto_id}_helptext {field.auto_id}_error"
            if field.help_text
            else f"{field.auto_id}_error"
        )
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            # Help text is the form's own markup, as in Django's and crispy's templates: every
            # form sets it from a literal or its translation, never from data (B308, B703).
            mark_safe(field.help_text),  # nosec B308 B703 # the form's own text
        )
        if field.help_text
        else ""
    )
    control = field.as_widget(attrs=attrs)
    if kind == "checkbox":
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            field.auto_id,
            control,
            field.id_for_label,
            field.label,
            errors,
            help_text,
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        control,
        errors,
        help_text,
    )
