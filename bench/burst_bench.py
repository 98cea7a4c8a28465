"""Month-end burst on PostgreSQL: N liaisons saving and submitting their reports at once over loopback
HTTP, against a bare Django view doing one INSERT served the same way, in the same run.

    createdb -h 127.0.0.1 -U postgres gandang_burst
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gandang_burst \\
        .venv/bin/python bench/burst_bench.py [--clients 200] [--seconds 120] [--items 20000] [--workers N]

Targets (issue 12): the saves' and the submissions' p95 under 300 ms, no error, no save lost or
applied twice; printed beside the bare INSERT view's figures and the ratio of the p95s.

Setup. The database named in DATABASE_URL (PostgreSQL only; its name must contain "burst" or "bench",
for it is dropped and made anew: a flush cannot empty the append-only security log) is migrated and filled with the province of gandang.demo.scale (`--items`
items over 448 units, the October 2023 month open, a third of its reports drafts). `--clients` units
with at least two drafts are chosen, each with its liaison (no second factor: liaisons are not in
GANDANG_2FA_REQUIRED_ROLES), whose password is set to a known one. `gandang serve --no-migrate`
runs with `--workers` processes × `--threads` threads on a free port, the calendar pinned to
2023-10-20 (GANDANG_TODAY) so the month is the current one.

Each client is a thread with its own keep-alive connection (http.client) and cookies. It signs in
once (GET /login/ for the CSRF cookie, POST the credentials), opens its fill page once to warm the
workers, and waits for the others; after `--warm` unmeasured seconds of what follows (each server
thread opens its database connection on its first request), until the time is up, it
  1. opens its unit's fill page for the open month (GET /dispatch/periods/<pk>/fill/), reads the
     form as a browser holds it (the CSRF token, each card's fields and hidden version);
  2. types into one of its drafts: `--saves-per-visit` autosaves (POST /dispatch/reports/<pk>/autosave/
     with the card's fields, as app.js posts them: multipart, X-Requested-With: fetch), each with a
     new 本月进展 text and the version the last answer gave;
  3. every `--submit-every`-th visit (while it has two drafts or more left) presses the card's
     提交签发 instead of the last autosave: POST of the whole fill form, every card as the browser
     sends it, with `submit=<pk>` (the save and the submission in one transaction; the answer is a
     302 back to the page).
With `--think T` each client pauses a random 0–2T seconds after each answer, and comes in within its
first such pause (no stampede at the start of each round): the liaisons of a month-end are all at
work at once, not all pressing a key in the same millisecond. A browser autosaves a card 1.5 s after
the typing stops (app.js), so a liaison who types steadily sends a save every few seconds at most;
`--think 0` is the stress case (every client sends its next request as soon as the answer comes).
Every request's latency and status is kept, and what the server says it cost (the Server-Timing header,
GANDANG_SERVER_TIMING=1: the application's time, its CPU, its database wait): a client's wait beyond
the application's time was spent queued before it (for a free worker thread). An error is any other answer than the expected one
(200 with ok for an autosave, 302 for a submission, 200 for the page), or no answer.

The floor: bench/burst_bare, a Django view with no app and no middleware doing one INSERT into a
table of the same database, served by gunicorn with the same workers, threads and worker class as
`gandang serve`. The same number of client threads, each with its keep-alive connection, POST to
it (one INSERT a request, answered with the new row's id) as fast as the answers come. Gandang and
the floor take turns (`--rounds`, of seconds/rounds each), so that on a shared machine both meet
the same background load; the p95 ratio is Gandang's over the floor's.

Lost and duplicated saves. Each client is the only one to write its unit's reports, so it knows
what each report must hold: the text of its last acknowledged save, and its version. Every save of
the product bumps Report.version by exactly one in the transaction that writes the text (report_save's
`UPDATE … version = version + 1 WHERE version = <the page's>`), and a submission bumps it once more
(the flow's move): the version is an exact count of the writes applied. After the run, for each
report a client touched:
  - lost: the stored 本月进展 is not the last acknowledged text, or the version is below the
    initial version plus the acknowledged writes (an acknowledged write that is not there);
  - duplicated: the version is above it (a write applied twice, or applied without being
    acknowledged), or more submit steps (ReportStep rows) than acknowledged submissions;
  - audit: the report's audit entries of the run must be one for the autosaved sitting (autosaves
    within 30 min merge into one entry: gandang.core.audit) plus one for the submission's save; a
    count that differs is printed (ReportRevision is written only when an accepted report is
    reopened, never here).
A client also checks on each visit that the page shows the version it expects. A write that got
no answer (a timeout, a dropped connection) is an error; its report is then left alone, and its
final state may be either the acknowledged or the attempted one ("unresolved", not "lost").
For the bare view: every acknowledged id must be in the table (lost), and no row may be there that
was not acknowledged (duplicated).
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
GANDANG = str(Path(sys.executable).parent / "gandang")
TODAY = "2023-10-20"  # the province's open month is October 2023
PASSWORD = "Burst#2023-bench"
TARGET_MS = 300.0
BARE_TABLE = "bench_burst_bare"
SERVER_TIMING = re.compile(r"(\w+);dur=([\d.]+)")


# --- setup (in this process, with Django) ---------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(
            "burst_bench 只在 PostgreSQL 上运行 / runs on PostgreSQL only: set DATABASE_URL, e.g.\n"
            "  createdb -h 127.0.0.1 -U postgres gandang_burst\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/gandang_burst python bench/burst_bench.py"
        )
    name = parsed.path.lstrip("/")
    if "burst" not in name and "bench" not in name:
        raise SystemExit(
            f"the bench empties the database {name!r}: give it one made for it (a name with 'burst' or 'bench')"
        )
    return url


def recreate_database(url: str) -> None:
    """A new, empty database under the name of DATABASE_URL's (a flush cannot empty the security log:
    its triggers keep it append-only, as they should)."""
    import psycopg
    from psycopg import sql

    name = urllib.parse.urlparse(url).path.lstrip("/")
    maintenance = urllib.parse.urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(data_dir: str) -> None:
    os.environ["GANDANG_DATA_DIR"] = data_dir
    os.environ["GANDANG_TODAY"] = TODAY
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandang.settings")
    import django

    django.setup()


@dataclass
class Tracked:
    """What a report must hold, as its one writer knows it."""

    pk: int
    version: int  # the version the page should show now
    text: str  # the 本月进展 of the last acknowledged save
    initial_version: int
    state: str = "draft"
    saves: int = 0  # acknowledged autosaves
    submits: int = 0  # acknowledged submissions (each: one save + one step)
    unresolved: str = ""  # the text of a write that got no answer


@dataclass
class Liaison:
    username: str
    unit_id: int
    reports: list[Tracked]


def build(items: int, clients: int) -> tuple[int, list[Liaison], dict[str, int]]:
    """The province, the liaisons and their drafts; returns the open period's pk too."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from gandang.core import clock
    from gandang.demo.scale import build_scale
    from gandang.dispatch.models import Period, Report
    from gandang.org.models import User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database made and migrated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with clock.pinned(date.fromisoformat(TODAY)):
        counts = build_scale(items=items)
    print(f"province built in {time.perf_counter() - started:.1f} s: {counts}")
    period = Period.objects.get(state=Period.State.OPEN)
    with_liaison = User.objects.filter(role=User.Role.LIAISON).values("unit_id")
    units = list(
        Report.objects.filter(period=period, state=Report.State.DRAFT, unit_id__in=with_liaison)
        .values("unit_id")
        .annotate(drafts=Count("id"))
        .filter(drafts__gte=2)
        .order_by("unit_id")
        .values_list("unit_id", flat=True)
    )
    if len(units) < clients:
        raise SystemExit(
            f"only {len(units)} units have two drafts or more: use more --items or fewer --clients"
        )
    chosen = random.Random(12).sample(units, clients)
    users = dict(
        User.objects.filter(role=User.Role.LIAISON, unit_id__in=chosen).values_list("unit_id", "username")
    )
    User.objects.filter(username__in=users.values()).update(password=make_password(PASSWORD))
    liaisons = []
    drafts = Report.objects.filter(period=period, unit_id__in=chosen, state=Report.State.DRAFT).order_by("pk")
    by_unit: dict[int, list[Tracked]] = {u: [] for u in chosen}
    for pk, unit_id, version, progress in drafts.values_list("pk", "unit_id", "version", "progress"):
        by_unit[unit_id].append(Tracked(pk=pk, version=version, text=progress, initial_version=version))
    for unit_id in chosen:
        liaisons.append(Liaison(users[unit_id], unit_id, by_unit[unit_id]))
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cur.execute(
            f"CREATE TABLE {BARE_TABLE} (id bigserial PRIMARY KEY, client integer NOT NULL,"
            " text text NOT NULL, at timestamptz NOT NULL DEFAULT now())"
        )
        cur.execute("VACUUM ANALYZE")
    per_unit = Report.objects.filter(period=period, unit_id__in=chosen).count() / clients
    stats = {"cards_per_page": round(per_unit), "drafts": sum(len(x.reports) for x in liaisons)}
    connection.close()
    return period.pk, liaisons, stats


