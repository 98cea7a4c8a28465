"""`gandang backup` and `gandang restore`: the demo city goes round and comes back equal; a backup taken
while reports are being written restores to a consistent database; a damaged archive, an archive for
another database or a newer version, and a target that is not empty are refused, with nothing written.

The demo city is built once for the module (about 40 s). Restores run as the operator runs them, as
`gandang restore` in a separate process, into a new data dir (SQLite) or a new scratch database
(PostgreSQL, when DATABASE_URL is set: pg_dump and pg_restore must then be installed).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from gandang.core.backup import BackupError, backup
from gandang.core.restore import restore
from gandang.demo.build import DEMO_TODAY, build_demo
from gandang.dispatch import services
from gandang.dispatch.models import Period, Report
from gandang.org.models import User
from tests.core.test_demo import _wipe_demo

PG = connection.vendor == "postgresql"

# Each test runs in its transaction as usual; the demo city is committed by the module's fixture, and
# everything that writes runs in its own process (`gandang restore`, the "server" writing reports).
pytestmark = pytest.mark.django_db

# Tables that must not be empty in the demo city, so "equal" cannot mean "both empty".
MAIN_TABLES = [
    "ledger_item",
    "ledger_milestone",
    "dispatch_report",
    "dispatch_reportstep",
    "dispatch_attachment",
    "bulletins_bulletin",
    "supervision_letter",
    "core_auditentry",
    "org_user",
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + os.urandom(2048)
PHONE = "13800138000"


# --- the databases, read without Django, the same way on both sides ----------------------------------


def _pg_params(name: str) -> dict[str, Any]:
    s = connection.settings_dict
    params = {"host": s["HOST"], "port": s["PORT"], "user": s["USER"], "password": s["PASSWORD"]}
    return {k: v for k, v in params.items() if v} | {"dbname": name}


def _open(target: str) -> Any:
    """A DB-API connection to `target`: an SQLite file, or a PostgreSQL database name."""
    if PG:
        import psycopg

        return psycopg.connect(**_pg_params(target), autocommit=True)
    return sqlite3.connect(target)


def _source() -> str:
    return connection.settings_dict["NAME"]


def _fingerprint(target: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows (sorted), read straight from the database."""
    con = _open(target)
    try:
        cur = con.cursor()
        if PG:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        else:
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = sorted(r[0] for r in cur.fetchall())
        result = {}
        for table in tables:
            cur.execute(f'SELECT * FROM "{table}"')
            rows = sorted(repr(tuple(row)) for row in cur.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return result
    finally:
        con.close()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- a fresh install to restore into, reached as `gandang restore` -----------------------------------


@dataclass
class Target:
    data_dir: Path
    database: str  # the SQLite file, or the PostgreSQL database name
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "gandang.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def restore(self, archive: Path, *args: str) -> subprocess.CompletedProcess:
        return self.run("restore", str(archive), *args)

    def tables(self) -> list[str]:
        if not PG and not Path(self.database).exists():
            return []
        return sorted(_fingerprint(self.database))


def _admin_sql(sql: str) -> None:
    con = _open("postgres")
    try:
        con.execute(sql)
    finally:
        con.close()


@pytest.fixture
def new_target(tmp_path) -> Iterator[Callable[[], Target]]:
    """Makes empty installs: a new data dir, and on PostgreSQL a new database, dropped afterwards."""
    made: list[str] = []

    def make() -> Target:
        data_dir = tmp_path / f"restored-{len(made)}-{uuid.uuid4().hex[:6]}"
        data_dir.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GANDANG_TODAY")}
        env["GANDANG_DATA_DIR"] = str(data_dir)
        if PG:
            name = f"gandang_restore_{uuid.uuid4().hex[:12]}"
            _admin_sql(f'CREATE DATABASE "{name}"')
            made.append(name)
            p = _pg_params(name)
            auth = p.get("user", "") + (f":{p['password']}" if p.get("password") else "")
            env["DATABASE_URL"] = f"postgres://{auth}@{p.get('host', '')}:{p.get('port', 5432)}/{name}"
            return Target(data_dir, name, env)
        made.append(str(data_dir))
        return Target(data_dir, str(data_dir / "gandang.sqlite3"), env)

    yield make
    if PG:
        for name in made:
            _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the demo city with a few uploaded files, and its archive ----------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=root, GANDANG_TODAY=DEMO_TODAY.isoformat()):
        yield root


