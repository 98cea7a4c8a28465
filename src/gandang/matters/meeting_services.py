"""Every write of reform-committee meetings: the meeting, its topics and their review, its observers and
their comments, the minutes and their issue as a numbered document, and its decisions, each turned into a
tracked matter (`matters.services.matter_create`) or a ledger item (立项) that joins the month's dispatch.
Each is atomic and writes its audit entry in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import translation
from django.utils.translation import gettext

from gandang.core import attachments, audit, clock
from gandang.core import flow as engine
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.dispatch import engine as dispatch_engine
from gandang.dispatch import services as dispatch_services
from gandang.dispatch.models import Period
from gandang.documents import conf, wording
from gandang.documents import structure as s
from gandang.documents.services import number_format, number_next
from gandang.ledger import services as ledger_services
from gandang.ledger.models import Item, Plan
from gandang.matters import meeting_flow
from gandang.matters.meeting_models import (
    Decision,
    Meeting,
    Observer,
    ObserverComment,
    Topic,
    TopicMaterial,
)
from gandang.matters.models import Matter, Source
from gandang.matters.services import Assignment, matter_create
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import Leader, Unit, User

MINUTES_KIND = "minutes"  # the document-number sequence of the minutes (prefix: documents.conf)


@dataclass
class MeetingInput:
    number: int
    held_on: date
    place: str = ""
    chair: Leader | None = None
    attendees: str = ""
    title: str = ""


# What the services store (titles, notes) is written in the product's language, Chinese, whatever the
# language of the actor's screens: like the audit history, a record reads the same for everyone.


def default_title(number: int) -> str:
    n = s.chinese_number(number) if 0 < number < 100 else number
    return f"市委全面深化改革委员会第{n}次会议"


def _check_version(obj, version: int | None, what: str) -> None:
    if version is not None and version != obj.version:
        raise StaleEdit(gettext("%(what)s已被他人修改，请刷新页面后重新填写") % {"what": what})


@transaction.atomic
def meeting_create(*, actor: User, data: MeetingInput) -> Meeting:
    """The office prepares a meeting (筹备)."""
    require_office(actor)
    if data.number < 1:
        raise ServiceError(gettext("会议届次应为正整数"))
    if Meeting.objects.filter(number=data.number).exists():
        raise ServiceError(gettext("第%(n)d次会议已存在") % {"n": data.number})
    meeting = Meeting.objects.create(
        number=data.number,
        title=(data.title.strip() or default_title(data.number))[:150],
        held_on=data.held_on,
        place=data.place.strip(),
        chair=data.chair,
        attendees=data.attendees.strip(),
        created_by=actor,
    )
    audit.record(meeting, actor=actor, action=AuditEntry.Action.CREATE)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor: User, meeting: Meeting, data: MeetingInput, version: int | None = None
) -> Meeting:
    """The office corrects a meeting's particulars (its number stays unique)."""
    require_office(actor)
    m = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_version(m, version, gettext("会议信息"))
    if data.number < 1:
        raise ServiceError(gettext("会议届次应为正整数"))
    if Meeting.objects.filter(number=data.number).exclude(pk=m.pk).exists():
        raise ServiceError(gettext("第%(n)d次会议已存在") % {"n": data.number})
    before = audit.snapshot(m)
    m.number = data.number
    m.title = (data.title.strip() or default_title(data.number))[:150]
    m.held_on, m.place, m.chair, m.attendees = (
        data.held_on,
        data.place.strip(),
        data.chair,
        data.attendees.strip(),
    )
    m.version += 1
    m.save()
    audit.record(m, actor=actor, action=AuditEntry.Action.UPDATE, before=before)
    return m


@transaction.atomic
def meeting_hold(*, actor: User, meeting: Meeting) -> Meeting:
    """The office records that the meeting was held: its topics are closed, its minutes and decisions open."""
    m = Meeting.objects.get(pk=meeting.pk)
    engine.check(actor, m, "hold", meeting_flow.MEETING)
    before = audit.snapshot(m)
    engine.move(m, meeting_flow.MEETING, action="hold", actor=actor)
    audit.record(m, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="会议召开")
    return m


