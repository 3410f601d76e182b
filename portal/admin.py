from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from allauth.usersessions.models import UserSession
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy

from portal import mfa, services
from portal.formsets import BoundedInlineMixin
from portal.models import (
    Invitation,
    InvitationImport,
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

# Column captions of the admin's app list (read by screen readers), which Django 5.2 does
# not translate into Dutch: named here so `make messages` keeps our translation of them.
ADMIN_APP_LIST_CAPTIONS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)

# The admin changes nothing that has a service except through that service (audit rows,
# e-mail, the waiting list): such fields are read-only here and change through actions.


class ReadOnlyAdminMixin:
    """Shown, never changed, added or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def act_on_each(modeladmin, request, queryset, act, *, done) -> None:
    """A bulk action that goes through a service row by row: a refusal (ValidationError) is
    told for its row and the rest go on. ``done`` says how many went through: an
    ``ngettext_lazy(singular, plural, "count")``."""
    count = 0
    for obj in queryset:
        try:
            act(obj)
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.WARNING)
        else:
            count += 1
    modeladmin.message_user(request, done % {"count": count})


class StateChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An audit trail (a ``StateChange`` subclass, named as ``model``) under what it records."""

    extra = 0
    fields = ["at", "from_state", "to_state", "by", "reason"]
    readonly_fields = fields
    can_delete = False


# allauth's own admins of second factors (TOTP secrets), sessions (their keys sign in) and
# social accounts, tokens and apps (tokens sign in; identity providers are configured as
# sso.IdentityProvider): the programme office has no business in them, and the portal's
# pages and services are the only way to change them.
for model in (Authenticator, UserSession, SocialApp, SocialToken, SocialAccount):
    admin.site.unregister(model)

# Addresses change through allauth's own e-mail change (with confirmation), never by hand.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(ReadOnlyAdminMixin, AllauthEmailAddressAdmin):
    actions = None


def admin_login(request, extra_context=None):
    """The admin has no login of its own: the portal's login, with its rate limits.

    Django's admin login would be a side door without allauth's limits on failed
    attempts. Signed-in people without admin access get a 403, not a redirect
    back to the login (which would send them round in a loop).
    """
    next_url = request.GET.get("next", "")
    # Only a path of this site: a bare word would be taken for a URL name by redirect().
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if admin.site.has_permission(request):
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


admin.site.login = admin_login


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
    """Edited here, saved by ``user_set_roles`` (UserAdmin.save_formset)."""

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
    actions = ["reset_second_factor"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "job_title", "preferred_language"]}),
        (_("Organisation"), {"fields": ["organisation", "department", "is_active"]}),
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

    def get_readonly_fields(self, request, obj=None):
        # An address changes through allauth's confirmed e-mail change: changed here, the old
        # address would keep its allauth row and could still reset the password.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "email"] if obj else fields

    def get_actions(self, request):
        # A bulk delete would skip the per-person check below.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Have them set up two-factor authentication again"))
    def reset_second_factor(self, request, queryset):
        """For someone who lost their phone and their recovery codes: their factors go,
        their sessions end, and at their next sign-in they set up a new one."""
        people = list(queryset)
        for person in people:
            mfa.second_factor_reset(person, by=request.user, request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d person sets up two-factor authentication again at their next sign-in.",
                "%(count)d people set up two-factor authentication again at their next sign-in.",
                len(people),
            )
            % {"count": len(people)},
        )

    def has_delete_permission(self, request, obj=None):
        # Deleting a participant would drop their enrolments without freeing the seat to the
        # waiting list, and their trajectories without a word: switch "active" off instead.
        if obj is not None and (
            obj.enrolments.exists() or obj.coaching_trajectories.exists() or obj.coachees.exists()
        ):
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not UserRole:
            return super().save_formset(request, form, formset, change)
        roles = {
            row.cleaned_data["role"]
            for row in formset.forms
            if row.cleaned_data.get("role") and not row.cleaned_data.get("DELETE")
        }
        services.user_set_roles(user=form.instance, roles=roles)
        # The change message reads what the formset saved; the service saved it instead.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def _if_open(service):
    """Used or withdrawn invitations stay as they are."""

    def act(invitation):
        if not invitation.is_open:
            raise ValidationError(_("this invitation was used or withdrawn."))
        service(invitation=invitation)

    return act


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made, revoked and resent by the services, which send the e-mail."""

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
    actions = ["revoke_invitations", "resend_invitations"]

    def add_view(self, request, form_url="", extra_context=None):
        # The portal's invitation page validates the roles and sends the e-mail.
        return redirect("portal:invitation-create")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Withdraw the selected invitations"))
    def revoke_invitations(self, request, queryset):
        act_on_each(
            self,
            request,
            queryset,
            _if_open(services.invitation_revoke),
            done=ngettext_lazy(
                "%(count)s invitation withdrawn.", "%(count)s invitations withdrawn.", "count"
            ),
        )

    @admin.action(description=_("Send the selected invitations again"))
    def resend_invitations(self, request, queryset):
        act_on_each(
            self,
            request,
            queryset,
            _if_open(services.invitation_resend),
            done=ngettext_lazy(
                "%(count)s invitation sent again.", "%(count)s invitations sent again.", "count"
            ),
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read-only: for finding out why somebody got no e-mail."""

    list_display = ["kind", "email", "created_at", "sent_at", "attempts"]
    list_filter = ["kind"]
    search_fields = ["email"]
    fields = ["kind", "email", "created_at", "claimed_at", "sent_at", "attempts", "last_error"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        # The row is the proof a reminder went out; without it the reminder goes again.
        return False


@admin.register(InvitationImport)
class InvitationImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Uploaded lists, read-only: for finding out why an import stopped."""

    list_display = ["file_name", "organisation", "state", "created_at", "processed_rows"]
    list_filter = ["state", "organisation"]
    list_select_related = ["organisation"]
    fields = [
        "file_name",
        "organisation",
        "uploaded_by",
        "state",
        "total_rows",
        "processed_rows",
        "created_count",
        "existing_count",
        "error_count",
        "attempts",
        "last_error",
        "created_at",
        "updated_at",
        "finished_at",
    ]
    readonly_fields = fields
