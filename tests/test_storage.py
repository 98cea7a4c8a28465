"""Uploaded files go through Django's storage API only, so that app servers on several machines can share
them (a folder on NFS, or S3-compatible storage): the site works the same with a storage that has no
local paths at all (Django's InMemoryStorage, whose path() raises)."""

import ast
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from gandang.core.keyfile import create_once
from gandang.dispatch import services as dispatch_services
from gandang.dispatch.models import Attachment, Report
from gandang.ledger.models import ImportBatch

from .ledger.workbooks import messy_ledger

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "gandang"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Only the backup and restore commands copy the file-system storage's folder itself (documented).
MEDIA_ROOT_READERS = {"settings.py", "core/backup.py", "core/restore.py"}


@pytest.fixture
def no_paths(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert isinstance(storages["default"], InMemoryStorage)
    return default_storage


def test_a_ledger_import_is_previewed_and_confirmed_from_the_storage(no_paths, city, login, tmp_path):
    client = login(city.users["office"])
    with messy_ledger(tmp_path / "台账.xlsx").open("rb") as fh:
        preview = client.post(reverse("ledger:import"), {"file": fh, "plan": city.plan.pk})
    assert preview.status_code == 200 and preview.context["counts"]["new"] == 5
    token = preview.context["token"]
    assert no_paths.exists(f"imports/{token}.xlsx")
    confirm = client.post(
        reverse("ledger:import_confirm"), {"token": token, "plan": city.plan.pk, "create_missing": "1"}
    )
    assert confirm.status_code == 302
    assert ImportBatch.objects.get().filename == "台账.xlsx"
    assert not no_paths.exists(f"imports/{token}.xlsx")  # discarded once imported


def test_an_attachment_is_kept_and_served_from_the_storage(no_paths, city, login):
    period, _n = dispatch_services.period_open(actor=city.users["office"], year=2023, month=10)
    report = Report.objects.get(period=period, item=city.items["a"])
    client = login(city.users["liaison_a"])
    upload = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")
    client.post(f"/dispatch/reports/{report.pk}/attachments/", {"file": upload})
    att = Attachment.objects.get()
    assert no_paths.exists(att.file.name)
    download = client.get(f"/dispatch/attachments/{att.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_piece_raised_into_an_experience_carries_its_photo_within_the_storage(no_paths, city):
    from gandang.information import services as information
    from tests.information.conftest import adopted

    office = city.users["office"]
    piece = adopted(city)
    photo = information.photo_add(
        actor=office, piece=piece, upload=SimpleUploadedFile("现场.pdf", PDF, content_type="application/pdf")
    )
    exp = information.piece_raise(actor=office, piece=piece)
    att = exp.attachments.get()
    assert att.file.name != photo.file.name and no_paths.exists(att.file.name)
    with no_paths.open(att.file.name) as fh:
        assert fh.read() == PDF


def test_no_code_reads_an_uploaded_file_by_its_path():
    """`.path` of a stored file, or MEDIA_ROOT, would tie a file to one machine's disk."""
    file_fields = {
        f.name for m in apps.get_models() for f in m._meta.get_fields() if isinstance(f, models.FileField)
    }
    offenders = []
    for file in sorted(SRC.rglob("*.py")):
        rel = file.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Attribute):
                continue
            if node.attr == "MEDIA_ROOT" and rel not in MEDIA_ROOT_READERS:
                offenders.append(f"{rel}:{node.lineno} MEDIA_ROOT")
            if node.attr == "path" and _names_a_stored_file(node.value, file_fields):
                offenders.append(f"{rel}:{node.lineno} .path")
    assert offenders == []


def _names_a_stored_file(node: ast.expr, file_fields: set[str]) -> bool:
    """`report.file.path`, `promotion.scan.path`, `upload.path`… (not request.path, result.path)."""
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return (isinstance(node, ast.Attribute) and name in file_fields) or "upload" in name


def _settings_in_subprocess(env: dict[str, str], code: str) -> str:
    env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "gandang.settings"}
    script = f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r}); import django; django.setup(); {code}"
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_operator_points_the_storage_elsewhere_by_environment(tmp_path):
    shared = tmp_path / "nfs" / "gandang-files"
    code = (
        "from django.conf import settings; from django.core.files.storage import storages; "
        "s = storages['default']; print(settings.MEDIA_ROOT, type(s).__name__, s.location, s.base_url)"
    )
    env = {"GANDANG_DATA_DIR": str(tmp_path / "data"), "GANDANG_MEDIA_ROOT": str(shared)}
    assert _settings_in_subprocess(env, code) == f"{shared} FileSystemStorage {shared} /files/"
    env["GANDANG_STORAGE"] = "django.core.files.storage.InMemoryStorage"
    env["GANDANG_STORAGE_OPTIONS"] = '{"base_url": "/m/"}'
    assert _settings_in_subprocess(env, code).split()[1::2] == ["InMemoryStorage", "/m/"]


def test_a_key_file_is_made_once_however_many_processes_start_together(tmp_path):
    path = tmp_path / "secret_key"
    start = threading.Barrier(8)
    made = []

    def race(n: int) -> None:
        start.wait()
        made.append(create_once(path, f"key-{n}"))

    threads = [threading.Thread(target=race, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert made.count(True) == 1
    assert path.read_text().startswith("key-") and oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left
