"""Every write of the annual assessment: runs, finalizing, manual scores, objections, the results notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext

from gandang.assessment import rules
from gandang.assessment.models import (
    Indicator,
    ManualScore,
    Objection,
    Run,
    Scheme,
    ScoreLine,
    UnitResult,
    grade_for,
)
from gandang.assessment.records import Records, gather
from gandang.core import audit, clock
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.documents.models import DocumentKind
from gandang.documents.services import number_format, number_next
from gandang.documents.structure import document_to_data
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import Unit, User


def issued_notice(scheme: Scheme) -> Run | None:
    """The run of `scheme` whose results notice has been issued, if any: the scheme's result is then
    published, and no new run may change it."""
    return scheme.runs.exclude(notice_doc_number="").order_by("-number").first()


def scheme_config(scheme: Scheme, indicators: list[Indicator]) -> dict:
    """The scheme as the run saw it: kept with the run so an edited scheme never rewrites old results."""
    return {
        "year": scheme.year,
        "name": scheme.name,
        "grades": scheme.grades,
        "objection_days": scheme.objection_days,
        "indicators": [
            {
                "id": i.pk,
                "name": i.name,
                "rule": i.rule,
                "unit_kinds": list(i.unit_kinds),
                "max_points": str(i.max_points),
                "params": i.params,
                "green_channel": i.green_channel,
                "order": i.order,
            }
            for i in indicators
        ],
    }


def assessed_units(indicators: list[Indicator]) -> list[Unit]:
    kinds = {k for i in indicators for k in i.unit_kinds}
    return list(Unit.objects.filter(is_active=True, kind__in=kinds).order_by("sort_order", "name", "id"))


def rank(totals: list[tuple[int, Decimal]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by total, highest first."""
    ordered = sorted(totals, key=lambda t: -t[1])
    out: dict[int, int] = {}
    for pos, (unit_id, total) in enumerate(ordered, start=1):
        prev = ordered[pos - 2] if pos > 1 else None
        out[unit_id] = out[prev[0]] if prev is not None and prev[1] == total else pos
    return out


@dataclass
class Scored:
    """A unit's outcome on each indicator of its kind, its totals and its rank among units of its kind."""

    unit: Unit
    outcomes: list[tuple[Indicator, rules.Outcome]]
    base: Decimal = Decimal("0")
    green: Decimal = Decimal("0")
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return self.base + self.green


def score_units(indicators: list[Indicator], rec: Records) -> list[Scored]:
    """Score every active unit the indicators apply to on each indicator of its kind, from `rec` alone,
    and rank units of a kind by total: the annual run's computation and the monthly standing's.
    Explanations are in the active language (the callers store them in the product's)."""
    specs = [(i, rules.IndicatorSpec.of(i)) for i in indicators]
    out: list[Scored] = []
    for unit in assessed_units(indicators):
        sc = Scored(unit=unit, outcomes=[])
        for ind, spec in specs:
            if unit.kind not in ind.unit_kinds:
                continue
            outcome = rules.score(spec, unit.pk, rec)
            sc.outcomes.append((ind, outcome))
            if ind.green_channel:
                sc.green += outcome.points
            else:
                sc.base += outcome.points
        out.append(sc)
    totals: dict[str, list[tuple[int, Decimal]]] = {}
    for sc in out:
        totals.setdefault(sc.unit.kind, []).append((sc.unit.pk, sc.total))
    ranks = {uid: r for kind_totals in totals.values() for uid, r in rank(kind_totals).items()}
    for sc in out:
        sc.rank = ranks[sc.unit.pk]
    return out


def line_fields(ind: Indicator, out: rules.Outcome) -> dict:
    """A line's copy of its indicator and its outcome (`PointsLine`'s fields)."""
    return {
        "indicator_name": ind.name,
        "rule": ind.rule,
        "max_points": ind.max_points,
        "green_channel": ind.green_channel,
        "order": ind.order,
        "points": out.points,
        "explanation": out.explanation,
        "evidence": out.evidence,
    }


