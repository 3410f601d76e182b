"""The bench's URLconf: the whole portal plus the two reference pages, which the portal's
own URLs never serve (portal.settings.bench points ROOT_URLCONF here)."""

from django.urls import include, path

from bench import views

handler500 = "portal.errors.server_error"  # the 503 page of a database outage, as the portal's

urlpatterns = [
    path("bench/reference-list/", views.reference_list, name="bench-reference-list"),
    path("bench/reference-aggregate/", views.reference_aggregate, name="bench-reference-aggregate"),
    path("", include("portal.urls")),
]
