"""What tests/test_hostile_input.py sends and how it reads pages: the hostile values, the
forms and query parameters found on a page, bodies that carry what no browser would, and
what a request wrote to the database.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote_plus, urljoin, urlsplit

import lxml.html
from django.db import connection
from django.urls import Resolver404
from django.urls import resolve as resolve_url

ONE_MB = "a" * (1024 * 1024)
# An unpaired UTF-16 half: a str cannot be encoded to UTF-8, so it is sent as the bytes a
# careless encoder makes of it (invalid UTF-8), which no browser sends and anyone can.
LONE_SURROGATE = "\ud800"
HUGE = str(2**63)  # one past PostgreSQL's bigint

HOSTILE_VALUES = [
    "",
    " ",
    "\x00",
    "naam\x00met-nul",
    LONE_SURROGATE,
    f"x{LONE_SURROGATE}y",
    "\U0001f600\U0001f1f3\U0001f1f1 \u202egnidrowsnu",
    "<script>alert(1)</script><b>vet</b>",
    "'; DROP TABLE portal_user; --",
    '" OR 1=1 --',
    "%00%27",
    "../../../etc/passwd",
    ONE_MB,
    "-1",
    "0",
    "-" + HUGE,
    HUGE,
    "9" * 40,
    "1e309",
    "NaN",
    "3.5",
    "\u0661\u0662",  # Arabic-Indic digits: int() takes them, a regex of [0-9] does not
    "true",
    "[]",
    '{"a": 1}',
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "31-12-2026",
    "25:61",
    "javascript:alert(1)",
    "x@",
]

# Query parameters every list or filter may read, on top of those its page links to.
COMMON_QUERY_PARAMETERS = ["page", "sort", "next", "q", "cohort", "format", "status", "since"]


def encode(value) -> bytes:
    """A value as the bytes on the wire (a lone surrogate as invalid UTF-8)."""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")


def urlencoded(pairs) -> str:
    """``key=value&...`` of (key, value) pairs, repeats kept, any bytes percent-encoded."""
    return "&".join(f"{quote_plus(encode(k))}={quote_plus(encode(v))}" for k, v in pairs)


BOUNDARY = "HostileBoundary7MA4YWxk"


@dataclass
class Upload:
    name: str
    content: bytes
    content_type: str = "application/octet-stream"


def multipart(pairs) -> bytes:
    """A multipart/form-data body of (key, value or Upload) pairs, bytes as they are."""
    lines = []
    for key, value in pairs:
        lines.append(f"--{BOUNDARY}".encode())
        if isinstance(value, Upload):
            lines.append(
                b'Content-Disposition: form-data; name="%s"; filename="%s"'
                % (encode(key), encode(value.name))
            )
            lines.append(f"Content-Type: {value.content_type}".encode())
            lines.append(b"")
            lines.append(value.content)
        else:
            lines.append(b'Content-Disposition: form-data; name="%s"' % encode(key))
            lines.append(b"")
            lines.append(encode(value))
    lines.append(f"--{BOUNDARY}--".encode())
    lines.append(b"")
    return b"\r\n".join(lines)


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


# --- URLs ---------------------------------------------------------------------------------


def view_name_of(path: str) -> str | None:
    try:
        return resolve_url(path).view_name
    except Resolver404:
        return None


# --- forms and links on a page ------------------------------------------------------------------

PLAUSIBLE = {
    "date": "2026-12-10",
    "time": "10:00",
    "datetime-local": "2026-12-10T10:00",
    "number": "1",
    "email": "iemand@voorbeeld.example",
    "url": "https://voorbeeld.example/",
}


@dataclass
class Field:
    name: str
    kind: str  # the input's type, or select / textarea
    value: object  # what the page offers (a valid choice where it has one)
    options: list = field(default_factory=list)


@dataclass
class Form:
    action: str  # path and query the form posts to
    method: str
    multipart: bool
    fields: list[Field]

    def valid_pairs(self):
        return [(f.name, f.value) for f in self.fields if f.value is not None]


def _field_of(element) -> Field | None:
    name = element.get("name")
    if not name or name == "csrfmiddlewaretoken":
        return None
    tag = element.tag
    if tag == "select":
        options = [o.get("value", o.text_content()) for o in element.iter("option")]
        chosen = [
            o.get("value", o.text_content())
            for o in element.iter("option")
            if o.get("selected") is not None
        ]
        real = [o for o in options if o]
        value = (chosen or real or options or [""])[0]
        return Field(name, "select", value, options)
    if tag == "textarea":
        return Field(name, "textarea", element.text_content() or "Een zin als antwoord.")
    kind = (element.get("type") or "text").lower()
    if kind in {"button", "reset", "image"}:
        return None
    value = element.get("value")
    if kind == "file":
        return Field(name, "file", None)
    if kind in {"checkbox", "radio"}:
        return Field(
            name,
            kind,
            (value or "on") if element.get("checked") is not None else None,
            [value or "on"],
        )
    if kind == "submit":
        return Field(name, kind, None, [value or ""])
    if not value and kind != "hidden":
        value = PLAUSIBLE.get(kind, "Tekst")
    return Field(name, kind, value or "")


def _merged(fields: list[Field]) -> list[Field]:
    """Radio buttons, checkboxes and submit buttons of one name as one field with options."""
    merged: dict[str, Field] = {}
    result = []
    for f in fields:
        if f.kind in {"radio", "checkbox", "submit"} and f.name in merged:
            known = merged[f.name]
            known.options += f.options
            if known.value is None:
                known.value = f.value
            continue
        merged[f.name] = f
        result.append(f)
    for f in result:
        if f.kind == "submit" or f.kind == "radio" and f.value is None:
            f.value = f.options[0]
    return result


def page_of(response, url):
    """The page's POST forms, and per path the query parameter names its GET forms and
    links send there (a list's filters, an export link carrying them)."""
    content_type = response.get("Content-Type", "")
    if response.streaming or not content_type.startswith("text/html") or not response.content:
        return [], {}
    document = lxml.html.document_fromstring(response.content.decode(errors="replace"))
    forms, query_names = [], {}
    for element in document.iter("form"):
        action = urlsplit(urljoin(url, element.get("action") or url))
        fields = _merged(
            [f for f in map(_field_of, element.iter("input", "select", "textarea", "button")) if f]
        )
        method = (element.get("method") or "get").lower()
        if method == "get":
            query_names.setdefault(action.path, set()).update(f.name for f in fields)
            continue
        multipart_form = (element.get("enctype") or "").startswith("multipart/")
        forms.append(
            Form(
                action.path + (f"?{action.query}" if action.query else ""),
                method,
                multipart_form,
                fields,
            )
        )
    for link in document.iter("a"):
        href = urlsplit(urljoin(url, link.get("href") or ""))
        if href.query and href.netloc in ("", "testserver"):
            query_names.setdefault(href.path, set()).update(k for k, _ in parse_qsl(href.query))
    return forms, query_names


# --- what a request wrote ---------------------------------------------------------------------


def writes_so_far() -> dict[str, int]:
    """Rows this transaction has inserted, updated or deleted, per table (PostgreSQL's own
    count: one cheap query, and it counts what a savepoint later rolled back too)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return dict(cursor.fetchall())


def written_between(before: dict, after: dict, ignored) -> list[str]:
    return sorted(
        table
        for table, count in after.items()
        if count != before.get(table, 0) and table not in ignored
    )
