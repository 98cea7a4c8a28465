from datetime import date

from ninja import Query, Router, Schema

from gandang.achievements import selectors
from gandang.achievements.models import Experience, Promotion
from gandang.core.params import Id, Key, Year
from gandang.org.types import AuthedHttpRequest

router = Router(tags=["改革成果 achievements"])


class PromotionOut(Schema):
    outlet: str
    level: str
    level_name: str
    date: date
    reference: str


class ExperienceOut(Schema):
    id: int
    title: str
    units: list[str]
    state: str
    summary: str
    adopted_on: date | None
    published_on: date | None
    promotions: list[PromotionOut]


class ExperienceQuery(Schema):
    level: Key | None = None
    year: Year | None = None
    unit: Id | None = None
    state: Experience.State | None = None


class LevelCountOut(Schema):
    level: str
    name: str
    experiences: int
    promotions: int


class StatsOut(Schema):
    year: int | None
    adopted: int
    published: int
    by_level: list[LevelCountOut]


@router.get(
    "/experiences", response=list[ExperienceOut], summary="经验做法（按用户可见范围；可按刊发层级和年度筛选）"
)
def list_experiences(request: AuthedHttpRequest, query: Query[ExperienceQuery]):
    from django.db.models import Prefetch

    qs = selectors.experiences_filtered(request.user, query.dict()).prefetch_related(
        "units", Prefetch("promotions", queryset=Promotion.objects.select_related("outlet", "level"))
    )
    return [
        {
            "id": e.pk,
            "title": e.title,
            "units": [u.name for u in e.units.all()],
            "state": e.state,
            "summary": e.summary,
            "adopted_on": e.adopted_on,
            "published_on": e.published_on,
            "promotions": [
                {
                    "outlet": p.outlet.name,
                    "level": p.level.key,
                    "level_name": p.level.name,
                    "date": p.date,
                    "reference": p.reference,
                }
                for p in e.promotions.all()
            ],
        }
        for e in qs.order_by("-adopted_on", "id")
    ]


@router.get("/stats", response=StatsOut, summary="经验做法刊发推广统计（按层级）")
def stats(request: AuthedHttpRequest, year: Year | None = None):
    st = selectors.stats(request.user, year=year)
    return {
        "year": year,
        "adopted": st.adopted,
        "published": st.published,
        "by_level": [
            {
                "level": c.level.key,
                "name": c.level.name,
                "experiences": c.experiences,
                "promotions": c.promotions,
            }
            for c in st.by_level
        ],
    }
