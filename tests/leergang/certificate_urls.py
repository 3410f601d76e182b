"""A test-only URLconf with the ``leergang:certificate-verify`` URL the certificate links to."""

from django.http import HttpResponse
from django.urls import include, path


def certificate_verify(request, code):
    return HttpResponse(code)


leergang_patterns = [
    path("certificaat/<str:code>/", certificate_verify, name="certificate-verify"),
]

urlpatterns = [
    path("", include((leergang_patterns, "leergang"))),
]
