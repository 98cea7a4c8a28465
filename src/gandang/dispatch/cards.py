"""The liaison's report cards: what is on the screen for each report, bound, checked and saved.

A card is one report on the month's fill page (or on its own edit page): the text fields, the
milestones ticked as reached, files chosen to attach. Every button of the page acts on what is on
the screen, so a POST binds every card it carries, and a card that cannot be saved comes back with
everything the person entered (each field, each ticked box, each date) and the reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from gandang.core import clock, dates
from gandang.core.errors import ServiceError, StaleEdit
from gandang.dispatch import card_html, flow, services
from gandang.dispatch.forms import ReportForm
from gandang.dispatch.models import Attachment, Report
from gandang.dispatch.selectors import CardParts
from gandang.ledger.models import Milestone
from gandang.org.models import User

EVIDENCE_MAX = 500


@dataclass
class ReachRow:
    """One milestone of the item on the card, as the page shows it."""

    milestone: Milestone
    checked: bool = False
    date: str = ""  # as typed (YYYY-MM-DD), so a bad date comes back as it was
    evidence: str = ""
    error: str = ""


@dataclass
class Card:
    report: Report
    form: ReportForm | None  # None when this user may not change the report now
    rows: list[ReachRow]
    actions: list
    default_date: datetime.date
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    bound: bool = False
    saved: bool = False
    # The stored values when the card was built (a ModelForm writes the typed ones onto the instance).
    stored: dict[str, Any] = field(default_factory=dict)
    reached_on_record: set[tuple] = field(default_factory=set)  # (milestone, date, evidence) stored
    # Text typed on a card that can no longer be changed (submitted meanwhile): shown back, never dropped.
    orphaned: list[tuple[str, str]] = field(default_factory=list)
    # The files on the card: read with the page's cards, else when first shown; a file attached here
    # joins them (a card shown again after a refused save lists it).
    files: list[Attachment] | None = None

    @property
    def prefix(self) -> str:
        return f"r{self.report.pk}"

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(r.error for r in self.rows) or bool(self.form and self.form.errors)

    @property
    def attachments(self) -> list[Attachment]:
        if self.files is None:
            self.files = list(self.report.attachments.all())
        return self.files

    @property
    def html(self) -> SafeString:
        """A card that can be changed, whole, as the page shows it (card_html.editable)."""
        return card_html.editable(self)

    @property
    def shown(self) -> dict[str, Any]:
        """What the template writes of a card that cannot be changed, read in one pass: its id (as
        text: a number in a template is localized), state, errors and head (card_html.head)."""
        return {
            "pk": str(self.report.pk),
            "state": self.report.state,
            "has_errors": self.has_errors,
            "head": card_html.head(self),
        }


def _default_date(report: Report) -> datetime.date:
    """The date a ticked milestone gets when none is typed: today, kept inside the period's month."""
    period = report.period
    return min(max(clock.today(), period.first_day), period.last_day)