# ---------------------------------------------------------------- topics


def _may_propose(actor: User) -> bool:
    return actor.is_office or (actor.is_unit_member and actor.unit_id is not None)


@transaction.atomic
def topic_propose(*, actor: User, meeting: Meeting, title: str, summary: str = "") -> Topic:
    """A unit's liaison or head proposes a topic for a meeting in preparation; the office's own topic goes
    on the agenda at once."""
    if not _may_propose(actor):
        raise ServiceError(gettext("只有改革办和单位联络员、负责人可以提报议题"))
    m = Meeting.objects.get(pk=meeting.pk)
    if m.state != Meeting.State.PREPARING:
        raise ServiceError(gettext("会议已召开，不能再提报议题"))
    title = title.strip()
    if not title:
        raise ServiceError(gettext("请填写议题名称"))
    office = actor.is_office
    topic = Topic.objects.create(
        meeting=m,
        title=title[:200],
        summary=summary.strip(),
        unit=None if office else actor.unit,
        state=Topic.State.ACCEPTED if office else Topic.State.PROPOSED,
        order=_next_order(m) if office else None,
        proposed_by=actor,
    )
    audit.record(topic, actor=actor, action=AuditEntry.Action.CREATE, scope=m)
    if not office:
        with translation.override(settings.LANGUAGE_CODE):
            notify(
                users=User.objects.filter(role=User.Role.OFFICE, is_active=True),
                kind=Notification.Kind.MEETING,
                title=f"{topic.unit}提报{m.title}议题：{topic.title}"[:200],
                url=topic.get_absolute_url(),
                key=f"topic:{topic.pk}:proposed",
            )
    return topic


def _next_order(meeting: Meeting) -> int:
    return (Topic.objects.filter(meeting=meeting).aggregate(n=Max("order"))["n"] or 0) + 1


@transaction.atomic
def topic_update(*, actor: User, topic: Topic, title: str, summary: str, version: int | None = None) -> Topic:
    """The proposing unit (while the topic waits for review or was returned) or the office corrects it."""
    t = Topic.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=topic.pk)
    why = topic_edit_refusal(actor, t)
    if why:
        raise ServiceError(why)
    _check_version(t, version, gettext("议题"))
    if not title.strip():
        raise ServiceError(gettext("请填写议题名称"))
    before = audit.snapshot(t)
    t.title, t.summary = title.strip()[:200], summary.strip()
    t.version += 1
    t.save(update_fields=["title", "summary", "version"])
    audit.record(t, actor=actor, action=AuditEntry.Action.UPDATE, before=before, scope=t.meeting)
    return t


def topic_edit_refusal(actor: User, topic: Topic) -> str | None:
    """Why `actor` may not change the topic or its materials now; None when allowed."""
    if topic.meeting.state != Meeting.State.PREPARING:
        return gettext("会议已召开，议题不能再修改")
    if actor.is_office:
        return None
    if not (actor.is_unit_member and actor.unit_id and actor.unit_id == topic.unit_id):
        return gettext("只能修改本单位提报的议题")
    if topic.state == Topic.State.ACCEPTED:
        return gettext("议题已列入议程，如需修改请联系改革办")
    return None


@transaction.atomic
def topic_step(*, actor: User, topic: Topic, action: str, reason: str = "") -> Topic:
    """The office puts a topic on the agenda or returns it with a reason; the unit proposes it again."""
    t = Topic.objects.select_related("meeting", "unit").get(pk=topic.pk)
    tr = engine.check(actor, t, action, meeting_flow.TOPIC)
    reason = engine.require_reason(tr, reason, meeting_flow.TOPIC)
    if t.meeting.state != Meeting.State.PREPARING:
        raise ServiceError(gettext("会议已召开，议题不能再审核"))
    changes: dict = {"return_reason": reason if action == "return" else ""}
    changes["order"] = _next_order(t.meeting) if action == "accept" else None
    before = audit.snapshot(t)
    engine.move(t, meeting_flow.TOPIC, action=action, actor=actor, changes=changes)
    audit.record(
        t,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason=reason or str(tr.label),
        scope=t.meeting,
    )
    if action in ("accept", "return") and t.unit_id:
        with translation.override(settings.LANGUAGE_CODE):
            verdict = "已列入议程" if action == "accept" else f"被退回：{reason}"
            notify(
                users=User.objects.filter(
                    unit_id=t.unit_id, is_active=True, role__in=[User.Role.LIAISON, User.Role.HEAD]
                ),
                kind=Notification.Kind.MEETING,
                title=f"议题“{t.title}”{verdict}"[:200],
                url=t.get_absolute_url(),
                key=f"topic:{t.pk}:{action}:{t.version}",
            )
    return t


