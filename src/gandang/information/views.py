"""Pages of reform information: the list and a unit's piece (its text, pictures, sign-off and the office's
采用), the periodical's issues (compiled, ordered, issued, downloaded) and the counts of 报送/采用."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gandang.core import attachments, audit, clock
from gandang.core.errors import ServiceError
from gandang.core.paging import deferred_page
from gandang.core.params import id_list, int_param
from gandang.core.views import attempt, run_service, save_or_submit
from gandang.documents.pdf import render_pdf
from gandang.documents.word import render_docx
from gandang.information import flow, partner_services, periodical, selectors, services
from gandang.information.access import (
    get_issue_for_user,
    get_photo_for_user,
    get_piece_for_user,
    issues_visible_to,
    pieces_visible_to,
    require_office,
    uses_visible_to,
)
from gandang.information.forms import (
    STATE_CHOICES,
    IssueForm,
    PieceForm,
    PublishForm,
    ReasonForm,
    UseCorrectForm,
    UseForm,
)
from gandang.information.models import Issue, Piece
from gandang.org.models import Unit, User
from gandang.org.types import AuthedHttpRequest

YEARS = {"min_value": 2000, "max_value": 2100}


def _query(**params: object) -> str:
    return urlencode({k: v for k, v in params.items() if v not in ("", None, False)})


# ---------------------------------------------------------------- pieces


def piece_list(request: AuthedHttpRequest) -> HttpResponse:
    """改革信息: by state, unit, and the year and month sent (the counts table's figures open it)."""
    user = request.user
    qs = pieces_visible_to(user)
    state = request.GET.get("state", "")
    if state in Piece.State.values:
        qs = qs.filter(state=state)
    else:
        state = ""
    unit_id = int_param(request.GET, "unit")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    year = int_param(request.GET, "year", **YEARS)
    month = int_param(request.GET, "month", max_value=12) if year else None
    # 采用: every adopted piece ("1"), or those printed in an issued issue ("issued", 刊发).
    adopted = request.GET.get("adopted", "")
    if adopted not in ("1", "issued"):
        adopted = ""
    qs = selectors.list_filter(qs, year=year, month=month, adopted=bool(adopted), printed=adopted == "issued")
    page = deferred_page(
        qs.order_by("-created_at", "-id"), request.GET.get("page"), rows=selectors.piece_rows
    )
    units = None
    if user.sees_all_units or user.is_partner:
        units = (
            Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.PARTNER).order_by("sort_order", "name")
        )
    ctx = {
        "page": page,
        "state": state,
        "states": STATE_CHOICES,
        "unit": str(unit_id or ""),
        "units": units,
        "year": year,
        "month": month,
        "adopted": adopted,
        "can_create": user.role == User.Role.LIAISON and bool(user.unit_id),
        "tab": "pieces",
        "query": _query(state=state, unit=unit_id or "", year=year or "", month=month or "", adopted=adopted),
    }
    return render(request, "information/piece_list.html", ctx)


@require_http_methods(["GET", "POST"])
def piece_create(request: AuthedHttpRequest) -> HttpResponse:
    """A unit's liaison drafts a piece; pictures are added on its page once it is saved."""
    user = request.user
    if user.role != User.Role.LIAISON or not user.unit_id:
        raise PermissionDenied(_("只有单位联络员可以报送改革信息"))
    form = PieceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.piece_create(actor=user, title=d["title"], text=d["text"]),
            success=_("改革信息已保存，可上传图片后提交签发"),
        )
        if done:
            return done
        status = 400
    return render(request, "information/piece_form.html", {"form": form, "tab": "pieces"}, status=status)


def _uses_ctx(user: User, piece: Piece, use_form: UseForm | None) -> dict:
    """The piece's partners' uses (两办两研采用) this reader sees, and what they may do about them."""
    uses = list(selectors.use_rows(uses_visible_to(user).filter(piece=piece)).order_by("-used_on", "-id"))
    for u in uses:
        u.can_withdraw = partner_services.withdraw_refusal(user, u) is None  # type: ignore[attr-defined]
    can_record = partner_services.record_refusal(user, piece) is None
    if can_record and use_form is None:
        use_form = UseForm(initial={"used_on": clock.today()})
    return {
        "uses": uses,
        "use_form": use_form if can_record else None,
        "correct_form": UseCorrectForm() if user.is_office and uses else None,
        "publications": partner_services.SUGGESTED_PUBLICATIONS,
        "show_uses": bool(uses) or can_record or piece.state == Piece.State.ADOPTED,
    }


