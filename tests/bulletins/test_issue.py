"""Draft → edit → issue: numbered, frozen, notified; stale edits and re-generation refused; corrections are new issues."""

from datetime import date

import pytest

from gandang.bulletins import document, services
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.dispatch.models import StatusSnapshot
from gandang.notifications.models import Notification

Q3 = Quarter(2023, 3)
ON = date(2023, 10, 12)


@pytest.fixture
def draft(q3):
    bulletin, created = services.bulletin_draft(actor=q3.users["office"], quarter=Q3, today=ON)
    assert created
    return bulletin


def _issue(q3, bulletin, on=ON):
    bulletin.refresh_from_db()
    return services.bulletin_issue(
        actor=q3.users["office"], bulletin=bulletin, expected_version=bulletin.version, issued_on=on
    )


def test_one_draft_per_quarter(q3, draft):
    again, created = services.bulletin_draft(actor=q3.users["office"], quarter=Q3, today=ON)
    assert again == draft and not created


def test_only_the_office_drafts(q3):
    with pytest.raises(ServiceError, match="只有改革办"):
        services.bulletin_draft(actor=q3.users["liaison_a"], quarter=Q3, today=ON)


def test_a_future_quarter_cannot_be_drafted(q3):
    with pytest.raises(ServiceError, match="尚未开始"):
        services.bulletin_draft(actor=q3.users["office"], quarter=Quarter(2024, 1), today=ON)


def test_an_edited_section_keeps_its_text_and_the_rest_follows_the_data(q3, draft):
    office = q3.users["office"]
    services.bulletin_section_save(
        actor=office,
        bulletin=draft,
        key="next",
        text="## 抓好整改\n请各单位于10月底前报送整改情况。",
        expected_version=1,
    )
    draft.refresh_from_db()
    StatusSnapshot.objects.filter(period=q3.periods[9], item=q3.items["a"]).update(status="done")
    d = document.draft(draft, charts=False)
    parts = {p.key: p for p in d.parts}
    assert parts["next"].edited and parts["next"].text.startswith("## 抓好整改")
    assert not parts["overall"].edited
    text = d.document.text()
    assert "（一）抓好整改" in text and "请各单位于10月底前报送整改情况。" in text
    assert "已完成3项" in text  # a, b and d: the unedited overall section moved with the records
    assert AuditEntry.objects.filter(object_id=draft.pk, changes__has_key="下步工作安排").exists()

    services.bulletin_section_restore(actor=office, bulletin=draft, key="next", expected_version=2)
    draft.refresh_from_db()
    assert "next" not in draft.sections and draft.version == 3
    assert "压实改革责任" in document.draft(draft, charts=False).document.text()


def test_a_stale_edit_is_refused(q3, draft):
    office = q3.users["office"]
    services.bulletin_section_save(
        actor=office, bulletin=draft, key="intro", text="第一位的导语。", expected_version=1
    )
    with pytest.raises(StaleEdit):
        services.bulletin_section_save(
            actor=office, bulletin=draft, key="intro", text="第二位的导语。", expected_version=1
        )
    draft.refresh_from_db()
    assert draft.sections["intro"]["text"] == "第一位的导语。"
    with pytest.raises(StaleEdit):
        services.bulletin_issue(actor=office, bulletin=draft, expected_version=1, issued_on=ON)


def test_empty_text_and_unknown_sections_are_refused(q3, draft):
    with pytest.raises(ServiceError, match="不能为空"):
        services.bulletin_section_save(
            actor=q3.users["office"], bulletin=draft, key="next", text="  ", expected_version=1
        )
    with pytest.raises(ServiceError):
        services.bulletin_section_save(
            actor=q3.users["office"], bulletin=draft, key="nope", text="x", expected_version=1
        )


def test_issuing_numbers_dates_freezes_and_notifies(q3, draft):
    bulletin = _issue(q3, draft)
    assert bulletin.state == Bulletin.State.ISSUED
    assert (bulletin.number, bulletin.doc_number, bulletin.issued_on) == (1, "改通〔2023〕1号", ON)
    frozen = document.bulletin_document(bulletin)
    assert frozen.doc_number == "改通〔2023〕1号" and "征求意见稿" not in frozen.title
    assert frozen.date == ON and sum(1 for b in frozen.blocks if hasattr(b, "png")) == 3  # the charts

    # Records change afterwards: the issued bulletin does not.
    before = frozen.text()
    StatusSnapshot.objects.filter(period=q3.periods[9]).update(status="red", reason="后来的变化")
    bulletin.refresh_from_db()
    assert document.bulletin_document(bulletin).text() == before

    readers = set(
        Notification.objects.filter(key=f"bulletin:{bulletin.pk}").values_list("user__username", flat=True)
    )
    assert readers == {"leader", "liaison_a", "head_a", "liaison_b"}
    assert AuditEntry.objects.filter(object_id=bulletin.pk, reason="印发").exists()


