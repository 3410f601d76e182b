"""E-mail backends for tests."""

import threading
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """``locmem``, except that the next ``failures`` sends fail as an SMTP server going away
    would; ``attempts`` counts every send tried."""

    failures = 0
    attempts = 0
    _lock = threading.Lock()

    def send_messages(self, messages):
        with self._lock:
            type(self).attempts += 1
            if type(self).failures > 0:
                type(self).failures -= 1
                raise SMTPServerDisconnected("Connection unexpectedly closed (simulated)")
        return super().send_messages(messages)
