from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from portal.formsets import BoundedInlineMixin
from portal.models import (
    Invitation,
    Notification,
    Organisation,
    User,
    UserRole,
    validate_roles_for_organisation,
)

# Roles, not groups, decide what people may do; groups would be a second system.
admin.site.unregister(Group)
admin.site.site_header = _("Learning portal: programme office")
admin.site.site_title = _("Learning portal")
admin.site.index_title = _("Administration")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class RoleFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        roles = [
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
        ]
        organisation_id = self.data.get("organisation") or None
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        try:
            validate_roles_for_organisation(roles, organisation)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class UserRoleInline(BoundedInlineMixin, admin.TabularInline):
    model = UserRole
    formset = RoleFormSet
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation__kind", "role_rows__role", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [UserRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "job_title", "preferred_language"]}),
        (_("Organisation"), {"fields": ["organisation", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    "first_name",
                    "last_name",
                    "organisation",
                    "password1",
                    "password2",
                ]
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    search_fields = ["email", "first_name", "last_name"]
    exclude = ["token"]
    readonly_fields = ["invited_by", "accepted_user", "accepted_at", "created_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read-only: for finding out why somebody got no e-mail."""

    list_display = ["kind", "email", "created_at", "sent_at", "attempts"]
    list_filter = ["kind"]
    search_fields = ["email"]
    fields = ["kind", "email", "created_at", "claimed_at", "sent_at", "attempts", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