@transaction.atomic
def run_compute(*, actor: User | None, scheme: Scheme, note: str = "") -> Run:
    """Score every unit the scheme applies to on every indicator of its kind; a new run, old runs kept.

    Deterministic: the same records give the same lines, totals, ranks and grades.
    """
    if actor is not None:  # None: the platform itself (a command), not a person
        require_office(actor)
    if scheme.purpose == Scheme.Purpose.STANDING:
        raise ServiceError(gettext("月度晾晒方案按调度期计算，请在“月度晾晒”中计算"))
    Scheme.objects.select_for_update().filter(pk=scheme.pk).first()  # one run number at a time
    issued = issued_notice(scheme)
    if issued is not None:
        # There is no correction path for a published result: a correction is a separate document.
        raise ServiceError(
            gettext("该方案的考核结果已印发通报（%(n)s），不能重新计算；如需更正，请另行发文更正考核结果")
            % {"n": issued.notice_doc_number}
        )
    indicators = list(scheme.indicators.order_by("order", "id"))
    if not indicators:
        raise ServiceError("该方案还没有考核指标，请先在配置管理中添加指标")
    number = (scheme.runs.aggregate(n=Max("number"))["n"] or 0) + 1
    run = Run.objects.create(
        scheme=scheme,
        number=number,
        config=scheme_config(scheme, indicators),
        note=note,
        computed_at=clock.now(),
        computed_by=actor,
    )
    lines, results = [], []
    with translation.override(settings.LANGUAGE_CODE):
        scored = score_units(indicators, gather(scheme))
    for sc in scored:
        lines += [
            ScoreLine(run=run, unit=sc.unit, indicator=ind, **line_fields(ind, out))
            for ind, out in sc.outcomes
        ]
        results.append(
            UnitResult(
                run=run,
                unit=sc.unit,
                unit_kind=sc.unit.kind,
                unit_name=sc.unit.name,
                base=sc.base,
                green=sc.green,
                total=sc.total,
                rank=sc.rank,
                grade=grade_for(scheme.grades, sc.total),
            )
        )
    ScoreLine.objects.bulk_create(lines, batch_size=500)
    UnitResult.objects.bulk_create(results, batch_size=500)
    audit.record(run, actor=actor, action=AuditEntry.Action.CREATE, reason=note)
    return run


def _unit_people(unit_ids) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, unit_id__in=list(unit_ids), role__in=[User.Role.LIAISON, User.Role.HEAD]
        )
    )


@transaction.atomic
def run_finalize(*, actor: User, run: Run) -> Run:
    """Freeze the run as the result of the year; units may object within the scheme's window from today."""
    require_office(actor)
    run = Run.objects.select_for_update().select_related("scheme").get(pk=run.pk)
    if run.is_final:
        raise ServiceError("该次计算已定稿")
    if run.scheme.state != Scheme.State.ACTIVE:
        raise ServiceError("考核方案尚未启用，不能定稿")
    newer = run.scheme.runs.filter(number__gt=run.number).exists()
    if newer:
        raise ServiceError("该方案已有更新的计算结果，请对最新一次计算定稿")
    before = audit.snapshot(run)
    run.state, run.finalized_at, run.finalized_by = Run.State.FINALIZED, clock.now(), actor
    run.save(update_fields=["state", "finalized_at", "finalized_by"])
    audit.record(run, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="定稿")
    deadline = run.objection_deadline
    notify(
        users=_unit_people(run.results.values_list("unit_id", flat=True)),
        kind="other",
        title=f"{run.scheme.name}考核结果已定稿",
        body=f"请查看本单位得分明细；如有异议，请于{deadline:%Y年%m月%d日}前提出。" if deadline else "",
        url=run.get_absolute_url(),
        key=f"assessment-run:{run.pk}",
    )
    return run


