from django.contrib import admin

from intervisie.models import Method

# Only the methods are in the admin. Groups, polls and sessions hold what is said in
# intervisie (case, notes, agreements): that stays with the group and its begeleider.


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ["name", "summary"]
    search_fields = ["name"]
    readonly_fields = ["created_by"]

    def get_actions(self, request):
        # A bulk delete would skip the per-method check below.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        # Sessions keep the method they were held with.
        if obj is not None and obj.sessions.exists():
            return False
        return super().has_delete_permission(request, obj)
