"""The demo city's monthly dispatch: February to November 2023 closed, December in progress.

`build_reports()` runs right after the demo ledger is built (`gandang.demo.build.build_demo`). It
plays the year through the dispatch services, as the office, the units' liaisons and heads would
have: each month the office opens the period, liaisons file their reports, heads sign them off,
the office accepts or returns them; then the month's status snapshots are taken and the period is
closed. Every service call is made with its 2023 time; the rows the services date themselves
(audit entries, report steps) are re-dated to it at the end of each month (see `_Year.redate`).

Milestones are reached through the reports: a milestone the ledger builder marked done in or after
February is cleared first, and the report of the month it was done says so, and its acceptance
puts the date back on the ledger. Most milestones the ledger left overdue are caught up late the
same way; a few items stay stuck (red), a few progress too slowly (yellow). Lateness, missing,
returned and copied reports come from a seeded generator, so every build is identical.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from gandang.core import audit, clock, registry
from gandang.core.models import AuditEntry
from gandang.dispatch import demo_text as text
from gandang.dispatch import engine, services
from gandang.dispatch.models import (
    Contribution,
    ItemStatus,
    Period,
    Report,
    ReportStep,
    StatusSnapshot,
)
from gandang.ledger.models import Item, Milestone
from gandang.org.models import Leader, Unit, User

FIRST_MONTH = 2  # the key-points plan is issued in February; January has no period
DEADLINE_DAY = 25
CLOSE_DAY = 3  # the office closes a period on the 3rd of the next month
ACCOUNTS_AT = (2, 10, 9, 30)  # month, day, hour, minute the units' accounts were opened
ACCOUNT_NAME = r"^(liaison|head)_[0-9]+$"  # liaison_08: unit no. 8's liaison (its place in the unit list)

# Invented people: surnames and given-name characters for the units' liaisons and heads.
SURNAMES = "王李张刘陈杨黄周吴徐孙胡朱林何郭罗梁谢唐冯董曹袁邓傅曾彭蒋蔡丁魏薛叶余潘杜戴夏钟汪任姜范方石姚谭廖邹熊陆郝孔崔康毛邱秦江史顾侯孟龙万段雷钱汤尹黎易常武乔赖龚"
GIVEN = "晓雨思嘉子文明建志海俊欣雅立国春梦佳浩宇晨凯静婷磊涛琳华峰洁敏颖鹏伟芳兰亮辉青云"

# What the demo's published unit logins (gandang.org.demo.USERS) find on the open month's
# workbench: the liaison's draft, the head's report to sign, the office's to review, a return.
WAITING = {
    "liaison_fgw": ["saved", "submitted", "signed"],
    "liaison_dy": ["returned", "submitted"],
}

# How far the other reports have got by the demo's today: (state, cumulative share); the rest untouched.
EARLY_DAYS = [("submitted", 0.10), ("signed", 0.16), ("saved", 0.50)]

# The steps behind each state of an open month's report.
SO_FAR = {
    "saved": [],
    "submitted": ["submit"],
    "signed": ["submit", "approve"],
    "returned": ["submit", "approve", "return"],
    "accepted": ["submit", "approve", "accept"],
}

NO_EFFECT = {
    "copycat": "连续三个月报送内容基本雷同，改革举措未见实质性推进",
    "stuck": "时间节点长期逾期未完成，改革推进缓慢，预期目标难以实现",
    "slow": "试点覆盖面小，企业和群众获得感不强，改革成效不明显",
}


@dataclass
class Node:
    """A milestone and when, in the demo's story, the unit reaches it."""

    ms: Milestone
    evidence: str
    planned: date | None  # None: not reached by the demo's today
    on_ledger: bool  # done before reporting began, or set by the office itself: no report reaches it
    reported: bool = False  # reached in an accepted report

    def done_by(self, day: date) -> bool:
        return self.reported or (self.on_ledger and self.planned is not None and self.planned <= day)

    def reachable_by(self, day: date) -> bool:
        return not (self.on_ledger or self.reported) and self.planned is not None and self.planned <= day

    @property
    def late(self) -> bool:
        return bool(self.planned and self.ms.due_date and self.planned > self.ms.due_date)

    def target(self) -> text.Target:
        return text.Target(
            title=self.ms.title,
            due=self.ms.due_date,
            evidence=self.evidence,
            done=self.planned,
            late=self.late,
        )


