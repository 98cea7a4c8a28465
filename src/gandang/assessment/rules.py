"""The built-in rule kinds: each turns a unit's records of the year into (points, explanation, evidence).

Points per level, deductions and caps come from the indicator's params and max points, never from
code. A rule is a pure function of `IndicatorSpec`, the unit id and `YearRecords`: the same records
always give the same line. Explanations are written in the product's language (they are stored
with the run, like audit entries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext, pgettext_lazy

from gandang.achievements.models import Honor, Pilot
from gandang.assessment.records import Records, YearRecords
from gandang.core import numbers
from gandang.dispatch.models import Status
from gandang.documents.structure import quoted
from gandang.ledger.cycles import Cycle
from gandang.matters.models import Instruction
from gandang.supervision.models import Listing

ZERO = Decimal("0")


def D(value: Any) -> Decimal:
    return Decimal(str(value))


def q(value: Decimal) -> Decimal:
    """Points to the cent, rounded half-up (四舍五入) like every figure the product prints."""
    return numbers.half_up(value, 2)


def fmt(value: Decimal) -> str:
    """12.50 → 12.5, 3.00 → 3: points as people write them (rounded half-up to the cent)."""
    return numbers.fmt_trimmed(value, 2)


@dataclass(frozen=True)
class IndicatorSpec:
    id: int
    name: str
    rule: str
    max_points: Decimal
    params: dict
    green_channel: bool = False
    order: int = 100

    @classmethod
    def of(cls, indicator) -> IndicatorSpec:
        return cls(
            id=indicator.pk,
            name=indicator.name,
            rule=indicator.rule,
            max_points=D(indicator.max_points),
            params=dict(indicator.params or {}),
            green_channel=indicator.green_channel,
            order=indicator.order,
        )


@dataclass(frozen=True)
class Outcome:
    points: Decimal
    explanation: str
    evidence: list[dict]


def _url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""  # the record's page is not wired up (yet): the label still names it


def evidence(obj, label: str, points: Decimal) -> dict:
    return {
        "model": obj._meta.label_lower,
        "id": obj.pk,
        "label": label,
        "url": _url(obj),
        "points": float(q(points)),
    }


def _day(d) -> str:
    """A date as 2023-06-01 (a timestamp is passed as its local date: `timezone.localdate(at)`)."""
    return date_format(d, "Y-m-d")


def _span(rec: Records) -> str:
    """How an explanation names the records' window: 本年度 (the assessment) or 本月 (a standing)."""
    return _("本月") if rec.span == "month" else _("本年度")


def _capped(total: Decimal, cap: Decimal) -> tuple[Decimal, str]:
    if total > cap:
        return cap, _("，超过上限%(cap)s分，按%(cap)s分计") % {"cap": fmt(cap)}
    return total, ""


# -- params: what each rule accepts ------------------------------------------------------------------

LEVEL_MAPS: dict[str, dict[str, Callable[[], list[str]]]] = {
    "supervision": {
        "listing": lambda: [v for v, _label in Listing.Level.choices],
        "letter": lambda: ["reminder", "supervision"],
    },
    "experience": {"levels": lambda: _promotion_level_keys()},
    "pilots": {
        "undertaken": lambda: [v for v, _label in Pilot.PilotLevel.choices],
        "passed": lambda: [v for v, _label in Pilot.PilotLevel.choices],
    },
    "honors": {"levels": lambda: [v for v, _label in Honor.HonorLevel.choices]},
    "praise": {"levels": lambda: [v for v, _label in Instruction.Level.choices]},
}
NUMBERS: dict[str, list[str]] = {
    "reporting": ["late", "missing", "returned", "copy"],
    "lagging": ["yellow", "red"],
    "information": ["adopted", "printed"],
    "partner_use": ["used"],
}
COMPLETION_STATUSES = [Status.DONE.value, Status.GREEN.value]


def _promotion_level_keys() -> list[str]:
    from gandang.achievements.models import PromotionLevel

    return list(PromotionLevel.objects.values_list("key", flat=True))


