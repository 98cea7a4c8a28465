"""The writes of listed supervision: listing, letters, escalation, extension and revocation. The
proposals are in gandang.supervision.proposals, the unit's rectification report in
gandang.supervision.rectification (both re-exported here, as the pages and the calendar call them).

The flow (DOMAIN mechanism 5): the platform proposes → the office lists the item (level,
requirements, deadline) and a numbered 提醒函 goes to the lead unit → the unit answers with a
rectification report through the sign-off flow → the office verifies and delists (摘牌) or sends it
back. A deadline passed without an answer escalates: a 督办函 with a new deadline, then the item is
named in the quarterly bulletin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import translation
from django.utils.translation import gettext

from gandang.core import audit, clock, limits
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.dispatch.models import Period
from gandang.documents import conf, wording
from gandang.documents import structure as s
from gandang.documents.models import DocumentKind
from gandang.documents.services import number_format, number_next, template_get
from gandang.ledger.models import Item
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import User
from gandang.supervision.models import (
    Letter,
    Listing,
    Proposal,
    Rectification,
    Trigger,
)
from gandang.supervision.proposals import _ym, proposal_dismiss, proposals_refresh, rules
from gandang.supervision.rectification import (
    rectification_attachment_add,
    rectification_attachment_remove,
    rectification_save,
    rectification_step,
)

Kind = Notification.Kind

# Re-exported: the pages, the calendar and the demo call them as services.<name>.
__all__ = [
    "proposal_dismiss",
    "proposals_refresh",
    "rectification_attachment_add",
    "rectification_attachment_remove",
    "rectification_save",
    "rectification_step",
    "rules",
]


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
    period = Period.objects.filter(plan__isnull=True, opens_on__lte=today).order_by("-year", "-month").first()
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
