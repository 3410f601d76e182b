"""How long a signed-in session lasts, and what the sessions page says about each.

Staff sessions end after ``SESSION_IDLE_MINUTES_STAFF`` without a request and after
``SESSION_MAX_HOURS_STAFF`` in all; a participant's after ``SESSION_IDLE_MINUTES`` (a
working day) without one. The clock is read from the session, which lives in the
database: a session that has ended is gone on the server, not only in the browser.

allauth's user sessions keep the list a person sees (``UserSession``: device, address,
last seen). Its own activity tracking writes on every request; here ``last_seen_at`` is
written at most once a minute, together with the session's own clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, logout
from django.contrib.auth import SESSION_KEY as SESSION_KEY_USER
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ua_parser import parse

from portal.mfa import STAFF_ROLES

CLOCK_KEY = "portal_clock"
# How often the clock and the sessions list are written: an idle limit a minute late
# costs nothing; a write on every request costs a query on every page.
SEEN_RESOLUTION = timedelta(minutes=1)


def limits(staff: bool) -> tuple[timedelta, timedelta | None]:
    """(idle limit, absolute limit or None) for a staff member or a participant."""
    if staff:
        return (
            timedelta(minutes=settings.SESSION_IDLE_MINUTES_STAFF),
            timedelta(hours=settings.SESSION_MAX_HOURS_STAFF),
        )
    return timedelta(minutes=settings.SESSION_IDLE_MINUTES), None


def start_clock(request, user, now=None) -> dict:
    now = (now or timezone.now()).timestamp()
    clock = {"started": now, "seen": now, "staff": user.has_role(*STAFF_ROLES)}
    request.session[CLOCK_KEY] = clock
    return clock


def expired(clock: dict, now) -> str | None:
    """Why a session with this clock has ended at ``now`` ("idle", "max-age"), or None."""
    idle, absolute = limits(clock["staff"])
    at = now.timestamp()
    if at - clock["seen"] > idle.total_seconds():
        return "idle"
    if absolute is not None and at - clock["started"] > absolute.total_seconds():
        return "max-age"
    return None


class SessionExpiryMiddleware:
    """Ends a session that was idle too long or has lasted too long; otherwise notes
    that it was seen. After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._check(request, user)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _check(self, request, user):
        now = timezone.now()
        clock = request.session.get(CLOCK_KEY)
        if clock is None:
            # A session from before these limits: its clock starts now.
            start_clock(request, user, now)
            return None
        reason = expired(clock, now)
        if reason is not None:
            request.sign_out_reason = f"expired:{reason}"  # for the audit record
            logout(request)
            messages.info(request, SIGNED_OUT_MESSAGES[reason])
            return redirect_to_login(request.get_full_path())
        if now.timestamp() - clock["seen"] >= SEEN_RESOLUTION.total_seconds():
            clock["seen"] = now.timestamp()
            request.session.modified = True
            UserSession.objects.filter(session_key=request.session.session_key).update(
                last_seen_at=now
            )
        return None


SIGNED_OUT_MESSAGES = {
    "idle": gettext_lazy(
        "You were signed out because you had not used the portal for a while. Please sign in again."
    ),
    "max-age": gettext_lazy(
        "You were signed out because your session reached its maximum length. Please sign in again."
    ),
}


# --- signals ---------------------------------------------------------------------------


def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_clock(request, user)


def on_logout(sender, request, user, **kwargs):
    # Django removes the session itself; the sessions list forgets it at the same time.
    if request is not None and getattr(request, "session", None) is not None:
        key = request.session.session_key
        if key:
            UserSession.objects.filter(session_key=key).delete()


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in, user_logged_out

    user_logged_in.connect(on_login, dispatch_uid="sessions.on_login")
    user_logged_out.connect(on_logout, dispatch_uid="sessions.on_logout")


# --- the sessions page -----------------------------------------------------------------


@dataclass(frozen=True)
class Device:
    browser: str
    system: str

    def __str__(self) -> str:
        if self.browser and self.system:
            return _("%(browser)s on %(system)s") % {
                "browser": self.browser,
                "system": self.system,
            }
        return self.browser or self.system or _("Unknown device")


def device(user_agent: str) -> Device:
    """The browser and operating system a User-Agent names, as a person reads them."""
    result = parse(user_agent or "")
    browser = result.user_agent.family if result.user_agent else ""
    system = ""
    if result.os:
        system = result.os.family
        if result.device and result.device.family not in ("Other", "Generic Smartphone"):
            system = f"{result.os.family} ({result.device.family})"
    return Device("" if browser == "Other" else browser, "" if system == "Other" else system)


@dataclass(frozen=True)
class SessionLine:
    pk: int
    device: Device
    ip: str
    started: datetime
    last_seen: datetime
    current: bool


def active_sessions(user, current_key: str | None) -> list[SessionLine]:
    """The person's sessions that still sign them in, newest first; the ones that no
    longer do (ended, expired, or from before a password change) are forgotten.

    Two queries whatever the number: allauth's own list asks the database twice per
    session."""
    rows = list(UserSession.objects.filter(user_id=user.pk).order_by("-created_at"))
    alive = _sessions_signing_in(user, [row.session_key for row in rows])
    gone = [row.pk for row in rows if row.session_key not in alive]
    if gone:
        UserSession.objects.filter(pk__in=gone).delete()
    return [
        SessionLine(
            pk=row.pk,
            device=device(row.user_agent),
            ip=row.ip,
            started=row.created_at,
            last_seen=row.last_seen_at,
            current=row.session_key == current_key,
        )
        for row in rows
        if row.session_key in alive
    ]


def _sessions_signing_in(user, keys: list[str]) -> set[str]:
    """Of ``keys``, the sessions that are unexpired and still hold this user with the
    password it has now (Django ends the others at their next request)."""
    if not keys:
        return set()
    auth_hash = user.get_session_auth_hash()
    store = SessionStore()
    alive = set()
    for session in Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()):
        data = store.decode(session.session_data)
        if str(data.get(SESSION_KEY_USER)) == str(user.pk) and constant_time_compare(
            data.get(HASH_SESSION_KEY, ""), auth_hash
        ):
            alive.add(session.session_key)
    return alive


def end_session(user_session: UserSession) -> None:
    """End one of the person's other sessions, on the server: its next request is
    anonymous."""
    end_sessions(UserSession.objects.filter(pk=user_session.pk))


def end_other_sessions(request) -> int:
    """End every session of this person but the current one; how many."""
    return end_sessions(
        UserSession.objects.filter(user_id=request.user.pk).exclude(
            session_key=request.session.session_key
        )
    )


def end_sessions(user_sessions) -> int:
    """End these sessions (a queryset of ``UserSession``) on the server and forget them;
    how many."""
    keys = list(user_sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)