def test_an_issued_bulletin_cannot_be_edited_regenerated_or_issued_again(q3, draft):
    office = q3.users["office"]
    bulletin = _issue(q3, draft)
    with pytest.raises(ServiceError, match="已印发"):
        services.bulletin_section_save(
            actor=office, bulletin=bulletin, key="intro", text="改写", expected_version=bulletin.version
        )
    with pytest.raises(ServiceError, match="已印发"):
        services.bulletin_section_restore(
            actor=office, bulletin=bulletin, key="intro", expected_version=bulletin.version
        )
    with pytest.raises(ServiceError, match="已印发"):
        _issue(q3, bulletin)
    with pytest.raises(ServiceError, match="已印发"):
        services.bulletin_draft(actor=office, quarter=Q3, today=ON)


def test_a_correction_is_a_new_issue_that_references_the_old(q3, draft):
    office = q3.users["office"]
    first = _issue(q3, draft)
    correction = services.bulletin_correct(actor=office, bulletin=first)
    assert correction.corrects == first and correction.state == Bulletin.State.DRAFT
    with pytest.raises(ServiceError, match="已有通报草稿"):
        services.bulletin_correct(actor=office, bulletin=first)
    second = _issue(q3, correction, on=date(2023, 10, 20))
    assert (second.number, second.doc_number) == (2, "改通〔2023〕2号")
    text = document.bulletin_document(second).text()
    assert "（改通〔2023〕1号）的有关内容予以更正" in text
    first.refresh_from_db()
    assert first.state == Bulletin.State.ISSUED and first.doc_number == "改通〔2023〕1号"
    with pytest.raises(ServiceError, match="最新的一期"):
        services.bulletin_correct(actor=office, bulletin=first)


def test_a_quarter_with_an_open_month_cannot_be_issued(q3, draft):
    from gandang.dispatch.models import Period

    Period.objects.filter(pk=q3.periods[9].pk).update(state="open")
    with pytest.raises(ServiceError, match="9月（未结束）"):
        _issue(q3, draft)
    draft.refresh_from_db()
    assert draft.state == Bulletin.State.DRAFT and draft.version == 1


def test_the_issue_date_must_follow_the_quarter(q3, draft):
    with pytest.raises(ServiceError, match="结束之后"):
        _issue(q3, draft, on=date(2023, 9, 30))


def test_demo_issues_its_past_quarter_dated_and_read(q3, monkeypatch):
    from gandang.bulletins import demo

    monkeypatch.setattr(demo, "ISSUED", [(Q3, ON)])
    [bulletin] = demo.build_bulletins(office=q3.users["office"])
    assert bulletin.doc_number == "改通〔2023〕1号" and bulletin.issued_on == ON
    notices = Notification.objects.filter(key=f"bulletin:{bulletin.pk}")
    assert notices.exists() and not notices.filter(read_at__isnull=True).exists()
    assert {n.created_at.date() for n in notices} == {ON}
    dates = {
        e.at.date() for e in AuditEntry.objects.filter(object_id=bulletin.pk, content_type__model="bulletin")
    }
    assert dates == {date(2023, 10, 10), ON}


def test_demo_skips_a_quarter_without_its_months(city):
    from gandang.bulletins import demo

    assert demo.build_bulletins(office=city.users["office"]) == []
    assert not Bulletin.objects.exists()


def test_the_issue_date_is_not_in_the_future(q3, draft, settings):
    settings.GANDANG_TODAY = "2023-10-11"
    with pytest.raises(ServiceError, match="印发日期不能晚于今天（2023年10月11日）"):
        _issue(q3, draft, on=date(2023, 10, 12))
    draft.refresh_from_db()
    assert draft.state == Bulletin.State.DRAFT and not draft.doc_number
    assert _issue(q3, draft, on=date(2023, 10, 11)).issued_on == date(2023, 10, 11)


def test_a_correction_is_not_dated_before_the_bulletin_it_corrects(q3, draft, settings):
    settings.GANDANG_TODAY = "2023-10-20"
    first = _issue(q3, draft)
    correction = services.bulletin_correct(actor=q3.users["office"], bulletin=first)
    with pytest.raises(ServiceError, match="不能早于被更正通报改通〔2023〕1号的印发日期（2023年10月12日）"):
        _issue(q3, correction, on=date(2023, 10, 11))
    assert _issue(q3, correction, on=ON).doc_number == "改通〔2023〕2号"


def test_the_issue_form_says_why_a_future_date_is_refused(q3, draft, client, settings):
    settings.GANDANG_TODAY = "2023-10-11"
    client.force_login(q3.users["office"])
    r = client.post(
        f"/bulletins/{draft.pk}/issue/", {"issued_on": "2023-10-12", "version": draft.version}, follow=True
    )
    assert "印发日期不能晚于今天" in r.content.decode()
    draft.refresh_from_db()
    assert draft.state == Bulletin.State.DRAFT
