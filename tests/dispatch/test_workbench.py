"""The workbench follows the reports: each role's to-dos, counted for its own unit only."""

import re

from gandang.dispatch import services
from gandang.dispatch.models import Report


def tile(body, label):
    m = re.search(r"<b>(\d+)</b><span>[^<]*" + label, body)
    assert m, label
    return int(m.group(1))


def test_counts_follow_a_report_through_its_flow(login, city, period, report_a):
    u = city.users
    liaison, head, office = login(u["liaison_a"]), None, None
    body = liaison.get("/").content.decode()
    assert tile(body, "待填报/待修改") == 1

    services.report_save(
        actor=u["liaison_a"],
        report=report_a,
        expected_version=report_a.version,
        fields={"progress": "完成调研"},
    )
    services.report_step(actor=u["liaison_a"], report=report_a, action="submit")
    assert tile(liaison.get("/").content.decode(), "待填报/待修改") == 0

    head = login(u["head_a"])
    body = head.get("/").content.decode()
    assert tile(body, "待签发报告") == 1 and city.items["a"].title in body
    services.report_step(actor=u["head_a"], report=report_a, action="approve")
    assert tile(head.get("/").content.decode(), "待签发报告") == 0

    office = login(u["office"])
    assert tile(office.get("/").content.decode(), "待审核") == 1
    services.report_step(actor=u["office"], report=report_a, action="return", reason="请补充量化数据")

    body = login(u["liaison_a"]).get("/").content.decode()
    assert "被退回的报告" in body and "请补充量化数据" in body
    assert body.index("被退回的报告") < body.index("待填报/待修改")


def test_other_units_do_not_see_our_to_dos(login, city, period, report_a):
    services.report_save(
        actor=city.users["liaison_a"],
        report=report_a,
        expected_version=report_a.version,
        fields={"progress": "完成调研"},
    )
    services.report_step(actor=city.users["liaison_a"], report=report_a, action="submit")
    body = login(city.users["liaison_b"]).get("/").content.decode()
    report_b = Report.objects.get(period=period, item=city.items["b"])
    assert tile(body, "待填报/待修改") == 1  # only unit B's own report b
    assert report_b.state == Report.State.DRAFT


def test_leader_sees_led_items_with_status(login, city, period):
    from datetime import date

    from gandang.dispatch.engine import recompute_all

    recompute_all(today=date(2023, 10, 15))
    body = login(city.users["leader"]).get("/").content.decode()
    section = body.split("我领衔的事项")[1]
    assert city.items["a"].title in section and "light-" in section and "逾期" in section


def test_the_reports_missing_at_the_deadline_are_counted_for_the_unit(login, city, period):
    from datetime import timedelta

    from gandang.dispatch import engine

    for role in ("liaison_a", "head_a", "liaison_b"):
        assert tile(login(city.users[role]).get("/").content.decode(), "截止未报送") == 0
    engine.mark_missing(period, today=period.deadline + timedelta(days=1))  # items a and b: one each
    for role in ("liaison_a", "head_a", "liaison_b"):
        assert tile(login(city.users[role]).get("/").content.decode(), "截止未报送") == 1
