"""Every write of the monthly dispatch: periods, reports and their flow, contributions, files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from gandang.core import attachments, audit, clock, limits
from gandang.core import flow as engine
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.dispatch import copies, flow
from gandang.dispatch.models import (
    Attachment,
    Contribution,
    ItemStatus,
    Period,
    Report,
    ReportMilestone,
    ReportRevision,
    ReportStep,
    Status,
)
from gandang.ledger import cycles
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Item, JointLead, Milestone, Plan
from gandang.org.models import User

REPORT_TEXT_FIELDS = ["expected", "progress", "percent", "problems", "next_steps", "coordination"]
# Drafts saved as they are typed: one audit entry per sitting of this length.
AUTOSAVE_AUDIT_WINDOW = timedelta(minutes=30)


@dataclass
class Reached:
    milestone_id: int
    done_date: date
    evidence: str = ""


def default_deadline(year: int, month: int) -> date:
    day = getattr(settings, "GANDANG_REPORT_DEADLINE_DAY", 25)
    return date(year, month, min(day, 28))


def active_items(as_of: date, *, plan: Plan | None = None) -> QuerySet[Item]:
    """Items that report in a period: in the ledger, with a lead unit, started, and not done; those of
    the monthly plans for the city's month (`plan` None), else those of `plan`."""
    scope = Q(plan=plan) if plan is not None else Q(plan__cycle=Cycle.MONTHLY)
    return (
        Item.objects.filter(scope, is_archived=False, lead_unit__isnull=False, plan__is_archived=False)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=as_of))
        .exclude(current_status__status=Status.DONE)
    )


def plan_deadline(plan: Plan, year: int, month: int) -> date:
    """The deadline of `plan`'s span ending in `month` of `year` (its own day, else the city's)."""
    return cycles.deadline_of(plan.cycle, plan.deadlines, year, month)


@transaction.atomic
def period_open(
    *,
    actor: User | None,
    year: int,
    month: int,
    opens_on: date | None = None,
    deadline: date | None = None,
    plan: Plan | None = None,
) -> tuple[Period, int]:
    """Open the city's month (`plan` None) or `plan`'s span ending in `month`, and create one report per
    active item of it; safe to call again.

    Returns the period and how many reports this call created (0 when it was already open).
    """
    if plan is not None and plan.cycle == Cycle.MONTHLY:
        plan = None  # a monthly plan reports in the city's month
    if plan is not None and month not in cycles.SPAN_ENDS[plan.cycle]:
        raise ServiceError(
            gettext("%(cycle)s的方案没有在%(month)d月结束的报送期")
            % {"cycle": plan.get_cycle_display(), "month": month}
        )
    period, created = Period.objects.get_or_create(
        year=year,
        month=month,
        plan=plan,
        defaults={
            "cycle": plan.cycle if plan is not None else Cycle.MONTHLY,
            "opens_on": opens_on
            or date(year, cycles.span_first_month(plan.cycle, month) if plan else month, 1),
            "deadline": deadline
            or (plan_deadline(plan, year, month) if plan is not None else default_deadline(year, month)),
            "opened_by": actor,
        },
    )
    if created:
        audit.record(period, actor=actor, action=AuditEntry.Action.CREATE)
    if period.state != Period.State.OPEN:
        return period, 0
    previous = {r.item_id: r for r in Report.objects.filter(period__in=period.previous_periods())}
    existing = set(Report.objects.filter(period=period).values_list("item_id", flat=True))
    new = []
    for item in active_items(period.last_day, plan=plan).only("id", "lead_unit_id"):
        if item.pk in existing or item.lead_unit_id is None:
            continue
        prev = previous.get(item.pk)
        new.append(
            Report(
                item_id=item.pk,
                period=period,
                unit_id=item.lead_unit_id,
                # Last period's next steps are this one's plan; the rest carries over to be revised.
                expected=prev.next_steps if prev else "",
                percent=prev.percent if prev else None,
                problems=prev.problems if prev else "",
                coordination=prev.coordination if prev else "",
            )
        )
    Report.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return period, len(new)


@transaction.atomic
def period_close(*, actor: User | None, period: Period) -> Period:
    """Close a period: its snapshots are frozen from now on."""
    from gandang.dispatch.engine import snapshot_period

    if period.state == Period.State.CLOSED:
        return period
    snapshot_period(period, as_of=period.last_day)
    before = audit.snapshot(period)
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED, closed_at=clock.now())
    period.refresh_from_db()
    audit.record(period, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="调度期结束")
    return period


