"""Charts drawn on the server as SVG (pygal) and inlined in the page.

The Content-Security-Policy (``default-src 'self'``) forbids inline style and script, so
what pygal puts in for the browser is taken out: the ``<style>`` and ``<script>`` in
``<defs>``, every ``style=""``, the tooltip machinery (it needs pygal's script) and the
random ids (the HTML checker refuses an id twice on a page, and pages must not differ
from one request to the next). ``static/portal/charts.css`` colours the chart by pygal's
class names (``.color-0``, ``.axis``, ``.guide`` ...).

Each chart names itself to assistive technology: ``role="img"`` and ``aria-labelledby``
pointing at its ``<title>`` and ``<desc>``, the text alternative the caller writes. The
page shows the same figures in a table beside it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pygal
from django.utils.safestring import SafeString, mark_safe

# pygal's tooltip data, read only by its script: per bar or dot the value, the
# coordinates and the label, and per axis label a title.
_TOOLTIP_CLASSES = {"tooltip-overlay", "tooltip"}

_COMMON = {
    "disable_xml_declaration": True,
    "js": [],
    "css": [],
    "no_prefix": True,
    "show_legend": True,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 3,
    "truncate_label": 28,
    "truncate_legend": 40,
    "width": 800,
    "height": 420,
    "margin": 16,
    "print_values": False,
}


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _clean(element) -> None:
    """Strip, in place, what the page may not carry or does not need."""
    for child in list(element):
        tag = child.tag if isinstance(child.tag, str) else ""
        if (
            not tag  # a comment
            or tag in {"defs", "script", "style", "title", "desc"}
            or _classes(child) & _TOOLTIP_CLASSES
        ):
            element.remove(child)
            continue
        for name in ("style", "id", "onload", "onclick"):
            child.attrib.pop(name, None)
        if "class" in child.attrib:
            kept = _classes(child) - {"tooltip-trigger", "reactive", "activate-serie"}
            child.set("class", " ".join(sorted(kept)))
            if not kept:
                del child.attrib["class"]
        _clean(child)


def _svg(chart, chart_id: str, title: str, description: str) -> SafeString:
    root = chart.render_tree()
    _clean(root)
    root.attrib.pop("style", None)
    root.set("id", chart_id)
    root.set("class", "pygal-chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_element = ET.Element("title", {"id": f"{chart_id}-title"})
    title_element.text = title
    desc_element = ET.Element("desc", {"id": f"{chart_id}-desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    # ElementTree escapes text and attribute values; the labels are ours and the people's
    # names never reach a chart.
    return mark_safe(ET.tostring(root, encoding="unicode", short_empty_elements=False))


def _configured(chart_class, **options):
    return chart_class(**{**_COMMON, **options})


def bar_chart(
    chart_id: str,
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    horizontal: bool = False,
    stacked: bool = False,
    percent: bool = False,
) -> SafeString:
    """Bars per label, one colour per series; ``percent`` fixes the scale at 0-100."""
    kind = {
        (False, False): pygal.Bar,
        (True, False): pygal.HorizontalBar,
        (False, True): pygal.StackedBar,
        (True, True): pygal.HorizontalStackedBar,
    }[(horizontal, stacked)]
    options = {"x_label_rotation": 0 if horizontal else 20}
    if percent:
        options.update(range=(0, 100), value_formatter=lambda v: f"{v:.0f}%")
    if horizontal:
        options.update(height=max(160, 60 + 44 * len(labels)))
    chart = _configured(kind, **options)
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), list(values))
    return _svg(chart, chart_id, title, description)


def line_chart(
    chart_id: str,
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
) -> SafeString:
    """A line per series over the labels (quarters, for example)."""
    chart = _configured(pygal.Line, x_label_rotation=0, dots_size=4, min_scale=1)
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), list(values))
    return _svg(chart, chart_id, title, description)
