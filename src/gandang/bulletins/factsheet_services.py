"""Every write of the press-conference fact sheet: draft it, edit a section, restore it, choose how a
figure is written. Each is audited; concurrent edits are refused, never silently overwritten."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F

from gandang.bulletins import factsheet, sections
from gandang.bulletins.models import FactSheet
from gandang.core import audit, clock
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.org.access import require_office
from gandang.org.models import User

MAX_TITLE = 200


def check_range(*, start: date, end: date, since: date) -> None:
    """Refuse a range the figures cannot mean: reversed, or cumulative from after its end."""
    if start > end:
        raise ServiceError("起始日期不能晚于截止日期")
    if since > end:
        raise ServiceError("累计起始日期不能晚于截止日期")
    if end > clock.today():
        raise ServiceError("截止日期不能晚于今天")


@transaction.atomic
def factsheet_create(*, actor: User, start: date, end: date, since: date, title: str = "") -> FactSheet:
    """Start a fact sheet for a date range; its figures come from the records on every read."""
    require_office(actor)
    check_range(start=start, end=end, since=since)
    title = (title or "").strip() or factsheet.default_title(start, end)
    if len(title) > MAX_TITLE:
        raise ServiceError(f"标题过长（超过{MAX_TITLE}字）")
    sheet = FactSheet.objects.create(title=title, start=start, end=end, since=since, created_by=actor)
    audit.record(sheet, actor=actor, action=AuditEntry.Action.CREATE)
    return sheet


def _bump(sheet: FactSheet, expected_version: int) -> FactSheet:
    """Take the fact sheet for this write, or say that someone saved first."""
    if not FactSheet.objects.filter(pk=sheet.pk, version=expected_version).update(version=F("version") + 1):
        raise StaleEdit("该材料已被他人修改，您的修改没有保存。请刷新页面后重试。")
    return FactSheet.objects.get(pk=sheet.pk)


def _label(key: str) -> str:
    return factsheet.HEADINGS.get(key) or "导语"


SECTIONS = sections.Editor(keys=factsheet.SECTION_KEYS, bump=_bump, label=_label, reason="编辑发布会材料")


@transaction.atomic
def factsheet_section_save(
    *, actor: User, sheet: FactSheet, key: str, text: str, expected_version: int
) -> FactSheet:
    """The office rewrites one section; from now on it keeps that text instead of the generated one."""
    return SECTIONS.save(actor=actor, record=sheet, key=key, text=text, expected_version=expected_version)


@transaction.atomic
def factsheet_section_restore(*, actor: User, sheet: FactSheet, key: str, expected_version: int) -> FactSheet:
    """Drop the office's text of a section: it is generated from the records again."""
    return SECTIONS.restore(actor=actor, record=sheet, key=key, expected_version=expected_version)


@transaction.atomic
def factsheet_wording_save(
    *, actor: User, sheet: FactSheet, choices: dict[str, str], expected_version: int
) -> FactSheet:
    """How each figure is written in the generated text: exact (33项) or rounded (30余项)."""
    require_office(actor)
    for key, choice in choices.items():
        if key not in factsheet.FIGURE_KEYS or choice not in (factsheet.EXACT, factsheet.ROUNDED):
            raise ServiceError("数字写法的选项不正确，请刷新页面后重试")
    sh = _bump(sheet, expected_version)
    before = dict(sh.wording or {})
    wording = before | choices
    if wording == before:
        return sh
    sh.wording = wording
    sh.save(update_fields=["wording", "updated_at"])
    names = {k: label for k, label, *_ in factsheet.FIGURES}
    word = {factsheet.EXACT: "精确数", factsheet.ROUNDED: "约数（N余项）"}
    audit.record(
        sh,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before={names[k]: word[v] for k, v in before.items() if wording.get(k) != v},
        after={names[k]: word[v] for k, v in wording.items() if before.get(k) != v},
        reason="调整数字写法",
    )
    return sh
