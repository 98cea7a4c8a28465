"""Every write of reform information and the periodical: a unit's piece and its sign-off, the office's
edit, 采用 or return, raising a piece into an experience, and compiling, ordering and issuing an issue of
the periodical. Each write is atomic with its audit entry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext

from gandang.achievements import services as achievements
from gandang.achievements.models import Experience
from gandang.core import attachments, audit, clock
from gandang.core import flow as engine
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.dispatch import flow as dispatch_flow
from gandang.dispatch.services import unit_has_head
from gandang.information import flow, periodical
from gandang.information.models import Issue, Piece, PiecePhoto
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import User

S = Piece.State
Kind = Notification.Kind


def _clean(title: str, text: str) -> tuple[str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ServiceError(gettext("请填写标题"))
    if not text:
        raise ServiceError(gettext("请填写正文"))
    if len(title) > 200:
        raise ServiceError(gettext("标题不能超过200字"))
    if len(text) > 8000:
        raise ServiceError(gettext("正文不能超过8000字"))
    return title, text


# ---------------------------------------------------------------- a unit's piece


@transaction.atomic
def piece_create(*, actor: User, title: str, text: str) -> Piece:
    """A unit's liaison drafts a piece of its unit's information."""
    if actor.role != User.Role.LIAISON or not actor.unit_id:
        raise ServiceError(gettext("只有单位联络员可以报送改革信息"))
    title, text = _clean(title, text)
    piece = Piece.objects.create(unit_id=actor.unit_id, title=title, text=text, created_by=actor)
    audit.record(piece, actor=actor, action=AuditEntry.Action.CREATE)
    return piece


@transaction.atomic
def piece_update(*, actor: User, piece: Piece, title: str, text: str, version: int | None = None) -> Piece:
    """The liaison changes a draft or returned piece; the office edits one sent to it, until printed."""
    p = Piece.objects.select_for_update(of=("self",)).select_related("issue").get(pk=piece.pk)
    why = flow.edit_refusal(actor, p)
    if why:
        raise ServiceError(why)
    if version is not None and version != p.version:
        raise StaleEdit(gettext("该信息已被他人修改，请刷新页面后重新编辑"))
    title, text = _clean(title, text)
    before = audit.snapshot(p)
    p.title, p.text = title, text
    p.version += 1
    p.save(update_fields=["title", "text", "version"])
    reason = "改革办编辑" if actor.role == User.Role.OFFICE else ""
    audit.record(p, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=reason)
    return p


@transaction.atomic
def piece_step(
    *, actor: User, piece: Piece, action: str, reason: str = "", now: datetime | None = None
) -> Piece:
    """One step of a piece: submit, approve, send_back (the unit), adopt, return or file (the office)."""
    if action not in flow.TRANSITIONS:
        raise ServiceError(gettext("未知的操作"))
    p = Piece.objects.select_related("unit").get(pk=piece.pk)
    t = engine.check(actor, p, action, flow.FLOW)
    reason = engine.require_reason(t, reason, flow.FLOW)
    now = now or clock.now()
    target = t.target
    if action == "submit" and not unit_has_head(p.unit_id):
        target = S.SIGNED
        reason = reason or "本单位未设单位负责人账号，提交即视为签发"
    changes: dict[str, Any] = {}
    if action in ("send_back", "return"):
        changes["return_reason"] = reason[:500]
    if action == "submit":
        changes["return_reason"] = ""
    # 报送 counts in the month the piece first reached the office; a returned piece sent again keeps it.
    if target == S.SIGNED and p.submitted_at is None:
        changes["submitted_at"] = now
    if action == "adopt":
        changes["adopted_at"] = now
    before = audit.snapshot(p)
    engine.move(p, flow.FLOW, action=action, actor=actor, target=target, reason=reason, changes=changes)
    with translation.override(settings.LANGUAGE_CODE):
        audit.record(
            p, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=reason or str(t.label)
        )
        _notify_step(p, action, target, reason)
    return p


def _notify_step(p: Piece, action: str, target: str, reason: str) -> None:
    key = f"piece:{p.pk}:{p.version}"
    dispatch_flow.notify_signoff_step(
        p,
        action,
        target,
        reason,
        key=key,
        to_sign=f"改革信息待签发：{p.title}",
        to_office=f"改革信息待审核：{p.unit} {p.title}",
        office_kind=Kind.INFORMATION,
        returned=f"退回改革信息：{p.title}",
    )
    if action == "adopt":
        notify(
            users=User.objects.filter(
                unit_id=p.unit_id, is_active=True, role__in=[User.Role.LIAISON, User.Role.HEAD]
            ),
            kind=Kind.INFORMATION,
            title=f"改革信息已被采用：{p.title}"[:200],
            url=p.get_absolute_url(),
            key=key,
        )
    elif action == "file":
        notify(
            users=User.objects.filter(unit_id=p.unit_id, is_active=True, role=User.Role.LIAISON),
            kind=Kind.INFORMATION,
            title=f"改革信息已阅存档，本次未采用：{p.title}"[:200],
            body=f"说明：{reason}" if reason else "",
            url=p.get_absolute_url(),
            key=key,
        )


@transaction.atomic
def photo_add(*, actor: User, piece: Piece, upload: UploadedFile) -> PiecePhoto:
    """A photo or file with the piece, by whoever may edit it now."""
    p = Piece.objects.select_related("issue").get(pk=piece.pk)
    why = flow.edit_refusal(actor, p)
    if why:
        raise ServiceError(why)
    att = attachments.new(PiecePhoto, upload=upload, uploaded_by=actor, piece=p)
    att.save()
    audit.record(att, actor=actor, action=AuditEntry.Action.CREATE, scope=p)
    return att


@transaction.atomic
def photo_remove(*, actor: User, photo: PiecePhoto) -> None:
    p = Piece.objects.select_related("issue").get(pk=photo.piece_id)
    why = flow.edit_refusal(actor, p)
    if why:
        raise ServiceError(why)
    attachments.remove(photo, actor=actor, scope=p)


def raise_refusal(user: User, piece: Piece) -> str | None:
    """Why `user` may not raise `piece` into an experience now; None when allowed."""
    if not user.is_office:
        return gettext("只有改革办可以转为经验做法")
    if piece.experience_id is not None:
        return gettext("该信息已转为经验做法")
    if piece.state != S.ADOPTED:
        return gettext("采用后的信息才能转为经验做法")
    return None


@transaction.atomic
def piece_raise(*, actor: User, piece: Piece) -> Experience:
    """The office raises an adopted piece into an experience (经验做法) of its unit, in one action: a draft
    experience with the piece's title and text and copies of its photos and files as its attachments,
    linked both ways (Piece.experience, Experience.source_piece), which then goes its own way (adopted, published, promoted) in achievements."""
    require_office(actor)
    p = Piece.objects.select_for_update(of=("self",)).select_related("unit").get(pk=piece.pk)
    why = raise_refusal(actor, p)
    if why:
        raise ServiceError(why)
    summary = p.text.split("\n", 1)[0].strip()
    if len(summary) > 300:
        summary = summary[:299] + "…"
    exp = achievements.experience_create(
        actor=actor,
        data=achievements.ExperienceInput(
            title=p.title, summary=summary, body=p.text, units=[p.unit], items=[]
        ),
    )
    # Its photos and files go with it, as the experience's own copies (the piece keeps its own).
    achievements.attachments_carry(
        actor=actor,
        experience=exp,
        sources=list(p.photos.select_related("uploaded_by").order_by("at", "id")),
        reason="随改革信息转为经验做法",
    )
    before = audit.snapshot(p)
    Piece.objects.filter(pk=p.pk).update(experience=exp)
    p.refresh_from_db()
    audit.record(p, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="转为经验做法")
    return exp


# ---------------------------------------------------------------- the periodical


def _issue_for_edit(issue: Issue, version: int | None = None) -> Issue:
    i = Issue.objects.select_for_update().get(pk=issue.pk)
    if i.is_issued:
        raise ServiceError(gettext("该期已印发，不能再修改"))
    if version is not None and version != i.version:
        raise StaleEdit(gettext("该期已被他人修改，请刷新页面后重新编辑"))
    return i


@transaction.atomic
def issue_create(*, actor: User, title: str = "") -> Issue:
    """The office starts an issue of the periodical."""
    require_office(actor)
    issue = Issue.objects.create(title=(title or "").strip()[:200], created_by=actor)
    audit.record(issue, actor=actor, action=AuditEntry.Action.CREATE)
    return issue


@transaction.atomic
def issue_update(*, actor: User, issue: Issue, title: str, version: int | None = None) -> Issue:
    require_office(actor)
    i = _issue_for_edit(issue, version)
    before = audit.snapshot(i)
    i.title = (title or "").strip()[:200]
    i.version += 1
    i.save(update_fields=["title", "version"])
    audit.record(i, actor=actor, action=AuditEntry.Action.UPDATE, before=before)
    return i


@transaction.atomic
def issue_add(*, actor: User, issue: Issue, pieces: list[int]) -> int:
    """Put adopted pieces not yet in any issue at the end of `issue`, in the order given; how many."""
    require_office(actor)
    i = _issue_for_edit(issue)
    chosen = list(
        Piece.objects.select_for_update(of=("self",)).filter(
            pk__in=pieces, state=S.ADOPTED, issue__isnull=True
        )
    )
    if not chosen:
        raise ServiceError(gettext("请选择已采用且尚未编入刊物的信息"))
    by_id = {p.pk: p for p in chosen}
    last = i.pieces.aggregate(n=Max("position"))["n"] or 0
    for n, pk in enumerate([pk for pk in pieces if pk in by_id], start=1):
        p = by_id[pk]
        before = audit.snapshot(p)
        p.issue, p.position = i, last + n
        p.version += 1
        p.save(update_fields=["issue", "position", "version"])
        audit.record(p, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="编入刊物")
    _touch(i)
    return len(chosen)


@transaction.atomic
def issue_remove(*, actor: User, issue: Issue, piece: Piece) -> None:
    """Take a piece out of an issue being edited (it is adopted still, for a later issue)."""
    require_office(actor)
    i = _issue_for_edit(issue)
    p = Piece.objects.select_for_update(of=("self",)).filter(pk=piece.pk, issue=i).first()
    if p is None:
        raise ServiceError(gettext("该信息不在本期中"))
    before = audit.snapshot(p)
    p.issue, p.position = None, 0
    p.version += 1
    p.save(update_fields=["issue", "position", "version"])
    audit.record(p, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="移出刊物")
    _renumber(i)
    _touch(i)


@transaction.atomic
def issue_move(*, actor: User, issue: Issue, piece: Piece, up: bool) -> None:
    """Move a piece one place up or down in its issue."""
    require_office(actor)
    i = _issue_for_edit(issue)
    order = list(i.pieces.select_for_update(of=("self",)).order_by("position", "id"))
    ids = [p.pk for p in order]
    if piece.pk not in ids:
        raise ServiceError(gettext("该信息不在本期中"))
    k = ids.index(piece.pk)
    j = k - 1 if up else k + 1
    if not 0 <= j < len(order):
        return
    order[k], order[j] = order[j], order[k]
    before = audit.snapshot(order[j])
    _renumber(i, order)
    order[j].refresh_from_db()
    audit.record(
        order[j], actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="调整刊物中的顺序"
    )
    _touch(i)


def _renumber(issue: Issue, order: list[Piece] | None = None) -> None:
    pieces = order if order is not None else list(issue.pieces.order_by("position", "id"))
    for n, p in enumerate(pieces, start=1):
        if p.position != n:
            Piece.objects.filter(pk=p.pk).update(position=n)


def _touch(issue: Issue) -> None:
    """A change to the issue's pieces makes an open edit form of it stale."""
    Issue.objects.filter(pk=issue.pk).update(version=issue.version + 1)


