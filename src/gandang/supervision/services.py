"""Every write of listed supervision: proposals, listing, letters, rectification, escalation, delisting.

The flow (DOMAIN mechanism 5): the platform proposes → the office lists the item (level,
requirements, deadline) and a numbered 提醒函 goes to the lead unit → the unit answers with a
rectification report through the sign-off flow → the office verifies and delists (摘牌) or sends it
back. A deadline passed without an answer escalates: a 督办函 with a new deadline, then the item is
named in the quarterly bulletin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from gandang.core import attachments, audit, clock, limits
from gandang.core import flow as engine
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.dispatch.models import ItemStatus, Period, Report, Status, StatusSnapshot
from gandang.dispatch.services import unit_has_head
from gandang.documents import conf, wording
from gandang.documents import structure as s
from gandang.documents.models import DocumentKind
from gandang.documents.services import number_format, number_next, template_get
from gandang.ledger.models import Item
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import User
from gandang.supervision import flow
from gandang.supervision.models import (
    Letter,
    Listing,
    Proposal,
    Rectification,
    RectificationAttachment,
    RectificationStep,
    Trigger,
)

Kind = Notification.Kind


def rules() -> dict:
    return {
        "red_periods": 2,
        "missing_periods": 2,
        "no_effect": True,
        "deadline_days": 30,
        "letter_days": 14,
        **getattr(settings, "GANDANG_LISTING_RULES", {}),
    }


def _ym(period: Period) -> str:
    return f"{period.year}年{period.month}月"


def _months(periods: list[Period]) -> str:
    """Oldest first, the year said once when it does not change: 2023年10月、11月."""
    out, year = [], None
    for p in sorted(periods, key=lambda p: (p.year, p.month)):
        out.append(f"{p.month}月" if p.year == year else _ym(p))
        year = p.year
    return "、".join(out)


# ---------------------------------------------------------------- proposals


def _closed_periods(n: int) -> list[Period]:
    """The last `n` closed periods, newest first."""
    return list(Period.objects.filter(state=Period.State.CLOSED).order_by("-year", "-month")[:n])


def _due_periods(n: int, today: date) -> list[Period]:
    """The last `n` periods whose deadline has passed, newest first."""
    return list(Period.objects.filter(deadline__lt=today).order_by("-year", "-month")[:n])


def _candidates(today: date) -> list[tuple[int, str, Period | None, str]]:
    """(item, trigger, period, reason) for every item the rules say should be considered for listing."""
    r = rules()
    out: list[tuple[int, str, Period | None, str]] = []
    n = r["red_periods"]
    periods = _closed_periods(n) if n > 0 else []
    if n > 0 and len(periods) == n:
        names = _months(periods)
        red = (
            StatusSnapshot.objects.filter(period__in=periods, status=Status.RED)
            .values("item_id")
            .annotate(n=Count("id"))
            .filter(n=n)
        )
        latest = dict(
            StatusSnapshot.objects.filter(period=periods[0], item_id__in=red.values("item_id")).values_list(
                "item_id", "reason"
            )
        )
        for item_id, why in latest.items():
            out.append((item_id, Trigger.RED, periods[0], f"{names}连续{n}个月严重滞后（{why}）"))
    n = r["missing_periods"]
    periods = _due_periods(n, today) if n > 0 else []
    if n > 0 and len(periods) == n:
        names = _months(periods)
        missing = (
            Report.objects.filter(period__in=periods, submitted_at__isnull=True)
            .values("item_id")
            .annotate(n=Count("id"))
            .filter(n=n)
        )
        for row in missing:
            out.append((row["item_id"], Trigger.MISSING, periods[0], f"{names}连续{n}个月未按时报送进展"))
    if r["no_effect"]:
        # The judgement stands as of the last month the office reviewed: the last closed period.
        current = (
            Period.objects.filter(state=Period.State.CLOSED).order_by("-year", "-month").first()
            or Period.objects.filter(opens_on__lte=today).order_by("-year", "-month").first()
        )
        if current is not None:
            for item_id, why in ItemStatus.objects.filter(no_effect=True).values_list(
                "item_id", "no_effect_reason"
            ):
                out.append((item_id, Trigger.NO_EFFECT, current, f"改革办认定成效不明显（{why}）"))
    return out


@transaction.atomic
def proposals_refresh(*, today: date | None = None) -> int:
    """Propose listing every item the rules catch that is not listed or already proposed; returns how many.

    Idempotent: one proposal per item, trigger and period (a unique constraint), and none while the
    item is listed or an earlier proposal for the same reason awaits the office's decision.
    """
    today = today or clock.today()
    candidates = _candidates(today)
    if not candidates:
        return 0
    ids = {c[0] for c in candidates}
    live = set(
        Item.objects.filter(pk__in=ids, is_archived=False)
        .exclude(current_status__status=Status.DONE)
        .values_list("pk", flat=True)
    )
    listed = set(
        Listing.objects.filter(item_id__in=ids, state=Listing.State.LISTED).values_list("item_id", flat=True)
    )
    seen = set(Proposal.objects.filter(item_id__in=ids).values_list("item_id", "trigger", "period_id"))
    pending = set(
        Proposal.objects.filter(item_id__in=ids, state=Proposal.State.OPEN).values_list("item_id", "trigger")
    )
    new = [
        Proposal(item_id=item_id, trigger=trigger, period=period, reason=reason[:300])
        for item_id, trigger, period, reason in candidates
        if item_id in live
        and item_id not in listed
        and (item_id, trigger) not in pending
        and (item_id, trigger, period.pk if period else None) not in seen
    ]
    # One by one, each in its own savepoint: a proposal another process inserted meanwhile (the unique
    # constraint) is skipped and not counted, so the notice says how many were really added.
    added = 0
    for proposal in new:
        try:
            with transaction.atomic():
                proposal.save(force_insert=True)
        except IntegrityError:
            continue
        added += 1
    if added:
        office = User.objects.filter(role=User.Role.OFFICE, is_active=True)
        notify(
            users=office,
            kind=Kind.SUPERVISION,
            title=f"新增挂牌督办建议{added}项，请研究",
            url="/supervision/?tab=proposals",
            key=f"proposals:{today.isoformat()}:{added}",
        )
    return added


@transaction.atomic
def proposal_dismiss(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """The office decides not to list a proposed item, and says why."""
    require_office(actor)
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写不予挂牌的理由")
    limits.check_lengths(Proposal, {"dismiss_reason": reason})
    before = audit.snapshot(proposal)
    moved = Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.OPEN).update(
        state=Proposal.State.DISMISSED,
        dismiss_reason=reason,
        decided_by=actor,
        decided_at=clock.now(),
    )
    if not moved:
        raise ServiceError("该建议已处理，请刷新页面")
    proposal.refresh_from_db()
    audit.record(
        proposal,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason=reason,
    )
    return proposal


# ---------------------------------------------------------------- listing and letters


@dataclass
class ListingInput:
    level: str
    reason: str
    requirements: str
    deadline: date


@transaction.atomic
def listing_create(
    *,
    actor: User,
    item: Item,
    data: ListingInput,
    proposal: Proposal | None = None,
    today: date | None = None,
) -> Listing:
    """List `item` for supervision, issue the numbered 提醒函 to its lead unit and tell the unit."""
    require_office(actor)
    today = today or clock.today()
    item = Item.objects.select_related("lead_unit").get(pk=item.pk)
    if item.lead_unit is None:
        raise ServiceError("该事项没有牵头单位，无法挂牌督办")
    if item.is_archived:
        raise ServiceError("该事项已归档，无法挂牌督办")
    if data.level not in Listing.Level.values:
        raise ServiceError("请选择督办级别")
    if not data.requirements.strip():
        raise ServiceError("请填写整改要求")
    if not data.reason.strip():
        raise ServiceError("请填写挂牌理由")
    if data.deadline <= today:
        raise ServiceError("整改时限应晚于今天")
    if Listing.objects.filter(item=item, state=Listing.State.LISTED).exists():
        raise ServiceError("该事项已在挂牌督办中")
    if proposal is not None:
        moved = Proposal.objects.filter(pk=proposal.pk, item=item, state=Proposal.State.OPEN).update(
            state=Proposal.State.LISTED, decided_by=actor, decided_at=clock.now()
        )
        if not moved:
            raise ServiceError("该建议已处理，请刷新页面")
    try:
        with transaction.atomic():
            listing = Listing.objects.create(
                item=item,
                unit=item.lead_unit,
                proposal=proposal,
                trigger=proposal.trigger if proposal else Trigger.MANUAL,
                reason=data.reason.strip(),
                level=data.level,
                requirements=data.requirements.strip(),
                deadline=data.deadline,
                listed_by=actor,
                listed_on=today,
            )
    except IntegrityError:
        raise ServiceError("该事项已在挂牌督办中") from None
    # Other open proposals for the same item are answered by this listing.
    Proposal.objects.filter(item=item, state=Proposal.State.OPEN).update(
        state=Proposal.State.LISTED, decided_by=actor, decided_at=clock.now()
    )
    Rectification.objects.create(listing=listing, unit=item.lead_unit)
    audit.record(listing, actor=actor, action=AuditEntry.Action.CREATE, reason=listing.reason, scope=item)
    letter = letter_issue(actor=actor, listing=listing, kind=DocumentKind.REMINDER, today=today)
    with translation.override(settings.LANGUAGE_CODE):
        _notify_listed(listing, letter)
    return listing


def _period_label(listing: Listing, today: date) -> str:
    if listing.proposal and listing.proposal.period:
        return _ym(listing.proposal.period)
    period = Period.objects.filter(opens_on__lte=today).order_by("-year", "-month").first()
    return _ym(period) if period else f"{today.year}年{today.month}月"


def letter_document(
    *,
    listing: Listing,
    kind: str,
    today: date,
    deadline: date,
    doc_number: str,
    previous: Letter | None,
    missed: date | None = None,
) -> s.Document:
    """The letter as a document, from the office's wording template and the listing's record.

    `missed` is the deadline the unit let pass (a 督办函 cites it); by default the previous letter's.
    """
    if missed is None and previous is not None:
        missed = previous.deadline
    template = template_get(kind=kind)
    unit = listing.unit.name
    values = {
        "unit": unit,
        # Inside the letter's “…” a title's own quotation marks become single ones (‘…’).
        "item": listing.item.title.replace("“", "‘").replace("”", "’"),
        "code": listing.item.code,
        "period": _period_label(listing, today),
        "reason": listing.reason,
        "level": listing.get_level_display(),
        "requirements": listing.requirements,
        # A 督办函 cites the deadline the unit missed (the listing's, extensions included) and sets a new one.
        "deadline": s.chinese_date(missed or deadline),
        "reply_deadline": s.chinese_date(deadline),
        "previous_number": previous.doc_number if previous else "",
    }
    copy_to = ""
    leaders = "、".join(ld.name for ld in listing.item.leaders.all())
    if listing.level == Listing.Level.LEADER and leaders:
        copy_to = f"{leaders}同志。"
    return wording.letter(
        template,
        values,
        issuer=conf.issuer(),
        recipient=f"{unit}：",
        date=today,
        doc_number=doc_number,
        copy_to=copy_to,
    )


@transaction.atomic
def letter_issue(
    *,
    actor: User | None,
    listing: Listing,
    kind: str,
    today: date,
    deadline: date | None = None,
    missed: date | None = None,
) -> Letter:
    """Number and issue a letter for `listing`: its text is frozen in the record as issued.

    `missed`: for a 督办函, the deadline the unit missed (the listing's before the escalation).
    """
    deadline = deadline or listing.deadline
    previous = listing.letters.order_by("-issued_on", "-id").first()
    number = number_next(kind=kind, year=today.year)
    doc_number = number_format(kind=kind, year=today.year, number=number)
    with translation.override(settings.LANGUAGE_CODE):
        doc = letter_document(
            listing=listing,
            kind=kind,
            today=today,
            deadline=deadline,
            doc_number=doc_number,
            previous=previous,
            missed=missed,
        )
    letter = Letter.objects.create(
        listing=listing,
        kind=kind,
        year=today.year,
        number=number,
        doc_number=doc_number,
        unit=listing.unit,
        title=doc.title[:200],
        content=s.document_to_data(doc),
        deadline=deadline,
        issued_by=actor,
        issued_on=today,
    )
    audit.record(
        letter,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        reason="发文",
        scope=listing.item,
    )
    return letter


def letter_as_document(letter: Letter) -> s.Document:
    return s.document_from_data(letter.content)


def _unit_people(listing: Listing) -> QuerySet[User]:
    return User.objects.filter(
        unit_id=listing.unit_id, is_active=True, role__in=[User.Role.LIAISON, User.Role.HEAD]
    )


def _notify_listed(listing: Listing, letter: Letter) -> None:
    people = list(_unit_people(listing))
    if listing.level == Listing.Level.LEADER:
        people += list(User.objects.filter(leader__in=listing.item.leaders.all(), is_active=True))
    notify(
        users=people,
        kind=Kind.SUPERVISION,
        title=f"挂牌督办：{listing.item.code} {listing.item.title}"[:200],
        body=(
            f"{listing.get_level_display()}，{letter.get_kind_display()}{letter.doc_number}。"
            f"请于{s.chinese_date(listing.deadline)}前报送整改报告。"
        ),
        url=listing.get_absolute_url(),
        key=f"listing:{listing.pk}:letter{letter.pk}",
    )


AT_OFFICE = (Rectification.State.SIGNED, Rectification.State.ACCEPTED)


@transaction.atomic
def listing_escalate(
    *, actor: User | None, listing: Listing, today: date | None = None, expected: int | None = None
) -> Listing:
    """One step up: a 督办函 with a new deadline after the 提醒函; after the 督办函, named in the bulletin.

    `expected` is the escalation level the caller saw (the page's hidden field, the tick's query): when
    it has changed meanwhile (a second click, the tick), nothing happens. Only after the deadline has
    passed, and never while the signed rectification report is at the office.
    """
    if actor is not None:
        require_office(actor)
    today = today or clock.today()
    listing = Listing.objects.select_for_update().select_related("item", "unit").get(pk=listing.pk)
    if not listing.is_open:
        raise ServiceError(gettext("该事项已不在督办中"))
    if expected is not None and expected != listing.escalation:
        raise ServiceError(gettext("督办状态已变化，请刷新页面"))
    if listing.escalation >= Listing.Escalation.BULLETIN:
        raise ServiceError(gettext("该事项已列入季度通报点名，不能再升级"))
    if Rectification.objects.filter(listing=listing, state__in=AT_OFFICE).exists():
        raise ServiceError(gettext("整改报告已报送改革办待核验，不能升级"))
    if listing.deadline >= today:
        raise ServiceError(
            gettext("整改时限（%(deadline)s）未过，不能升级督办")
            % {"deadline": s.chinese_date(listing.deadline)}
        )
    missed = listing.deadline
    before = audit.snapshot(listing)
    changes: dict = {"escalation": listing.escalation + 1, "version": F("version") + 1}
    if listing.escalation == Listing.Escalation.NONE:
        # Never shorter than the deadline already set.
        changes["deadline"] = max(listing.deadline, today + timedelta(days=rules()["letter_days"]))
    if listing.escalation + 1 == Listing.Escalation.BULLETIN:
        changes["named_on"] = today
    moved = Listing.objects.filter(pk=listing.pk, escalation=listing.escalation).update(**changes)
    if not moved:
        raise ServiceError(gettext("督办状态已变化，请刷新页面"))
    listing.refresh_from_db()
    reason = "整改时限已过，未按要求报送整改报告" if actor is None else "改革办升级督办"
    audit.record(
        listing,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason=reason,
        scope=listing.item,
    )
    with translation.override(settings.LANGUAGE_CODE):
        if listing.escalation == Listing.Escalation.LETTER:
            letter = letter_issue(
                actor=actor,
                listing=listing,
                kind=DocumentKind.SUPERVISION,
                today=today,
                deadline=listing.deadline,
                missed=missed,
            )
            _notify_listed(listing, letter)
        else:
            notify(
                users=list(_unit_people(listing))
                + list(User.objects.filter(role=User.Role.OFFICE, is_active=True)),
                kind=Kind.SUPERVISION,
                title=f"拟在季度通报中点名：{listing.item.code} {listing.item.title}"[:200],
                body=f"督办函答复时限{s.chinese_date(listing.deadline)}已过，整改仍未到位。",
                url=listing.get_absolute_url(),
                key=f"listing:{listing.pk}:named",
            )
    return listing


def escalate_overdue(*, today: date) -> list[Listing]:
    """Escalate every open listing whose deadline passed without a rectification report at the office."""
    due = Listing.objects.filter(
        state=Listing.State.LISTED, deadline__lt=today, escalation__lt=Listing.Escalation.BULLETIN
    ).exclude(rectification__state__in=AT_OFFICE)
    out = []
    for listing in due:
        try:
            out.append(
                listing_escalate(actor=None, listing=listing, today=today, expected=listing.escalation)
            )
        except ServiceError:
            continue  # changed since the query (delisted or escalated by someone else)
    return out


@transaction.atomic
def listing_extend(*, actor: User, listing: Listing, deadline: date, reason: str) -> Listing:
    """The office moves the rectification deadline (延期), with a reason; the unit is told."""
    require_office(actor)
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写调整整改时限的理由")
    if deadline <= clock.today():
        raise ServiceError("整改时限应晚于今天")
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if not listing.is_open:
        raise ServiceError("该事项已不在督办中")
    before = audit.snapshot(listing)
    Listing.objects.filter(pk=listing.pk).update(deadline=deadline, version=F("version") + 1)
    listing.refresh_from_db()
    audit.record(listing, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=reason)
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=_unit_people(listing),
            kind=Kind.SUPERVISION,
            title=f"整改时限调整为{s.chinese_date(deadline)}：{listing.item.code} {listing.item.title}"[:200],
            body=f"调整理由：{reason}",
            url=listing.get_absolute_url(),
            key=f"listing:{listing.pk}:deadline:{deadline.isoformat()}",
        )
    return listing


REMIND_DAYS_BEFORE = 3


def deadline_reminders(*, today: date) -> int:
    """Liaisons of listed items hear, once, that the rectification deadline is three days off."""
    due = (
        Listing.objects.filter(
            state=Listing.State.LISTED,
            deadline__gte=today,
            deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        )
        .exclude(rectification__state__in=[Rectification.State.SIGNED, Rectification.State.ACCEPTED])
        .select_related("item")
    )
    sent = 0
    for listing in due:
        sent += len(
            notify(
                users=_unit_people(listing).filter(role=User.Role.LIAISON),
                kind=Kind.SUPERVISION,
                title=f"整改时限临近：{listing.item.code} {listing.item.title}"[:200],
                body=f"请于{s.chinese_date(listing.deadline)}前报送经单位负责人签发的整改报告，逾期将升级督办。",
                url=listing.get_absolute_url(),
                key=f"listing:{listing.pk}:remind:{listing.deadline.isoformat()}",
            )
        )
    return sent


@transaction.atomic
def listing_revoke(*, actor: User, listing: Listing, reason: str) -> Listing:
    """The office withdraws a listing made in error; the letters stay on record."""
    require_office(actor)
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写撤销理由")
    limits.check_lengths(Listing, {"close_note": reason})
    before = audit.snapshot(listing)
    moved = Listing.objects.filter(pk=listing.pk, state=Listing.State.LISTED).update(
        state=Listing.State.REVOKED,
        closed_on=clock.today(),
        close_note=reason,
        version=F("version") + 1,
    )
    if not moved:
        raise ServiceError("该事项已不在督办中")
    listing.refresh_from_db()
    audit.record(
        listing,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason=reason,
        scope=listing.item,
    )
    return listing


# ---------------------------------------------------------------- rectification report


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
    unit_users = User.objects.filter(unit_id=rect.unit_id, is_active=True)
    key = f"rect:{rect.pk}:{RectificationStep.objects.filter(rectification=rect).count()}"
    title = f"{listing.item.code} {listing.item.title}"
    url = rect.get_absolute_url()
    if action == "submit" and target == Rectification.State.SUBMITTED:
        notify(
            users=unit_users.filter(role=User.Role.HEAD),
            kind=Kind.TO_SIGN,
            title=f"整改报告待签发：{title}"[:200],
            url=url,
            key=key,
        )
    elif target == Rectification.State.SIGNED:
        notify(
            users=User.objects.filter(role=User.Role.OFFICE, is_active=True),
            kind=Kind.SUPERVISION,
            title=f"整改报告待核验：{listing.unit} {title}"[:200],
            url=url,
            key=key,
        )
    elif action in ("send_back", "return"):
        who = "单位负责人" if action == "send_back" else "改革办"
        notify(
            users=unit_users.filter(role=User.Role.LIAISON),
            kind=Kind.RETURNED,
            title=f"{who}退回整改报告：{title}"[:200],
            body=f"退回意见：{reason}",
            url=url,
            key=key,
        )
    elif action == "accept":
        notify(
            users=unit_users.filter(role__in=[User.Role.LIAISON, User.Role.HEAD]),
            kind=Kind.SUPERVISION,
            title=f"已摘牌：{title}"[:200],
            body=f"核验意见：{reason}",
            url=url,
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
    before = audit.snapshot(attachment)
    audit.record(
        attachment,
        actor=actor,
        action=AuditEntry.Action.DELETE,
        before=before,
        after={},
        scope=rect.listing,
    )
    attachment.file.delete(save=False)
    attachment.delete()
