"""Reads of instructions and matters: the lists' rows, the year's counts, and each role's to-dos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from gandang.core import clock
from gandang.matters.access import matters_visible_to
from gandang.matters.consult_selectors import state_q
from gandang.matters.models import Instruction, Matter, Source, Suggestion
from gandang.org.models import Unit, User

S = Matter.State


def matter_prefetches() -> tuple[Prefetch | str, ...]:
    """What matter_rows prefetches: for one matter already read, with prefetch_related_objects."""
    return (
        Prefetch("co_units", queryset=Unit.objects.only("id", "name")),
        "letters",  # the overdue list's 催办函/督办函 column and the office's button
    )


def matter_rows(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """What a row of the matters' list shows, read in a constant number of queries."""
    return qs.select_related("unit", "instruction", "created_item").prefetch_related(*matter_prefetches())


def instruction_rows(qs: QuerySet[Instruction]) -> QuerySet[Instruction]:
    """What a row of the instructions' list shows: its items, units and matters, in a constant number of queries."""
    return qs.select_related("leader").prefetch_related(
        "items",
        Prefetch("units", queryset=Unit.objects.only("id", "name")),
        Prefetch("matters", queryset=Matter.objects.select_related("unit").order_by("id")),
    )


def overdue_q(today: date) -> Q:
    return Q(state__in=Matter.OPEN_STATES, deadline__lt=today)


def praise_count(*, year: int, level: str = Instruction.Level.PROVINCE) -> int:
    """The year's praising instructions at a level: "省级领导肯定性批示 N 项" (for achievements, assessment)."""
    return Instruction.objects.filter(kind=Instruction.Kind.PRAISE, level=level, on__year=year).count()


def praise_by_level(*, year: int, unit_id: int | None = None) -> list[dict[str, Any]]:
    """The year's praising instructions by level (central, provincial, city), of a unit or all: the figures
    beside experiences, pilots and honors, each with the link to its list."""
    qs = Instruction.objects.filter(kind=Instruction.Kind.PRAISE, on__year=year)
    if unit_id:
        qs = qs.filter(units=unit_id)
    counts = dict(qs.order_by().values_list("level").annotate(n=Count("id", distinct=True)))
    out = []
    for level, label in Instruction.Level.choices:
        query = {"kind": Instruction.Kind.PRAISE, "level": level, "year": year, "unit": unit_id or ""}
        url = reverse("matters:instruction_list") + "?" + urlencode({k: v for k, v in query.items() if v})
        out.append({"level": level, "label": label, "n": counts.get(level, 0), "url": url})
    return out


@dataclass
class Cell:
    """One figure of the year's overview and the list it counts."""

    n: int
    url: str


def _cells(counts: dict[str, Any], base: str, params: dict[str, dict[str, str]]) -> dict[str, Cell]:
    return {key: Cell(counts.get(key) or 0, f"{base}?{urlencode(p)}") for key, p in params.items()}


def instruction_overview(qs: QuerySet[Instruction], *, year: int) -> list[dict[str, Any]]:
    """The year's instructions by level (rows, central first, then the total) and kind (columns): one query.
    Each figure links to the instruction list filtered the same way."""
    K = Instruction.Kind
    rows = {
        r["level"]: r
        for r in qs.filter(on__year=year)
        .values("level")
        .annotate(total=Count("pk"), **{k: Count("pk", filter=Q(kind=k)) for k in K.values})
        .order_by()
    }
    base = reverse("matters:instruction_list")
    out = []
    total: dict[str, int] = dict.fromkeys(["total", *K.values], 0)
    for level, label in Instruction.Level.choices:
        r = rows.get(level, {})
        for k in total:
            total[k] += r.get(k) or 0
        params = {"total": {"year": str(year), "level": level}} | {
            k: {"year": str(year), "level": level, "kind": k} for k in K.values
        }
        out.append({"label": label, "cells": _cells(r, base, params)})
    params = {"total": {"year": str(year)}} | {k: {"year": str(year), "kind": k} for k in K.values}
    out.append({"label": None, "cells": _cells(total, base, params)})
    return out


