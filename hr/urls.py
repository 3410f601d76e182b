from django.urls import path, re_path

from hr import views

app_name = "hr"

urlpatterns: list = [
    path("dashboard/", views.dashboard, name="dashboard"),
    re_path(
        r"^dashboard/export\.(?P<fmt>csv|xlsx)$", views.dashboard_export, name="dashboard-export"
    ),
    path("rapport/", views.report, name="report"),
]
