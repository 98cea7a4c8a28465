from datetime import date

from ninja import Query, Router, Schema

from gandang.core.params import Id, Page
from gandang.ledger import extensions, selectors
from gandang.ledger.access import get_item_for_user
from gandang.ledger.forms import ItemFilterForm
from gandang.ledger.models import Item, Plan
from gandang.org.types import AuthedHttpRequest

router = Router(tags=["改革台账 ledger"])


class MilestoneOut(Schema):
    title: str
    due_date: date | None
    done_date: date | None
    evidence: str


class ItemOut(Schema):
    id: int
    plan: str
    code: str
    title: str
    goal: str
    deliverable: str
    area: str | None
    leaders: list[str]
    lead_unit: str | None
    joint_lead_units: list[str]
    lead_units: list[str]
    co_units: list[str]
    start_date: date | None
    due_date: date | None
    no_fixed_date: bool
    due_text: str
    is_key: bool
    parent: str | None
    is_archived: bool
    version: int


class ItemDetailOut(ItemOut):
    milestones: list[MilestoneOut]


class ItemPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ItemOut]


class ItemQuery(Schema):
    q: str | None = None
    plan: Id | None = None
    area: Id | None = None
    unit: Id | None = None
    lead_unit: Id | None = None
    leader: Id | None = None
    status: str | None = None
    flag: str | None = None
    due: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    archived: bool = False
    sort: str | None = None
    page: Page = 1


class PlanOut(Schema):
    id: int
    year: int
    name: str
    parent_id: int | None
    cycle: str
    deadlines: str


def _names(it: Item, relation: str) -> list[str]:
    """The names of an item's leaders or co-units: those a page of the list read for it
    (selectors.item_page), else through the relation."""
    listed = {"leaders": "leader_names", "co_units": "co_unit_names"}[relation]
    if hasattr(it, listed):
        return getattr(it, listed)
    return [x.name for x in getattr(it, relation).all()]


def _item(it: Item, *, milestones: bool = False) -> dict:
    data = {
        "id": it.pk,
        "plan": str(it.plan),
        "code": it.code,
        "title": it.title,
        "goal": it.goal,
        "deliverable": it.deliverable,
        "area": it.area.name if it.area else None,
        "leaders": _names(it, "leaders"),
        "lead_unit": it.lead_unit.name if it.lead_unit else None,
        "joint_lead_units": [u.name for u in it.joint_leads],
        "lead_units": [u.name for u in it.lead_units],
        "co_units": _names(it, "co_units"),
        "start_date": it.start_date,
        "due_date": it.due_date,
        "no_fixed_date": it.no_fixed_date,
        "due_text": it.due_text,
        "is_key": it.is_key,
        "parent": it.parent.code if it.parent else None,
        "is_archived": it.is_archived,
        "version": it.version,
    }
    if milestones:
        data["milestones"] = list(it.milestones.all())
    return data


def _registered_filters() -> str:
    """The list's filters other apps register, named in the endpoint's description (this module is
    imported with the URL map, after every app is ready)."""
    named = "；".join(f"{f.key}（{f.field().label}）" for f in extensions.filters())
    return f"另可使用台账页面的其他筛选参数：{named}。" if named else ""


@router.get(
    "/items",
    response=ItemPage,
    summary="事项列表（与台账页面相同的筛选与权限）",
    description=_registered_filters(),
)
def list_items(request: AuthedHttpRequest, query: Query[ItemQuery]):
    params = {k: v for k, v in query.dict().items() if v not in (None, "", False)}
    # The filters other apps register on the list (e.g. the bulletins' lagging_at) are the page's
    # query parameters too; the form cleans them as it does on the page (bad values dropped).
    params |= {f.key: request.GET[f.key] for f in extensions.filters() if request.GET.get(f.key)}
    form = ItemFilterForm(params)
    page = selectors.item_page(request.user, form.filters(), query.page, full=True)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_item(it) for it in page],
    }


@router.get("/items/{item_id}", response=ItemDetailOut, summary="事项详情（含时间节点）")
def get_item(request: AuthedHttpRequest, item_id: int):
    return _item(get_item_for_user(request.user, item_id), milestones=True)


@router.get("/plans", response=list[PlanOut], summary="改革方案")
def list_plans(request: AuthedHttpRequest):
    return Plan.objects.filter(is_archived=False).order_by("-year", "name")
