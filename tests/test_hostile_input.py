"""Hostile input on every URL of the portal, as every persona.

The URLs come from the URL resolver (every named pattern whose view is in one of our apps,
or allauth's: sign-in, password, e-mail, two factors, the identity providers' endpoints),
their arguments from the authorization test's rows (a sample value when a pattern has no
row yet), the fields of each form from the pages themselves: every ``<form>`` on every page
a persona can open, by the URL it posts to. So a new page, form or field is fuzzed without
an edit here, and ``test_hostile_input`` fails for a URL that it did not exercise.

Per URL and persona hypothesis sends query parameters and form fields with hostile values
(empty, 1 MB, NUL bytes, lone surrogates, emoji, markup, SQL quotes, negative and huge
numbers, wrong types, repeated parameters, ids of other organisations' objects) and a POST
without its CSRF token. Expected: never a 5xx (nor an exception out of a view); a refused
POST (4xx, or 200 with the form again) writes nothing; a form shown again carries its error
in Dutch; a POST without token is the portal's Dutch "form expired" page.

Each example runs in a savepoint that is rolled back, so examples do not build on each
other; ``derandomize`` makes every run send the same examples.
"""

import copy
import re
import time

import lxml.html
import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import test_authorization
from tests.hostile import (
    COMMON_QUERY_PARAMETERS,
    HOSTILE_VALUES,
    HUGE,
    LONE_SURROGATE,
    MULTIPART,
    ONE_MB,
    Field,
    Form,
    Upload,
    multipart,
    page_of,
    urlencoded,
    view_name_of,
    writes_so_far,
    written_between,
)
from tests.test_authorization import PERSONAS, ROWS
from tests.url_patterns import our_url_patterns, sample_url

# Examples per URL and persona: where the persona has a form to send; where it opens a page
# without one (its query parameters vary); where it is refused (a body it cannot use).
EXAMPLES_WITH_FORM = 12
EXAMPLES_PAGE = 3
EXAMPLES_REFUSED = 1
# Before the examples, each of these in every query parameter of a page at once (one of them
# twice), and in every field of each of its forms at once.
SWEEP = ["\x00", LONE_SURROGATE, HUGE, "2026-02-30", ONE_MB]

# A 5xx that is the right answer here, and the Dutch text its page must carry: the world's
# OpenID provider has no server behind it, so starting a sign-in there finds it down.
UNAVAILABLE_BY_DESIGN = {"openid_connect_login": "reageert op dit moment niet"}

# Tables a refused request may write to, and why that is no saved input.
WRITES_ALLOWED = {
    "portal_auditevent": "the audit trail records refusals and reads of personal data",
    "django_session": "a session is saved when a message is flashed or the language set",
    "usersessions_usersession": "allauth notes the session's last activity",
    "portal_auditsubject": "whose personal data an audit record says was read",
}

ENGLISH = re.compile(
    r"\b(the|this|field|enter|please|ensure|select|required|value|should|must|characters"
    r"|invalid|choice|available|not a valid)\b",
    re.IGNORECASE,
)

UPLOADS = [
    Upload("leeg.csv", b"", "text/csv"),
    Upload("nul.csv", b"email\nx\x00y@voorbeeld.example\n", "text/csv"),
    Upload("latin1.csv", "email;naam\né@voorbeeld.example;Jos\xe9\n".encode("latin-1"), "text/csv"),
    Upload("../../../etc/passwd", b"root:x:0:0", "text/plain"),
    Upload("groot.csv", b"a" * (1024 * 1024), "text/csv"),
    Upload("plaatje.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png"),
]
VALID_UPLOAD = Upload(
    "medewerkers.csv", b"email,voornaam,achternaam\nnieuw@voorbeeld.example,Anna,Smit\n", "text/csv"
)


# The authorization test's personas and objects (and the media folder of their uploads),
# built once for this module too.
media_root = test_authorization.media_root
_media_root = test_authorization._media_root
world = test_authorization.world


