"""portal.charts: SVG a page under ``default-src 'self'`` can carry, the same every time."""

import re
import xml.etree.ElementTree as ET

import pytest

from portal import charts


def _charts():
    return [
        charts.bar_chart(
            "chart-a",
            title="Aanwezigheid",
            description="Bijeenkomst 1: 80%.",
            labels=["Bijeenkomst 1", "Bijeenkomst 2"],
            series=[("Aanwezig (%)", [80, 50])],
            percent=True,
        ),
        charts.bar_chart(
            "chart-b",
            title="Status",
            description="Voorjaar: 2 ingeschreven.",
            labels=["Voorjaar", "Najaar"],
            series=[("Ingeschreven", [2, 0]), ("Afgerond", [1, 3])],
            horizontal=True,
            stacked=True,
        ),
        charts.line_chart(
            "chart-c",
            title="Trend",
            description="2026 K1: 3.",
            labels=["2026 K1", "2026 K2"],
            series=[("Inschrijvingen", [3, 4]), ("Afgerond", [0, 1])],
        ),
    ]


@pytest.mark.parametrize("index", range(3))
def test_a_chart_has_no_style_script_tooltip_or_stray_id(index):
    svg = str(_charts()[index])
    root = ET.fromstring(svg)
    chart_id = root.get("id")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert [child.tag.split("}")[-1] for child in root][:2] == ["title", "desc"]
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        assert tag not in {"style", "script", "defs"}
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert "tooltip" not in element.get("class", "")
    assert re.findall(r'\sid="([^"]+)"', svg) == [chart_id, f"{chart_id}-title", f"{chart_id}-desc"]
    assert "<!--" not in svg


def test_the_same_figures_give_the_same_chart():
    first = [str(chart) for chart in _charts()]
    charts._render.cache_clear()
    assert [str(chart) for chart in _charts()] == first


def test_labels_are_escaped():
    svg = str(
        charts.bar_chart(
            "chart-x",
            title="<b>",
            description="a & b",
            labels=["<script>alert(1)</script>"],
            series=[("x", [1])],
        )
    )
    assert "<script>" not in svg and "&lt;b&gt;" in svg and "a &amp; b" in svg
