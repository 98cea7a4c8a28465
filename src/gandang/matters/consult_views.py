"""Pages of the consultation (协商座谈): the year's sessions and counts, a session with its suggestions, the
suggestions' list, a suggestion with its 交办 and its reply letter (答复函), and the letter in Word or PDF."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gandang.core import audit, clock
from gandang.core.paging import deferred_page
from gandang.core.params import int_param
from gandang.core.views import run_service
from gandang.documents.pdf import render_pdf
from gandang.documents.word import render_docx
from gandang.matters import consult_selectors as selectors
from gandang.matters import consult_services as services
from gandang.matters.access import require_office
from gandang.matters.consult_access import (
    consultations_visible_to,
    get_consultation_for_user,
    get_reply_for_user,
    get_suggestion_for_user,
    suggestions_visible_to,
)
from gandang.matters.consult_forms import (
    AssignForm,
    ConsultationEditForm,
    ConsultationForm,
    ReplyForm,
    SuggestionEditForm,
    SuggestionForm,
)
from gandang.matters.models import Consultation, Outcome, Party, Suggestion
from gandang.matters.services import Assignment
from gandang.org.types import AuthedHttpRequest

TAB = "consult"


def _year(request: AuthedHttpRequest) -> int:
    return int_param(request.GET, "year", min_value=2000, max_value=2100) or clock.today().year


def consult_index(request: AuthedHttpRequest) -> HttpResponse:
    """协商座谈: the year's counts by party and outcome (each figure opens its list) and its sessions."""
    user = request.user
    year = _year(request)
    sessions = (
        consultations_visible_to(user)
        .filter(on__year=year)
        .prefetch_related("parties")
        .order_by("-on", "-id")
    )
    ctx = {
        "year": year,
        "rows": selectors.year_counts(suggestions_visible_to(user), year=year),
        "columns": [(key, param, value) for key, param, value, _q in selectors.COLUMNS],
        "outcomes": Outcome.choices,
        "sessions": sessions,
        "tab": TAB,
    }
    return render(request, "matters/consult_index.html", ctx)


def _consultation_input(d: dict) -> services.ConsultationInput:
    return services.ConsultationInput(
        title=d["title"],
        on=d["on"],
        place=d["place"],
        host=d["host"],
        attendees=d["attendees"],
        parties=list(d["parties"]),
    )


@require_http_methods(["GET", "POST"])
def consultation_create(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    form = ConsultationForm(request.POST or None, initial={"on": clock.today()})
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.consultation_create(actor=request.user, data=_consultation_input(d)),
            success=_("协商座谈会已录入，请逐条录入意见建议"),
        )
        if done:
            return done
        status = 400
    return render(request, "matters/consult_form.html", {"form": form, "tab": TAB}, status=status)


@require_http_methods(["GET", "POST"])
def consultation_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The office corrects the session's record (its history keeps what it was)."""
    c = get_consultation_for_user(request.user, pk)
    require_office(request.user)
    initial = {
        "title": c.title,
        "on": c.on,
        "place": c.place,
        "host": c.host,
        "attendees": c.attendees,
        "parties": list(c.parties.values_list("pk", flat=True)),
        "version": c.version,
    }
    form = ConsultationEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.consultation_update(
                actor=request.user, consultation=c, data=_consultation_input(d), version=d["version"]
            ),
            success=_("已保存"),
            to=c,
        )
        if done:
            return done
        status = 400
    ctx = {"form": form, "c": c, "tab": TAB}
    return render(request, "matters/consult_form.html", ctx, status=status)


def _session_ctx(request: AuthedHttpRequest, c: Consultation, form: SuggestionForm | None = None) -> dict:
    user = request.user
    if form is None and user.is_office:
        form = SuggestionForm()
    return {
        "c": c,
        "parties": c.parties.all(),
        "suggestions": selectors.suggestion_rows(suggestions_visible_to(user).filter(consultation=c)),
        "form": form if user.is_office else None,
        "history": audit.labelled(audit.history_for(c)[:50]),
        "tab": TAB,
    }


def consultation_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    c = get_consultation_for_user(request.user, pk)
    return render(request, "matters/consult_detail.html", _session_ctx(request, c))