@transaction.atomic
def topic_move(*, actor: User, topic: Topic, up: bool) -> Topic:
    """The office moves an agenda topic one place up or down."""
    require_office(actor)
    t = Topic.objects.select_related("meeting").get(pk=topic.pk)
    if t.state != Topic.State.ACCEPTED or t.meeting.state != Meeting.State.PREPARING:
        raise ServiceError(gettext("只能调整筹备中会议已列入议程的议题顺序"))
    agenda = list(
        Topic.objects.select_for_update()
        .filter(meeting=t.meeting_id, state=Topic.State.ACCEPTED)
        .order_by("order", "id")
    )
    i = next(n for n, x in enumerate(agenda) if x.pk == t.pk)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(agenda):
        return t
    agenda[i], agenda[j] = agenda[j], agenda[i]
    for n, x in enumerate(agenda, start=1):
        if x.order != n:
            before = audit.snapshot(x)
            Topic.objects.filter(pk=x.pk).update(order=n)
            x.order = n
            audit.record(
                x,
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                before=before,
                reason="调整议程顺序",
                scope=t.meeting,
            )
    t.refresh_from_db()
    return t


@transaction.atomic
def material_add(*, actor: User, topic: Topic, upload: UploadedFile) -> TopicMaterial:
    t = Topic.objects.select_related("meeting").get(pk=topic.pk)
    why = topic_edit_refusal(actor, t)
    if why:
        raise ServiceError(why)
    att = attachments.new(TopicMaterial, upload=upload, uploaded_by=actor, topic=t)
    att.save()
    audit.record(att, actor=actor, action=AuditEntry.Action.CREATE, scope=t)
    return att


@transaction.atomic
def material_remove(*, actor: User, material: TopicMaterial) -> None:
    t = Topic.objects.select_related("meeting").get(pk=material.topic_id)
    why = topic_edit_refusal(actor, t)
    if why:
        raise ServiceError(why)
    attachments.remove(material, actor=actor, scope=t)


# ---------------------------------------------------------------- observers and their comments


@transaction.atomic
def observer_add(*, actor: User, meeting: Meeting, kind: str, name: str, affiliation: str = "") -> Observer:
    """The office invites a sit-in observer (列席/旁听)."""
    require_office(actor)
    m = Meeting.objects.get(pk=meeting.pk)
    if m.state == Meeting.State.ISSUED:
        raise ServiceError(gettext("会议纪要已印发，不能再增加列席旁听人员"))
    if kind not in Observer.Kind.values:
        raise ServiceError(gettext("请选择列席类别"))
    if not name.strip():
        raise ServiceError(gettext("请填写姓名或单位"))
    obs = Observer.objects.create(
        meeting=m, kind=kind, name=name.strip()[:100], affiliation=affiliation.strip()[:150]
    )
    audit.record(obs, actor=actor, action=AuditEntry.Action.CREATE, scope=m)
    return obs


@transaction.atomic
def observer_step(*, actor: User, observer: Observer, action: str) -> Observer:
    """The office records an observer's confirmation, presence or absence."""
    o = Observer.objects.select_related("meeting").get(pk=observer.pk)
    engine.check(actor, o, action, meeting_flow.OBSERVER)
    if (
        action in ("present", "absent")
        and o.meeting.state == Meeting.State.PREPARING
        and o.meeting.held_on > clock.today()
    ):
        raise ServiceError(gettext("会议尚未召开，不能记录到会情况"))
    before = audit.snapshot(o)
    engine.move(o, meeting_flow.OBSERVER, action=action, actor=actor)
    audit.record(o, actor=actor, action=AuditEntry.Action.UPDATE, before=before, scope=o.meeting)
    return o


