"""The bulletin pages: the office drafts, edits (htmx and plain), restores and issues; everyone reads issued ones."""

import pytest

from gandang.bulletins.models import Bulletin


@pytest.fixture
def office(login, q3):
    return login(q3.users["office"])


def _draft(client):
    response = client.post("/bulletins/new/", {"year": 2023, "quarter": 3})
    assert response.status_code == 302
    return Bulletin.objects.get(year=2023, quarter=3, state="draft")


def test_office_drafts_and_previews_the_quarter(office):
    bulletin = _draft(office)
    html = office.get(bulletin.get_absolute_url()).content.decode()
    assert "关于2023年第三季度全面深化改革工作进展情况的通报（征求意见稿）" in html
    for heading in (
        "一、总体进展情况",
        "二、分领域推进情况",
        "五、滞后事项",
        "七、挂牌督办情况",
        "九、下步工作安排",
    ):
        assert heading in html
    assert html.count('src="data:image/svg+xml;base64,') == 3
    assert "tag-linked" in html and "tag-edited" not in html
    # Drafting the same quarter again opens the same draft.
    assert _draft(office) == bulletin


def test_htmx_edit_saves_and_marks_the_section_edited(office):
    bulletin = _draft(office)
    url = f"/bulletins/{bulletin.pk}/sections/intro/"
    form = office.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200 and "<textarea" in form.content.decode()
    assert "<html" not in form.content.decode()
    response = office.post(
        url, {"text": "经研究，现将有关情况通报如下。", "version": 1}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "已编辑" in html and "经研究，现将有关情况通报如下。" in html
    assert 'id="v-issue" hx-swap-oob="true"' in html and 'value="2"' in html
    bulletin.refresh_from_db()
    assert bulletin.sections["intro"]["text"] == "经研究，现将有关情况通报如下。"

    restored = office.post(f"{url}restore/", {"version": 2}, headers={"HX-Request": "true"})
    assert "随数据生成" in restored.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.sections == {} and bulletin.version == 3


def test_plain_post_edit_works_without_javascript_and_reports_a_stale_version(office):
    bulletin = _draft(office)
    url = f"/bulletins/{bulletin.pk}/sections/next/"
    assert "<textarea" in office.get(url).content.decode()
    response = office.post(url, {"text": "第一稿", "version": 1})
    assert response.status_code == 302 and response["Location"].endswith("#part-next")
    stale = office.post(url, {"text": "第二稿", "version": 1})
    assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.sections["next"]["text"] == "第一稿"


def test_office_issues_and_every_role_reads_and_downloads(office, login, q3):
    bulletin = _draft(office)
    response = office.post(f"/bulletins/{bulletin.pk}/issue/", {"issued_on": "2023-10-12", "version": 1})
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.doc_number == "改通〔2023〕1号"
    for role in ("leader", "liaison_a", "head_a", "liaison_b", "observer"):
        client = login(q3.users[role])
        assert "改通〔2023〕1号" in client.get("/bulletins/").content.decode()
        html = client.get(bulletin.get_absolute_url()).content.decode()
        assert "改通〔2023〕1号" in html and "编辑文字" not in html
    docx = login(q3.users["liaison_b"]).get(f"/bulletins/{bulletin.pk}/download/docx/")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "attachment" in docx["Content-Disposition"] and ".docx" in docx["Content-Disposition"]


def test_a_draft_is_invisible_to_everyone_but_the_office(office, login, q3):
    bulletin = _draft(office)
    for role in ("leader", "liaison_a", "observer"):
        client = login(q3.users[role])
        assert client.get(bulletin.get_absolute_url()).status_code == 404
        assert "第三季度" not in client.get("/bulletins/").content.decode()


def test_issuing_is_refused_politely_while_a_month_is_open(office, q3):
    from gandang.dispatch.models import Period

    bulletin = _draft(office)
    Period.objects.filter(pk=q3.periods[9].pk).update(state="open")
    html = office.get(bulletin.get_absolute_url()).content.decode()
    assert "9月调度期尚未结束" in html
    response = office.post(
        f"/bulletins/{bulletin.pk}/issue/", {"issued_on": "2023-10-12", "version": 1}, follow=True
    )
    assert "9月（未结束）" in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.state == "draft"


def test_an_issued_bulletin_offers_a_correction_not_an_edit(office, q3):
    bulletin = _draft(office)
    office.post(f"/bulletins/{bulletin.pk}/issue/", {"issued_on": "2023-10-12", "version": 1})
    edit = office.get(f"/bulletins/{bulletin.pk}/sections/intro/", follow=True)
    assert "已印发的通报不能修改" in edit.content.decode()
    response = office.post(f"/bulletins/{bulletin.pk}/correct/")
    correction = Bulletin.objects.get(corrects=bulletin)
    assert response["Location"] == correction.get_absolute_url()
    assert "更正通报" in office.get(correction.get_absolute_url()).content.decode()


def test_dashboard_shows_supervision_tiles(login, q3):
    from datetime import date

    from gandang.supervision.models import Listing

    item = q3.items["c"]
    Listing.objects.create(
        item=item,
        unit=item.lead_unit,
        trigger="red",
        reason="严重滞后",
        level="leader",
        requirements="整改",
        deadline=date(2023, 9, 30),
        listed_by=q3.users["office"],
        listed_on=date(2023, 8, 2),
    )
    response = login(q3.users["leader"]).get("/dashboard/")
    sup = response.context["supervision"]
    assert (sup.open, sup.leader_level, sup.delisted) == (1, 1, 0)
    html = response.content.decode()
    for label in ("督办中", "市级领导督办", "已升级", "逾期未整改", "已摘牌", "待研究建议"):
        assert label in html
    assert 'href="/supervision/"' in html
    # The plan filter applies: a plan without the listed item shows none.
    from gandang.ledger.models import Plan

    other = Plan.objects.create(year=2023, name="2023年其他方案")
    assert login(q3.users["leader"]).get(f"/dashboard/?plan={other.pk}").context["supervision"].open == 0
