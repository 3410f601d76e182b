from django.urls import path

from sso import views

app_name = "sso"
urlpatterns = [
    path("inloggen-via-organisaties/", views.provider_list, name="provider-list"),
    path("inloggen-via-organisaties/<int:pk>/", views.provider_edit, name="provider-edit"),
]
