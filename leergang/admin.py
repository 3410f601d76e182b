from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from leergang import interest, services
from leergang.models import (
    Bijeenkomst,
    Cohort,
    Enrolment,
    EnrolmentTransition,
    Leergang,
    LeergangModule,
    Material,
    Module,
)
from portal.admin import StateChangeInline, act_on_each
from portal.formsets import BoundedInlineMixin
from portal.models import Role, User

# Reflections (leerlog) are not in the admin: they are the participant's own.


# Links typed without a scheme are https (and Django 6 will say so too).
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


class MaterialInline(BoundedInlineMixin, admin.StackedInline):
    model = Material
    extra = 0
    formfield_overrides = HTTPS_LINKS


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "summary"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MaterialInline]


class LeergangModuleInline(BoundedInlineMixin, admin.TabularInline):
    model = LeergangModule
    extra = 1
    autocomplete_fields = ["module"]


@admin.register(Leergang)
class LeergangAdmin(admin.ModelAdmin):
    list_display = ["title", "duration", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LeergangModuleInline]


class BijeenkomstFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            deleting = getattr(form, "cleaned_data", {}).get("DELETE")
            if deleting and form.instance.pk and form.instance.attendances.exists():
                raise ValidationError(
                    _(
                        "%(bijeenkomst)s has recorded attendance, which counts toward "
                        "completion: it cannot be deleted."
                    )
                    % {"bijeenkomst": form.instance}
                )


class BijeenkomstInline(BoundedInlineMixin, admin.TabularInline):
    model = Bijeenkomst
    formset = BijeenkomstFormSet
    extra = 1
    formfield_overrides = HTTPS_LINKS
    fields = ["title", "module", "starts_at", "ends_at", "location", "online_url"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "leergang",
        "starts_on",
        "ends_on",
        "seats",
        "organisation",
        "requires_approval",
    ]
    list_filter = ["leergang", "requires_approval"]
    list_select_related = ["leergang", "organisation"]
    search_fields = ["name", "leergang__title"]
    filter_horizontal = ["trainers"]
    inlines = [BijeenkomstInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "trainers":
            kwargs["queryset"] = User.objects.with_role(Role.TRAINER)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            # A new cohort: the interest list hears of it first (``leergang.interest``).
            told = interest.cohort_open_to_interest(cohort=form.instance)
            if told:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s person on the interest list has been told.",
                        "%(count)s people on the interest list have been told.",
                        told,
                    )
                    % {"count": told},
                )
        # More seats: the waiting list moves up at once.
        promoted = services.cohort_seats_changed(cohort=form.instance)
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)s person moved up from the waiting list.",
                    "%(count)s people moved up from the waiting list.",
                    len(promoted),
                )
                % {"count": len(promoted)},
            )


class TransitionInline(StateChangeInline):
    model = EnrolmentTransition


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    """States change only through the services (audit row, waiting list, e-mail)."""

    list_display = ["participant", "cohort", "state", "created_at"]
    list_filter = ["state", "cohort__leergang"]
    list_select_related = ["participant", "cohort__leergang"]
    search_fields = ["participant__email", "participant__last_name", "cohort__name"]
    readonly_fields = [
        "cohort",
        "participant",
        "state",
        "created_at",
        "waitlisted_at",
        "decision_reason",
        "completed_at",
        "certificate_code",
        # An offered seat's deadline is the service's (leergang.offers): its expiry and
        # reminder run from it.
        "offer_expires_at",
    ]
    inlines = [TransitionInline]
    actions = ["cancel_enrolments"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would free the seat without the audit row or the waiting list: cancel.
        return False

    @admin.action(description=_("Cancel the selected enrolments"))
    def cancel_enrolments(self, request, queryset):
        reason = str(_("Cancelled by the programme office"))
        act_on_each(
            self,
            request,
            queryset,
            lambda enrolment: services.enrolment_cancel(
                enrolment=enrolment, by=request.user, reason=reason
            ),
            done=ngettext_lazy(
                "%(count)s enrolment cancelled.", "%(count)s enrolments cancelled.", "count"
            ),
        )
