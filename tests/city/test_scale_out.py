"""Scaling out: two app servers (`gandang serve`, as on two machines, each with its own data dir) on one
PostgreSQL database, the uploaded files on one shared folder and the keys given by the environment, used
by browsers over HTTP; and `gandang tick` started on both at once. Whatever one server wrote or kept, the
other serves: sessions, uploaded files, the ledger workbook between its preview and its confirmation."""

from __future__ import annotations

import base64
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from ..ledger.workbooks import messy_ledger

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Gd-scale-2023!"
TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IS_PG = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = pytest.mark.skipif(
    not IS_PG, reason="several app servers share one PostgreSQL database: set DATABASE_URL to PostgreSQL"
)

SETUP = f"""
from datetime import date
from django_otp.plugins.otp_totp.models import TOTPDevice
from gandang.dispatch import services as dispatch
from gandang.dispatch.models import Report
from gandang.ledger import services as ledger
from gandang.ledger.models import Plan
from gandang.org.models import Unit, User
unit = Unit.objects.create(name="市发展改革委")
office = User.objects.create_user("office", password={PASSWORD!r}, role="office")
User.objects.create_user("liaison", password={PASSWORD!r}, role="liaison", unit=unit)
User.objects.create_user("head", password={PASSWORD!r}, role="head", unit=unit)
TOTPDevice.objects.create(user=office, name="身份验证器", confirmed=True, key={TOTP_KEY!r})
plan = Plan.objects.create(year=2023, name="2023年全市重点改革任务")
item = ledger.item_create(actor=office, fields={{"plan": plan, "code": "1", "title": "深化要素市场化配置改革",
                          "lead_unit": unit, "due_date": date(2023, 12, 31)}})
period, _n = dispatch.period_open(actor=office, year=2023, month=10)
print(period.pk, Report.objects.get(period=period).pk, plan.pk)
"""


# --- one PostgreSQL database and one data directory for the "machines" ---------------------------------


def _pg(dbname: str) -> Any:
    import psycopg

    s = settings.DATABASES["default"]
    params = {"host": s["HOST"], "port": s["PORT"], "user": s["USER"], "password": s["PASSWORD"]}
    return psycopg.connect(**{k: v for k, v in params.items() if v}, dbname=dbname, autocommit=True)


@dataclass
class Site:
    db: str  # the database's name
    env: dict[str, str]  # what every node is configured with
    root: Path

    def node(self, name: str) -> dict[str, str]:
        """The environment of one machine: the site's, with a data dir of its own."""
        return self.env | {"GANDANG_DATA_DIR": str(self.root / f"node-{name}")}

    def query(self, sql: str) -> list[tuple]:
        with _pg(self.db) as con:
            return con.execute(sql).fetchall()