def issue_refusal(issue: Issue) -> str | None:
    if issue.is_issued:
        return gettext("该期已印发")
    if not issue.pieces.exists():
        return gettext("本期还没有编入信息")
    return None


@transaction.atomic
def issue_publish(*, actor: User, issue: Issue, issued_on: date | None = None) -> Issue:
    """Number the issue (the year's next 第N期 and the running 总第N期), freeze it as the document printed
    (the pieces' text and pictures as they are now) and issue it: it is read by every role and no
    longer changes."""
    require_office(actor)
    i = Issue.objects.select_for_update().get(pk=issue.pk)
    why = issue_refusal(i)
    if why:
        raise ServiceError(why)
    today = clock.today()
    on = issued_on or today
    if on > today:
        raise ServiceError(gettext("印发日期不能晚于今天"))
    # Two issues issued at once: the second waits on the lock of the latest issued issue, then reads the
    # first's numbers (each statement sees what has been committed); the very first issue's race is left to
    # the unique constraints, refused in words below.
    Issue.objects.select_for_update().filter(state=Issue.State.ISSUED).order_by("-total").values("pk").first()
    conf = periodical.settings_row()
    year_last = Issue.objects.filter(year=on.year).aggregate(n=Max("number"))["n"] or 0
    total_last = Issue.objects.aggregate(n=Max("total"))["n"] or conf.total_before
    before = audit.snapshot(i)
    i.year, i.number, i.total = on.year, year_last + 1, max(total_last, conf.total_before) + 1
    i.name = periodical.name()
    i.issued_on, i.issued_by, i.state = on, actor, Issue.State.ISSUED
    pieces = list(i.pieces.select_related("unit").prefetch_related("photos").order_by("position", "id"))
    i.content = periodical.document_data(i, pieces, copy_to=conf.copy_to)
    i.version += 1
    try:
        with transaction.atomic():
            i.save()
    except IntegrityError:
        raise ServiceError(gettext("另一期刚刚印发，期号已变化，请重新印发")) from None
    audit.record(i, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="印发")
    return i
