"""Pages of instructions and matters: the lists, an instruction with its matters, a matter with its answer,
steps and history, the office's 立项 and a leader's 批示 on an item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gandang.core import attachments, audit, clock, dates, records
from gandang.core.paging import deferred_page
from gandang.core.params import int_param
from gandang.core.views import attempt, run_service, save_or_submit
from gandang.ledger.access import get_item_for_user
from gandang.matters import consult_selectors, flow, letters, meeting_selectors, selectors, services
from gandang.matters.access import (
    can_instruct,
    get_attachment_for_user,
    get_instruction_for_user,
    get_matter_for_user,
    get_scan_for_user,
    instructions_visible_to,
    matters_visible_to,
    require_office,
)
from gandang.matters.consult_access import suggestions_visible_to
from gandang.matters.forms import (
    STATE_CHOICES,
    AnswerForm,
    ContributionForm,
    InstructionForm,
    ItemInstructionForm,
    ItemizeForm,
    ReasonForm,
)
from gandang.matters.meeting_access import meetings_visible_to
from gandang.matters.meeting_models import Decision, ObserverComment
from gandang.matters.models import Instruction, Matter, MatterContribution, Outcome, Source
from gandang.org.models import Unit
from gandang.org.types import AuthedHttpRequest


def _form_error(form: forms.Form, default: str) -> str:
    """Why the form was refused: a value given but wrong says what is wrong; a value left out gets `default`."""
    for name, errors in form.errors.items():
        if name in form.data and str(form.data.get(name, "")).strip():
            return str(errors[0])
    return default


def _date_param(params, name: str) -> date | None:
    """The query value `name` as a date, None when absent or malformed."""
    value = params.get(name)
    if not value:
        return None
    try:
        return dates.parse_date(value)
    except dates.DateFormatError:
        return None


def _query(**params: object) -> str:
    """The list's filters as they were understood, for its pager's links to keep."""
    return urlencode({k: v for k, v in params.items() if v not in ("", None, False)})


def matter_list(request: AuthedHttpRequest) -> HttpResponse:
    """督办事项: filtered by state, lead unit and overdue, a page at a time."""
    user = request.user
    today = clock.today()
    visible = matters_visible_to(user)
    qs = visible
    state = request.GET.get("state", "")
    if state in Matter.State.values:
        qs = qs.filter(state=state)
    elif state == "open":  # the year's overview: every state before 办结 or 立项
        qs = qs.filter(state__in=Matter.OPEN_STATES)
    else:
        state = ""
    unit_id = int_param(request.GET, "unit")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    source = request.GET.get("source", "")
    if source in Source.values:
        qs = qs.filter(source=source)
    else:
        source = ""
    year = int_param(request.GET, "year", min_value=2000, max_value=2100)  # assigned that year
    if year:
        qs = qs.filter(created_at__year=year)
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        qs = qs.filter(selectors.overdue_q(today))
    page = deferred_page(qs.order_by("deadline", "id"), request.GET.get("page"), rows=selectors.matter_rows)
    for m in page.object_list:  # the row's latest 催办函/督办函, and the office's button for the next one
        m.last_letter = (list(m.letters.all()) or [None])[-1]
        m.letter_offer = letters.offer(user, m, today=today)
    units = None
    if user.sees_all_units:
        units = Unit.objects.filter(pk__in=Matter.objects.values("unit_id")).order_by("sort_order", "name")
    ctx = {
        "page": page,
        "state": state,
        "states": STATE_CHOICES,
        "unit": str(unit_id or ""),
        "units": units,
        "overdue": overdue,
        "source": source,
        "sources": Source.choices,
        "year": year or "",
        "n_overdue": visible.filter(selectors.overdue_q(today)).count(),
        "today": today,
        "tab": "matters",
        "query": _query(
            state=state, unit=unit_id or "", overdue="1" if overdue else "", source=source, year=year or ""
        ),
    }
    return render(request, "matters/matter_list.html", ctx)


def _contributions(matter: Matter) -> list[tuple[Unit, MatterContribution | None]]:
    written = {c.unit_id: c for c in matter.contributions.select_related("written_by")}
    return [(u, written.get(u.pk)) for u in matter.co_units.all()]


def _contribution_form(user, matter: Matter) -> ContributionForm | None:
    if services.contribution_refusal(user, matter):
        return None
    own = matter.contributions.filter(unit_id=user.unit_id).first()
    return ContributionForm(initial={"text": own.text if own else ""})


def _detail_ctx(
    request: AuthedHttpRequest,
    matter: Matter,
    form: AnswerForm | None = None,
    contribution_form: ContributionForm | None = None,
) -> dict:
    user = request.user
    editable = flow.edit_refusal(user, matter) is None
    if editable and form is None:
        initial = {"answer": matter.answer, "version": matter.version}
        initial |= {"outcome": matter.outcome, "outcome_reason": matter.outcome_reason}
        form = AnswerForm(initial=initial, suggestion=matter.asks_outcome)
    return {
        "matter": matter,
        "form": form if editable else None,
        "can_edit": editable,
        "actions": flow.actions_for(user, matter),
        "can_itemize": flow.refusal(user, matter, "itemize") is None,
        "co_units": matter.co_units.all(),
        # Each co-unit's part of the answer (or that it has not written one yet), and the form of the
        # reader's own unit if it is one of them.
        "contributions": _contributions(matter),
        "contribution_form": _contribution_form(user, matter)
        if contribution_form is None
        else contribution_form,
        "items": matter.items.all(),
        # A sit-in observer's comment answered as a matter links back to the meeting it was made at.
        "observer_comment": ObserverComment.objects.filter(matter=matter).first()
        if matter.source == Source.OBSERVER
        else None,
        "steps": matter.steps.select_related("actor"),
        "attachments": matter.attachments.all(),
        "history": audit.labelled(audit.history_for(matter)[:50]),
        "today": clock.today(),
        # The overdue matter's letters and the one the office may issue now (letters.py).
        "letters": matter.letters.select_related("issued_by"),
        "letter_offer": letters.offer(user, matter, today=clock.today()),
    }


@require_POST
def contribution_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A co-operating unit's liaison or head writes its part of the answer (配合办理情况)."""
    matter = get_matter_for_user(request.user, pk)
    why = services.contribution_refusal(request.user, matter)
    if why:
        raise PermissionDenied(why)
    form = ContributionForm(request.POST)
    done = run_service(
        request,
        form,
        lambda d: services.contribution_save(actor=request.user, matter=matter, text=d["text"]),
        success=_("配合办理情况已保存，牵头单位已收到通知"),
        to=matter.get_absolute_url() + "#contributions",
    )
    if done:
        return done
    ctx = _detail_ctx(request, matter, contribution_form=form)  # what was typed, with the message
    return render(request, "matters/matter_detail.html", ctx, status=400)


