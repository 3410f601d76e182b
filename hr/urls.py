from django.urls import path  # noqa: F401

from hr import views  # noqa: F401

app_name = "hr"

urlpatterns: list = []