@require_POST
def suggestion_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The office records a suggestion heard at the session; a refused one keeps what was typed."""
    c = get_consultation_for_user(request.user, pk)
    require_office(request.user)
    form = SuggestionForm(request.POST)
    done = run_service(
        request,
        form,
        lambda d: services.suggestion_add(actor=request.user, consultation=c, **d),
        success=_("意见建议已录入"),
        to=c.get_absolute_url() + "#suggestions",
    )
    if done:
        return done
    return render(request, "matters/consult_detail.html", _session_ctx(request, c, form), status=400)


def suggestion_list(request: AuthedHttpRequest) -> HttpResponse:
    """意见建议: filtered by year, party, outcome and state (the links of the year's counts), a page at a time."""
    year = _year(request)
    qs = suggestions_visible_to(request.user).filter(consultation__on__year=year)
    party_id = int_param(request.GET, "party")
    if party_id:
        qs = qs.filter(party_id=party_id)
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        qs = qs.filter(selectors.outcome_q(outcome))
    else:
        outcome = ""
    state = request.GET.get("state", "")
    if state in Suggestion.State.values:
        qs = qs.filter(selectors.state_q(state))
    else:
        state = ""
    page = deferred_page(
        qs.order_by("-consultation__on", "consultation_id", "id"),
        request.GET.get("page"),
        rows=selectors.suggestion_rows,
    )
    query = {"year": year, "party": party_id or "", "outcome": outcome, "state": state}
    ctx = {
        "page": page,
        "year": year,
        "party": str(party_id or ""),
        "parties": Party.objects.order_by("sort_order", "id"),
        "outcome": outcome,
        "outcomes": Outcome.choices,
        "state": state,
        "states": Suggestion.State.choices,
        "today": clock.today(),
        "tab": TAB,
        "query": urlencode({k: v for k, v in query.items() if v not in ("", None)}),
    }
    return render(request, "matters/consult_suggestions.html", ctx)


def _suggestion_ctx(request: AuthedHttpRequest, sug: Suggestion, form: AssignForm | None = None) -> dict:
    user = request.user
    m = sug.tracked
    can_assign = user.is_office and m is None
    if can_assign and form is None:
        form = AssignForm(prefix="assign")
    return {
        "sug": sug,
        "m": m,
        "form": form if can_assign else None,
        "can_reply": user.is_office and services.reply_refusal(sug) is None,
        "history": audit.labelled(audit.history_for(sug)[:50]),
        "today": clock.today(),
        "tab": TAB,
    }


def suggestion_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    sug = get_suggestion_for_user(request.user, pk)
    return render(request, "matters/consult_suggestion.html", _suggestion_ctx(request, sug))


@require_http_methods(["GET", "POST"])
def suggestion_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The office corrects a suggestion before it is assigned."""
    sug = get_suggestion_for_user(request.user, pk)
    require_office(request.user)
    if sug.tracked is not None:
        messages.error(request, _("该建议已交办，不能再修改"))
        return redirect(sug)
    initial = {
        "party": sug.party_id,
        "person": sug.person,
        "title": sug.title,
        "text": sug.text,
        "version": sug.version,
    }
    form = SuggestionEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.suggestion_update(actor=request.user, suggestion=sug, **d),
            success=_("已保存"),
            to=sug,
        )
        if done:
            return done
        status = 400
    ctx = {"form": form, "sug": sug, "tab": TAB}
    return render(request, "matters/consult_suggestion_form.html", ctx, status=status)


@require_POST
def suggestion_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """交办: the suggestion becomes a tracked matter of the chosen units; the units' liaisons are told."""
    sug = get_suggestion_for_user(request.user, pk)
    require_office(request.user)
    form = AssignForm(request.POST, prefix="assign")
    done = run_service(
        request,
        form,
        lambda d: services.suggestion_assign(
            actor=request.user,
            suggestion=sug,
            assignment=Assignment(unit=d["unit"], deadline=d["deadline"], co_units=list(d["co_units"])),
            requirements=d["requirements"],
        ),
        success=lambda matter: _("已交%(unit)s办理，并通知其联络员") % {"unit": matter.unit},
        to=sug,
    )
    if done:
        return done
    if sug.tracked is not None:  # assigned meanwhile: the page shows by whom
        messages.error(request, _("该建议已交办"))
        return redirect(sug)
    return render(request, "matters/consult_suggestion.html", _suggestion_ctx(request, sug, form), status=400)


@require_http_methods(["GET", "POST"])
def reply_issue(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """答复函: drafted from the suggestion and the unit's answer, edited by the office, then numbered and sent."""
    sug = get_suggestion_for_user(request.user, pk)
    require_office(request.user)
    why = services.reply_refusal(sug)
    if why:
        messages.error(request, why)
        return redirect(sug)
    draft = services.reply_draft(sug)
    initial = {
        "title": draft.title,
        "recipient": draft.recipient,
        "body": draft.body,
        "copy_to": draft.copy_to,
        "issued_on": clock.today(),
    }
    form = ReplyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.reply_issue(actor=request.user, suggestion=sug, **d),
            success=lambda letter: (
                _("答复函%(number)s已印发，已登记为已答复") % {"number": letter.doc_number}
            ),
        )
        if done:
            return done
        status = 400
    return render(
        request, "matters/consult_reply.html", {"sug": sug, "form": form, "tab": TAB}, status=status
    )


FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def reply_download(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The reply letter as issued, in Word or PDF, for whoever reads its suggestion."""
    letter = get_reply_for_user(request.user, pk)
    if fmt not in FORMATS:
        raise Http404(_("不支持的格式"))
    doc = services.reply_as_document(letter)
    data = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = f"{letter.doc_number}答复函.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