def build(
    user: User, report: Report, data: QueryDict | None = None, *, parts: CardParts | None = None
) -> Card:
    """The card of `report` for `user`; bound to `data` when it carries this card's fields. `parts`:
    its milestones, those reached and its files, when read with a page of cards (else read here)."""
    prefix = f"r{report.pk}"
    editable = flow.edit_refusal(user, report) is None
    bound = editable and data is not None and f"{prefix}-version" in data
    form = None
    if editable:
        form = ReportForm(
            data if bound else None,
            instance=report,
            initial={"version": report.version},
            prefix=prefix,
        )
    on_record = parts.reached if parts else list(report.reached.all())
    saved = {r.milestone_id: r for r in on_record}
    rows = []
    for m in parts.milestones if parts else report.item.milestones.all():
        row = ReachRow(milestone=m)
        if m.done_date is None:
            if bound and data is not None:
                row.checked = bool(data.get(f"{prefix}-reach-{m.pk}"))
                row.date = data.get(f"{prefix}-reach-date-{m.pk}", "").strip()
                row.evidence = data.get(f"{prefix}-reach-evidence-{m.pk}", "")
            elif m.pk in saved:
                r = saved[m.pk]
                row.checked, row.date, row.evidence = True, r.done_date.isoformat(), r.evidence
        rows.append(row)
    card = Card(
        report=report,
        form=form,
        rows=rows,
        actions=flow.actions_for(user, report),
        default_date=_default_date(report),
        bound=bound,
        stored={name: getattr(report, name) for name in ReportForm.Meta.fields},
        reached_on_record={(x.milestone_id, x.done_date, x.evidence) for x in on_record},
        files=list(parts.attachments) if parts else None,
    )
    if not editable and data is not None and f"{prefix}-version" in data:
        labels = {f.name: str(f.verbose_name) for f in Report._meta.fields}
        for name in ("progress", "problems", "next_steps", "coordination"):
            typed = data.get(f"{prefix}-{name}", "")
            if typed.strip() and typed.strip() != (getattr(report, name) or "").strip():
                card.orphaned.append((labels[name], typed))
        if card.orphaned:
            card.errors.append(
                _(
                    "该报告现为“%(state)s”，不能再修改，您刚才输入的内容没有保存。内容显示在下面，可复制后联系单位负责人退回再改。"
                )
                % {"state": report.get_state_display()}
            )
    return card


def _reached(card: Card, *, strict: bool) -> list[services.Reached] | None:
    """The ticked milestones; a ticked one without a proper date marks its row (strict) or, for a
    draft saved as it is typed, leaves the milestones as they were saved (None)."""
    out = []
    for row in card.rows:
        if not row.checked:
            continue
        try:
            done = dates.parse_date(row.date)  # 2023-12-05, 2023/12/5, 2023年12月5日…
        except ValueError:
            if not strict:
                return None
            row.error = (
                _("请填写节点“%(title)s”的完成日期") % {"title": row.milestone.title}
                if not row.date
                else _("节点“%(title)s”的完成日期格式不对，请按“年-月-日”填写")
                % {"title": row.milestone.title}
            )
            continue
        if len(row.evidence) > EVIDENCE_MAX:
            if not strict:
                return None
            row.error = _("节点佐证不能超过%(n)d字") % {"n": EVIDENCE_MAX}
            continue
        out.append(services.Reached(row.milestone.pk, done, row.evidence.strip()))
    return out


def _changed(card: Card, fields: dict[str, Any], new_reached: list[services.Reached] | None) -> bool:
    """Whether saving changes anything: a field, or the milestones (`new_reached`, from _new_reached)."""
    if new_reached is not None:
        return True
    return any(
        (value if value is not None or name == "percent" else "") != card.stored.get(name)
        for name, value in fields.items()
    )


def _new_reached(card: Card, reached: list[services.Reached] | None) -> list[services.Reached] | None:
    """The ticked milestones when they differ from those on record; None leaves the record alone."""
    if reached is None:
        return None
    ticked = {(x.milestone_id, x.done_date, x.evidence) for x in reached}
    return reached if ticked != card.reached_on_record else None


def attach_files(user: User, card: Card, files: MultiValueDict | None) -> None:
    """Files chosen on the card are stored first, each on its own, so no text error drops them."""
    if files is None or card.form is None:
        return
    uploads: list[UploadedFile] = files.getlist(f"{card.prefix}-files")
    if not uploads:
        return
    listed = card.attachments  # read before any is stored, so that each new one joins the list once
    for upload in uploads:
        try:
            att = services.attachment_add(actor=user, report=card.report, upload=upload)
        except ServiceError as exc:
            card.errors.append(_("附件“%(name)s”未上传：%(why)s") % {"name": upload.name, "why": exc})
        else:
            listed.append(att)
            card.notices.append(_("已上传附件“%(name)s”") % {"name": att.name})