def similarity(this: str, last: str) -> float:
    """How much (0–1) of this month's text was already in last month's report (dispatch.copies).

    Sentence order, numbers, punctuation and blanks are ignored; `this` is the new report.
    """
    return copies.similarity(this, last)


def _copy_check(report: Report) -> None:
    prev = Report.objects.filter(item_id=report.item_id, period__in=report.period.previous_periods()).first()
    if prev is None or not report.progress.strip():
        report.similarity, report.is_copy = None, False
        return
    report.similarity = round(similarity(report.text_for_similarity(), prev.text_for_similarity()), 3)
    report.is_copy = report.similarity >= settings.GANDANG_COPY_THRESHOLD


@transaction.atomic
def report_save(
    *,
    actor: User,
    report: Report,
    expected_version: int,
    fields: dict,
    reached: Iterable[Reached] | None = None,
    autosave: bool = False,
) -> Report:
    """The liaison saves the report's text (a draft or a returned report).

    `autosave`: the page saved the draft as it was typed; one sitting leaves one audit entry.
    """
    # Checked on the report as the caller read it, and again as stored only when that refuses (the
    # caller's copy may be older); the UPDATE below checks the stored state and version once more.
    if flow.edit_refusal(actor, report):
        why = flow.edit_refusal(actor, Report.objects.get(pk=report.pk))
        if why:
            raise ServiceError(why)
    if fields.get("percent") is not None and not 0 <= fields["percent"] <= 100:
        raise ServiceError("完成进度应在0到100之间")
    limits.check_lengths(Report, {k: v for k, v in fields.items() if k in REPORT_TEXT_FIELDS})
    reached = list(reached) if reached is not None else None
    for r in reached or []:
        limits.check_lengths(ReportMilestone, {"evidence": r.evidence})
    bumped = Report.objects.filter(
        pk=report.pk, version=expected_version, state__in=flow.EDITABLE_STATES
    ).update(version=F("version") + 1)
    if not bumped:
        why = flow.edit_refusal(actor, Report.objects.get(pk=report.pk))  # submitted meanwhile?
        if why:
            raise ServiceError(why)
        raise StaleEdit("该报告已被他人修改或已提交，您的修改没有保存。请刷新页面后重试。")
    report = Report.objects.select_related("period", "item").get(pk=report.pk)
    before = audit.snapshot(report)
    for name in REPORT_TEXT_FIELDS:
        if name in fields:
            setattr(report, name, fields[name] if fields[name] is not None or name == "percent" else "")
    _copy_check(report)
    report.copy_confirmed = None  # new text: any earlier verdict on a copy flag no longer applies
    report.save()
    if reached is not None:
        _save_reached(report, reached)
    audit.record(
        report,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        merge_within=AUTOSAVE_AUDIT_WINDOW if autosave else None,
    )
    return report


@transaction.atomic
def report_save_and_submit(
    *,
    actor: User,
    report: Report,
    expected_version: int,
    fields: dict,
    reached: Iterable[Reached] | None = None,
) -> Report:
    """Save what is on the liaison's screen and submit it for sign-off, in one transaction.

    The head signs exactly the text the liaison saw when pressing 提交签发; if the step is refused
    (say, 本月进展 is empty) nothing of this call is kept and the refusal is raised.
    """
    report = report_save(
        actor=actor, report=report, expected_version=expected_version, fields=fields, reached=reached
    )
    return report_step(actor=actor, report=report, action="submit")


def submittable(report: Report) -> str | None:
    """Why a draft cannot be submitted as it stands (for the 全部提交 confirmation); None when it can."""
    if report.state not in flow.EDITABLE_STATES:
        return gettext("报告当前状态为“%(state)s”") % {"state": report.get_state_display()}
    if not report.progress.strip():
        return gettext("尚未填写“本月进展”") if report.period.is_monthly else gettext("尚未填写“本期进展”")
    return None


