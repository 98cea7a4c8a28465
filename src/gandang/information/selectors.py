"""Reads of reform information: the lists' rows and the counts of 报送/采用 by unit and month.

A piece counts as 报送 in the month it first reached the office (`submitted_at`), and as 采用 (and 刊发, once
printed in an issued issue of the periodical) in that same month, so a month's 采用 never exceeds its 报送
and each figure opens the list it counts (`list_filter`): the same filter on the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth

from gandang.information.models import Issue, PartnerUse, Piece
from gandang.org.models import Unit, User


def piece_rows(qs: QuerySet[Piece]) -> QuerySet[Piece]:
    """What a row of the list shows."""
    return qs.select_related("unit", "issue")


def issue_rows(qs: QuerySet[Issue]) -> QuerySet[Issue]:
    return qs.annotate(n_pieces=Count("pieces"))


PRINTED = Q(issue__state=Issue.State.ISSUED)  # 刊发: in an issue that has been issued, not a draft one


def list_filter(
    qs: QuerySet[Piece],
    *,
    year: int | None,
    month: int | None = None,
    adopted: bool = False,
    printed: bool = False,
) -> QuerySet[Piece]:
    """The pieces a figure of the counts table counts: sent to the office in `year` (and `month`), and
    adopted when `adopted`, printed in an issued issue when `printed`."""
    if year:
        qs = qs.filter(submitted_at__year=year)
        if month:
            qs = qs.filter(submitted_at__month=month)
    if adopted:
        qs = qs.filter(adopted_at__isnull=False)
    if printed:
        qs = qs.filter(PRINTED)
    return qs


def use_rows(qs: QuerySet[PartnerUse]) -> QuerySet[PartnerUse]:
    """What a row of the uses' list shows."""
    return qs.select_related("piece", "piece__unit", "unit", "created_by")


def use_filter(
    qs: QuerySet[PartnerUse],
    *,
    year: int | None = None,
    partner: int | None = None,
    unit: int | None = None,
    withdrawn: bool = False,
    month: int | None = None,
) -> QuerySet[PartnerUse]:
    """The uses a figure counts: made in `year` (and `month` of it, by the day used), by `partner`, of a piece
    of `unit`; those standing (withdrawn ones only when asked for, and then only those)."""
    qs = qs.filter(withdrawn_at__isnull=not withdrawn)
    if year:
        qs = qs.filter(used_on__year=year)
        if month:
            qs = qs.filter(used_on__month=month)
    if partner:
        qs = qs.filter(unit_id=partner)
    if unit:
        qs = qs.filter(piece__unit_id=unit)
    return qs


@dataclass
class UnitCounts:
    unit: Unit
    sent: list[int] = field(default_factory=lambda: [0] * 12)
    adopted: list[int] = field(default_factory=lambda: [0] * 12)
    printed: list[int] = field(default_factory=lambda: [0] * 12)
    # Uses by the partners of 两办两研 in the year (信息被两办两研采用), by the day used: a promotion.
    used: int = 0

    @property
    def months(self) -> list[tuple[int, int, int]]:
        """(month, 报送, 采用) for the twelve months."""
        return [(m + 1, self.sent[m], self.adopted[m]) for m in range(12)]

    @property
    def sent_total(self) -> int:
        return sum(self.sent)

    @property
    def adopted_total(self) -> int:
        return sum(self.adopted)

    @property
    def printed_total(self) -> int:
        return sum(self.printed)

    @property
    def rate(self) -> str:
        return f"{self.adopted_total * 100 / self.sent_total:.0f}%" if self.sent_total else "—"


def counts_by_unit(
    qs: QuerySet[Piece], *, year: int, uses: QuerySet[PartnerUse] | None = None
) -> list[UnitCounts]:
    """报送, 采用 and 刊发 of `year` by unit and month among `qs` (the pieces the reader sees), and the partners' uses
    of the year among `uses`: two grouped queries, and one for the units. Units with nothing sent nor used are
    left out; ordered by adoptions, then sendings."""
    rows = (
        list_filter(qs, year=year)
        .annotate(m=ExtractMonth("submitted_at"))
        .values("unit_id", "m")
        .annotate(
            sent=Count("id"),
            adopted=Count("id", filter=Q(adopted_at__isnull=False)),
            printed=Count("id", filter=PRINTED),
        )
        .order_by()
    )
    used = {}
    if uses is not None:
        used = dict(
            use_filter(uses, year=year)
            .values("piece__unit_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("piece__unit_id", "n")
        )
    by_unit: dict[int, UnitCounts] = {}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r["unit_id"] for r in rows} | set(used))}
    for r in rows:
        c = by_unit.setdefault(r["unit_id"], UnitCounts(units[r["unit_id"]]))
        c.sent[r["m"] - 1] += r["sent"]
        c.adopted[r["m"] - 1] += r["adopted"]
        c.printed[r["m"] - 1] += r["printed"]
    for unit_id, n in used.items():
        by_unit.setdefault(unit_id, UnitCounts(units[unit_id])).used = n
    return sorted(
        by_unit.values(),
        key=lambda c: (-c.adopted_total, -c.sent_total, -c.used, c.unit.sort_order, c.unit.name),
    )


def totals(rows: list[UnitCounts]) -> UnitCounts | None:
    """The column totals of the table (a UnitCounts without a unit)."""
    if not rows:
        return None
    t = UnitCounts(unit=None)  # type: ignore[arg-type]
    for c in rows:
        for m in range(12):
            t.sent[m] += c.sent[m]
            t.adopted[m] += c.adopted[m]
            t.printed[m] += c.printed[m]
        t.used += c.used
    return t


TODO_ROWS = 10  # pieces listed on the workbench; the rest one click away in the list


def todos(user: User) -> dict[str, Any]:
    """The workbench's information: what this user must do about it now. The liaison's returned pieces, the
    unit head's pieces to sign, the office's pieces to adopt or return and its adopted pieces waiting for an
    issue of the periodical; each a count and its first rows."""
    ctx: dict[str, Any] = {}
    if not user.is_authenticated or not user.is_active:
        return ctx
    S = Piece.State  # noqa: N806
    if user.is_unit_member and user.unit_id:
        mine = Piece.objects.filter(unit_id=user.unit_id).order_by("-created_at", "-id")
        if user.role == User.Role.LIAISON:
            todo, state = mine.filter(state=S.RETURNED), S.RETURNED
        else:
            todo, state = mine.filter(state=S.SUBMITTED), S.SUBMITTED
    elif user.is_office:
        todo, state = (
            Piece.objects.filter(state=S.SIGNED).select_related("unit").order_by("submitted_at", "id"),
            S.SIGNED,
        )
        ctx["info_waiting"] = Piece.objects.filter(state=S.ADOPTED, issue__isnull=True).count()
    else:
        return ctx
    ctx["info_n_todo"] = todo.count()
    ctx["info_todo"] = list(todo[:TODO_ROWS]) if ctx["info_n_todo"] else []
    ctx["info_state"] = state
    return ctx
