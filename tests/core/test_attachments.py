"""Every attachment in the project is an AttachmentBase: its content is checked, it is kept under a
generated name and served only through its record's gate, whichever mechanism it belongs to."""

import ast
from pathlib import Path

from django.apps import apps
from django.db import models

from gandang.core import attachments, uploads
from gandang.core.attachments import AttachmentBase

# A record that carries one optional file of its own in three columns (the file, the name shown, the
# content type) rather than rows of attachments. Its file is checked and named by uploads.store too.
FILE_ON_RECORD = {
    ("achievements", "Promotion"): "scan",
    ("achievements", "PilotStep"): "document",
    ("achievements", "Honor"): "evidence",
}


def _gandang_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("gandang.")]


def _file_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]


def _looks_like_an_attachment(model: type[models.Model]) -> bool:
    key = (model._meta.app_label, model.__name__)
    return (
        "attachment" in model.__name__.lower()
        or "附件" in str(model._meta.verbose_name)
        or (bool(_file_fields(model)) and key not in FILE_ON_RECORD)
    )


def test_every_attachment_model_subclasses_the_base():
    found = [m for m in _gandang_models() if _looks_like_an_attachment(m)]
    assert {m.__name__ for m in found} >= {"Attachment", "RectificationAttachment", "ExperienceAttachment"}
    outside = [f"{m._meta.label}" for m in found if not issubclass(m, AttachmentBase)]
    assert outside == [], f"attachments that skip gandang.core.attachments.AttachmentBase: {outside}"


def test_the_concrete_attachments_keep_the_shared_fields_and_their_own_folder():
    for model in [m for m in _gandang_models() if issubclass(m, AttachmentBase)]:
        names = {f.name for f in model._meta.get_fields()}
        assert {"file", "name", "content_type", "size", "uploaded_by", "at"} <= names
        assert model._meta.ordering == ["at"]
        assert model.AUDIT_FIELDS == ["name", "size"]
        folder = model._meta.get_field("file").upload_to
        assert folder != AttachmentBase._meta.get_field("file").upload_to, (
            f"{model._meta.label} keeps its files in a folder of its own"
        )


def test_the_files_on_records_are_the_ones_listed():
    """A new file column on a record is either listed here on purpose or made an attachment."""
    found = {
        (m._meta.app_label, m.__name__): _file_fields(m)
        for m in _gandang_models()
        if _file_fields(m) and not issubclass(m, AttachmentBase)
    }
    assert found == {key: [field] for key, field in FILE_ON_RECORD.items()}


def test_the_attachment_modules_know_no_domain():
    for module in (attachments, uploads):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = [
            n.module if isinstance(n, ast.ImportFrom) else alias.name
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for alias in n.names
        ]
        gandang = {name for name in imported if name and name.startswith("gandang")}
        assert all(name == "gandang.core" or name.startswith("gandang.core.") for name in gandang), gandang


def test_every_audited_field_has_a_name_the_history_can_show():
    """The history shows each change under its field's verbose name: one left to Django's default (the code
    name, e.g. "size") would appear untranslated in the Chinese page."""
    bare = [
        f"{m._meta.label}.{name}"
        for m in _gandang_models()
        for name in getattr(m, "AUDIT_FIELDS", [])
        if str(m._meta.get_field(name).verbose_name) == name.replace("_", " ")
    ]
    assert bare == []
