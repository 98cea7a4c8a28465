"""Decompression bombs: an Office file (.docx, .xlsx, .pptx are zips) that would unzip into far more than
it weighs is refused from its zip directory, before anything is unzipped, kept or parsed.

The directory is enough: Python's zipfile (which openpyxl and python-docx read through) never inflates a
part beyond the size its directory entry declares, and fails on the part's checksum if the data differs,
so the declared sizes bound what the server will ever unzip. Refused (settings, with defaults):

- more than GANDANG_UNZIP_MAX_BYTES (200 MB) unzipped in all;
- a part over 1 MB that unzips into more than GANDANG_UNZIP_MAX_RATIO (100) times its compressed size
  (Apache POI's rule for Office files: small parts of repetitive XML compress that well honestly);
- more than GANDANG_UNZIP_MAX_MEMBERS (10,000) parts;
- parts whose compressed sizes add up to more than the file itself: they overlap, the trick of the
  non-recursive zip bombs that reuse one compressed block for every part.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from gandang.core.errors import ServiceError

RATIO_GRACE_BYTES = 1024 * 1024


class ZipBomb(ServiceError):
    """The file would unzip into too much; str(exc) says why, in Chinese."""


@dataclass(frozen=True)
class Limits:
    total: int
    ratio: int
    members: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            total=settings.GANDANG_UNZIP_MAX_BYTES,
            ratio=settings.GANDANG_UNZIP_MAX_RATIO,
            members=settings.GANDANG_UNZIP_MAX_MEMBERS,
        )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _size(source: str | os.PathLike | IO[bytes]) -> int:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    here = source.tell()
    end = source.seek(0, os.SEEK_END)
    source.seek(here)
    return end


def check_zip(source: str | os.PathLike | IO[bytes], limits: Limits | None = None) -> None:
    """Refuse (ZipBomb) a zip whose directory promises a decompression bomb. Reads only the directory.

    zipfile.BadZipFile (and the errors of a broken directory) reach the caller, which knows what a
    broken file means to its user. A file object is left at its start.
    """
    limits = limits or Limits.from_settings()
    size = _size(source)
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
    finally:
        if not isinstance(source, str | os.PathLike):
            source.seek(0)
    if len(infos) > limits.members:
        raise ZipBomb(
            _("文件包含 %(count)s 个部件，超过 %(limit)s 个的上限，可能是压缩炸弹，已拒绝")
            % {"count": len(infos), "limit": limits.members}
        )
    total = sum(i.file_size for i in infos)
    if total > limits.total:
        raise ZipBomb(
            _("文件解压后超过 %(limit)s（共 %(total)s），可能是压缩炸弹，已拒绝")
            % {"limit": _mb(limits.total), "total": _mb(total)}
        )
    if sum(i.compress_size for i in infos) > size:
        raise ZipBomb(_("文件中的部件互相重叠，解压后会远大于文件本身，可能是压缩炸弹，已拒绝"))
    for info in infos:
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise ZipBomb(
                _(
                    "文件中的“%(name)s”解压后是压缩时的 %(ratio)s 倍，超过 %(limit)s 倍的上限，可能是压缩炸弹，已拒绝"
                )
                % {
                    "name": info.filename[-80:],
                    "ratio": info.file_size // max(info.compress_size, 1),
                    "limit": limits.ratio,
                }
            )