def _server_error(name, response) -> bool:
    """An exception out of the view, or a 5xx that is not the answer by design."""
    if isinstance(response, Exception):
        return True
    if response.status_code == 503 and name in UNAVAILABLE_BY_DESIGN:
        return UNAVAILABLE_BY_DESIGN[name] not in _text(response)
    return response.status_code >= 500


def _url_builders():
    """Per URL name: its URL from the objects (the first authorization row's arguments),
    and the body of its POST row, if it has one."""
    builders = {}
    # allauth's pages too: sign-in, password, e-mail, two factors, sessions, the identity
    # providers' endpoints. The portal serves them, in its templates.
    for pattern in our_url_patterns(also=("allauth",)):
        rows = [row for row in ROWS if row.name == pattern.name]
        posts = [row for row in rows if row.method == "post"]
        builders[pattern.name] = (pattern, rows[0] if rows else None, posts[0] if posts else None)
    return builders


def _url(name, pattern, row, objects):
    return reverse(name, args=row.args(objects)) if row else sample_url(pattern)


def _other_ids(objects) -> list[str]:
    """The ids of every object of the world: other organisations' among them."""
    ids = {str(obj.pk) for obj in objects.values() if hasattr(obj, "pk")}
    ids |= {str(obj.organisation_id) for obj in objects.values() if hasattr(obj, "organisation_id")}
    return sorted(ids - {"None"}, key=int)


