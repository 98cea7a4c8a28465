from datetime import date

from ninja import Query, Router, Schema

from gandang.core.params import Id
from gandang.org.types import AuthedHttpRequest
from gandang.supervision.access import get_listing_for_user, listings_visible_to
from gandang.supervision.models import Listing

router = Router(tags=["挂牌督办 supervision"])


class LetterOut(Schema):
    id: int
    kind: str
    doc_number: str
    title: str
    issued_on: date
    deadline: date


class ListingOut(Schema):
    id: int
    item_id: int
    item_code: str
    item_title: str
    unit: str
    level: str
    trigger: str
    reason: str
    requirements: str
    deadline: date
    state: str
    escalation: int
    listed_on: date
    closed_on: date | None
    rectification_state: str
    letters: list[LetterOut]


class ListingQuery(Schema):
    state: Listing.State | None = None
    unit: Id | None = None


def _listing(x: Listing) -> dict:
    return {
        "id": x.pk,
        "item_id": x.item_id,
        "item_code": x.item.code,
        "item_title": x.item.title,
        "unit": x.unit.name,
        "level": x.level,
        "trigger": x.trigger,
        "reason": x.reason,
        "requirements": x.requirements,
        "deadline": x.deadline,
        "state": x.state,
        "escalation": x.escalation,
        "listed_on": x.listed_on,
        "closed_on": x.closed_on,
        "rectification_state": x.rectification.state,
        "letters": [
            {
                "id": ltr.pk,
                "kind": ltr.kind,
                "doc_number": ltr.doc_number,
                "title": ltr.title,
                "issued_on": ltr.issued_on,
                "deadline": ltr.deadline,
            }
            for ltr in x.letters.all()
        ],
    }


@router.get("/listings", response=list[ListingOut], summary="挂牌督办事项（按用户可见范围）")
def list_listings(request: AuthedHttpRequest, query: Query[ListingQuery]):
    qs = listings_visible_to(request.user).select_related("item", "unit", "rectification")
    if query.state:
        qs = qs.filter(state=query.state)
    if query.unit:
        qs = qs.filter(unit_id=query.unit)
    return [_listing(x) for x in qs.prefetch_related("letters")]


@router.get("/listings/{listing_id}", response=ListingOut, summary="挂牌督办详情")
def get_listing(request: AuthedHttpRequest, listing_id: int):
    return _listing(get_listing_for_user(request.user, listing_id))
