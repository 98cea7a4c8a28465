"""Escalation of an overdue matter, as listed supervision escalates a listing: numbered letters through the
one document renderer.

The ladder: the matter's deadline passes (the calendar marks it overdue and tells the unit and the office)
→ the office issues a numbered 催办函 with a reply deadline → when that deadline passes too and the unit
has still not answered, a 督办函 with a new deadline (the calendar issues it, or the office does first),
copied to the leader whose instruction it is. "Answered" is as for a listing's rectification report: the
signed answer is at the office (or the matter is closed or became a ledger item).

The letters are numbered in the office's series of the same 文种 as supervision's (`MatterLetter.SERIES`),
worded by `WORDING` below and frozen as document data when issued, like supervision's `Letter`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext

from gandang.core import audit, clock
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.documents import conf, wording
from gandang.documents import structure as s
from gandang.documents.services import number_format, number_next
from gandang.matters.models import Matter, MatterLetter, MatterStep
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import User

S = Matter.State
L = MatterLetter.Kind

# The states in which the answer is still the unit's to give (the liaison's draft, the head's signature):
# only then is a matter urged or escalated. A signed answer waits for the office, which is not urged.
UNANSWERED = frozenset({S.DRAFT, S.RETURNED, S.SUBMITTED})


def reply_days() -> dict[str, int]:
    """Days the unit is given to answer each letter (an install may set GANDANG_MATTER_LETTER_DAYS)."""
    return {L.URGE: 7, L.SUPERVISE: 7, **getattr(settings, "GANDANG_MATTER_LETTER_DAYS", {})}


@dataclass(frozen=True)
class _Wording:
    title: str
    body: str


# The shipped wording (placeholders as documents.wording fills them). A matter has no ledger code, period or
# listing level, so these letters do not take the office's 提醒函/督办函 templates, which speak of those.
WORDING: dict[str, _Wording] = {
    L.URGE: _Wording(
        title="关于抓紧办理{matter}的催办函",
        body=(
            "{origin}交办的{matter}事项，由你单位牵头办理，办理时限为{deadline}。"
            "截至目前，办理时限已过，你单位尚未报送办理情况。\n"
            "# 交办要求\n"
            "{text}\n"
            "# 有关事项\n"
            "请你单位高度重视，抓紧研究办理，于{reply_deadline}前将办理情况经单位主要负责同志签发后报送{issuer}。"
            "逾期仍未报送的，将发督办函。"
        ),
    ),
    L.SUPERVISE: _Wording(
        title="关于督促办理{matter}的督办函",
        body=(
            "{origin}交办的{matter}事项，办理时限为{deadline}，已发放催办函（{previous_number}）。"
            "截至{missed}，你单位仍未按要求报送办理情况。\n"
            "# 督办要求\n"
            "{text}\n"
            "# 有关事项\n"
            "请你单位主要负责同志亲自研究部署，明确办理措施和完成时限，"
            "于{reply_deadline}前将办理情况经单位主要负责同志签发后书面报送{issuer}。"
            "逾期仍未办理到位的，将约谈你单位主要负责同志。"
        ),
    ),
}


def letter_document(
    *,
    matter: Matter,
    kind: str,
    today: date,
    reply_deadline: date,
    doc_number: str,
    previous: MatterLetter | None,
) -> s.Document:
    """The letter as a document: the wording filled from the matter's record."""
    values = {
        # Quoted as a name: a title cut from the instruction's sentence loses its closing 。 inside the “…”.
        "matter": s.quoted(matter.title.rstrip("。；，.;, ")),
        "origin": matter.origin,
        "text": matter.text,
        "deadline": s.chinese_date(matter.deadline),
        "reply_deadline": s.chinese_date(reply_deadline),
        "previous_number": previous.doc_number if previous else "",
        "missed": s.chinese_date(previous.deadline) if previous else "",
    }
    copy_to = ""
    ins = matter.instruction
    if kind == L.SUPERVISE and ins is not None and ins.leader_id and ins.leader is not None:
        copy_to = f"{ins.leader.name}同志。"
    return wording.letter(
        WORDING[kind],
        values,
        issuer=conf.issuer(),
        recipient=f"{matter.unit.name}：",
        date=today,
        doc_number=doc_number,
        copy_to=copy_to,
    )


