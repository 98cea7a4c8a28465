"""The status rules at their boundaries, each with the reason it gives."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gandang.dispatch.models import Status
from gandang.dispatch.status import Facts, MilestoneFact, Rules, evaluate

TODAY = date(2023, 10, 15)
RULES = Rules(grace_days=0, red_days=30, lag_points=20)


def facts(**kw):
    base = {"start": date(2023, 1, 1), "due": date(2023, 12, 31), "no_fixed_date": False, "reported": True}
    return Facts(**(base | kw))


def test_on_track_item_is_green_and_names_the_next_milestone():
    f = facts(milestones=(MilestoneFact("形成经验", date(2023, 11, 30), None),), percent=80)
    v = evaluate(f, TODAY, RULES)
    assert v.status == Status.GREEN
    assert "形成经验" in v.reason and "2023年11月30日" in v.reason


def test_milestone_due_today_is_not_yet_late():
    f = facts(milestones=(MilestoneFact("完成方案", TODAY, None),), percent=80)
    assert evaluate(f, TODAY, RULES).status == Status.GREEN


def test_milestone_one_day_late_is_yellow_with_days_in_the_reason():
    f = facts(milestones=(MilestoneFact("完成方案", TODAY - timedelta(days=1), None),), percent=80)
    v = evaluate(f, TODAY, RULES)
    assert v.status == Status.YELLOW
    assert v.reason == "时间节点“完成方案”已逾期1天"


def test_grace_days_delay_the_yellow_light():
    f = facts(milestones=(MilestoneFact("完成方案", TODAY - timedelta(days=3), None),), percent=80)
    assert evaluate(f, TODAY, Rules(grace_days=3)).status == Status.GREEN
    assert evaluate(f, TODAY, Rules(grace_days=2)).status == Status.YELLOW


@pytest.mark.parametrize(("days", "status"), [(30, Status.YELLOW), (31, Status.RED)])
def test_red_after_red_days(days, status):
    f = facts(milestones=(MilestoneFact("完成方案", TODAY - timedelta(days=days), None),), percent=80)
    v = evaluate(f, TODAY, RULES)
    assert v.status == status
    assert f"已逾期{days}天" in v.reason


def test_past_due_date_is_red():
    f = facts(due=date(2023, 9, 30), percent=60)
    v = evaluate(f, TODAY, RULES)
    assert v.status == Status.RED
    assert v.reason == "已超过完成时限（2023年9月30日）15天"


def test_no_fixed_date_item_is_never_overdue_for_its_due_date():
    f = facts(due=None, no_fixed_date=True, percent=10)
    assert evaluate(f, date(2030, 1, 1), RULES).status == Status.GREEN


def test_progress_behind_the_plan_line_is_yellow():
    # 2023-01-01 .. 2023-12-31, on 2023-10-15 the plan line is at 79%.
    assert evaluate(facts(percent=59), TODAY, RULES).status == Status.GREEN
    v = evaluate(facts(percent=58), TODAY, RULES)
    assert v.status == Status.YELLOW
    assert v.reason == "完成进度58%，低于计划进度79%"


def test_done_by_percent_or_by_all_milestones():
    assert evaluate(facts(percent=100, due=date(2023, 1, 31)), TODAY, RULES).status == Status.DONE
    ms = (
        MilestoneFact("a", date(2023, 3, 1), date(2023, 2, 20)),
        MilestoneFact("b", date(2023, 9, 1), date(2023, 9, 1)),
    )
    v = evaluate(facts(milestones=ms, percent=90), TODAY, RULES)
    assert v.status == Status.DONE and "全部2个时间节点已完成" in v.reason


def test_milestone_done_after_the_as_of_date_does_not_count_yet():
    ms = (MilestoneFact("完成方案", date(2023, 9, 30), date(2023, 10, 20)),)
    assert evaluate(facts(milestones=ms, percent=80), TODAY, RULES).status == Status.YELLOW


def test_not_started_before_start_date_or_without_any_report():
    assert evaluate(facts(start=date(2023, 11, 1)), TODAY, RULES).status == Status.NOT_STARTED
    v = evaluate(facts(reported=False), TODAY, RULES)
    assert v.status == Status.NOT_STARTED and "尚未报送" in v.reason


@given(
    start=st.dates(date(2020, 1, 1), date(2025, 1, 1)),
    length=st.integers(1, 800),
    offset=st.integers(-100, 1000),
    percent=st.one_of(st.none(), st.integers(0, 100)),
    ms=st.lists(st.tuples(st.integers(0, 900), st.one_of(st.none(), st.integers(0, 900))), max_size=4),
)
def test_every_verdict_has_a_status_and_a_reason(start, length, offset, percent, ms):
    f = Facts(
        start=start,
        due=start + timedelta(days=length),
        no_fixed_date=False,
        milestones=tuple(
            MilestoneFact(
                f"节点{i}", start + timedelta(days=d), None if done is None else start + timedelta(days=done)
            )
            for i, (d, done) in enumerate(ms)
        ),
        percent=percent,
        reported=percent is not None,
    )
    v = evaluate(f, start + timedelta(days=offset), RULES)
    assert v.status in Status.values
    assert v.reason
    if percent == 100:
        assert v.status == Status.DONE
