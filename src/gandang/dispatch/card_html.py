"""A report card as the page shows it (the fill page's, and a report's own edit page's), written in one
pass.

A page has twenty cards, each with five fields, its milestones, its files and its buttons. Django's
template engine spends some microseconds on every variable and tag, which over a card's sixty came
to more than all the card's own work; so a card that can be changed (the liaison's, filled every
month) is written here, and one that cannot (sent on its way, or a head's, with its step buttons) by
period_fill.html#card around the head written here. The HTML is what that template wrote, every
value escaped as its autoescape does.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from django.template.defaultfilters import filesizeformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gandang.core.forms import DateInput
from gandang.core.links import pk_url
from gandang.dispatch.models import Report

if TYPE_CHECKING:
    from gandang.dispatch.cards import Card

_WORDS: dict[tuple[str | None, bool], dict[str, str]] = {}


def _words(monthly: bool) -> dict[str, str]:
    """The cards' fixed words in the active language, translated once per language and kind of
    period (a month's 本月, a plan's period's 本期)."""
    key = (get_language(), monthly)
    words = _WORDS.get(key)
    if words is None:
        words = _WORDS[key] = {
            "copy": _("与上月高度相似") if monthly else _("与上期高度相似"),
            "returned": _("退回原因："),
            "expected": _("本月计划（上月“下步计划”）：") if monthly else _("本期计划（上期“下步计划”）："),
            "reached": _("本月完成的时间节点") if monthly else _("本期完成的时间节点"),
            "planned": _("（计划 %(d)s）"),
            "done": _("（%(text)s）"),
            "date": _("完成日期"),
            "evidence_hint": _("佐证（文件名、文号等）"),
            "evidence": _("佐证"),
            "files": _("附件"),
            "remove_confirm": _("确定删除该附件？"),
            "remove": _("删除"),
            "add_files": _("添加附件"),
            "files_hint": _(
                "选择文件后随“保存”或“提交”一起上传；支持 PDF、Word、Excel、PowerPoint、WPS 文件和图片"
            ),
            "save": _("保存"),
            "submit": _("提交签发"),
        }
    return words


_DATE_INPUTS: dict[str | None, DateInput] = {}


def _date_input() -> DateInput:
    """The milestone rows' date input, its words (年-月-日, 选择日期) in the active language, worded once
    per language: the widget words them afresh on every render, and a page has some forty rows."""
    language = get_language()
    widget = _DATE_INPUTS.get(language)
    if widget is None:
        widget = _DATE_INPUTS[language] = DateInput()
        widget.attrs = {
            name: value if isinstance(value, bool) else str(value) for name, value in widget.attrs.items()
        }
    return widget


def _messages(texts: list[str]) -> str:
    """Messages one under the other, each escaped unless it is HTML already."""
    return "".join(f"<div>{conditional_escape(t)}</div>" for t in texts)


def head(card: Card) -> SafeString:
    """The card's header (its report's item, state and copy flag; for a card that can be changed, where
    autosave says how it went) and its messages: why it was not saved, why it came back, what was
    planned for the month."""
    report = card.report
    words = _words(report.period.is_monthly)
    state = html.escape(report.state)
    parts = [
        '<header class="report-head">\n'
        f'    <h2><a href="{html.escape(report.get_absolute_url())}">'
        f"{html.escape(f'{report.item.code} {report.item.title}')}</a></h2>\n"
        f'    <span class="tag state-{state}">{html.escape(str(report.get_state_display()))}</span>\n'
    ]
    if report.is_copy:
        parts.append(f'    <span class="tag flag-copy">{html.escape(words["copy"])}</span>\n')
    if card.form is not None:
        parts.append('    <span class="autosave-status muted small" aria-live="polite"></span>\n')
    parts.append("  </header>\n")
    if card.errors:
        parts.append(f'  <div class="msg msg-error">{_messages(card.errors)}</div>\n')
    if report.state == Report.State.RETURNED and report.return_reason:
        parts.append(
            f'  <div class="msg msg-error">{html.escape(words["returned"])}{html.escape(report.return_reason)}</div>\n'
        )
    if report.expected:
        parts.append(
            f'  <p class="muted small">{html.escape(words["expected"])}{html.escape(report.expected)}</p>\n'
        )
    return SafeString("".join(parts))


def editable(card: Card) -> SafeString:
    """A card that can be changed, whole: its head, then its form (the hidden version, the fields, the
    milestone rows, the files with their 删除 buttons and the file input, 保存 and 提交签发)."""
    form = card.form
    assert form is not None
    report = card.report
    words = _words(report.period.is_monthly)
    pk, prefix = report.pk, card.prefix
    out = [
        f'<article class="card report-card state-{html.escape(report.state)}{" has-error" if card.has_errors else ""}"'
        f' id="report-{pk}" data-autosave="{html.escape(pk_url("dispatch:report_autosave", pk))}"'
        f' data-draft-key="report:{pk}" data-prefix="{prefix}">\n  ',
        head(card),
        f"    {form['version']}\n",
    ]
    if errors := form.non_field_errors():
        out.append(
            f'    <div class="msg msg-error">{"".join(conditional_escape(str(e)) for e in errors)}</div>\n'
        )
    out.append(f'    <div class="formgrid">\n      {fields(card)}\n    </div>\n')
    if card.rows:
        out.append(
            f'    <fieldset class="reached"><legend>{html.escape(words["reached"])}</legend>'
            f"{reached(card, words)}\n    </fieldset>\n"
        )
    confirm, remove = html.escape(words["remove_confirm"]), html.escape(words["remove"])
    files = "".join(
        f'<li><a href="{html.escape(pk_url("dispatch:attachment_download", a.pk))}">{html.escape(a.name)}</a>'
        f' <span class="muted">{html.escape(filesizeformat(a.size))}</span>\n'
        f'        <button class="link" name="remove_attachment" value="{a.pk}" data-confirm="{confirm}">{remove}'
        "</button></li>"
        for a in card.attachments
    )
    out.append(
        f'    <div class="card-files"><span class="label">{html.escape(words["files"])}</span>\n'
        f'      <ul class="plain small">{files}</ul>\n'
        f'      <input type="file" name="{prefix}-files" multiple aria-label="{html.escape(words["add_files"])}">'
        f' <span class="muted small">{html.escape(words["files_hint"])}</span>\n'
        "    </div>\n"
        f'    <div class="formactions"><button class="btn" name="save" value="{pk}">{html.escape(words["save"])}</button>'
    )
    if any(name == "submit" for name, _step in card.actions):
        out.append(
            f'\n      <button class="btn primary" name="submit" value="{pk}">{html.escape(words["submit"])}</button>'
        )
    out.append("</div>\n</article>")
    return SafeString("".join(out))


def fields(card: Card) -> str:
    """The form's visible fields, each in its box with its label and its errors."""
    assert card.form is not None
    out = []
    for f in card.form.visible_fields():
        errors = f.errors
        out.append(
            f'<div class="fld fld-{html.escape(f.name)}{" has-error" if errors else ""}">'
            f'<label for="{html.escape(f.id_for_label)}">{html.escape(str(f.label))}</label>{f}'
            + "".join(f'<small class="err">{html.escape(str(e))}</small>' for e in errors)
            + "</div>"
        )
    return "".join(out)


def reached(card: Card, words: dict[str, str]) -> str:
    """Each milestone row: one reached before (✓, its date), or a box to tick with its date and evidence
    (as typed, or as saved) and its error."""
    prefix, default = card.prefix, card.default_date.isoformat()
    date_widget = _date_input()
    hint, evidence = html.escape(words["evidence_hint"]), html.escape(words["evidence"])
    out = []
    for row in card.rows:
        m = row.milestone
        if m.done_date:
            inner = f'<span class="ok">✓ {html.escape(m.title)}{words["done"] % {"text": m.done_date.isoformat()}}</span>'
        else:
            due = m.due_date.isoformat() if m.due_date else "—"
            date_name = f"{prefix}-reach-date-{m.pk}"
            date = date_widget.render(
                date_name, row.date, attrs={"id": date_name, "aria-label": words["date"]}
            )
            error = f'\n        <small class="err">{html.escape(row.error)}</small>' if row.error else ""
            inner = (
                f'<label><input type="checkbox" name="{prefix}-reach-{m.pk}" value="1"'
                f' data-reach-date="{date_name}" data-default-date="{default}"'
                f"{' checked' if row.checked else ''}> {html.escape(m.title)}"
                f' <span class="muted">{words["planned"] % {"d": html.escape(due)}}</span></label>\n'
                f"        {date}\n"
                f'        <input name="{prefix}-reach-evidence-{m.pk}" placeholder="{hint}"'
                f' aria-label="{evidence}" value="{html.escape(row.evidence)}" maxlength="500">{error}'
            )
        out.append(
            f'\n      <div class="reach-row{" has-error" if row.error else ""}">\n        {inner}\n      </div>'
        )
    return "".join(out)
