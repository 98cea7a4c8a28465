"""A crawl of the demo city, as every role, that sends every parameter malformed values: no server error.

Discovery: for each role the crawl starts at every URL pattern that takes no argument and follows
the links it finds (a few pages per pattern), collecting the query keys of links, the field names of
GET forms (the pages' filters) and the POST forms with their fields; the API's parameters come from
its OpenAPI schema, its ids from its own lists. A pattern no link reaches is filled with id 1 (the
first row of its table, which the demo has for most) so that every pattern of the site is sent
something.

Then every pattern and every parameter it takes gets each malformed value class below (the
admin's hundred patterns, Django's own code, a rotating share of the classes), path ids are forged
and made huge, and every POST form is sent wrong types, huge and forged ids and missing fields. The role sending each request rotates among the roles that reach the page. A status >= 500,
or an exception escaping the view, fails the test with the role, method, URL and value class.
Each request runs in a savepoint rolled back afterwards, so a POST changes nothing for the next.
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import count
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from gandang.demo.build import DEMO_TODAY, build_demo
from gandang.org.models import User
from tests.core.test_demo import _wipe_demo

# One demo user per role; "anon" is the public (the showcase, the login page).
ROLES = {
    "anon": None,
    "office": "office",
    "leader": "leader",
    "liaison": "liaison_fgw",
    "head": "head_fgw",
    "observer": "observer",
    # 三权分立: the administrators' own screens (accounts, the security log) get the same treatment.
    "sysadmin": "sysadmin",
    "secadmin": "secadmin",
    "auditadmin": "auditadmin",
}
# The fewest pages each role's crawl must reach, to prove the crawl itself works.
MIN_PAGES = {"anon": 5, "sysadmin": 3, "secadmin": 3, "auditadmin": 4}

# The value classes every parameter is sent.
MALFORMED: dict[str, str] = {
    "text": "abc",
    "huge": "99999999999999999999",  # beyond every integer column
    "negative": "-1",
    "zero": "0",
    "empty": "",
    "bad_date": "2023-13-45",
    "long": "9" * 5000,  # int() refuses strings of more than 4300 digits
    "superscript": "²",  # str.isdigit() says yes, int() says no
    "unicode": "改革🙂",
    "nul": "1\x00",  # PostgreSQL refuses NUL in a string literal
}
# Path ids: beyond bigint, one past it, the largest bigint, zero.
FORGED_IDS = ["99999999999999999999", str(2**63), str(2**63 - 1), "0"]
# Path words (an action, a format, a section key).
FORGED_WORDS = ["abc", "x" * 300, "%00", quote("改革")]
# Names views commonly read without a form showing them; sent all at once to every page.
COMMON_PARAMS = ["page", "id", "unit", "year", "period", "item", "parent", "proposal", "line", "next", "q"]
# Fallback path values for a pattern no link reached.
FALLBACK_WORDS = {
    "fmt": "docx",
    "action": "submit",
    "key": "overview",
    "url": "nothing",
    "app_label": "ledger",
}

# Roles whose form each POST pattern is sent (the first roles to reach it, the office first).
POST_ROLES = 2
# Pages per pattern the discovery visits (a list links to a hundred items; two of them suffice).
VISITS_PER_PATTERN = 2
# Ending the session would turn the rest of the crawl into the public's.
SKIP = re.compile(r"logout/$")
# Documents rendered on every request (PDF, Word, Excel): not fetched in discovery, and sent each
# value class in all their parameters at once rather than one parameter at a time.
SLOW = re.compile(r"(download|document|notice\.|letters/|export\.xlsx|template\.xlsx|scan/|evidence/)")
# The configuration screens are Django's admin: each of its patterns gets a share of the value classes.
ADMIN = "manage/"
ADMIN_CLASSES_PER_ROUTE = 3


def _routes(resolver=None, prefix="") -> dict[str, URLPattern]:
    """Every URL pattern of the site, by its full route."""
    resolver = resolver or get_resolver()
    found: dict[str, URLPattern] = {}
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            found.update(_routes(p, prefix + str(p.pattern)))
        else:
            found[prefix + str(p.pattern)] = p
    return found


class _Page(HTMLParser):
    """Links (href, hx-get), and forms with their fields (name → default value) and named buttons
    ((name, value): a browser sends the one clicked), of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        for attr in ("href", "hx-get"):
            if a.get(attr) and tag != "link":
                self.links.append(a[attr])
        if a.get("hx-post"):
            self.forms.append({"method": "post", "action": a["hx-post"], "fields": {}, "buttons": []})
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action", ""),
                "fields": {},
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and a.get("name"):
            name, fields = a["name"], self._form["fields"]
            if tag == "input":
                kind = a.get("type", "text")
                if kind == "submit":
                    self._form["buttons"].append((name, a.get("value", "")))
                elif kind in ("checkbox", "radio"):
                    if "checked" in a or name not in fields:
                        fields[name] = a.get("value", "on")
                elif kind != "file":
                    fields[name] = a.get("value", "")
            elif tag == "select":
                self._select = name
                fields.setdefault(name, "")
            elif tag == "textarea":
                fields.setdefault(name, "")
            elif tag == "button":
                self._form["buttons"].append((name, a.get("value", "")))
        if tag == "option" and self._form is not None and self._select:
            fields = self._form["fields"]
            if "selected" in a or not fields.get(self._select):
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


