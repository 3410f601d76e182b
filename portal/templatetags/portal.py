"""Template tags every app's pages share: ``{% load portal %}``."""

from django import template
from django.template.loader import render_to_string

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
