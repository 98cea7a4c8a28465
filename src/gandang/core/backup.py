"""Backup and restore of an install: one archive with the database, the uploaded files and the keys.

The archive is a .tar.gz: the tools every Linux server has read it (`tar tzf` lists it), it is
written as a stream (no second copy of the data on disk), gzip's CRC covers every byte of it, and
it keeps the key files' permissions. Inside:

    database/gandang.sqlite3 or database/gandang.pgdump   one consistent copy (see backup_db)
    files/…          every file under MEDIA_ROOT (uploads), by its path there
    keys/…           the data dir's key files (secret_key, *.key), unless --without-keys
    data/today       the pinned demo calendar, when there is one
    manifest.json    written last: version, time, vendor, migrations, and every member's size and SHA-256

gandang.core.restore verifies every checksum before it writes anything, then restores into an
empty install. Core knows no domain: the database and the files are copied whole, whatever the apps keep in them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections

from gandang.core import backup_db
from gandang.core.backup_db import DatabaseCopyError

FORMAT = "gandang-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PREFIXES = ("database/", "files/", "keys/", "data/")
DATA_FILES = ("today",)  # small files of the data dir the product reads at start-up
CHUNK = 1024 * 1024

Log = Callable[[str], None]


class BackupError(Exception):
    """A refused or failed backup or restore; str(exc) is the message for the operator, in Chinese."""


@dataclass
class Summary:
    path: Path
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def now() -> datetime:
    # Real time, never the demo's pinned calendar: an archive must say when it was really taken.
    return datetime.now(ZoneInfo(settings.TIME_ZONE))


def _version() -> str:
    try:
        return metadata.version("gandang")
    except metadata.PackageNotFoundError:
        return "unknown"


def key_files(data_dir: Path) -> list[Path]:
    """The data dir's keys: Django's secret_key and any *.key (e.g. the personal-data key)."""
    found = [p for p in sorted(data_dir.glob("*.key")) if p.is_file() and not p.is_symlink()]
    secret = data_dir / "secret_key"
    return ([secret] if secret.is_file() else []) + found


def media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under MEDIA_ROOT with its archive name; symlinks are not followed."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path, "files/" + path.relative_to(root).as_posix()


class _Hashing:
    """A file reader that hashes what tarfile copies, so each file is read once."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, name: str, *, mode: int = 0o644) -> dict[str, Any]:
    with path.open("rb") as raw:
        st = os.fstat(raw.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), mode
        reader = _Hashing(raw)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    return {"path": name, "size": reader.size, "sha256": reader.sha.hexdigest()}


def _add_upload(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any] | None:
    try:
        return _add(tar, path, name)
    except FileNotFoundError:  # removed since the folder was listed (a draft's attachment): not kept
        return None


def default_name(when: datetime) -> str:
    return f"gandang-backup-{when:%Y%m%d-%H%M%S}.tar.gz"


def backup(output: Path, *, using: str = "default", with_keys: bool = True) -> Summary:
    """Write one archive of the database, the uploads and (unless told not to) the keys to `output`.

    `output` may be a directory: the archive is then named by the time. The archive is written to
    a temporary file beside it and renamed when complete, so `output` is never half-written.
    """
    when = now()
    output = Path(output)
    if output.is_dir():
        output = output / default_name(when)
    if not output.parent.is_dir():
        raise BackupError(f"目录 {output.parent} 不存在，未写入备份。")
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if output.parent.resolve().is_relative_to(media_root):
        raise BackupError(f"备份文件不能写在文件目录 {media_root} 之内（它会把自己备份进去），请换一个目录。")
    connection = connections[using]
    if connection.vendor not in backup_db.VENDORS:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库：只支持 SQLite 和 PostgreSQL。")
    data_dir = Path(settings.DATA_DIR)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    except OSError as exc:
        raise BackupError(f"无法在 {output.parent} 中写入：{exc}") from exc
    try:
        dump_file = work / "database"
        applied, server_version = backup_db.dump(connection, dump_file)
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            database = _add(tar, dump_file, backup_db.DUMP_NAMES[connection.vendor])
            dump_file.unlink()
            files = [e for path, name in media_files(media_root) if (e := _add_upload(tar, path, name))]
            keys = (
                [_add(tar, p, f"keys/{p.name}", mode=0o600) for p in key_files(data_dir)] if with_keys else []
            )
            data = [_add(tar, data_dir / n, f"data/{n}") for n in DATA_FILES if (data_dir / n).is_file()]
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "product": "gandang",
                "version": _version(),
                "created_at": when.isoformat(timespec="seconds"),
                "database": {
                    **database,
                    "vendor": connection.vendor,
                    "server_version": server_version,
                    "name": str(connection.settings_dict.get("NAME", "")),
                },
                "migrations": backup_db.latest_migrations(applied),
                "files": files,
                "keys": keys,
                "keys_included": with_keys,
                "data": data,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(when.timestamp()), 0o644
            tar.addfile(info, io.BytesIO(body))
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        partial.chmod(0o600)  # the database holds people's details, whether or not the keys are in
        os.replace(partial, output)
        _fsync_dir(output.parent)
    except DatabaseCopyError as exc:
        raise BackupError(str(exc)) from exc
    except OSError as exc:
        raise BackupError(f"写入备份失败：{exc}（未留下不完整的备份文件）") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Summary(output, manifest)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def entries(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every member the manifest lists (the manifest aside), by its name in the archive."""
    listed = [manifest["database"], *manifest["files"], *manifest["keys"], *manifest["data"]]
    return {e["path"]: e for e in listed}
