"""Reads of achievements: the counts the seed quotes ("省委改革办刊发推广30余项") and the lists behind them.

A count and its list come from the same filter (`experiences_filtered`), so a click on a figure
always shows exactly the experiences it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from gandang.achievements.access import experiences_visible_to, honors_visible_to, pilots_visible_to
from gandang.achievements.models import Experience, Honor, Pilot, Promotion, PromotionLevel
from gandang.org.models import Unit, User

COUNTED = [Experience.State.ADOPTED, Experience.State.PUBLISHED]


def range_q(field: str, filters: dict[str, Any]) -> Q:
    """The date `field` within the filters' `start`..`end` (each optional, both inclusive)."""
    q = Q()
    if filters.get("start"):
        q &= Q(**{f"{field}__gte": filters["start"]})
    if filters.get("end"):
        q &= Q(**{f"{field}__lte": filters["end"]})
    return q


def in_range(qs: QuerySet, field: str, filters: dict[str, Any]) -> QuerySet:
    """`qs` whose date `field` lies within the filters' `start`..`end`."""
    return qs.filter(range_q(field, filters))


def experiences_filtered(user: User, filters: dict[str, Any]) -> QuerySet[Experience]:
    """Experiences `user` sees, by state (or `counted`: adopted or published, what the figures count),
    unit, promotion level and year or date range (`start`..`end`: when a promotion was made, or with no
    level when it was adopted), and text."""
    qs = experiences_visible_to(user)
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("counted"):
        qs = qs.filter(state__in=COUNTED)
    if filters.get("unit"):
        qs = qs.filter(units=filters["unit"])
    level, year = filters.get("level"), filters.get("year")
    if level or filters.get("promoted"):
        promos = Promotion.objects.all()
        if level:
            promos = promos.filter(level__key=level)
        if year:
            promos = promos.filter(date__year=year)
        promos = in_range(promos, "date", filters)
        qs = qs.filter(state__in=COUNTED, pk__in=promos.values("experience_id"))
    else:
        if year:
            qs = qs.filter(adopted_on__year=year)
        qs = in_range(qs, "adopted_on", filters)
    text = (filters.get("q") or "").strip()
    for word in text.split():
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return Experience.objects.filter(pk__in=qs.values("pk"))


def list_url(name: str, **params: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(query) if query else "")


@dataclass
class LevelCount:
    level: PromotionLevel
    experiences: int
    promotions: int
    url: str


@dataclass
class Stats:
    year: int | None
    unit: Unit | None
    adopted: int = 0
    published: int = 0
    adopted_url: str = ""
    published_url: str = ""
    by_level: list[LevelCount] = field(default_factory=list)
    pilots: list[dict[str, Any]] = field(default_factory=list)
    honors: list[dict[str, Any]] = field(default_factory=list)