def matter_overview(qs: QuerySet[Matter], *, year: int, today: date) -> list[dict[str, Any]]:
    """The year's matters (by the day each was assigned) by source: assigned, open, overdue, closed, made
    ledger items. One query; each figure opens the matter list filtered the same way."""
    aggregates = {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(state__in=Matter.OPEN_STATES)),
        "overdue": Count("pk", filter=overdue_q(today)),
        S.CLOSED: Count("pk", filter=Q(state=S.CLOSED)),
        S.ITEMIZED: Count("pk", filter=Q(state=S.ITEMIZED)),
    }
    rows = {
        r["source"]: r
        for r in qs.filter(created_at__year=year).values("source").annotate(**aggregates).order_by()
    }
    base = reverse("matters:matter_list")

    def params(source: str) -> dict[str, dict[str, str]]:
        own = {"year": str(year)} | ({"source": source} if source else {})
        return {
            "total": own,
            "open": own | {"state": "open"},
            "overdue": own | {"overdue": "1"},
            S.CLOSED: own | {"state": S.CLOSED},
            S.ITEMIZED: own | {"state": S.ITEMIZED},
        }

    out = []
    total: dict[str, int] = dict.fromkeys(aggregates, 0)
    for source, label in Source.choices:
        r = rows.get(source, {})
        for k in total:
            total[k] += r.get(k) or 0
        out.append({"label": label, "cells": _cells(r, base, params(source))})
    out.append({"label": None, "cells": _cells(total, base, params(""))})
    return out


def todos(user: User) -> dict[str, Any]:
    """The workbench's matters: what this user must do about them now (or, for a leader, how theirs go)."""
    ctx: dict[str, Any] = {}
    if not user.is_authenticated or not user.is_active:
        return ctx
    today = clock.today()
    base = Matter.objects.select_related("unit").order_by("deadline", "id")
    if user.is_unit_member and user.unit_id:
        mine = base.filter(unit_id=user.unit_id)
        if user.role == User.Role.LIAISON:
            ctx["mt_to_answer"] = list(mine.filter(state__in=[S.DRAFT, S.RETURNED]))
        else:
            ctx["mt_to_sign"] = list(mine.filter(state=S.SUBMITTED))
    elif user.is_office:
        ctx["mt_to_close"] = list(base.filter(state=S.SIGNED))
        ctx["mt_overdue"] = list(base.filter(overdue_q(today))[:20])
        ctx["mt_n_overdue"] = base.filter(overdue_q(today)).count()
        # The consultation's suggestions of the year waiting for the office: to assign, to answer the party.
        year = Suggestion.objects.filter(consultation__on__year=today.year)
        ctx["cs_year"] = today.year
        ctx["cs_to_assign"] = year.filter(state_q(Suggestion.State.RECEIVED)).count()
        ctx["cs_to_reply"] = year.filter(state_q(Suggestion.State.HANDLED)).count()
    elif user.role == User.Role.LEADER and user.leader_id:
        theirs = matters_visible_to(user).filter(instruction__leader_id=user.leader_id)
        ctx["mt_mine"] = list(
            theirs.select_related("unit", "instruction")
            .prefetch_related("letters", "items")
            .order_by("-created_at", "-id")[:20]
        )
        for m in ctx["mt_mine"]:  # the latest 催办函/督办函 the office sent about it, if any
            m.last_letter = (list(m.letters.all()) or [None])[-1]
        # How the leader's instructions stand: handled, overdue, closed (each links to the list behind it).
        ctx["mt_mine_counts"] = {
            "open": theirs.filter(state__in=Matter.OPEN_STATES).count(),
            "overdue": theirs.filter(overdue_q(today)).count(),
            "closed": theirs.filter(state__in=[S.CLOSED, S.ITEMIZED]).count(),
        }
    ctx["mt_today"] = today
    return ctx
