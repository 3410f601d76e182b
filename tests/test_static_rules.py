"""Two rules the portal's source keeps, read from its syntax tree (``ast``):

* **no raw SQL** (``.raw()``, ``.extra()``, ``RawSQL``, ``RunSQL``, a cursor and its
  ``execute``) outside the few functions in ``RAW_SQL_ALLOWED``, each with its reason;
* **no object fetched by an id from the request outside the access door**: a view fetches
  through ``portal.access.get_for_user`` / ``visible`` (or a ``get_<model>_for_user``
  helper built on them), never with ``get_object_or_404`` or a model manager's ``get`` /
  ``filter`` fed with request data (``request.GET``, ``request.POST``, a URL parameter,
  ``self.kwargs`` ...). Exceptions are in ``FETCH_ALLOWED``, each with its reason.

Our apps (every installed app whose code lives in this repository) and ``scripts/`` are
read; migrations and tests are not. Each rule is proven on small snippets below: what it
must catch, and the patterns it must let through.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent

# (file, function) -> why raw SQL is needed there.
RAW_SQL_ALLOWED = {
    ("portal/audit.py", "_insert"): (
        "an audit event and its subject rows in one INSERT ... RETURNING statement on "
        "PostgreSQL: atomic without a savepoint and one round trip per recorded page; only "
        "identifiers are formatted in, every value is a parameter"
    ),
    ("portal/audit.py", "purge"): (
        "SET LOCAL portal.audit_purge: the database trigger refuses any delete of the audit "
        "trail unless this transaction-local setting is on; the ORM has no way to set it"
    ),
    ("portal/health.py", "_database_up"): (
        "the health check's SELECT 1: asks the database itself to answer, without a model"
    ),
    ("bench/data.py", "generate"): (
        "ANALYZE after the bulk inserts, so the planner has the statistics a live database "
        "has (the ORM cannot issue it)"
    ),
    ("bench/harness.py", "ensure_database"): (
        "CREATE DATABASE for the benchmark's and the load test's own database, on a plain "
        "psycopg connection before Django is set up; the name comes from the operator's "
        "BENCH_DATABASE_URL or LOADTEST_DATABASE_URL"
    ),
}

# (file, function) -> why this fetch does not go through the access door.
FETCH_ALLOWED = {
    ("leergang/views.py", "leergang_detail"): (
        "a published leergang's public page, by slug, also for visitors who are not signed "
        "in (access.visible shows them nothing): selectors.published_leergang() is exactly "
        "what the Leergang policy shows every signed-in user but the beheerder"
    ),
    ("leergang/views.py", "reflection_edit"): (
        "a module of the enrolment's own leergang, by slug: the enrolment came through "
        "access.get_for_user first, and the lookup is in its leergang's module links"
    ),
    # Capability links: the secret token in the address is the key (secrets.token_urlsafe
    # or token_hex, only those characters match the <token:> converter), for people who
    # are not signed in or programs that cannot sign in. Unknown tokens are a 404.
    ("leergang/views.py", "certificate_verify"): (
        "the public verification of a certificate by the code printed on it: only "
        "completed enrolments, so an unknown or unfinished one is the same 404"
    ),
    ("portal/views.py", "invitation_accept"): (
        "the invitation link of the e-mail, opened before the invitee has an account"
    ),
    ("portal/views.py", "calendar_feed"): (
        "the personal calendar feed a calendar program subscribes to; it cannot sign in"
    ),
}

# --- the checker -------------------------------------------------------------------------

RAW_SQL_METHODS = {"raw", "extra", "execute", "executemany", "callproc", "cursor"}
RAW_SQL_NAMES = {"RawSQL", "RunSQL"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
QUERY_METHODS = {
    "get",
    "filter",
    "exclude",
    "get_or_create",
    "update_or_create",
    "in_bulk",
    "update",
    "delete",
}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
# What a request carries from the person who sent it (request.user and request.session are
# the portal's own).
REQUEST_DATA = {"GET", "POST", "FILES", "COOKIES", "META", "headers", "body", "resolver_match"}
# Calls whose result is still the value they were given.
PASS_THROUGH = {"int", "str", "float", "UUID", "list", "tuple", "set", "sorted", "Q"}


@dataclass(frozen=True)
class Violation:
    path: str
    function: str
    line: int
    rule: str

    def __str__(self):
        return f"{self.path}:{self.line} in {self.function}(): {self.rule}"


def is_views_module(path: str) -> bool:
    parts = Path(path).parts
    return parts[-1] == "views.py" or parts[-1].endswith("_views.py") or "views" in parts[:-1]


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _chain_names(node: ast.AST) -> list[str]:
    """The attribute names along a call's receiver: ``Cohort.objects.filter(...).get`` gives
    ``["get", "filter", "objects", "Cohort"]``."""
    names = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return names


def _is_request_data(node: ast.AST) -> bool:
    """``request.GET``, ``self.request.POST``, ``self.kwargs`` and what hangs below them."""
    if not isinstance(node, ast.Attribute):
        return False
    value = node.value
    if node.attr in REQUEST_DATA:
        if isinstance(value, ast.Name) and value.id == "request":
            return True
        if (
            isinstance(value, ast.Attribute)
            and value.attr == "request"
            and isinstance(value.value, ast.Name)
            and value.value.id == "self"
        ):
            return True
    return node.attr in {"kwargs", "args"} and isinstance(value, ast.Name) and value.id == "self"


def _tainted(node: ast.AST | None, names: set[str]) -> bool:
    """Whether ``node``'s value is data from the request: the data itself, a name that holds
    it, or a value taken from it (a key, a conversion, a method of it). The result of any
    other call is that function's own: a door's result is an object it let through."""
    if node is None:
        return False
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Attribute):
        return _is_request_data(node) or _tainted(node.value, names)
    if isinstance(node, ast.Subscript):
        return _tainted(node.value, names) or _tainted(node.slice, names)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute):
            return _tainted(node.func.value, names)
        if isinstance(node.func, ast.Name) and node.func.id in PASS_THROUGH:
            return any(_tainted(arg, names) for arg in [*node.args, *node.keywords])
        return False
    if isinstance(node, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    return any(_tainted(child, names) for child in ast.iter_child_nodes(node))


def _targets(target: ast.AST) -> list[str]:
    return [node.id for node in ast.walk(target) if isinstance(node, ast.Name)]


def _request_names(function: ast.FunctionDef | ast.AsyncFunctionDef, views: bool) -> set[str]:
    """Names in ``function`` that hold request data: in a views module the URL's parameters
    of a function that takes ``request``, and anywhere what is assigned from request data."""
    names: set[str] = set()
    arguments = function.args
    positional = [arg.arg for arg in [*arguments.posonlyargs, *arguments.args]]
    if positional[:1] in (["self"], ["cls"]):
        positional = positional[1:]
    if views and positional[:1] == ["request"]:
        names |= set(positional[1:])
        names |= {arg.arg for arg in arguments.kwonlyargs}
        names |= {arg.arg for arg in (arguments.vararg, arguments.kwarg) if arg}
    assignments = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            assignments += [(target, node.value) for target in node.targets]
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr) and node.value:
            assignments.append((node.target, node.value))
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            assignments.append((node.target, node.iter))
    changed = True
    while changed:  # until no assignment spreads the data to a new name
        changed = False
        for target, value in assignments:
            new = set(_targets(target)) - names
            if new and _tainted(value, names):
                names |= new
                changed = True
    return names


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str):
        self.path = path
        self.views = is_views_module(path)
        self.scope: list[str] = []
        self.request_names: list[set[str]] = [set()]
        self.violations: list[Violation] = []

    def _add(self, node: ast.AST, rule: str) -> None:
        function = ".".join(self.scope) or "<module>"
        self.violations.append(Violation(self.path, function, node.lineno, rule))

    def visit_ClassDef(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node):
        self.scope.append(node.name)
        self.request_names.append(self.request_names[-1] | _request_names(node, self.views))
        self.generic_visit(node)
        self.request_names.pop()
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        name = _call_name(node)
        names = self.request_names[-1]
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        if name in RAW_SQL_NAMES or (
            name in RAW_SQL_METHODS and isinstance(node.func, ast.Attribute)
        ):
            self._add(node, f"raw SQL: {name}()")
        elif name in SHORTCUTS:
            if self.views:
                self._add(node, f"{name}() in a view: fetch through access.get_for_user")
            elif any(_tainted(argument, names) for argument in arguments):
                self._add(node, f"{name}() with request data: fetch through access")
        elif name in QUERY_METHODS and isinstance(node.func, ast.Attribute):
            receiver = _chain_names(node.func.value)
            if MANAGERS & set(receiver) and any(_tainted(arg, names) for arg in arguments):
                self._add(
                    node,
                    f"{'.'.join(reversed(receiver))}.{name}() with request data: "
                    "fetch through access.get_for_user or access.visible",
                )
        self.generic_visit(node)


def check_source(source: str, path: str) -> list[Violation]:
    """The violations of both rules in ``source``, read as the file ``path``."""
    checker = _Checker(path)
    checker.visit(ast.parse(source, filename=path))
    return checker.violations


def sources() -> list[Path]:
    """Our Python files: every installed app in this repository, and scripts/."""
    roots = {
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    }
    roots.add(ROOT / "scripts")
    files = set()
    for root in roots:
        files |= {
            path
            for path in root.rglob("*.py")
            if "migrations" not in path.relative_to(ROOT).parts
            and "tests" not in path.relative_to(ROOT).parts
        }
    return sorted(files)


def violations() -> list[Violation]:
    found = []
    for path in sources():
        relative = path.relative_to(ROOT).as_posix()
        found += check_source(path.read_text(), relative)
    return found


# --- the rules on the portal's own source -------------------------------------------------


@pytest.fixture(scope="module")
def found():
    return violations()


def test_every_app_of_ours_is_read():
    read = {path.relative_to(ROOT).parts[0] for path in sources()}
    apps_ = {"portal", "leergang", "intervisie", "coaching", "evaluations", "hr", "sso", "bench"}
    assert apps_ | {"scripts"} <= read
    assert not [path for path in sources() if "migrations" in path.parts]


def test_no_raw_sql_outside_the_allowed_functions(found):
    raw = [v for v in found if v.rule.startswith("raw SQL")]
    unexplained = [str(v) for v in raw if (v.path, v.function) not in RAW_SQL_ALLOWED]
    if unexplained:
        pytest.fail(
            "Raw SQL: use the ORM, or add the function to RAW_SQL_ALLOWED with the reason:\n"
            + "\n".join(unexplained)
        )
    stale = set(RAW_SQL_ALLOWED) - {(v.path, v.function) for v in raw}
    assert not stale, "RAW_SQL_ALLOWED names functions without raw SQL: remove them"


def test_no_object_fetched_by_request_data_outside_the_access_door(found):
    fetches = [v for v in found if not v.rule.startswith("raw SQL")]
    unexplained = [str(v) for v in fetches if (v.path, v.function) not in FETCH_ALLOWED]
    if unexplained:
        pytest.fail(
            "Fetched by request data outside the access door: use access.get_for_user or "
            "access.visible (portal/access.py), or a get_<model>_for_user helper:\n"
            + "\n".join(unexplained)
        )
    stale = set(FETCH_ALLOWED) - {(v.path, v.function) for v in fetches}
    assert not stale, "FETCH_ALLOWED names functions that no longer need it: remove them"


# --- the checker, proven on snippets ------------------------------------------------------


def rules(source: str, path: str = "leergang/views.py") -> list[str]:
    return [v.rule for v in check_source(textwrap.dedent(source), path)]


@pytest.mark.parametrize(
    "source",
    [
        "Cohort.objects.raw('SELECT * FROM leergang_cohort')",
        "Cohort.objects.filter(pk=1).extra(where=['1=1'])",
        "Cohort.objects.annotate(n=RawSQL('SELECT 1', []))",
        "Cohort.objects.annotate(n=expressions.RawSQL('SELECT 1', []))",
        "operations = [migrations.RunSQL('DROP TABLE x')]",
        """
        def f():
            with connection.cursor() as cursor:
                pass
        """,
        "connections['default'].cursor().execute('SELECT 1')",
        "psycopg.connect(url).execute('CREATE DATABASE x')",
        "cursor.executemany('INSERT INTO x VALUES (%s)', rows)",
    ],
)
def test_raw_sql_is_caught(source):
    found = rules(source, "portal/services.py")
    assert found and all(rule.startswith("raw SQL") for rule in found)


@pytest.mark.parametrize(
    "source",
    [
        "Cohort.objects.filter(pk=1).values('title').first()",
        "Cohort.objects.annotate(n=Count('enrolments'), raw_title=F('title'))",
        "Enrolment.objects.select_related('cohort').get(pk=enrolment.pk)",
        "raw = form.cleaned_data['raw']",
    ],
)
def test_the_orm_is_no_raw_sql(source):
    assert rules(source, "portal/services.py") == []


def test_raw_sql_is_named_by_file_and_function():
    source = """
    class Purger:
        def purge(self):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL x = 'on'")
    """
    found = check_source(textwrap.dedent(source), "portal/audit.py")
    assert {(v.path, v.function, v.line) for v in found} == {
        ("portal/audit.py", "Purger.purge", 4),
        ("portal/audit.py", "Purger.purge", 5),
    }


@pytest.mark.parametrize(
    "source",
    [
        # An id from the query string or the form, straight into a manager.
        """
        def view(request):
            return Cohort.objects.get(pk=request.GET["cohort"])
        """,
        """
        def view(request):
            return Cohort.objects.filter(pk__in=request.POST.getlist("ids"))
        """,
        """
        def view(request):
            cohort_id = int(request.POST.get("cohort", 0))
            ids = [cohort_id]
            return Enrolment.objects.filter(cohort_id__in=ids).delete()
        """,
        """
        class View:
            def get(self):
                return Cohort.objects.get(pk=self.kwargs["pk"])
        """,
        """
        class View:
            def get(self):
                return Cohort._default_manager.get(pk=self.request.GET["pk"])
        """,
        # The URL's own parameters are request data too.
        """
        def view(request, pk):
            return Cohort.objects.select_related("leergang").get(pk=pk)
        """,
        """
        def view(request, *, pk):
            return Cohort.objects.filter(Q(pk=pk) | Q(slug=pk)).first()
        """,
        """
        def view(request, pk):
            return Cohort.objects.get_or_create(pk=pk)
        """,
        """
        def view(request):
            return Cohort.objects.filter(**request.GET.dict())
        """,
        # get_object_or_404 has no place in a view, whatever it is given.
        """
        def view(request, pk):
            return get_object_or_404(Cohort, pk=pk)
        """,
        """
        def view(request):
            return shortcuts.get_object_or_404(Cohort.objects.all(), pk=1)
        """,
    ],
)
def test_a_fetch_by_request_data_in_a_view_is_caught(source):
    assert len(rules(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        """
        def helper(request):
            return Cohort.objects.get(pk=request.GET["cohort"])
        """,
        """
        def helper(request):
            return get_object_or_404(Cohort, pk=request.POST["cohort"])
        """,
    ],
)
def test_request_data_outside_views_is_caught_too(source):
    assert len(rules(source, "portal/forms.py")) == 1


@pytest.mark.parametrize(
    "source",
    [
        # Through the door, by id or by lookup.
        """
        def view(request, pk):
            cohort = access.get_for_user(request.user, Cohort, action="manage", pk=pk)
            return Enrolment.objects.filter(cohort=cohort)
        """,
        """
        def view(request, pk):
            return access.visible(request.user, Cohort).filter(pk=pk).first()
        """,
        """
        def view(request, pk):
            enrolment = get_enrolment_for_user(request.user, pk)
            return Reflection.objects.filter(enrolment=enrolment, module=enrolment.module)
        """,
        # Scoped by the person who is signed in.
        """
        def view(request):
            return Notification.objects.filter(recipient=request.user).update(read=True)
        """,
        # A related manager of an object that came through the door.
        """
        def view(request, pk, slug):
            enrolment = access.get_for_user(request.user, Enrolment, pk=pk)
            return enrolment.cohort.bijeenkomsten.filter(slug=slug).first()
        """,
        # Not a view: ids here come from a task or a service, not from a request.
        """
        def enrolment_cancel(*, enrolment_id, by):
            return Enrolment.objects.select_for_update().get(pk=enrolment_id)
        """,
        """
        def get_cohort_for_user(user, pk):
            return Cohort.objects.for_user(user).get(pk=pk)
        """,
        # Request data that fetches nothing.
        """
        def view(request):
            form = CancelForm(request.POST or None)
            return render(request, "x.html", {"page": request.GET.get("page")})
        """,
    ],
)
def test_the_door_and_scoped_lookups_pass(source):
    path = "portal/services.py" if "def view" not in source else "leergang/views.py"
    assert rules(source, path) == []


@pytest.mark.parametrize(
    "path",
    ["leergang/views.py", "portal/audit_views.py", "portal/views/accounts.py"],
)
def test_views_modules_are_recognised(path):
    assert is_views_module(path)
    source = """
    def view(request, pk):
        return get_object_or_404(Cohort, pk=pk)
    """
    assert len(rules(source, path)) == 1


def test_the_same_code_outside_views_is_not_a_view():
    source = """
    def get_thing(request, pk):
        return Cohort.objects.get(pk=pk)
    """
    assert not is_views_module("portal/services.py")
    assert rules(source, "portal/services.py") == []