def letter_as_document(letter: MatterLetter) -> s.Document:
    return s.document_from_data(letter.content)


def _issue(
    *, actor: User | None, matter: Matter, kind: str, today: date, reply_deadline: date
) -> MatterLetter:
    """Number and issue the letter `kind` for `matter` (inside the caller's transaction), record it as a step
    of the matter, and tell the lead unit (and, for a 督办函, the instructing leader)."""
    previous = matter.letters.order_by("-issued_on", "-id").first()
    series = MatterLetter.SERIES[L(kind)]
    number = number_next(kind=series, year=today.year)
    doc_number = number_format(kind=series, year=today.year, number=number)
    with translation.override(settings.LANGUAGE_CODE):
        doc = letter_document(
            matter=matter,
            kind=kind,
            today=today,
            reply_deadline=reply_deadline,
            doc_number=doc_number,
            previous=previous,
        )
        try:
            with transaction.atomic():
                letter = MatterLetter.objects.create(
                    matter=matter,
                    kind=kind,
                    year=today.year,
                    number=number,
                    doc_number=doc_number,
                    unit=matter.unit,
                    title=doc.title[:200],
                    content=s.document_to_data(doc),
                    deadline=reply_deadline,
                    issued_by=actor,
                    issued_on=today,
                )
        except IntegrityError:
            raise ServiceError(gettext("该督办事项已发%(kind)s") % {"kind": L(kind).label}) from None
        audit.record(letter, actor=actor, action=AuditEntry.Action.CREATE, reason="发文", scope=matter)
        label = str(L(kind).label)
        MatterStep.objects.create(
            matter=matter,
            action=kind,
            from_state=matter.state,
            to_state=matter.state,
            actor=actor,
            reason=f"{label}{doc_number}，答复时限{reply_deadline:%Y-%m-%d}",
        )
        people = list(
            User.objects.filter(
                unit_id=matter.unit_id, is_active=True, role__in=[User.Role.LIAISON, User.Role.HEAD]
            )
        )
        ins = matter.instruction
        if kind == L.SUPERVISE and ins is not None and ins.leader_id:
            people += list(User.objects.filter(leader_id=ins.leader_id, is_active=True))
        notify(
            users=people,
            kind=Notification.Kind.URGE,
            title=f"{label}{doc_number}：{matter.title}"[:200],
            body=f"督办事项办理时限{s.chinese_date(matter.deadline)}已过，"
            f"请于{s.chinese_date(reply_deadline)}前报送经单位负责人签发的办理情况。",
            url=letter.get_absolute_url(),
            key=f"matter:{matter.pk}:letter:{kind}",
        )
    return letter


def _locked(matter: Matter) -> Matter:
    return (
        Matter.objects.select_for_update(of=("self",))
        .select_related("unit", "instruction__leader")
        .get(pk=matter.pk)
    )


def _check_unanswered(m: Matter, what: str) -> None:
    if not m.is_open:
        raise ServiceError(
            gettext("督办事项当前状态为“%(state)s”，不能%(what)s")
            % {"state": m.get_state_display(), "what": what}
        )
    if m.state not in UNANSWERED:
        raise ServiceError(gettext("办理情况已报送改革办待办结，不需%(what)s") % {"what": what})


def _check_reply_deadline(reply_deadline: date, today: date) -> None:
    if reply_deadline <= today:
        raise ServiceError(gettext("答复时限应晚于今天"))