@pytest.fixture(scope="module")
def city(media, django_db_setup, django_db_blocker) -> Iterator[None]:
    """The whole demo city, files attached to two of December's draft reports by their liaisons, and a
    phone number (kept encrypted under the data dir's pii.key)."""
    if PG:
        missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]
        if missing:
            pytest.fail(
                f"DATABASE_URL is set but {', '.join(missing)} not on PATH: install postgresql-client"
            )
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        build_demo()
        uploads = [[("进展.pdf", PDF), ("现场.png", PNG)], [("照片.jpg", JPG)]]
        for report, files in zip(_drafts()[:2], uploads, strict=True):
            for name, content in files:
                services.attachment_add(
                    actor=_liaison(report), report=report, upload=SimpleUploadedFile(name, content)
                )
        office = User.objects.get(username="office")
        office.phone = PHONE
        office.save(update_fields=["phone"])
    yield
    with django_db_blocker.unblock():
        _wipe_demo()


def _drafts() -> list[Report]:
    """December's draft reports whose unit has a liaison to write them."""
    drafts = Report.objects.filter(period__state=Period.State.OPEN, state=Report.State.DRAFT).order_by("pk")
    return [r for r in drafts if _liaison(r) is not None]


def _liaison(report: Report) -> User:
    return User.objects.filter(role=User.Role.LIAISON, unit=report.unit_id).order_by("pk").first()


@pytest.fixture(scope="module")
def archive(city, django_db_blocker, tmp_path_factory) -> tuple[Path, dict[str, tuple[int, str]]]:
    """A backup of the demo city, and the fingerprint of the database it was taken from."""
    with django_db_blocker.unblock():
        before = _fingerprint(_source())
        result = backup(tmp_path_factory.mktemp("backups") / "city.tar.gz")
        assert _fingerprint(_source()) == before  # nothing wrote meanwhile: the archive is of `before`
    return result.path, before


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def _rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    members = _members(source)
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


# --- round trip ----------------------------------------------------------------------------------------


def test_the_demo_city_comes_back_equal(archive, media, new_target):
    path, before = archive
    for table in MAIN_TABLES:
        assert before[table][0] > 0, table
    assert before["dispatch_attachment"][0] >= 3

    target = new_target()
    done = target.restore(path)
    assert done.returncode == 0, done.stderr
    assert "已从" in done.stdout

    assert _fingerprint(target.database) == before
    restored_files = _files(target.data_dir / "files")
    assert restored_files == _files(media)
    assert PDF in restored_files.values() and JPG in restored_files.values()
    for key in ("secret_key", "pii.key"):
        source = Path(settings.DATA_DIR) / key
        if source.exists():
            assert (target.data_dir / key).read_bytes() == source.read_bytes(), key
            assert (target.data_dir / key).stat().st_mode & 0o077 == 0, key
    # The restored install reads the encrypted phone number with the key that came along.
    check = target.run("rotate-pii-key", "--check")
    assert check.returncode == 0, check.stderr


def test_the_archive_lists_what_it_holds_with_checksums(archive):
    import json

    path, _ = archive
    members = _members(path)
    manifest = json.loads(members["manifest.json"])
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["sha256"] == hashlib.sha256(members[manifest["database"]["path"]]).hexdigest()
    assert manifest["migrations"]["dispatch"].startswith("0")
    assert manifest["version"] and manifest["created_at"]
    assert len(manifest["files"]) >= 3
    for entry in manifest["files"] + manifest["keys"]:
        assert hashlib.sha256(members[entry["path"]]).hexdigest() == entry["sha256"]
        assert len(members[entry["path"]]) == entry["size"]
    assert "keys/secret_key" in {k["path"] for k in manifest["keys"]}
    assert path.stat().st_mode & 0o077 == 0  # people's details are in it: readable by its owner only


def test_a_backup_without_keys_holds_no_key_and_restore_says_what_is_lost(city, tmp_path, new_target):
    out = io.StringIO()
    call_command("backup", "-o", str(tmp_path), "--without-keys", stdout=out)
    [path] = list(tmp_path.glob("gandang-backup-*.tar.gz"))
    assert not [name for name in _members(path) if name.startswith("keys/")]
    assert "不含密钥文件" in out.getvalue()

    target = new_target()
    done = target.restore(path)
    assert done.returncode == 0, done.stderr
    assert "不含密钥文件" in done.stdout and "加密的个人信息无法读取" in done.stdout
    if not settings.GANDANG_PII_KEY:  # the key file of the data dir, which the new install lacks
        assert target.run("rotate-pii-key", "--check").returncode != 0


# --- a running server -----------------------------------------------------------------------------------

