import base64

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gandang.achievements import selectors as achievement_selectors
from gandang.bulletins import document, drafting, sections, selectors, services
from gandang.bulletins.access import bulletins_visible_to, get_bulletin_for_user, require_city_view
from gandang.bulletins.charts import chart_data
from gandang.bulletins.forms import DashboardFilterForm, DraftForm, IssueForm, SectionForm
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.core import clock
from gandang.core.errors import ServiceError
from gandang.documents import structure as s
from gandang.ledger.access import require_office
from gandang.org.types import AuthedHttpRequest
from gandang.supervision import selectors as supervision


def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    require_city_view(request.user)
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    plan = filters.get("plan")
    d = selectors.dashboard(request.user, plan=plan, period=filters.get("period"))
    ctx = {
        "form": form,
        "d": d,
        "charts": chart_data(d),
        "statuses": [(s, selectors.STATUS_LABELS[s]) for s in selectors.STATUSES],
        "timeliness_labels": selectors.TIMELINESS,
        # Supervision is counted now (listings have no monthly snapshot), over the plan's items.
        "supervision": supervision.counts(
            today=clock.today(), items=selectors.scope_items(request.user, plan=plan).items()
        ),
        # Achievements of the year (the city's, not per plan): each figure links to its list.
        "achievements": achievement_selectors.stats(request.user, year=clock.today().year),
        "section": "dashboard",
    }
    return render(request, "bulletins/dashboard.html", ctx)


# -- quarterly bulletins ------------------------------------------------------------------------------


def bulletin_list(request: AuthedHttpRequest) -> HttpResponse:
    rows = list(bulletins_visible_to(request.user))
    ctx = {
        "drafts": [b for b in rows if not b.is_issued],
        "issued": [b for b in rows if b.is_issued],
        "form": DraftForm(initial=DraftForm.initial_for_today()) if request.user.is_office else None,
        "section": "bulletins",
    }
    return render(request, "bulletins/bulletin_list.html", ctx)


