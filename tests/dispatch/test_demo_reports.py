"""The demo city's year of monthly dispatch: February–November 2023 closed, December open on 2023-12-05."""

from collections import Counter
from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from gandang.core import clock
from gandang.core.models import AuditEntry
from gandang.demo.build import DEMO_TODAY, build_demo
from gandang.dispatch.models import (
    Contribution,
    ItemStatus,
    Period,
    Report,
    ReportMilestone,
    ReportStep,
    Status,
    StatusSnapshot,
)
from gandang.ledger.models import Item, Milestone
from gandang.org.models import User
from tests.core.test_demo import _wipe_demo

S = Report.State
TZ = ZoneInfo("Asia/Shanghai")
DEMO_MORNING = datetime(2023, 12, 5, 10, 30, tzinfo=TZ)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, reports included, built once for the class (it takes half a minute)."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        result = build_demo()
    yield result
    with django_db_blocker.unblock():
        _wipe_demo()


def _closed():
    """The closed months' reports (the quarterly plan's periods are its own, tested below)."""
    return Report.objects.filter(period__plan__isnull=True, period__state=Period.State.CLOSED)


def _local(dt: datetime) -> date:
    return timezone.localtime(dt, TZ).date()


@pytest.mark.django_db
class TestDemoDispatch:
    def test_ten_months_are_closed_and_december_is_open(self, demo):
        closed = list(Period.objects.filter(plan__isnull=True, state=Period.State.CLOSED).order_by("month"))
        assert [(p.year, p.month) for p in closed] == [(2023, m) for m in range(2, 12)]
        for p in closed:
            assert p.opens_on == date(2023, p.month, 1)
            assert p.deadline == date(2023, p.month, 25)
            assert _local(p.opened_at) == p.opens_on
            assert p.closed_at is not None and _local(p.closed_at).month == p.month % 12 + 1
        december = Period.objects.get(plan__isnull=True, state=Period.State.OPEN)
        assert (december.year, december.month) == (2023, 12)
        assert demo["dispatch"]["periods"] == 10

    def test_each_closed_month_has_a_snapshot_of_every_item(self, demo):
        # (An item made from a meeting's decision in December joined no closed month; the quarterly plan,
        # built after the year's months were played, has snapshots in its own periods.)
        items = Item.objects.filter(
            is_archived=False, lead_unit__isnull=False, source_decision__isnull=True, plan__cycle="monthly"
        )
        n = items.count()
        for p in Period.objects.filter(plan__isnull=True, state=Period.State.CLOSED):
            assert p.snapshots.count() == n, p
        assert not StatusSnapshot.objects.filter(period__state=Period.State.OPEN).exists()
        # Lights change over the year: nobody is done in February, many are by November.
        feb = Counter(StatusSnapshot.objects.filter(period__month=2).values_list("status", flat=True))
        nov = Counter(StatusSnapshot.objects.filter(period__month=11).values_list("status", flat=True))
        assert feb[Status.DONE] == 0 and feb[Status.NOT_STARTED] > 0
        assert nov[Status.DONE] > 30 and nov[Status.RED] > 0

    def test_closed_months_are_mostly_accepted_on_time(self, demo):
        closed = _closed()
        n = closed.count()
        assert n > 1000
        assert closed.filter(state=S.ACCEPTED).count() > 0.95 * n
        for r in closed.filter(state=S.ACCEPTED).select_related("period")[:200]:
            assert r.progress and r.percent is not None
            assert r.accepted_at >= r.submitted_at
            assert _local(r.submitted_at).month in (r.period.month, r.period.month + 1)

    def test_late_sign_offs_are_after_the_deadline(self, demo):
        late = _closed().filter(is_late=True).select_related("period")
        assert 0.04 * _closed().count() < late.count() < 0.12 * _closed().count()
        for r in late:
            assert _local(r.submitted_at) > r.period.deadline
        for r in _closed().filter(is_late=False, submitted_at__isnull=False).select_related("period")[:300]:
            assert _local(r.submitted_at) <= r.period.deadline

    def test_a_few_reports_never_arrived(self, demo):
        missing = _closed().filter(is_missing=True)
        assert 3 <= missing.count() <= 0.05 * _closed().count()
        assert not missing.filter(submitted_at__isnull=False).exists()
        assert set(missing.values_list("state", flat=True)) == {S.DRAFT}

    def test_returned_reports_carry_a_reason_and_come_back_revised(self, demo):
        returns = ReportStep.objects.filter(action="return", report__period__state=Period.State.CLOSED)
        assert returns.values("report").distinct().count() >= 0.03 * _closed().count()
        assert returns.filter(reason="进展表述笼统，请补充具体举措和量化数据").exists()
        for step in returns.select_related("report")[:30]:
            assert step.reason and step.actor.username == "office"
            report = step.report
            assert report.state == S.ACCEPTED
            actions = list(report.steps.values_list("action", flat=True))
            assert actions[actions.index("return") + 1 :] == ["submit", "approve", "accept"]
        sent_back = ReportStep.objects.filter(action="send_back")
        assert sent_back.exists() and all(s.actor.role == User.Role.HEAD and s.reason for s in sent_back)

    def test_some_reports_copy_last_month(self, demo, settings):
        closed = list(_closed().select_related("period"))
        flagged = [r for r in closed if r.is_copy]
        assert 0.02 * len(closed) <= len(flagged) <= 0.1 * len(closed)
        assert all(r.similarity >= settings.GANDANG_COPY_THRESHOLD for r in flagged)
        # Every report the demo filed as last month's text again is flagged. (The others flagged are
        # months whose generated text recycles last month's sentences with new figures: copies too.)
        last = {(r.item_id, r.period.month): r for r in Report.objects.select_related("period")}
        refiled = [
            r
            for r in closed
            if r.progress and (p := last.get((r.item_id, r.period.month - 1))) and r.progress == p.progress
        ]
        assert len(refiled) >= 0.02 * len(closed)
        assert all(r.is_copy and r.similarity == 1.0 for r in refiled)

    def test_reports_evolve_month_by_month(self, demo):
        accepted = Report.objects.filter(state=S.ACCEPTED, is_copy=False)
        busiest = Counter(accepted.values_list("item_id", flat=True)).most_common(1)[0][0]
        reports = list(accepted.filter(item_id=busiest).order_by("period__month"))
        assert len(reports) >= 9
        percents = [r.percent for r in reports]
        assert percents == sorted(percents) and percents[0] < percents[-1]
        assert len({r.progress for r in reports}) == len(reports)
        assert len({r.next_steps for r in reports}) > 1

    def test_milestones_are_done_by_the_reports_that_reached_them(self, demo):
        reached = ReportMilestone.objects.filter(report__state=S.ACCEPTED).select_related(
            "milestone", "report"
        )
        assert reached.count() > 100
        for r in reached:
            assert r.milestone.done_date == r.done_date
            assert r.done_date <= r.report.period.last_day
        done = Milestone.objects.filter(done_date__gte=date(2023, 2, 1))
        by_report = set(reached.values_list("milestone_id", flat=True))
        # All but those the office set by hand on the ledger.
        assert done.exclude(pk__in=by_report).count() <= 2
        assert not Milestone.objects.filter(done_date__gt=DEMO_TODAY).exists()
        assert AuditEntry.objects.filter(
            reason__startswith="依据2023年", changes__has_key="done_date"
        ).exists()

    def test_statuses_on_the_demo_today(self, demo):
        # (The item a meeting decided in December is 未启动 until its unit's first report: not counted here.)
        statuses = ItemStatus.objects.filter(item__source_decision__isnull=True)
        counts = Counter(statuses.values_list("status", flat=True))
        assert counts[Status.NOT_STARTED] == 0
        assert 3 <= counts[Status.RED] <= 12
        assert 3 <= counts[Status.YELLOW] <= 12
        assert counts[Status.GREEN] >= 40 and counts[Status.DONE] >= 30
        assert ItemStatus.objects.count() == Item.objects.count()
        assert all(ItemStatus.objects.values_list("reason", flat=True))
        no_effect = statuses.filter(no_effect=True)
        assert 2 <= no_effect.count() <= 3
        assert all(no_effect.values_list("no_effect_reason", flat=True))
        assert demo["dispatch"]["statuses"] == dict(
            Counter(ItemStatus.objects.values_list("status", flat=True))
        )

    def test_december_has_reports_in_every_state(self, demo):
        december = Period.objects.get(plan__isnull=True, state=Period.State.OPEN)
        states = Counter(Report.objects.filter(period=december).values_list("state", flat=True))
        assert set(states) == set(S.values)
        assert states[S.DRAFT] > sum(states.values()) / 2
        assert Report.objects.filter(period=december, state=S.DRAFT).exclude(progress="").exists()
        assert not ReportStep.objects.filter(at__gt=DEMO_MORNING).exists()
        assert not AuditEntry.objects.filter(at__gt=DEMO_MORNING).exists()

    def test_every_role_has_something_to_do_on_the_demo_today(self, demo):
        december = Report.objects.filter(period__plan__isnull=True, period__state=Period.State.OPEN)

        def unit(username):
            return User.objects.get(username=username).unit_id

        assert december.filter(unit=unit("liaison_fgw"), state=S.DRAFT).exists()
        assert december.filter(unit=unit("head_fgw"), state=S.SUBMITTED).exists()
        assert december.filter(unit=unit("liaison_dy"), state=S.RETURNED).exists()
        assert december.filter(unit=unit("head_dy"), state=S.SUBMITTED).exists()
        assert december.filter(state=S.SIGNED).exists()  # the office's review queue

    def test_every_lead_unit_has_a_liaison_and_a_head(self, demo):
        for unit_id in set(Item.objects.values_list("lead_unit_id", flat=True)):
            for role in (User.Role.LIAISON, User.Role.HEAD):
                assert User.objects.filter(unit_id=unit_id, role=role).exists(), (unit_id, role)
        assert User.objects.get(username="liaison_fgw").unit.name == "市发展改革委"
        assert [u for u, _, _ in demo["logins"]][:2] == ["office", "leader"]
        assert (
            demo["dispatch"]["unit_accounts"]
            == User.objects.filter(username__regex=r"^(liaison|head)_\d+$").count()
        )

    def test_co_units_add_their_contributions(self, demo):
        contributions = Contribution.objects.select_related("report__item", "author")
        assert contributions.count() >= 20
        for c in contributions.order_by("pk")[:50]:
            # A co-unit's part, or a joint lead's (共同牵头: it adds its part to the first lead's report).
            item = c.report.item
            assert c.unit in item.co_units.all() or c.unit in item.joint_leads
            assert c.author.unit_id == c.unit_id and c.at.year == 2023

    def test_the_history_is_dated_in_2023(self, demo):
        assert not ReportStep.objects.filter(at__year__gt=2023).exists()
        assert not AuditEntry.objects.filter(at__year__gt=2023).exists()
        assert not Report.objects.filter(updated_at__year__gt=2023).exists()
        assert not Contribution.objects.filter(at__year__gt=2023).exists()
        assert not ItemStatus.objects.filter(computed_at__year__gt=2023).exists()
        first = ReportStep.objects.order_by("at").first()
        assert first is not None and first.at > datetime(2023, 2, 1, tzinfo=TZ)

    def test_nothing_is_stamped_after_the_demo_day_whatever_the_machines_date(self, demo):
        """Built on any day, every time the demo recorded reads on or before 2023-12-05 (最近处理, histories,
        letters, achievements, notices read): none is the machine's date."""
        from django.apps import apps
        from django.db import models

        end = datetime.combine(DEMO_TODAY, time.max, tzinfo=TZ)
        leaks = [
            f"{model._meta.label}.{f.name}"
            for model in apps.get_models()
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField) and model.objects.filter(**{f"{f.name}__gt": end}).exists()
        ]
        assert leaks == []

    def test_recent_decisions_on_proposals_are_dated_the_day_of_their_listing(self, demo):
        from gandang.supervision.models import Proposal

        decided = Proposal.objects.filter(state=Proposal.State.LISTED)
        assert decided.exists()
        for p in decided:
            assert p.decided_at is not None and _local(p.decided_at) == p.listing.listed_on

    def test_listed_supervision_in_every_state(self, demo):
        from gandang.supervision.models import Letter, Listing, Proposal, RectificationStep

        listings = Listing.objects.all()
        assert listings.filter(state="delisted").count() == 2
        open_ = listings.filter(state="listed")
        assert {x.rectification.state for x in open_} >= {"draft", "submitted", "returned"}
        assert open_.filter(escalation=Listing.Escalation.BULLETIN).count() == 1
        numbers = sorted(Letter.objects.values_list("doc_number", flat=True))
        assert "泰改督〔2023〕1号" in numbers and len(numbers) == len(set(numbers)) == 6
        assert all(n.startswith("泰改") for n in numbers)  # the demo office names itself (公文设置)
        # The rules leave the office items to decide on: red in October and November, 成效不明显.
        triggers = set(Proposal.objects.filter(state="open").values_list("trigger", flat=True))
        assert triggers == {"red", "no_effect"}
        assert not RectificationStep.objects.filter(at__year__gt=2023).exists()
        assert not Proposal.objects.filter(created_at__year__gt=2023).exists()
        # The demo logins have supervision to-dos: the fgw liaison writes, the dy head signs.
        fgw = Listing.objects.get(unit__name="市发展改革委", state="listed")
        assert fgw.rectification.state == "draft"
        assert Listing.objects.get(unit__name="岱岳区", state="listed").rectification.state == "submitted"

    def test_the_command_pins_the_calendar_to_the_demo_today(self, demo, settings, tmp_path, monkeypatch):
        monkeypatch.delenv("GANDANG_TODAY", raising=False)
        settings.DATA_DIR = tmp_path
        settings.GANDANG_TODAY = ""
        out = StringIO()
        call_command("demo", "--no-serve", stdout=out)
        assert (tmp_path / "today").read_text() == "2023-12-05"
        assert "演示日期：2023年12月5日" in out.getvalue()
        assert "2023年12月填报中" in out.getvalue()
        assert clock.today() == DEMO_TODAY  # the server this command starts next uses it too

    def test_real_date_leaves_the_calendar_alone(self, demo, settings, tmp_path, monkeypatch):
        monkeypatch.delenv("GANDANG_TODAY", raising=False)
        settings.DATA_DIR = tmp_path
        (tmp_path / "today").write_text("2023-12-05")
        out = StringIO()
        call_command("demo", "--no-serve", "--real-date", stdout=out)
        assert not (tmp_path / "today").exists()
        assert "演示日期" not in out.getvalue()
        assert clock.today() == timezone.localdate()


