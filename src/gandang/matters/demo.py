"""The demo city's leaders' instructions in 2023, played through the real services and dated.

- the seed's instruction: the provincial party secretary's praise (肯定性批示) of the city's 盐穴储能储气
  practice, recorded by the office and linked to its item and units;
- a city leader's 批示 written in Gandang on the 市发展改革委's most lagging item in September, answered,
  signed and closed (办结) within the month;
- a directive recorded by the office in November for the 岱岳区: answered and signed, waiting for the
  office to close it;
- a city leader's 批示 of early November on another 市发展改革委 item, unanswered past its 30 November
  deadline: overdue, the liaison reminded each day by the calendar, and the office's numbered 催办函 of
  1 December (its answer due on the 8th, after the demo's day, so not yet escalated);
- a city leader's 批示 written on the page of the latest monthly report of a red item, two days before the
  demo's day, assigned to the reporting unit and not yet answered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.db.models import Case, IntegerField, Value, When

from gandang.core import clock, registry
from gandang.core.backdate import aware, dated
from gandang.dispatch.models import Report
from gandang.ledger.models import Item, Status
from gandang.matters import letters, services
from gandang.matters.models import Instruction, Matter, MatterContribution, MatterLetter, MatterStep
from gandang.notifications.models import Notification
from gandang.org.models import Leader, Unit, User

STAMPS = (
    (Instruction, "created_at"),
    (Matter, "created_at"),
    (MatterStep, "at"),
    (MatterLetter, "created_at"),
    (MatterContribution, "created_at"),
    (MatterContribution, "updated_at"),
    (Notification, "created_at"),
)


MOMENTS = ("submitted_at", "closed_at")  # what a step stamps on the matter itself


def at(day: date, hour: int, call: Callable[[], Any]) -> Any:
    """Run a service call on `day` (the product's clock pinned to it) and date what it wrote then: the
    rows it made, and the moments it stamped on a matter (the pinned clock keeps the real time of day)."""
    before = {row[0]: row[1:] for row in Matter.objects.values_list("pk", *MOMENTS)}
    with clock.pinned(day), dated(aware(day, hour), *STAMPS):
        result = call()
    for pk, *moments in Matter.objects.values_list("pk", *MOMENTS):
        changed = {
            name: aware(day, hour)
            for name, value, was in zip(MOMENTS, moments, before.get(pk, (None,) * len(MOMENTS)), strict=True)
            if value is not None and value != was
        }
        if changed:
            Matter.objects.filter(pk=pk).update(**changed)
    return result


def _lagging(unit: Unit, skip: tuple[int, ...] = ()) -> Item | None:
    """The unit's most lagging open item (red, then yellow, then the rest)."""
    rank = Case(
        When(status=Status.RED, then=Value(0)),
        When(status=Status.YELLOW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Item.objects.filter(lead_unit=unit, is_archived=False, parent__isnull=True)
        .exclude(status=Status.DONE)
        .exclude(pk__in=skip)
        .order_by(rank, "seq", "code")
        .first()
    )


def _person(unit: Unit, role: str) -> User | None:
    return User.objects.filter(unit=unit, role=role, is_active=True).first()


def build_step(run: registry.DemoRun) -> None:
    """This app's part of the demo city (registered in its AppConfig.ready())."""
    office: User = run.results["office"]
    year = run.today.year
    fgw = Unit.objects.filter(name="市发展改革委").first()
    dy = Unit.objects.filter(name="岱岳区").first()
    made = 0
    if fgw is None or dy is None:  # a city without the seed's units: nothing of the seed to tell
        return

    # The seed's praise: 盐穴储能储气, by the provincial party secretary.
    salt = Item.objects.filter(title__contains="盐穴储能储气").order_by("pk").first()
    feicheng = Unit.objects.filter(name="肥城市").first()
    praise = services.InstructionInput(
        leader_name="林武",
        leader_title="省委书记",
        level=Instruction.Level.PROVINCE,
        kind=Instruction.Kind.PRAISE,
        on=date(year, 6, 20),
        text="就泰安市盐穴储能储气相关做法作出肯定性批示（批示件原件存市委改革办）。",
        items=[salt] if salt else [],
        units=[u for u in (fgw, feicheng) if u is not None],
    )
    at(date(year, 6, 26), 10, lambda: services.instruction_record(actor=office, data=praise))
    made += 1

    leader_user = User.objects.filter(role=User.Role.LEADER, leader__isnull=False).first()
    first = _lagging(fgw)
    if leader_user is not None and first is not None:
        # Written in Gandang in September, answered, signed and closed within the month.
        ins = at(
            date(year, 9, 12),
            16,
            lambda: services.instruction_write(
                actor=leader_user,
                item=first,
                text=f"请市发展改革委抓紧研究“{first.title}”推进中的堵点，9月底前报送进展情况。",
                unit=fgw,
                deadline=date(year, 9, 30),
            ),
        )
        _answer_and_sign(
            ins.matters.get(),
            answered=date(year, 9, 22),
            text="已召开专题推进会，逐项梳理堵点问题，形成问题清单和责任清单；牵头的3项配套政策已完成起草，正在征求意见。",
        )
        m = ins.matters.get()
        at(
            date(year, 9, 27),
            15,
            lambda: services.matter_step(actor=office, matter=m, action="close", reason="办理到位"),
        )
        made += 1

    second = _lagging(dy)
    if second is not None:
        # Recorded by the office in November for the 岱岳区: answered and signed, waiting for 办结.
        leader = Leader.objects.filter(name="高振华").first()
        directive = services.InstructionInput(
            leader=leader,
            leader_name=leader.name if leader else "高振华",
            leader_title=leader.title if leader else "市委副书记",
            level=Instruction.Level.CITY,
            kind=Instruction.Kind.DIRECTIVE,
            on=date(year, 11, 16),
            text=f"“{second.title}”进展偏慢，请岱岳区主要负责同志亲自过问，12月15日前报送办理情况。",
            items=[second],
            assignment=services.Assignment(unit=dy, deadline=date(year, 12, 15)),
        )
        ins = at(date(year, 11, 17), 9, lambda: services.instruction_record(actor=office, data=directive))
        _answer_and_sign(
            ins.matters.get(),
            answered=date(year, 12, 1),
            text="区政府已成立工作专班，倒排工期、挂图作战；已完成片区规划编制，首批4个项目已开工。",
        )
        made += 1

    third = _lagging(fgw, skip=(first.pk,) if first else ())
    if leader_user is not None and third is not None:
        # Early November, unanswered past its deadline: the calendar reminds the liaison each day.
        at(
            date(year, 11, 2),
            11,
            lambda: services.instruction_write(
                actor=leader_user,
                item=third,
                text=f"“{third.title}”要加快推进，请市发展改革委11月底前拿出具体措施并报送。",
                unit=fgw,
                co_units=[u for u in (feicheng,) if u is not None],
                deadline=date(year, 11, 30),
            ),
        )
        late = third.matters.filter(state=Matter.State.DRAFT).order_by("-pk").first()
        fc_liaison = _person(feicheng, User.Role.LIAISON) if feicheng is not None else None
        if late is not None and fc_liaison is not None:
            # The co-operating 肥城市 sends its part in time; the lead unit's answer is what is late.
            at(
                date(year, 11, 24),
                15,
                lambda: services.contribution_save(
                    actor=fc_liaison,
                    matter=late,
                    text="肥城市已梳理民营企业诉求清单127条，建立“企业吹哨、部门报到”快办机制，本月已办结诉求98条，相关措施已报市发展改革委汇总。",
                ),
            )
        day = date(year, 12, 1)
        while day <= run.today:
            at(day, 7, partial(services.overdue_notices, today=day))
            if day == date(year, 12, 1) and late is not None:
                # The office issues its numbered 催办函 the morning the matter is found late (answer in 7 days).
                at(day, 9, partial(letters.matter_urge, actor=office, matter=late, today=day))
            day += timedelta(days=1)
        made += 1
    made += _on_a_report(leader_user, run.today)
    run.results["instructions"] = made
    run.say(f"已录入领导批示 {made} 件（含省委书记肯定性批示1件），督办事项 {Matter.objects.count()} 项")


def _answer_and_sign(matter: Matter, *, answered: date, text: str) -> None:
    liaison = _person(matter.unit, User.Role.LIAISON)
    head = _person(matter.unit, User.Role.HEAD)
    if liaison is None:
        return
    at(answered, 10, lambda: services.matter_save(actor=liaison, matter=matter, answer=text))
    at(answered, 11, lambda: services.matter_step(actor=liaison, matter=matter, action="submit"))
    if head is not None:
        at(
            answered + timedelta(days=1),
            9,
            lambda: services.matter_step(actor=head, matter=matter, action="approve"),
        )


def _on_a_report(leader_user: User | None, today: date) -> int:
    """A city leader's 批示 written on the page of the latest accepted monthly report of a red item (a record
    of the dispatch, through gandang.core.records), two days before the demo's day: assigned to the reporting
    unit at once, not yet answered."""
    if leader_user is None:
        return 0
    report = (
        Report.objects.filter(
            item__status=Status.RED, state=Report.State.ACCEPTED, period__opens_on__lte=today
        )
        .select_related("unit", "item", "period")
        .order_by("-period__year", "-period__month", "item__code")
        .first()
    )
    if report is None:
        return 0
    at(
        today - timedelta(days=2),
        17,
        lambda: services.instruction_write_on(
            actor=leader_user,
            key="dispatch.report",
            record=report,
            text="本月进展仍然滞后，请牵头单位主要负责同志亲自督导，倒排工期，月底前报送推进情况。",
            unit=report.unit,
            deadline=date(today.year, 12, 29),
        ),
    )
    return 1
