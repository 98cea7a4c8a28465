"""Writes of the partners' uses (两办两研采用): a partner's reader records where its unit used an adopted
piece; the reader withdraws it within USE_WITHDRAW_HOURS, the office at any time, or corrects it.
Each write is atomic with its audit entry; a use is never deleted."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from gandang.core import audit, clock
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.information.models import USE_WITHDRAW_HOURS, PartnerUse, Piece
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import is_office, require_office
from gandang.org.models import User

# The publications the four offices usually print information in, offered as suggestions; any name goes.
SUGGESTED_PUBLICATIONS = ["市委信息", "政务信息", "调研参考", "决策参考", "每日要情", "专报"]


def _clean(piece: Piece, publication: str, used_on: date | None, note: str) -> tuple[str, date, str]:
    publication = (publication or "").strip().strip("《》").strip()
    note = (note or "").strip()
    if not publication:
        raise ServiceError(gettext("请填写采用刊物"))
    if len(publication) > 60:
        raise ServiceError(gettext("采用刊物名称不能超过60字"))
    if len(note) > 300:
        raise ServiceError(gettext("备注不能超过300字"))
    if used_on is None:
        raise ServiceError(gettext("请填写采用日期"))
    if used_on > clock.today():
        raise ServiceError(gettext("采用日期不能晚于今天"))
    if piece.adopted_at and used_on < timezone.localdate(piece.adopted_at):
        raise ServiceError(gettext("采用日期不能早于改革办采用该信息的日期"))
    return publication, used_on, note


def record_refusal(user: User, piece: Piece) -> str | None:
    """Why `user` may not record a use of `piece` now (None when they may)."""
    if not (user.is_authenticated and user.is_active and user.is_partner and user.unit_id):
        return gettext("只有“两办两研”协同单位读者可以登记采用")
    if piece.state != Piece.State.ADOPTED:
        return gettext("只能登记改革办已采用的信息")
    return None


def withdraw_refusal(user: User, use: PartnerUse) -> str | None:
    """Why `user` may not withdraw `use` (None when they may): the reader who recorded it, within
    WITHDRAW_HOURS; the office at any time."""
    if use.is_withdrawn:
        return gettext("该采用记录已撤回")
    if is_office(user):
        return None
    if use.created_by_id != user.pk:
        return gettext("只能撤回本人登记的采用记录")
    if clock.now() - use.created_at > timedelta(hours=USE_WITHDRAW_HOURS):
        return gettext("登记已超过%(h)d小时，不能自行撤回，请联系改革办更正") % {"h": USE_WITHDRAW_HOURS}
    return None


@transaction.atomic
def use_record(
    *, actor: User, piece: Piece, publication: str, used_on: date | None, note: str = ""
) -> PartnerUse:
    """A partner's reader records that its unit used `piece` in `publication` on `used_on`; the piece's unit
    is told. The same piece in the same publication of the same partner counts once."""
    p = Piece.objects.select_for_update().select_related("unit").get(pk=piece.pk)
    why = record_refusal(actor, p)
    if why:
        raise ServiceError(why)
    partner_id: int = actor.unit_id  # type: ignore[assignment]  # known once the refusal check passed
    publication, used_on, note = _clean(p, publication, used_on, note)
    dup = gettext("本单位已登记该信息被《%(pub)s》采用") % {"pub": publication}
    if PartnerUse.objects.filter(
        piece=p, unit_id=partner_id, publication=publication, withdrawn_at=None
    ).exists():
        raise ServiceError(dup)
    try:
        with transaction.atomic():
            use = PartnerUse.objects.create(
                piece=p,
                unit_id=partner_id,
                publication=publication,
                used_on=used_on,
                note=note,
                created_by=actor,
            )
    except IntegrityError:  # recorded at the same moment by a colleague
        raise ServiceError(dup) from None
    audit.record(use, actor=actor, action=AuditEntry.Action.CREATE)
    notify(
        users=User.objects.filter(unit_id=p.unit_id, role__in=[User.Role.LIAISON, User.Role.HEAD]),
        kind=Notification.Kind.INFORMATION,
        title=f"改革信息被{actor.unit}《{publication}》采用：{p.title}"[:200],
        url=use.get_absolute_url(),
        key=f"information:use:{use.pk}",
    )
    return use


@transaction.atomic
def use_withdraw(*, actor: User, use: PartnerUse, reason: str = "") -> PartnerUse:
    """Withdraw a use: it stays on record, marked, and no longer counts. The office gives a reason."""
    u = PartnerUse.objects.select_for_update().get(pk=use.pk)
    why = withdraw_refusal(actor, u)
    if why:
        raise ServiceError(why)
    reason = (reason or "").strip()
    if is_office(actor) and u.created_by_id != actor.pk and not reason:
        raise ServiceError(gettext("请填写撤回原因"))
    if len(reason) > 300:
        raise ServiceError(gettext("撤回原因不能超过300字"))
    before = audit.snapshot(u)
    u.withdrawn_at, u.withdrawn_by, u.withdraw_reason = clock.now(), actor, reason
    u.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    audit.record(u, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="撤回")
    return u


@transaction.atomic
def use_correct(
    *, actor: User, use: PartnerUse, publication: str, used_on: date | None, note: str, reason: str
) -> PartnerUse:
    """The office corrects a use a partner recorded (the publication's name, the day, the note), with a reason."""
    require_office(actor)
    u = PartnerUse.objects.select_for_update().select_related("piece").get(pk=use.pk)
    if u.is_withdrawn:
        raise ServiceError(gettext("该采用记录已撤回"))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(gettext("请填写更正原因"))
    publication, used_on, note = _clean(u.piece, publication, used_on, note)
    if (
        PartnerUse.objects.filter(
            piece_id=u.piece_id, unit_id=u.unit_id, publication=publication, withdrawn_at=None
        )
        .exclude(pk=u.pk)
        .exists()
    ):
        raise ServiceError(gettext("该单位已登记该信息被《%(pub)s》采用") % {"pub": publication})
    before = audit.snapshot(u)
    u.publication, u.used_on, u.note = publication, used_on, note
    u.save(update_fields=["publication", "used_on", "note"])
    audit.record(
        u, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=f"更正：{reason}"[:300]
    )
    return u
