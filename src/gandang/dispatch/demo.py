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
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from gandang.core import audit, clock, registry
from gandang.core.models import AuditEntry
from gandang.dispatch import demo_text as text
from gandang.dispatch import engine
from gandang.dispatch.demo_months import MonthlyFiling
from gandang.dispatch.demo_parts import (
    ACCOUNT_NAME,
    ACCOUNTS_AT,
    FIRST_MONTH,
    GIVEN,
    SURNAMES,
    Node,
    Track,
    _aware,
    _set_times,
)
from gandang.dispatch.models import (
    Contribution,
    ItemStatus,
    Period,
    Report,
    ReportStep,
)
from gandang.ledger.models import Item, Milestone
from gandang.org.models import Leader, Unit, User


def build_reports(*, office: User, today: date, stdout=None) -> dict[str, Any]:
    """Play the demo year's monthly dispatch up to `today` (the demo's today); returns `report_counts()`."""
    _Year(office=office, today=today, stdout=stdout).build()
    return report_counts()


def report_counts() -> dict[str, Any]:
    """What the dispatch demo holds: closed months, the open month's reports by state, statuses."""
    # The city's months (a plan's own periods, gandang.dispatch.demo_quarters, are not counted here).
    months = Period.objects.filter(plan__isnull=True)
    closed = Report.objects.filter(period__in=months, period__state=Period.State.CLOSED)
    open_period = Period.objects.filter(plan__isnull=True, state=Period.State.OPEN).first()
    returned = ReportStep.objects.filter(action="return").values("report").distinct().count()
    accounts = User.objects.filter(username__regex=ACCOUNT_NAME)
    example = accounts.filter(role=User.Role.LIAISON).select_related("unit").order_by("username").first()
    return {
        "periods": months.filter(state=Period.State.CLOSED).count(),
        "reports": closed.count(),
        "accepted": closed.filter(state=Report.State.ACCEPTED).count(),
        "late": closed.filter(is_late=True).count(),
        "missing": closed.filter(is_missing=True).count(),
        "returned": returned,
        "sent_back": ReportStep.objects.filter(action="send_back").values("report").distinct().count(),
        "copied": Report.objects.filter(period__in=months, is_copy=True).count(),
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


class _Year(MonthlyFiling):
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


def build_step(run: registry.DemoRun) -> None:
    """This app's part of the demo city (registered in its AppConfig.ready())."""
    build_reports(office=run.results["office"], today=run.today, stdout=run.stdout)
