"""Password rules whose messages the portal translates itself."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule. Its message changed in Django 5.2 while the Dutch catalogue shipped
    with it still translates the old text, so a Dutch form said it in English."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: use at least %(count)d character.",
            "This password is too short: use at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}
