"""allauth's forms for security keys with a label in the portal's words: allauth leaves
the key's name unlabelled, so Django would show the field's English name."""

from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django import forms
from django.utils.translation import gettext_lazy as _

KEY_NAME_LABEL = _("Name of the key")
KEY_NAME_HELP = _("To tell your keys apart, for example “key on my keyring”.")


class AddSecurityKeyForm(AddWebAuthnForm):
    name = forms.CharField(label=KEY_NAME_LABEL, help_text=KEY_NAME_HELP, required=False)


class EditSecurityKeyForm(EditWebAuthnForm):
    name = forms.CharField(label=KEY_NAME_LABEL, help_text=KEY_NAME_HELP, required=True)
