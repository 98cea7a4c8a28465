"""Hand-made records for assessment tests: periods, snapshots, reports, listings, letters, achievements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gandang.achievements.models import Experience, Honor, Outlet, Pilot, Promotion, PromotionLevel
from gandang.assessment import services
from gandang.assessment.models import Indicator, Run, Scheme
from gandang.dispatch.models import Period, Report, ReportStep, StatusSnapshot
from gandang.ledger.models import Item, Plan
from gandang.supervision.models import Letter, Listing

KINDS = ["department", "county", "enterprise"]


def period(year: int, month: int, *, closed: bool = True) -> Period:
    return Period.objects.create(
        year=year,
        month=month,
        opens_on=date(year, month, 1),
        deadline=date(year, month, 25),
        state=Period.State.CLOSED if closed else Period.State.OPEN,
    )


def item(plan: Plan, code: str, unit, **kw) -> Item:
    return Item.objects.create(plan=plan, code=code, title=f"事项{code}", lead_unit=unit, **kw)


def snapshot(it: Item, p: Period, status: str, unit=None) -> StatusSnapshot:
    return StatusSnapshot.objects.create(
        item=it, period=p, status=status, reason="测试", lead_unit=unit or it.lead_unit
    )


def report(it: Item, p: Period, *, returns: int = 0, send_backs: int = 0, **flags) -> Report:
    r = Report.objects.create(item=it, period=p, unit=it.lead_unit, **flags)
    for _ in range(returns):
        ReportStep.objects.create(report=r, action="return", from_state="signed", to_state="returned")
    for _ in range(send_backs):
        ReportStep.objects.create(report=r, action="send_back", from_state="submitted", to_state="draft")
    return r


def listing(it: Item, by, *, level="office", on=date(2023, 8, 1), state="listed") -> Listing:
    return Listing.objects.create(
        item=it,
        unit=it.lead_unit,
        trigger="manual",
        reason="进展缓慢",
        level=level,
        requirements="加快推进",
        deadline=date(2023, 9, 30),
        listed_by=by,
        listed_on=on,
        state=state,
    )


_letters = iter(range(1, 10_000))


def letter(x: Listing, *, kind="reminder", on=date(2023, 8, 2)) -> Letter:
    n = next(_letters)
    return Letter.objects.create(
        listing=x,
        kind=kind,
        year=on.year,
        number=n,
        doc_number=f"改提〔{on.year}〕{n}号",
        unit=x.unit,
        title="提醒函",
        content={},
        deadline=date(2023, 9, 1),
        issued_on=on,
    )


def experience(units, by, *, state="adopted", title="经验") -> Experience:
    e = Experience.objects.create(title=title, summary="摘要", body="正文", state=state, created_by=by)
    e.units.set(units)
    return e


def promotion(e: Experience, key: str, by, *, on=date(2023, 6, 1)) -> Promotion:
    level = PromotionLevel.objects.get(key=key)
    outlet = Outlet.objects.filter(level=level).first() or Outlet.objects.create(
        name=f"载体{key}", level=level
    )
    return Promotion.objects.create(experience=e, outlet=outlet, level=level, date=on, recorded_by=by)


def pilot(unit, by, *, level="national", state="in_progress", undertaken=None, evaluated=None) -> Pilot:
    return Pilot.objects.create(
        name=f"{level}试点",
        level=level,
        granted_by="国家部委",
        lead_unit=unit,
        state=state,
        undertaken_on=undertaken,
        evaluated_on=evaluated,
        created_by=by,
    )


def honor(unit, by, *, level="province", on=date(2023, 5, 1)) -> Honor:
    return Honor.objects.create(name=f"{level}荣誉", level=level, unit=unit, date=on, recorded_by=by)


def scheme(*, year: int = 2023, state: str = "active") -> Scheme:
    return Scheme.objects.create(year=year, name=f"{year}年度改革考核方案", state=state)


def indicator(
    s: Scheme, rule: str, max_points, params=None, *, kinds=None, green=False, name="", order=10
) -> Indicator:
    ind = Indicator(
        scheme=s,
        name=name or rule,
        rule=rule,
        unit_kinds=kinds or KINDS,
        max_points=Decimal(str(max_points)),
        params=params or {},
        green_channel=green,
        order=order,
    )
    ind.full_clean()
    ind.save()
    return ind


def full_scheme(office) -> Scheme:
    """An active 2023 scheme with an indicator of every rule kind, two of them on the green channel."""
    s = scheme()
    indicator(s, "completion", 60, {}, order=10)
    indicator(s, "reporting", 20, {"late": 1, "missing": 2, "returned": 0.5, "copy": 1}, order=20)
    indicator(
        s, "supervision", 10, {"listing": {"office": 1, "leader": 2}, "letter": {"reminder": 0.5}}, order=30
    )
    indicator(s, "experience", 5, {"levels": {"province": 2, "ministry": 3}}, order=40)
    indicator(
        s, "pilots", 4, {"undertaken": {"national": 2}, "passed": {"national": 2}}, order=50, green=True
    )
    indicator(s, "honors", 3, {"levels": {"province": 1}}, order=60)
    indicator(s, "manual", 3, {}, order=70, green=True, name="改革特别奖")
    return s


def computed_run(c) -> Run:
    """A computed run over the `city` fixture: units A (department), B (county), C (department)."""
    s = full_scheme(c.users["office"])
    return services.run_compute(actor=c.users["office"], scheme=s)


def standing_scheme(*, year: int = 2023) -> Scheme:
    """An active standing scheme with one indicator per criterion, one point per record, so that each
    line's points are its records counted (reporting: 20 less one per record)."""
    s = Scheme.objects.create(
        year=year, name=f"{year}年度月度晾晒方案", purpose=Scheme.Purpose.STANDING, state="active"
    )
    indicator(s, "reporting", 20, {"late": 1, "missing": 1}, name="按时报送", order=10)
    indicator(s, "reporting", 20, {"returned": 1}, name="退回", order=20)
    indicator(s, "reporting", 20, {"copy": 1}, name="照抄", order=30)
    indicator(s, "lagging", 20, {"yellow": 1, "red": 1}, name="事项滞后", order=40)
    indicator(
        s,
        "supervision",
        20,
        {"listing": {"office": 1, "leader": 1}, "letter": {"reminder": 1, "supervision": 1}},
        name="挂牌督办",
        order=50,
    )
    indicator(
        s,
        "experience",
        20,
        {"levels": {"city": 1, "province": 1, "ministry": 1, "central": 1}},
        name="经验推广",
        order=60,
    )
    return s