@transaction.atomic
def comment_add(*, actor: User, observer: Observer, text: str) -> ObserverComment:
    """The office records what an observer present at the meeting said."""
    require_office(actor)
    o = Observer.objects.select_related("meeting").get(pk=observer.pk)
    if o.meeting.state == Meeting.State.PREPARING:
        raise ServiceError(gettext("会议召开后才能记录列席意见"))
    if o.state != Observer.State.PRESENT:
        raise ServiceError(gettext("只能记录到会人员的意见"))
    if not text.strip():
        raise ServiceError(gettext("请填写意见建议"))
    c = ObserverComment.objects.create(meeting=o.meeting, observer=o, text=text.strip(), recorded_by=actor)
    audit.record(c, actor=actor, action=AuditEntry.Action.CREATE, scope=o.meeting)
    return c


@transaction.atomic
def comment_assign(*, actor: User, comment: ObserverComment, assignment: Assignment) -> Matter:
    """The office assigns an observer's comment to units: a tracked matter answered like a suggestion."""
    require_office(actor)
    c = (
        ObserverComment.objects.select_for_update(of=("self",))
        .select_related("meeting", "observer")
        .get(pk=comment.pk)
    )
    if c.matter_id:
        raise ServiceError(gettext("该意见已交办"))
    _check_assignment(assignment, c.meeting.held_on)
    matter = matter_create(
        actor=actor,
        source=Source.OBSERVER,
        origin=f"{c.meeting.title}·{c.observer.name}（{c.observer.get_kind_display()}）",
        title=f"列席意见：{_short(c.text)}",
        text=c.text,
        assignment=assignment,
    )
    before = audit.snapshot(c)
    c.matter = matter
    c.save(update_fields=["matter"])
    audit.record(
        c, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="交办", scope=c.meeting
    )
    return matter


