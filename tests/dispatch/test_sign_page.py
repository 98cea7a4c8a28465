"""The unit head's sign-off page, and the office's verdict on a copy flag."""

import re

import pytest

from gandang.dispatch import services
from gandang.dispatch.models import Report

S = Report.State


def _submitted(city, report, text="本月完成方案起草并征求意见"):
    liaison = city.users["liaison_a"]
    report = services.report_save(
        actor=liaison, report=report, expected_version=report.version, fields={"progress": text}
    )
    return services.report_step(actor=liaison, report=report, action="submit")


@pytest.fixture
def two_submitted(city, period):
    from gandang.ledger import services as ledger

    item = ledger.item_create(
        actor=city.users["office"],
        fields={
            "plan": city.plan,
            "code": "5",
            "seq": 5,
            "title": "推进数据要素市场建设",
            "lead_unit": city.units["a"],
            "due_date": __import__("datetime").date(2023, 12, 31),
        },
    )
    services.period_open(actor=city.users["office"], year=2023, month=10)
    a = _submitted(city, Report.objects.get(period=period, item=city.items["a"]), "甲报告全文")
    b = _submitted(city, Report.objects.get(period=period, item=item), "乙报告全文")
    return a, b


def _ticks(page):
    return re.findall(r'name="report" value="(\d+)"', page), dict(
        re.findall(r'name="v(\d+)" value="(\d+)"', page)
    )


def test_the_head_reads_every_report_in_full_and_signs_all_at_once(login, city, two_submitted):
    client = login(city.users["head_a"])
    home = client.get("/").content.decode()
    assert 'href="/dispatch/sign/"' in home  # the workbench tile leads straight to it
    page = client.get("/dispatch/sign/").content.decode()
    assert "甲报告全文" in page and "乙报告全文" in page
    ids, versions = _ticks(page)
    data = {"report": ids, **{f"v{k}": v for k, v in versions.items()}, "approve": "1"}
    r = client.post("/dispatch/sign/", data)
    assert r.status_code == 302
    assert {r.state for r in Report.objects.filter(pk__in=[x.pk for x in two_submitted])} == {S.SIGNED}


def test_unticked_reports_are_not_signed(login, city, two_submitted):
    a, b = two_submitted
    client = login(city.users["head_a"])
    _ids, versions = _ticks(client.get("/dispatch/sign/").content.decode())
    client.post("/dispatch/sign/", {"report": [str(a.pk)], **{f"v{k}": v for k, v in versions.items()}})
    assert Report.objects.get(pk=a.pk).state == S.SIGNED
    assert Report.objects.get(pk=b.pk).state == S.SUBMITTED


def test_send_back_needs_its_reason_and_keeps_every_box_and_reason_typed(login, city, two_submitted):
    a, b = two_submitted
    client = login(city.users["head_a"])
    _ids, versions = _ticks(client.get("/dispatch/sign/").content.decode())
    base = {f"v{k}": v for k, v in versions.items()}
    data = {**base, "report": [str(b.pk)], f"reason-{b.pk}": "乙的数据请再核对", "send_back": str(a.pk)}
    r = client.post("/dispatch/sign/", data)
    assert r.status_code == 400
    page = r.content.decode()
    assert "退回修改需要填写原因" in page and "乙的数据请再核对" in page
    assert not re.search(rf'name="report" value="{a.pk}"[^>]*checked', page)
    assert re.search(rf'name="report" value="{b.pk}"[^>]*checked', page)
    data[f"reason-{a.pk}"] = "请补充本月会议情况"
    assert client.post("/dispatch/sign/", data).status_code == 302
    a = Report.objects.get(pk=a.pk)
    assert a.state == S.RETURNED and a.return_reason == "请补充本月会议情况"
    assert Report.objects.get(pk=b.pk).state == S.SUBMITTED


