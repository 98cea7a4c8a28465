from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gandang.core.errors import ServiceError
from gandang.core.links import pk_urls
from gandang.core.paging import query_without_page
from gandang.ledger import extensions, selectors, services
from gandang.ledger.access import can_edit_ledger, get_item_for_user, require_office
from gandang.ledger.forms import ArchiveForm, ItemFilterForm, ItemForm, MilestoneFormSet, PlanForm
from gandang.ledger.models import Item, Plan, due_label
from gandang.ledger.templatetags.lights import light_html, no_light
from gandang.org.types import AuthedHttpRequest

DELIVERABLE_OPTIONS = ["政策文件", "制度机制", "改革试点", "经验做法", "工作方案", "研究报告"]


def _list_rows(page) -> list[dict]:
    """What each row of the ledger list shows, from its dict (selectors.item_page) in one pass: the
    template then looks up a few keys per row (not a model's attributes, properties and a tag per cell)."""
    url = pk_urls("ledger:item_detail")
    return [
        {
            "code": it["code"],
            "light": light_html(
                it["status"], it["status_reason"], it["no_effect"], it["no_effect_reason"], reason=True
            )
            if it["status"]
            else no_light(),
            "url": url(it["pk"]),
            "title": it["title"],
            "badges": it["badges"],
            "is_key": it["is_key"],
            "is_sub": it["parent_id"] is not None,
            "split": _("分解%(n)s项") % {"n": it["n_children"]} if it["n_children"] else "",
            "is_archived": it["is_archived"],
            "area": it["area__name"] or "",
            "leaders": "、".join(it["leader_names"]),
            "lead_unit": "、".join([it["lead_unit__name"] or "", *it["joint_lead_names"]]).strip("、"),
            "co_units": "、".join(it["co_unit_names"]),
            "due": due_label(it["due_date"], it["no_fixed_date"], it["due_text"]),
        }
        for it in page
    ]


def item_list(request: AuthedHttpRequest) -> HttpResponse:
    form = ItemFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = selectors.item_page(request.user, filters, request.GET.get("page"))
    ctx = {
        "form": form,
        "page": page,
        "rows": _list_rows(page),
        "query": query_without_page(request),
        "can_edit": can_edit_ledger(request.user),
        "sort": filters.get("sort") or "code",
    }
    template = "ledger/item_list.html#results" if request.htmx else "ledger/item_list.html"
    return render(request, template, ctx)


def item_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    # A sub-item's parent (one item in twenty) is read when its crumbs ask for it.
    related = ("plan", "area", "lead_unit", *extensions.item_related())
    item = get_item_for_user(request.user, pk, related=related)
    can_edit = can_edit_ledger(request.user)
    ctx = {
        "item": item,
        "can_edit": can_edit,
        # What the monthly dispatch, supervision … show on the item page (gandang.ledger.extensions).
        "panels": extensions.panels_for(request, item, can_edit=can_edit),
        **selectors.item_detail(item),
    }
    return render(request, "ledger/item_detail.html", ctx)


def _milestone_rows(formset) -> list[services.MilestoneData]:
    rows = []
    for f in formset.forms:
        d = f.cleaned_data
        if not d or (not d.get("id") and not d.get("title")):
            continue
        rows.append(
            services.MilestoneData(
                id=d.get("id"),
                title=d.get("title") or "",
                due_date=d.get("due_date"),
                done_date=d.get("done_date"),
                evidence=d.get("evidence") or "",
                delete=bool(d.get("DELETE")),
            )
        )
    return rows


def _split(form: ItemForm) -> tuple[dict, list, list, list]:
    data = dict(form.cleaned_data)
    leaders = list(data.pop("leaders", []))
    joint_leads = list(data.pop("joint_lead_units", []))
    co_units = list(data.pop("co_units", []))
    return data, leaders, joint_leads, co_units


@require_http_methods(["GET", "POST"])
def item_create(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    initial = {}
    if request.GET.get("parent"):
        parent = get_item_for_user(request.user, request.GET["parent"])
        initial = {
            "parent": parent,
            "plan": parent.plan,
            "area": parent.area,
            "lead_unit": parent.lead_unit,
            "code": f"{parent.code}-{parent.children.count() + 1}",
        }
    form = ItemForm(request.POST or None, initial=initial)
    formset = MilestoneFormSet(request.POST or None, prefix="ms")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields, leaders, joint_leads, co_units = _split(form)
        try:
            item = services.item_create(
                actor=request.user,
                fields=fields,
                leaders=leaders,
                joint_leads=joint_leads,
                co_units=co_units,
                milestones=_milestone_rows(formset),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新建事项“%(title)s”") % {"title": item.title})
            return redirect(item)
    ctx = {"form": form, "formset": formset, "deliverables": DELIVERABLE_OPTIONS}
    return render(request, "ledger/item_form.html", ctx)


@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    initial_ms = [
        {
            "id": m.pk,
            "title": m.title,
            "due_date": m.due_date,
            "done_date": m.done_date,
            "evidence": m.evidence,
        }
        for m in item.milestones.all()
    ]
    form = ItemForm(request.POST or None, instance=item, initial={"version": item.version})
    formset = MilestoneFormSet(request.POST or None, prefix="ms", initial=initial_ms)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields, leaders, joint_leads, co_units = _split(form)
        version = fields.pop("version") or 0
        reason = fields.pop("reason", "")
        try:
            services.item_update(
                actor=request.user,
                item=item,
                expected_version=version,
                fields=fields,
                leaders=leaders,
                joint_leads=joint_leads,
                co_units=co_units,
                milestones=_milestone_rows(formset),
                reason=reason,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("修改已保存"))
            return redirect(item)
    ctx = {"form": form, "formset": formset, "item": item, "deliverables": DELIVERABLE_OPTIONS}
    return render(request, "ledger/item_form.html", ctx)


@require_POST
def item_archive(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    form = ArchiveForm(request.POST)
    form.is_valid()
    archive = not item.is_archived
    try:
        services.item_set_archived(
            actor=request.user, item=item, archived=archive, reason=form.cleaned_data.get("reason", "")
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("事项已归档") if archive else _("事项已恢复"))
    return redirect(item)


def plan_list(request: AuthedHttpRequest) -> HttpResponse:
    plans = Plan.objects.select_related("parent").order_by("-year", "parent_id", "name")
    counts = {
        row["plan"]: row["n"]
        for row in Item.objects.filter(is_archived=False).values("plan").annotate(n=Count("id"))
    }
    rows = [{"plan": p, "n_items": counts.get(p.pk, 0)} for p in plans]
    return render(request, "ledger/plan_list.html", {"rows": rows, "can_edit": can_edit_ledger(request.user)})


@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    require_office(request.user)
    plan = get_object_or_404(Plan, pk=pk) if pk else Plan()
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(actor=request.user, plan=plan, fields=form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("方案已保存"))
            return redirect("ledger:plan_list")
    return render(request, "ledger/plan_form.html", {"form": form, "plan": plan})