@transaction.atomic
def manual_add(
    *, actor: User, scheme: Scheme, unit: Unit, indicator: Indicator, points: Decimal, justification: str
) -> ManualScore:
    """Award or deduct points by judgement; the justification is required and shown on the unit's sheet."""
    require_office(actor)
    if indicator.scheme_id != scheme.pk or indicator.rule != Indicator.Rule.MANUAL:
        raise ServiceError("请选择本方案中“评定加减分”类的指标")
    if unit.kind not in indicator.unit_kinds:
        raise ServiceError(f"指标“{indicator.name}”不适用于{unit.get_kind_display()}")
    if not justification.strip():
        raise ServiceError("请填写评定理由")
    m = ManualScore.objects.create(
        scheme=scheme,
        unit=unit,
        indicator=indicator,
        points=points,
        justification=justification.strip(),
        by=actor,
    )
    audit.record(m, actor=actor, action=AuditEntry.Action.CREATE, scope=scheme)
    return m


@transaction.atomic
def manual_void(*, actor: User, manual: ManualScore, reason: str) -> ManualScore:
    """Withdraw a manual score (kept, marked void, with the reason); runs already computed keep it."""
    require_office(actor)
    if not reason.strip():
        raise ServiceError("请填写作废理由")
    if manual.is_void:
        raise ServiceError("该评定已作废")
    before = audit.snapshot(manual)
    manual.is_void, manual.void_reason = True, reason.strip()
    manual.save(update_fields=["is_void", "void_reason"])
    audit.record(
        manual,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason=reason,
        scope=manual.scheme,
    )
    return manual


@transaction.atomic
def objection_file(*, actor: User, run: Run, unit: Unit, line: ScoreLine | None, text: str) -> Objection:
    """A unit's objection to its sheet, within the window after the run was finalized."""
    if not (actor.is_unit_member and actor.unit_id == unit.pk):
        raise ServiceError("只有本单位联络员或负责人可以对本单位得分提出异议")
    if not run.is_final:
        raise ServiceError("考核结果定稿后方可提出异议")
    if not run.objection_open(clock.today()):
        raise ServiceError(f"异议期已于{run.objection_deadline:%Y年%m月%d日}结束")
    if line is not None and (line.run_id != run.pk or line.unit_id != unit.pk):
        raise ServiceError("请选择本单位的得分项")
    if not text.strip():
        raise ServiceError("请填写异议内容")
    o = Objection.objects.create(run=run, unit=unit, line=line, text=text.strip(), filed_by=actor)
    audit.record(o, actor=actor, action=AuditEntry.Action.CREATE, scope=run)
    notify(
        users=User.objects.filter(is_active=True, role=User.Role.OFFICE),
        kind="other",
        title=f"{unit}对{run.scheme.name}考核结果提出异议",
        body=text.strip()[:200],
        url=o.get_absolute_url(),
        key=f"assessment-objection:{o.pk}",
    )
    return o