def save(user: User, card: Card, *, submit: bool = False) -> bool:
    """Save the card (and submit it, in the same transaction, when `submit`); False with the reasons
    on the card when it could not be done. Nothing typed is dropped: the bound form keeps it."""
    form = card.form
    if form is None or not card.bound:
        if submit:
            card.errors.append(flow.edit_refusal(user, card.report) or _("请刷新页面后再提交"))
        return not submit
    if not form.is_valid():
        return False
    reached = _reached(card, strict=True)
    if card.has_errors or reached is None:
        return False
    data = dict(form.cleaned_data)
    version = data.pop("version")
    reached = _new_reached(card, reached)
    try:
        if submit:
            services.report_save_and_submit(
                actor=user, report=card.report, expected_version=version, fields=data, reached=reached
            )
        elif _changed(card, data, reached):
            services.report_save(
                actor=user, report=card.report, expected_version=version, fields=data, reached=reached
            )
        else:
            return True
    except StaleEdit:
        _stale(card)
        return False
    except ServiceError as exc:
        if submit and _changed(card, data, reached):
            # The step was refused, so nothing was kept; the typed text is still kept as a draft.
            try:
                services.report_save(
                    actor=user, report=card.report, expected_version=version, fields=data, reached=reached
                )
            except ServiceError:
                pass
            else:
                card.report.refresh_from_db()
                _set_version(card, card.report.version)
                card.errors.append(_("已保存为草稿，但未能提交签发：%(why)s") % {"why": exc})
                return False
        card.errors.append(str(exc))
        return False
    card.saved = True
    return True


def autosave(user: User, card: Card) -> dict[str, Any]:
    """Save a draft as it is typed. The answer says what the page should show; nothing raises."""
    form = card.form
    if form is None:
        return {"ok": False, "status": 403, "error": flow.edit_refusal(user, card.report) or ""}
    if not form.is_valid():
        errors = [
            f"{form.fields[n].label if n in form.fields else ''}：{e}"
            for n, es in form.errors.items()
            for e in es
        ]
        return {"ok": False, "status": 400, "error": "；".join(errors)}
    reached = _reached(card, strict=False)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    new_reached = _new_reached(card, reached)
    if not _changed(card, data, new_reached):
        return {"ok": True, "version": card.report.version, "unchanged": True}
    try:
        report = services.report_save(
            actor=user,
            report=card.report,
            expected_version=version,
            fields=data,
            reached=new_reached,
            autosave=True,
        )
    except StaleEdit:
        return {
            "ok": False,
            "status": 409,
            "error": _(
                "该报告已在别处修改（可能是另一个窗口），自动保存已暂停。请点“保存”，以本页内容为准。"
            ),
        }
    except ServiceError as exc:
        return {"ok": False, "status": 400, "error": str(exc)}
    out: dict[str, Any] = {"ok": True, "version": report.version}
    if reached is None:
        out["warning"] = _("勾选的节点还没有完成日期，节点暂未保存")
    if report.is_copy:
        said = (
            _("与上月报告相似度%(s)s，请补充本月新的进展")
            if report.period.is_monthly
            else _("与上期报告相似度%(s)s，请补充本期新的进展")
        )
        out["warning"] = said % {"s": f"{report.similarity:.0%}"}
    return out


def _stale(card: Card) -> None:
    """Someone saved the report since this page was opened: keep what was typed, say so, and let the
    next save knowingly replace the stored text (the hidden version moves on; never silently)."""
    current = Report.objects.get(pk=card.report.pk)
    card.errors.append(
        _(
            "该报告在您打开页面后已被修改（可能是另一个窗口或同事），您输入的内容没有保存，仍保留在下面。"
            "核对后再次保存，将以本页内容为准。"
        )
    )
    _set_version(card, current.version)


def _set_version(card: Card, version: int) -> None:
    """Re-render the card with `version` in its hidden field, keeping everything else as typed."""
    assert card.form is not None
    data = card.form.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
    data[f"{card.prefix}-version"] = str(version)
    card.form.data = data
