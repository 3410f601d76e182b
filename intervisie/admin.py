from django.contrib import admin

from intervisie.models import Method

# Only the methods are in the admin. Groups, polls and sessions hold what is said in
# intervisie (case, notes, agreements): that stays with the group and its begeleider.


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ["name", "summary"]
    search_fields = ["name"]
    readonly_fields = ["created_by"]