def _detail_ctx(
    request: AuthedHttpRequest, piece: Piece, form: PieceForm | None = None, use_form: UseForm | None = None
) -> dict:
    user = request.user
    editable = flow.edit_refusal(user, piece) is None
    if editable and form is None:
        form = PieceForm(initial={"title": piece.title, "text": piece.text, "version": piece.version})
    # A partner's reader reads the piece as adopted: not the unit's and the office's steps, nor its history.
    internal = not user.is_partner
    return {
        **_uses_ctx(user, piece, use_form),
        "internal": internal,
        "piece": piece,
        "form": form if editable else None,
        "can_edit": editable,
        "actions": flow.actions_for(user, piece),
        "can_raise": services.raise_refusal(user, piece) is None,
        "photos": piece.photos.all(),
        "steps": piece.steps.select_related("actor") if internal else [],
        "history": audit.labelled(audit.history_for(piece)[:50]) if internal else [],
        "issue_visible": piece.issue_id is not None
        and issues_visible_to(user).filter(pk=piece.issue_id).exists(),
        "tab": "pieces",
    }


def piece_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    piece = get_piece_for_user(request.user, pk)
    return render(request, "information/piece_detail.html", _detail_ctx(request, piece))


def detail_response(
    request: AuthedHttpRequest, piece: Piece, *, use_form: UseForm, status: int
) -> HttpResponse:
    """The piece's page again with a refused 采用登记 and what was typed in it."""
    return render(
        request,
        "information/piece_detail.html",
        _detail_ctx(request, piece, use_form=use_form),
        status=status,
    )


@require_POST
def piece_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The liaison saves the text (and with 保存并提交签发 submits it); the office edits a piece sent to it."""
    piece = get_piece_for_user(request.user, pk)
    why = flow.edit_refusal(request.user, piece)
    if why:
        raise PermissionDenied(why)
    form = PieceForm(request.POST)
    done = save_or_submit(
        request,
        form,
        lambda d: services.piece_update(
            actor=request.user, piece=piece, title=d["title"], text=d["text"], version=d["version"]
        ),
        lambda saved: services.piece_step(actor=request.user, piece=saved, action="submit"),
        saved=_("改革信息已保存"),
        submitted=lambda saved: str(flow.TRANSITIONS["submit"].done) % {"title": saved.title},
        unsubmitted=_("已保存，但未能提交：%(why)s"),
    )
    if done:
        return done
    return render(request, "information/piece_detail.html", _detail_ctx(request, piece, form), status=400)


@require_POST
def piece_step(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    piece = get_piece_for_user(request.user, pk)
    if action not in flow.TRANSITIONS:
        raise Http404(_("未知的操作"))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("原因不能超过500字"))
        return redirect(piece)
    attempt(
        request,
        lambda: services.piece_step(
            actor=request.user, piece=piece, action=action, reason=form.cleaned_data["reason"]
        ),
        success=str(flow.TRANSITIONS[action].done) % {"title": piece.title},
    )
    return redirect(piece)


@require_POST
def piece_raise(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """转为经验做法: the office raises an adopted piece into an experience, in one action."""
    piece = get_piece_for_user(request.user, pk)
    require_office(request.user)
    try:
        exp = services.piece_raise(actor=request.user, piece=piece)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(piece)
    carried = exp.attachments.count()
    if carried:
        done = _("已转为经验做法“%(title)s”，图片和附件%(n)s个一并转入，可继续编辑后采用") % {
            "title": exp.title,
            "n": carried,
        }
    else:
        done = _("已转为经验做法“%(title)s”，可继续编辑后采用") % {"title": exp.title}
    messages.success(request, done)
    return redirect(exp)


@require_POST
def photo_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    piece = get_piece_for_user(request.user, pk)
    attachments.upload(request, lambda f: services.photo_add(actor=request.user, piece=piece, upload=f))
    return redirect(piece.get_absolute_url() + "#photos")


def photo_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    return attachments.download(request.user, pk, gate=get_photo_for_user)


@require_POST
def photo_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    photo = get_photo_for_user(request.user, pk)
    attempt(request, lambda: services.photo_remove(actor=request.user, photo=photo), success=_("附件已删除"))
    return redirect(photo.piece.get_absolute_url() + "#photos")


# ---------------------------------------------------------------- counts


def counts(request: AuthedHttpRequest) -> HttpResponse:
    """信息报送/采用 by unit and month of a year; each figure opens the list it counts. A unit's members see
    their own unit's line (the pieces they can open)."""
    year = int_param(request.GET, "year", **YEARS) or clock.today().year
    rows = selectors.counts_by_unit(
        pieces_visible_to(request.user), year=year, uses=uses_visible_to(request.user)
    )
    ctx = {
        "year": year,
        "rows": rows,
        "total": selectors.totals(rows),
        "months": range(1, 13),
        "list_url": reverse("information:piece_list"),
        "uses_url": reverse("information:use_list"),
        "tab": "counts",
    }
    return render(request, "information/counts.html", ctx)