@transaction.atomic
def objection_answer(
    *,
    actor: User,
    objection: Objection,
    state: str,
    answer: str,
    manual_points: Decimal | None = None,
    rerun: bool = False,
) -> Objection:
    """Answer an objection. Upholding it may add a manual adjustment and re-run the scheme (a new run;
    the run objected to stays as it was)."""
    require_office(actor)
    o = (
        # Lock only the objection's row: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join to `line`.
        Objection.objects.select_for_update(of=("self",))
        .select_related("run__scheme", "line", "unit")
        .get(pk=objection.pk)
    )
    if o.state != Objection.State.OPEN:
        raise ServiceError("该异议已答复")
    if state not in (Objection.State.ANSWERED, Objection.State.UPHELD, Objection.State.REJECTED):
        raise ServiceError("请选择答复结果")
    if not answer.strip():
        raise ServiceError("请填写答复意见")
    changes = manual_points is not None or rerun
    if changes and state != Objection.State.UPHELD:
        raise ServiceError("只有异议成立时才调整分数或重新计算")
    scheme = o.run.scheme
    if manual_points is not None:
        if o.line is None or o.line.rule != Indicator.Rule.MANUAL:
            raise ServiceError("只能对“评定加减分”类指标直接调整分数；其他指标请更正原始记录后重新计算")
        manual_add(
            actor=actor,
            scheme=scheme,
            unit=o.unit,
            indicator=o.line.indicator,
            points=manual_points,
            justification=f"异议调整：{answer.strip()}"[:500],
        )
    before = audit.snapshot(o)
    o.state, o.answer, o.answered_by, o.answered_at = state, answer.strip(), actor, clock.now()
    if changes:
        o.rerun = run_compute(actor=actor, scheme=scheme, note=f"因{o.unit}异议重新计算")
    o.save()
    audit.record(o, actor=actor, action=AuditEntry.Action.UPDATE, before=before, scope=o.run)
    with translation.override(settings.LANGUAGE_CODE):  # stored: the product's language, not the actor's
        notify(
            users=[o.filed_by],
            kind="other",
            title=f"改革办已答复{o.unit}的考核异议：{o.get_state_display()}",
            body=o.answer[:200],
            url=o.get_absolute_url(),
            key=f"assessment-objection-answer:{o.pk}",
        )
    return o


@transaction.atomic
def notice_issue(*, actor: User, run: Run, issued_on: date | None = None) -> Run:
    """Issue the results notice (考核结果通报) of a finalized run: take a document number, freeze the text."""
    from gandang.assessment.notice import notice_document

    require_office(actor)
    run = Run.objects.select_for_update().select_related("scheme").get(pk=run.pk)
    if not run.is_final:
        raise ServiceError("考核结果定稿后才能印发通报")
    if run.notice_doc_number:
        raise ServiceError(f"该次考核结果已印发通报：{run.notice_doc_number}")
    if run.objections.filter(state=Objection.State.OPEN).exists():
        raise ServiceError("尚有未答复的异议，请答复后再印发通报")
    newer = (
        run.scheme.runs.filter(number__gt=run.number, state=Run.State.FINALIZED).order_by("-number").first()
    )
    if newer is not None:  # the result is the latest finalized run: only it is announced
        raise ServiceError(
            gettext("考核结果以已定稿的第%(n)s次计算为准，请对该次计算印发通报") % {"n": newer.number}
        )
    today = clock.today()
    on = issued_on or today
    if on > today:
        raise ServiceError(gettext("印发日期不能晚于今天"))
    # Not before the result was finalized. (With a pinned calendar, a demo, the run is finalized at the
    # real time, after the pinned today: the earliest day is then today.)
    finalized_on = min(timezone.localdate(run.finalized_at), today) if run.finalized_at else None
    if finalized_on is not None and on < finalized_on:
        raise ServiceError(
            gettext("印发日期不能早于考核结果定稿日期（%(d)s）") % {"d": f"{finalized_on:%Y-%m-%d}"}
        )
    number = number_next(kind=DocumentKind.ASSESSMENT, year=on.year)
    doc_number = number_format(kind=DocumentKind.ASSESSMENT, year=on.year, number=number)
    with translation.override(settings.LANGUAGE_CODE):  # the notice is stored: the product's language
        doc = notice_document(run, on=on, doc_number=doc_number)
        content = document_to_data(doc)
    before = audit.snapshot(run)
    run.notice_number, run.notice_doc_number, run.notice_issued_on = number, doc_number, on
    run.notice_content = content
    run.save(update_fields=["notice_number", "notice_doc_number", "notice_issued_on", "notice_content"])
    audit.record(run, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="印发考核结果通报")
    notify(
        users=User.objects.filter(
            is_active=True, role__in=[User.Role.LIAISON, User.Role.HEAD, User.Role.LEADER]
        ),
        kind="other",
        title=f"{doc_number}《{doc.title}》已印发",
        url=run.get_absolute_url(),
        key=f"assessment-notice:{run.pk}",
    )
    return run
