"""Formsets build only as many forms as they may hold.

A formset trusts TOTAL_FORMS to decide how many forms to build; Django's own cap
(``absolute_max``) is a thousand more than ``max_num``, so one forged number keeps
a worker busy for seconds. Every formset here states its ``max_num`` and builds
no more than that.
"""

from __future__ import annotations


class BoundedInlineMixin:
    """For admin inlines: at most ``max_num`` rows, and more is a form error, not work."""

    max_num = 100  # far above any real cohort, module or leergang

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.get_max_num(request, obj, **kwargs) or self.max_num)
        kwargs.setdefault("validate_max", True)
        return super().get_formset(request, obj, **kwargs)
