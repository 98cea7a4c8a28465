"""The database half of a backup: dump it while the server runs, and load a dump into an empty one.

SQLite: the online backup API copies every page in one read transaction (`pages=-1`), so the copy
is one consistent snapshot; in WAL mode the server's writers carry on meanwhile.
PostgreSQL: `pg_dump` (custom format) reads one snapshot too; the dump is loaded with `pg_restore`
turned into SQL and run by `psql` in a single transaction, so a failed load leaves nothing behind.
Both tools come with the PostgreSQL client (Debian: postgresql-client).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections import defaultdict
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DUMP_NAMES = {"sqlite": "database/gandang.sqlite3", "postgresql": "database/gandang.pgdump"}


class DatabaseCopyError(Exception):
    """A refused or failed dump or load; str(exc) is the message for the operator, in Chinese."""


# --- reading the migration state ------------------------------------------------------------------


def latest_migrations(applied: list[tuple[str, str]]) -> dict[str, str]:
    """The latest applied migration of each app: the one whose plan includes the app's others."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    by_app: dict[str, list[str]] = defaultdict(list)
    for app, name in applied:
        by_app[app].append(name)
    latest = {}
    for app, names in sorted(by_app.items()):
        known = [n for n in names if (app, n) in graph.nodes]
        if known:
            latest[app] = max(known, key=lambda n: (len(graph.forwards_plan((app, n))), n))
        else:
            latest[app] = max(names)
    return latest


def unknown_migrations(latest: dict[str, str]) -> list[str]:
    """The archive's migrations this code does not have: the archive comes from a newer version."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    for replacing in loader.replacements.values():
        known.update(replacing.replaces)
    return [f"{app}.{name}" for app, name in sorted(latest.items()) if (app, name) not in known]


# --- PostgreSQL client tools -----------------------------------------------------------------------


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise DatabaseCopyError(
            f"找不到 PostgreSQL 客户端程序 {name}：请安装与数据库服务器版本一致的 PostgreSQL 客户端"
            "（Debian/Ubuntu：apt-get install postgresql-client），并确认它在 PATH 中。"
        )
    return path


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """The connection as libpq environment variables: the password never shows in a process list."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
    }
    env.update({k: str(v) for k, v in pairs.items() if v not in (None, "")})
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise DatabaseCopyError(f"{what}失败：无法运行 {args[0]}（{exc}）。") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise DatabaseCopyError(f"{what}失败（{Path(args[0]).name} 退出码 {done.returncode}）：{detail}")


# --- dump ----------------------------------------------------------------------------------------------


def dump(connection: BaseDatabaseWrapper, target: Path) -> tuple[list[tuple[str, str]], str]:
    """Write one consistent copy of the database to `target`.

    Returns the applied migrations as they are in the copy, and the server's version.
    """
    if connection.vendor == "sqlite":
        return _sqlite_dump(Path(connection.settings_dict["NAME"]), target)
    if connection.vendor == "postgresql":
        return _pg_dump(connection, target)
    raise DatabaseCopyError(f"不支持备份 {connection.vendor} 数据库：只支持 SQLite 和 PostgreSQL。")


def _sqlite_dump(source: Path, target: Path) -> tuple[list[tuple[str, str]], str]:
    if not source.is_file():
        raise DatabaseCopyError(f"数据库文件 {source} 不存在：没有可备份的数据。")
    src = sqlite3.connect(source, timeout=20)
    dst = sqlite3.connect(target)
    try:
        src.execute("PRAGMA busy_timeout=20000")
        # pages=-1: every page in one step, under one read transaction, so the copy is one snapshot
        # (copying in slices would restart whenever the server writes, or mix two moments).
        src.backup(dst, pages=-1)
        # The copy stands alone: no -wal file beside it when it is restored.
        dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            problems = "；".join(str(row[0]) for row in check[:5])
            raise DatabaseCopyError(f"数据库完整性检查未通过，未写入备份：{problems}")
        try:
            applied = dst.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.OperationalError:
            applied = []
        version = sqlite3.sqlite_version
    except sqlite3.Error as exc:
        raise DatabaseCopyError(f"读取 SQLite 数据库 {source} 失败：{exc}") from exc
    finally:
        dst.close()
        src.close()
    return [(a, n) for a, n in applied], version