def matter_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    matter = get_matter_for_user(request.user, pk)
    return render(request, "matters/matter_detail.html", _detail_ctx(request, matter))


@require_POST
def matter_answer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The liaison saves the answer, and with 保存并提交签发 submits it too."""
    matter = get_matter_for_user(request.user, pk)
    why = flow.edit_refusal(request.user, matter)
    if why:
        raise PermissionDenied(why)
    form = AnswerForm(request.POST, suggestion=matter.asks_outcome)
    done = save_or_submit(
        request,
        form,
        lambda d: services.matter_save(
            actor=request.user,
            matter=matter,
            answer=d["answer"],
            version=d["version"],
            outcome=d.get("outcome"),
            outcome_reason=d.get("outcome_reason"),
        ),
        lambda saved: services.matter_step(actor=request.user, matter=saved, action="submit"),
        saved=_("办理情况已保存"),
        submitted=lambda saved: str(flow.TRANSITIONS["submit"].done) % {"title": saved.title},
        unsubmitted=_("办理情况已保存，但未能提交：%(why)s"),
    )
    if done:
        return done
    return render(request, "matters/matter_detail.html", _detail_ctx(request, matter, form), status=400)


@require_POST
def matter_step(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    matter = get_matter_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form, _("请填写意见")))
        return redirect(matter)
    reason = form.cleaned_data.get("reason", "")
    attempt(
        request,
        lambda: services.matter_step(actor=request.user, matter=matter, action=action, reason=reason),
        success=lambda moved: str(flow.TRANSITIONS[action].done) % {"title": matter.title},
    )
    return redirect(matter)


@require_http_methods(["GET", "POST"])
def matter_itemize(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """立项: the office picks the plan, code and title of the ledger item the matter becomes."""
    matter = get_matter_for_user(request.user, pk)
    require_office(request.user)
    why = flow.refusal(request.user, matter, "itemize")
    if why:
        messages.error(request, why)
        return redirect(matter)
    form = ItemizeForm(request.POST or None, initial={"title": matter.title})
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.matter_itemize(actor=request.user, matter=matter, **d),
            success=str(flow.TRANSITIONS["itemize"].done) % {"title": matter.title},
        )
        if done:
            return done
        status = 400
    return render(request, "matters/itemize.html", {"matter": matter, "form": form}, status=status)


@require_POST
def attachment_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    matter = get_matter_for_user(request.user, pk)
    attachments.upload(
        request, lambda f: services.attachment_add(actor=request.user, matter=matter, upload=f)
    )
    return redirect(matter.get_absolute_url() + "#answer")


def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    return attachments.download(request.user, pk, gate=get_attachment_for_user)


@require_POST
def attachment_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    att = get_attachment_for_user(request.user, pk)
    attempt(
        request,
        lambda: services.attachment_remove(actor=request.user, attachment=att),
        success=_("附件已删除"),
    )
    return redirect(att.matter.get_absolute_url() + "#answer")


def instruction_list(request: AuthedHttpRequest) -> HttpResponse:
    """领导批示: by kind, level and year, with the year's count of provincial praise."""
    user = request.user
    year = int_param(request.GET, "year", min_value=2000, max_value=2100) or clock.today().year
    # A date range (a fact sheet's figure links with one) replaces the year; a malformed date is ignored.
    start, end = _date_param(request.GET, "start"), _date_param(request.GET, "end")
    qs = instructions_visible_to(user)
    if start or end:
        qs = qs.filter(**({"on__gte": start} if start else {}), **({"on__lte": end} if end else {}))
    else:
        qs = qs.filter(on__year=year)
    kind = request.GET.get("kind", "")
    if kind in Instruction.Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    level = request.GET.get("level", "")
    if level in Instruction.Level.values:
        qs = qs.filter(level=level)
    else:
        level = ""
    unit_id = int_param(request.GET, "unit")  # the achievements' figures of a unit link here
    if unit_id:
        qs = qs.filter(units=unit_id)
    mine = False
    if request.GET.get("mine") == "1" and user.leader_id:
        mine = True
        qs = qs.filter(leader_id=user.leader_id)
    page = deferred_page(qs.order_by("-on", "-id"), request.GET.get("page"), rows=selectors.instruction_rows)
    ctx = {
        "page": page,
        "year": year,
        "kind": kind,
        "level": level,
        "mine": mine,
        "kinds": Instruction.Kind.choices,
        "levels": Instruction.Level.choices,
        "praise_province": selectors.praise_count(year=year),
        "today": clock.today(),
        "tab": "instructions",
        "start": start,
        "end": end,
        "query": _query(
            year="" if start or end else year,
            start=start or "",
            end=end or "",
            kind=kind,
            level=level,
            mine="1" if mine else "",
            unit=unit_id or "",
        ),
    }
    return render(request, "matters/instruction_list.html", ctx)


