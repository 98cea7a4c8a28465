"""Every write of the consultation (协商座谈): record a session and its suggestions, assign a suggestion to
units (it becomes a tracked matter, source 协商建议), and issue the numbered reply letter (答复函) to the
party once the matter is closed. The unit's answer and its outcome go through the matter's own services
(`services.matter_save`, `matter_step`). Each write is atomic with its audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from gandang.core import audit, clock
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.documents import conf, wording
from gandang.documents import structure as s
from gandang.documents.models import DocumentKind
from gandang.documents.services import number_format, number_next
from gandang.matters.models import Consultation, Matter, Outcome, Party, ReplyLetter, Source, Suggestion
from gandang.matters.services import Assignment, matter_create
from gandang.org.access import require_office
from gandang.org.models import User

S = Matter.State
# The matter's states after which the office may answer the party: closed (办结) or made a ledger item.
REPLIABLE = frozenset({S.CLOSED, S.ITEMIZED})


@dataclass
class ConsultationInput:
    title: str
    on: date
    parties: list[Party]
    place: str = ""
    host: str = ""
    attendees: str = ""


@transaction.atomic
def consultation_create(*, actor: User, data: ConsultationInput) -> Consultation:
    """The office records a consultation session and the parties heard at it."""
    require_office(actor)
    title = data.title.strip()
    if not title:
        raise ServiceError(gettext("请填写会议名称"))
    if data.on > clock.today():
        raise ServiceError(gettext("召开日期不能晚于今天"))
    if not data.parties:
        raise ServiceError(gettext("请选择参加的党派团体"))
    c = Consultation(
        title=title,
        on=data.on,
        place=data.place.strip(),
        host=data.host.strip(),
        attendees=data.attendees.strip(),
        created_by=actor,
    )
    c.save()
    c.parties.set(data.parties)
    audit.record(c, actor=actor, action=AuditEntry.Action.CREATE)
    return c


@transaction.atomic
def consultation_update(
    *, actor: User, consultation: Consultation, data: ConsultationInput, version: int
) -> Consultation:
    """The office corrects a session's record; a change made meanwhile by someone else is not overwritten."""
    require_office(actor)
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if c.version != version:
        raise StaleEdit(gettext("该协商座谈会已被他人修改，请刷新页面后重新修改"))
    title = data.title.strip()
    if not title:
        raise ServiceError(gettext("请填写会议名称"))
    if data.on > clock.today():
        raise ServiceError(gettext("召开日期不能晚于今天"))
    heard = set(c.suggestions.values_list("party_id", flat=True))
    if not data.parties or not heard <= {p.pk for p in data.parties}:
        raise ServiceError(gettext("请选择参加的党派团体（已有建议的党派团体不能去掉）"))
    before = audit.snapshot(c)
    c.title, c.on, c.place, c.host = title, data.on, data.place.strip(), data.host.strip()
    c.attendees = data.attendees.strip()
    c.version += 1
    c.save()
    c.parties.set(data.parties)
    audit.record(c, actor=actor, action=AuditEntry.Action.UPDATE, before=before)
    return c


@transaction.atomic
def suggestion_add(
    *, actor: User, consultation: Consultation, party: Party, person: str, title: str, text: str
) -> Suggestion:
    """The office records a suggestion heard at `consultation`, with the party and person who made it."""
    require_office(actor)
    person, title, text = person.strip(), title.strip(), text.strip()
    if not person or not title or not text:
        raise ServiceError(gettext("请填写提出人、建议名称和建议内容"))
    if not party.is_active:
        raise ServiceError(gettext("该党派团体已停用"))
    sug = Suggestion(
        consultation=consultation, party=party, person=person, title=title, text=text, created_by=actor
    )
    sug.save()
    if not consultation.parties.filter(pk=party.pk).exists():
        consultation.parties.add(party)  # a party heard is a party that took part
    audit.record(sug, actor=actor, action=AuditEntry.Action.CREATE, scope=consultation)
    return sug