@dataclass
class Discovery:
    """What one role's crawl found."""

    role: str
    # route → (url, status); route → query keys; route → (path, fields, buttons)
    pages: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    params: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    posts: dict[str, list[tuple[str, dict, list]]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)
    requests: int = 0


def _route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def _client(role: str) -> Client:
    client = Client()
    if ROLES[role]:
        client.force_login(User.objects.get(username=ROLES[role]))
    return client


def _send(client: Client, method: str, url: str, data=None):
    """One request in a savepoint rolled back afterwards: a POST changes nothing for the next request,
    and a database error cannot poison the rest of the crawl. Returns (status, response or None, error)."""
    try:
        with transaction.atomic():
            if method == "get":
                response = client.get(url, data)
            else:
                response = client.post(url, data if data is not None else {})
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - an exception escaping a view is the server error we look for
        return 500, None, f"{type(exc).__name__}: {str(exc)[:300]}"
    return response.status_code, response, ""


def _first_id(data) -> int | None:
    """The first "id" in a JSON answer (a list, or a page of a list)."""
    if isinstance(data, dict):
        if isinstance(data.get("id"), int):
            return data["id"]
        data = list(data.values())
    if isinstance(data, list):
        for value in data:
            found = _first_id(value)
            if found is not None:
                return found
    return None


def _api(d: Discovery, client: Client, schema: dict, queue: list[str]) -> None:
    """The API's operations: query parameters from the schema, path ids from the API's own lists."""
    for template, operations in schema["paths"].items():
        path = template
        if "{" in template:
            status, response, _e = _send(client, "get", template.rsplit("/", 1)[0])
            found = _first_id(response.json()) if status == 200 and response is not None else None
            path = re.sub(r"\{[^}]+\}", str(found or 1), template)
        route = _route_of(path)
        if route is None:
            continue
        for op in operations.values():
            for p in op.get("parameters", []):
                if p.get("in") == "query":
                    d.params[route].add(p["name"])
        queue.append(path)


def _discover(role: str, routes: dict[str, URLPattern]) -> Discovery:
    d = Discovery(role)
    client = _client(role)
    queue = ["/" + r for r, p in routes.items() if not p.pattern.regex.groupindex and "<" not in r]
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        route = _route_of(path)
        if route is None or SKIP.search(route) or url in seen:
            continue
        seen.add(url)
        for key, _value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            d.params[route].add(key)
        if len(d.pages[route]) >= VISITS_PER_PATTERN or SLOW.search(route):
            if not d.pages[route]:
                d.pages[route].append((url, 0))
            continue
        status, response, error = _send(client, "get", url)
        d.requests += 1
        d.pages[route].append((url, status))
        if status >= 500:
            d.failures.append(f"{role} GET {url} → {status} {error}")
        if response is None or status != 200:
            continue
        if route == "api/openapi.json":
            _api(d, client, response.json(), queue)
        if "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        for href in page.links:
            parts = urlsplit(href)
            if href.startswith("?"):
                queue.append(path + href)
            elif not (parts.scheme or parts.netloc) and parts.path.startswith("/"):
                queue.append(href)
        for form in page.forms:
            action = urlsplit(form["action"] or url)
            action_path = action.path if action.path.startswith("/") else path
            target = _route_of(action_path)
            if target is None:
                continue
            if form["method"] == "get":
                d.params[target].update(form["fields"])
                query = urlencode(form["fields"])
                queue.append(f"{action_path}?{query}" if query else action_path)
            elif len(d.posts[target]) < VISITS_PER_PATTERN:
                d.posts[target].append((action_path, form["fields"], form["buttons"]))
    return d