def instruction_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    ins = get_instruction_for_user(request.user, pk)
    ctx = {
        "ins": ins,
        "items": ins.items.all(),
        "units": ins.units.all(),
        "scans": ins.scans.all(),
        "matters": selectors.matter_rows(matters_visible_to(request.user).filter(instruction=ins)),
        "history": audit.labelled(audit.history_for(ins)[:50]),
        "today": clock.today(),
    }
    return render(request, "matters/instruction_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def instruction_create(request: AuthedHttpRequest) -> HttpResponse:
    """The office records an instruction (with its scan); a directive's matter is assigned in the same form."""
    require_office(request.user)
    initial: dict = {
        "on": clock.today(),
        "level": Instruction.Level.PROVINCE,
        "kind": Instruction.Kind.DIRECTIVE,
    }
    item_id = int_param(request.GET, "item")
    if item_id:
        initial["items"] = [item_id]
    form = InstructionForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":

        def record(d: dict) -> Instruction:
            assignment = None
            if d["kind"] == Instruction.Kind.DIRECTIVE:
                assignment = services.Assignment(
                    unit=d["unit"], deadline=d["deadline"], co_units=list(d["co_units"])
                )
            data = services.InstructionInput(
                leader_name=d["leader_name"],
                leader_title=d["leader_title"],
                level=d["level"],
                kind=d["kind"],
                on=d["on"],
                text=d["text"],
                items=list(d["items"]),
                units=list(d["units"]),
                assignment=assignment,
            )
            return services.instruction_record(actor=request.user, data=data, scan=d.get("scan"))

        done = run_service(
            request,
            form,
            record,
            success=lambda ins: (
                _("批示已录入，已转为督办事项并通知牵头单位")
                if form.cleaned_data["kind"] == Instruction.Kind.DIRECTIVE
                else _("批示已录入")
            ),
        )
        if done:
            return done
        status = 400
    return render(request, "matters/instruction_form.html", {"form": form}, status=status)


def scan_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    return attachments.download(request.user, pk, gate=get_scan_for_user)


def _instruct(
    request: AuthedHttpRequest, form: ItemInstructionForm, write: Callable[..., Instruction], *, back: str
) -> HttpResponse | None:
    """A city leader's 批示 written through `write` (on an item or on another record), as run_service:
    back to `back`, at the new 批示, or None for the page again with the typed text."""
    return run_service(
        request,
        form,
        lambda d: write(text=d["text"], unit=d["unit"], deadline=d["deadline"], co_units=list(d["co_units"])),
        success=lambda ins: _("批示已发出，已交%(unit)s办理") % {"unit": form.cleaned_data["unit"]},
        to=lambda ins: back + f"#instruction-{ins.pk}",
    )


@require_http_methods(["GET", "POST"])
def item_instruct(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A city leader's 批示 on an item: it becomes a directive and its matter at once, and the units are told."""
    item = get_item_for_user(request.user, pk)
    if not can_instruct(request.user):
        raise PermissionDenied(_("只有市级领导可以作出批示"))
    form = ItemInstructionForm(request.POST or None, initial={"unit": item.lead_unit_id}, prefix="instruct")
    status = 200
    if request.method == "POST":
        done = _instruct(
            request,
            form,
            partial(services.instruction_write, actor=request.user, item=item),
            back=reverse("ledger:item_detail", args=[item.pk]),
        )
        if done:
            return done
        status = 400
    return render(request, "matters/item_instruct.html", {"item": item, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def record_instruct(request: AuthedHttpRequest, key: str, pk: int) -> HttpResponse:
    """A city leader's 批示 on another app's record (a monthly report, a listing, a bulletin, an experience:
    gandang.core.records), read through that app's own gate: as on an item, a directive and its matter at once."""
    r = records.get(key)
    if r is None:
        raise Http404(_("没有找到该页面"))
    obj = r.gate(request.user, pk)
    if not can_instruct(request.user):
        raise PermissionDenied(_("只有市级领导可以作出批示"))
    unit = r.unit(obj)
    form = ItemInstructionForm(
        request.POST or None, initial={"unit": unit.pk if unit else None}, prefix="instruct"
    )
    back = r.url(obj.pk)
    status = 200
    if request.method == "POST":
        done = _instruct(
            request,
            form,
            partial(services.instruction_write_on, actor=request.user, key=key, record=obj),
            back=back,
        )
        if done:
            return done
        status = 400
    ctx = {"form": form, "title": r.title(obj), "back": back, "action": request.path}
    return render(request, "matters/record_instruct.html", ctx, status=status)


def year_overview(request: AuthedHttpRequest) -> HttpResponse:
    """年度统计: the year's instructions by level and kind, matters by source and state, the meetings'
    decisions open and carried out, and the suggestions by outcome; every figure opens the list it counts,
    read with the same visibility as that list."""
    user = request.user
    year = int_param(request.GET, "year", min_value=2000, max_value=2100) or clock.today().year
    decisions = Decision.objects.filter(meeting__in=meetings_visible_to(user))
    suggestions = consult_selectors.year_counts(suggestions_visible_to(user), year=year)
    ctx = {
        "year": year,
        "instructions": selectors.instruction_overview(instructions_visible_to(user), year=year),
        "kinds": Instruction.Kind.choices,
        "matters": selectors.matter_overview(matters_visible_to(user), year=year, today=clock.today()),
        "decisions": meeting_selectors.decision_counts(decisions, year=year),
        "suggestions": suggestions[-1] if suggestions else None,
        "columns": [(key, param, value) for key, param, value, _q in consult_selectors.COLUMNS],
        "outcomes": Outcome.choices,
        "tab": "year",
    }
    return render(request, "matters/year.html", ctx)
