from django.urls import path, re_path

from hr import views

app_name = "hr"

urlpatterns: list = [
    path("dashboard/", views.dashboard, name="dashboard"),
    re_path(
        r"^dashboard/export\.(?P<fmt>csv|xlsx)$", views.dashboard_export, name="dashboard-export"
    ),
    path("rapport/", views.report, name="report"),
    path("medewerkers/", views.people_list, name="people"),
    path("medewerkers/export.csv", views.people_export_csv, name="people-export-csv"),
    path("medewerkers/export.xlsx", views.people_export_xlsx, name="people-export-xlsx"),
    path("medewerkers/<int:pk>/afdeling/", views.person_department, name="person-department"),
]