@dataclass
class CrawlPlan:
    """The union of the roles' discoveries: for each route the (role, url) that reach it."""

    routes: dict[str, URLPattern]
    reach: dict[str, list[tuple[str, str]]]  # route → (role, url), roles that got a page first
    params: dict[str, set[str]]  # route → every query key any role's crawl saw
    posts: dict[str, list[tuple[str, str, dict, list]]]  # route → (role, path, fields, buttons)
    filled: set[str]  # routes no link reached, filled with id 1
    post_only: set[str]  # routes reached only as the action of a POST form
    discovery: dict[str, Discovery]
    seconds: float


def _fill(route: str) -> str:
    """A URL for a pattern no link reached: ids 1, known words for the rest."""

    def word(m: re.Match) -> str:
        name = m.group("name")
        return FALLBACK_WORDS.get(name, "1")

    url = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", word, route)
    url = re.sub(r"\^\(\?P<(?P<name>\w+)>[^)]*\)", word, url)
    return "/" + url.replace("^", "").replace("$", "").replace("(?P<url>.*)", "nothing")


def _plan(discovery: dict[str, Discovery], seconds: float) -> CrawlPlan:
    routes = _routes()
    reach: dict[str, list[tuple[str, str]]] = defaultdict(list)
    later: dict[str, list[tuple[str, str]]] = defaultdict(list)
    params: dict[str, set[str]] = defaultdict(set)
    posts: dict[str, list] = defaultdict(list)
    for role, d in discovery.items():
        for route, pages in d.pages.items():
            ok = [u for u, s in pages if s in (0, 200)]
            if ok:
                reach[route].append((role, ok[0]))
            elif pages:
                later[route].append((role, pages[0][0]))
        for route, names in d.params.items():
            params[route] |= names
        for route, forms in d.posts.items():
            if len(posts[route]) < POST_ROLES:
                posts[route].append((role, *forms[0]))
    for route, rows in later.items():
        if route not in reach:
            reach[route] = rows
    filled, post_only = set(), set()
    for route in routes:
        if route not in reach and not SKIP.search(route):
            if posts.get(route):
                reach[route] = [(role, path) for role, path, _fields, _buttons in posts[route]]
                post_only.add(route)
            else:
                filled.add(route)
                reach[route] = [(role, _fill(route)) for role in ROLES if role != "anon"]
    return CrawlPlan(routes, dict(reach), dict(params), dict(posts), filled, post_only, discovery, seconds)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo city, built once for the module (about 20 s), wiped afterwards."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        build_demo()
    yield
    with django_db_blocker.unblock():
        _wipe_demo()


@pytest.fixture(scope="module")
def quiet():
    """400s, 403s, 404s, refused logins and 500s are what the crawl expects and reports itself;
    the logs would drown its report."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(scope="module")
def crawl_settings():
    """The demo's pinned day; lists of 5 rows, which read their filters as lists of 30 do, 3× faster."""
    # No second factor asked (conftest's per-test setting is not yet in force for a module's fixture).
    with override_settings(
        GANDANG_TODAY=DEMO_TODAY.isoformat(), GANDANG_PAGE_SIZE=5, GANDANG_2FA_REQUIRED_ROLES=[]
    ):
        yield


@pytest.fixture(scope="module")
def plan(demo, quiet, crawl_settings, django_db_blocker) -> CrawlPlan:
    """Each role's discovery of the demo, on the demo's pinned day."""
    started = time.monotonic()
    with django_db_blocker.unblock():
        discovery = {role: _discover(role, _routes()) for role in ROLES}
    return _plan(discovery, time.monotonic() - started)


