"""The demo's months, one by one (a part of gandang.dispatch.demo's `_Year`): the office opens the
period, liaisons file, heads sign, the office accepts or returns; then the month is judged and, for
December, left in progress as it stands on the demo's day."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from gandang.dispatch import demo_text as text
from gandang.dispatch import engine, services
from gandang.dispatch.demo_parts import (
    CLOSE_DAY,
    DEADLINE_DAY,
    EARLY_DAYS,
    NO_EFFECT,
    SO_FAR,
    WAITING,
    Node,
    Track,
    _aware,
    _next_month,
    _set_times,
)
from gandang.dispatch.models import (
    Contribution,
    Period,
    Report,
    StatusSnapshot,
)
from gandang.ledger.models import Item
from gandang.org.models import User


class MonthlyFiling:
    """The months of `_Year` (gandang.dispatch.demo): what each month of reporting does. The state
    and the dating below are `_Year`'s."""

    office: User
    today: date
    year: int
    rng: random.Random
    luck: random.Random
    writer: text.Writer
    liaison: dict[int, User]
    head: dict[int, User]
    tracks: dict[int, Track]
    sloppy: set[int]
    finished: set[int]
    touched: dict[int, datetime]
    latest: datetime

    def say(self, msg: str) -> None: ...
    def note(self, at: datetime) -> None: ...
    def later(self, at: datetime, lo: int, hi: int) -> datetime:
        raise NotImplementedError

    def redate(self) -> None: ...

    def month(self, month: int) -> None:
        opens = date(self.year, month, 1)
        period = self.open_period(opens)
        self.latest = _aware(opens)
        for report in Report.objects.filter(period=period).order_by(
            "item__plan_id", "item__seq", "item__code"
        ):
            self.file(report, period)
        self.judge(period)
        engine.mark_missing(period, today=period.deadline + timedelta(days=1))
        # Closing takes the month's snapshots as of its last day (engine.snapshot_period) and freezes them.
        closed = max(
            _aware(_next_month(opens).replace(day=CLOSE_DAY), 10, 0), self.latest + timedelta(hours=2)
        )
        self.note(closed)
        services.period_close(actor=self.office, period=period)
        Period.objects.filter(pk=period.pk).update(closed_at=closed)
        StatusSnapshot.objects.filter(period=period).update(computed_at=closed)
        self.redate()
        self.date_reports()
        states = Counter(Report.objects.filter(period=period).values_list("state", flat=True))
        self.say(
            f"{period}：进展报告 {sum(states.values())} 份，已通过 {states[Report.State.ACCEPTED]} 份，"
            f"未报送 {Report.objects.filter(period=period, is_missing=True).count()} 份"
        )

    def open_period(self, opens: date) -> Period:
        # The scheduler's morning recompute: items that finished last month are done and get no report.
        # Only those can have turned done; every status is recomputed once the year is played.
        engine.recompute_items(Item.objects.filter(pk__in=self.finished), today=opens)
        opened = _aware(opens, 9, 0)
        self.note(opened)
        period, _ = services.period_open(
            actor=self.office,
            year=opens.year,
            month=opens.month,
            opens_on=opens,
            deadline=opens.replace(day=DEADLINE_DAY),
        )
        Period.objects.filter(pk=period.pk).update(opened_at=opened)
        Report.objects.filter(period=period).update(updated_at=opened)  # created by the opening
        return period

    def date_reports(self) -> None:
        _set_times(Report, "updated_at", list(self.touched.items()))
        self.touched.clear()

    def fate(self, t: Track, period: Period) -> tuple[str, bool]:
        """What happens to this month's report (normal, missing, returns, copy), and whether it is late."""
        luck = self.luck
        sloppy = t.item.lead_unit_id in self.sloppy
        late = luck.random() < (0.28 if sloppy else 0.06)
        roll = luck.random()
        if t.kind == "copycat" and t.last and period.month in (7, 8, 9, 10):
            return ("copy_returned" if period.month == 10 else "copy"), False
        missing = 0.05 if sloppy else 0.005
        for fate, share in (
            ("missing", missing),
            ("office_return", 0.05),
            ("head_return", 0.02),
            ("copy", 0.06),
        ):
            roll -= share
            if roll < 0:
                return fate, late and fate != "missing"
        return "normal", late

    def file(self, report: Report, period: Period) -> None:
        """One report's month: drafted, maybe sent back or returned, signed off, accepted (or never sent)."""
        rng = self.rng
        t = self.tracks[report.item_id]
        fate, late = self.fate(t, period)
        day = rng.randint(24, 27) if late else rng.randint(10, 18 if "return" in fate else 22)
        fill = period.first_day.replace(day=day)
        # A milestone reached earlier in the month goes in this month's report, filed after it.
        soon = [
            n.planned for n in t.nodes if n.reachable_by(period.deadline - timedelta(days=1)) and n.planned
        ]
        if soon and max(soon) >= fill:
            fill = max(soon) + timedelta(days=1)
        at = _aware(fill, rng.randint(9, 16), rng.randint(0, 59))
        reached = [n for n in t.nodes if n.reachable_by(fill)]
        copy = fate.startswith("copy") and t.last is not None and not reached
        fields = dict(t.last) if copy and t.last else self.compose(t, period, reached, fill)
        if fate.startswith("copy") and not copy:
            fate = "normal"

        if fate == "missing":
            if rng.random() < 0.5:  # a draft started and never sent
                self.save(report, fields, reached, at)
            t.last = None
            return
        first = fields
        if fate in ("office_return", "head_return"):
            first = fields | self.writer.vague(t.subject)
            if fate == "office_return" and fields["percent"] <= 60 and rng.random() < 0.3:
                first = fields | {"percent": fields["percent"] + 30}  # claims more than it shows
        report = self.save(report, first, reached, at)
        for co_liaison in t.co_liaisons:
            if rng.random() < 0.12:
                at = self.later(at, 30, 600)
                c = services.contribution_save(
                    actor=co_liaison, report=report, text=self.writer.contribution(t.subject)
                )
                Contribution.objects.filter(pk=c.pk).update(at=at)
        head = self.head[report.unit_id]
        liaison = self.liaison[report.unit_id]
        at = self.later(at, 10, 180)
        report = self.step(report, liaison, "submit", at)
        if fate == "head_return":
            at = self.later(at, 60, 1200)
            report = self.step(report, head, "send_back", at, rng.choice(text.HEAD_RETURNS))
            at = self.later(at, 60, 600)
            report = self.save(report, fields, reached, at)
            at = self.later(at, 5, 60)
            report = self.step(report, liaison, "submit", at)
        submitted, at = at, self.later(at, 30, 1200)
        if late:
            at = max(
                at,
                _aware(period.deadline + timedelta(days=1), 8, 30) + timedelta(minutes=rng.randint(0, 500)),
            )
        else:  # the head signs before the deadline, unless the liaison left it too late
            at = max(min(at, _aware(period.deadline, 20, 0)), submitted + timedelta(minutes=5))
        report = self.step(report, head, "approve", at)
        if fate in ("office_return", "copy_returned"):
            reason = (
                text.COPY_RETURN
                if fate == "copy_returned"
                else text.WRONG_PERCENT_RETURN
                if first["percent"] != fields["percent"]
                else rng.choice(text.OFFICE_RETURNS)
            )
            at = self.later(at, 600, 2880)
            report = self.step(report, self.office, "return", at, reason)
            if fate == "copy_returned":
                fields = self.compose(t, period, reached, fill)
            at = self.later(at, 120, 1440)
            report = self.save(report, fields, reached, at)
            at = self.later(at, 5, 60)
            report = self.step(report, liaison, "submit", at)
            at = self.later(at, 30, 600)
            report = self.step(report, head, "approve", at)
        at = self.later(at, 600, 4320)
        if report.is_copy and fate == "copy":
            # The office reads a recycled report in review and confirms the flag: it then counts.
            # (Flags it has not judged cost nothing in the assessment.)
            self.note(at)
            report = services.copy_verdict(actor=self.office, report=report, confirmed=True)
        self.step(report, self.office, "accept", at)
        for n in reached:
            n.reported = True
        if fields["percent"] == 100:
            self.finished.add(t.item.pk)
        t.last = {k: fields[k] for k in ("progress", "percent", "problems", "next_steps", "coordination")}

    def compose(self, t: Track, period: Period, reached: list[Node], fill: date) -> dict[str, Any]:
        """This month's text and percent for the item, from where its milestones stand on `fill`."""
        rng = self.rng
        done = sum(1 for n in t.nodes if n.done_by(fill) or n in reached)
        ahead = [n for n in t.nodes if not n.done_by(fill) and n not in reached]
        working_on = ahead[0] if ahead else None
        stalled = bool(working_on and working_on.ms.due_date and working_on.ms.due_date < fill)
        if working_on is None and t.nodes:
            percent = 100
        else:
            item = t.item
            start = item.start_date or date(self.year, 1, 1)
            end = item.due_date or date(self.year + 1, 6, 30)
            share = min(max((period.last_day - start).days / max((end - start).days, 1), 0.0), 1.0)
            p = 100 * share * (0.6 if t.kind == "slow" else 0.95) + t.offset
            # Milestones bound the claim both ways: not below those done, not far past the next one.
            ceiling = min(100 * (done + 0.85) / len(t.nodes), 95) if t.nodes else 95
            p = max(p, 90 * done / len(t.nodes)) if t.nodes else p
            if stalled:
                p = min(p, t.percent + rng.choice([0, 0, 5]))
            percent = int(round(min(max(p, t.percent, 5), ceiling) / 5) * 5)
        t.percent = percent
        words = self.writer.report(
            t.subject,
            reached=[n.target() for n in reached],
            working_on=working_on.target() if working_on else None,
            stalled=stalled,
            percent=percent,
            day=fill,
        )
        return {**words, "percent": percent}

    def save(self, report: Report, fields: dict[str, Any], reached: list[Node], at: datetime) -> Report:
        self.note(at)
        report = services.report_save(
            actor=self.liaison[report.unit_id],
            report=report,
            expected_version=report.version,
            fields=fields,
            reached=[
                services.Reached(milestone_id=n.ms.pk, done_date=n.planned, evidence=n.evidence)
                for n in reached
                if n.planned
            ]
            or None,  # None leaves the report's milestones alone: nothing reached, nothing to write
        )
        self.touched[report.pk] = at
        self.latest = max(self.latest, at)
        return report

    def step(self, report: Report, actor: User, action: str, at: datetime, reason: str = "") -> Report:
        self.note(at)
        # History months stay quiet; December's steps notify as they would live.
        report = services.report_step(
            actor=actor, report=report, action=action, reason=reason, now=at, notify_people=at.month == 12
        )
        self.touched[report.pk] = at
        self.latest = max(self.latest, at)
        return report

    def judge(self, period: Period) -> None:
        """The office's "成效不明显" on a few items, once their story has shown it."""
        when = {9: "copycat", 10: "stuck", 11: "slow"}
        kind = when.get(period.month)
        if not kind:
            return
        t = next((t for t in self.tracks.values() if t.kind == kind), None)
        if t is None:
            return
        self.note(_aware(period.first_day.replace(day=28), 16, 30))
        services.no_effect_set(actor=self.office, item=t.item, flag=True, reason=NO_EFFECT[kind])

    # -- the month in progress --------------------------------------------------------------------

    def current_month(self) -> None:
        """The open month as it stands on the demo's today: work in every state, to-dos for every role."""
        rng = self.rng
        opens = self.today.replace(day=1)
        period = self.open_period(opens)
        self.latest = _aware(opens)
        reports = list(
            Report.objects.filter(period=period).order_by("item__plan_id", "item__seq", "item__code")
        )
        plan: dict[int, str] = {}
        yesterday = self.today - timedelta(days=1)
        ready = {
            r.pk for r in reports if any(n.reachable_by(yesterday) for n in self.tracks[r.item_id].nodes)
        }
        # The published liaisons and heads each find something waiting; reports that carry a
        # milestone reached are kept for the office where the unit has others.
        for username, wants in WAITING.items():
            user = User.objects.filter(username=username).first()
            own = sorted(
                (r for r in reports if user and r.unit_id == user.unit_id), key=lambda r: r.pk in ready
            )
            for r, state in zip(own, wants, strict=False):
                plan[r.pk] = state
        # Milestones reached by now are reported early, and the office has accepted most of them.
        for i, pk in enumerate(sorted(pk for pk in ready if pk not in plan)):
            plan[pk] = "accepted" if i < 6 else "signed"
        for r in reports:
            if r.pk not in plan:
                roll = rng.random()
                plan[r.pk] = next((state for state, upto in EARLY_DAYS if roll < upto), "untouched")
        if "returned" not in plan.values():
            plan[next(r.pk for r in reports if plan[r.pk] == "untouched")] = "returned"
        if "accepted" not in plan.values():
            plan[next(r.pk for r in reports if plan[r.pk] == "signed")] = "accepted"
        for r in reports:
            self.progress_so_far(r, period, plan[r.pk])
        self.redate()
        self.date_reports()
        states = Counter(Report.objects.filter(period=period).values_list("state", flat=True))
        shown = "，".join(f"{Report.State(s).label} {states[s]} 份" for s in Report.State.values if states[s])
        self.say(f"{period}调度进行中（截至{self.today.month}月{self.today.day}日）：{shown}")

    def progress_so_far(self, report: Report, period: Period, state: str) -> None:
        """One report's first days of the open month, as far as `state`; all of it before today's morning."""
        if state == "untouched":
            return
        rng = self.rng
        t = self.tracks[report.item_id]
        yesterday = self.today - timedelta(days=1)
        # The further along, the earlier it was drafted; a milestone reached is written up after it.
        last = {"accepted": 2, "returned": 2, "signed": 3, "submitted": 4}.get(state, self.today.day)
        day = period.first_day.replace(day=rng.randint(1, min(last, self.today.day)))
        soon = [n.planned for n in t.nodes if n.reachable_by(yesterday) and n.planned]
        day = max([day, *soon]) if state != "saved" else day
        # A day's work from the morning (each step within two hours of the last), or today before nine.
        at = _aware(day, 8, rng.randint(30, 59)) if day == self.today else _aware(day, 9, rng.randint(0, 59))
        reached = [n for n in t.nodes if n.reachable_by(day)]
        fields = self.compose(t, period, reached, day)
        vague = self.writer.vague(t.subject) if state == "returned" else {}
        report = self.save(report, fields | vague, reached, at)
        unit = report.unit_id
        actors = {
            "submit": self.liaison[unit],
            "approve": self.head[unit],
            "return": self.office,
            "accept": self.office,
        }
        for action in SO_FAR[state]:
            at += timedelta(minutes=rng.randint(20, 110))
            reason = text.OFFICE_RETURNS[0] if action == "return" else ""
            report = self.step(report, actors[action], action, at, reason)
        if state == "accepted":
            for n in reached:
                n.reported = True
