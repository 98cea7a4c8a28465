"""Restore an archive written by `gandang backup` (gandang.core.backup) into an empty install.

The archive is read twice: first to verify every member's size and SHA-256 against the manifest
and the gzip CRC over every byte, writing nothing; then to unpack into a staging directory inside
the data dir, hashing again, from where the database, the files and the keys are moved into place.
Then `migrate` brings an archive from an older version up to this code's schema; an archive from a
newer version (migrations this code does not know) is refused before anything is touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections

from gandang.core import backup_db
from gandang.core.backup import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PREFIXES,
    BackupError,
    Log,
    Summary,
    entries,
    media_files,
    now,
)
from gandang.core.backup_db import DatabaseCopyError


def _safe_name(name: str) -> str:
    """The member's name, refused if it could land outside the staging directory."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        raise BackupError(f"备份中有不安全的路径 {name!r}，不是敢当写出的备份，未做任何改动。")
    clean = path.as_posix()
    if clean != MANIFEST and not clean.startswith(PREFIXES):
        raise BackupError(f"备份中有未知的条目 {name!r}，不是敢当写出的备份，未做任何改动。")
    return clean


def _members(tar: tarfile.TarFile) -> Iterator[tuple[str, tarfile.TarInfo]]:
    seen: set[str] = set()
    for member in tar:
        name = _safe_name(member.name)
        if member.isdir():
            continue
        if not member.isreg():
            raise BackupError(f"备份中的 {name} 不是普通文件（链接或设备），未做任何改动。")
        if name in seen:
            raise BackupError(f"备份中 {name} 出现了两次，未做任何改动。")
        seen.add(name)
        yield name, member


def _copy(src: IO[bytes], out: IO[bytes] | None) -> tuple[int, str]:
    sha, size = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return size, sha.hexdigest()


def _damaged(archive: Path, exc: BaseException) -> BackupError:
    return BackupError(f"备份文件 {archive} 已损坏或不完整（{exc}），已拒绝恢复，未做任何改动。")