@pytest.mark.django_db
class TestDemoQuarterlyPlan:
    def test_a_plan_reports_quarterly_on_its_own_days(self, demo):
        from gandang.ledger.demo_data import QUARTERLY_PLAN
        from gandang.ledger.models import Plan

        plan = Plan.objects.get(name=QUARTERLY_PLAN)
        assert (plan.cycle, plan.deadlines) == ("quarterly", "04-25,06-25,09-25,11-25")
        periods = list(Period.objects.filter(plan=plan).order_by("month"))
        assert [(p.month, p.deadline, p.state) for p in periods] == [
            (3, date(2023, 4, 25), Period.State.CLOSED),
            (6, date(2023, 6, 25), Period.State.CLOSED),
            (9, date(2023, 9, 25), Period.State.CLOSED),
            (12, date(2023, 11, 25), Period.State.OPEN),
        ]
        assert str(periods[0]) == f"2023年第一季度（{QUARTERLY_PLAN}）"
        codes = set(plan.items.values_list("pk", flat=True))
        for p in periods:
            assert set(p.reports.values_list("item_id", flat=True)) == codes
        # The plan's items report in no month; the months' items in no quarter.
        assert not Report.objects.filter(item__plan=plan, period__plan__isnull=True).exists()
        assert not Report.objects.filter(period__plan=plan).exclude(item__plan=plan).exists()
        assert periods[1].reports.filter(is_late=True).count() == 1
        q4 = Counter(periods[3].reports.values_list("state", flat=True))
        assert q4[S.ACCEPTED] >= 2 and q4[S.SIGNED] == 1
        assert periods[3].reports.filter(is_missing=True, submitted_at__isnull=True).count() == 1
        assert all(_local(p.closed_at) <= DEMO_TODAY for p in periods[:3])

    def test_the_bulletin_and_the_years_run_read_the_plans_quarters(self, demo):
        """Built right after the months, the quarterly plan is in what the demo computes from them: the
        second quarter's issued bulletin gives its own timeliness line, and the year's trial run counts
        its four periods in the reporting line of the units that lead its tasks."""
        import json

        from gandang.assessment.models import ScoreLine
        from gandang.bulletins.models import Bulletin

        issued = Bulletin.objects.get(year=2023, quarter=2, state=Bulletin.State.ISSUED)
        text = json.dumps(issued.content, ensure_ascii=False)
        assert "按季度报送，本季度应报5项，按时4项、逾期1项（6月25日截止）" in text
        lines = ScoreLine.objects.filter(explanation__contains="含按季度报送的方案4期")
        leads = {"市行政审批服务局", "市市场监管局", "市发展改革委", "市财政局"}
        assert {line.unit.name for line in lines} == leads

    def test_two_units_lead_a_task_and_the_joint_lead_adds_its_part(self, demo, client):
        from django.urls import reverse

        from gandang.dispatch.models import Contribution
        from gandang.ledger.demo_data import QUARTERLY_PLAN

        item = Item.objects.get(plan__name=QUARTERLY_PLAN, code="4")
        assert item.lead_units_display == "市行政审批服务局、市发展改革委"
        periods = list(Period.objects.filter(plan=item.plan).order_by("month"))
        parts = Contribution.objects.filter(report__item=item, unit__name="市发展改革委")
        assert sorted(parts.values_list("report__period__month", flat=True)) == [3, 6, 9]
        assert all(r.unit.name == "市行政审批服务局" for r in Report.objects.filter(item=item))
        fgw = User.objects.get(username="liaison_fgw")
        client.force_login(fgw)
        led = client.get(reverse("ledger:item_list"), {"lead_unit": fgw.unit_id, "plan": item.plan_id})
        assert item.pk in {it["pk"] for it in led.context["page"]}
        assert "市行政审批服务局、市发展改革委" in led.content.decode()
        # The whole year's report, awaiting the office, is the joint lead's to add its part to.
        fill = client.get(reverse("dispatch:period_fill", args=[periods[3].pk]))
        rows = {r["item_id"]: r for r in fill.context["co"]["rows"]}
        assert rows[item.pk]["joint"] and rows[item.pk]["state"] != S.ACCEPTED