def refusal(m: Matter, kind: str, *, today: date, letters: list[MatterLetter]) -> str | None:
    """Why the letter `kind` cannot be issued for `m` now (None when it can), from the letters already
    issued: what the pages ask before offering the button, without a query of their own."""
    kinds = {ltr.kind: ltr for ltr in letters}
    if not m.is_open or m.state not in UNANSWERED:
        return gettext("办理情况已报送或已办结")
    if kind == L.URGE:
        if L.URGE in kinds:
            return gettext("已发催办函")
        if m.deadline >= today:
            return gettext("办理时限（%(d)s）未过") % {"d": s.chinese_date(m.deadline)}
        return None
    urge = kinds.get(L.URGE)
    if urge is None:
        return gettext("尚未发催办函")
    if L.SUPERVISE in kinds:
        return gettext("已发督办函")
    if urge.deadline >= today:
        return gettext("催办函答复时限（%(d)s）未过") % {"d": s.chinese_date(urge.deadline)}
    return None


@transaction.atomic
def matter_urge(
    *, actor: User, matter: Matter, reply_deadline: date | None = None, today: date | None = None
) -> MatterLetter:
    """The office issues the numbered 催办函 for a matter past its deadline that the unit has not answered."""
    require_office(actor)
    today = today or clock.today()
    m = _locked(matter)
    _check_unanswered(m, gettext("催办"))
    why = refusal(m, L.URGE, today=today, letters=list(m.letters.all()))
    if why:
        raise ServiceError(gettext("不能发催办函：%(why)s") % {"why": why})
    reply_deadline = reply_deadline or today + timedelta(days=reply_days()[L.URGE])
    _check_reply_deadline(reply_deadline, today)
    return _issue(actor=actor, matter=m, kind=L.URGE, today=today, reply_deadline=reply_deadline)


@transaction.atomic
def matter_escalate(
    *, actor: User | None, matter: Matter, reply_deadline: date | None = None, today: date | None = None
) -> MatterLetter:
    """One step up after the 催办函: its deadline passed unanswered, so a numbered 督办函 goes to the unit,
    copied to the leader. The calendar calls it with no actor; the office may do it first."""
    if actor is not None:
        require_office(actor)
    today = today or clock.today()
    m = _locked(matter)
    _check_unanswered(m, gettext("升级督办"))
    why = refusal(m, L.SUPERVISE, today=today, letters=list(m.letters.all()))
    if why:
        raise ServiceError(gettext("不能升级督办：%(why)s") % {"why": why})
    reply_deadline = reply_deadline or today + timedelta(days=reply_days()[L.SUPERVISE])
    _check_reply_deadline(reply_deadline, today)
    return _issue(actor=actor, matter=m, kind=L.SUPERVISE, today=today, reply_deadline=reply_deadline)


def due_for_escalation(today: date) -> QuerySet[Matter]:
    """Matters whose 催办函 deadline has passed, still unanswered and without a 督办函."""
    urged = MatterLetter.objects.filter(kind=L.URGE, deadline__lt=today).values("matter_id")
    supervised = MatterLetter.objects.filter(kind=L.SUPERVISE).values("matter_id")
    return (
        Matter.objects.filter(pk__in=urged, state__in=list(UNANSWERED))
        .exclude(pk__in=supervised)
        .order_by("deadline", "id")
    )


def escalate_overdue(*, today: date) -> list[MatterLetter]:
    """The calendar's step: a 督办函 for every matter whose 催办函 went unanswered past its deadline."""
    out = []
    for m in due_for_escalation(today):
        try:
            out.append(matter_escalate(actor=None, matter=m, today=today))
        except ServiceError:
            continue  # changed since the query (answered, or escalated by the office meanwhile)
    return out


def offer(user: User, m: Matter, *, today: date) -> str | None:
    """The letter the office may issue for `m` now (URGE or SUPERVISE), None otherwise: what the matter's page
    and the overdue list offer as a button. Reads `m.letters.all()`, prefetched by the list."""
    if not user.is_office:
        return None
    issued = list(m.letters.all())
    for kind in (L.URGE, L.SUPERVISE):
        if refusal(m, kind, today=today, letters=issued) is None:
            return kind
    return None
