"""Which models hold what DOMAIN.md keeps from the programme office.

Every model is classified, so a new one forces a decision (tests/portal/test_confidential.py
fails until it is). Each app lists its own in its AppConfig: ``confidential_models`` and
``open_models``. The beheerder holds every model permission except those of a confidential
model: registering such a model in the admin later still shows the programme office nothing.
"""

from django.apps import apps

PERMISSION_ACTIONS = ("view", "add", "change", "delete")

# Apps of Django and allauth, which we cannot mark in their AppConfig. Sessions, e-mail
# confirmation keys are secrets to log in as somebody else.
FRAMEWORK_MODELS = {
    "admin.logentry": False,
    "auth.permission": False,
    "auth.group": False,
    "contenttypes.contenttype": False,
    "sessions.session": True,
    "account.emailaddress": False,
    "account.emailconfirmation": True,
    # Second factors hold TOTP secrets and key material; a session row names a person's
    # devices and addresses and its key signs in as them.
    "mfa.authenticator": True,
    "usersessions.usersession": True,
    # Single sign-on (sso/): apps would hold a client secret (the portal keeps none in the
    # database); tokens sign in as somebody; a link to an account holds only its ids.
    "socialaccount.socialapp": True,
    "socialaccount.socialtoken": True,
    "socialaccount.socialaccount": False,
}


def classification() -> dict[str, bool]:
    """Every classified model as ``app_label.modelname`` and whether it is confidential."""
    result = dict(FRAMEWORK_MODELS)
    for config in apps.get_app_configs():
        for name in getattr(config, "confidential_models", ()):
            result[f"{config.label}.{name.lower()}"] = True
        for name in getattr(config, "open_models", ()):
            result[f"{config.label}.{name.lower()}"] = False
    return result


def confidential_permissions() -> set[str]:
    """The model permissions (``app.action_model``) nobody gets through the admin."""
    permissions = set()
    for label, confidential in classification().items():
        if confidential:
            app_label, model_name = label.split(".")
            permissions.update(
                f"{app_label}.{action}_{model_name}" for action in PERMISSION_ACTIONS
            )
    return permissions
