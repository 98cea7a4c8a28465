"""The one section editor of the bulletin and the press-conference fact sheet: the office rewrites a
generated section (its text is kept instead of the generated one from then on) or restores it, each write
audited and refused when someone saved first. `services` and `factsheet_services` write through their
`Editor`; their pages take the posted section through `save_view` and the restore button through
`restore_view`."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from gandang.bulletins.forms import VersionForm
from gandang.core import audit, clock
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.org.access import require_office
from gandang.org.models import User
from gandang.org.types import AuthedHttpRequest

MAX_TEXT = 20000

R = TypeVar("R")  # a Bulletin or a FactSheet: its `sections` and `version`


@dataclass(frozen=True)
class Editor(Generic[R]):
    """The sections of one kind of record: which there are (`keys`), how a write takes the record (`bump`:
    its version raised, or the refusal when someone saved first), what a section is called in the history
    (`label`) and why the history says it changed (`reason`)."""

    keys: Collection[str]
    bump: Callable[[R, int], R]
    label: Callable[[str], str]
    reason: str

    def save(self, *, actor: User, record: R, key: str, text: str, expected_version: int) -> R:
        """The office's text of section `key` of `record`, kept from now on instead of the generated one."""
        require_office(actor)
        if key not in self.keys:
            raise ServiceError("没有这一部分")
        text = text.replace("\r\n", "\n").strip()
        if not text:
            raise ServiceError("内容不能为空；如需恢复系统生成的内容，请点击“恢复生成内容”")
        if len(text) > MAX_TEXT:
            raise ServiceError(f"内容过长（超过{MAX_TEXT}字）")
        r: Any = self.bump(record, expected_version)
        before = (r.sections or {}).get(key, {}).get("text", "")
        sections = dict(r.sections or {})
        sections[key] = {"text": text, "by": str(actor), "at": clock.now().isoformat(timespec="seconds")}
        r.sections = sections
        r.save(update_fields=["sections", "updated_at"])
        label = self.label(key)
        audit.record(
            r,
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            before={label: before},
            after={label: text},
            reason=self.reason,
        )
        return r

    def restore(self, *, actor: User, record: R, key: str, expected_version: int) -> R:
        """Drop the office's text of section `key`: it is generated from the records again."""
        require_office(actor)
        if key not in self.keys:
            raise ServiceError("没有这一部分")
        r: Any = self.bump(record, expected_version)
        sections = dict(r.sections or {})
        old = sections.pop(key, None)
        if old is None:
            return r
        r.sections = sections
        r.save(update_fields=["sections", "updated_at"])
        label = self.label(key)
        audit.record(
            r,
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            before={label: old.get("text", "")},
            after={label: ""},
            reason="恢复系统生成内容",
        )
        return r


def save_view(
    request: AuthedHttpRequest,
    form: Any,
    key: str,
    *,
    save: Callable[[str, int], Any],
    respond: Callable[[Any], HttpResponse],
) -> HttpResponse | None:
    """The section's form (text and version) posted: `save(text, expected_version)` (the service), then
    `respond(saved)` (the section re-rendered) for htmx, or 已保存 and back to the section. None on a GET,
    or when the form is invalid or the save refused (the reason is then the form's error): the caller
    shows the form again with what was typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        record = save(form.cleaned_data["text"], form.cleaned_data["version"])
    except ServiceError as exc:
        form.add_error(None, str(exc))
        return None
    if request.htmx:
        return respond(record)
    messages.success(request, _("已保存"))
    return redirect(record.get_absolute_url() + f"#part-{key}")


def restore_view(
    request: AuthedHttpRequest,
    record: Any,
    key: str,
    *,
    restore: Callable[[int], Any],
    respond: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """恢复生成内容 pressed on section `key` of `record`: `restore(expected_version)` (the service), then
    `respond(restored)` (the section re-rendered) for htmx or back to the section. A refusal is the page's
    message: htmx reloads the page to show it (a 204 with HX-Refresh), a browser goes back to the record."""
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(_("页面已过期，请刷新后重试"))
        record = restore(form.cleaned_data["version"])
    except ServiceError as exc:
        messages.error(request, str(exc))
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect(record)
    if request.htmx:
        return respond(record)
    messages.success(request, _("已恢复为系统生成的内容"))
    return redirect(record.get_absolute_url() + f"#part-{key}")