class Crawl:
    """Sends requests, rotating the role among those that reach each route; collects the failures."""

    def __init__(self) -> None:
        self.clients: dict[str, Client] = {}
        self.failures: list[str] = []
        self.sent = 0
        self.statuses: dict[int, int] = defaultdict(int)
        self.turn = count()
        self.started = time.monotonic()
        self.seconds: dict[str, float] = defaultdict(float)  # by route, to keep the crawl's time in view

    def client(self, role: str) -> Client:
        if role not in self.clients:
            self.clients[role] = _client(role)
        return self.clients[role]

    def pick(self, rows: list) -> tuple:
        return rows[next(self.turn) % len(rows)]

    def send(self, role: str, method: str, url: str, data=None, *, what: str) -> None:
        started = time.monotonic()
        status, _response, error = _send(self.client(role), method, url, data)
        self.seconds[_route_of(urlsplit(url).path) or url] += time.monotonic() - started
        self.sent += 1
        self.statuses[status] += 1
        if status >= 500:
            self.failures.append(f"{role} {method.upper()} {url} [{what}] → {status} {error}".strip())

    def report(self, title: str) -> str:
        took = time.monotonic() - self.started
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        slowest = sorted(self.seconds.items(), key=lambda kv: -kv[1])[:3]
        slow = ", ".join(f"{route or '/'} {s:.1f}s" for route, s in slowest)
        return f"{title}: {self.sent} requests in {took:.1f}s ({codes}); slowest: {slow}"


def _with(url: str, name: str, value: str | list[str]) -> str:
    """`url` with its query key `name` set to `value` (a list: the key repeated)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return f"{parts.path}?{urlencode(query)}"


def _classes(route: str) -> Iterator[tuple[str, str]]:
    """The value classes a route is sent: all of them, or a rotating share for the admin's patterns."""
    items = list(MALFORMED.items())
    if not route.startswith(ADMIN):
        yield from items
        return
    start = sum(map(ord, route))
    for i in range(ADMIN_CLASSES_PER_ROUTE):
        yield items[(start + i) % len(items)]


@pytest.mark.django_db
def test_discovery_reaches_every_pattern_without_a_server_error(plan):
    d = plan.discovery
    failures = [f for x in d.values() for f in x.failures]
    print(
        f"\ndiscovery: {sum(x.requests for x in d.values())} requests in {plan.seconds:.1f}s; "
        f"{len(plan.routes)} patterns, {len(plan.routes) - len(plan.filled)} reached by links or forms, "
        f"{len(plan.filled)} filled with id 1; {sum(map(len, plan.params.values()))} query parameters "
        f"on {len(plan.params)} patterns; {len(plan.posts)} POST forms"
    )
    assert not failures, "\n".join(failures)
    # The crawl itself works: every role signs in and walks its pages, and links or forms reach
    # most of the product's patterns (the rest are filled with id 1, which proves less).
    for role, x in d.items():
        pages = sum(1 for rows in x.pages.values() for _url, status in rows if status == 200)
        assert pages >= MIN_PAGES.get(role, 40), f"{role} reached only {pages} pages"
    product = [r for r in plan.routes if not r.startswith(ADMIN)]
    unreached = [r for r in product if r in plan.filled]
    assert len(unreached) < len(product) / 4, f"links reach too few patterns; unreached: {unreached}"


@pytest.mark.django_db
def test_query_values_never_give_a_server_error(plan):
    """Every parameter of every page × every malformed value class, one at a time, then all of them
    and the common names at once; a document (PDF, Word, Excel) is rendered only for the latter."""
    crawl = Crawl()
    patterns = names_sent = 0
    for route in sorted(plan.reach):
        if route not in plan.routes or route in plan.post_only:
            continue
        patterns += 1
        rows = plan.reach[route]
        names = sorted(plan.params.get(route, ()))
        one_by_one = [] if SLOW.search(route) else names
        names_sent += len(names)
        for cls, value in _classes(route):
            for name in one_by_one:
                role, url = crawl.pick(rows)
                crawl.send(role, "get", _with(url, name, value), what=f"{name}={cls}")
            role, url = crawl.pick(rows)
            query = urlencode([(n, value) for n in sorted({*names, *COMMON_PARAMS})])
            crawl.send(role, "get", f"{urlsplit(url).path}?{query}", what=f"all={cls}")
        for name in one_by_one:
            role, url = crawl.pick(rows)
            crawl.send(role, "get", _with(url, name, ["1", "abc", ""]), what=f"{name} repeated")
    print("\n" + crawl.report(f"query values ({patterns} patterns, {names_sent} parameters)"))
    assert not crawl.failures, "\n".join(crawl.failures)