@transaction.atomic
def suggestion_update(
    *, actor: User, suggestion: Suggestion, party: Party, person: str, title: str, text: str, version: int
) -> Suggestion:
    """The office corrects a suggestion before it is assigned (afterwards the unit works on what it was sent)."""
    require_office(actor)
    sug = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=suggestion.pk)
    )
    if sug.version != version:
        raise StaleEdit(gettext("该建议已被他人修改，请刷新页面后重新修改"))
    if Matter.objects.filter(suggestion=sug).exists():
        raise ServiceError(gettext("该建议已交办，不能再修改"))
    person, title, text = person.strip(), title.strip(), text.strip()
    if not person or not title or not text:
        raise ServiceError(gettext("请填写提出人、建议名称和建议内容"))
    before = audit.snapshot(sug)
    sug.party, sug.person, sug.title, sug.text = party, person, title, text
    sug.version += 1
    sug.save()
    if not sug.consultation.parties.filter(pk=party.pk).exists():
        sug.consultation.parties.add(party)
    audit.record(sug, actor=actor, action=AuditEntry.Action.UPDATE, before=before, scope=sug.consultation)
    return sug


@transaction.atomic
def suggestion_assign(
    *, actor: User, suggestion: Suggestion, assignment: Assignment, requirements: str = ""
) -> Matter:
    """交办: the office assigns a suggestion to its lead (and co-) units with a deadline: it becomes a tracked
    matter (source 协商建议) that the unit answers, saying whether it is adopted."""
    require_office(actor)
    sug = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("consultation", "party")
        .get(pk=suggestion.pk)
    )
    if Matter.objects.filter(suggestion=sug).exists():
        raise ServiceError(gettext("该建议已交办"))
    if assignment.deadline < clock.today():
        raise ServiceError(gettext("办理时限不能早于今天"))
    c = sug.consultation
    with translation.override(settings.LANGUAGE_CODE):  # stored: the product's language
        matter = matter_create(
            actor=actor,
            source=Source.SUGGESTION,
            suggestion=sug,
            origin=f"{c.title} · {sug.party}{sug.person}",
            title=gettext("%(party)s建议：%(title)s") % {"party": sug.party.name, "title": sug.title},
            # The office's requirements, or the suggestion itself (the matter's page shows both).
            text=requirements.strip() or sug.text,
            assignment=assignment,
        )
    return matter  # its creation is in the matter's own history (matter_create)


@dataclass
class ReplyDraft:
    """What the office edits before issuing the reply letter."""

    title: str
    recipient: str
    body: str
    copy_to: str


def reply_draft(suggestion: Suggestion) -> ReplyDraft:
    """The reply letter drafted from the suggestion and the unit's answer (each line a paragraph, "# " a
    heading, as in the office's letter templates)."""
    sug = suggestion
    m = sug.tracked
    c = sug.consultation
    who = f"{sug.person}同志" if sug.party.individual else f"{sug.party.name}{sug.person}同志"
    title = f"关于对{who}所提{s.quoted(sug.title)}意见建议的答复函"
    lines = [
        f"{s.chinese_date(c.on)}，在{c.title}上，{'您' if sug.party.individual else who}提出的"
        f"{s.quoted(sug.title)}的意见建议收悉。",
    ]
    if m is None:
        return ReplyDraft(
            title=title[:200], recipient=f"{sug.recipient}：", body="\n".join(lines), copy_to=""
        )
    units = [m.unit.name]
    co = "、".join(u.name for u in m.co_units.all())
    handled = (
        f"我们高度重视，交由{m.unit}牵头"
        + (f"、{co}配合" if co else "")
        + "认真研究办理。现将有关情况答复如下："
    )
    lines[0] += handled
    lines += ["# 办理情况", *[ln.strip() for ln in m.answer.splitlines() if ln.strip()]]
    lines.append("# 采纳情况")
    if m.state == S.ITEMIZED and m.created_item is not None:
        lines.append(
            f"经研究，该建议已列入改革任务台账（{m.created_item.code} {m.created_item.title}），按月调度推进。"
        )
    elif m.outcome:
        reason = m.outcome_reason.strip()
        lines.append(f"经研究，该建议{Outcome(m.outcome).label}。{reason}")
    lines.append("感谢对全面深化改革工作的关心和支持，欢迎继续提出宝贵意见建议。")
    return ReplyDraft(
        title=title[:200],
        recipient=f"{sug.recipient}：",
        body="\n".join(lines),
        copy_to="，".join(units) + "。",
    )


