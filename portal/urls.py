from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from portal import (
    audit_views,
    converters,  # noqa: F401 (registers <token:>)
    health,
    metrics,
    views,
)

portal_patterns = [
    path("", views.home, name="home"),
    path("profiel/", views.profile, name="profile"),
    path("profiel/export/", views.profile_export, name="profile-export"),
    path("profiel/sessies/", views.session_list, name="sessions"),
    path("profiel/inzage/", audit_views.own_audit, name="profile-audit"),
    path("profiel/herinneringen/", views.profile_reminders, name="profile-reminders"),
    path("uitnodigingen/", views.invitation_list, name="invitation-list"),
    path("uitnodigingen/nieuw/", views.invitation_create, name="invitation-create"),
    path("uitnodigingen/importeren/", views.invitation_import, name="invitation-import"),
    path(
        "uitnodigingen/importeren/<int:pk>/",
        views.invitation_import_detail,
        name="invitation-import-detail",
    ),
    path(
        "uitnodigingen/importeren/<int:pk>/voortgang.json",
        views.invitation_import_status,
        name="invitation-import-status",
    ),
    path(
        "uitnodigingen/<int:pk>/intrekken/",
        views.invitation_act,
        {"action": "revoke"},
        name="invitation-revoke",
    ),
    path(
        "uitnodigingen/<int:pk>/opnieuw-versturen/",
        views.invitation_act,
        {"action": "resend"},
        name="invitation-resend",
    ),
    path("uitnodiging/<token:token>/", views.invitation_accept, name="invitation-accept"),
    path("berichten/", views.outbox, name="outbox"),
    path("logboek/", audit_views.audit_list, name="audit"),
    path("berichten/<int:pk>/opnieuw-versturen/", views.outbox_resend, name="outbox-resend"),
    path("agenda/", views.calendar_page, name="calendar"),
    path("grafiek/<token:key>.svg", views.chart, name="chart"),
    path("agenda/<token:token>/leerportaal.ics", views.calendar_feed, name="calendar-feed"),
]

# Every 403 is recorded in the audit trail before Django's page answers it.
handler403 = "portal.audit_views.permission_denied"
# A database outage answers 503 with a Dutch page and Retry-After, not the 500 page.
handler500 = "portal.errors.server_error"

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("leergang.urls")),
    path("", include("intervisie.urls")),
    path("", include("coaching.urls")),
    path("", include("evaluations.urls")),
    path("hr/", include("hr.urls")),
    path("", include("sso.urls")),
    path("health/", health.health, name="health"),
    path("metrics/", metrics.metrics, name="metrics"),
    path("taal/", set_language, name="set_language"),
    # allauth's own list can only end all other sessions at once; the portal's ends any.
    path("accounts/sessions/", RedirectView.as_view(pattern_name="portal:sessions")),
    # allauth's sign-in pages whose forms lead to an organisation's identity provider.
    path("accounts/", include("sso.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("beheer/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
