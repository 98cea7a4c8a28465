"""A decompression bomb named .xlsx or .docx is refused on every way a file comes in — the ledger import
(page and command) and the attachments of reports, rectifications, experiences, promotions and honors —
before it is kept or parsed; ordinary Office files still come in."""

import io
from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from gandang.core.errors import ServiceError
from gandang.dispatch.models import Attachment
from gandang.ledger.excel import reader
from tests.core.test_zipguard import OFFICE_PARTS, zip_bomb
from tests.test_permissions import _exp, _listing, _report

REFUSED = "可能是压缩炸弹，已拒绝"


@pytest.fixture(scope="session")
def bomb() -> bytes:
    return zip_bomb()  # ~1 KB that unzips into 210 MB


@pytest.fixture
def docx_bytes() -> bytes:
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in OFFICE_PARTS.items():
            zf.writestr(name, text)
    return buf.getvalue()


@pytest.fixture
def openpyxl_calls(monkeypatch) -> list:
    """Every time the importer opens a workbook with openpyxl."""
    calls: list = []
    real = reader.load_workbook

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(reader, "load_workbook", spy)
    return calls


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def _stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_the_import_page_refuses_a_bomb_without_opening_it(city, login, bomb, openpyxl_calls, settings):
    client = login(city.users["office"])
    upload = SimpleUploadedFile("台账.xlsx", bomb)
    response = client.post(reverse("ledger:import"), {"file": upload, "plan": city.plan.pk})
    body = response.content.decode()
    assert "文件解压后超过 200 MB" in body and REFUSED in body
    assert openpyxl_calls == []
    assert not response.context["can_commit"]


def test_the_import_command_refuses_a_bomb_without_opening_it(city, bomb, openpyxl_calls, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(bomb)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("ledger", "import", str(path), "--plan", city.plan.name, "--year", "2023", stdout=out)
    assert REFUSED in out.getvalue()
    assert openpyxl_calls == []


def test_the_import_still_opens_an_ordinary_workbook(city, login, openpyxl_calls):
    from tests.core.test_zipguard import SAMPLE

    client = login(city.users["office"])
    with SAMPLE.open("rb") as fh:
        response = client.post(reverse("ledger:import"), {"file": fh, "plan": city.plan.pk})
    assert REFUSED not in response.content.decode()
    assert response.context["counts"]["new"] > 0
    assert len(openpyxl_calls) == 1


@pytest.mark.parametrize(
    ("route", "who", "target"),
    [
        ("dispatch:attachment_upload", "liaison_a", lambda c: _report(c, "a")),
        ("supervision:attachment_upload", "liaison_a", _listing),
        ("achievements:attachment_upload", "liaison_a", lambda c: _exp(c, "draft")),
    ],
    ids=["report", "rectification", "experience"],
)
@pytest.mark.parametrize("name", ["说明.docx", "数据.xlsx"])
def test_an_attachment_that_is_a_bomb_is_refused_and_not_kept(
    city, login, bomb, docx_bytes, media, route, who, target, name
):
    client = login(city.users[who])
    url = reverse(route, args=[target(city)])
    response = client.post(url, {"file": SimpleUploadedFile(name, bomb)}, follow=True)
    assert "文件解压后超过 200 MB" in response.content.decode()
    assert _stored(media) == []

    response = client.post(url, {"file": SimpleUploadedFile("正常.docx", docx_bytes)}, follow=True)
    assert REFUSED not in response.content.decode()
    assert len(_stored(media)) == 1


def test_the_offices_uploads_refuse_a_bomb_too(city, bomb, media):
    """Promotion scans and honor evidence take the same check (core.uploads.store)."""
    from gandang.achievements import services
    from gandang.achievements.models import Experience, Outlet, Promotion

    office = city.users["office"]
    exp = Experience.objects.get(pk=_exp(city, "adopted"))
    with pytest.raises(ServiceError, match=REFUSED):
        services.promotion_add(
            actor=office,
            experience=exp,
            outlet=Outlet.objects.filter(is_active=True).first(),
            on=date(2023, 6, 1),
            scan=SimpleUploadedFile("刊发件.docx", bomb),
        )
    data = services.HonorInput(
        name="督查激励",
        level="provincial",
        unit=city.units["a"],
        granted_by="省政府",
        on=date(2023, 5, 1),
        note="",
        items=[],
    )
    with pytest.raises(ServiceError, match=REFUSED):
        services.honor_create(actor=office, data=data, evidence=SimpleUploadedFile("佐证.xlsx", bomb))
    assert not Promotion.objects.exists() and _stored(media) == []
    assert not Attachment.objects.exists()
