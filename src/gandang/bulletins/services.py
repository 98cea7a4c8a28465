"""Every write of the quarterly bulletin: draft, edit a section, restore it, issue, start a correction."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext

from gandang.bulletins import document, drafting, sections
from gandang.bulletins.figures import quarter_figures
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.core import audit, clock
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.documents.models import DocumentKind
from gandang.documents.services import number_format, number_next
from gandang.documents.structure import document_to_data
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import User

ISSUED_REFUSAL = "已印发的通报不能修改或重新生成；如需更正，请在该通报页面发起更正通报。"


def _section_label(key: str) -> str:
    return drafting.HEADINGS.get(key) or "导语"


@transaction.atomic
def bulletin_draft(*, actor: User, quarter: Quarter, today: date | None = None) -> tuple[Bulletin, bool]:
    """Start the draft of `quarter`'s bulletin, or return the draft already started (created False).

    Refused once the quarter's bulletin is issued: a change then is a correction, a new issue.
    """
    require_office(actor)
    today = today or clock.today()
    if quarter.start > today:
        raise ServiceError(f"{quarter.label}尚未开始，不能起草通报")
    existing = Bulletin.objects.filter(
        year=quarter.year, quarter=quarter.number, state=Bulletin.State.DRAFT
    ).first()
    if existing is not None:
        return existing, False
    issued = (
        Bulletin.objects.filter(year=quarter.year, quarter=quarter.number, state=Bulletin.State.ISSUED)
        .order_by("-issued_on", "-id")
        .first()
    )
    if issued is not None:
        raise ServiceError(
            f"{quarter.label}通报已印发（{issued.doc_number}）；如需更正，请在该通报页面发起更正通报。"
        )
    return _create(actor=actor, quarter=quarter), True


def _create(*, actor: User, quarter: Quarter, corrects: Bulletin | None = None) -> Bulletin:
    try:
        with transaction.atomic():
            b = Bulletin.objects.create(
                year=quarter.year,
                quarter=quarter.number,
                created_by=actor,
                corrects=corrects,
                sections=dict(corrects.sections) if corrects else {},
                title=drafting.title(quarter),
            )
    except IntegrityError:
        raise ServiceError(f"{quarter.label}已有通报草稿，请刷新页面后查看") from None
    audit.record(
        b,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        reason=f"更正{corrects.doc_number}" if corrects else "",
    )
    return b


@transaction.atomic
def bulletin_correct(*, actor: User, bulletin: Bulletin) -> Bulletin:
    """Start a corrected bulletin of the same quarter: a new draft that will take a new number.

    The issued bulletin stays as it was; the draft starts from its edited sections.
    """
    require_office(actor)
    bulletin = Bulletin.objects.get(pk=bulletin.pk)
    if not bulletin.is_issued:
        raise ServiceError("只能更正已印发的通报")
    if bulletin.corrections.filter(state=Bulletin.State.ISSUED).exists():
        raise ServiceError("该通报已有印发的更正通报，请更正最新的一期")
    q = bulletin.quarter_obj
    if Bulletin.objects.filter(year=q.year, quarter=q.number, state=Bulletin.State.DRAFT).exists():
        raise ServiceError(f"{q.label}已有通报草稿，请在草稿中修改")
    return _create(actor=actor, quarter=q, corrects=bulletin)


def _bump(bulletin: Bulletin, expected_version: int) -> Bulletin:
    """Take the draft for this write, or explain why not (issued, or someone saved first)."""
    bumped = Bulletin.objects.filter(
        pk=bulletin.pk, version=expected_version, state=Bulletin.State.DRAFT
    ).update(version=F("version") + 1)
    current = Bulletin.objects.select_related("corrects").get(pk=bulletin.pk)
    if not bumped:
        if current.is_issued:
            raise ServiceError(ISSUED_REFUSAL)
        raise StaleEdit("该通报已被他人修改，您的修改没有保存。请刷新页面后重试。")
    return current


SECTIONS = sections.Editor(keys=drafting.SECTION_KEYS, bump=_bump, label=_section_label, reason="编辑通报")


@transaction.atomic
def bulletin_section_save(
    *, actor: User, bulletin: Bulletin, key: str, text: str, expected_version: int
) -> Bulletin:
    """The office rewrites one section's text; from now on it keeps that text instead of the generated one."""
    return SECTIONS.save(actor=actor, record=bulletin, key=key, text=text, expected_version=expected_version)


