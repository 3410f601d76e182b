"""allauth's sign-in pages under their own names and addresses, each allowing its forms to
lead to the identity providers (``sso.views.allows_identity_provider_forms``), and the end
of a SAML sign-in with a reason for an unsolicited response. Included before allauth's
URLs, so these answer."""

from django.urls import path

from sso import views

urlpatterns = [
    path("login/", views.login, name="account_login"),
    path("oidc/<str:provider_id>/login/", views.oidc_login, name="openid_connect_login"),
    path("saml/<str:organization_slug>/login/", views.saml_login, name="saml_login"),
    path("saml/<str:organization_slug>/acs/finish/", views.saml_finish, name="saml_finish_acs"),
]