# --- servers ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server in its own process group, stopped (the whole group) on exit."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int, log_dir: str) -> None:
        self.name, self.port = name, port
        self.log = Path(log_dir) / f"{name}.log"
        self.proc = subprocess.Popen(
            argv,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str) -> None:
        for _ in range(300):
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited: see {self.log}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", path)
                c.getresponse().read()
                c.close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{self.name} did not start: see {self.log}")

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass

    def errors_logged(self) -> list[str]:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [line for line in text.splitlines() if "Error" in line or "Traceback" in line]


# --- the HTTP client ----------------------------------------------------------------------------------


class Browser:
    """One person's browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.last_used = 0.0

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        if time.monotonic() - self.last_used > 1.5:  # the server drops a keep-alive idle 2 s
            self.conn.close()
        h = {"Accept-Language": "zh-hans", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            h["Origin"] = self.origin
        try:
            self.conn.request(method, path, body=body, headers=h)
            resp = self.conn.getresponse()
            data = resp.read()
        except Exception:
            self.conn.close()
            raise
        finally:
            self.last_used = time.monotonic()
        for value in resp.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data

    def close(self) -> None:
        self.conn.close()


def multipart(fields: list[tuple[str, str]], files: list[str] = ()) -> tuple[bytes, str]:  # type: ignore[assignment]
    """The body a browser posts for a FormData or a multipart form (empty file inputs included)."""
    boundary = "----burst" + uuid.uuid4().hex
    out = []
    for name, value in fields:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name in files:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename=""\r\n'
            "Content-Type: application/octet-stream\r\n\r\n\r\n".encode()
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


TAG = re.compile(r"<(input|textarea|article)\b([^>]*)>|</textarea>|</article>", re.S)
ATTR = re.compile(r'([\w:-]+)(?:="([^"]*)")?')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class FillForm:
    """The fill page's form as the browser holds it: the fields in order, each card's own ones."""

    token: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the form posts, in order
    files: list[str] = field(default_factory=list)
    cards: dict[int, list[int]] = field(default_factory=dict)  # report pk -> indexes into fields


def read_fill(page: str) -> FillForm:
    start = page.find('<form id="fill"')
    end = page.find("</form>", start)
    m = TOKEN.search(page)
    form = FillForm(token=unescape(m.group(1)) if m else "")
    if start < 0:
        return form
    chunk = page[start:end]
    card: int | None = None
    pos = 0
    while True:
        m = TAG.search(chunk, pos)
        if m is None:
            break
        pos = m.end()
        tag, raw = m.group(1), m.group(2)
        if tag is None:
            if m.group(0) == "</article>":
                card = None
            continue
        attrs = {k: unescape(v or "") for k, v in ATTR.findall(raw)}
        if tag == "article":
            card = int(attrs["id"].removeprefix("report-")) if "data-autosave" in attrs else None
            continue
        name = attrs.get("name")
        if not name:
            continue
        if tag == "textarea":
            close = chunk.find("</textarea>", pos)
            value = unescape(chunk[pos:close])
            value = value[1:] if value.startswith("\n") else value  # the parser drops the first newline
            value = value.replace("\r\n", "\n").replace("\n", "\r\n")  # a browser posts CRLF
        else:
            kind = attrs.get("type", "text")
            if kind == "file":
                form.files.append(name)
                continue
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                continue
            if kind in ("submit", "button"):
                continue
            value = attrs.get("value", "")
        if name != "csrfmiddlewaretoken":
            if card is not None:
                form.cards.setdefault(card, []).append(len(form.fields))
            form.fields.append((name, value))
    return form


# --- the clients ------------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str  # fill, save, submit, bare
    at: float
    ms: float
    status: int  # 0: no answer
    ok: bool
    server: dict[str, float] = field(default_factory=dict)  # Gandang's Server-Timing: app, cpu, db (ms)


@dataclass
class ClientState:
    liaison: Liaison
    samples: list[Sample] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    bare_ids: list[int] = field(default_factory=list)
    bare_unresolved: int = 0
    visits: int = 0  # over every round
    typed: int = 0


class Timer:
    def __init__(self, state: ClientState, kind: str) -> None:
        self.state, self.kind = state, kind

    def __call__(self, browser: Browser, method: str, path: str, body=None, headers=None, expect=200):
        t0 = time.perf_counter()
        at = time.monotonic()
        try:
            status, h, data = browser.request(method, path, body, headers)
        except Exception as exc:  # no answer: an error of its own kind
            ms = (time.perf_counter() - t0) * 1000
            self.state.samples.append(Sample(self.kind, at, ms, 0, False))
            self.state.anomalies.append(f"{self.kind} {path}: {type(exc).__name__}: {exc}")
            return 0, {}, b""
        ms = (time.perf_counter() - t0) * 1000
        server = dict(SERVER_TIMING.findall(h.get("server-timing", "")))
        self.state.samples.append(
            Sample(self.kind, at, ms, status, status == expect, {k: float(v) for k, v in server.items()})
        )
        if status != expect:
            self.state.anomalies.append(f"{self.kind} {path}: HTTP {status} {data[:300]!r}")
        return status, h, data


def sign_in(browser: Browser, username: str) -> None:
    status, _h, page = browser.request("GET", "/login/")
    token = TOKEN.search(page.decode()).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    status, h, _ = browser.request(
        "POST",
        "/login/",
        body.encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": browser.origin + "/login/"},
    )
    if status != 302 or "sessionid" not in browser.cookies:
        raise SystemExit(f"{username} could not sign in (HTTP {status})")


def new_text(state: ClientState, n: int) -> str:
    return (
        f"{state.liaison.username}第{n}次保存（{uuid.uuid4().hex[:8]}）：本月召开专题推进会，"
        f"完成调研报告初稿，协调解决{n % 7 + 1}个堵点问题，下一步按节点推进。"
    )


def liaison_loop(
    state: ClientState,
    browser: Browser,
    period: int,
    stop: float,
    *,
    saves_per_visit: int,
    submit_every: int,
    think: float,
    rng: random.Random,
) -> None:
    fill_url = f"/dispatch/periods/{period}/fill/"
    fill, save, submit = Timer(state, "fill"), Timer(state, "save"), Timer(state, "submit")
    arrive(think, rng)
    while time.monotonic() < stop:
        drafts = [r for r in state.liaison.reports if r.state == "draft" and not r.unresolved]
        if not drafts:
            state.anomalies.append(f"{state.liaison.username}: no draft left to save")
            return
        state.visits += 1
        visit = state.visits
        status, _h, data = fill(browser, "GET", fill_url)
        if status != 200:
            time.sleep(0.5)
            continue
        form = read_fill(data.decode())
        report = drafts[visit % len(drafts)]
        if report.pk not in form.cards:
            state.anomalies.append(f"report {report.pk}: not editable on the page")
            report.unresolved = report.unresolved or "(missing)"
            continue
        idx = form.cards[report.pk]
        shown = {form.fields[i][0].split("-", 1)[1]: i for i in idx}
        page_version = int(form.fields[shown["version"]][1])
        if page_version != report.version:
            state.anomalies.append(
                f"report {report.pk}: the page shows version {page_version}, expected {report.version}"
            )
            report.version = page_version  # go on from what is there; the final check reports the difference
        submitting = visit % submit_every == 0 and len(drafts) >= 2
        for k in range(saves_per_visit):
            if time.monotonic() >= stop:
                break
            state.typed += 1
            text = new_text(state, state.typed)
            form.fields[shown["progress"]] = (form.fields[shown["progress"]][0], text)
            form.fields[shown["version"]] = (form.fields[shown["version"]][0], str(report.version))
            if submitting and k == saves_per_visit - 1:
                fields = [("csrfmiddlewaretoken", form.token), *form.fields, ("submit", str(report.pk))]
                body, ctype = multipart(fields, form.files)
                status, h, _ = submit(
                    browser,
                    "POST",
                    fill_url,
                    body,
                    {"Content-Type": ctype, "Referer": browser.origin + fill_url},
                    expect=302,
                )
                if status == 302 and h.get("location", "").startswith(fill_url):
                    report.text, report.version, report.state = text, report.version + 2, "submitted"
                    report.submits += 1
                else:
                    report.unresolved = text
                break
            card = [form.fields[i] for i in idx]
            body, ctype = multipart([*card, ("csrfmiddlewaretoken", form.token)])
            status, _h, data = save(
                browser,
                "POST",
                f"/dispatch/reports/{report.pk}/autosave/",
                body,
                {"Content-Type": ctype, "X-Requested-With": "fetch", "Accept": "application/json"},
            )
            answer = json.loads(data) if status == 200 else {}
            if status == 200 and answer.get("ok") and not answer.get("unchanged"):
                if answer.get("version") != report.version + 1:
                    state.anomalies.append(
                        f"report {report.pk}: autosave answered version {answer.get('version')}, expected {report.version + 1}"
                    )
                report.text, report.version = text, int(answer.get("version", report.version + 1))
                report.saves += 1
            else:
                if status == 200:  # answered 200 but not saved: an error for the bench
                    state.samples[-1].ok = False
                    state.anomalies.append(f"report {report.pk}: autosave answered {answer}")
                report.unresolved = text
                break
            if think:
                time.sleep(rng.uniform(0, 2 * think))
        if think:
            time.sleep(rng.uniform(0, 2 * think))


def arrive(think: float, rng: random.Random) -> None:
    """With a pace, a client comes in somewhere within its first pause: the liaisons of a month-end are
    all at work at once, not all pressing a key in the same millisecond (a barrier's start would make
    the first seconds a stampede of every client's first page that no office ever sees)."""
    if think:
        time.sleep(rng.uniform(0, 2 * think))


def bare_loop(state: ClientState, browser: Browser, number: int, stop: float, think: float, rng) -> None:
    insert = Timer(state, "bare")
    n = 0
    arrive(think, rng)
    while time.monotonic() < stop:
        n += 1
        body = urllib.parse.urlencode({"client": number, "text": new_text(state, n)}).encode()
        status, _h, data = insert(
            browser, "POST", "/insert/", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status == 200:
            state.bare_ids.append(json.loads(data)["id"])
        else:
            state.bare_unresolved += 1
        if think:
            time.sleep(rng.uniform(0, 2 * think))


def run_clients(states: list[ClientState], seconds: float, work) -> float:
    """All clients at once for `seconds`; returns the elapsed time until the last one finished."""
    gate = threading.Barrier(len(states) + 1)
    box: dict[str, float] = {}

    def one(n: int) -> None:
        gate.wait()
        try:
            work(n, box["stop"])
        except Exception as exc:  # a bench bug must show, not hang the run
            states[n].anomalies.append(f"client crashed: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(len(states))]
    for t in threads:
        t.start()
    box["stop"] = time.monotonic() + seconds
    started = time.monotonic()
    gate.wait()
    for t in threads:
        t.join()
    return time.monotonic() - started


def parallel(fn, args: list, width: int = 16) -> list:
    """fn over args in `width` threads (sign-ins: each one hashes a password in the server)."""
    out: list = [None] * len(args)
    errors: list[BaseException] = []
    lock = threading.Lock()
    queue = list(enumerate(args))

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                k, a = queue.pop()
            try:
                out[k] = fn(a)
            except BaseException as exc:  # noqa: BLE001 - re-raised below
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(width)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return out


# --- checks and figures -----------------------------------------------------------------------------


def last_ids() -> tuple[int, int]:
    """The newest audit entry and report step before the run (their times are the pinned calendar's)."""
    from gandang.core.models import AuditEntry
    from gandang.dispatch.models import ReportStep

    def top(model) -> int:
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    return top(AuditEntry), top(ReportStep)


def check_reports(liaisons: list[Liaison], since: tuple[int, int]) -> dict[str, list[str]]:
    from django.contrib.contenttypes.models import ContentType

    from gandang.core.models import AuditEntry
    from gandang.dispatch.models import Report, ReportStep

    tracked = {r.pk: r for li in liaisons for r in li.reports}
    rows = {
        pk: (progress, version, state)
        for pk, progress, version, state in Report.objects.filter(pk__in=tracked).values_list(
            "pk", "progress", "version", "state"
        )
    }
    steps: dict[int, int] = {}
    for pk in ReportStep.objects.filter(report_id__in=tracked, action="submit", pk__gt=since[1]).values_list(
        "report_id", flat=True
    ):
        steps[pk] = steps.get(pk, 0) + 1
    ct = ContentType.objects.get_for_model(Report)
    audits: dict[int, int] = {}
    for pk in AuditEntry.objects.filter(content_type=ct, object_id__in=tracked, pk__gt=since[0]).values_list(
        "object_id", flat=True
    ):
        audits[int(pk)] = audits.get(int(pk), 0) + 1
    out: dict[str, list[str]] = {"lost": [], "duplicated": [], "unresolved": [], "audit": []}
    for pk, t in tracked.items():
        text, version, state = rows[pk]
        expected = t.initial_version + t.saves + 2 * t.submits
        if t.unresolved:
            if text not in (t.text, t.unresolved) or version not in range(expected, expected + 3):
                out["lost"].append(
                    f"report {pk}: after a write without answer, holds v{version} {text[:40]!r}"
                )
            else:
                out["unresolved"].append(f"report {pk}: v{version}")
            continue
        if text != t.text or version < expected:
            out["lost"].append(
                f"report {pk}: v{version} (expected v{expected}) {text[:40]!r} vs {t.text[:40]!r}"
            )
        elif version > expected:
            out["duplicated"].append(f"report {pk}: v{version}, expected v{expected}")
        if steps.get(pk, 0) > t.submits:
            out["duplicated"].append(f"report {pk}: {steps[pk]} submit steps for {t.submits} submission")
        if t.submits and state == Report.State.DRAFT:
            out["lost"].append(f"report {pk}: submitted but still a draft")
        want = (1 if t.saves else 0) + t.submits
        if audits.get(pk, 0) != want:
            out["audit"].append(f"report {pk}: {audits.get(pk, 0)} audit entries, expected {want}")
    return out


def check_bare(states: list[ClientState]) -> dict[str, int]:
    from django.db import connection

    acked = {i for s in states for i in s.bare_ids}
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {BARE_TABLE}")
        stored = {r[0] for r in cur.fetchall()}
    unresolved = sum(s.bare_unresolved for s in states)
    extra = len(stored - acked)
    return {
        "lost": len(acked - stored),
        "duplicated": max(0, extra - unresolved),  # a row whose request got no answer may be there
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q / 100 * len(s) + 0.5)) - 1))]


