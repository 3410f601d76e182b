"""The TOTP code of the moment for a demo staff account: `manage.py demo_code <e-mail>`.

The demo's staff must give a second code at sign-in, as all staff must; their TOTP
secret is the demo's own (``demo.DEMO_TOTP_SECRET``), so whoever tries the demo needs no
authenticator app. Refused for anyone whose secret is not the demo's: it never prints a
real person's code.
"""

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal import demo
from portal.mfa import totp_code


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff account (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help=f"for example {demo.TRAINER_EMAIL}")

    def handle(self, *args, email, **options):
        totp = Authenticator.objects.filter(
            user__email__iexact=email, type=Authenticator.Type.TOTP
        ).first()
        if totp is None or not email.lower().endswith(demo.DEMO_EMAIL_SUFFIX):
            raise CommandError(f"{email} is no demo account with a demo TOTP secret.")
        if decrypt(totp.data["secret"]) != demo.DEMO_TOTP_SECRET:
            raise CommandError(f"{email} has set up its own authenticator: use that app.")
        now = timezone.now()
        code = totp_code(demo.DEMO_TOTP_SECRET, now)
        period = mfa_settings.TOTP_PERIOD
        valid = int(period - now.timestamp() % period)
        self.stdout.write(code)
        self.stderr.write(f"valid for {valid} more seconds; a code is accepted once")
