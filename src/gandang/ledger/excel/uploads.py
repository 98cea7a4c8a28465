"""Uploaded ledger files kept between preview and confirmation, under a random token.

The confirmation step reads the file again (nothing parsed is stored), so all that is kept is
the file, who uploaded it and its original name. A token only works for the user who uploaded
it, and only for a few hours.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from gandang.org.models import User

MAX_AGE_SECONDS = 6 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Upload:
    token: str
    path: Path
    filename: str


def _dir() -> Path:
    path = Path(settings.IMPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _meta(path: Path) -> Path:
    return path.with_suffix(".json")


def save_upload(file: UploadedFile, *, user: User) -> Upload:
    """Store an uploaded file under a fresh token, and clear out old uploads."""
    folder = _dir()
    _remove_stale(folder)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.xlsx"
    with path.open("wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    filename = Path(file.name or "台账.xlsx").name[:200]
    _meta(path).write_text(json.dumps({"user": user.pk, "filename": filename}), encoding="utf-8")
    return Upload(token=token, path=path, filename=filename)


def find_upload(token: str, *, user: User) -> Upload | None:
    """The upload behind `token` if `user` made it and it has not expired; None otherwise."""
    if not _TOKEN.match(token or ""):
        return None
    path = _dir() / f"{token}.xlsx"
    try:
        meta = json.loads(_meta(path).read_text(encoding="utf-8"))
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return None
    if meta.get("user") != user.pk or age > MAX_AGE_SECONDS:
        return None
    return Upload(token=token, path=path, filename=str(meta.get("filename") or path.name))


def discard_upload(upload: Upload) -> None:
    upload.path.unlink(missing_ok=True)
    _meta(upload.path).unlink(missing_ok=True)


def _remove_stale(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # another request removed it first
