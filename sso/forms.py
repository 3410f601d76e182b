from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from sso.models import IdentityProvider


def _formfield(field, **kwargs):
    # An address typed without a scheme is an https one (what Django 6 will assume).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class IdentityProviderForm(forms.ModelForm):
    """An organisation's identity provider as the programme office sets it up; the model's
    ``clean`` says what each protocol needs. No field for the secret: it lives in the
    server's environment."""

    class Meta:
        model = IdentityProvider
        formfield_callback = _formfield
        fields = [
            "protocol",
            "display_name",
            "is_active",
            "email_domains",
            "allows_new_accounts",
            "enforces_mfa",
            "server_url",
            "client_id",
            "secret_variable",
            "metadata_url",
            "entity_id",
            "sso_url",
            "x509_certificate",
        ]
        widgets = {
            "email_domains": forms.Textarea(attrs={"rows": 3}),
            "x509_certificate": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Fieldset(_("Identity provider"), "protocol", "display_name", "is_active"),
            Fieldset(_("Who may sign in"), "email_domains", "allows_new_accounts", "enforces_mfa"),
            Fieldset(_("OpenID Connect"), "server_url", "client_id", "secret_variable"),
            Fieldset(_("SAML 2.0"), "metadata_url", "entity_id", "sso_url", "x509_certificate"),
        )
        self.helper.add_input(Submit("submit", _("Save")))
