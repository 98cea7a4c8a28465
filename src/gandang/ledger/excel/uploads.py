"""Uploaded ledger files kept between preview and confirmation, under a random token.

The confirmation step reads the file again (nothing parsed is stored), so all that is kept is
the file, who uploaded it and its original name. A token only works for the user who uploaded
it, and only for a few hours.

They are kept in the default storage (a folder of it), not on the local disk: the preview and the
confirmation may be served by app processes on different machines.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from gandang.org.models import User

MAX_AGE = timedelta(hours=6)
FOLDER = "imports"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Upload:
    token: str
    filename: str

    @property
    def name(self) -> str:
        """The workbook's name in the storage."""
        return f"{FOLDER}/{self.token}.xlsx"

    @property
    def meta_name(self) -> str:
        return f"{FOLDER}/{self.token}.json"

    def open(self) -> IO[bytes]:
        """The workbook, opened for reading (a context manager)."""
        return default_storage.open(self.name, "rb")


def save_upload(file: UploadedFile, *, user: User) -> Upload:
    """Store an uploaded file under a fresh token, and clear out old uploads."""
    _remove_stale()
    filename = PurePath(file.name or "台账.xlsx").name[:200]
    upload = Upload(token=secrets.token_urlsafe(24), filename=filename)
    file.seek(0)
    _save(upload.name, file)
    meta = json.dumps({"user": user.pk, "filename": filename}).encode()
    _save(upload.meta_name, ContentFile(meta))
    return upload


def _save(name: str, content: IO[bytes]) -> None:
    saved = default_storage.save(name, content)
    if saved != name:  # the storage renamed it: a token collision, which 24 random bytes rule out
        default_storage.delete(saved)
        raise RuntimeError(f"staged upload {name} was stored as {saved}")


def find_upload(token: str, *, user: User) -> Upload | None:
    """The upload behind `token` if `user` made it and it has not expired; None otherwise."""
    if not _TOKEN.match(token or ""):
        return None
    probe = Upload(token=token, filename="")
    if not default_storage.exists(probe.meta_name):
        return None
    try:
        with default_storage.open(probe.meta_name, "rb") as fh:
            meta = json.loads(fh.read().decode("utf-8"))
        modified = default_storage.get_modified_time(probe.name)
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("user") != user.pk or timezone.now() - modified > MAX_AGE:
        return None
    return Upload(token=token, filename=str(meta.get("filename") or f"{token}.xlsx"))


def discard_upload(upload: Upload) -> None:
    default_storage.delete(upload.name)
    default_storage.delete(upload.meta_name)


def _remove_stale() -> None:
    cutoff = timezone.now() - MAX_AGE
    try:
        _dirs, files = default_storage.listdir(FOLDER)
    except OSError:  # no upload kept yet
        return
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except OSError:
            continue  # another request removed it first
