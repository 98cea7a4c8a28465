"""The demo city's achievements before and beside 2023's, so that its press-conference fact sheet for 2023
reproduces the seed's figures from the records:

- "30余项经验做法被省委改革办刊发推广，80余项经验做法被国家部委刊发或在国家级现场会上作典型发言", counted
  since the brand began (2021): 2021–2022 experiences promoted by national ministries (76) and by the
  provincial reform office (18 of them), beside 2023's 9 and 15;
- "新承接国家级试点16个": 8 more national pilots undertaken in 2023 beside 2023's 8;
- "9个国家级改革试点通过评估验收": 5 pilots undertaken in 2021–2022 that passed in 2023, beside 2023's 4;
- "入选省级督查激励公示名单事项20个": 15 more items on 2023's provincial list beside the 5.

Built right after the year's achievements (step 41), before the bulletin (50) and the assessment's run
(55), which therefore count them as an office would have found them.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from gandang.achievements import services
from gandang.achievements.demo import _PDF, _aware, _Story
from gandang.achievements.models import Experience, Pilot, PilotStep, Promotion
from gandang.core import registry
from gandang.org.models import Unit, User

COUNTIES = ["泰山区", "岱岳区", "新泰市", "肥城市", "宁阳县", "东平县", "泰安高新区"]
# Practices a county reported in 2021–2022 that national ministries took up (4 counties each: 19 × 4 = 76).
PRACTICES = [
    "推行“一窗受理、集成服务”改革",
    "探索农村集体经营性建设用地入市",
    "建立“街乡吹哨、部门报到”基层治理机制",
    "推进县域医共体建设",
    "深化“放管服”改革打造“无证明城市”",
    "创新农村宅基地“三权分置”",
    "建立河湖长制“一河一策”",
    "推行“工业项目标准地”出让",
    "探索“党建+网格”基层治理",
    "深化农村集体产权制度改革",
    "推动义务教育集团化办学",
    "建立企业诉求“直通车”",
    "推行“拿地即开工”审批模式",
    "创新养老服务“时间银行”",
    "推进农业生产托管服务",
    "建立生态补偿横向机制",
    "推行“信用+”监管",
    "创新乡村人才“归雁”工程",
    "建立矛盾纠纷多元化解机制",
]
PROVINCE_TOO = 18  # of them, also printed by the provincial reform office
# (name, granting body, lead unit, undertaken, state at the demo's day)
PILOTS_2023: list[tuple[str, str, str, date, str]] = [
    ("国家数字乡村试点", "中央网信办", "市农业农村局", date(2023, 3, 20), "in_progress"),
    ("全国县域商业体系建设示范", "商务部", "市商务局", date(2023, 4, 12), "in_progress"),
    ("国家知识产权强市建设试点城市", "国家知识产权局", "市市场监管局", date(2023, 5, 8), "in_progress"),
    ("全国医保支付方式改革示范点", "国家医保局", "市医保局", date(2023, 6, 15), "in_progress"),
    ("国家水系连通及水美乡村建设试点", "水利部", "市水利局", date(2023, 7, 3), "undertaken"),
    ("全国农村公路高质量发展试点", "交通运输部", "市交通运输局", date(2023, 8, 22), "undertaken"),
    ("国家基层法治示范建设试点", "司法部", "市司法局", date(2023, 9, 14), "undertaken"),
    (
        "全国普惠金融服务乡村振兴改革试点",
        "中国人民银行",
        "市地方金融监管局",
        date(2023, 10, 18),
        "undertaken",
    ),
]
# Undertaken in 2021–2022, passed evaluation in 2023: (name, body, lead unit, undertaken, passed)
PILOTS_PASSED: list[tuple[str, str, str, date, date]] = [
    ("全国农村集体产权制度改革试点", "农业农村部", "肥城市", date(2021, 6, 10), date(2023, 4, 20)),
    ("国家全域旅游示范区创建", "文化和旅游部", "泰山区", date(2021, 9, 15), date(2023, 5, 18)),
    ("全国义务教育优质均衡发展县创建", "教育部", "新泰市", date(2022, 3, 1), date(2023, 7, 12)),
    ("国家紧密型县域医共体建设试点", "国家卫生健康委", "宁阳县", date(2022, 5, 16), date(2023, 8, 25)),
    ("全国社区治理和服务创新实验区", "民政部", "岱岳区", date(2022, 7, 1), date(2023, 10, 26)),
]
INCENTIVES = [
    "优化营商环境",
    "推进政务服务“一网通办”",
    "促进工业稳增长和转型升级",
    "落实创新驱动发展战略",
    "推进农业农村改革",
    "推动文化和旅游融合发展",
    "深化国资国企改革",
    "推进生态环境保护",
    "加强城市更新和老旧小区改造",
    "推动就业创业",
    "推进公立医院综合改革",
    "实施乡村振兴战略",
    "推进医疗保障制度改革",
    "促进民营经济发展",
    "推进数字政府建设",
]
INCENTIVE_UNITS = [
    "市发展改革委",
    "市大数据局",
    "市工业和信息化局",
    "市科技局",
    "岱岳区",
    "市文化和旅游局",
    "泰山产业集团",
    "东平县",
    "市住房城乡建设局",
    "市人力资源社会保障局",
    "市卫生健康委",
    "宁阳县",
    "市医保局",
    "新泰市",
    "泰安高新区",
]


def _unit(units: dict[str, Unit], name: str) -> Unit:
    """The named unit, or any unit in a partial build (some tests build a smaller city)."""
    return units.get(name) or next(iter(units.values()))


def _experiences(story: _Story) -> int:
    counties = [story.units[n] for n in COUNTIES if n in story.units]
    if not counties:
        return 0
    ministry = story.outlets.get("ministry") or []
    province = story.outlets.get("province") or []
    n = 0
    for i, practice in enumerate(PRACTICES):
        for j in range(4):
            unit = counties[(i + j) % len(counties)]
            year = 2021 if n % 2 == 0 else 2022
            adopted = date(year, 1 + n % 11, 3 + n % 20)
            exp = story.experience(
                f"{unit.name}{practice}",
                [unit.name],
                f"{unit.name}在{practice}方面大胆探索，形成了可复制可推广的经验。",
            )
            Experience.objects.filter(pk=exp.pk).update(created_at=_aware(adopted - timedelta(days=6)))
            story.dated(adopted - timedelta(days=6))
            if exp.state == Experience.State.DRAFT and exp.created_by.role != User.Role.OFFICE:
                exp = story.step(exp, "submit", adopted - timedelta(days=3), actor=exp.created_by)
            exp = story.step(exp, "adopt", adopted)
            exp = story.step(exp, "publish", adopted + timedelta(days=2))
            outlets = [(ministry, adopted + timedelta(days=40))]
            if n < PROVINCE_TOO:
                outlets.insert(0, (province, adopted + timedelta(days=20)))
            for choices, on in outlets:
                if not choices:
                    continue
                promo = services.promotion_add(
                    actor=story.office,
                    experience=exp,
                    outlet=choices[n % len(choices)],
                    on=on,
                    reference=f"{on.year}年第{on.month * 2 + n % 2}期",
                )
                Promotion.objects.filter(pk=promo.pk).update(recorded_at=_aware(on))
                story.dated(on)
            n += 1
    return n


def _undertaken(story: _Story, name: str, body: str, unit_name: str, undertaken: date) -> Pilot:
    """A national pilot the city undertook on `undertaken`, led by `unit_name`, dated that day."""
    unit = _unit(story.units, unit_name)
    pilot = services.pilot_create(
        actor=story.office,
        data=services.PilotInput(
            name=name,
            level=Pilot.PilotLevel.NATIONAL,
            granted_by=body,
            lead_unit=unit,
            description=f"{name}，由{unit}牵头推进。",
            items=story.items_of(unit),
        ),
        state="undertaken",
        on=undertaken,
    )
    PilotStep.objects.filter(pilot=pilot).update(at=_aware(undertaken))
    story.dated(undertaken)
    return pilot


def _pilots(story: _Story) -> int:
    made = 0
    for name, body, unit_name, undertaken, final in PILOTS_2023:
        pilot = _undertaken(story, name, body, unit_name, undertaken)
        if final == "in_progress":
            on = undertaken + timedelta(days=30)
            services.pilot_advance(actor=story.office, pilot=pilot, to="in_progress", on=on)
            PilotStep.objects.filter(pilot=pilot, on=on).update(at=_aware(on))
            story.dated(on)
        made += 1
    for name, body, unit_name, undertaken, passed in PILOTS_PASSED:
        pilot = _undertaken(story, name, body, unit_name, undertaken)
        for to, on in [
            ("in_progress", undertaken + timedelta(days=30)),
            ("evaluating", passed - timedelta(days=30)),
            ("passed", passed),
        ]:
            doc = SimpleUploadedFile(f"{name}评估验收意见.pdf", _PDF) if to == "passed" else None
            services.pilot_advance(
                actor=story.office,
                pilot=pilot,
                to=to,
                on=on,
                note="通过评估验收" if to == "passed" else "",
                document=doc,
            )
            PilotStep.objects.filter(pilot=pilot, to_state=to).update(at=_aware(on))
            story.dated(on)
        made += 1
    return made


def _incentives(story: _Story) -> int:
    on = date(2023, 6, 15)
    for topic, unit_name in zip(INCENTIVES, INCENTIVE_UNITS, strict=True):
        services.honor_create(
            actor=story.office,
            data=services.HonorInput(
                name=f"省级督查激励公示名单：{topic}",
                level="province_incentive",
                unit=_unit(story.units, unit_name),
                granted_by="省政府办公厅",
                on=on,
                note="",
                items=[],
            ),
        )
        story.dated(on)
    return len(INCENTIVES)


def build_history(*, office: User, stdout=None) -> dict[str, int]:
    """The achievements the fact sheet's cumulative and 2023 figures count beyond the year's own records."""
    story = _Story(office=office, year=2023, stdout=stdout)
    made = {"experiences": _experiences(story), "pilots": _pilots(story), "incentives": _incentives(story)}
    story.say(
        f"往年成果：经验做法{made['experiences']}项（2021—2022年获国家部委、省委改革办推广），"
        f"国家级试点{made['pilots']}个，省级督查激励{made['incentives']}项"
    )
    return made


def build_step(run: registry.DemoRun) -> None:
    """Registered in achievements' AppConfig.ready(), right after the year's records."""
    run.results["achievement_history"] = build_history(office=run.results["office"], stdout=run.stdout)
