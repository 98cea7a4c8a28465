"""The demo city's 2023 assessment: a scheme with every rule kind, 改革特别奖 awards, one computed run.

The scheme mirrors the seed: 月调度、季通报、年考核; task completion and reporting as the base
score, deductions for listings and letters, and four key indicators on the green channel
(经验推广、改革试点、督查激励、改革特别奖) counted straight into the overall evaluation. The run is
computed, not finalized: on the demo's 5 December the office is still checking it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gandang.assessment import services
from gandang.assessment.models import Indicator, Scheme
from gandang.core import registry
from gandang.core.backdate import Stamper, aware, dated
from gandang.org.models import Unit, User

YEAR = 2023
SCHEME_NAME = "2023年度全市全面深化改革考核方案"
KINDS: list[str] = [Unit.Kind.DEPARTMENT.value, Unit.Kind.COUNTY.value, Unit.Kind.ENTERPRISE.value]

# (name, rule, unit kinds, max points, params, green channel)
INDICATORS: list[tuple[str, str, list[str], str, dict, bool]] = [
    ("改革任务完成", "completion", ["department", "enterprise"], "70", {"count": ["done", "green"]}, False),
    ("改革任务完成", "completion", ["county"], "65", {"count": ["done", "green"]}, False),
    (
        "月调度报送",
        "reporting",
        ["department", "enterprise"],
        "30",
        {"late": 1, "missing": 2, "returned": 0.5, "copy": 1},
        False,
    ),
    (
        "月调度报送",
        "reporting",
        ["county"],
        "35",
        {"late": 1, "missing": 2, "returned": 0.5, "copy": 1},
        False,
    ),
    (
        "督办扣分",
        "supervision",
        KINDS,
        "10",
        {"listing": {"office": 2, "leader": 3}, "letter": {"reminder": 1, "supervision": 2}},
        False,
    ),
    (
        "经验推广",
        "experience",
        KINDS,
        "5",
        {"levels": {"city": 0.5, "province": 1, "ministry": 2, "central": 3}},
        True,
    ),
    (
        "改革试点",
        "pilots",
        KINDS,
        "4",
        {
            "undertaken": {"national": 2, "province": 1, "city": 0.5},
            "passed": {"national": 2, "province": 1, "city": 0.5},
        },
        True,
    ),
    (
        "督查激励与荣誉",
        "honors",
        KINDS,
        "3",
        {"levels": {"state_council": 3, "national": 2, "province_incentive": 2, "province": 1, "city": 0.5}},
        True,
    ),
    ("领导肯定性批示", "praise", KINDS, "2", {"levels": {"central": 2, "province": 1, "city": 0.5}}, False),
    ("改革信息报送", "information", KINDS, "2", {"adopted": 0.1, "printed": 0.2}, False),
    ("改革特别奖", "manual", KINDS, "3", {}, True),
]

# (unit, points, justification): the 工作创新奖 gained a 改革特别奖 (seed, 坚持制度保障).
SPECIAL_AWARDS: list[tuple[str, str, str]] = [
    ("岱岳区", "3", "“众议众调三步走”工作法获2023年度工作创新奖·改革特别奖"),
    ("市行政审批服务局", "3", "“信用+审批”改革获2023年度工作创新奖·改革特别奖"),
    ("泰山文旅集团", "2", "文旅“串珠成链”改革获2023年度工作创新奖·改革特别奖（集体）"),
]


def build_assessment(*, office: User, stdout=None) -> Scheme:
    """Create the 2023 scheme, its indicators and awards (the run is computed last: `compute_run`)."""
    from gandang.assessment.models import ManualScore

    stamper = Stamper((ManualScore, "at"))
    scheme = Scheme.objects.create(
        year=YEAR,
        name=SCHEME_NAME,
        state=Scheme.State.ACTIVE,
        objection_days=7,
        # Most of the demo city is on track by November: the office draws its lines higher than the default.
        grades=[
            {"name": "优秀", "min": 100},
            {"name": "良好", "min": 95},
            {"name": "一般", "min": 85},
            {"name": "较差", "min": None},
        ],
        description="按照“月调度、季通报、年考核”机制，对市直部门、县市区、市属国有企业分别考核排名。"
        "经验推广、改革试点、督查激励与荣誉、改革特别奖4项重要指标纳入绿色通道，直接计入综合考核。",
    )
    indicators = []
    for order, (name, rule, kinds, points, params, green) in enumerate(INDICATORS, start=1):
        ind = Indicator(
            scheme=scheme,
            name=name,
            rule=rule,
            unit_kinds=list(kinds),
            max_points=Decimal(points),
            params=params,
            green_channel=green,
            order=order * 10,
        )
        ind.full_clean()
        indicators.append(ind)
    Indicator.objects.bulk_create(indicators)
    award = next(i for i in indicators if i.rule == Indicator.Rule.MANUAL)
    units = {u.name: u for u in Unit.objects.filter(name__in=[a[0] for a in SPECIAL_AWARDS])}
    for name, points, why in SPECIAL_AWARDS:
        if name in units:
            services.manual_add(
                actor=office,
                scheme=scheme,
                unit=units[name],
                indicator=award,
                points=Decimal(points),
                justification=why,
            )
    stamper.date(aware(date(YEAR, 12, 1), 15, 0))  # the scheme and its awards, set up on 1 December
    if stdout is not None:
        stdout.write(f"已创建{SCHEME_NAME}（{len(indicators)}项指标）\n")
    return scheme


def compute_run(*, office: User, stdout=None) -> None:
    """The office's trial run of 5 December, computed once every record the rules read is in the demo city
    (instructions and reform information come from later steps)."""
    scheme = Scheme.objects.filter(year=YEAR, name=SCHEME_NAME).first()
    if scheme is None:
        return
    at = aware(date(YEAR, 12, 5), 9, 30)
    with dated(at):
        run = services.run_compute(actor=office, scheme=scheme, note="年终试算（12月调度期尚未结束）")
    type(run).objects.filter(pk=run.pk).update(computed_at=at)
    if stdout is not None:
        stdout.write(f"{SCHEME_NAME}完成第{run.number}次试算\n")


def build_step(run: registry.DemoRun) -> None:
    """This app's part of the demo city (registered in its AppConfig.ready())."""
    build_assessment(office=run.results["office"], stdout=run.stdout)


def run_step(run: registry.DemoRun) -> None:
    compute_run(office=run.results["office"], stdout=run.stdout)
