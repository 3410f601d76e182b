"""Evaluations in the admin: the invitations only, read-only.

The invitations list who was asked about what and whether they answered (not the token:
whoever holds it can answer). The answers are not in the admin at all: listed one by one
and unthresholded, the only answer about a bijeenkomst could be matched to the only used
invitation. They are read on the results pages, which hold back groups that are too small.
"""

from django.contrib import admin

from evaluations.models import Invitation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = [
        "recipient",
        "kind",
        "bijeenkomst",
        "cohort",
        "created_at",
        "expires_at",
        "used",
    ]
    list_filter = ["kind", "used"]
    list_select_related = ["recipient", "bijeenkomst", "cohort__leergang"]
    search_fields = ["recipient__last_name", "recipient__email"]
    fields = [
        "kind",
        "recipient",
        "bijeenkomst",
        "cohort",
        "trajectory",
        "created_at",
        "expires_at",
        "used",
    ]
