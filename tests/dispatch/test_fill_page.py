"""The liaison's fill page: every button acts on what is on the screen, and nothing typed is lost."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.dispatch import services
from gandang.dispatch.models import Attachment, Report, ReportMilestone

S = Report.State
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _card(report, progress="召开专题会议两次，完成方案初稿", **extra):
    report = Report.objects.get(pk=report.pk)
    p = f"r{report.pk}"
    data = {
        f"{p}-version": report.version,
        f"{p}-progress": progress,
        f"{p}-percent": 40,
        f"{p}-problems": "",
        f"{p}-next_steps": "征求意见后印发",
        f"{p}-coordination": "",
    }
    data.update({f"{p}-{k}": v for k, v in extra.items()})
    return data


def _fill(period):
    return f"/dispatch/periods/{period.pk}/fill/"


@pytest.fixture
def second_report(city, period):
    """A second report of unit A in the same period, on a new item."""
    from gandang.ledger import services as ledger

    item = ledger.item_create(
        actor=city.users["office"],
        fields={
            "plan": city.plan,
            "code": "4",
            "seq": 4,
            "title": "深化“一链办理”改革",
            "lead_unit": city.units["a"],
            "due_date": __import__("datetime").date(2023, 12, 31),
        },
    )
    services.period_open(actor=city.users["office"], year=2023, month=10)
    return Report.objects.get(period=period, item=item)


def test_submit_without_saving_submits_what_is_on_the_screen(login, city, period, report_a):
    """The issue's first case: new text and a ticked milestone, then 提交签发 without 保存."""
    ms = city.items["a"].milestones.get()
    client = login(city.users["liaison_a"])
    data = _card(
        report_a,
        "本月完成征求意见稿并报市政府",
        **{f"reach-{ms.pk}": "1", f"reach-date-{ms.pk}": "2023-10-20"},
    )
    data["submit"] = str(report_a.pk)
    r = client.post(_fill(period), data)
    assert r.status_code == 302
    report = Report.objects.get(pk=report_a.pk)
    assert report.state == S.SUBMITTED
    assert report.progress == "本月完成征求意见稿并报市政府"
    assert list(report.reached.values_list("milestone_id", flat=True)) == [ms.pk]
    # The head signs what the liaison saw: the sign-off page shows the new text.
    page = login(city.users["head_a"]).get("/dispatch/sign/").content.decode()
    assert "本月完成征求意见稿并报市政府" in page