def reply_refusal(suggestion: Suggestion) -> str | None:
    """Why the office may not send the reply letter for `suggestion` now; None when it may."""
    if suggestion.letter is not None:
        return gettext("该建议已答复（%(number)s）") % {"number": suggestion.letter.doc_number}
    m = suggestion.tracked
    if m is None or m.state not in REPLIABLE:
        return gettext("建议办结后才能答复")
    return None


def reply_document(
    *, title: str, recipient: str, body: str, copy_to: str, on: date, doc_number: str
) -> s.Document:
    """The reply letter as an official document (GB/T 9704), from the text the office edited."""
    issuer = conf.issuer()
    return s.Document(
        issuer=issuer,
        doc_number=doc_number,
        title=title,
        recipient=recipient,
        blocks=wording.blocks_from_body(body, {}),
        signature=issuer,
        date=on,
        copy_to=copy_to,
    )


@transaction.atomic
def reply_issue(
    *,
    actor: User,
    suggestion: Suggestion,
    title: str,
    recipient: str,
    body: str,
    copy_to: str = "",
    sent_via: str = "",
    issued_on: date | None = None,
) -> ReplyLetter:
    """Number and issue the reply letter to the party (its text as the office edited it, frozen), and
    record it as sent: the suggestion is then answered (已答复)."""
    require_office(actor)
    sug = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("consultation", "party", "matter", "reply")
        .get(pk=suggestion.pk)
    )
    why = reply_refusal(sug)
    if why:
        raise ServiceError(why)
    title, recipient, body = title.strip(), recipient.strip(), body.strip()
    if not title or not recipient or not body:
        raise ServiceError(gettext("请填写答复函的标题、主送和正文"))
    today = clock.today()
    on = issued_on or today
    if on > today:
        raise ServiceError(gettext("发文日期不能晚于今天"))
    m = sug.tracked
    assert m is not None
    closed_on = timezone.localdate(m.closed_at) if m.closed_at else None
    if closed_on is not None and on < min(closed_on, today):
        raise ServiceError(gettext("发文日期不能早于办结日期（%(d)s）") % {"d": f"{closed_on:%Y-%m-%d}"})
    number = number_next(kind=DocumentKind.REPLY, year=on.year)
    doc_number = number_format(kind=DocumentKind.REPLY, year=on.year, number=number)
    doc = reply_document(
        title=title, recipient=recipient, body=body, copy_to=copy_to.strip(), on=on, doc_number=doc_number
    )
    letter = ReplyLetter(
        suggestion=sug,
        year=on.year,
        number=number,
        doc_number=doc_number,
        title=title,
        recipient=recipient,
        content=s.document_to_data(doc),
        sent_via=sent_via.strip(),
        issued_on=on,
        issued_by=actor,
    )
    letter.save()
    audit.record(letter, actor=actor, action=AuditEntry.Action.CREATE, reason="发文", scope=sug)
    return letter


def reply_as_document(letter: ReplyLetter) -> s.Document:
    return s.document_from_data(letter.content)


def parties_active() -> Iterable[Party]:
    return Party.objects.filter(is_active=True).order_by("sort_order", "id")