WRITER = """
import time
from pathlib import Path
from django.contrib.contenttypes.models import ContentType
from gandang.core.models import AuditEntry
from gandang.dispatch import services
from gandang.dispatch.models import Report
from gandang.org.models import User

report, liaison = Report.objects.get(pk={report}), User.objects.get(pk={liaison})
ct = ContentType.objects.get_for_model(Report)
print("start", report.version, AuditEntry.objects.filter(content_type=ct, object_id=report.pk).count(), flush=True)
n, stop = 0, Path({stop!r})
while not stop.exists():
    r = Report.objects.get(pk=report.pk)
    services.report_save(actor=liaison, report=r, expected_version=r.version, fields={{"progress": f"第{{n + 1}}次保存"}})
    n += 1
    print(n, flush=True)
"""


def _saves(log: Path) -> tuple[list[str], int]:
    """The writer's first line (start, version, audit entries) and its count of saves so far."""
    words = log.read_text().split()
    if "start" not in words:
        return [], 0
    words = words[words.index("start") :]
    return words[:3], int(words[-1]) if len(words) > 3 else 0


def test_a_backup_taken_while_reports_are_written_restores_consistent(archive, tmp_path, new_target):
    """The server (another process) saves a report over and over; `gandang backup` runs meanwhile.
    Each save is one transaction (the text, the version, the audit entry): the copy holds whole ones."""
    server = new_target()
    assert server.restore(archive[0]).returncode == 0
    report = _drafts()[-1]
    stop, log = tmp_path / "stop", tmp_path / "writes.log"
    code = WRITER.format(report=report.pk, liaison=_liaison(report).pk, stop=str(stop))
    with log.open("w") as out, (tmp_path / "writer.err").open("w") as err:
        writer = subprocess.Popen(
            [sys.executable, "-m", "gandang.cli", "shell", "--no-imports", "-c", code],
            env=server.env,
            stdout=out,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 60
        while _saves(log)[1] < 5 and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        at_start = _saves(log)[1]
        done = server.run("backup", "-o", str(tmp_path / "running.tar.gz"))
        time.sleep(0.3)
        stop.touch()
        writer.wait(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert done.returncode == 0, done.stderr
    assert writer.returncode == 0, (tmp_path / "writer.err").read_text()[-2000:]
    (_, version0, audits0), total = _saves(log)

    copy = new_target()
    restored = copy.restore(tmp_path / "running.tar.gz")
    assert restored.returncode == 0, restored.stderr
    con = _open(copy.database)
    try:
        cur = con.cursor()
        if not PG:  # PostgreSQL checks the keys itself when pg_restore adds the constraints
            cur.execute("PRAGMA integrity_check")
            assert cur.fetchall() == [("ok",)]
            cur.execute("PRAGMA foreign_key_check")
            assert cur.fetchall() == []
        p = "%s" if PG else "?"
        cur.execute(f"SELECT progress, version FROM dispatch_report WHERE id = {p}", [report.pk])
        progress, version = cur.fetchone()
        cur.execute(
            "SELECT count(*) FROM core_auditentry a JOIN django_content_type t ON t.id = a.content_type_id "
            f"WHERE t.app_label = 'dispatch' AND t.model = 'report' AND a.object_id = {p}",
            [report.pk],
        )
        audits = cur.fetchone()[0]
    finally:
        con.close()
    n = int(progress.removeprefix("第").removesuffix("次保存"))
    # The server wrote before the copy was taken, while the backup ran, and after it.
    assert at_start < n < total, (at_start, n, total)
    assert version == int(version0) + n
    assert audits == int(audits0) + n


# --- refusals ---------------------------------------------------------------------------------------------


def _flip_dump(m: dict[str, bytes]) -> None:
    [name] = [n for n in m if n.startswith("database/")]
    data = bytearray(m[name])
    data[len(data) // 2] ^= 0xFF
    m[name] = bytes(data)


def _drop_a_file(m: dict[str, bytes]) -> None:
    del m[next(n for n in m if n.startswith("files/"))]


def _add_a_file(m: dict[str, bytes]) -> None:
    m["files/reports/extra.pdf"] = PDF


def _escape(m: dict[str, bytes]) -> None:
    m["files/../../escaped"] = b"x"


DAMAGED = {
    "a byte changed in the database dump": (_flip_dump, "校验和不符"),
    "a file removed": (_drop_a_file, "缺少 files/"),
    "a file added": (_add_a_file, "多出清单之外的 files/reports/extra.pdf"),
    "a path leading out": (_escape, "不安全的路径"),
}


@pytest.fixture
def empty_data_dir(tmp_path, settings) -> Path:
    """Restores run in this process aim at this data dir; the database is the test database, which
    holds the demo city (so a restore that got past the checks would be refused as not empty)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "files"
    return data_dir


def _refused(archive: Path, message: str, data_dir: Path) -> None:
    before = _fingerprint(_source())
    with pytest.raises(BackupError, match=message):
        restore(archive, log=lambda text: None)
    assert list(data_dir.iterdir()) == []
    assert _fingerprint(_source()) == before


@pytest.mark.parametrize("damage", DAMAGED)
def test_a_damaged_archive_is_refused_and_nothing_is_written(damage, archive, tmp_path, empty_data_dir):
    change, message = DAMAGED[damage]
    damaged = _rewrite(archive[0], tmp_path / "damaged.tar.gz", change)
    _refused(damaged, message, empty_data_dir)


def test_a_truncated_archive_is_refused(archive, tmp_path, empty_data_dir):
    data = archive[0].read_bytes()
    for cut in (len(data) // 3, len(data) - 100):
        truncated = tmp_path / f"truncated-{cut}.tar.gz"
        truncated.write_bytes(data[:cut])
        _refused(truncated, "已损坏或不完整|没有清单", empty_data_dir)


def test_a_corrupted_archive_is_refused(archive, tmp_path, empty_data_dir):
    data = bytearray(archive[0].read_bytes())
    for at in (len(data) // 2, len(data) - 8):  # in the compressed data; in the gzip trailer's CRC
        corrupted = tmp_path / f"corrupted-{at}.tar.gz"
        changed = bytearray(data)
        changed[at] ^= 0x55
        corrupted.write_bytes(changed)
        _refused(corrupted, "已损坏或不完整|校验", empty_data_dir)


def test_an_archive_of_the_other_database_is_refused(archive, tmp_path, empty_data_dir):
    import json

    def other_vendor(m: dict[str, bytes]) -> None:
        manifest = json.loads(m["manifest.json"])
        manifest["database"]["vendor"] = "sqlite" if PG else "postgresql"
        m["manifest.json"] = json.dumps(manifest).encode()

    other = _rewrite(archive[0], tmp_path / "other.tar.gz", other_vendor)
    _refused(other, "SQLite 数据库的备份" if PG else "PostgreSQL 数据库的备份", empty_data_dir)


def test_an_archive_from_a_newer_version_is_refused(archive, tmp_path, empty_data_dir):
    import json

    def newer(m: dict[str, bytes]) -> None:
        manifest = json.loads(m["manifest.json"])
        manifest["migrations"]["dispatch"] = "9999_from_the_future"
        m["manifest.json"] = json.dumps(manifest).encode()

    future = _rewrite(archive[0], tmp_path / "newer.tar.gz", newer)
    _refused(future, "更新版本.*dispatch.9999_from_the_future", empty_data_dir)


def test_restore_into_a_database_with_data_is_refused(archive, empty_data_dir):
    _refused(archive[0], "目标不是空的.*--force", empty_data_dir)


def test_the_command_exits_non_zero_with_the_reason(archive, tmp_path, new_target):
    damaged = _rewrite(archive[0], tmp_path / "damaged.tar.gz", _flip_dump)
    target = new_target()
    done = target.restore(damaged)
    assert done.returncode != 0
    assert "校验和不符" in done.stderr and "未做任何改动" in done.stderr
    assert target.tables() == []
    assert not (target.data_dir / "files").exists()

    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_restore_over_data_needs_force(archive, media, new_target):
    path, before = archive
    target = new_target()
    (target.data_dir / "files").mkdir()
    (target.data_dir / "files" / "mine.pdf").write_bytes(PDF)

    refused = target.restore(path)
    assert refused.returncode != 0
    assert "文件目录" in refused.stderr and "--force" in refused.stderr
    assert target.tables() == []
    assert _files(target.data_dir / "files") == {"mine.pdf": PDF}

    done = target.restore(path, "--force")
    assert done.returncode == 0, done.stderr
    assert _fingerprint(target.database) == before
    assert _files(target.data_dir / "files") == _files(media)
    [kept] = target.data_dir.glob("files.before-restore-*")
    assert _files(kept) == {"mine.pdf": PDF}


def test_backup_never_leaves_a_half_written_archive(city, tmp_path, monkeypatch):
    from gandang.core import backup as backup_module

    target = tmp_path / "out.tar.gz"

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(backup_module, "key_files", fail)
    with pytest.raises(CommandError, match="备份失败.*disk full"):
        call_command("backup", "-o", str(target))
    assert list(tmp_path.iterdir()) == []
