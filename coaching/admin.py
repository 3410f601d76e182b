from django.contrib import admin
from django.core.exceptions import ValidationError

from coaching import services
from coaching.models import Trajectory, TrajectoryTransition
from portal.models import Role, User

# Only the trajectory's frame is in the admin. Sessions with their shared summaries, and
# above all the coach's private notes, stay between coach and participant.


class TransitionInline(admin.TabularInline):
    model = TrajectoryTransition
    extra = 0
    fields = ["at", "from_state", "to_state", "by", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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
        # Who is coached by whom is fixed once started; states change through the services.
        return ["participant", "coach", "funded_by", "state"] if obj else ["state"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "coach":
            kwargs["queryset"] = User.objects.with_role(Role.COACH)
        if db_field.name == "participant":
            kwargs["queryset"] = User.objects.with_role(Role.DEELNEMER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