@dataclass
class Track:
    """One item through the year: its milestones, its character, what it reported last."""

    item: Item
    subject: text.Subject
    nodes: list[Node]
    co_liaisons: list[User]
    offset: int = 0
    kind: str = ""  # "stuck" (stays red), "slow" (yellow), "copycat" (copies last month's text)
    percent: int = 0
    last: dict[str, Any] | None = None  # last month's accepted text


def _aware(d: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(d.year, d.month, d.day, hour, minute))


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _set_times(model: type[models.Model], name: str, rows: list[tuple[int, datetime]]) -> None:
    """Set one datetime column of many rows by id; bulk_update would build a CASE per row, 100× slower."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.DateTimeField)
    qn = connection.ops.quote_name
    sql = f"UPDATE {qn(model._meta.db_table)} SET {qn(field.column)} = %s WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(connection.ops.adapt_datetimefield_value(at), pk) for pk, at in rows])


def build_reports(*, office: User, today: date, stdout=None) -> dict[str, Any]:
    """Play the demo year's monthly dispatch up to `today` (the demo's today); returns `report_counts()`."""
    _Year(office=office, today=today, stdout=stdout).build()
    return report_counts()


def report_counts() -> dict[str, Any]:
    """What the dispatch demo holds: closed months, the open month's reports by state, statuses."""
    closed = Report.objects.filter(period__state=Period.State.CLOSED)
    open_period = Period.objects.filter(state=Period.State.OPEN).first()
    returned = ReportStep.objects.filter(action="return").values("report").distinct().count()
    accounts = User.objects.filter(username__regex=ACCOUNT_NAME)
    example = accounts.filter(role=User.Role.LIAISON).select_related("unit").order_by("username").first()
    return {
        "periods": Period.objects.filter(state=Period.State.CLOSED).count(),
        "reports": closed.count(),
        "accepted": closed.filter(state=Report.State.ACCEPTED).count(),
        "late": closed.filter(is_late=True).count(),
        "missing": closed.filter(is_missing=True).count(),
        "returned": returned,
        "sent_back": ReportStep.objects.filter(action="send_back").values("report").distinct().count(),
        "copied": Report.objects.filter(is_copy=True).count(),
        "contributions": Contribution.objects.count(),
        "open_period": str(open_period) if open_period else "",
        "open_states": dict(
            Counter(Report.objects.filter(period=open_period).values_list("state", flat=True))
        ),
        "statuses": dict(Counter(ItemStatus.objects.values_list("status", flat=True))),
        "no_effect": ItemStatus.objects.filter(no_effect=True).count(),
        "unit_accounts": accounts.count(),
        "unit_account_example": f"{example.username} 为{example.unit}" if example else "",
    }