def test_a_ticked_report_with_a_return_reason_typed_is_not_signed_with_the_others(login, city, two_submitted):
    """The head wrote why one report goes back, then pressed 签发勾选的报告 (every box starts ticked):
    nothing is signed and the reason is kept, rather than signing it and dropping what was typed."""
    a, b = two_submitted
    client = login(city.users["head_a"])
    ids, versions = _ticks(client.get("/dispatch/sign/").content.decode())
    data = {
        "report": ids,
        **{f"v{k}": v for k, v in versions.items()},
        f"reason-{a.pk}": "请补充本月会议情况",
    }
    r = client.post("/dispatch/sign/", {**data, "approve": "1"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "已填写退回原因" in page and "请补充本月会议情况" in page
    assert {x.state for x in Report.objects.filter(pk__in=[a.pk, b.pk])} == {S.SUBMITTED}
    # Unticked, it stays for sending back; the others are signed.
    data["report"] = [str(b.pk)]
    assert client.post("/dispatch/sign/", {**data, "approve": "1"}).status_code == 302
    assert Report.objects.get(pk=b.pk).state == S.SIGNED
    assert Report.objects.get(pk=a.pk).state == S.SUBMITTED


def test_a_report_changed_since_the_page_opened_is_not_signed(login, city, two_submitted):
    a, _b = two_submitted
    client = login(city.users["head_a"])
    r = client.post("/dispatch/sign/", {"report": [str(a.pk)], f"v{a.pk}": str(a.version - 1)}, follow=True)
    assert "发生了变化，未签发" in r.content.decode()
    assert Report.objects.get(pk=a.pk).state == S.SUBMITTED


@pytest.mark.parametrize("who", ["liaison_a", "liaison_b", "office", "leader", "observer"])
def test_only_a_unit_head_has_the_sign_page(login, city, two_submitted, who):
    a, _b = two_submitted
    client = login(city.users[who])
    assert client.get("/dispatch/sign/").status_code == 403
    assert (
        client.post("/dispatch/sign/", {"report": [str(a.pk)], f"v{a.pk}": str(a.version)}).status_code == 403
    )
    assert Report.objects.get(pk=a.pk).state == S.SUBMITTED


def test_a_head_of_another_unit_cannot_sign_my_reports(login, city, two_submitted):
    from gandang.org.models import User
    from tests.conftest import PASSWORD

    a, _b = two_submitted
    head_b = User.objects.create_user("head_b", password=PASSWORD, role="head", unit=city.units["b"])
    client = login(head_b)
    assert "甲报告全文" not in client.get("/dispatch/sign/").content.decode()
    client.post("/dispatch/sign/", {"report": [str(a.pk)], f"v{a.pk}": str(a.version)})
    assert Report.objects.get(pk=a.pk).state == S.SUBMITTED


# --- the office's verdict on a copy flag -------------------------------------------------------------------


@pytest.fixture
def copied(city, period):
    report = Report.objects.get(period=period, item=city.items["a"])
    Report.objects.filter(pk=report.pk).update(is_copy=True, similarity=0.97, progress="与上月相同")
    return Report.objects.get(pk=report.pk)


def test_the_office_confirms_or_clears_a_copy_flag_with_its_history(login, city, copied):
    client = login(city.users["office"])
    page = client.get(f"/dispatch/reports/{copied.pk}/").content.decode()
    assert "改革办认定前不计入年度考核" in page and 'name="verdict"' in page
    r = client.post(f"/dispatch/reports/{copied.pk}/copy-verdict/", {"verdict": "clear"}, follow=True)
    assert "排除照抄标记需要填写理由" in r.content.decode()
    assert Report.objects.get(pk=copied.pk).copy_confirmed is None
    client.post(f"/dispatch/reports/{copied.pk}/copy-verdict/", {"verdict": "confirm"})
    assert Report.objects.get(pk=copied.pk).copy_confirmed is True
    client.post(
        f"/dispatch/reports/{copied.pk}/copy-verdict/", {"verdict": "clear", "reason": "本月确无新进展"}
    )
    assert Report.objects.get(pk=copied.pk).copy_confirmed is False
    from gandang.core.audit import history_for

    assert history_for(copied).filter(reason="本月确无新进展").exists()


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "leader", "observer"])
def test_only_the_office_judges_a_copy_flag(login, city, copied, who):
    client = login(city.users[who])
    r = client.post(f"/dispatch/reports/{copied.pk}/copy-verdict/", {"verdict": "confirm"})
    assert r.status_code in (302, 403, 404)
    assert Report.objects.get(pk=copied.pk).copy_confirmed is None


def test_new_text_clears_an_earlier_verdict(login, city, copied):
    services.copy_verdict(actor=city.users["office"], report=copied, confirmed=True)
    report = Report.objects.get(pk=copied.pk)
    services.report_save(
        actor=city.users["liaison_a"],
        report=report,
        expected_version=report.version,
        fields={"progress": "新写"},
    )
    assert Report.objects.get(pk=copied.pk).copy_confirmed is None
