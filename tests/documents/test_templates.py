"""Wording templates: shipped defaults, editable by the office only, filled from the records."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from gandang.documents import services, wording
from gandang.documents.models import DocumentKind, DocumentTemplate
from gandang.documents.structure import Heading, Paragraph


@pytest.mark.django_db
def test_defaults_are_created_on_first_use_and_then_the_offices_text_wins():
    template = services.template_get(kind=DocumentKind.REMINDER)
    assert "{item}" in template.title
    template.body = "请{unit}抓紧整改。"
    template.save()
    assert services.template_get(kind=DocumentKind.REMINDER).body == "请{unit}抓紧整改。"
    assert DocumentTemplate.objects.count() == 1


@pytest.mark.django_db
def test_a_letter_fills_placeholders_and_headings():
    template = DocumentTemplate(
        kind=DocumentKind.REMINDER,
        name="x",
        title="关于{item}的提醒函",
        body="请{unit}整改。\n# 要求\n{unknown}",
    )
    doc = wording.letter(
        template,
        {"item": "某改革", "unit": "市教育局"},
        issuer="改革办",
        recipient="市教育局：",
        date=date(2023, 12, 5),
    )
    assert doc.title == "关于某改革的提醒函"
    assert doc.blocks == [Paragraph("请市教育局整改。"), Heading(1, "要求"), Paragraph("{unknown}")]
    assert "一、要求" in doc.text() and "2023年12月5日" in doc.text()


def test_unknown_placeholders_are_rejected_when_the_office_edits():
    template = DocumentTemplate(kind=DocumentKind.REMINDER, name="x", title="{item}", body="{item.__class__}")
    template.clean()  # attribute syntax is not a placeholder: it is printed as written
    template.body = "{secret}"
    with pytest.raises(ValidationError):
        template.clean()


@pytest.mark.django_db
def test_office_sees_the_shipped_templates_in_the_admin(city, login):
    response = login(city.users["office"]).get("/manage/documents/documenttemplate/")
    assert response.status_code == 200
    assert "提醒函（默认）" in response.content.decode() and "督办函（默认）" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "liaison_a", "observer"])
def test_other_roles_cannot_open_the_templates(city, login, role):
    assert login(city.users[role]).get("/manage/documents/documenttemplate/").status_code == 403


@pytest.mark.django_db
def test_sequences_are_read_only_in_the_admin(city, login):
    services.number_next(kind=DocumentKind.REMINDER, year=2023)
    client = login(city.users["office"])
    assert client.get("/manage/documents/documentsequence/").status_code == 200
    assert client.get("/manage/documents/documentsequence/add/").status_code == 403


def test_sample_command_writes_a_docx(tmp_path):
    out = tmp_path / "sample.docx"
    call_command("document-sample", "-o", str(out))
    assert out.read_bytes()[:2] == b"PK"