# ---------------------------------------------------------------- the periodical


def issue_list(request: AuthedHttpRequest) -> HttpResponse:
    qs = issues_visible_to(request.user).order_by("-issued_on", "-total", "-id")
    page = deferred_page(qs, request.GET.get("page"), rows=selectors.issue_rows)
    ctx = {
        "page": page,
        "name": periodical.name(),
        "n_waiting": Piece.objects.filter(state=Piece.State.ADOPTED, issue__isnull=True).count()
        if request.user.is_office
        else 0,
        "tab": "issues",
    }
    return render(request, "information/issue_list.html", ctx)


@require_POST
def issue_create(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    form = IssueForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else ""
    issue = services.issue_create(actor=request.user, title=title)
    messages.success(request, _("已新建一期，请编入已采用的信息"))
    return redirect(issue)


def _issue_ctx(request: AuthedHttpRequest, issue: Issue, form: IssueForm | None = None) -> dict:
    user = request.user
    pieces = list(
        selectors.piece_rows(issue.pieces.all()).prefetch_related("photos").order_by("position", "id")
    )
    visible = set(pieces_visible_to(user).filter(issue=issue).values_list("pk", flat=True))
    editing = user.is_office and not issue.is_issued
    ctx = {
        "issue": issue,
        "pieces": pieces,
        "visible": visible,
        "editing": editing,
        "name": issue.name or periodical.name(),
        "history": audit.labelled(audit.history_for(issue)[:50]) if not user.is_partner else [],
        "tab": "issues",
    }
    if editing:
        ctx["form"] = form or IssueForm(initial={"title": issue.title, "version": issue.version})
        ctx["publish_form"] = PublishForm(initial={"issued_on": clock.today()})
        waiting = Piece.objects.filter(state=Piece.State.ADOPTED, issue__isnull=True)
        ctx["waiting"] = selectors.piece_rows(waiting).order_by("adopted_at", "id")[:200]
        ctx["n_waiting"] = waiting.count()
        ctx["refusal"] = services.issue_refusal(issue)
    return ctx


def issue_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for_user(request.user, pk)
    return render(request, "information/issue_detail.html", _issue_ctx(request, issue))


def _office_issue(request: AuthedHttpRequest, pk: int) -> Issue:
    issue = get_issue_for_user(request.user, pk)
    require_office(request.user)
    return issue


@require_POST
def issue_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    issue = _office_issue(request, pk)
    form = IssueForm(request.POST)
    done = run_service(
        request,
        form,
        lambda d: services.issue_update(
            actor=request.user, issue=issue, title=d["title"], version=d["version"]
        ),
        success=_("本期主题已保存"),
        to=issue,
    )
    if done:
        return done
    return render(request, "information/issue_detail.html", _issue_ctx(request, issue, form), status=400)


@require_POST
def issue_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    issue = _office_issue(request, pk)
    attempt(
        request,
        lambda: services.issue_add(
            actor=request.user, issue=issue, pieces=id_list(request.POST.getlist("piece"))
        ),
        success=lambda n: _("已编入%(n)d条信息") % {"n": n},
    )
    return redirect(issue)


def _issue_piece(request: AuthedHttpRequest, pk: int) -> tuple[Issue, Piece]:
    issue = _office_issue(request, pk)
    piece_id = int_param(request.POST, "piece")
    piece = issue.pieces.filter(pk=piece_id).first() if piece_id else None
    if piece is None:
        raise Http404(_("该信息不在本期中"))
    return issue, piece


@require_POST
def issue_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    issue, piece = _issue_piece(request, pk)
    attempt(
        request,
        lambda: services.issue_remove(actor=request.user, issue=issue, piece=piece),
        success=_("已将“%(title)s”移出本期") % {"title": piece.title},
    )
    return redirect(issue)


@require_POST
def issue_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    issue, piece = _issue_piece(request, pk)
    up = request.POST.get("dir") != "down"
    attempt(request, lambda: services.issue_move(actor=request.user, issue=issue, piece=piece, up=up))
    return redirect(issue.get_absolute_url() + "#pieces")


@require_POST
def issue_publish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    issue = _office_issue(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的印发日期"))
        return redirect(issue)
    attempt(
        request,
        lambda: services.issue_publish(
            actor=request.user, issue=issue, issued_on=form.cleaned_data["issued_on"]
        ),
        success=lambda published: _("%(label)s已印发") % {"label": published.label},
    )
    return redirect(issue)


FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def issue_download(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """An issued issue, as printed, in Word or PDF."""
    issue = get_issue_for_user(request.user, pk)
    if fmt not in FORMATS or not issue.is_issued:
        raise Http404(_("不支持的格式"))
    doc = periodical.issued_document(issue)
    data = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = f"{issue.name}{issue.year}年第{issue.number}期.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