def test_a_refused_submit_keeps_the_text_as_a_draft_and_says_why(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    data = _card(report_a, "")
    data[f"r{report_a.pk}-next_steps"] = "下月印发实施方案"
    data["submit"] = str(report_a.pk)
    r = client.post(_fill(period), data)
    assert r.status_code == 400
    body = r.content.decode()
    assert "请先填写“本月进展”再提交" in body
    report = Report.objects.get(pk=report_a.pk)
    assert report.state == S.DRAFT and report.next_steps == "下月印发实施方案"


def test_a_ticked_milestone_without_a_date_comes_back_ticked_with_everything_typed(
    login, city, period, report_a
):
    ms = city.items["a"].milestones.get()
    client = login(city.users["liaison_a"])
    data = _card(
        report_a, "完成方案起草", **{f"reach-{ms.pk}": "1", f"reach-evidence-{ms.pk}": "市政府常务会议纪要"}
    )
    data["save"] = str(report_a.pk)
    r = client.post(_fill(period), data)
    assert r.status_code == 400
    body = r.content.decode()
    assert "请填写节点“完成方案”的完成日期" in body
    assert re.search(rf'name="r{report_a.pk}-reach-{ms.pk}" value="1"[^>]*checked', body)
    assert "市政府常务会议纪要" in body and "完成方案起草" in body
    assert Report.objects.get(pk=report_a.pk).progress == ""  # nothing half-saved
    # The same page, now with the date: the milestone is recorded.
    data[f"r{report_a.pk}-reach-date-{ms.pk}"] = "2023-10-12"
    assert client.post(_fill(period), data).status_code == 302
    reached = ReportMilestone.objects.get(report=report_a)
    assert (reached.milestone_id, str(reached.done_date), reached.evidence) == (
        ms.pk,
        "2023-10-12",
        "市政府常务会议纪要",
    )


def test_a_ticked_milestone_gets_a_default_date_inside_the_period(login, city, period, report_a):
    body = login(city.users["liaison_a"]).get(_fill(period)).content.decode()
    assert 'data-default-date="2023-10-' in body


def test_submit_all_saves_every_card_then_confirms_the_list(login, city, period, report_a, second_report):
    client = login(city.users["liaison_a"])
    data = {**_card(report_a, "甲事项本月进展"), **_card(second_report, "")}
    data["submit_all"] = "1"
    r = client.post(_fill(period), data)
    assert r.status_code == 302 and r["Location"].endswith("?confirm=submit")
    assert Report.objects.get(pk=report_a.pk).progress == "甲事项本月进展"
    confirm = client.get(r["Location"]).content.decode()
    assert "以下 1 份报告将提交单位负责人签发" in confirm and "甲事项本月进展" in confirm
    assert "尚未填写“本月进展”" in confirm and second_report.item.title in confirm
    values = re.findall(r'name="report" value="([0-9:]+)"', confirm)
    r = client.post(_fill(period), {"confirm_submit": "1", "report": values})
    assert r.status_code == 302
    assert Report.objects.get(pk=report_a.pk).state == S.SUBMITTED
    assert Report.objects.get(pk=second_report.pk).state == S.DRAFT


def test_confirming_a_report_changed_since_the_list_is_refused(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    client.post(_fill(period), {**_card(report_a), "save": str(report_a.pk)})
    report = Report.objects.get(pk=report_a.pk)
    listed = f"{report.pk}:{report.version}"
    client.post(_fill(period), {**_card(report_a, "改过的内容"), "save": str(report_a.pk)})
    r = client.post(_fill(period), {"confirm_submit": "1", "report": [listed]}, follow=True)
    assert "在确认后又被修改，未提交" in r.content.decode()
    assert Report.objects.get(pk=report_a.pk).state == S.DRAFT


def test_text_over_the_limit_is_refused_with_its_length_and_kept_on_the_page(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    long = "推" * 20000
    r = client.post(_fill(period), {**_card(report_a, long), "save": str(report_a.pk)})
    assert r.status_code == 400
    body = r.content.decode()
    assert long in body
    assert "2000" in body and "20000" in body
    assert Report.objects.get(pk=report_a.pk).progress == ""
    # The service refuses it too, whichever path writes.
    with pytest.raises(ServiceError, match="本月进展.*不能超过2000字"):
        services.report_save(
            actor=city.users["liaison_a"],
            report=report_a,
            expected_version=Report.objects.get(pk=report_a.pk).version,
            fields={"progress": long},
        )


def test_the_page_shows_counters_limits_and_an_autosave_hook(login, city, period, report_a):
    body = login(city.users["liaison_a"]).get(_fill(period)).content.decode()
    assert 'maxlength="2000"' in body  # app.js turns it into a counter (字数) that never cuts text
    assert f'data-autosave="/dispatch/reports/{report_a.pk}/autosave/"' in body


def test_a_stale_card_keeps_what_was_typed_and_the_next_save_knowingly_wins(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    old = _card(report_a, "我在第一个窗口写的")
    client.post(_fill(period), {**_card(report_a, "第二个窗口先保存"), "save": str(report_a.pk)})
    r = client.post(_fill(period), {**old, "save": str(report_a.pk)})
    assert r.status_code == 400
    body = r.content.decode()
    assert "我在第一个窗口写的" in body and "已被修改" in body
    version = re.search(rf'name="r{report_a.pk}-version" value="(\d+)"', body).group(1)
    assert int(version) == Report.objects.get(pk=report_a.pk).version
    old[f"r{report_a.pk}-version"] = version
    assert client.post(_fill(period), {**old, "save": str(report_a.pk)}).status_code == 302
    assert Report.objects.get(pk=report_a.pk).progress == "我在第一个窗口写的"


def test_files_chosen_on_a_card_are_kept_even_when_its_text_has_an_error(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    data = {**_card(report_a, "推" * 2001), "save": str(report_a.pk)}
    data[f"r{report_a.pk}-files"] = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")
    r = client.post(_fill(period), data)
    assert r.status_code == 400
    assert Attachment.objects.filter(report=report_a, name="方案.pdf").exists()
    assert "方案.pdf" in r.content.decode()


@pytest.mark.parametrize("own_page", [False, True], ids=["fill page", "report's own page"])
def test_a_file_stored_with_a_refused_save_is_listed_once_on_its_card(
    login, city, period, report_a, own_page
):
    """The card shown again lists the file it just stored, with its 删除 button, like those before."""
    client = login(city.users["liaison_a"])
    data = {**_card(report_a, "推" * 2001), "save": str(report_a.pk)}
    data[f"r{report_a.pk}-files"] = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")
    url = f"/dispatch/reports/{report_a.pk}/edit/" if own_page else _fill(period)
    page = client.post(url, data).content.decode()
    att = Attachment.objects.get(report=report_a)
    card = page[page.index(f'id="report-{report_a.pk}"') :]
    card = card[: card.index("</article>")]
    assert card.count(">方案.pdf</a>") == 1
    assert f'name="remove_attachment" value="{att.pk}"' in card


def test_a_wrong_file_is_refused_by_name_and_the_text_is_still_saved(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    data = {**_card(report_a, "本月进展正常"), "save": str(report_a.pk)}
    data[f"r{report_a.pk}-files"] = SimpleUploadedFile(
        "病毒.exe", b"MZ\x90\x00", content_type="application/pdf"
    )
    r = client.post(_fill(period), data)
    assert r.status_code == 400
    assert "附件“病毒.exe”未上传" in r.content.decode()
    assert not Attachment.objects.filter(report=report_a).exists()


def test_an_attachment_is_removed_from_the_card_with_the_text_saved(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    data = {**_card(report_a), "save": str(report_a.pk)}
    data[f"r{report_a.pk}-files"] = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")
    client.post(_fill(period), data)
    att = Attachment.objects.get(report=report_a)
    r = client.post(
        _fill(period), {**_card(report_a, "删除附件时也保存了"), "remove_attachment": str(att.pk)}
    )
    assert r.status_code == 302
    assert not Attachment.objects.filter(pk=att.pk).exists()
    assert Report.objects.get(pk=report_a.pk).progress == "删除附件时也保存了"


def test_another_units_attachment_cannot_be_removed_from_my_page(login, city, period, report_a):
    report_b = Report.objects.get(period=period, item=city.items["b"])
    att = services.attachment_add(
        actor=city.users["liaison_b"],
        report=report_b,
        upload=SimpleUploadedFile("乙.pdf", PDF, content_type="application/pdf"),
    )
    client = login(city.users["liaison_a"])
    r = client.post(_fill(period), {**_card(report_a), "remove_attachment": str(att.pk)})
    assert r.status_code == 404
    assert Attachment.objects.filter(pk=att.pk).exists()


# --- autosave --------------------------------------------------------------------------------------------


def _autosave(client, report, data, **headers):
    return client.post(
        f"/dispatch/reports/{report.pk}/autosave/", data, headers={"X-Requested-With": "fetch", **headers}
    )


def test_autosave_saves_the_draft_and_tells_the_page_its_new_version(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    r = _autosave(client, report_a, _card(report_a, "边写边存"))
    assert r.status_code == 200
    j = r.json()
    assert j["ok"] and re.fullmatch(r"\d\d:\d\d", j["saved_at"])
    report = Report.objects.get(pk=report_a.pk)
    assert report.progress == "边写边存" and j["version"] == report.version and report.state == S.DRAFT


def test_autosaves_of_one_sitting_leave_one_audit_entry_with_the_first_before(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    for text in ["第一稿", "第一稿第二句", "第一稿第二句第三句"]:
        assert _autosave(client, report_a, _card(report_a, text)).json()["ok"]
    entries = AuditEntry.objects.filter(object_id=report_a.pk, content_type__model="report")
    assert entries.count() == 1
    assert entries.get().changes["progress"] == ["", "第一稿第二句第三句"]


def test_autosave_with_an_undated_milestone_saves_the_text_and_says_so(login, city, period, report_a):
    ms = city.items["a"].milestones.get()
    client = login(city.users["liaison_a"])
    j = _autosave(client, report_a, _card(report_a, "写了一半", **{f"reach-{ms.pk}": "1"})).json()
    assert j["ok"] and "节点暂未保存" in j["warning"]
    assert Report.objects.get(pk=report_a.pk).progress == "写了一半"


def test_autosave_refuses_too_long_text_with_a_message(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    r = _autosave(client, report_a, _card(report_a, "推" * 2500))
    assert r.status_code == 400 and "2000" in r.json()["error"]


def test_autosave_answers_a_stale_version_with_409(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    stale = _card(report_a, "旧窗口")
    _autosave(client, report_a, _card(report_a, "新窗口"))
    r = _autosave(client, report_a, stale)
    assert r.status_code == 409 and "别处修改" in r.json()["error"]
    assert Report.objects.get(pk=report_a.pk).progress == "新窗口"


@pytest.mark.parametrize("who", ["liaison_b", "head_a", "office", "leader", "observer"])
def test_autosave_is_only_for_the_units_liaison(login, city, period, report_a, who):
    client = login(city.users[who])
    r = _autosave(client, report_a, _card(report_a, "越权"))
    assert r.status_code in (403, 404)
    assert Report.objects.get(pk=report_a.pk).progress == ""


def test_an_expired_session_gets_401_json_from_autosave(client, city, period, report_a):
    r = _autosave(client, report_a, _card(report_a, "会话过期"))
    assert r.status_code == 401 and "登录已过期" in r.json()["error"]


def test_autosave_refuses_get(login, city, period, report_a):
    assert login(city.users["liaison_a"]).get(f"/dispatch/reports/{report_a.pk}/autosave/").status_code == 405


# --- the session ends while someone types ------------------------------------------------------------------


def test_a_post_after_the_session_ended_is_shown_back_after_signing_in(client, city, period, report_a):
    from tests.conftest import PASSWORD

    liaison = city.users["liaison_a"]
    client.force_login(liaison)
    client.get("/")  # the browser learns who is signed in
    client.logout()  # the session ends (expiry, or signed out in another window)
    # logout() clears cookies in the test client; the browser keeps the signed "who" note.
    client.cookies.load({"gandang_who": _who_cookie(liaison)})
    data = {**_card(report_a, "会话过期时写下的内容"), "save": str(report_a.pk)}
    r = client.post(_fill(period), data, HTTP_REFERER=f"http://testserver{_fill(period)}")
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert Report.objects.get(pk=report_a.pk).progress == ""
    r = client.post("/login/", {"username": "liaison_a", "password": PASSWORD, "next": _fill(period)})
    assert r.status_code == 302 and r["Location"] == _fill(period)
    page = client.get(_fill(period)).content.decode()
    kept = json.loads(
        re.search(r'<script id="gd-unsent" type="application/json">(.*?)</script>', page).group(1)
    )
    assert kept["action"] == _fill(period)
    assert [f"r{report_a.pk}-progress", "会话过期时写下的内容"] in kept["fields"]
    # Shown once: the next visit is the page as stored.
    assert 'id="gd-unsent"' not in client.get(_fill(period)).content.decode()


def test_text_kept_from_an_ended_session_never_goes_to_another_person(client, city, period, report_a):
    from tests.conftest import PASSWORD

    client.cookies.load({"gandang_who": _who_cookie(city.users["liaison_a"])})
    client.post(_fill(period), {**_card(report_a, "甲写的内容"), "save": str(report_a.pk)})
    client.post("/login/", {"username": "liaison_b", "password": PASSWORD, "next": _fill(period)})
    assert "甲写的内容" not in client.get(_fill(period)).content.decode()


def _who_cookie(user):
    from django.core import signing

    return signing.get_cookie_signer(salt="gandang_who").sign(str(user.pk))


def test_text_typed_on_a_report_submitted_meanwhile_is_shown_back_not_dropped(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    typed = _card(report_a, "同事提交后我才写完的内容")
    report = Report.objects.get(pk=report_a.pk)
    report = services.report_save(
        actor=city.users["liaison_a"],
        report=report,
        expected_version=report.version,
        fields={"progress": "同事写的"},
    )
    services.report_step(actor=city.users["liaison_a"], report=report, action="submit")
    r = client.post(_fill(period), {**typed, "save": str(report_a.pk)})
    assert r.status_code == 400
    body = r.content.decode()
    assert "不能再修改，您刚才输入的内容没有保存" in body and "同事提交后我才写完的内容" in body
    assert Report.objects.get(pk=report_a.pk).progress == "同事写的"


@pytest.fixture
def many_reports(city, period, settings):
    """Unit A with more reports than one page of cards: 34 new items besides item a."""
    from datetime import date

    from gandang.ledger import services as ledger

    for i in range(34):
        ledger.item_create(
            actor=city.users["office"],
            fields={
                "plan": city.plan,
                "code": f"p{i:02d}",
                "seq": 100 + i,
                "title": f"分页事项{i:02d}",
                "lead_unit": city.units["a"],
                "due_date": date(2023, 12, 31),
            },
        )
    services.period_open(actor=city.users["office"], year=2023, month=10)
    return list(Report.objects.filter(period=period, unit=city.units["a"]))


def _cards_on(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="card report-card[^"]*" id="report-(\d+)"', html)]


def test_a_unit_with_many_reports_fills_them_page_by_page_returned_first(login, city, period, many_reports):
    from gandang.dispatch.selectors import FILL_PAGE

    returned = many_reports[-1]
    Report.objects.filter(pk=returned.pk).update(state=S.RETURNED, return_reason="请补充数据")
    client = login(city.users["liaison_a"])
    first = client.get(_fill(period)).content.decode()
    on_first = _cards_on(first)
    assert len(on_first) == FILL_PAGE and on_first[0] == returned.pk  # what needs the liaison first
    assert f"共 {len(many_reports)} 份" in first and f"{len(many_reports)} 份报告待填写或修改" in first
    second = client.get(_fill(period) + "?page=2").content.decode()
    on_second = _cards_on(second)
    assert len(on_second) == len(many_reports) - FILL_PAGE and not set(on_first) & set(on_second)
    assert f'action="/dispatch/periods/{period.pk}/fill/?page=2"' in second

    # Saving on page 2 saves the cards page 2 carried, touches no other report, and comes back to page 2.
    target = Report.objects.get(pk=on_second[0])
    untouched = Report.objects.get(pk=on_first[1])
    data = {**_card(target, progress="第二页的进展"), "save": target.pk}
    response = client.post(_fill(period) + "?page=2", data)
    assert response.status_code == 302 and response.url.startswith(_fill(period) + "?page=2")
    assert Report.objects.get(pk=target.pk).progress == "第二页的进展"
    assert Report.objects.get(pk=untouched.pk).version == untouched.version

    # 全部提交签发 lists the complete reports of every page, not only the page it was pressed on.
    Report.objects.filter(pk=untouched.pk).update(progress="第一页已填写", percent=30)
    confirm = client.get(_fill(period) + "?confirm=submit").content.decode()
    assert "第一页已填写" in confirm or untouched.item.title in confirm
    assert target.item.title in confirm


def test_a_card_that_fails_on_page_2_comes_back_as_typed_with_its_page(login, city, period, many_reports):
    client = login(city.users["liaison_a"])
    on_second = _cards_on(client.get(_fill(period) + "?page=2").content.decode())
    target = Report.objects.get(pk=on_second[0])
    data = {**_card(target, progress="写得太长" * 600), "save": target.pk}
    response = client.post(_fill(period) + "?page=2", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert _cards_on(html) == [target.pk] and "写得太长写得太长" in html
    assert Report.objects.get(pk=target.pk).progress == ""


def test_the_co_unit_table_is_paged_with_the_items_still_waiting_for_our_part_first(login, city, period):
    """Unit B helps with 25 items besides its own: a page of CO_PAGE rows, those without B's part first."""
    from datetime import date

    from gandang.dispatch.selectors import CO_PAGE
    from gandang.ledger import services as ledger

    for i in range(25):
        ledger.item_create(
            actor=city.users["office"],
            fields={
                "plan": city.plan,
                "code": f"c{i:02d}",
                "seq": 200 + i,
                "title": f"配合事项{i:02d}",
                "lead_unit": city.units["a"],
                "due_date": date(2023, 12, 31),
            },
            co_units=[city.units["b"]],
        )
    services.period_open(actor=city.users["office"], year=2023, month=10)
    helped = list(Report.objects.filter(period=period, item__co_units=city.units["b"]).order_by("item__seq"))
    assert len(helped) == 26  # item a and the 25 new ones
    client = login(city.users["liaison_b"])
    written = helped[0]  # item a, first by seq: once B wrote its part it goes to the end
    client.post(f"/dispatch/reports/{written.pk}/contribution/", {"text": "岱岳区已完成摸底"})

    def rows(html):
        return [int(pk) for pk in re.findall(r'<td><a href="/dispatch/reports/(\d+)/"', html)]

    first = client.get(_fill(period)).content.decode()
    assert "共 26 项" in first and "25 项尚未填写本单位配合情况" in first
    assert rows(first) == [r.pk for r in helped[1 : CO_PAGE + 1]]
    assert 'href="?co_page=2#co"' in first
    second = client.get(_fill(period) + "?co_page=2").content.decode()
    assert rows(second) == [r.pk for r in helped[CO_PAGE + 1 :]] + [written.pk]
    assert "岱岳区已完成摸底" in second and "岱岳区已完成摸底" not in first
    for bad in ("0", "-1", "x", "99999999999999999999"):
        assert client.get(_fill(period) + f"?co_page={bad}").status_code == 200


def test_what_people_typed_is_shown_as_text_on_the_card_never_as_markup(login, city, period, report_a):
    """The card is written by dispatch/card_html.py, not the template: every value typed by someone
    (the item's title, the milestone's, last month's plan, a file's name, a refused save's evidence)
    reaches the page escaped."""
    evil = '"><script>alert(1)</script>'
    item = city.items["a"]
    type(item).objects.filter(pk=item.pk).update(title=f"标题{evil}")
    ms = item.milestones.get()
    type(ms).objects.filter(pk=ms.pk).update(title=f"节点{evil}")
    Report.objects.filter(pk=report_a.pk).update(expected=f"计划{evil}")
    Attachment.objects.create(
        report=report_a,
        file=SimpleUploadedFile("a.pdf", PDF),
        name=f"文件{evil}.pdf",
        size=len(PDF),
        uploaded_by=city.users["liaison_a"],
    )
    client = login(city.users["liaison_a"])
    # A save refused for a missing date keeps the typed evidence on the card.
    data = _card(report_a, **{f"reach-{ms.pk}": "1", f"reach-evidence-{ms.pk}": f"佐证{evil}"})
    data[f"r{report_a.pk}-reach-date-{ms.pk}"] = "不是日期"
    data["save"] = str(report_a.pk)
    page = client.post(_fill(period), data).content.decode()
    assert "<script>alert(1)</script>" not in page
    escaped = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    for shown in ("标题", "节点", "计划", "文件", "佐证"):
        assert f"{shown}{escaped}" in page, shown
