"""The unit's rectification report on a listing: saved and moved through the sign-off flow (the
one flow engine, gandang.supervision.flow), with evidence attached; the office's acceptance delists
the item (摘牌)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from gandang.core import attachments, audit, clock, limits
from gandang.core import flow as engine
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.dispatch import flow as dispatch_flow
from gandang.dispatch.services import unit_has_head
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.models import User
from gandang.supervision import flow
from gandang.supervision.models import (
    Listing,
    Rectification,
    RectificationAttachment,
    RectificationStep,
)

Kind = Notification.Kind


@transaction.atomic
def rectification_save(
    *, actor: User, rectification: Rectification, data: dict[str, str], version: int | None = None
) -> Rectification:
    """The liaison writes the rectification report while it is a draft or sent back."""
    rect = Rectification.objects.select_related("listing").get(pk=rectification.pk)
    why = flow.edit_refusal(actor, rect)
    if why:
        raise ServiceError(why)
    if not rect.listing.is_open:
        raise ServiceError("该事项已不在督办中")
    if version is not None and version != rect.version:
        raise StaleEdit("整改报告已被他人修改，请刷新页面后重新填写")
    before = audit.snapshot(rect)
    for name in Rectification.TEXT_FIELDS:
        if name in data:
            setattr(rect, name, (data[name] or "").strip())
    rect.version += 1
    rect.save()
    # On the listing's page only: the item page is read by co-units too, who may not see the report.
    audit.record(rect, actor=actor, action=AuditEntry.Action.UPDATE, before=before, scope=rect.listing)
    return rect


@transaction.atomic
def rectification_step(
    *, actor: User, rectification: Rectification, action: str, reason: str = "", now: datetime | None = None
) -> Rectification:
    """One step of the rectification report: submit, approve, send_back, accept (→ delist), return."""
    rect = Rectification.objects.select_related("listing", "listing__item").get(pk=rectification.pk)
    t = engine.check(actor, rect, action, flow.FLOW)
    # Locked: a revocation or escalation racing this step waits, then sees the state it left.
    listing = Listing.objects.select_for_update().select_related("item").get(pk=rect.listing_id)
    rect.listing = listing
    if not listing.is_open:
        raise ServiceError("该事项已不在督办中")
    reason = engine.require_reason(t, reason, flow.FLOW)
    if action == "submit" and not rect.measures.strip():
        raise ServiceError("请先填写“整改措施及成效”再提交")
    # The calendar day of the step: the pinned day (demo) unless the caller dates the step itself.
    on = timezone.localtime(now).date() if now else clock.today()
    now = now or clock.now()
    target = t.target
    if action == "submit" and not unit_has_head(rect.unit_id):
        target = Rectification.State.SIGNED
        reason = reason or "本单位未设单位负责人账号，提交即视为签发"
    changes: dict = {}
    if action in ("send_back", "return"):
        changes["return_reason"] = reason
    if action == "submit":
        changes["return_reason"] = ""
    if target == Rectification.State.SIGNED:
        changes["submitted_at"] = now
    if action == "accept":
        changes["accepted_at"] = now
    before = audit.snapshot(rect)
    engine.move(rect, flow.FLOW, action=action, actor=actor, target=target, reason=reason, changes=changes)
    with translation.override(settings.LANGUAGE_CODE):
        # On the listing's page only, like the report itself.
        audit.record(
            rect,
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            before=before,
            reason=reason or str(t.label),
            scope=listing,
        )
        if action == "accept":
            _delist(listing, actor=actor, note=reason, on=on)
        _notify_rect_step(rect, action, target, reason)
    return rect


def _delist(listing: Listing, *, actor: User, note: str, on: date) -> None:
    limits.check_lengths(Listing, {"close_note": note})
    before = audit.snapshot(listing)
    moved = Listing.objects.filter(pk=listing.pk, state=Listing.State.LISTED).update(
        state=Listing.State.DELISTED, closed_on=on, close_note=note, version=F("version") + 1
    )
    if not moved:  # revoked meanwhile: the whole step is undone
        raise ServiceError(gettext("该事项已不在督办中"))
    listing.refresh_from_db()
    audit.record(
        listing,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason="摘牌",
        scope=listing.item,
    )


def _notify_rect_step(rect: Rectification, action: str, target: str, reason: str) -> None:
    listing = rect.listing
    key = f"rect:{rect.pk}:{RectificationStep.objects.filter(rectification=rect).count()}"
    title = f"{listing.item.code} {listing.item.title}"
    dispatch_flow.notify_signoff_step(
        rect,
        action,
        target,
        reason,
        key=key,
        to_sign=f"整改报告待签发：{title}",
        to_office=f"整改报告待核验：{listing.unit} {title}",
        office_kind=Kind.SUPERVISION,
        returned=f"退回整改报告：{title}",
        reason_label="退回意见",
    )
    if action == "accept":
        notify(
            users=User.objects.filter(
                unit_id=rect.unit_id, is_active=True, role__in=[User.Role.LIAISON, User.Role.HEAD]
            ),
            kind=Kind.SUPERVISION,
            title=f"已摘牌：{title}"[:200],
            body=f"核验意见：{reason}",
            url=rect.get_absolute_url(),
            key=key,
        )


@transaction.atomic
def rectification_attachment_add(
    *, actor: User, rectification: Rectification, upload: UploadedFile
) -> RectificationAttachment:
    rect = Rectification.objects.select_related("listing").get(pk=rectification.pk)
    why = flow.edit_refusal(actor, rect)
    if why:
        raise ServiceError(why)
    if not rect.listing.is_open:
        raise ServiceError(gettext("该事项已不在督办中"))
    att = attachments.new(RectificationAttachment, upload=upload, uploaded_by=actor, rectification=rect)
    att.save()
    audit.record(att, actor=actor, action=AuditEntry.Action.CREATE, scope=rect.listing)
    return att


@transaction.atomic
def rectification_attachment_remove(*, actor: User, attachment: RectificationAttachment) -> None:
    rect = Rectification.objects.select_related("listing").get(pk=attachment.rectification_id)
    why = flow.edit_refusal(actor, rect)
    if why:
        raise ServiceError(why)
    if not rect.listing.is_open:
        raise ServiceError(gettext("该事项已不在督办中"))
    attachments.remove(attachment, actor=actor, scope=rect.listing)
