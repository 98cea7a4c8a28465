"""Every write of achievements: experiences and their flow, promotions, pilots and their lifecycle, honors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from gandang.achievements.flow import EXPERIENCE_FLOW, PILOT_FLOW
from gandang.achievements.models import (
    Experience,
    ExperienceAttachment,
    Honor,
    Outlet,
    Pilot,
    PilotStep,
    Promotion,
)
from gandang.core import attachments, audit, clock, uploads
from gandang.core import flow as engine
from gandang.core.attachments import AttachmentBase
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.ledger.models import Item
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import Unit, User

S = Experience.State


# ---------------------------------------------------------------- experiences


@dataclass
class ExperienceInput:
    title: str
    summary: str
    body: str
    units: list[Unit]
    items: list[Item]


def _check_input(data: ExperienceInput) -> None:
    if not data.title.strip():
        raise ServiceError("请填写标题")
    if not data.summary.strip():
        raise ServiceError("请填写摘要")
    if not data.body.strip():
        raise ServiceError("请填写正文")
    if not data.units:
        raise ServiceError("请选择报送单位")


def can_edit(user: User, exp: Experience) -> bool:
    """The unit's liaison while it is a draft or returned; the office until it is published."""
    if user.is_office:
        return exp.state != S.PUBLISHED
    if user.role == User.Role.LIAISON and user.unit_id:
        return exp.state in (S.DRAFT, S.RETURNED) and exp.units.filter(pk=user.unit_id).exists()
    return False


@transaction.atomic
def experience_create(*, actor: User, data: ExperienceInput) -> Experience:
    """A liaison drafts an experience of its unit (the unit is always among its units); the office any."""
    if not (actor.is_office or (actor.role == User.Role.LIAISON and actor.unit_id)):
        raise ServiceError("只有单位联络员或改革办可以填报经验做法")
    units = list(data.units)
    if not actor.is_office and actor.unit_id is not None and actor.unit_id not in {u.pk for u in units}:
        units.append(Unit.objects.get(pk=actor.unit_id))
    data.units = units
    _check_input(data)
    exp = Experience.objects.create(
        title=data.title.strip(), summary=data.summary.strip(), body=data.body.strip(), created_by=actor
    )
    exp.units.set(units)
    exp.items.set(data.items)
    audit.record(exp, actor=actor, action=AuditEntry.Action.CREATE)
    return exp


@transaction.atomic
def experience_update(
    *, actor: User, experience: Experience, data: ExperienceInput, version: int
) -> Experience:
    exp = Experience.objects.select_for_update().get(pk=experience.pk)
    if not can_edit(actor, exp):
        raise ServiceError("当前状态下不能修改该经验做法")
    if exp.version != version:
        raise StaleEdit("该经验做法已被他人修改，请刷新页面后重新编辑")
    if not actor.is_office and actor.unit_id not in {u.pk for u in data.units}:
        raise ServiceError("报送单位须包含本单位")
    _check_input(data)
    before = audit.snapshot(exp)
    exp.title, exp.summary, exp.body = data.title.strip(), data.summary.strip(), data.body.strip()
    exp.version += 1
    exp.save()
    exp.units.set(data.units)
    exp.items.set(data.items)
    audit.record(exp, actor=actor, action=AuditEntry.Action.UPDATE, before=before)
    return exp


@transaction.atomic
def experience_step(*, actor: User, experience: Experience, action: str, reason: str = "") -> Experience:
    """Submit (unit), return with a reason, adopt, publish to the showcase, unpublish (office)."""
    exp = Experience.objects.select_related("created_by").get(pk=experience.pk)
    step = engine.check(actor, exp, action, EXPERIENCE_FLOW)
    reason = engine.require_reason(step, reason, EXPERIENCE_FLOW)
    today = clock.today()
    changes: dict[str, Any] = {}
    if action == "submit":
        changes.update(submitted_on=today, return_reason="")
    elif action == "return":
        changes["return_reason"] = reason[:500]
    elif action == "adopt":
        changes["adopted_on"] = today
    elif action == "publish":
        changes["published_on"] = today
    before = audit.snapshot(exp)
    engine.move(exp, EXPERIENCE_FLOW, action=action, actor=actor, changes=changes)
    with translation.override(settings.LANGUAGE_CODE):
        audit.record(
            exp, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=reason or str(step.label)
        )
        _notify_step(exp, action, reason)
    return exp


def _notify_step(exp: Experience, action: str, reason: str) -> None:
    if action == "submit":
        users = User.objects.filter(role=User.Role.OFFICE, is_active=True)
        title = f"经验做法待审核：{exp.title}"
    elif action in ("return", "adopt", "publish"):
        users = User.objects.filter(unit__in=exp.units.all(), role=User.Role.LIAISON, is_active=True)
        word = {"return": "被退回", "adopt": "已被采用", "publish": "已在“敢当”经验专栏公开"}[action]
        title = f"经验做法{word}：{exp.title}"
    else:
        return
    notify(
        users=users,
        kind="other",
        title=title[:200],
        body=f"退回原因：{reason}" if action == "return" else "",
        url=exp.get_absolute_url(),
        key=f"experience:{exp.pk}:{action}:v{exp.version}",
    )