@transaction.atomic
def copy_verdict(*, actor: User, report: Report, confirmed: bool, reason: str = "") -> Report:
    """The office confirms or clears a report's copy flag in review (audited).

    Only a confirmed copy counts against the unit in the annual assessment (unless the scheme's
    indicator says flagged copies count as they are).
    """
    if not actor.is_office:
        raise ServiceError(gettext("只有改革办可以认定是否照抄"))
    report = Report.objects.select_related("item", "period").get(pk=report.pk)
    if not report.is_copy:
        raise ServiceError(gettext("该报告未被标记为疑似照抄"))
    reason = reason.strip()
    if not confirmed and not reason:
        raise ServiceError(gettext("排除照抄标记需要填写理由"))
    limits.check_lengths(AuditEntry, {"reason": reason})
    before = audit.snapshot(report)
    report.copy_confirmed = confirmed
    report.save(update_fields=["copy_confirmed"])
    audit.record(report, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=reason)
    return report


def _save_reached(report: Report, reached: Iterable[Reached]) -> None:
    valid = set(Milestone.objects.filter(item_id=report.item_id).values_list("id", flat=True))
    rows = list(reached)
    for r in rows:
        if r.milestone_id not in valid:
            raise ServiceError("所选时间节点不属于该事项")
        if r.done_date > report.period.last_day + timedelta(days=31):
            raise ServiceError("节点完成日期不能晚于本调度期")
    report.reached.all().delete()
    ReportMilestone.objects.bulk_create(
        [
            ReportMilestone(
                report=report, milestone_id=r.milestone_id, done_date=r.done_date, evidence=r.evidence
            )
            for r in rows
        ]
    )


def _is_late(period: Period, when: datetime) -> bool:
    return timezone.localtime(when).date() > period.deadline


@transaction.atomic
def report_step(
    *,
    actor: User,
    report: Report,
    action: str,
    reason: str = "",
    now: datetime | None = None,
    notify_people: bool = True,
) -> Report:
    """Move a report one step along its flow (submit, approve, send_back, accept, return, reopen)."""
    report = Report.objects.select_related("period", "item").get(pk=report.pk)
    t = engine.check(actor, report, action, flow.FLOW)
    reason = engine.require_reason(t, reason, flow.FLOW)
    limits.check_lengths(ReportStep, {"reason": reason})  # before the update() below, which skips pre_save
    if action == "submit" and not report.progress.strip():
        raise ServiceError(
            "请先填写“本月进展”再提交" if report.period.is_monthly else "请先填写“本期进展”再提交"
        )
    now = now or clock.now()
    target = t.target
    if action == "submit" and not unit_has_head(report.unit_id):
        # A unit without a head account would wait forever: its liaison's submission is its sign-off.
        target = Report.State.SIGNED
        reason = reason or "本单位未设单位负责人账号，提交即视为签发"
    changes: dict = {}
    if action in ("send_back", "return", "reopen"):
        changes["return_reason"] = reason
    if action == "submit":
        changes["return_reason"] = ""
    if target == Report.State.SIGNED and report.submitted_at is None:
        # The report reaches the office when the head signs it off: that is the time that counts.
        changes.update(submitted_at=now, is_late=_is_late(report.period, now), is_missing=False)
    if action == "accept":
        changes["accepted_at"] = now
    if action == "reopen":
        ReportRevision.objects.create(
            report=report,
            revision=report.revision,
            content={k: getattr(report, k) for k in REPORT_TEXT_FIELDS},
            reason=reason,
            actor=actor,
        )
        changes["revision"] = F("revision") + 1
    # A double-clicked or concurrent step is a no-op for the second (refused); the step is recorded.
    engine.move(report, flow.FLOW, action=action, actor=actor, target=target, reason=reason, changes=changes)
    # What is stored for others to read (audit reasons, notices) is written in the product's language,
    # whichever language the actor's screens are in.
    with translation.override(settings.LANGUAGE_CODE):
        if action == "accept":
            _apply_reached(report, actor)
        if notify_people:
            _notify_step(report, action, target, reason)
    return report


def unit_has_head(unit_id: int) -> bool:
    """Whether the unit has an active head account to sign off its reports."""
    return User.objects.filter(unit_id=unit_id, role=User.Role.HEAD, is_active=True).exists()


def _notify_step(report: Report, action: str, target: str, reason: str) -> None:
    """Whoever must act next hears of it: the head when a report awaits sign-off, the liaison when it comes back."""
    what = f"{report.period} {report.item.code} {report.item.title}"
    flow.notify_signoff_step(
        report,
        action,
        target,
        reason,
        key=f"step:{report.pk}:{ReportStep.objects.filter(report=report).count()}",
        to_sign=f"待签发：{what}",
        returned=f"退回：{what}",
        returns=("send_back", "return", "reopen"),
    )