@require_POST
def bulletin_create(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择正确的年度和季度"))
        return redirect("bulletins:list")
    try:
        quarter = Quarter(form.cleaned_data["year"], form.cleaned_data["quarter"])
        bulletin, created = services.bulletin_draft(actor=request.user, quarter=quarter)
    except (ServiceError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("bulletins:list")
    if created:
        messages.success(request, _("已生成%(q)s通报草稿") % {"q": quarter.label})
    else:
        messages.info(request, _("%(q)s已有通报草稿，已为您打开") % {"q": quarter.label})
    return redirect(bulletin)


def _html_blocks(numbered: list[tuple[str, s.Block]]) -> list[dict]:
    """Blocks for the browser: each with its heading label, and images as data: URLs (allowed by the CSP)."""
    out = []
    for label, block in numbered:
        row: dict = {"label": label, "block": block, "kind": type(block).__name__.lower()}
        if isinstance(block, s.Image):
            row["src"] = f"data:{block.mime};base64,{base64.b64encode(block.data).decode('ascii')}"
        out.append(row)
    return out


def _part_view(part: drafting.Part, index: int) -> dict:
    """A draft's section with the numbering the document will give it (一、 and its （一） subheads)."""
    blocks = drafting.text_blocks(part.text) + part.blocks
    sub = 0
    numbered: list[tuple[str, s.Block]] = []
    for block in blocks:
        if isinstance(block, s.Heading):
            sub += 1
            numbered.append((s.heading_label(2, sub), block))
        else:
            numbered.append(("", block))
    return {
        "part": part,
        "label": s.heading_label(1, index) if part.heading else "",
        "blocks": _html_blocks(numbered),
        "data_blocks": _html_blocks([("", b) for b in part.blocks]),
    }


def _draft_parts(bulletin: Bulletin) -> tuple[document.Draft, list[dict]]:
    d = document.draft(bulletin)
    views, n = [], 0
    for part in d.parts:
        if part.heading:
            n += 1
        views.append(_part_view(part, n))
    return d, views


def bulletin_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for_user(request.user, pk)
    ctx: dict = {"bulletin": bulletin, "section": "bulletins"}
    if bulletin.is_issued:
        doc = document.bulletin_document(bulletin)
        ctx |= {
            "doc": doc,
            "blocks": _html_blocks(doc.numbered()),
            "corrections": list(bulletin.corrections.all()),
            "can_correct": request.user.is_office,
        }
    else:
        d, parts = _draft_parts(bulletin)
        ctx |= {
            "doc": d.document,
            "figures": d.figures,
            "parts": parts,
            "version": bulletin.version,
            "issue_form": IssueForm(initial={"issued_on": clock.today(), "version": bulletin.version}),
        }
    return render(request, "bulletins/bulletin_detail.html", ctx)


def _get_part(bulletin: Bulletin, key: str) -> tuple[document.Draft, dict]:
    if key not in drafting.SECTION_KEYS:
        raise Http404(_("没有这一部分"))
    d, parts = _draft_parts(bulletin)
    return d, next(p for p in parts if p["part"].key == key)


@require_http_methods(["GET", "POST"])
def section_edit(request: AuthedHttpRequest, pk: int, key: str) -> HttpResponse:
    bulletin = get_bulletin_for_user(request.user, pk, write=True)
    if bulletin.is_issued:
        messages.error(request, services.ISSUED_REFUSAL)
        return redirect(bulletin)
    _d, pv = _get_part(bulletin, key)
    form = SectionForm(request.POST or None, initial={"text": pv["part"].text, "version": bulletin.version})
    saved = sections.save_view(
        request,
        form,
        key,
        save=lambda text, version: services.bulletin_section_save(
            actor=request.user, bulletin=bulletin, key=key, text=text, expected_version=version
        ),
        respond=lambda b: _section_response(request, b, key, saved=True),
    )
    if saved:
        return saved
    ctx = {"bulletin": bulletin, "pv": pv, "form": form, "version": bulletin.version, "section": "bulletins"}
    if request.htmx:
        return render(request, "bulletins/bulletin_detail.html#section", ctx)
    return render(request, "bulletins/section_form.html", ctx)


def _section_response(request: AuthedHttpRequest, bulletin: Bulletin, key: str, **extra) -> HttpResponse:
    """The section re-rendered, and the page's version fields brought up to date (out of band)."""
    _d, pv = _get_part(bulletin, key)
    ctx = {
        "bulletin": bulletin,
        "pv": pv,
        "version": bulletin.version,
        "oob_version": True,
        # Other edited sections' restore forms carry the version too (this one is re-rendered whole).
        "oob_keys": [k for k in drafting.SECTION_KEYS if k in (bulletin.sections or {}) and k != key],
        **extra,
    }
    return render(request, "bulletins/bulletin_detail.html#section", ctx)


@require_POST
def section_restore(request: AuthedHttpRequest, pk: int, key: str) -> HttpResponse:
    bulletin = get_bulletin_for_user(request.user, pk, write=True)
    if key not in drafting.SECTION_KEYS:
        raise Http404(_("没有这一部分"))
    return sections.restore_view(
        request,
        bulletin,
        key,
        restore=lambda version: services.bulletin_section_restore(
            actor=request.user, bulletin=bulletin, key=key, expected_version=version
        ),
        respond=lambda b: _section_response(request, b, key, restored=True),
    )


@require_POST
def bulletin_issue(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for_user(request.user, pk, write=True)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的印发日期"))
        return redirect(bulletin)
    try:
        bulletin = services.bulletin_issue(
            actor=request.user,
            bulletin=bulletin,
            expected_version=form.cleaned_data["version"],
            issued_on=form.cleaned_data["issued_on"],
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(bulletin)
    messages.success(
        request, _("通报已印发：%(number)s，已通知各单位和市级领导") % {"number": bulletin.doc_number}
    )
    return redirect(bulletin)


@require_POST
def bulletin_correct(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    bulletin = get_bulletin_for_user(request.user, pk, write=True)
    try:
        draft = services.bulletin_correct(actor=request.user, bulletin=bulletin)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(bulletin)
    messages.success(request, _("已生成更正通报草稿，印发后将取得新的文号"))
    return redirect(draft)


@require_GET
def bulletin_download(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    bulletin = get_bulletin_for_user(request.user, pk)
    if fmt not in document.FORMATS:
        raise Http404(_("不支持的格式"))
    response = HttpResponse(
        document.render(document.bulletin_document(bulletin), fmt), content_type=document.FORMATS[fmt]
    )
    name = bulletin.doc_number + (bulletin.title or drafting.title(bulletin.quarter_obj))
    if not bulletin.is_issued:
        name += drafting.DRAFT_MARK
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{name}.{fmt}") or ""
    )
    return response
