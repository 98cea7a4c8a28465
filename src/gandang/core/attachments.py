"""The one shape of an attachment: a file kept under a generated name beside the record it backs
(a report, a rectification, an experience…), shown under the user's own name, downloaded only through
the gate of that record.

A concrete attachment declares only its foreign key to the record, the folder its files go to and its
verbose names::

    class Attachment(AttachmentBase):
        report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
        file = models.FileField(upload_to="reports/%Y/%m/")

        class Meta(AttachmentBase.Meta):
            verbose_name = pgettext_lazy("model name", "附件")
            verbose_name_plural = pgettext_lazy("model name, plural", "附件")

Its service saves it with `new(...)` (the content is checked, the stored name generated) and its view
serves it with `download(...)` given the app's own gate. tests/core/test_attachments.py holds every
attachment model in the project to this base.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext_lazy as _

from gandang.core import uploads
from gandang.core.errors import ServiceError
from gandang.core.fields import StampField


class AttachmentBase(models.Model):
    """Fields and behaviour every attachment shares; abstract, so each app keeps its own table."""

    # Redeclared by each concrete model with its own upload_to (the folder is part of its migration).
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("文件大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = StampField(auto_now_add=True)

    AUDIT_FIELDS = ["name", "size"]

    class Meta:
        abstract = True
        ordering = ["at"]

    def __str__(self) -> str:
        return self.name


A = TypeVar("A", bound=AttachmentBase)


def new(model: type[A], *, upload: UploadedFile, uploaded_by: Any, **owner: Any) -> A:
    """An unsaved attachment of `model` holding `upload`, checked by content and stored under a
    generated name (ServiceError with a Chinese message when refused). `owner` is its foreign key,
    e.g. report=report. The caller saves it and writes the audit entry."""
    att = model(size=upload.size or 0, uploaded_by=uploaded_by, **owner)
    att.name, att.content_type = uploads.store(att.file, upload)
    return att


def copy(source: AttachmentBase, model: type[A], *, uploaded_by: Any, **owner: Any) -> A:
    """An unsaved attachment of `model` holding a copy of `source`'s file, stored through the storage API
    under a new generated name in `model`'s own folder and shown under the same name: a record carried
    from another (a piece of information raised into an experience) keeps its files.

    A copy, not a second row on the same stored file: removing an attachment deletes its file
    (`remove`), and removing it from one record must not take it from the other. `source`'s content
    was checked when it was uploaded. ServiceError (in Chinese) when its file can no longer be read.
    The caller saves it and writes the audit entry."""
    att = model(
        name=source.name,
        content_type=source.content_type,
        size=source.size,
        uploaded_by=uploaded_by,
        **owner,
    )
    ext = PurePosixPath(source.file.name or "").suffix.lower()
    try:
        with source.file.open("rb") as fh:
            att.file.save(f"{uuid.uuid4().hex}{ext}", fh, save=False)
    except OSError:
        raise ServiceError(
            _("附件“%(name)s”的文件已无法读取，请先删除该附件后重试") % {"name": source.name}
        ) from None
    return att


def download(user: Any, pk: int, gate: Callable[[Any, int], AttachmentBase]) -> FileResponse:
    """The attachment `pk` as a download, if the app's `gate` (its get_…_for_user: 404 for what the user
    may not read) lets `user` have it."""
    att = gate(user, pk)
    return uploads.file_response(att.file, att.name, att.content_type)


def upload(request: HttpRequest, add: Callable[[UploadedFile], AttachmentBase]) -> None:
    """A file posted on its own (AttachmentForm) handed to the app's service `add`; the page is told
    what came of it (uploaded, refused with the reason, or no file chosen)."""
    from django.contrib import messages
    from django.utils.translation import gettext

    from gandang.core.errors import ServiceError

    form = uploads.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("请选择要上传的文件"))
        return
    try:
        att = add(form.cleaned_data["file"])
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("已上传附件“%(name)s”") % {"name": att.name})


def remove(attachment: AttachmentBase, *, actor: Any, scope: models.Model) -> None:
    """Delete an attachment and its file; the audit history (under `scope`, its record) keeps its name.
    The caller has checked that `actor` may."""
    from gandang.core import audit
    from gandang.core.models import AuditEntry

    before = audit.snapshot(attachment)
    audit.record(
        attachment, actor=actor, action=AuditEntry.Action.DELETE, before=before, after={}, scope=scope
    )
    attachment.file.delete(save=False)
    attachment.delete()
