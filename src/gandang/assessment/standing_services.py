"""Every write of the monthly standing (月度晾晒): compute it for a closed period, publish it, show or
withdraw its summary on the public showcase.

A standing is scored by the annual assessment's own code (`services.score_units`, `rules`) over the
period's records (`records.gather_period`), under the year's active standing scheme.

A standing is of the city's month. A plan reporting on its own cycle (按季度、按半年、按年) counts in the
standing of the month its period ends in, the later of the span's last day and its deadline: 一季度 due
4月25日 in April's, a 全年 period due 11月25日 in December's. Its reports' lateness, missing reports,
returns and copies are judged by its own deadline and named with the period on the unit's line. The
calendar closes such a period before (or with) the month it counts in, so its missing reports are
marked when the month's standing is computed. Monthly plans count in their month as always.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from gandang.assessment.models import Scheme
from gandang.assessment.records import gather_period
from gandang.assessment.services import line_fields, scheme_config, score_units
from gandang.assessment.standing_models import Standing, StandingLine, StandingResult
from gandang.core import audit, clock
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.dispatch.models import Period
from gandang.notifications.services import notify
from gandang.org.access import require_office
from gandang.org.models import Unit, User


def standing_scheme(year: int) -> Scheme | None:
    """The year's active standing scheme (at most one: a constraint keeps it so)."""
    return Scheme.objects.filter(
        year=year, purpose=Scheme.Purpose.STANDING, state=Scheme.State.ACTIVE
    ).first()


def movement_basis(period: Period) -> Standing | None:
    """The standing a standing of `period` measures movement against: the city's previous month's, if
    it was published (units only ever saw published standings); None otherwise."""
    y, m = period.previous_month()
    return Standing.objects.filter(
        period__plan__isnull=True, period__year=y, period__month=m, state=Standing.State.PUBLISHED
    ).first()


def previous_ranks(basis: Standing | None) -> dict[int, tuple[str, int]]:
    """{unit id: (its kind then, its rank then)} in `basis` (nothing when there is none)."""
    if basis is None:
        return {}
    return {
        unit_id: (kind, rank)
        for unit_id, kind, rank in StandingResult.objects.filter(standing=basis).values_list(
            "unit_id", "unit_kind", "rank"
        )
    }


def _previous_rank(last: dict[int, tuple[str, int]], unit_id: int, kind: str) -> int | None:
    kind_then, rank_then = last.get(unit_id, ("", None))
    return rank_then if kind_then == kind else None


def _measure_against(standing: Standing, basis: Standing, *, actor: User) -> None:
    """Measure the not yet published `standing`'s movement against `basis`, just published."""
    before = audit.snapshot(standing)
    standing.compared_with = basis
    standing.save(update_fields=["compared_with"])
    last = previous_ranks(basis)
    results = list(standing.results.all())
    for r in results:
        r.previous_rank = _previous_rank(last, r.unit_id, r.unit_kind)
    StandingResult.objects.bulk_update(results, ["previous_rank"], batch_size=500)
    audit.record(
        standing,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason="上月晾晒已发布，名次变化改为与之比较",
    )


@transaction.atomic
def standing_compute(*, actor: User | None, period: Period) -> Standing:
    """Score and rank the units on the closed `period`'s records under the year's standing scheme.

    A standing not yet published is computed again in place (the records may have been corrected); a
    published one is frozen. Movement is measured against the previous month's standing only if it was
    published (`movement_basis`): when it is published later, before this one, this one is measured
    against it then (`standing_publish`); until then no movement is given.
    `actor` None: the city's calendar, after the period closed.
    """
    if actor is not None:
        require_office(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)  # one computation of a period at a time
    if period.state != Period.State.CLOSED:
        raise ServiceError(gettext("%(p)s调度期尚未结束，结束后才能计算晾晒") % {"p": period})
    scheme = standing_scheme(period.year)
    if scheme is None:
        raise ServiceError(
            gettext("%(y)s年尚未启用月度晾晒方案，请先在配置管理中添加并启用") % {"y": period.year}
        )
    indicators = list(scheme.indicators.order_by("order", "id"))
    if not indicators:
        raise ServiceError(gettext("月度晾晒方案还没有指标，请先在配置管理中添加指标"))
    # Locked: publishing last month's standing re-measures this one (`standing_publish`), not meanwhile.
    standing = Standing.objects.select_for_update().filter(period=period).first()
    if standing is not None and standing.is_published:
        raise ServiceError(gettext("%(p)s晾晒已发布，不再重新计算") % {"p": period})
    before = audit.snapshot(standing) if standing is not None else None
    basis = movement_basis(period)
    values = {
        "scheme": scheme,
        "compared_with": basis,
        "config": scheme_config(scheme, indicators),
        "computed_at": clock.now(),
        "computed_by": actor,
    }
    if standing is None:
        standing = Standing.objects.create(period=period, **values)
    else:
        for k, v in values.items():
            setattr(standing, k, v)
        standing.save(update_fields=list(values))
        standing.lines.all().delete()
        standing.results.all().delete()
    with translation.override(settings.LANGUAGE_CODE):  # stored: the product's language
        scored = score_units(indicators, gather_period(period))
    last = previous_ranks(basis)
    lines, results = [], []
    for sc in scored:
        lines += [
            StandingLine(standing=standing, unit=sc.unit, indicator=ind, **line_fields(ind, out))
            for ind, out in sc.outcomes
        ]
        results.append(
            StandingResult(
                standing=standing,
                unit=sc.unit,
                unit_kind=sc.unit.kind,
                unit_name=sc.unit.name,
                total=sc.total,
                rank=sc.rank,
                previous_rank=_previous_rank(last, sc.unit.pk, sc.unit.kind),
            )
        )
    StandingLine.objects.bulk_create(lines, batch_size=500)
    StandingResult.objects.bulk_create(results, batch_size=500)
    if before is None:
        audit.record(standing, actor=actor, action=AuditEntry.Action.CREATE)
    else:
        audit.record(standing, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="重新计算")
    return standing


