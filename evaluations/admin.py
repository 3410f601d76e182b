"""Evaluations in the admin: both read-only, and apart.

The invitations list who was asked about what and whether they answered (not the token:
whoever holds it can answer). The answers show what they are about and what was said,
never the respondent's organisation or the coach, and no link runs between the two lists.
"""

from django.contrib import admin

from evaluations.models import Answer, GoalScore, Invitation


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


class GoalScoreInline(admin.TabularInline):
    model = GoalScore
    fields = ["module", "goal", "score"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = [
        "kind",
        "leergang",
        "cohort",
        "bijeenkomst",
        "answered_on",
        "grade",
        "recommendation",
    ]
    list_filter = ["kind", "leergang"]
    list_select_related = ["leergang", "cohort__leergang", "bijeenkomst"]
    fields = [
        "kind",
        "leergang",
        "cohort",
        "bijeenkomst",
        "module",
        "answered_on",
        "grade",
        "recommendation",
        "comments",
    ]
    inlines = [GoalScoreInline]