def test_every_url_pattern_of_our_apps_is_in_the_plan(db, world):
    """Each pattern gets a URL that leads to it: its authorization row's arguments, else a
    sample value per converter (a pattern without a row fails the authorization test). Of
    allauth's, one the portal answers itself at the same address (its sessions list) leads
    to the portal's view."""
    objects = copy.deepcopy(world["objects"])
    builders = _url_builders()
    assert len(builders) > 130
    for name, (pattern, row, _post_row) in builders.items():
        reached = view_name_of(_url(name, pattern, row, objects).split("?")[0])
        ours = pattern.pattern.callback.__module__.split(".")[0] != "allauth"
        assert reached == name or (not ours and not reached.startswith("allauth")), name


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(urlencoded([("first_name", ONE_MB)] * 3), id="3 MB of form data"),
        pytest.param(urlencoded([(f"veld{n}", "x") for n in range(1001)]), id="1001 fields"),
    ],
)
def test_too_much_form_data_is_the_dutch_400_page(db, world, body):
    client = Client()
    client.force_login(world["personas"]["participant"])
    response = client.post(
        reverse("portal:profile"), data=body, content_type="application/x-www-form-urlencoded"
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="nl">' in page and "<h1>Ongeldig verzoek</h1>" in page


def test_too_many_files_is_the_dutch_400_page(db, world):
    client = Client()
    client.force_login(world["personas"]["hr"])
    files = [("file", Upload(f"lijst{n}.csv", b"a", "text/csv")) for n in range(101)]
    response = client.post(
        reverse("portal:invitation-import"), data=multipart(files), content_type=MULTIPART
    )
    assert response.status_code == 400
    assert "<h1>Ongeldig verzoek</h1>" in response.content.decode()


def test_a_post_without_its_csrf_token_is_the_dutch_form_expired_page(db, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["personas"]["participant"])
    response = client.post(reverse("portal:profile"), {"first_name": "Anna"})
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="nl">' in page and "<h1>Formulier verlopen</h1>" in page


def test_the_fuzz_reports_a_view_that_fails_and_a_refusal_that_saved(db, world, monkeypatch):
    """The profile form broken on purpose: a NUL byte raises, an impossible date is refused
    after a row was written. The fuzz of that one URL names both, with URL and persona."""
    from portal.forms import ProfileForm
    from portal.models import Organisation

    def broken_clean(form):
        values = " ".join(str(value) for value in form.data.values())
        if "\x00" in values:
            raise RuntimeError("kapot op een NUL-byte")
        if "2026-02-30" in values:
            Organisation.objects.create(name="Stiekem opgeslagen", slug="stiekem")
            form.add_error(None, "Geweigerd.")
        return form.cleaned_data

    monkeypatch.setattr(ProfileForm, "clean", broken_clean)
    run = Fuzz(world, "participant", only={"portal:profile"})
    run.discover()
    run.fuzz("portal:profile")
    failures = "\n".join(run.failures)
    assert "POST /profiel/ (portal:profile) as participant: RuntimeError: kapot" in failures
    assert "refused with 200 but wrote to ['portal_organisation']" in failures
    assert "input: {'query': [], 'fields': [('first_name', '\\x00')" in failures


@pytest.mark.parametrize("persona", PERSONAS)
def test_hostile_input(db, world, persona):
    run = Fuzz(world, persona)
    started, cpu = time.monotonic(), time.process_time()
    run.discover()
    for name in sorted(run.urls):
        run.fuzz(name)
    print(
        f"\n{persona}: {len(run.urls)} URLs, {len(run.shown_forms)} with forms,"
        f" {len(run.reachable)} pages, {run.examples} examples,"
        f" {time.monotonic() - started:.1f} s ({time.process_time() - cpu:.1f} s of CPU)"
    )
    missing = set(run.urls) - run.exercised
    assert not missing, f"URLs the fuzz did not exercise as {persona}: {sorted(missing)}"
    assert not run.failures, f"{len(run.failures)} failures as {persona}:\n" + "\n\n".join(
        run.failures
    )


class Fuzz:
    def __init__(self, world, persona, only=None):
        self.persona = persona
        self.objects = copy.deepcopy(world["objects"])
        self.client = Client()
        self.csrf_client = Client(enforce_csrf_checks=True)
        if persona != "anonymous":
            user = copy.deepcopy(world["personas"][persona])
            self.client.force_login(user)
            self.csrf_client.force_login(user)
        self.urls = {}
        self.post_rows = {}
        for name, (pattern, row, post_row) in _url_builders().items():
            if only is not None and name not in only:
                continue
            self.urls[name] = _url(name, pattern, row, self.objects)
            if post_row is not None:
                self.post_rows[name] = post_row
        self.ids = _other_ids(self.objects)
        self.forms: dict[str, list[Form]] = {name: [] for name in self.urls}
        self.query_names: dict[str, set] = {name: set() for name in self.urls}
        self.reachable: set[str] = set()
        self.shown_forms: set[str] = set()  # URLs a form the persona was shown posts to
        self.submitted_to: set[str] = set()  # those, and the authorization rows' POSTs
        self.exercised: set[str] = set()
        self.failures: list[str] = []
        self.examples = 0
        self.forms_found = 0

    # -- one request, rolled back ------------------------------------------------------------

    def send(self, client, method, path, body=None, content_type=None):
        """The response, or the exception out of the view; nothing it writes stays."""
        cookies = copy.copy(client.cookies)
        cache.clear()  # rate limits and used codes: each request starts without them
        try:
            with transaction.atomic():
                before = writes_so_far()
                try:
                    if method == "get":
                        response = client.get(path)
                    else:
                        response = client.post(path, data=body or b"", content_type=content_type)
                except Exception as error:  # noqa: BLE001 - a view's exception is the finding
                    response = error
                after = writes_so_far() if not isinstance(response, Exception) else {}
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies
        return response, written_between(before, after, WRITES_ALLOWED)

    # -- what forms each URL takes, from the pages the persona can open ----------------------

    def discover(self):
        for name, url in self.urls.items():
            response, _ = self.send(self.client, "get", url)
            if _server_error(name, response):
                self.fail(name, "GET", url, {}, response)
                continue
            if response.status_code == 200:
                self.reachable.add(name)
            forms, query_names = page_of(response, url)
            for path, names in query_names.items():
                target = view_name_of(path)
                if target in self.query_names:
                    self.query_names[target] |= names
            for form in forms:
                target = view_name_of(form.action.split("?")[0])
                if target in self.forms:
                    self.forms[target].append(form)
                    self.forms_found += 1
        self.shown_forms = {name for name, forms in self.forms.items() if forms}
        self.submitted_to = self.shown_forms | set(self.post_rows)
        for name, row in self.post_rows.items():
            # A POST endpoint whose form this persona was not shown: the row's body.
            if not self.forms[name]:
                data = row.data(self.objects) if callable(row.data) else row.data
                fields = [Field(key, "text", value) for key, value in data.items()]
                self.forms[name].append(Form(self.urls[name], "post", False, fields))

    # -- the fuzz of one URL ---------------------------------------------------------------------

    def fuzz(self, name):
        url = self.urls[name]
        forms = _unique(self.forms[name]) or [Form(url, "post", False, [])]
        self.check_missing_csrf(name, forms[0])
        query_names = sorted(self.query_names[name] | set(COMMON_QUERY_PARAMETERS))
        if name in self.shown_forms:
            examples = EXAMPLES_WITH_FORM
        elif name in self.reachable:
            examples = EXAMPLES_PAGE
        else:
            examples = EXAMPLES_REFUSED
        self.sweep(name, forms, query_names)
        value = st.one_of(
            st.sampled_from(HOSTILE_VALUES), st.sampled_from(self.ids), st.text(max_size=12)
        )

        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(st.data())
        def one_example(data):
            query = data.draw(
                st.lists(st.tuples(st.sampled_from(query_names), value), max_size=3), "query"
            )
            method = data.draw(st.sampled_from(["get", "post", "post"]), "method")
            form = data.draw(st.sampled_from(forms), "form")
            pairs = self.hostile_fields(data, form, value) if method == "post" else []
            self.check(name, method, form, query, pairs)

        one_example()  # each failure is recorded in self.failures with its input
        self.exercised.add(name)

    def sweep(self, name, forms, query_names):
        if name in self.reachable or name in self.shown_forms:
            self.sweep_ids_in_the_path(name, forms[0])
        for value in SWEEP:
            if name in self.reachable:
                # A megabyte in one parameter: the page's links would repeat it in each.
                keys = query_names[:1] if value == ONE_MB else query_names
                query = [(key, value) for key in keys] + [(query_names[0], "1")]
                self.check(name, "get", forms[0], query, [])
            if name in self.shown_forms:
                for form in forms:
                    pairs = [
                        (field.name, VALID_UPLOAD if field.kind == "file" else value)
                        for field in form.fields
                    ]
                    self.check(name, "post", form, [], pairs)

    def sweep_ids_in_the_path(self, name, form):
        """Every number in the URL past PostgreSQL's bigint, then the id of another object."""
        captured = resolve(self.urls[name]).captured_kwargs
        numbers = [key for key, value in captured.items() if isinstance(value, int)]
        for value in [HUGE, self.ids[-1]] if numbers else []:
            path = reverse(name, kwargs={**captured, **dict.fromkeys(numbers, value)})
            self.check(name, "get", form, [], [], path=path)
            if name in self.submitted_to:
                self.check(name, "post", form, [], form.valid_pairs(), path=path)

    def hostile_fields(self, data, form, value):
        names = [field.name for field in form.fields]
        mutated = (
            data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=3), "fields")
            if names
            else set()
        )
        pairs = []
        for field in form.fields:
            valid = VALID_UPLOAD if field.kind == "file" else field.value
            if field.name not in mutated:
                if valid is not None:
                    pairs.append((field.name, valid))
                continue
            how = data.draw(st.sampled_from(["hostile", "omit", "twice", "other"]), field.name)
            if how == "omit":
                continue
            if field.kind == "file":
                hostile = data.draw(st.sampled_from([*UPLOADS, "geen-bestand"]), field.name)
            elif how == "other" and field.options:
                hostile = data.draw(st.sampled_from(field.options), field.name)
            else:
                hostile = data.draw(value, field.name)
            if how == "twice":
                pairs.append((field.name, valid if valid is not None else hostile))
            pairs.append((field.name, hostile))
        if not names:  # a form of buttons only: something it does not expect
            pairs = data.draw(
                st.lists(st.tuples(st.sampled_from(["id", "pk", "x"]), value), max_size=2), "extra"
            )
        return pairs

    # -- the rules -----------------------------------------------------------------------------

    def check(self, name, method, form, query, pairs, path=None):
        self.examples += 1
        base = path or (form.action if method == "post" else self.urls[name])
        path = base + ("&" if "?" in base else "?") + urlencoded(query) if query else base
        # As a browser does: the token's field is always there (this client does not check it).
        pairs = [("csrfmiddlewaretoken", "x" * 64), *pairs]
        if method == "post" and form.multipart:
            body, content_type = multipart(pairs), MULTIPART
        else:
            body, content_type = urlencoded(pairs), "application/x-www-form-urlencoded"
        response, written = self.send(self.client, method, path, body, content_type)
        inputs = {"query": query, "fields": pairs[1:]}
        if _server_error(name, response):
            self.fail(name, method.upper(), path, inputs, response)
            return
        status = response.status_code
        # A POST to a page no form posts to is no submission: many pages answer it as a GET.
        submission = method == "post" and name in self.submitted_to
        refused = status >= 400 or (submission and status == 200)
        problems = []
        if submission and refused and written:
            problems.append(f"refused with {status} but wrote to {written}")
        text = _text(response) if _is_html(response) else ""
        if status >= 400 and text and 'lang="nl"' not in text[:300]:
            problems.append(f"{status} page not in Dutch")
        if submission and status == 200 and text:
            errors = _error_texts(response)
            if not errors:
                problems.append("form shown again (200) without an error message")
            english = [text for text in errors if ENGLISH.search(text)]
            if english:
                problems.append(f"error message in English: {english[:3]}")
        if problems:
            self.fail(name, method.upper(), path, inputs, "; ".join(problems))

    def check_missing_csrf(self, name, form):
        url = form.action
        callback = resolve(url.split("?")[0]).func
        body = urlencoded(form.valid_pairs())
        response, written = self.send(
            self.csrf_client, "post", url, body, "application/x-www-form-urlencoded"
        )
        self.examples += 1
        if _server_error(name, response):
            self.fail(name, "POST without CSRF", url, {}, response)
            return
        if getattr(callback, "csrf_exempt", False):
            return
        text = _text(response)
        if response.status_code != 403 or "Formulier verlopen" not in text or written:
            self.fail(
                name,
                "POST without CSRF",
                url,
                {"fields": form.valid_pairs()},
                f"{response.status_code}, wrote {written}, expected the Dutch 403 CSRF page",
            )

    def fail(self, name, method, path, inputs, what):
        if isinstance(what, Exception):
            what = f"{type(what).__name__}: {what}"
        elif not isinstance(what, str):
            what = f"status {what.status_code}"
        self.failures.append(
            f"{method} {_short(path)} ({name}) as {self.persona}: {_short(str(what), 600)}\n"
            f"  input: {_short(repr(inputs), 600)}"
        )


def _unique(forms):
    seen, result = set(), []
    for form in forms:
        key = (form.action, tuple((f.name, f.kind) for f in form.fields))
        if key not in seen:
            seen.add(key)
            result.append(form)
    return result


def _is_html(response):
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


def _text(response) -> str:
    if response.streaming:
        return ""
    return response.content.decode(errors="replace")


def _error_texts(response) -> list[str]:
    document = lxml.html.document_fromstring(_text(response) or "<html></html>")
    texts = []
    for element in document.xpath(
        "//*[contains(@class, 'invalid-feedback') or contains(@class, 'errorlist')"
        " or contains(@class, 'alert-danger') or contains(@class, 'alert-warning')"
        " or @role='alert']"
    ):
        text = " ".join(element.text_content().split())
        if text:
            texts.append(text)
    return texts


def _short(text: str, limit: int = 200) -> str:
    text = text.replace("a" * 1000, "a…")
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"
