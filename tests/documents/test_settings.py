"""The office names itself on its documents in 配置管理 → 公文设置; numbers and the issuer line follow."""

from gandang.documents import conf
from gandang.documents.models import DocumentSettings
from gandang.documents.services import number_issue


def test_the_offices_settings_win_and_empty_fields_fall_back(db, settings):
    settings.GANDANG_DOCUMENT_PREFIXES = {"bulletin": "甲改通"}
    assert conf.issuer() == conf.DEFAULT_ISSUER
    DocumentSettings.objects.create(issuer="中共泰安市委全面深化改革委员会办公室", prefix_reminder="泰改提")
    assert conf.issuer() == "中共泰安市委全面深化改革委员会办公室"
    assert number_issue(kind="reminder", year=2023) == "泰改提〔2023〕1号"
    assert number_issue(kind="bulletin", year=2023) == "甲改通〔2023〕1号"  # not set by the office


def test_the_settings_page_is_one_row_edited_by_the_office(client, city):
    client.force_login(city.users["office"])
    r = client.get("/manage/documents/documentsettings/")
    assert r.status_code == 302 and r["Location"].endswith("/add/")
    r = client.post(
        "/manage/documents/documentsettings/add/",
        {
            "issuer": "中共泰安市委全面深化改革委员会办公室",
            "prefix_reminder": "泰改提",
            "prefix_supervision": "",
            "prefix_bulletin": "",
            "prefix_assessment": "",
        },
    )
    assert r.status_code == 302 and DocumentSettings.objects.count() == 1
    row = DocumentSettings.objects.get()
    assert client.get("/manage/documents/documentsettings/")["Location"].endswith(f"/{row.pk}/change/")
    assert client.get("/manage/documents/documentsettings/add/").status_code == 403
    client.force_login(city.users["liaison_a"])
    assert client.get("/manage/documents/documentsettings/").status_code == 403
