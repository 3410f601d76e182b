from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from coaching import services
from coaching.models import Trajectory, TrajectoryTransition
from portal.admin import StateChangeInline
from portal.models import Role, User

# Only the trajectory's frame is in the admin. Sessions with their shared summaries, and
# above all the coach's private notes, stay between coach and participant.


class TransitionInline(StateChangeInline):
    model = TrajectoryTransition


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    list_display = ["participant", "coach", "state", "agreed_sessions", "funded_by", "created_at"]
    list_filter = ["state", "funded_by"]
    list_select_related = ["participant", "coach"]
    search_fields = ["participant__last_name", "participant__email", "coach__last_name"]
    fields = ["participant", "coach", "enrolment", "agreed_sessions", "funded_by", "state"]
    readonly_fields = ["state"]
    raw_id_fields = ["enrolment"]
    inlines = [TransitionInline]

    def get_readonly_fields(self, request, obj=None):
        # Fixed once started: the state and the agreed sessions change through the services
        # (trajectory_transition, trajectory_extend), which keep the audit trail.
        return self.fields if obj else ["state"]

    def has_delete_permission(self, request, obj=None):
        # Deleting would drop sessions, goals and notes without a word: stop it instead.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "coach":
            kwargs["queryset"] = User.objects.with_role(Role.COACH)
        if db_field.name == "participant":
            kwargs["queryset"] = User.objects.with_role(Role.DEELNEMER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The service refused (an open trajectory already, ...): say why, not a 500.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            started = services.trajectory_start(
                participant=obj.participant,
                coach=obj.coach,
                agreed_sessions=obj.agreed_sessions,
                by=request.user,
                enrolment=obj.enrolment,
                funded_by=obj.funded_by,
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        obj.pk = started.pk
        obj._state.adding = False