@transaction.atomic
def attachment_add(*, actor: User, experience: Experience, upload: UploadedFile) -> ExperienceAttachment:
    exp = Experience.objects.get(pk=experience.pk)
    if not can_edit(actor, exp):
        raise ServiceError("当前状态下不能修改该经验做法")
    att = attachments.new(ExperienceAttachment, upload=upload, uploaded_by=actor, experience=exp)
    att.save()
    audit.record(att, actor=actor, action=AuditEntry.Action.CREATE, scope=exp)
    return att


@transaction.atomic
def attachments_carry(
    *, actor: User, experience: Experience, sources: list[AttachmentBase], reason: str
) -> list[ExperienceAttachment]:
    """Copies of another record's attachments kept as the experience's own (the photos of a piece of
    information raised into it), each under its uploader's name, in the experience's history with
    `reason`. Every file is checked readable before any is copied: none or all are carried."""
    exp = Experience.objects.get(pk=experience.pk)
    if not can_edit(actor, exp):
        raise ServiceError("当前状态下不能修改该经验做法")
    for src in sources:
        if not src.file or not src.file.storage.exists(src.file.name):
            raise ServiceError(
                gettext("附件“%(name)s”的文件已无法读取，请先删除该附件后重试") % {"name": src.name}
            )
    carried = []
    for src in sources:
        att = attachments.copy(src, ExperienceAttachment, uploaded_by=src.uploaded_by, experience=exp)
        att.save()
        audit.record(att, actor=actor, action=AuditEntry.Action.CREATE, scope=exp, reason=reason)
        carried.append(att)
    return carried


@transaction.atomic
def attachment_remove(*, actor: User, attachment: ExperienceAttachment) -> None:
    exp = Experience.objects.get(pk=attachment.experience_id)
    if not can_edit(actor, exp):
        raise ServiceError("当前状态下不能修改该经验做法")
    attachments.remove(attachment, actor=actor, scope=exp)


# ---------------------------------------------------------------- promotions


@transaction.atomic
def promotion_add(
    *,
    actor: User,
    experience: Experience,
    outlet: Outlet,
    on: date,
    reference: str = "",
    note: str = "",
    scan: UploadedFile | None = None,
) -> Promotion:
    """The office records where an adopted experience was published or promoted (the level is the outlet's)."""
    require_office(actor)
    # Locked so that a double submit waits here and then finds the first one's record.
    exp = Experience.objects.select_for_update().get(pk=experience.pk)
    if exp.state not in (S.ADOPTED, S.PUBLISHED):
        raise ServiceError("经验做法被采用后才能登记刊发推广")
    if on > clock.today():
        raise ServiceError("刊发日期不能晚于今天")
    if not outlet.is_active:
        raise ServiceError("该刊发载体已停用")
    reference = reference.strip()[:300]
    if Promotion.objects.filter(experience=exp, outlet=outlet, date=on, reference=reference).exists():
        raise ServiceError(gettext("该刊发记录已登记"))
    p = Promotion(
        experience=exp,
        outlet=outlet,
        level_id=outlet.level_id,
        date=on,
        reference=reference,
        note=note.strip()[:300],
        recorded_by=actor,
    )
    if scan is not None:
        p.scan_name, p.scan_type = uploads.store(p.scan, scan)
    p.save()
    audit.record(p, actor=actor, action=AuditEntry.Action.CREATE, scope=exp)
    return p


@transaction.atomic
def promotion_remove(*, actor: User, promotion: Promotion, reason: str) -> None:
    """A promotion recorded in error is removed with a reason; the audit history keeps what it was."""
    require_office(actor)
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写删除理由")
    audit.record(
        promotion,
        actor=actor,
        action=AuditEntry.Action.DELETE,
        before=audit.snapshot(promotion),
        after={},
        reason=reason,
        scope=promotion.experience,
    )
    if promotion.scan:
        promotion.scan.delete(save=False)
    promotion.delete()


# ---------------------------------------------------------------- pilots

P = Pilot.State


@dataclass
class PilotInput:
    name: str
    level: str
    granted_by: str
    lead_unit: Unit
    description: str
    items: list[Item]