def _forged(route: str, url: str) -> Iterator[tuple[str, str]]:
    """`url` with each path argument of `route` forged in turn: (what, url)."""
    pattern = _route_regex(route)
    m = pattern.match(urlsplit(url).path.lstrip("/"))
    if not m:
        return
    path = urlsplit(url).path.lstrip("/")
    for name, (start, end) in ((n, m.span(n)) for n in m.re.groupindex):
        numeric = m.group(name).isdigit()
        for value in FORGED_IDS if numeric else FORGED_WORDS:
            yield f"{name}={value[:24]}", "/" + path[:start] + value + path[end:]


def _route_regex(route: str) -> re.Pattern:
    """A regex for a route string, each <converter:name> (or (?P<name>…)) a named group."""
    if "(?P" in route or route.startswith("^"):
        return re.compile(route.replace("^", "").replace("$", "") + "$")
    out, pos = "", 0
    for m in re.finditer(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>", route):
        out += re.escape(route[pos : m.start()])
        out += (
            f"(?P<{m.group('name')}>[^/]+?)" if m.group("conv") != "path" else f"(?P<{m.group('name')}>.+?)"
        )
        pos = m.end()
    return re.compile(out + re.escape(route[pos:]) + "$")


@pytest.mark.django_db
def test_forged_path_ids_never_give_a_server_error(plan):
    """Every path argument huge, past bigint, zero; every path word nonsense. POST routes get POSTs."""
    crawl = Crawl()
    patterns = 0
    for route in sorted(plan.reach):
        if "<" not in route or route not in plan.routes:
            continue
        patterns += 1
        forms = plan.posts.get(route, [])
        for what, url in _forged(route, plan.reach[route][0][1]):
            role, _url = crawl.pick(plan.reach[route])
            crawl.send(role, "get", url, what=what)
            if forms:
                role, _path, fields, buttons = crawl.pick(forms)
                crawl.send(role, "post", url, {**fields, **dict(buttons[:1])}, what=what)
    print("\n" + crawl.report(f"forged path arguments ({patterns} patterns)"))
    assert not crawl.failures, "\n".join(crawl.failures)


def _representatives(fields: dict) -> list[str]:
    """One field name per kind: a formset's rows (form-0-id, form-1-id…) are the same field."""
    kinds: dict[str, str] = {}
    for name in sorted(fields):
        kinds.setdefault(re.sub(r"-\d+-", "-#-", name), name)
    return list(kinds.values())


@pytest.mark.django_db
def test_malformed_posts_never_give_a_server_error(plan):
    """Every POST form: nothing at all; all its fields (and its first button) one malformed class at
    a time; each field alone malformed among the form's own values, the first button clicked: a NUL,
    and one other class rotating from field to field. A NUL is also sent in each field with each of
    the form's other buttons clicked (save, submit, send back… each reads the fields its own way);
    the admin's save buttons all take the same path, so only its first is clicked."""
    crawl = Crawl()
    fields_sent = 0
    classes = [(cls, value) for cls, value in MALFORMED.items() if cls != "nul"]
    turn = count()
    for route in sorted(plan.posts):
        if SKIP.search(route):
            continue
        for role, path, fields, buttons in plan.posts[route]:
            clicks = [dict([b]) for b in dict(buttons).items()] or [{}]
            if route.startswith(ADMIN):
                clicks = clicks[:1]
            first = {**fields, **clicks[0]}
            fields_sent += len(first)
            crawl.send(role, "post", path, {}, what="no fields")
            for cls, value in _classes(route):
                crawl.send(role, "post", path, dict.fromkeys(first, value), what=f"all={cls}")
            for name in _representatives(first):
                # Text a view stores without its form reaches PostgreSQL, which refuses a NUL.
                for click in clicks if name in fields else clicks[:1]:
                    what = f"{name}=nul" + (f" with {next(iter(click))}" if click else "")
                    crawl.send(role, "post", path, {**fields, **click, name: MALFORMED["nul"]}, what=what)
                cls, value = classes[next(turn) % len(classes)]
                crawl.send(role, "post", path, {**first, name: value}, what=f"{name}={cls}")
    forms = sum(map(len, plan.posts.values()))
    print(
        "\n" + crawl.report(f"POST forms ({len(plan.posts)} patterns, {forms} forms, {fields_sent} fields)")
    )
    assert not crawl.failures, "\n".join(crawl.failures)