@pytest.fixture
def site(tmp_path) -> Iterator[Site]:
    """What every node is configured with: a new database (dropped afterwards), the uploaded files on a
    folder all of them mount (NFS in real life) and the same keys; each keeps its own data dir."""
    name = f"gandang_scaleout_{uuid.uuid4().hex[:10]}"
    with _pg("postgres") as con:
        con.execute(f'CREATE DATABASE "{name}"')
    s = settings.DATABASES["default"]
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GANDANG_")}
    env.update(
        DATABASE_URL=f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}",
        GANDANG_MEDIA_ROOT=str(tmp_path / "nfs" / "files"),
        GANDANG_SECRET_KEY=secrets.token_urlsafe(50),
        GANDANG_PII_KEY=base64.b64encode(secrets.token_bytes(16)).decode(),
        GANDANG_SECURITY_AUDIT_KEY=secrets.token_urlsafe(48),
        GANDANG_TODAY="2023-10-20",
        GANDANG_ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        DJANGO_SETTINGS_MODULE="gandang.settings",
    )
    try:
        yield Site(db=name, env=env, root=tmp_path)
    finally:
        with _pg("postgres") as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def servers(site, tmp_path) -> Iterator[list[str]]:
    """Two `gandang serve` started at the same moment (each migrates first, one after the other)."""
    procs, urls = [], []
    try:
        for node in "AB":
            port = _free_port()
            log = (tmp_path / f"node-{node}.log").open("w")
            cmd = [sys.executable, "-m", "gandang.cli", "serve", "--port", str(port), "--workers", "1"]
            procs.append(
                subprocess.Popen(
                    [*cmd, "--threads", "4"],
                    env=site.node(node),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for proc, url in zip(procs, urls, strict=True):
            _wait_until_up(proc, url, tmp_path)
        yield urls
    finally:
        for proc in procs:  # the gunicorn master and its worker: their own process group
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _wait_until_up(proc: subprocess.Popen, url: str, tmp_path: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            logs = "\n".join(p.read_text() for p in tmp_path.glob("node-*.log"))
            pytest.fail(f"a server exited ({proc.returncode}):\n{logs}")
        try:
            with urllib.request.urlopen(f"{url}/login/", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within 90 s")


def _run(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


# --- a browser: one cookie jar per person, whichever server answers ------------------------------------


class Browser:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, url: str) -> tuple[str, bytes]:
        with self.opener.open(url, timeout=30) as r:
            return r.geturl(), r.read()

    def post(self, url: str, fields: dict[str, Any], files: dict[str, tuple[str, bytes]] | None = None):
        """Post a form (multipart when it carries files); follows the redirect. (final url, body)."""
        fields = {"csrfmiddlewaretoken": self._csrf(), **fields}
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for key, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
                )
            for key, (filename, content) in files.items():
                head = (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n"
                )
                parts.append(head.encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            ctype = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            ctype = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers={"Content-Type": ctype})
        with self.opener.open(request, timeout=60) as r:
            return r.geturl(), r.read()

    def sign_in(self, server: str, username: str) -> str:
        self.get(f"{server}/login/")
        url, _body = self.post(f"{server}/login/", {"username": username, "password": PASSWORD})
        return url


def _totp_now() -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(TOTP_KEY)).token():06d}"


def test_a_report_written_on_one_server_is_signed_and_accepted_on_the_other(site, servers, tmp_path):
    a, b = servers
    setup = _run(site.node("A"), "-c", "import django; django.setup(); exec(" + repr(SETUP) + ")")
    out, err = setup.communicate(timeout=60)
    assert setup.returncode == 0, err
    period, report, plan = out.split()

    # The liaison writes and submits on A, with an attachment.
    liaison = Browser()
    assert liaison.sign_in(a, "liaison") == f"{a}/"
    _url, page = liaison.get(f"{a}/dispatch/reports/{report}/edit/")
    version = re.search(rf'name="r{report}-version" value="(\d+)"'.encode(), page).group(1).decode()
    liaison.post(f"{a}/dispatch/reports/{report}/attachments/", {}, files={"file": ("实施方案.pdf", PDF)})
    fields = {
        f"r{report}-version": version,
        f"r{report}-progress": "召开专题会议两次，完成方案初稿",
        f"r{report}-percent": "40",
        f"r{report}-problems": "",
        f"r{report}-next_steps": "征求意见后印发",
        f"r{report}-coordination": "",
        "submit": report,
    }
    liaison.post(f"{a}/dispatch/reports/{report}/edit/", fields)
    # The liaison's session, made on A, is known to B (sessions are in the database, signed by one key).
    url, _body = liaison.get(f"{b}/dispatch/reports/{report}/")
    assert url == f"{b}/dispatch/reports/{report}/"

    # The unit head signs on B.
    head = Browser()
    assert head.sign_in(b, "head") == f"{b}/"
    head.post(f"{b}/dispatch/reports/{report}/step/approve/", {})

    # The office signs in on B with its second factor, reads the attachment A received, accepts.
    office = Browser()
    assert "/account/2fa/verify/" in office.sign_in(b, "office")
    url, _body = office.post(f"{b}/account/2fa/verify/", {"token": _totp_now()})
    assert url == f"{b}/"
    [(attachment,)] = site.query("SELECT id FROM dispatch_attachment")
    assert office.get(f"{b}/dispatch/attachments/{attachment}/")[1] == PDF
    office.post(f"{b}/dispatch/periods/{period}/accept/", {"report": [report]})

    # A ledger workbook previewed on A is confirmed on B (kept in the shared storage between the two).
    workbook = messy_ledger(tmp_path / "台账.xlsx").read_bytes()
    _url, preview = office.post(
        f"{a}/ledger/import/", {"plan": plan}, files={"file": ("台账.xlsx", workbook)}
    )
    token = re.search(rb'name="token" value="([\w-]+)"', preview).group(1).decode()
    url, _body = office.post(
        f"{b}/ledger/import/confirm/", {"token": token, "plan": plan, "create_missing": "1"}
    )
    assert url == f"{b}/ledger/?plan={plan}"

    steps = site.query(
        "SELECT s.action, u.username FROM dispatch_reportstep s JOIN org_user u ON u.id = s.actor_id ORDER BY s.id",
    )
    assert steps == [("submit", "liaison"), ("approve", "head"), ("accept", "office")]
    assert site.query(f"SELECT state FROM dispatch_report WHERE id = {report}") == [("accepted",)]
    assert site.query("SELECT filename FROM ledger_importbatch") == [("台账.xlsx",)]

    # Both machines run the tick from cron at the same minute: the work is done once.
    ticks = [_run(site.node(n), "-m", "gandang.cli", "tick", "--today", "2023-11-01") for n in "AB"]
    results = [t.communicate(timeout=60) for t in ticks]
    assert [t.returncode for t in ticks] == [0, 0], [err for _out, err in results]
    assert all("调度巡检完成" in out or "本次跳过" in out for out, _err in results), results
    assert site.query("SELECT year, month FROM dispatch_period ORDER BY month") == [
        (2023, 10),
        (2023, 11),
    ]
    dupes = 'SELECT count(*) FROM (SELECT 1 FROM notifications_notification GROUP BY user_id, "key" HAVING count(*) > 1) d'
    assert site.query(dupes) == [(0,)]
