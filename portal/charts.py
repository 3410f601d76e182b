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
from functools import lru_cache

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.etree import etree as pygal_etree
from pygal.style import Style

# pygal builds with lxml when it is installed (it is, for openpyxl's speed); the cleaning
# below works on the standard library's ElementTree, which is plenty for a small chart.
pygal_etree.to_etree()

# pygal's tooltip data, read only by its script: per bar or dot the value, the
# coordinates and the label, and per axis label a title.
_TOOLTIP_CLASSES = {"tooltip-overlay", "tooltip"}

# Only the sizes matter here (pygal lays the chart out by them); the colours and fonts come
# from charts.css, which uses the same sizes.
_SIZES = Style(
    font_family="sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
    value_font_size=13,
    tooltip_font_size=13,
)

_COMMON = {
    "style": _SIZES,
    "disable_xml_declaration": True,
    "js": [],
    "css": [],
    "no_prefix": True,
    "show_legend": True,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 3,
    "truncate_label": 40,
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


@lru_cache(maxsize=256)
def _render(
    kind: str,
    chart_id: str,
    title: str,
    description: str,
    labels: tuple[str, ...],
    series: tuple[tuple[str, tuple], ...],
    options: tuple[tuple[str, object], ...],
) -> SafeString:
    """Draw a chart. pygal takes tens of milliseconds per chart, so a chart drawn from the
    same figures is drawn once per process: the result depends on these arguments only."""
    chart = _configured(_KINDS[kind], **dict(options))
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _svg(chart, chart_id, title, description)


_KINDS = {
    "bar": pygal.Bar,
    "horizontal": pygal.HorizontalBar,
    "stacked": pygal.StackedBar,
    "horizontal-stacked": pygal.HorizontalStackedBar,
    "line": pygal.Line,
}


# pygal does not shorten the labels of a horizontal chart; the table beside it and the
# chart's description carry the whole names.
HORIZONTAL_LABEL_LENGTH = 30


def _shortened(label: str, length: int) -> str:
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def _percent_label(value) -> str:
    return f"{value:.0f}%"


def _frozen(labels, series) -> tuple[tuple, tuple]:
    return (
        tuple(str(label) for label in labels),
        tuple((str(name), tuple(values)) for name, values in series),
    )


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
        (False, False): "bar",
        (True, False): "horizontal",
        (False, True): "stacked",
        (True, True): "horizontal-stacked",
    }[(horizontal, stacked)]
    options = {"x_label_rotation": 0 if horizontal else 20}
    if percent:
        options.update(range=(0, 100), value_formatter=_percent_label)
    if horizontal:
        # The labels take the left of the chart and the legend sits under the plot only:
        # shorter labels and two legend columns keep the legend from overlapping itself.
        options.update(height=max(180, 100 + 40 * len(labels)), legend_at_bottom_columns=2)
        labels = [_shortened(str(label), HORIZONTAL_LABEL_LENGTH) for label in labels]
    return _render(
        kind,
        chart_id,
        str(title),
        str(description),
        *_frozen(labels, series),
        tuple(sorted(options.items())),
    )


def line_chart(
    chart_id: str,
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
) -> SafeString:
    """A line per series over the labels (quarters, for example)."""
    options = {"x_label_rotation": 0, "dots_size": 4, "min_scale": 1}
    return _render(
        "line",
        chart_id,
        str(title),
        str(description),
        *_frozen(labels, series),
        tuple(sorted(options.items())),
    )
