"""The report flow: every step by every role, and no sequence of actions reaching a forbidden state."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gandang.core.errors import ServiceError, StaleEdit
from gandang.dispatch import services
from gandang.dispatch.models import Report, ReportRevision, ReportStep

S = Report.State
TZ = ZoneInfo("Asia/Shanghai")


def fill(report, user, text="本月完成了方案起草并征求意见"):
    return services.report_save(
        actor=user,
        report=report,
        expected_version=Report.objects.get(pk=report.pk).version,
        fields={"progress": text, "percent": 40, "next_steps": "印发实施"},
    )


def test_happy_path_records_every_step(city, report_a):
    u = city.users
    fill(report_a, u["liaison_a"])
    services.report_step(actor=u["liaison_a"], report=report_a, action="submit")
    services.report_step(
        actor=u["head_a"], report=report_a, action="approve", now=datetime(2023, 10, 20, 9, tzinfo=TZ)
    )
    r = services.report_step(actor=u["office"], report=report_a, action="accept")
    assert r.state == S.ACCEPTED and not r.is_late and r.submitted_at is not None
    assert list(r.steps.values_list("action", "actor__username")) == [
        ("submit", "liaison_a"),
        ("approve", "head_a"),
        ("accept", "office"),
    ]


def test_signed_after_the_deadline_is_late(city, report_a):
    u = city.users
    fill(report_a, u["liaison_a"])
    services.report_step(actor=u["liaison_a"], report=report_a, action="submit")
    r = services.report_step(
        actor=u["head_a"], report=report_a, action="approve", now=datetime(2023, 10, 26, 0, 30, tzinfo=TZ)
    )
    assert r.is_late


def test_signed_on_the_deadline_day_is_on_time(city, report_a):
    u = city.users
    fill(report_a, u["liaison_a"])
    services.report_step(actor=u["liaison_a"], report=report_a, action="submit")
    r = services.report_step(
        actor=u["head_a"], report=report_a, action="approve", now=datetime(2023, 10, 25, 23, 59, tzinfo=TZ)
    )
    assert not r.is_late


def test_office_return_needs_a_reason_and_liaison_sees_it(city, report_a):
    u = city.users
    fill(report_a, u["liaison_a"])
    services.report_step(actor=u["liaison_a"], report=report_a, action="submit")
    services.report_step(actor=u["head_a"], report=report_a, action="approve")
    with pytest.raises(ServiceError, match="需要填写原因"):
        services.report_step(actor=u["office"], report=report_a, action="return")
    r = services.report_step(actor=u["office"], report=report_a, action="return", reason="进展描述过于笼统")
    assert r.state == S.RETURNED and r.return_reason == "进展描述过于笼统"
    fill(r, u["liaison_a"], "补充了具体进展：已召开两次专题会")
    r = services.report_step(actor=u["liaison_a"], report=r, action="submit")
    assert r.state == S.SUBMITTED and r.return_reason == ""


@pytest.mark.parametrize(
    ("who", "action", "message"),
    [
        ("liaison_a", "approve", "只有单位负责人可以签发"),
        ("head_a", "submit", "只有单位联络员可以提交签发"),
        ("liaison_b", "submit", "只能处理本单位的报告"),
        ("leader", "accept", "只有改革办可以审核通过"),
        ("office", "accept", "不能审核通过"),
    ],
)
def test_out_of_turn_steps_are_refused_in_chinese(city, report_a, who, action, message):
    fill(report_a, city.users["liaison_a"])
    with pytest.raises(ServiceError, match=message):
        services.report_step(actor=city.users[who], report=report_a, action=action)
    assert Report.objects.get(pk=report_a.pk).state == S.DRAFT
    assert not ReportStep.objects.exists()


def test_approving_twice_creates_one_step(city, report_a):
    u = city.users
    fill(report_a, u["liaison_a"])
    services.report_step(actor=u["liaison_a"], report=report_a, action="submit")
    services.report_step(actor=u["head_a"], report=report_a, action="approve")
    with pytest.raises(ServiceError):
        services.report_step(actor=u["head_a"], report=report_a, action="approve")
    assert ReportStep.objects.filter(action="approve").count() == 1


def test_stale_submit_from_a_second_tab_is_a_no_op(city, report_a):
    u = city.users
    fill(report_a, u["liaison_a"])
    stale = Report.objects.get(pk=report_a.pk)
    services.report_step(actor=u["liaison_a"], report=report_a, action="submit")
    with pytest.raises(ServiceError):
        services.report_step(actor=u["liaison_a"], report=stale, action="submit")
    assert ReportStep.objects.filter(action="submit").count() == 1


def test_accepted_report_is_frozen_and_correction_keeps_the_old_text(city, report_a):
    u = city.users
    fill(report_a, u["liaison_a"], "原始进展")
    for who, action in [("liaison_a", "submit"), ("head_a", "approve"), ("office", "accept")]:
        services.report_step(actor=u[who], report=report_a, action=action)
    with pytest.raises(ServiceError, match="不能修改"):
        fill(report_a, u["liaison_a"], "偷偷修改")
    r = services.report_step(actor=u["office"], report=report_a, action="reopen", reason="数据有误需更正")
    assert r.state == S.RETURNED and r.revision == 2
    old = ReportRevision.objects.get(report=r)
    assert old.content["progress"] == "原始进展" and old.reason == "数据有误需更正"
    r = fill(r, u["liaison_a"], "更正后的进展")
    assert r.progress == "更正后的进展"


def test_two_tabs_saving_the_same_draft(city, report_a):
    u = city.users
    version = report_a.version
    services.report_save(
        actor=u["liaison_a"], report=report_a, expected_version=version, fields={"progress": "A"}
    )
    with pytest.raises(StaleEdit):
        services.report_save(
            actor=u["liaison_a"], report=report_a, expected_version=version, fields={"progress": "B"}
        )
    assert Report.objects.get(pk=report_a.pk).progress == "A"


# The oracle: which (role, action) moves which state where. Written independently of gandang.dispatch.flow.
ORACLE = {
    ("liaison_a", "submit"): ({S.DRAFT, S.RETURNED}, S.SUBMITTED),
    ("head_a", "approve"): ({S.SUBMITTED}, S.SIGNED),
    ("head_a", "send_back"): ({S.SUBMITTED}, S.RETURNED),
    ("office", "accept"): ({S.SIGNED}, S.ACCEPTED),
    ("office", "return"): ({S.SIGNED}, S.RETURNED),
    ("office", "reopen"): ({S.ACCEPTED}, S.RETURNED),
}
ACTORS = ["liaison_a", "head_a", "liaison_b", "office", "leader", "observer"]
ACTIONS = ["edit", "submit", "approve", "send_back", "accept", "return", "reopen"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTIONS)), max_size=14))
def test_no_sequence_of_actions_breaks_the_rules(city, report_a, steps):
    sid = transaction.savepoint()
    try:
        state, texts, n_steps = S.DRAFT, 0, 0
        for who, action in steps:
            user = city.users[who]
            report = Report.objects.get(pk=report_a.pk)
            before = (report.progress, report.state)
            if action == "edit":
                allowed = who == "liaison_a" and state in (S.DRAFT, S.RETURNED)
                try:
                    fill(report, user, f"第{texts}次填写的本月进展")
                    ok = True
                except ServiceError:
                    ok = False
                assert ok == allowed, (who, action, state)
                if ok:
                    texts += 1
                else:
                    assert (Report.objects.get(pk=report.pk).progress, report.state) == before
                continue
            sources, target = ORACLE.get((who, action), (set(), None))
            allowed = state in sources and (action != "submit" or texts > 0)
            try:
                services.report_step(actor=user, report=report, action=action, reason="原因")
                ok = True
            except ServiceError:
                ok = False
            assert ok == allowed, (who, action, state)
            if ok:
                state, n_steps = target, n_steps + 1
            after = Report.objects.get(pk=report.pk)
            assert after.state == state
            assert ReportStep.objects.filter(report=report).count() == n_steps
            if after.state in (S.SIGNED, S.ACCEPTED):
                assert after.submitted_at is not None
    finally:
        transaction.savepoint_rollback(sid)


def test_the_next_person_is_notified(city, report_a):
    from gandang.notifications.models import Notification

    u = city.users
    fill(report_a, u["liaison_a"])
    services.report_step(actor=u["liaison_a"], report=report_a, action="submit")
    assert Notification.objects.get(user=u["head_a"]).title.startswith("待签发")
    assert not Notification.objects.filter(user=u["liaison_b"]).exists()
    services.report_step(actor=u["head_a"], report=report_a, action="send_back", reason="数据不准")
    notice = Notification.objects.get(user=u["liaison_a"])
    assert "单位负责人退回" in notice.title and "数据不准" in notice.body


def test_unit_without_a_head_account_reaches_the_office_on_submit(city, period):
    from gandang.dispatch.models import Report

    report_b = Report.objects.get(period=period, item=city.items["b"])  # unit B has no head account
    fill(report_b, city.users["liaison_b"])
    r = services.report_step(actor=city.users["liaison_b"], report=report_b, action="submit")
    assert r.state == S.SIGNED and r.submitted_at is not None
    assert "未设单位负责人" in r.steps.get().reason
    r = services.report_step(actor=city.users["office"], report=r, action="accept")
    assert r.state == S.ACCEPTED