@transaction.atomic
def bulletin_section_restore(*, actor: User, bulletin: Bulletin, key: str, expected_version: int) -> Bulletin:
    """Drop the office's text of a section: it is generated from the records again."""
    return SECTIONS.restore(actor=actor, record=bulletin, key=key, expected_version=expected_version)


@transaction.atomic
def bulletin_issue(
    *,
    actor: User,
    bulletin: Bulletin,
    expected_version: int,
    issued_on: date | None = None,
    notify_people: bool = True,
) -> Bulletin:
    """Issue the draft: take the next bulletin number, date it, freeze its whole content, notify everyone.

    Refused while a month of the quarter is not closed: the figures would still move.
    """
    require_office(actor)
    current = Bulletin.objects.select_related("corrects").get(pk=bulletin.pk)
    if current.is_issued:
        raise ServiceError(ISSUED_REFUSAL)
    if current.version != expected_version:
        raise StaleEdit("该通报已被他人修改，请刷新页面、核对后再印发。")
    q = current.quarter_obj
    figures = quarter_figures(q)
    if not figures.complete:
        months = (
            [f"{m}月（未开启）" for m in figures.missing_months]
            + [f"{m}月（未结束）" for m in figures.open_months]
            + [f"{x}（未开启）" for x in figures.plan_spans_missing]
            + [f"{p}（未结束）" for p in figures.unclosed_plan_periods]
        )
        raise ServiceError(f"{q.label}的调度期尚未全部结束：{'、'.join(months)}。季度数据完整后才能印发。")
    on = issued_on or clock.today()
    if on <= q.end:
        raise ServiceError(f"印发日期应在{q.label}结束之后")
    today = clock.today()
    if on > today:
        raise ServiceError(
            gettext("印发日期不能晚于今天（%(today)s）")
            % {"today": f"{today.year}年{today.month}月{today.day}日"}
        )
    corrected = current.corrects
    if corrected is not None and corrected.issued_on is not None and on < corrected.issued_on:
        d = corrected.issued_on
        raise ServiceError(
            gettext("更正通报的印发日期不能早于被更正通报%(number)s的印发日期（%(date)s）")
            % {"number": corrected.doc_number, "date": f"{d.year}年{d.month}月{d.day}日"}
        )
    b = _bump(current, expected_version)
    number = number_next(kind=DocumentKind.BULLETIN, year=on.year)
    doc_number = number_format(kind=DocumentKind.BULLETIN, year=on.year, number=number)
    doc = document.issued_document(b, figures=figures, on=on, doc_number=doc_number)
    before = audit.snapshot(b)
    b.state = Bulletin.State.ISSUED
    b.number, b.doc_number, b.title = number, doc_number, doc.title
    b.issued_on, b.issued_by = on, actor
    b.content = document_to_data(doc)
    b.save()
    audit.record(b, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="印发")
    if notify_people:
        _notify_issued(b)
    return b


def _notify_issued(b: Bulletin) -> None:
    readers = User.objects.filter(
        is_active=True, role__in=[User.Role.LIAISON, User.Role.HEAD, User.Role.LEADER]
    )
    notify(
        users=readers,
        kind=Notification.Kind.OTHER,
        title=f"{b.doc_number}《{b.title}》已印发",
        body="请认真对照通报内容，抓好滞后事项整改和下步工作落实。",
        url=b.get_absolute_url(),
        key=f"bulletin:{b.pk}",
    )
