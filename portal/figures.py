"""Shapes the figure pages share (HR's dashboard, the programme report)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext


@dataclass
class Rate:
    """``part`` out of ``whole``, as the pages show it ("12 van 15 (80%)")."""

    part: int = 0
    whole: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.part / self.whole) if self.whole else None

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.part + other.part, self.whole + other.whole)

    def __str__(self):
        if not self.whole:
            return "–"
        return gettext("%(part)s of %(whole)s (%(percent)s%%)") % {
            "part": self.part,
            "whole": self.whole,
            "percent": self.percent,
        }