def _read_manifest(raw: bytes, archive: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
        if manifest["format"] != FORMAT or manifest["database"]["vendor"] not in backup_db.VENDORS:
            raise ValueError(manifest["format"])
        if manifest["format_version"] > FORMAT_VERSION:
            raise BackupError(
                f"备份文件格式版本 {manifest['format_version']} 比本程序支持的（{FORMAT_VERSION}）新："
                "请用更新版本的敢当恢复。未做任何改动。"
            )
        entries(manifest)
        manifest["migrations"].items()
    except BackupError:
        raise
    except Exception as exc:
        raise BackupError(
            f"{archive} 的清单 manifest.json 无法读取，不是敢当写出的备份。未做任何改动。"
        ) from exc
    return manifest


def verify(archive: Path) -> dict[str, Any]:
    """Read the whole archive and check every member against the manifest; write nothing.

    Returns the manifest; BackupError names the first problem: damaged or truncated, a file
    missing, added or changed.
    """
    if not archive.is_file():
        raise BackupError(f"找不到备份文件 {archive}。")
    found: dict[str, tuple[int, str]] = {}
    raw_manifest = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for name, member in _members(tar):
                src = tar.extractfile(member)
                assert src is not None
                if name == MANIFEST:
                    raw_manifest = src.read(64 * 1024 * 1024)
                else:
                    found[name] = _copy(src, None)
            # Read to the end of the gzip stream, so its CRC is checked over every byte.
            assert tar.fileobj is not None
            while tar.fileobj.read(CHUNK):
                pass
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise _damaged(archive, exc) from exc
    if raw_manifest is None:
        raise BackupError(
            f"备份文件 {archive} 中没有清单 manifest.json：文件不完整（被截断）或不是敢当的备份，"
            "已拒绝恢复，未做任何改动。"
        )
    manifest = _read_manifest(raw_manifest, archive)
    expected = entries(manifest)
    problems = []
    for name, entry in expected.items():
        if name not in found:
            problems.append(f"缺少 {name}")
        elif found[name] != (entry["size"], entry["sha256"]):
            problems.append(f"{name} 的校验和不符")
    problems += [f"多出清单之外的 {name}" for name in found if name not in expected]
    if problems:
        shown = "；".join(problems[:5]) + (f"；等 {len(problems)} 处" if len(problems) > 5 else "")
        raise BackupError(f"备份文件 {archive} 校验未通过（{shown}），已拒绝恢复，未做任何改动。")
    return manifest


# --- restore ------------------------------------------------------------------------------------------


def _check_fits(manifest: dict[str, Any], connection) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        have, want = backup_db.VENDORS.get(connection.vendor, connection.vendor), backup_db.VENDORS[vendor]
        how = (
            "设置 DATABASE_URL 指向一个空的 PostgreSQL 数据库"
            if vendor == "postgresql"
            else "不设 DATABASE_URL"
        )
        raise BackupError(f"这是 {want} 数据库的备份，而当前配置的是 {have}：请{how}后再恢复。未做任何改动。")
    newer = backup_db.unknown_migrations(manifest["migrations"])
    if newer:
        raise BackupError(
            f"备份来自更新版本的敢当（{manifest.get('version')}），其数据库结构本程序不认识"
            f"（{'、'.join(newer[:5])}）：请先升级程序再恢复。未做任何改动。"
        )


def _files_in(root: Path) -> int:
    return sum(1 for _ in media_files(root))


def restore(archive: Path, *, using: str = "default", force: bool = False, log: Log = print) -> Summary:
    """Verify `archive`, then restore it into the configured database and data dir, then migrate.

    The target must be empty (no tables, no uploaded files) unless `force`: then the old SQLite
    file and file folder are kept beside the new ones, and PostgreSQL's old tables are dropped.
    """
    archive = Path(archive)
    manifest = verify(archive)
    connection = connections[using]
    _check_fits(manifest, connection)
    data_dir, media_root = Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT)
    try:
        tables = backup_db.tables_in(connection)
    except DatabaseCopyError as exc:
        raise BackupError(str(exc)) from exc
    files = _files_in(media_root)
    if (tables or files) and not force:
        found = []
        if tables:
            found.append(f"数据库 {connection.settings_dict.get('NAME')} 中已有 {len(tables)} 张表")
        if files:
            found.append(f"文件目录 {media_root} 中已有 {files} 个文件")
        raise BackupError(
            f"目标不是空的（{'，'.join(found)}），已拒绝恢复，未做任何改动。恢复只写入空的数据库和数据目录："
            "请换一个新的数据目录（GANDANG_DATA_DIR）或新建的空数据库（DATABASE_URL）再恢复；"
            "确要用备份替换现有数据，请加 --force。"
        )
    replacing = bool(tables or files)
    stamp = now().strftime("%Y%m%d-%H%M%S")
    summary = Summary(archive, manifest)
    staging = Path(tempfile.mkdtemp(prefix=".gandang-restore-", dir=data_dir))
    try:
        _unpack(archive, staging, manifest)
        log("校验通过，正在写入数据库……")
        db = manifest["database"]
        note = backup_db.load(connection, staging / db["path"], staging, replace=bool(tables), stamp=stamp)
        summary.notes += [note] if note else []
        summary.notes += _install_files(staging / "files", media_root, stamp)
        summary.notes += _install_small(staging, manifest, data_dir, stamp, replacing=replacing)
    except DatabaseCopyError as exc:
        atomic = (
            "（PostgreSQL 在一个事务中写入：数据库没有被改动）" if connection.vendor == "postgresql" else ""
        )
        raise BackupError(f"{exc}{atomic}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    connection.close()
    log("正在执行数据库迁移（migrate）……")
    try:
        call_command("migrate", database=using, interactive=False, verbosity=0)
    except Exception as exc:
        raise BackupError(f"数据已恢复，但数据库迁移（migrate）失败：{exc}") from exc
    if not manifest["keys_included"]:
        summary.notes.append(
            "备份不含密钥文件（备份时加了 --without-keys）：请把原数据目录中的 secret_key 和 *.key "
            f"复制到 {data_dir}，否则加密的个人信息无法读取、原有登录会话失效。"
        )
    return summary


def _unpack(archive: Path, staging: Path, manifest: dict[str, Any]) -> None:
    """The second reading: each member written under `staging` and hashed again as it is written."""
    expected = entries(manifest)
    changed = BackupError(f"备份文件 {archive} 在恢复过程中被改动，已停止，未做任何改动。")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for name, member in _members(tar):
                if name == MANIFEST:
                    continue
                entry = expected.pop(name, None)
                src = tar.extractfile(member)
                if entry is None or src is None:
                    raise changed
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    got = _copy(src, out)
                if got != (entry["size"], entry["sha256"]):
                    raise changed
        if expected:
            raise changed
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise _damaged(archive, exc) from exc


def _install_files(staged: Path, media_root: Path, stamp: str) -> list[str]:
    notes = []
    if media_root.exists():
        if _files_in(media_root):
            aside = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            os.replace(media_root, aside)
            notes.append(f"原文件目录已改名保留为 {aside}")
        else:
            shutil.rmtree(media_root)  # empty folders only
    staged.mkdir(exist_ok=True)
    try:
        os.replace(staged, media_root)
    except OSError:  # MEDIA_ROOT on another file system
        shutil.copytree(staged, media_root)
    return notes


def _install_small(
    staging: Path, manifest: dict[str, Any], data_dir: Path, stamp: str, *, replacing: bool
) -> list[str]:
    """The keys and the data files, each written whole. When data was replaced, a different old key
    is kept aside: the data set aside needs it. (An empty data dir's key, generated at start-up,
    protects nothing.)"""
    notes = []
    for entry in [*manifest["keys"], *manifest["data"]]:
        source = staging / entry["path"]
        target = data_dir / PurePosixPath(entry["path"]).name
        if entry in manifest["keys"]:
            source.chmod(0o600)
            if replacing and target.is_file() and target.read_bytes() != source.read_bytes():
                aside = target.with_name(f"{target.name}.before-restore-{stamp}")
                os.replace(target, aside)
                notes.append(f"原密钥 {target.name} 已改名保留为 {aside.name}")
        backup_db.place(source, target)
    return notes
