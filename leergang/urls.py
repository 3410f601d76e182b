from django.urls import path

from leergang import (
    interest_views,
    makeup_views,
    offer_views,
    office,
    planning_views,
    report_views,
    views,
)
from portal import converters  # noqa: F401 (registers <token:>)

app_name = "leergang"

urlpatterns = [
    path("leergangen/", views.catalogue, name="catalogue"),
    path("leergangen/<slug:slug>/", views.leergang_detail, name="leergang-detail"),
    path(
        "leergangen/<slug:slug>/belangstelling/",
        interest_views.interest_edit,
        name="interest-edit",
    ),
    path(
        "leergangen/<slug:slug>/belangstelling/intrekken/",
        interest_views.interest_withdraw,
        name="interest-withdraw",
    ),
    path("mijn-leergang/belangstelling/", interest_views.my_interests, name="my-interests"),
    path("hr/belangstelling/", interest_views.hr_interests, name="hr-interest"),
    path("planning/belangstelling/", interest_views.office_demand, name="planning-demand"),
    path("uitvoeringen/<int:pk>/inschrijven/", views.cohort_enrol, name="cohort-enrol"),
    path("mijn-leergang/", views.my_leergang, name="my-leergang"),
    path("mijn-leergang/insights-profiel/", views.insights_profile, name="insights-profile"),
    path("inschrijvingen/<int:pk>/", views.enrolment_detail, name="enrolment-detail"),
    path("inschrijvingen/<int:pk>/annuleren/", views.enrolment_cancel, name="enrolment-cancel"),
    path("inschrijvingen/<int:pk>/aanbod/", offer_views.enrolment_offer, name="enrolment-offer"),
    path(
        "inschrijvingen/<int:pk>/leerlog/<slug:module_slug>/",
        views.reflection_edit,
        name="reflection-edit",
    ),
    path(
        "inschrijvingen/<int:pk>/certificaat/",
        views.certificate_download,
        name="certificate-download",
    ),
    path("certificaat/<token:code>/", views.certificate_verify, name="certificate-verify"),
    path("reflecties/<int:pk>/", views.reflection_detail, name="reflection-detail"),
    path("bijeenkomsten/<int:pk>/afmelden/", views.bijeenkomst_excuse, name="bijeenkomst-excuse"),
    path("bijeenkomsten/<int:pk>/aanwezigheid/", views.attendance_edit, name="attendance-edit"),
    path("materiaal/<int:pk>/", views.material_download, name="material-download"),
    path("trainer/uitvoeringen/", views.trainer_cohorts, name="trainer-cohorts"),
    path("trainer/uitvoeringen/<int:pk>/", views.cohort_manage, name="cohort-manage"),
    path("hr/aanvragen/", views.approval_queue, name="approval-queue"),
    path("hr/aanvragen/<int:pk>/", views.approval_decide, name="approval-decide"),
    path("bewaartermijnen/", views.retention_list, name="retention"),
    path(
        "bewaartermijnen/<int:pk>/uitstellen/",
        views.retention_postpone,
        name="retention-postpone",
    ),
    # The programme office's people pages (leergang.office).
    path("programmabureau/inschrijvingen/", office.enrolment_list, name="office-enrolments"),
    path("programmabureau/inschrijvingen/nieuw/", office.enrol, name="office-enrol"),
    path(
        "programmabureau/inschrijvingen/<int:pk>/verplaatsen/",
        office.enrolment_move,
        name="office-enrolment-move",
    ),
    path(
        "programmabureau/inschrijvingen/<int:pk>/annuleren/",
        office.enrolment_cancel,
        name="office-enrolment-cancel",
    ),
    # The programme office's report (leergang.report_views).
    path("programmabureau/rapportage/", report_views.programme_report, name="office-report"),
    path(
        "programmabureau/rapportage/export.xlsx",
        report_views.programme_report_export,
        name="office-report-export",
    ),
    # Inhalen: a missed bijeenkomst made up in another cohort (leergang.makeup_views).
    path(
        "inschrijvingen/<int:pk>/inhalen/<int:missed_pk>/",
        makeup_views.make_up_new,
        name="make-up-new",
    ),
    path("inhalen/<int:pk>/intrekken/", makeup_views.make_up_cancel, name="make-up-cancel"),
    path("inhalen/", makeup_views.make_up_list, name="make-up-list"),
    path("inhalen/<int:pk>/", makeup_views.make_up_decide, name="make-up-decide"),
    # The programme office's planning: cohorts and their bijeenkomsten.
    path("planning/", planning_views.planning_list, name="planning"),
    path("planning/uitvoeringen/nieuw/", planning_views.cohort_create, name="planning-create"),
    path("planning/uitvoeringen/<int:pk>/", planning_views.cohort_planning, name="planning-cohort"),
    path(
        "planning/uitvoeringen/<int:pk>/wijzigen/",
        planning_views.cohort_edit,
        name="planning-edit",
    ),
    path(
        "planning/uitvoeringen/<int:pk>/reeks/",
        planning_views.series_plan,
        name="planning-series",
    ),
    path(
        "planning/bijeenkomsten/<int:pk>/",
        planning_views.bijeenkomst_edit,
        name="planning-bijeenkomst",
    ),
    path(
        "planning/bijeenkomsten/<int:pk>/vervallen/",
        planning_views.bijeenkomst_cancel,
        name="planning-bijeenkomst-cancel",
    ),
]