class _Year:
    def __init__(self, *, office: User, today: date, stdout) -> None:
        self.office = office
        self.today = today
        self.year = today.year
        self.stdout = stdout
        self.rng = random.Random(20231205)
        self.writer = text.Writer(self.rng)
        self.luck = random.Random(2023)  # fates apart from words: editing a phrase keeps who is late
        self.started = clock.now()  # rows dated after this are the ones still to re-date
        self.calls: list[tuple[datetime, datetime]] = []  # (real time the call began, its 2023 time)
        self.liaison: dict[int, User] = {}
        self.head: dict[int, User] = {}
        self.tracks: dict[int, Track] = {}
        self.sloppy: set[int] = set()  # units that are often late
        self.finished: set[int] = set()  # items whose last accepted report says 100%
        self.touched: dict[int, datetime] = {}  # report id → time of its last change
        self.latest = self.started  # the month's last event, after which the period closes

    def say(self, msg: str) -> None:
        if self.stdout is not None:
            self.stdout.write(msg + "\n")

    def build(self) -> None:
        self.people()
        self.story()
        for month in range(FIRST_MONTH, self.today.month):
            self.month(month)
        self.current_month()
        self.date_notices()
        engine.recompute_all(today=self.today)
        ItemStatus.objects.update(computed_at=_aware(self.today, 7, 0))

    # -- dating -----------------------------------------------------------------------------------

    def date_notices(self) -> None:
        """December's notices (to sign, returned) carry the time of the step that caused them."""
        from gandang.notifications.models import Notification

        for n in Notification.objects.filter(key__startswith="step:"):
            _step, report_id, count = n.key.split(":")
            steps = list(ReportStep.objects.filter(report_id=int(report_id)).order_by("at", "id"))
            if 0 < int(count) <= len(steps):
                Notification.objects.filter(pk=n.pk).update(created_at=steps[int(count) - 1].at)

    def note(self, at: datetime) -> None:
        """Say that the next service call happens at `at` (2023), before making it."""
        self.calls.append((clock.now(), at))

    def redate(self) -> None:
        """Give each audit entry and report step written since the last redate its call's 2023 time.

        The services date these rows with the real clock, so a row belongs to the last call noted
        before its real time. One pass a month instead of an UPDATE after every call keeps the build fast.
        """
        began = [real for real, _ in self.calls]
        for model in (AuditEntry, ReportStep):
            rows = model.objects.filter(at__gte=self.started).values_list("id", "at")
            _set_times(model, "at", [(pk, self.calls[bisect_right(began, at) - 1][1]) for pk, at in rows])
        self.calls.clear()

    def later(self, at: datetime, lo: int, hi: int) -> datetime:
        """`lo`–`hi` minutes after `at`, moved to the next morning if that falls outside office hours."""
        at = timezone.localtime(at + timedelta(minutes=self.rng.randint(lo, hi)))
        if at.hour >= 18 or at.hour < 8:
            day = at.date() + timedelta(days=1 if at.hour >= 18 else 0)
            at = _aware(day, 8, 30) + timedelta(minutes=self.rng.randint(0, 90))
        return at

    # -- people -----------------------------------------------------------------------------------

    def people(self) -> None:
        """One liaison and one head for every unit that leads items, where the demo has none."""
        members = User.objects.filter(role__in=[User.Role.LIAISON, User.Role.HEAD], unit__isnull=False)
        for u in members.order_by("username"):
            if u.unit_id is not None:
                (self.liaison if u.role == User.Role.LIAISON else self.head).setdefault(u.unit_id, u)
        leading = set(Item.objects.filter(lead_unit__isnull=False).values_list("lead_unit_id", flat=True))
        taken = set(User.objects.values_list("full_name", flat=True)) | set(
            Leader.objects.values_list("name", flat=True)
        )
        usernames = set(User.objects.values_list("username", flat=True))
        names = self._names(taken)
        joined = _aware(date(self.year, *ACCOUNTS_AT[:2]), *ACCOUNTS_AT[2:])
        new = []
        for n, unit in enumerate(Unit.objects.order_by("sort_order", "name"), start=1):
            if unit.pk not in leading:
                continue
            for role, book, prefix in (
                (User.Role.LIAISON, self.liaison, "liaison"),
                (User.Role.HEAD, self.head, "head"),
            ):
                username = f"{prefix}_{n:02d}"
                if unit.pk in book or username in usernames:
                    continue
                # The office's hash: every demo account has the published password.
                user = User(
                    username=username,
                    full_name=next(names),
                    role=role,
                    unit=unit,
                    password=self.office.password,
                    date_joined=joined,
                )
                user.save()
                book[unit.pk] = user
                new.append(user)
        self.note(joined)
        entries = [audit.entry(u, actor=self.office, action=AuditEntry.Action.CREATE) for u in new]
        AuditEntry.objects.bulk_create([e for e in entries if e is not None])
        self.redate()
        units = len({u.unit_id for u in new})
        self.say(f"已为 {units} 个牵头单位补建联络员、负责人账号 {len(new)} 个（密码同演示账号）")

    def _names(self, taken: set[str]) -> Iterator[str]:
        rng = random.Random(7)
        while True:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2, 2])))
            if name not in taken:
                taken.add(name)
                yield name

    # -- the story of each item -------------------------------------------------------------------

    def story(self) -> None:
        """Decide when each milestone is reached, and which items are stuck, slow or copied."""
        rng = self.rng
        first = date(self.year, FIRST_MONTH, 1)
        ms_type = ContentType.objects.get_for_model(Milestone)
        edited = {
            int(pk)
            for pk in AuditEntry.objects.filter(
                content_type=ms_type, action=AuditEntry.Action.UPDATE
            ).values_list("object_id", flat=True)
        }
        counties = list(Unit.objects.filter(kind=Unit.Kind.COUNTY).values_list("name", flat=True))
        items = (
            Item.objects.filter(is_archived=False, lead_unit__isnull=False)
            .select_related("lead_unit")
            .prefetch_related("co_units", "leaders", "milestones")
            .order_by("plan_id", "seq", "code")
        )
        cleared: list[int] = []
        for item in items:
            nodes = []
            for ms in item.milestones.all():
                # Done before reporting began, or set by the office's own edit: already on the ledger.
                on_ledger = ms.done_date is not None and (ms.done_date < first or ms.pk in edited)
                if ms.done_date and not on_ledger:
                    cleared.append(ms.pk)
                nodes.append(Node(ms=ms, evidence=ms.evidence, planned=ms.done_date, on_ledger=on_ledger))
            lead = item.lead_unit
            assert lead is not None
            co = list(item.co_units.all())
            leaders = [leader.name for leader in item.leaders.all()]
            self.tracks[item.pk] = Track(
                item=item,
                subject=text.Subject(
                    title=item.title,
                    deliverable=item.deliverable,
                    co=[u.name for u in co],
                    leaders=leaders,
                    places=text.LOCAL_PLACES.get(lead.kind, counties),
                ),
                nodes=nodes,
                co_liaisons=[self.liaison[u.pk] for u in co if u.pk in self.liaison],
                offset=rng.randint(-3, 6),
            )
        self._clear(cleared)

        stalled = [t for t in self.tracks.values() if self._overdue(t)]
        early = [t for t in stalled if min(self._overdue(t)) <= date(self.year, 9, 30)]
        for t in rng.sample(early, min(5, len(early))):
            t.kind = "stuck"
        for t in stalled:
            if t.kind != "stuck":
                self._catch_up(t)
        year_end = date(self.year, 12, 31)
        steady = [t for t in self.tracks.values() if not t.kind and t.item.due_date == year_end]
        picked = rng.sample(steady, min(6, len(steady)))
        picked[0].kind = "copycat"
        for t in picked[1:]:
            t.kind = "slow"
        units = sorted({t.item.lead_unit_id for t in self.tracks.values() if t.item.lead_unit_id})
        self.sloppy = set(rng.sample(units, 6))
        stuck = sum(t.kind == "stuck" for t in self.tracks.values())
        self.say(
            f"已排定 {len(self.tracks)} 个事项的全年进程（时间节点以月报确认完成，{stuck} 个事项长期滞后）"
        )

    def _clear(self, pks: list[int]) -> None:
        """Take the done dates off the ledger (and off the milestones' creation entries): reports bring them back."""
        Milestone.objects.filter(pk__in=pks).update(done_date=None, evidence="")
        ms_type = ContentType.objects.get_for_model(Milestone)
        entries = list(
            AuditEntry.objects.filter(
                content_type=ms_type, action=AuditEntry.Action.CREATE, object_id__in=[str(pk) for pk in pks]
            )
        )
        for e in entries:
            e.changes = {k: v for k, v in e.changes.items() if k not in ("done_date", "evidence")}
        AuditEntry.objects.bulk_update(entries, ["changes"], batch_size=500)

    def _overdue(self, t: Track) -> list[date]:
        return [
            n.ms.due_date
            for n in t.nodes
            if n.planned is None and n.ms.due_date and n.ms.due_date < self.today
        ]

    def _catch_up(self, t: Track) -> None:
        """The unit catches up on its overdue milestones, weeks late and by mid-November at the latest;
        one due at the end of November is done in the first days of December."""
        rng = self.rng
        mid_november = date(self.year, 11, 20)
        prev: date | None = None
        for n in t.nodes:
            due = n.ms.due_date
            if n.planned is not None:
                prev = n.planned
                continue
            if due is None or due >= self.today:
                break
            if due + timedelta(days=12) > mid_november:
                planned = due + timedelta(days=rng.randint(1, 4))
            else:
                planned = min(due + timedelta(days=rng.randint(12, 55)), mid_november)
            if prev:
                planned = max(planned, prev + timedelta(days=rng.randint(6, 12)))
            if planned >= self.today:
                break
            n.planned, n.evidence, prev = planned, text.EVIDENCE[text.phase_of(n.ms.title)], planned

    # -- one month --------------------------------------------------------------------------------

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


def _step(run: registry.DemoRun) -> None:
    build_reports(office=run.results["office"], today=run.today, stdout=run.stdout)


def register() -> None:
    # After the ledger (10s): a year of monthly reports on its items.
    registry.demo_step(registry.DemoStep("dispatch.reports", 20, _step))
