"""Uploaded files, for every app: the type is read from the file's first bytes, not trusted from its
name; the file is kept under a generated name; it is served back as a download under the name shown."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gandang.core import zipguard
from gandang.core.errors import ServiceError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "wps": "application/vnd.ms-works",
    "et": "application/vnd.ms-excel",
}
OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ACCEPTED = "PDF、Word、Excel、PowerPoint、WPS 文件和 PNG/JPG/GIF 图片"


def _sniff_matches(ext: str, head: bytes, upload: UploadedFile) -> bool:
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if ext in ("doc", "xls", "ppt", "wps", "et"):
        return head.startswith(OLE2)
    if ext in OOXML_PART:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError):
            return False
        return "[Content_Types].xml" in names and any(n.startswith(OOXML_PART[ext]) for n in names)
    return False


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; ServiceError with a Chinese message otherwise."""
    limit = settings.GANDANG_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ServiceError("文件是空的")
    if upload.size > limit:
        raise ServiceError(f"文件超过{limit // (1024 * 1024)}MB的上限，请压缩后再上传")
    ext = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if ext not in KINDS:
        raise ServiceError(f"不支持该文件类型，请上传{ACCEPTED}")
    upload.seek(0)
    head = upload.read(16)
    if not _sniff_matches(ext, head, upload):
        raise ServiceError(f"文件内容与扩展名“.{ext}”不符，可能已损坏或被改名，请检查后重新上传")
    if ext in OOXML_PART:
        zipguard.check_zip(upload)  # a kept file is opened in people's own Office: no bomb is passed on
    upload.seek(0)
    return ext, KINDS[ext]


def display_name(name: str) -> str:
    """The user's file name without any path, trimmed, for display and download."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "附件"
    return base[-200:]


def store(field: FieldFile, upload: UploadedFile) -> tuple[str, str]:
    """Check `upload` by its content and save it into the FileField `field` (unsaved model) under a
    generated name: the user's file name is only ever shown, never used as a path.
    Returns (the name to show, the content type)."""
    ext, content_type = check_upload(upload)
    field.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    return display_name(upload.name or ""), content_type


def file_response(field: FieldFile, name: str, content_type: str) -> FileResponse:
    """The stored file streamed as a download under the name shown (quoted by Django's
    Content-Disposition, RFC 6266 for non-ASCII names); 404 when nothing was uploaded."""
    if not field:
        raise Http404(gettext("没有上传文件"))
    return FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type=content_type)


class AttachmentForm(forms.Form):
    """One file posted on its own (an attachment added to a report, a rectification, an experience)."""

    file = forms.FileField(label=_("附件"))