def _pg_dump(connection: BaseDatabaseWrapper, target: Path) -> tuple[list[tuple[str, str]], str]:
    pg_dump, pg_restore = pg_tool("pg_dump"), pg_tool("pg_restore")
    env = _pg_env(connection.settings_dict)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = [(a, n) for a, n in cursor.fetchall()]
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    # --compress=0: the archive's gzip compresses it once; owners and grants belong to the install.
    args = [
        pg_dump,
        "--format=custom",
        "--compress=0",
        "--no-owner",
        "--no-privileges",
        "--file",
        str(target),
    ]
    _run(args, env, "pg_dump 导出数据库")
    # A dump pg_restore cannot list is no backup: find out now, not on the day it is needed.
    _run([pg_restore, "--list", str(target)], env, "检查 pg_dump 导出的文件")
    return applied, version


# --- load ---------------------------------------------------------------------------------------------


def tables_in(connection: BaseDatabaseWrapper) -> list[str]:
    """The tables the target database already holds (without creating an SQLite file)."""
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        if not path.is_file() or path.stat().st_size == 0:
            return []
        con = sqlite3.connect(path, timeout=20)
        try:
            rows = con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        except sqlite3.Error as exc:
            raise DatabaseCopyError(f"无法读取目标数据库 {path}：{exc}") from exc
        finally:
            con.close()
        return sorted(r[0] for r in rows)
    try:
        with connection.cursor() as cursor:
            return sorted(connection.introspection.table_names(cursor))
    except Exception as exc:  # the database named by DATABASE_URL may not exist yet
        name = connection.settings_dict.get("NAME")
        raise DatabaseCopyError(
            f"无法连接目标数据库 {name}：{exc}。请先建立一个空数据库（如 createdb {name}）再恢复。"
        ) from exc


def load(connection: BaseDatabaseWrapper, dump_file: Path, work: Path, *, replace: bool, stamp: str) -> str:
    """Put the dump in place as the database `connection` names. Returns what was done with the old one.

    `replace`: the target holds data the operator chose to give up (--force): SQLite keeps the old
    file beside the new one; PostgreSQL drops its tables in the same transaction that loads the dump.
    """
    connection.close()
    if connection.vendor == "sqlite":
        return _sqlite_load(Path(connection.settings_dict["NAME"]), dump_file, replace=replace, stamp=stamp)
    return _pg_load(connection, dump_file, work, replace=replace)


def _sqlite_load(target: Path, dump_file: Path, *, replace: bool, stamp: str) -> str:
    kept = ""
    sidecars = [target.with_name(target.name + s) for s in ("-wal", "-shm", "-journal")]
    if replace and target.exists():
        # Fold the old file's WAL into it, so the file set aside is whole on its own.
        con = sqlite3.connect(target, timeout=20)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
        aside = target.with_name(f"{target.name}.before-restore-{stamp}")
        os.replace(target, aside)
        kept = f"原数据库已改名保留为 {aside}"
    # A WAL left beside a missing or replaced database would be replayed into the restored one.
    for path in sidecars:
        path.unlink(missing_ok=True)
    place(dump_file, target)
    return kept


def _pg_load(connection: BaseDatabaseWrapper, dump_file: Path, work: Path, *, replace: bool) -> str:
    pg_restore, psql = pg_tool("pg_restore"), pg_tool("psql")
    env = _pg_env(connection.settings_dict)
    script = work / "restore.sql"
    drops = _pg_drop_statements(connection) if replace else []
    script.write_text("".join(f"{s};\n" for s in drops), encoding="utf-8")
    generated = work / "dump.sql"
    _run(
        [pg_restore, "--no-owner", "--no-privileges", "--file", str(generated), str(dump_file)],
        env,
        "pg_restore 读取备份",
    )
    with script.open("ab") as out, generated.open("rb") as src:
        shutil.copyfileobj(src, out)
    generated.unlink()
    _run(
        [psql, "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", str(script)],
        env,
        "psql 写入数据库",
    )
    connection.close()
    return f"原数据库中的 {len(drops)} 个表、视图和序列已删除" if drops else ""


def _pg_drop_statements(connection: BaseDatabaseWrapper) -> list[str]:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relkind, n.nspname, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
            "ORDER BY c.relname"
        )
        rows = cursor.fetchall()
    connection.close()
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
    return [f"DROP {kinds[k]} IF EXISTS {qn(ns)}.{qn(name)} CASCADE" for k, ns, name in rows]


def place(source: Path, target: Path) -> None:
    """Move a file into place by renaming; across file systems, copy beside the target then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError:
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
        source.unlink()