def _number(value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValidationError({"params": _("“%(k)s”须为不小于0的数字") % {"k": where}})


def validate_params(rule: str, params: Any) -> None:
    """Refuse params the rule would not understand, with a message the office can act on."""
    if not isinstance(params, dict):
        raise ValidationError({"params": _("计分参数须为 JSON 对象")})
    if rule == "completion":
        unknown = set(params) - {"count", "when_none"}
        if unknown:
            raise ValidationError({"params": _("未知的参数：%(k)s") % {"k": "、".join(sorted(unknown))}})
        count = params.get("count", COMPLETION_STATUSES)
        if not isinstance(count, list) or not count or set(count) - {s.value for s in Status}:
            raise ValidationError({"params": _('count 须为计入完成的状态列表，如 ["done", "green"]')})
        if params.get("when_none", "full") not in ("full", "zero"):
            raise ValidationError({"params": _("when_none 须为 full（无牵头事项按满分）或 zero（按0分）")})
    elif rule in NUMBERS:
        allowed = NUMBERS[rule]
        flags = {COPY_FLAGGED} if rule == "reporting" else set()
        unknown = set(params) - set(allowed) - flags
        if unknown or not set(params) & set(allowed):
            if rule == "lagging":
                raise ValidationError({"params": _('请按 {"yellow": 1, "red": 2} 填写每项滞后事项的扣分')})
            if rule == "information":
                raise ValidationError({"params": _('请按 {"adopted": 0.5, "printed": 1} 填写每篇信息的加分')})
            if rule == "partner_use":
                raise ValidationError({"params": _('请按 {"used": 1} 填写每次被两办两研采用的加分')})
            raise ValidationError(
                {"params": _('请按 {"late": 0.5, "missing": 1, "returned": 0.2, "copy": 0.5} 填写每项扣分')}
            )
        for k, v in params.items():
            if k in flags:
                if not isinstance(v, bool):
                    raise ValidationError(
                        {
                            "params": _(
                                "copy_flagged 须为 true（疑似照抄即扣分）或 false（改革办认定后才扣分）"
                            )
                        }
                    )
                continue
            _number(v, k)
    elif rule in LEVEL_MAPS:
        maps = LEVEL_MAPS[rule]
        unknown = set(params) - set(maps)
        if unknown or not params:
            raise ValidationError({"params": _("参数须包含：%(k)s") % {"k": "、".join(maps)}})
        for name, value in params.items():
            if not isinstance(value, dict):
                raise ValidationError({"params": _("“%(k)s”须为“层级: 分值”的对象") % {"k": name}})
            known = set(maps[name]())
            bad = set(value) - known
            if bad:
                raise ValidationError(
                    {
                        "params": _("“%(k)s”中有未知的层级：%(bad)s（可选：%(ok)s）")
                        % {"k": name, "bad": "、".join(sorted(bad)), "ok": "、".join(sorted(known))}
                    }
                )
            for level, v in value.items():
                _number(v, f"{name}.{level}")
    elif rule == "manual":
        if params:
            raise ValidationError({"params": _("评定加减分无需参数，请留空 {}")})
    else:
        raise ValidationError({"rule": _("未知的计分规则")})


# -- the rules ---------------------------------------------------------------------------------------


def completion(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """Share of the unit's led items done or on track at year end × max points."""
    if rec.period is None:
        return Outcome(
            ZERO, _("%(y)s年尚无已结束的调度期，无法判断年末完成情况，按0分计。") % {"y": rec.year}, []
        )
    counted = set(ind.params.get("count", COMPLETION_STATUSES))
    snaps = rec.snapshots.get(unit_id, [])
    note = (
        ""
        if rec.december_closed
        else _("12月调度期尚未结束，暂以最近结束的调度期（%(p)s）的状态计算。") % {"p": rec.period}
    )
    if not snaps:
        full = ind.params.get("when_none", "full") == "full"
        points = ind.max_points if full else ZERO
        text = (_("%(span)s无牵头事项，按满分计。") if full else _("%(span)s无牵头事项，按0分计。")) % {
            "span": _span(rec)
        }
        return Outcome(q(points), text + note, [])
    n = len(snaps)
    per = ind.max_points / n
    rows, hits, by_status = [], 0, {s: 0 for s in Status}
    labels = dict(Status.choices)
    for s in snaps:
        hit = s.status in counted
        hits += hit
        by_status[Status(s.status)] += 1
        rows.append(
            evidence(s.item, f"{s.item.code} {s.item.title}：{labels[s.status]}", per if hit else ZERO)
        )
    points = q(ind.max_points * hits / n)
    parts = "、".join(f"{labels[s]}{k}项" for s, k in by_status.items() if k)
    text = _(
        "%(p)s状态：牵头事项%(n)s项（%(parts)s），计入完成的%(hits)s项，占%(pct)s%%；得分 = %(max)s × %(hits)s/%(n)s = %(pts)s。"
    ) % {
        "p": rec.period,
        "n": n,
        "parts": parts,
        "hits": hits,
        "pct": fmt(D(hits) * 100 / n),
        "max": fmt(ind.max_points),
        "pts": fmt(points),
    }
    return Outcome(points, text + note, rows)


REPORT_FLAGS = [
    ("late", lambda r: int(r.is_late), gettext_noop("逾期报送")),
    ("missing", lambda r: int(r.is_missing and r.submitted_at is None), gettext_noop("截止时未报送")),
    ("returned", lambda r: r.returns, gettext_noop("被改革办退回")),
    ("copy", lambda r: int(r.is_copy), gettext_noop("照抄上月（改革办认定）")),
]
# What "none" names at full marks, per flag: only the flags the indicator counts (the monthly standing
# splits reporting into 按时报送 and 退回与照抄, and a late report is not news to the second).
NONE_WORDS = {
    "late": pgettext_lazy("no report was", "逾期"),
    "missing": pgettext_lazy("no report was", "未报"),
    "returned": pgettext_lazy("no report was", "退回"),
    "copy": pgettext_lazy("no report was", "照抄"),
}
# A plan's own period (quarterly…) is compared with the plan's period before it, not last month.
PLAN_COPY = gettext_noop("照抄上期（改革办认定）")
COPY_LABELS = {
    frozenset(): gettext_noop("照抄上月（改革办认定）"),
    frozenset({False}): gettext_noop("照抄上月（改革办认定）"),
    frozenset({True}): PLAN_COPY,
    frozenset({False, True}): gettext_noop("照抄上月或上期（改革办认定）"),
}
# By default a copy costs points only once the office has confirmed the flag in review; a scheme may
# say {"copy_flagged": true} to count every flagged report as it stands.
COPY_FLAGGED = "copy_flagged"


def _counts_as_copy(ind: IndicatorSpec, r: Any) -> bool:
    if not r.is_copy or r.copy_confirmed is False:
        return False
    return r.copy_confirmed is True or bool(ind.params.get(COPY_FLAGGED))


def _in_plans(rec: Records, unit_id: int) -> str:
    """ "（含按季度报送的方案4期4份）" for a year, "（含2023年第一季度（方案名）2份）" for a month: the unit's
    reports in plans' own periods, each judged by its period's deadline; "" when it has none."""
    rows = rec.plan_reports.get(unit_id, [])
    if not rows:
        return ""
    if rec.span == "month":
        parts = [_("%(p)s%(n)s份") % {"p": p, "n": n} for p, n in rows]
    else:
        by_cycle: dict[str, list[int]] = {}
        for p, n in rows:
            periods_reports = by_cycle.setdefault(p.cycle, [0, 0])
            periods_reports[0] += 1
            periods_reports[1] += n
        labels = dict(Cycle.choices)
        parts = [
            _("%(cycle)s报送的方案%(p)s期%(n)s份") % {"cycle": labels.get(c, c), "p": k, "n": n}
            for c, (k, n) in by_cycle.items()
        ]
    return _("（含%(parts)s）") % {"parts": "、".join(parts)}


def reporting(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """Max points less a deduction per late, missing, returned (by the office) and copied report; floor 0."""
    rows, total = [], ZERO
    counts = {k: 0 for k, _f, _l in REPORT_FLAGS}
    copied_in: set[bool] = set()  # whether the copies counted were in a plan's period (上期) or a month's
    for r in rec.reports.get(unit_id, []):
        for key, count, label in REPORT_FLAGS:
            each = D(ind.params.get(key, 0))
            k = count(r) if key != "copy" or _counts_as_copy(ind, r) else 0
            if not k or not each:
                continue
            counts[key] += k
            cost = each * k
            total += cost
            times = _("（%(k)s次）") % {"k": k} if k > 1 else ""
            if key == "copy":
                copied_in.add(r.period.plan_id is not None)
            said = _(label) if key != "copy" or r.period.plan_id is None else _(PLAN_COPY)
            rows.append(evidence(r, f"{r.period} {r.item.code} {r.item.title}：{said}{times}", -cost))
    points = max(ZERO, ind.max_points - total)
    parts = "、".join(
        _("%(label)s%(k)s次（每次扣%(each)s分）")
        % {
            "label": _(label) if key != "copy" else _(COPY_LABELS[frozenset(copied_in)]),
            "k": counts[key],
            "each": fmt(D(ind.params[key])),
        }
        for key, _c, label in REPORT_FLAGS
        if counts[key]
    )
    text = _("%(span)s报送进展报告%(n)s份") % {"span": _span(rec), "n": rec.report_counts.get(unit_id, 0)}
    text += _in_plans(rec, unit_id)
    if parts:
        text += _("，其中%(parts)s；满分%(max)s分，扣%(d)s分") % {
            "parts": parts,
            "max": fmt(ind.max_points),
            "d": fmt(total),
        }
        text += (
            _("，扣分超过分值，按0分计。")
            if total > ind.max_points
            else _("，得%(p)s分。") % {"p": fmt(points)}
        )
    else:
        text += _("，无%(flags)s情况，得满分%(max)s分。") % {
            "flags": _none_of(ind),
            "max": fmt(ind.max_points),
        }
    return Outcome(q(points), text, rows)


def _none_of(ind: IndicatorSpec) -> str:
    """逾期、未报、退回或照抄: the kinds of report the indicator deducts for (all four if it names none)."""
    words = [str(w) for key, w in NONE_WORDS.items() if D(ind.params.get(key, 0))] or [
        str(w) for w in NONE_WORDS.values()
    ]
    if len(words) == 1:
        return words[0]
    head = pgettext("between list items", "、").join(words[:-1])
    return _("%(a)s或%(b)s") % {"a": head, "b": words[-1]}


def supervision(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """A deduction per listing (by level) and per letter (reminder / supervision), up to the cap."""
    per_listing = ind.params.get("listing", {})
    per_letter = ind.params.get("letter", {})
    rows, total, n_list, n_letter = [], ZERO, 0, 0
    for x in rec.listings.get(unit_id, []):
        cost = D(per_listing.get(x.level, 0))
        n_list += 1
        total += cost
        label = _("%(code)s %(title)s：%(level)s（%(d)s挂牌）") % {
            "code": x.item.code,
            "title": x.item.title,
            "level": x.get_level_display(),
            "d": _day(x.listed_on),
        }
        rows.append(evidence(x, label, -cost))
    for letter in rec.letters.get(unit_id, []):
        cost = D(per_letter.get(letter.kind, 0))
        n_letter += 1
        total += cost
        label = f"{letter.doc_number} {letter.get_kind_display()}（{_day(letter.issued_on)}）"
        rows.append(evidence(letter, label, -cost))
    if not rows:
        return Outcome(ZERO, _("%(span)s无挂牌督办事项和督办文书，不扣分。") % {"span": _span(rec)}, [])
    deducted, note = _capped(total, ind.max_points)
    text = _("%(span)s挂牌督办%(a)s项、收到提醒函/督办函%(b)s份，合计扣%(t)s分") % {
        "span": _span(rec),
        "a": n_list,
        "b": n_letter,
        "t": fmt(total),
    }
    return Outcome(q(-deducted), text + note + "。", rows)


def lagging(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """A deduction per led item lagging (yellow) or seriously lagging (red) at the period's end, up to the cap."""
    if rec.period is None:
        return Outcome(ZERO, _("尚无已结束的调度期，无法判断事项是否滞后，不扣分。"), [])
    labels = dict(Status.choices)
    rows, total = [], ZERO
    counts = dict.fromkeys(NUMBERS["lagging"], 0)
    for s in rec.snapshots.get(unit_id, []):
        if s.status not in counts:
            continue
        cost = D(ind.params.get(s.status, 0))
        counts[s.status] += 1
        total += cost
        rows.append(evidence(s.item, f"{s.item.code} {s.item.title}：{labels[s.status]}", -cost))
    note = (
        ""
        if rec.december_closed
        else _("12月调度期尚未结束，暂以最近结束的调度期（%(p)s）的状态计算。") % {"p": rec.period}
    )
    if not rows:
        return Outcome(ZERO, _("%(p)s牵头事项无进度滞后或严重滞后，不扣分。") % {"p": rec.period} + note, [])
    deducted, cap = _capped(total, ind.max_points)
    text = _("%(p)s牵头事项进度滞后%(y)s项、严重滞后%(r)s项，合计扣%(t)s分") % {
        "p": rec.period,
        "y": counts["yellow"],
        "r": counts["red"],
        "t": fmt(total),
    }
    return Outcome(q(-deducted), text + cap + "。" + note, rows)


def experience(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """Bonus per promotion of the unit's adopted or published experiences, by level, up to the cap."""
    levels = ind.params.get("levels", {})
    rows, total = [], ZERO
    by_level: dict[str, int] = {}
    for p in rec.promotions.get(unit_id, []):
        pts = D(levels.get(p.level.key, 0))
        total += pts
        by_level[p.level.name] = by_level.get(p.level.name, 0) + 1
        label = f"《{p.experience.title}》{p.outlet}（{p.level.name}，{_day(p.date)}）"
        row = evidence(p, label, pts)
        row["url"] = _url(p.experience)  # a promotion is shown on its experience's page
        rows.append(row)
    if not rows:
        return Outcome(ZERO, _("%(span)s无经验做法被刊发推广。") % {"span": _span(rec)}, [])
    bonus, note = _capped(total, ind.max_points)
    parts = "、".join(f"{k}{v}次" for k, v in by_level.items())
    text = _("%(span)s经验做法被刊发推广%(n)s次（%(parts)s），合计加%(t)s分") % {
        "span": _span(rec),
        "n": len(rows),
        "parts": parts,
        "t": fmt(total),
    }
    return Outcome(q(bonus), text + note + "。", rows)


def pilots(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """Points by level for each pilot undertaken in the year and each pilot passed in the year, up to the cap."""
    undertaken = ind.params.get("undertaken", {})
    passed = ind.params.get("passed", {})
    rows, total, n_u, n_p = [], ZERO, 0, 0
    for p in rec.pilots.get(unit_id, []):
        if rec.within(p.undertaken_on):
            pts = D(undertaken.get(p.level, 0))
            n_u += 1
            total += pts
            rows.append(
                evidence(
                    p,
                    _("%(level)s试点%(name)s承接（%(d)s）")
                    % {"level": p.get_level_display(), "name": quoted(p.name), "d": _day(p.undertaken_on)},
                    pts,
                )
            )
        if p.state == Pilot.State.PASSED and rec.within(p.evaluated_on):
            pts = D(passed.get(p.level, 0))
            n_p += 1
            total += pts
            rows.append(
                evidence(
                    p,
                    _("%(level)s试点%(name)s通过评估验收（%(d)s）")
                    % {"level": p.get_level_display(), "name": quoted(p.name), "d": _day(p.evaluated_on)},
                    pts,
                )
            )
    if not rows:
        return Outcome(ZERO, _("%(span)s无新承接或通过评估验收的改革试点。") % {"span": _span(rec)}, [])
    bonus, note = _capped(total, ind.max_points)
    text = _("%(span)s新承接试点%(u)s个、通过评估验收%(p)s个，合计加%(t)s分") % {
        "span": _span(rec),
        "u": n_u,
        "p": n_p,
        "t": fmt(total),
    }
    return Outcome(q(bonus), text + note + "。", rows)


def honors(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """Points by level for each honor of the year, up to the cap."""
    levels = ind.params.get("levels", {})
    rows, total = [], ZERO
    for h in rec.honors.get(unit_id, []):
        pts = D(levels.get(h.level, 0))
        total += pts
        rows.append(evidence(h, f"{h.name}（{h.get_level_display()}，{_day(h.date)}）", pts))
    if not rows:
        return Outcome(ZERO, _("%(span)s无荣誉表彰。") % {"span": _span(rec)}, [])
    bonus, note = _capped(total, ind.max_points)
    text = _("%(span)s获得荣誉%(n)s项，合计加%(t)s分") % {"span": _span(rec), "n": len(rows), "t": fmt(total)}
    return Outcome(q(bonus), text + note + "。", rows)


def praise(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """Points by level for each leader's praising instruction (肯定性批示) naming the unit or an item it leads,
    up to the cap: "省级领导肯定性批示 N 项" counted as the achievements count it."""
    levels = ind.params.get("levels", {})
    rows, total = [], ZERO
    for ins in rec.praise.get(unit_id, []):
        pts = D(levels.get(ins.level, 0))
        total += pts
        who = f"{ins.leader_title}{ins.leader_name}"
        rows.append(evidence(ins, f"{who}肯定性批示（{ins.get_level_display()}，{_day(ins.on)}）", pts))
    if not rows:
        return Outcome(ZERO, _("%(span)s无领导肯定性批示。") % {"span": _span(rec)}, [])
    bonus, note = _capped(total, ind.max_points)
    text = _("%(span)s获领导肯定性批示%(n)s件，合计加%(t)s分") % {
        "span": _span(rec),
        "n": len(rows),
        "t": fmt(total),
    }
    return Outcome(q(bonus), text + note + "。", rows)


def information(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """Points for each piece of reform information the office adopted in the window, and more for each
    printed in an issue of the periodical issued in the window, up to the cap: each counted when it
    happened (a piece sent in January and printed in March's issue earns its printing in March)."""
    per_adopted, per_printed = D(ind.params.get("adopted", 0)), D(ind.params.get("printed", 0))
    rows, total = [], ZERO
    adopted, printed = rec.pieces.get(unit_id, []), rec.printed.get(unit_id, [])
    for piece in adopted:
        total += per_adopted
        when = _day(timezone.localdate(piece.adopted_at))
        rows.append(evidence(piece, _("《%(t)s》（%(d)s采用）") % {"t": piece.title, "d": when}, per_adopted))
    for piece in printed:
        total += per_printed
        issue = piece.issue
        assert issue is not None  # read through it (records.gather's `printed`)
        label = _("《%(t)s》刊发于%(issue)s（%(d)s印发）") % {
            "t": piece.title,
            "issue": issue,
            "d": _day(issue.issued_on),
        }
        rows.append(evidence(piece, label, per_printed))
    if not rows:
        return Outcome(ZERO, _("%(span)s无被采用或刊发的改革信息。") % {"span": _span(rec)}, [])
    bonus, note = _capped(total, ind.max_points)
    text = _("%(span)s改革信息被采用%(n)s篇、被刊物刊发%(p)s篇，合计加%(t)s分") % {
        "span": _span(rec),
        "n": len(adopted),
        "p": len(printed),
        "t": fmt(total),
    }
    return Outcome(q(bonus), text + note + "。", rows)


def partner_use(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """Points for each use of the unit's reform information by a partner of 两办两研 (市委办公室、市政府办公室、
    市委政策研究室、市政府研究室) in one of its publications in the window, up to the cap: a promotion."""
    per = D(ind.params.get("used", 0))
    rows, total = [], ZERO
    by_partner: dict[str, int] = {}
    for use in rec.partner_uses.get(unit_id, []):
        total += per
        by_partner[use.unit.name] = by_partner.get(use.unit.name, 0) + 1
        label = f"《{use.piece.title}》被{use.unit}《{use.publication}》采用（{_day(use.used_on)}）"
        rows.append(evidence(use, label, per))
    if not rows:
        return Outcome(ZERO, _("%(span)s无改革信息被两办两研采用。") % {"span": _span(rec)}, [])
    bonus, note = _capped(total, ind.max_points)
    parts = "、".join(f"{k}{v}次" for k, v in by_partner.items())
    text = _("%(span)s改革信息被两办两研采用%(n)s次（%(parts)s），合计加%(t)s分") % {
        "span": _span(rec),
        "n": len(rows),
        "parts": parts,
        "t": fmt(total),
    }
    return Outcome(q(bonus), text + note + "。", rows)


def manual(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    """The office's manual scores with their justification, kept within ± max points."""
    rows, total, parts = [], ZERO, []
    for m in rec.manual.get((unit_id, ind.id), []):
        pts = D(m.points)
        total += pts
        sign = "+" if pts >= 0 else ""
        parts.append(f"{m.justification}（{sign}{fmt(pts)}）")
        row = evidence(m, f"{m.justification}（{m.by}，{_day(timezone.localdate(m.at))}）", pts)
        row["url"] = ""  # the justification is the evidence; it is shown in full on the sheet
        rows.append(row)
    if not rows:
        return Outcome(ZERO, _("无评定加减分。"), [])
    points = max(-ind.max_points, min(ind.max_points, total))
    text = _("评定：%(parts)s") % {"parts": "；".join(parts)}
    if points != total:
        text += _("；合计%(t)s分，超过上限%(cap)s分，按%(p)s分计") % {
            "t": fmt(total),
            "cap": fmt(ind.max_points),
            "p": fmt(points),
        }
    return Outcome(q(points), text + "。", rows)


RULES: dict[str, Callable[[IndicatorSpec, int, YearRecords], Outcome]] = {
    "completion": completion,
    "reporting": reporting,
    "supervision": supervision,
    "lagging": lagging,
    "experience": experience,
    "pilots": pilots,
    "honors": honors,
    "praise": praise,
    "information": information,
    "partner_use": partner_use,
    "manual": manual,
}


def score(ind: IndicatorSpec, unit_id: int, rec: YearRecords) -> Outcome:
    return RULES[ind.rule](ind, unit_id, rec)


def describe_params(rule: str, params: dict) -> str:
    """The indicator's params in words, for the scheme page (units should know how they are scored)."""
    from gandang.achievements.models import PromotionLevel

    listing_names = {k: str(v) for k, v in Listing.Level.choices}
    letter_names = {"reminder": _("提醒函"), "supervision": _("督办函")}
    pilot_names = {k: str(v) for k, v in Pilot.PilotLevel.choices}
    honor_names = {k: str(v) for k, v in Honor.HonorLevel.choices}

    def per(mapping: dict, names: dict[str, str]) -> str:
        return "、".join(
            _("%(level)s%(p)s分") % {"level": names.get(k, k), "p": fmt(D(v))} for k, v in mapping.items()
        )

    if rule == "completion":
        labels = dict(Status.choices)
        counted = "、".join(str(labels.get(s, s)) for s in params.get("count", COMPLETION_STATUSES))
        none = _("无牵头事项按满分") if params.get("when_none", "full") == "full" else _("无牵头事项按0分")
        return _("年末状态为%(c)s的牵头事项占比 × 分值；%(n)s") % {"c": counted, "n": none}
    if rule == "reporting":
        words = {"late": _("逾期"), "missing": _("未报送"), "returned": _("被退回"), "copy": _("照抄")}
        text = _("满分起扣：") + "、".join(
            f"{words.get(k, k)}每次{fmt(D(v))}分" for k, v in params.items() if k != COPY_FLAGGED
        )
        if params.get("copy"):
            text += (
                _("（疑似照抄即扣分）") if params.get(COPY_FLAGGED) else _("（照抄经改革办审核认定后扣分）")
            )
        return text
    if rule == "supervision":
        return _("挂牌每项扣：%(a)s；文书每份扣：%(b)s") % {
            "a": per(params.get("listing", {}), listing_names) or "—",
            "b": per(params.get("letter", {}), letter_names) or "—",
        }
    if rule == "lagging":
        return _("期末牵头事项每项扣：进度滞后%(y)s分、严重滞后%(r)s分") % {
            "y": fmt(D(params.get("yellow", 0))),
            "r": fmt(D(params.get("red", 0))),
        }
    if rule == "experience":
        levels = dict(PromotionLevel.objects.values_list("key", "name"))
        return _("每次刊发推广加：") + "、".join(
            f"{levels.get(k, k)}{fmt(D(v))}分" for k, v in params.get("levels", {}).items()
        )
    if rule == "pilots":
        return _("承接加：%(a)s；通过评估验收加：%(b)s") % {
            "a": per(params.get("undertaken", {}), pilot_names) or "—",
            "b": per(params.get("passed", {}), pilot_names) or "—",
        }
    if rule == "honors":
        return _("每项加：") + per(params.get("levels", {}), honor_names)
    if rule == "praise":
        return _("每件肯定性批示加：") + per(
            params.get("levels", {}), {k: str(v) for k, v in Instruction.Level.choices}
        )
    if rule == "information":
        return _("每篇被采用的改革信息加%(a)s分，被刊物刊发的再加%(p)s分") % {
            "a": fmt(D(params.get("adopted", 0))),
            "p": fmt(D(params.get("printed", 0))),
        }
    if rule == "partner_use":
        return _("改革信息每被两办两研采用一次加%(u)s分") % {"u": fmt(D(params.get("used", 0)))}
    return _("改革办评定，须写明理由")
