"""Charts drawn on the server as SVG (pygal) and shown as images of the portal's own.

What pygal puts in for a browser is taken out: the ``<style>`` and ``<script>`` in
``<defs>``, every ``style=""``, the tooltip machinery (it needs pygal's script) and the
random ids (a chart must not differ from one request to the next). The colours are set
as SVG presentation attributes by pygal's class names (``_paint``), so the image needs no
stylesheet and the Content-Security-Policy stays ``default-src 'self'``.

A page does not inline the SVG: it ``publish``es it to the cache and shows
``<img src alt>`` (``PublishedChart``), served by ``portal:chart`` to the chart's audience
only. Inline, the chart's labels would be text of the page whose contrast no checker can
decide (their background is an image); as an image the chart is one thing with one text
alternative, the caller's sentence of its figures, and the page shows the same figures in
a table beside it. The SVG still names itself (``role="img"``, ``<title>``, ``<desc>``)
for whoever opens it on its own.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pygal
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import format_html
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
    """Strip, in place, what the image does not need: pygal's style, script, tooltips,
    comments and random ids."""
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


# Portal blue, orange, green, purple, red, grey: each at least 4.5:1 on white (WCAG 1.4.11
# asks 3:1 of graphics); stacked segments are parted by a white line.
SERIES_COLOURS = ["#154273", "#b45309", "#15803d", "#7e22ce", "#b91c1c", "#4b5563"]
TEXT_COLOUR = "#212529"
AXIS_COLOUR = "#495057"
GUIDE_COLOUR = "#ced4da"
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'


def _paint(element, *, axis: str = "", horizontal: bool = False, bar: bool = False) -> None:
    """Colour the chart with SVG presentation attributes (``fill="..."``), which are not
    style: the image carries no ``<style>`` for any Content-Security-Policy to refuse, and
    needs no stylesheet of the page. The rules are pygal's own class names."""
    classes = _classes(element)
    tag = element.tag
    if "axis" in classes:
        axis = "x" if "x" in classes else "y" if "y" in classes else axis
    horizontal = horizontal or "horizontal" in classes
    bar = bar or "bar" in classes
    attributes = {}
    for name in classes:
        if name.startswith("color-") and name[6:].isdigit():
            colour = SERIES_COLOURS[int(name[6:]) % len(SERIES_COLOURS)]
            attributes.update(fill=colour, stroke=colour)
    if tag == "text":
        attributes.update({"fill": TEXT_COLOUR, "font-size": "13"})
        if axis == "y":
            attributes["text-anchor"] = "end"
        elif axis == "x":
            rotated = "transform" in element.attrib and not horizontal
            attributes["text-anchor"] = "start" if rotated else "middle"
    if "background" in classes:
        attributes["fill"] = "#ffffff"
    if "line" in classes:
        if "guide" in classes:
            attributes.update({"fill": "none", "stroke": GUIDE_COLOUR, "stroke-dasharray": "4 4"})
        elif axis:
            attributes.update({"stroke": AXIS_COLOUR, "stroke-width": "1"})
    if "nofill" in classes:
        attributes["fill"] = "none"
        if "line" in classes:
            attributes["stroke-width"] = "3"
    if tag == "rect" and bar:
        attributes.update({"stroke": "#ffffff", "stroke-width": "1"})
    for name, value in attributes.items():
        element.set(name, value)
    element.attrib.pop("class", None)
    for child in element:
        _paint(child, axis=axis, horizontal=horizontal, bar=bar)


def _svg(chart, chart_id: str, title: str, description: str) -> str:
    """The chart as a standalone SVG document, the image a page links to."""
    root = chart.render_tree()
    _clean(root)
    root.attrib.pop("style", None)
    for child in root:
        _paint(child)
    root.attrib.pop("class", None)
    root.set("id", chart_id)
    root.set("font-family", FONT_FAMILY)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_element = ET.Element("title", {"id": f"{chart_id}-title"})
    title_element.text = title
    desc_element = ET.Element("desc", {"id": f"{chart_id}-desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    # ElementTree escapes text and attribute values.
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


@dataclass(frozen=True)
class Chart:
    """A drawn chart: the SVG document and what a page says of it in words."""

    chart_id: str
    title: str
    description: str
    svg: str
    width: int
    height: int

    def __str__(self):
        return self.svg

    @property
    def alternative(self) -> str:
        """The image's text alternative: the title and the figures in a sentence."""
        return f"{self.title}. {self.description}"


# Who may see a published chart: "kind:value" -> a rule on the user. A chart holds only
# aggregate figures, but those are still one organisation's and nobody else's.
AUDIENCES: dict[str, Callable] = {
    "organisation": lambda user, value: user.is_hr and str(user.organisation_id) == value,
    # The programme office's report: figures across every organisation, for the office only.
    "office": lambda user, value: user.is_beheerder,
}

# How long a page's charts stay in the cache; the page draws them anew whenever it is shown.
PUBLISHED_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class PublishedChart:
    """A chart a page shows as ``<img>``: the page's text nodes never sit inside an SVG,
    where no contrast checker can find their background, and the image carries its
    colours as presentation attributes, so no policy has to allow inline style."""

    chart: Chart
    key: str

    @property
    def url(self) -> str:
        return reverse("portal:chart", kwargs={"key": self.key})

    def __str__(self):
        return format_html(
            '<img class="chart-image" src="{}" alt="{}" width="{}" height="{}">',
            self.url,
            self.chart.alternative,
            self.chart.width,
            self.chart.height,
        )


def publish(chart: Chart | None, *, audience: str) -> PublishedChart | None:
    """Keep the chart where ``portal:chart`` serves it to ``audience`` ("organisation:12")
    only; its address is a hash of both, so it changes when the figures do."""
    if chart is None:
        return None
    if audience.split(":", 1)[0] not in AUDIENCES:
        raise ValueError(f"No audience rule for {audience!r}")
    key = hashlib.sha256(f"{audience}\n{chart.svg}".encode()).hexdigest()[:32]
    cache.set(f"chart:{key}", (audience, chart.svg), PUBLISHED_SECONDS)
    return PublishedChart(chart, key)


def published_svg(user, key: str) -> str | None:
    """The SVG of a published chart, when ``user`` belongs to its audience."""
    found = cache.get(f"chart:{key}")
    if not found:
        return None
    audience, svg = found
    kind, _sep, value = audience.partition(":")
    return svg if AUDIENCES[kind](user, value) else None


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
) -> Chart:
    """Draw a chart. pygal takes tens of milliseconds per chart, so a chart drawn from the
    same figures is drawn once per process: the result depends on these arguments only."""
    chart = _configured(_KINDS[kind], **dict(options))
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    svg = _svg(chart, chart_id, title, description)
    width, height = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()
    return Chart(chart_id, title, description, svg, round(float(width)), round(float(height)))


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
) -> Chart:
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
) -> Chart:
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