@transaction.atomic
def pilot_create(*, actor: User, data: PilotInput, state: str = P.APPLIED, on: date | None = None) -> Pilot:
    """Record a pilot, at whatever stage it already is (a pilot undertaken before Gandang starts as 已承接)."""
    require_office(actor)
    if not data.name.strip() or not data.granted_by.strip():
        raise ServiceError("请填写试点名称和批准部门")
    if state not in (P.APPLIED, P.UNDERTAKEN):
        raise ServiceError("新登记的试点应为“已申报”或“已承接”")
    on = on or clock.today()
    if on > clock.today():
        raise ServiceError(gettext("日期不能晚于今天"))
    pilot = Pilot.objects.create(
        name=data.name.strip(),
        level=data.level,
        granted_by=data.granted_by.strip(),
        lead_unit=data.lead_unit,
        description=data.description.strip(),
        state=state,
        applied_on=on if state == P.APPLIED else None,
        undertaken_on=on if state == P.UNDERTAKEN else None,
        created_by=actor,
    )
    pilot.items.set(data.items)
    PilotStep.objects.create(pilot=pilot, to_state=state, on=on, actor=actor, note="登记")
    audit.record(pilot, actor=actor, action=AuditEntry.Action.CREATE)
    return pilot


@transaction.atomic
def pilot_update(*, actor: User, pilot: Pilot, data: PilotInput, version: int) -> Pilot:
    require_office(actor)
    p = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if p.version != version:
        raise StaleEdit("该试点已被他人修改，请刷新页面后重新编辑")
    before = audit.snapshot(p)
    p.name, p.level, p.granted_by = data.name.strip(), data.level, data.granted_by.strip()
    p.lead_unit, p.description = data.lead_unit, data.description.strip()
    p.version += 1
    p.save()
    p.items.set(data.items)
    audit.record(p, actor=actor, action=AuditEntry.Action.UPDATE, before=before)
    return p


@transaction.atomic
def pilot_advance(
    *, actor: User, pilot: Pilot, to: str, on: date, note: str = "", document: UploadedFile | None = None
) -> Pilot:
    """Move a pilot one step on (承接, 推进, 评估验收, 通过/未通过), with the date and the document behind it."""
    require_office(actor)
    p = Pilot.objects.get(pk=pilot.pk)
    engine.check(actor, p, to, PILOT_FLOW)
    if on > clock.today():
        raise ServiceError("日期不能晚于今天")
    last = p.steps.order_by("-on", "-id").first()
    if last and on < last.on:
        raise ServiceError(f"日期不能早于上一步（{last.on:%Y-%m-%d}）")
    if to in (P.PASSED, P.FAILED) and p.state == P.EVALUATING and document is None:
        raise ServiceError("请上传评估验收结果文件")
    step = PilotStep(pilot=p, from_state=p.state, to_state=to, on=on, note=note.strip()[:500], actor=actor)
    if document is not None:
        step.document_name, step.document_type = uploads.store(step.document, document)
    before = audit.snapshot(p)
    changes: dict[str, Any] = {}
    if to == P.UNDERTAKEN:
        changes["undertaken_on"] = on
    if to in (P.PASSED, P.FAILED) and p.state == P.EVALUATING:
        changes["evaluated_on"] = on
    engine.move(p, PILOT_FLOW, action=to, actor=actor, changes=changes)
    step.save()
    with translation.override(settings.LANGUAGE_CODE):  # stored: in the product's language
        audit.record(p, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=note or str(step))
    return p


# ---------------------------------------------------------------- honors


@dataclass
class HonorInput:
    name: str
    level: str
    unit: Unit
    granted_by: str
    on: date
    note: str
    items: list[Item]


@transaction.atomic
def honor_create(*, actor: User, data: HonorInput, evidence: UploadedFile | None = None) -> Honor:
    require_office(actor)
    if not data.name.strip():
        raise ServiceError("请填写荣誉名称")
    if data.on > clock.today():
        raise ServiceError("获得日期不能晚于今天")
    # Locked so that a double submit waits here and then finds the first one's record.
    Unit.objects.select_for_update().filter(pk=data.unit.pk).first()
    if Honor.objects.filter(name=data.name.strip(), unit=data.unit, date=data.on).exists():
        raise ServiceError(gettext("该荣誉已登记"))
    h = Honor(
        name=data.name.strip(),
        level=data.level,
        unit=data.unit,
        granted_by=data.granted_by.strip(),
        date=data.on,
        note=data.note.strip()[:500],
        recorded_by=actor,
    )
    if evidence is not None:
        h.evidence_name, h.evidence_type = uploads.store(h.evidence, evidence)
    h.save()
    h.items.set(data.items)
    audit.record(h, actor=actor, action=AuditEntry.Action.CREATE)
    return h


@transaction.atomic
def honor_remove(*, actor: User, honor: Honor, reason: str) -> None:
    require_office(actor)
    if not reason.strip():
        raise ServiceError("请填写删除理由")
    audit.record(
        honor,
        actor=actor,
        action=AuditEntry.Action.DELETE,
        before=audit.snapshot(honor),
        after={},
        reason=reason,
    )
    if honor.evidence:
        honor.evidence.delete(save=False)
    honor.items.clear()
    honor.delete()