def movement_words(result: StandingResult) -> str:
    """较上月上升2位 / 下降1位 / 持平 / 上月未参加排名 / no movement when no standing was published last
    month: a unit's movement, in the product's language. `result.standing` is read (select it)."""
    m = result.movement
    if m is None:
        return no_movement_note(result.standing) or gettext("上月未参加排名")
    if m > 0:
        return gettext("较上月上升%(n)s位") % {"n": m}
    if m < 0:
        return gettext("较上月下降%(n)s位") % {"n": -m}
    return gettext("与上月持平")


def no_movement_note(standing: Standing) -> str:
    """Why `standing` gives no unit a movement (no standing was published the month before); "" when it
    is measured against last month's."""
    if standing.compared_with_id is not None:
        return ""
    if standing.is_published:
        return gettext("发布时上月没有已发布的晾晒，不计名次变化")
    return gettext("上月没有已发布的晾晒，不计名次变化")


@transaction.atomic
def standing_publish(*, actor: User, standing: Standing, on_showcase: bool = False) -> Standing:
    """Publish the standing to every unit (frozen from now on); each unit's people hear of their own line."""
    require_office(actor)
    standing = Standing.objects.select_for_update().select_related("period").get(pk=standing.pk)
    if standing.is_published:
        raise ServiceError(gettext("该月晾晒已发布"))
    before = audit.snapshot(standing)
    standing.state, standing.published_at, standing.published_by = (
        Standing.State.PUBLISHED,
        clock.now(),
        actor,
    )
    standing.on_showcase = on_showcase
    standing.save(update_fields=["state", "published_at", "published_by", "on_showcase"])
    audit.record(standing, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason="发布")
    # Next month's standing, if computed and not yet published, now has a published month to move from.
    y, m = divmod(standing.period.year * 12 + standing.period.month, 12)  # the month after
    following = (
        Standing.objects.select_for_update()
        .filter(period__plan__isnull=True, period__year=y, period__month=m + 1, state=Standing.State.COMPUTED)
        .first()
    )
    if following is not None and standing.period.plan_id is None:
        _measure_against(following, standing, actor=actor)
    kinds = dict(Unit.Kind.choices)
    people: dict[int, list[User]] = {}
    for u in User.objects.filter(
        is_active=True,
        role__in=[User.Role.LIAISON, User.Role.HEAD],
        unit_id__in=standing.results.values("unit_id"),
    ):
        people.setdefault(u.unit_id or 0, []).append(u)
    with translation.override(settings.LANGUAGE_CODE):  # stored: the product's language
        for r in standing.results.order_by("unit_id"):
            if r.unit_id not in people:
                continue
            r.standing = standing
            notify(
                users=people[r.unit_id],
                kind="other",
                title=gettext("%(s)s已发布：本单位在%(k)s中排第%(r)s名")
                % {"s": standing, "k": kinds.get(r.unit_kind, r.unit_kind), "r": r.rank},
                body=movement_words(r) + gettext("。请查看本单位每一项得分的依据记录。"),
                url=r.get_absolute_url(),
                key=f"standing:{standing.pk}:unit{r.unit_id}",
            )
        notify(
            users=User.objects.filter(is_active=True, role__in=[User.Role.LEADER, User.Role.OBSERVER]),
            kind="other",
            title=gettext("%(s)s已发布") % {"s": standing},
            url=standing.get_absolute_url(),
            key=f"standing:{standing.pk}:city",
        )
    return standing


@transaction.atomic
def standing_showcase(*, actor: User, standing: Standing, on: bool) -> Standing:
    """Show (or withdraw) a published standing's summary on the public showcase."""
    require_office(actor)
    standing = Standing.objects.select_for_update().get(pk=standing.pk)
    if not standing.is_published:
        raise ServiceError(gettext("晾晒发布后才能在公开专栏展示"))
    if standing.on_showcase == on:
        return standing
    before = audit.snapshot(standing)
    standing.on_showcase = on
    standing.save(update_fields=["on_showcase"])
    audit.record(
        standing,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        before=before,
        reason="在公开专栏展示" if on else "撤下公开专栏摘要",
    )
    return standing


def compute_due(*, today=None) -> list[Standing]:
    """The calendar's part: a standing for each closed period of a year with an active standing scheme
    that has none yet (a period closed today, or one closed before the scheme was enabled)."""
    years = set(
        Scheme.objects.filter(purpose=Scheme.Purpose.STANDING, state=Scheme.State.ACTIVE).values_list(
            "year", flat=True
        )
    )
    due = (
        Period.objects.filter(
            plan__isnull=True, state=Period.State.CLOSED, year__in=years, standing__isnull=True
        )
        .exclude(year__gt=(today or clock.today()).year)
        .order_by("year", "month")
    )
    out = []
    for period in due:
        scheme = standing_scheme(period.year)
        if scheme is None or not scheme.indicators.exists():
            continue
        out.append(standing_compute(actor=None, period=period))
    return out
