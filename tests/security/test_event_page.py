"""The security log page: read-only, filters, chain status, CSV export; its reader alone."""

from django.urls import reverse

from gandang.security import services
from gandang.security.models import SecurityEvent
from tests.security.conftest import events, sql

URL = reverse("security:event_list")
Kind = SecurityEvent.Kind


def _some_events(city):
    services.record_event(kind=Kind.LOGIN, user=city.users["liaison_a"])
    services.record_event(kind=Kind.LOGIN_FAILED, outcome="failure", username="guess")
    services.record_event(
        kind=Kind.EXPORT, user=city.users["leader"], object_text="ledger:export_xlsx 台账.xlsx"
    )


def test_the_audit_administrator_reads_the_log_newest_first(login, city):
    _some_events(city)
    body = login(city.users["auditadmin"]).get(URL).content.decode()
    assert body.index("台账.xlsx") < body.index("guess") < body.index("liaison_a")
    assert "登录失败" in body and "导出/下载正式文件" in body and "单位联络员" in body
    assert "防篡改触发器缺失" not in body


def test_filters_by_type_user_outcome_and_date(login, city):
    _some_events(city)
    client = login(city.users["auditadmin"])
    assert "guess" in client.get(URL, {"kind": "login_failed"}).content.decode()
    assert "guess" not in client.get(URL, {"kind": "login"}).content.decode()
    assert "liaison_a" not in client.get(URL, {"user": "leader"}).content.decode()
    assert "guess" not in client.get(URL, {"outcome": "success"}).content.decode()
    assert "guess" not in client.get(URL, {"since": "2000-01-01", "until": "2000-12-31"}).content.decode()
    assert client.get(URL, {"since": "not a date", "kind": "nonsense"}).status_code == 200


def test_verify_link_shows_the_chain_status(login, city, drop_triggers):
    _some_events(city)
    client = login(city.users["auditadmin"])
    assert "哈希链校验通过" in client.get(URL, {"verify": "1"}).content.decode()
    drop_triggers()
    sql("UPDATE security_securityevent SET username = 'x' WHERE seq = 2")
    body = client.get(URL, {"verify": "1"}).content.decode()
    assert "校验失败：第 2 条" in body and "防篡改触发器缺失" in body


def test_others_are_refused_and_the_refusal_is_recorded(login, city):
    # 三权分立: neither the reform office nor the system or security administrator reads the log.
    refused = ["leader", "office", "sysadmin", "secadmin", "liaison_a"]
    for who in refused:
        assert login(city.users[who]).get(URL).status_code == 403, who
        assert login(city.users[who]).get(reverse("security:event_export")).status_code == 403, who
    denied = events(Kind.ACCESS_DENIED)
    assert {e.user.username for e in denied} == set(refused)
    assert {e.object for e in denied} >= {"security:event_list"}


def test_export_is_a_csv_of_the_filtered_log_and_is_recorded(login, city):
    _some_events(city)
    response = login(city.users["auditadmin"]).get(reverse("security:event_export"), {"kind": "login_failed"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "guess" in text and "liaison_a" not in text
    (exported,) = events(Kind.AUDIT_EXPORT)
    assert exported.user == city.users["auditadmin"] and exported.detail["query"] == "kind=login_failed"


def test_nothing_changes_an_entry_from_the_product(login, city):
    _some_events(city)
    client = login(city.users["auditadmin"])
    assert client.post(URL).status_code == 405
    # Not in the configuration screens either: neither the list nor a change page.
    assert client.get("/manage/security/securityevent/").status_code == 404
    assert client.get("/manage/security/securityevent/1/change/").status_code == 404
    assert [e.username for e in events()][:3] == ["liaison_a", "guess", "leader"]


def test_configuration_index_links_the_log_for_its_reader_only(login, city):
    assert URL in login(city.users["auditadmin"]).get("/manage/").content.decode()
    for who in ("office", "sysadmin", "secadmin"):
        assert URL not in login(city.users[who]).get("/manage/").content.decode(), who


def test_the_page_speaks_english_when_asked(login, city):
    services.record_event(kind=Kind.ACCESS_DENIED, outcome="denied", user=city.users["liaison_b"])
    client = login(city.users["auditadmin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(URL, {"verify": "1"}).content.decode()
    assert "Security log" in body and "Access denied" in body and "hash chain verified" in body