def server_line(label: str, samples: list[Sample]) -> str:
    """What the server says each answer cost it (Server-Timing): the p50 and p95 of the application's
    time, and the p50 of its CPU and database parts; the client's time beyond `app` was queueing."""
    timed = [s.server for s in samples if "app" in s.server]
    if not timed:
        return f"{label:<26}{'(no Server-Timing)':>18}"
    app, cpu, db = ([t.get(k, 0.0) for t in timed] for k in ("app", "cpu", "db"))
    return f"{label:<26}{pct(app, 50):>9.0f}{pct(app, 95):>9.0f}{pct(cpu, 50):>9.0f}{pct(db, 50):>9.0f}"


def line(label: str, samples: list[Sample], elapsed: float) -> str:
    ms = [s.ms for s in samples]
    errors = sum(not s.ok for s in samples)
    return (
        f"{label:<26}{len(samples):>8}{errors:>7}{pct(ms, 50):>9.0f}{pct(ms, 95):>9.0f}{pct(ms, 99):>9.0f}"
        f"{len(samples) / elapsed:>9.1f}"
    )


# --- main -------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--bare-seconds", type=float, default=None, help="default: --seconds")
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * len(os.sched_getaffinity(0)) + 1,
        help="default: gandang serve's, (2 × cores) + 1",
    )
    parser.add_argument("--threads", type=int, default=4, help="default: gandang serve's")
    parser.add_argument("--saves-per-visit", type=int, default=3)
    parser.add_argument("--submit-every", type=int, default=4, help="submit on every Nth visit of the page")
    parser.add_argument(
        "--rounds", type=int, default=3, help="Gandang and the bare view take turns, this many times each"
    )
    parser.add_argument("--warm", type=float, default=3, help="unmeasured seconds of each first")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between requests, in seconds")
    args = parser.parse_args()
    url = database_url()

    data_dir = tempfile.mkdtemp(prefix="gandang-burst-")
    recreate_database(url)
    setup_django(data_dir)
    period, liaisons, stats = build(args.items, args.clients)
    env = {
        **os.environ,
        "GANDANG_DATA_DIR": data_dir,
        "DATABASE_URL": url,
        "GANDANG_TODAY": TODAY,
        "GANDANG_SERVER_TIMING": "1",  # each answer's cost to the server, printed beside the client's wait
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        ),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    bare_env = {**env, "DJANGO_SETTINGS_MODULE": "burst_bare.settings"}
    servers: list[Server] = []
    try:
        port = free_port()
        gandang = Server(
            "gandang",
            [GANDANG, "serve", "--port", str(port), "--workers", str(args.workers),
             "--threads", str(args.threads), "--no-migrate"],
            env, port, data_dir,
        )  # fmt: skip
        servers.append(gandang)
        bare_port = free_port()
        bare = Server(
            "bare",
            [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT / "bench"), "--bind", f"127.0.0.1:{bare_port}",
             "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread",
             "--preload", "--timeout", "120", "burst_bare.wsgi:application"],
            bare_env, bare_port, data_dir,
        )  # fmt: skip
        servers.append(bare)
        gandang.wait_ready("/healthz")
        bare.wait_ready("/insert/")

        print(
            f"cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}; {args.workers} workers × "
            f"{args.threads} threads each; {args.clients} liaisons, {stats['cards_per_page']} reports on each "
            f"fill page, {stats['drafts']} drafts; {args.seconds:.0f} s; {args.saves_per_visit} autosaves a "
            f"visit, a submission every {args.submit_every} visits; think {args.think:.1f} s"
        )
        states = [ClientState(li) for li in liaisons]
        browsers = [Browser(port) for _ in liaisons]
        signin_started = time.perf_counter()

        def warm(n: int) -> None:
            sign_in(browsers[n], liaisons[n].username)
            status, _h, _d = browsers[n].request("GET", f"/dispatch/periods/{period}/fill/")
            if status != 200:
                raise SystemExit(f"{liaisons[n].username}: fill page HTTP {status}")

        parallel(warm, list(range(len(liaisons))))
        print(f"{len(liaisons)} liaisons signed in in {time.perf_counter() - signin_started:.1f} s")
        since = last_ids()
        bare_states = [ClientState(li) for li in liaisons]
        bare_browsers = [Browser(bare_port) for _ in liaisons]

        def gandang_work(n: int, stop: float) -> None:
            liaison_loop(
                states[n], browsers[n], period, stop, saves_per_visit=args.saves_per_visit,
                submit_every=args.submit_every, think=args.think, rng=random.Random(n),
            )  # fmt: skip

        def bare_work(n: int, stop: float) -> None:
            bare_loop(bare_states[n], bare_browsers[n], n, stop, args.think, random.Random(n))

        # Unmeasured first: every server thread opens its database connection on its first request.
        for work, st in ((gandang_work, states), (bare_work, bare_states)):
            run_clients(st, args.warm, work)
            for x in st:
                x.samples.clear()
        # Turn about, so that both meet the same background load on a shared machine.
        elapsed = bare_elapsed = 0.0
        cpu = [0.0, 0.0]
        loads = []
        for _round in range(max(1, args.rounds)):
            for k, (work, seconds) in enumerate(
                [(gandang_work, args.seconds), (bare_work, args.bare_seconds or args.seconds)]
            ):
                before = resource.getrusage(resource.RUSAGE_SELF)
                took = run_clients(states if k == 0 else bare_states, seconds / max(1, args.rounds), work)
                after = resource.getrusage(resource.RUSAGE_SELF)
                cpu[k] += (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
                if k == 0:
                    elapsed += took
                else:
                    bare_elapsed += took
                loads.append(os.getloadavg()[0])
        for b in browsers + bare_browsers:
            b.close()
    finally:
        for s in servers:
            s.stop()

    samples = [x for s in states for x in s.samples]
    bare_samples = [x for s in bare_states for x in s.samples]
    by = {k: [x for x in samples if x.kind == k] for k in ("save", "submit", "fill")}
    writes = by["save"] + by["submit"]
    print()
    print(f"{'':<26}{'requests':>8}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}")
    print(line("Gandang autosave", by["save"], elapsed))
    print(line("Gandang submit (fill form)", by["submit"], elapsed))
    print(line("Gandang saves + submits", writes, elapsed))
    print(line("Gandang fill page (GET)", by["fill"], elapsed))
    print(line("Gandang, every request", samples, elapsed))
    print(line("bare INSERT view", bare_samples, bare_elapsed))
    print()
    print(f"{'as the server timed them':<26}{'app p50':>9}{'app p95':>9}{'cpu p50':>9}{'db p50':>9}")
    print(server_line("Gandang autosave", by["save"]))
    print(server_line("Gandang submit (fill form)", by["submit"]))
    print(server_line("Gandang fill page (GET)", by["fill"]))
    print(
        f"client process CPU: {cpu[0]:.1f} s over the Gandang runs ({elapsed:.0f} s), {cpu[1]:.1f} s over "
        f"the bare runs ({bare_elapsed:.0f} s); 1-min load average after each run: "
        + ", ".join(f"{x:.1f}" for x in loads)
    )
    bare_p95 = pct([x.ms for x in bare_samples], 95)
    ratios = {k: pct([x.ms for x in by[k]], 95) / bare_p95 for k in ("save", "submit")}
    print(
        f"p95 ratio to the bare INSERT view: autosave {ratios['save']:.1f}, submit {ratios['submit']:.1f}, "
        f"saves + submits {pct([x.ms for x in writes], 95) / bare_p95:.1f}"
    )
    checks = check_reports(liaisons, since)
    bare_checks = check_bare(bare_states)
    acked = sum(r.saves + r.submits for li in liaisons for r in li.reports)
    print(
        f"acknowledged writes: {acked} ({sum(r.submits for li in liaisons for r in li.reports)} submissions); "
        f"lost {len(checks['lost'])}, duplicated {len(checks['duplicated'])}, unresolved (no answer) "
        f"{len(checks['unresolved'])}, audit entries off {len(checks['audit'])}; bare: lost {bare_checks['lost']}, "
        f"duplicated {bare_checks['duplicated']}"
    )
    anomalies = [a for s in states + bare_states for a in s.anomalies]
    for what in ("lost", "duplicated", "audit"):
        for text in checks[what][:5]:
            print(f"  {what}: {text}")
    for text in anomalies[:10]:
        print(f"  client: {text}")
    if len(anomalies) > 10:
        print(f"  … {len(anomalies) - 10} more")
    for s in servers:
        logged = s.errors_logged()
        if logged:
            print(f"  {s.name} server log ({s.log}): {len(logged)} error lines, first: {logged[0][:200]}")
    errors = sum(not x.ok for x in samples)
    verdict = {
        f"p95 < {TARGET_MS:.0f} ms (saves {pct([x.ms for x in by['save']], 95):.0f}, submits "
        f"{pct([x.ms for x in by['submit']], 95):.0f})": all(
            by[k] and pct([x.ms for x in by[k]], 95) < TARGET_MS for k in ("save", "submit")
        ),
        f"0 errors ({errors})": errors == 0,
        f"0 lost ({len(checks['lost'])})": not checks["lost"],
        f"0 duplicated ({len(checks['duplicated'])})": not checks["duplicated"],
    }
    print("targets: " + "; ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in verdict.items()))


if __name__ == "__main__":
    main()