def stats(user: User, *, year: int | None = None, unit: Unit | None = None) -> Stats:
    """The achievements figures for a year (and a unit), each with the link to its list."""
    st = Stats(year=year, unit=unit)
    base = {"year": year, "unit": unit.pk if unit else None}
    counted = experiences_filtered(user, {"unit": unit, "year": year, "counted": True})
    st.adopted = counted.count()
    st.published = counted.filter(state=Experience.State.PUBLISHED).count()
    st.adopted_url = list_url("achievements:experience_list", **base, counted=1)
    st.published_url = list_url(
        "achievements:experience_list", **base, counted=1, state=Experience.State.PUBLISHED
    )
    visible = experiences_filtered(user, {"unit": unit}).filter(state__in=COUNTED)
    promos = Promotion.objects.filter(experience__in=visible)
    if year:
        promos = promos.filter(date__year=year)
    by_level = {
        r["level_id"]: r
        for r in promos.values("level_id").annotate(n=Count("id"), exps=Count("experience_id", distinct=True))
    }
    for level in PromotionLevel.objects.filter(is_active=True).order_by("rank"):
        r = by_level.get(level.pk, {"n": 0, "exps": 0})
        st.by_level.append(
            LevelCount(
                level=level,
                experiences=r["exps"],
                promotions=r["n"],
                url=list_url("achievements:experience_list", **base, level=level.key),
            )
        )
    pilots = pilots_visible_to(user)
    if unit:
        pilots = pilots.filter(lead_unit=unit)
    for value, label in Pilot.PilotLevel.choices:
        at = pilots.filter(level=value)
        undertaken = at.filter(undertaken_on__year=year) if year else at.exclude(undertaken_on=None)
        passed = at.filter(state=Pilot.State.PASSED)
        if year:
            passed = passed.filter(evaluated_on__year=year)
        st.pilots.append(
            {
                "level": value,
                "label": label,
                "undertaken": undertaken.count(),
                "passed": passed.count(),
                "ongoing": at.filter(
                    state__in=[Pilot.State.UNDERTAKEN, Pilot.State.IN_PROGRESS, Pilot.State.EVALUATING]
                ).count(),
                "undertaken_url": list_url(
                    "achievements:pilot_list", level=value, undertaken=year or "any", unit=base["unit"]
                ),
                "passed_url": list_url(
                    "achievements:pilot_list", level=value, passed=year or "any", unit=base["unit"]
                ),
            }
        )
    honors = honors_visible_to(user)
    if unit:
        honors = honors.filter(unit=unit)
    if year:
        honors = honors.filter(date__year=year)
    counts = dict(honors.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    for value, label in Honor.HonorLevel.choices:
        st.honors.append(
            {
                "level": value,
                "label": label,
                "n": counts.get(value, 0),
                "url": list_url("achievements:honor_list", level=value, year=year, unit=base["unit"]),
            }
        )
    return st


def year_or_any(value: Any) -> int | str | None:
    """A year filter as the lists take it: "any", a four-digit year, or None (anything else is ignored)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1000 <= value <= 9999 else None
    text = str(value).strip()
    if text == "any":
        return "any"
    if len(text) == 4 and text.isascii() and text.isdigit():
        return int(text)
    return None


def pilots_in_year(qs: QuerySet[Pilot], year: int) -> QuerySet[Pilot]:
    """The pilots the year's figures count: undertaken in the year, or passed evaluation in it."""
    return qs.filter(Q(undertaken_on__year=year) | Q(state=Pilot.State.PASSED, evaluated_on__year=year))


def pilots_filtered(user: User, filters: dict[str, Any]) -> QuerySet[Pilot]:
    qs = pilots_visible_to(user).select_related("lead_unit")
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("unit"):
        qs = qs.filter(lead_unit=filters["unit"])
    undertaken = year_or_any(filters.get("undertaken"))
    if undertaken == "any":
        qs = qs.exclude(undertaken_on=None)
    elif undertaken is not None:
        qs = qs.filter(undertaken_on__year=undertaken)
    passed = year_or_any(filters.get("passed"))
    if passed is not None:
        qs = qs.filter(state=Pilot.State.PASSED)
        if passed != "any":
            qs = qs.filter(evaluated_on__year=passed)
    # A date range qualifies the date asked about: evaluated (passed), else undertaken, else either.
    if filters.get("start") or filters.get("end"):
        if passed is not None:
            qs = in_range(qs, "evaluated_on", filters)
        elif undertaken is not None:
            qs = in_range(qs, "undertaken_on", filters)
        else:
            qs = qs.filter(range_q("undertaken_on", filters) | range_q("evaluated_on", filters))
    return qs


def honors_filtered(user: User, filters: dict[str, Any]) -> QuerySet[Honor]:
    qs = honors_visible_to(user).select_related("unit")
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("year"):
        qs = qs.filter(date__year=filters["year"])
    qs = in_range(qs, "date", filters)
    if filters.get("unit"):
        qs = qs.filter(unit=filters["unit"])
    return qs


def todos(user: User) -> dict[str, Any]:
    """Workbench: the office's experiences to review; a liaison's experiences sent back."""
    if user.is_office:
        return {"ach_to_review": Experience.objects.filter(state=Experience.State.SUBMITTED).count()}
    if user.role == User.Role.LIAISON and user.unit_id:
        return {
            "ach_returned": list(
                Experience.objects.filter(units=user.unit_id, state=Experience.State.RETURNED).order_by(
                    "-id"
                )[:10]
            )
        }
    return {}