def _short(text: str, n: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= n else line[: n - 1] + "…"


def _check_assignment(a: Assignment, since: date) -> None:
    if a.unit is None or a.deadline is None:
        raise ServiceError(gettext("请选择牵头单位并填写办理时限"))
    if a.deadline < since:
        raise ServiceError(gettext("办理时限不能早于会议日期"))


# ---------------------------------------------------------------- minutes


@transaction.atomic
def minutes_save(*, actor: User, meeting: Meeting, text: str, version: int | None = None) -> Meeting:
    """The office writes the minutes (纪要) after the meeting, until they are issued."""
    require_office(actor)
    m = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if m.state != Meeting.State.HELD:
        raise ServiceError(gettext("会议召开后、纪要印发前才能编辑纪要"))
    _check_version(m, version, gettext("会议纪要"))
    before = audit.snapshot(m)
    m.minutes = text.strip()
    m.version += 1
    m.save(update_fields=["minutes", "version"])
    audit.record(m, actor=actor, action=AuditEntry.Action.UPDATE, before=before, merge_within=_MERGE)
    return m


_MERGE = timedelta(minutes=30)  # a sitting's saves of the minutes are one entry of their history


def minutes_document(meeting: Meeting, *, doc_number: str, today: date) -> s.Document:
    """The minutes as an official document (GB/T 9704): the office's text, then the decisions in order."""
    values = {"issuer": conf.issuer()}
    blocks = wording.blocks_from_body(meeting.minutes, values)
    decisions = list(meeting.decisions.select_related("unit").prefetch_related("co_units").order_by("seq"))
    if decisions:
        blocks.append(s.Heading(1, gettext("会议议定事项")))
        for d in decisions:
            co = "、".join(u.name for u in d.co_units.all())
            who = gettext("牵头单位：%(unit)s") % {"unit": d.unit.name}
            if co:
                who += gettext("；配合单位：%(co)s") % {"co": co}
            blocks.append(
                s.Paragraph(
                    f"{d.seq}. {d.text}（{who}；{gettext('完成时限')}：{s.chinese_date(d.deadline)}）"
                )
            )
    chair = meeting.chair.label if meeting.chair else ""
    intro = gettext("%(date)s，%(title)s在%(place)s召开%(chair)s。") % {
        "date": s.chinese_date(meeting.held_on),
        "title": meeting.title,
        "place": meeting.place or gettext("市委"),
        "chair": gettext("，%(chair)s主持会议") % {"chair": chair} if chair else "",
    }
    return s.Document(
        issuer=conf.issuer(),
        doc_number=doc_number,
        title=gettext("%(title)s纪要") % {"title": meeting.title},
        recipient="",
        blocks=[s.Paragraph(intro), *blocks],
        signature=conf.issuer(),
        date=today,
        copy_to=gettext("出席：%(who)s") % {"who": meeting.attendees} if meeting.attendees else "",
    )


@transaction.atomic
def minutes_issue(*, actor: User, meeting: Meeting) -> Meeting:
    """Issue the minutes: numbered like the office's letters (〔year〕n号), the text frozen as issued."""
    m = Meeting.objects.select_for_update(of=("self",)).select_related("chair").get(pk=meeting.pk)
    engine.check(actor, m, "issue", meeting_flow.MEETING)
    if not m.minutes.strip():
        raise ServiceError(gettext("请先填写会议纪要再印发"))
    today = clock.today()
    number = number_next(kind=MINUTES_KIND, year=today.year)
    doc_number = number_format(kind=MINUTES_KIND, year=today.year, number=number)
    with translation.override(settings.LANGUAGE_CODE):
        doc = minutes_document(m, doc_number=doc_number, today=today)
    before = audit.snapshot(m)
    engine.move(
        m,
        meeting_flow.MEETING,
        action="issue",
        actor=actor,
        changes={
            "doc_year": today.year,
            "doc_seq": number,
            "doc_number": doc_number,
            "doc_content": s.document_to_data(doc),
            "issued_on": today,
        },
    )
    audit.record(
        m, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=f"印发纪要{doc_number}"
    )
    # The units the decisions name, and the city leaders, are told the minutes are out.
    unit_ids = set(m.decisions.values_list("unit_id", flat=True))
    unit_ids |= set(
        Decision.co_units.through.objects.filter(decision__meeting=m).values_list("unit_id", flat=True)
    )
    people = User.objects.filter(is_active=True).filter(
        Q(role=User.Role.LEADER) | Q(unit_id__in=unit_ids, role__in=[User.Role.LIAISON, User.Role.HEAD])
    )
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=people,
            kind=Notification.Kind.MEETING,
            title=f"{m.title}纪要已印发（{doc_number}）"[:200],
            body="请各牵头单位对照议定事项抓好落实。" if unit_ids else "",
            url=m.get_absolute_url(),
            key=f"minutes:{m.pk}",
        )
    return m


def minutes_as_document(meeting: Meeting) -> s.Document:
    """The minutes as issued (frozen), or a draft of them as they would read now."""
    if meeting.doc_content:
        return s.document_from_data(meeting.doc_content)
    with translation.override(settings.LANGUAGE_CODE):
        return minutes_document(meeting, doc_number="", today=clock.today())


# ---------------------------------------------------------------- decisions


@dataclass
class DecisionInput:
    text: str
    unit: Unit
    deadline: date
    co_units: list[Unit] = field(default_factory=list)


@transaction.atomic
def decision_add(*, actor: User, meeting: Meeting, data: DecisionInput) -> Decision:
    """The office records a decision of a held meeting (议定事项) with its lead unit, co-units and deadline."""
    require_office(actor)
    m = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if m.state == Meeting.State.PREPARING:
        raise ServiceError(gettext("会议召开后才能记录议定事项"))
    if not data.text.strip():
        raise ServiceError(gettext("请填写议定事项"))
    if data.unit is None or data.deadline is None:
        raise ServiceError(gettext("请选择牵头单位并填写完成时限"))
    if data.deadline < m.held_on:
        raise ServiceError(gettext("完成时限不能早于会议日期"))
    seq = (Decision.objects.filter(meeting=m).aggregate(n=Max("seq"))["n"] or 0) + 1
    d = Decision.objects.create(
        meeting=m, seq=seq, text=data.text.strip(), unit=data.unit, deadline=data.deadline, recorded_by=actor
    )
    d.co_units.set([u for u in data.co_units if u.pk != data.unit.pk])
    audit.record(d, actor=actor, action=AuditEntry.Action.CREATE, scope=m)
    return d