def _apply_reached(report: Report, actor: User) -> None:
    """Milestones an accepted report says were reached are marked done on the ledger (audited)."""
    for r in report.reached.select_related("milestone"):
        ms = r.milestone
        if ms.done_date == r.done_date:
            continue
        before = audit.snapshot(ms)
        ms.done_date = r.done_date
        ms.evidence = r.evidence or ms.evidence
        ms.save(update_fields=["done_date", "evidence"])
        audit.record(
            ms,
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            before=before,
            reason=f"依据{report.period}进展报告",
            scope=report.item,
        )


def reports_step(*, actor: User, reports: Iterable[Report], action: str) -> tuple[int, list[str]]:
    """Take one step on several reports (accept all, submit all, sign all); returns how many moved
    and, for each that did not, why (item and reason)."""
    done, refused = 0, []
    for report in reports:
        try:
            report_step(actor=actor, report=report, action=action)
            done += 1
        except ServiceError as exc:
            refused.append(f"{report.item.code} {report.item.title}：{exc}")
    return done, refused


def contribution_refusal(user: User, report: Report) -> str:
    """Why `user` may not write a unit's part of `report` ("" when they may): only the liaison of one of
    its item's co-units or joint lead units, not of the unit filing it."""
    if user.role != User.Role.LIAISON or not user.unit_id:
        return "只有共同牵头单位或配合单位的联络员可以填写本单位工作情况"
    takes_part = report.item.co_units.filter(pk=user.unit_id).exists() or (
        JointLead.objects.filter(item_id=report.item_id, unit_id=user.unit_id).exists()
    )
    if not takes_part or report.unit_id == user.unit_id:
        return "本单位不是该事项的共同牵头单位或配合单位"
    return ""


@transaction.atomic
def contribution_save(*, actor: User, report: Report, text: str) -> Contribution:
    """A co-unit's or joint lead unit's liaison writes the unit's part of the report the first lead unit
    files (负责汇总报送)."""
    why = contribution_refusal(actor, report)
    if why:
        raise ServiceError(why)
    if report.state == Report.State.ACCEPTED:
        raise ServiceError("报告已审核通过，不能再补充本单位工作情况")
    text = text.strip()
    if not text:
        raise ServiceError("请填写本单位工作情况")
    limits.check_lengths(Contribution, {"text": text})
    contribution, _ = Contribution.objects.update_or_create(
        report=report, unit_id=actor.unit_id, defaults={"text": text, "author": actor}
    )
    return contribution


@transaction.atomic
def no_effect_set(*, actor: User, item: Item, flag: bool, reason: str = "") -> ItemStatus:
    """The office marks (or clears) its judgement "成效不明显" on an item, with a reason."""
    if not actor.is_office:
        raise ServiceError("只有改革办可以认定“成效不明显”")
    reason = reason.strip()
    if flag and not reason:
        raise ServiceError("认定“成效不明显”需要填写理由")
    from gandang.dispatch.engine import recompute_items

    recompute_items(Item.objects.filter(pk=item.pk), today=clock.today())
    st = ItemStatus.objects.get(item=item)
    before = audit.snapshot(st)
    st.no_effect, st.no_effect_reason = flag, reason if flag else ""
    st.save(update_fields=["no_effect", "no_effect_reason"])
    audit.record(st, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=reason, scope=item)
    return st


@transaction.atomic
def attachment_add(*, actor: User, report: Report, upload: UploadedFile) -> Attachment:
    """Attach a file to a report the liaison is filling; the type is checked by content."""
    report = Report.objects.get(pk=report.pk)
    why = flow.edit_refusal(actor, report)
    if why:
        raise ServiceError(why)
    att = attachments.new(Attachment, upload=upload, uploaded_by=actor, report=report)
    att.save()
    audit.record(att, actor=actor, action=AuditEntry.Action.CREATE, scope=report)
    return att


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    """Remove an attachment from a report still being filled (the audit history keeps its name)."""
    report = Report.objects.get(pk=attachment.report_id)
    why = flow.edit_refusal(actor, report)
    if why:
        raise ServiceError(why)
    attachments.remove(attachment, actor=actor, scope=report)
