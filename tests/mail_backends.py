"""E-mail backends for tests."""

import threading
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """``locmem``, except that the next ``failures`` sends fail as an SMTP server going away
    would; ``attempts`` counts every send tried. While ``hold`` is an unset event, a send
    waits for it (at most 10 seconds): a slow mail server, under the test's control."""

    failures = 0
    attempts = 0
    hold: threading.Event | None = None
    _lock = threading.Lock()

    def send_messages(self, messages):
        cls = type(self)
        with cls._lock:
            cls.attempts += 1
            if cls.failures > 0:
                cls.failures -= 1
                raise SMTPServerDisconnected("Connection unexpectedly closed (simulated)")
        if cls.hold is not None:
            cls.hold.wait(timeout=10)
        return super().send_messages(messages)
