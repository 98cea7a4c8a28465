"""The status engine (红黄绿灯): the one place that decides an item's status and says why.

`evaluate` is a pure function of an item's facts and a date, so the same facts always give the
same light; `recompute` applies it to the ledger and keeps per-period snapshots.

An item of a plan that reports quarterly, half-yearly or yearly is judged on what its reports were due
to say (`Facts.judged_through`, the last day of the latest span whose deadline has passed), not on the
months between them: a due date or a milestone dated after that day is not overdue yet, however late it
is today, because the report that would say it was met is not due yet; the plan line its reported
percent is held against is read on that day, not today. Once judged, days overdue count to today, as
for every item. A monthly plan's item is judged on every day, exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from gandang.core import numbers
from gandang.dispatch.models import Status


@dataclass(frozen=True)
class Rules:
    grace_days: int = 0  # a milestone may be this many days late before it counts
    red_days: int = 30  # a milestone this many days overdue makes the item red
    lag_points: int = 20  # reported percent this far below the plan line makes it yellow

    @classmethod
    def from_settings(cls) -> Rules:
        return cls(**getattr(settings, "GANDANG_STATUS_RULES", {}))


@dataclass(frozen=True)
class MilestoneFact:
    title: str
    due: date | None
    done: date | None


@dataclass(frozen=True)
class Facts:
    start: date | None
    due: date | None
    no_fixed_date: bool
    milestones: tuple[MilestoneFact, ...] = ()
    percent: int | None = None  # from the latest accepted report
    reported: bool = False  # any accepted report so far
    # A plan reporting on its own cycle: the last day its reports were due to speak for
    # (cycles.reported_through); None for a monthly plan, judged on every day.
    judged_through: date | None = None
    next_report_due: date | None = None  # such a plan's next deadline (said while nothing is reported yet)


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str
    percent: int | None = None
    extra: dict = field(default_factory=dict)


def _md(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def evaluate(f: Facts, today: date, rules: Rules | None = None) -> Verdict:
    """The status of an item with facts `f` as of `today`."""
    rules = rules or Rules()
    # The last day the item's reports were due to speak for: dated commitments after it wait for them.
    judged = today if f.judged_through is None else min(today, f.judged_through)
    done_ms = [m for m in f.milestones if m.done and m.done <= today]
    open_ms = [m for m in f.milestones if not (m.done and m.done <= today)]

    if f.percent == 100:
        return Verdict(Status.DONE, "最近一期报告完成进度100%", 100)
    if f.milestones and not open_ms:
        last = max(m.done for m in done_ms if m.done)
        return Verdict(Status.DONE, f"全部{len(f.milestones)}个时间节点已完成（{_md(last)}）", f.percent)

    if f.due and not f.no_fixed_date and today > f.due and f.due <= judged:
        days = (today - f.due).days
        if days > rules.grace_days:
            return Verdict(Status.RED, f"已超过完成时限（{_md(f.due)}）{days}天", f.percent)

    overdue = sorted(
        (
            (m, (today - m.due).days)
            for m in open_ms
            if m.due and m.due <= judged and (today - m.due).days > rules.grace_days
        ),
        key=lambda pair: -pair[1],
    )
    if overdue:
        m, days = overdue[0]
        more = f"等{len(overdue)}个节点" if len(overdue) > 1 else ""
        reason = f"时间节点“{m.title}”{more}已逾期{days}天"
        return Verdict(Status.RED if days > rules.red_days else Status.YELLOW, reason, f.percent)

    if f.start and today < f.start:
        return Verdict(Status.NOT_STARTED, f"计划于{_md(f.start)}启动", f.percent)

    if f.percent is not None and f.start and f.due and not f.no_fixed_date and f.due > f.start:
        planned = int(numbers.half_up(numbers.share((judged - f.start).days, (f.due - f.start).days) or 0))
        planned = max(0, min(100, planned))
        if f.percent + rules.lag_points < planned:
            return Verdict(Status.YELLOW, f"完成进度{f.percent}%，低于计划进度{planned}%", f.percent)

    if not f.reported and not done_ms:
        if f.next_report_due is not None:
            # Not "unreported": a plan on its own cycle has reported nothing because nothing was due yet.
            return Verdict(
                Status.NOT_STARTED,
                f"尚无已通过的进展报告，本期报告于{_md(f.next_report_due)}前报送",
                f.percent,
            )
        return Verdict(Status.NOT_STARTED, "尚未报送进展，也没有完成的时间节点", f.percent)

    upcoming = sorted((m.due, m.title) for m in open_ms if m.due)
    if upcoming:
        due, title = upcoming[0]
        return Verdict(Status.GREEN, f"按计划推进，下一节点“{title}”计划于{_md(due)}完成", f.percent)
    return Verdict(Status.GREEN, "按计划推进", f.percent)