def _undispatched(d: Decision) -> None:
    if d.created_item_id or Matter.objects.filter(decision=d).exists():
        raise ServiceError(gettext("该议定事项已交办或已立项"))


@transaction.atomic
def decision_to_matter(*, actor: User, decision: Decision) -> Matter:
    """The office tracks a decision as a matter (source 会议议定事项) of its lead unit."""
    require_office(actor)
    d = Decision.objects.select_for_update(of=("self",)).select_related("meeting", "unit").get(pk=decision.pk)
    _undispatched(d)
    short_meeting = d.meeting.title.replace("市委全面深化改革委员会", "市委深改委")
    matter = matter_create(
        actor=actor,
        source=Source.DECISION,
        decision=d,
        origin=d.meeting.title,
        title=f"{short_meeting}议定事项{d.seq}：{_short(d.text, 30)}",
        text=d.text,
        assignment=Assignment(unit=d.unit, deadline=d.deadline, co_units=list(d.co_units.all())),
    )
    return matter


@transaction.atomic
def decision_itemize(*, actor: User, decision: Decision, plan: Plan, code: str, title: str) -> Item:
    """立项: the office makes a decision a new ledger item of `plan`, linked both ways; the item joins the
    month's open dispatch period at once, so its lead unit reports on it this month."""
    require_office(actor)
    d = Decision.objects.select_for_update(of=("self",)).select_related("meeting", "unit").get(pk=decision.pk)
    _undispatched(d)
    if plan.is_archived:
        raise ServiceError(gettext("该方案已归档，不能立项"))
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise ServiceError(gettext("请填写事项编号和名称"))
    seq = (Item.objects.filter(plan=plan).aggregate(n=Max("seq"))["n"] or 0) + 1
    item = ledger_services.item_create(
        actor=actor,
        fields={
            "plan": plan,
            "code": code,
            "seq": seq,
            "title": title,
            "goal": d.text,
            "lead_unit": d.unit,
            "start_date": d.meeting.held_on,
            "due_date": d.deadline,
            "notes": f"由{d.meeting.title}议定事项立项",
        },
        # No lead leader by default: the meeting's chair chairs the committee, not each item it decides.
        co_units=list(d.co_units.all()),
        # The decision's deadline as the item's first milestone, for the dispatch's status to measure.
        milestones=[ledger_services.MilestoneData(title="完成会议议定事项", due_date=d.deadline)],
    )
    before = audit.snapshot(d)
    d.created_item = item
    d.save(update_fields=["created_item"])
    audit.record(
        d,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason=f"立项：{item}",
        scope=d.meeting,
    )
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=User.objects.filter(unit_id=d.unit_id, role=User.Role.LIAISON, is_active=True),
            kind=Notification.Kind.MEETING,
            title=f"会议议定事项已立项：{item.code} {item.title}"[:200],
            body=f"由{d.meeting.title}议定事项立项，纳入改革台账按月调度。",
            url=item.get_absolute_url(),
            key=f"decision:{d.pk}:itemized",
        )
    today = clock.today()
    # Its light from the start (未启动 until its unit reports), as the tick would give it.
    dispatch_engine.recompute_items(Item.objects.filter(pk=item.pk), today=today)
    open_now = Period.objects.filter(state=Period.State.OPEN, opens_on__lte=today, deadline__gte=today)
    for period in open_now.select_related("plan"):
        # The dispatch's own idempotent opening: it adds the reports of items that joined since
        # (of the monthly plans to the city's month, of a plan with its own cycle to its period).
        dispatch_services.period_open(actor=actor, year=period.year, month=period.month, plan=period.plan)
    return item
