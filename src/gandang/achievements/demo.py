"""The demo city's achievements in 2023, shaped like the seed's figures (not their size).

The seed: 30+ experiences promoted by the provincial reform office, 80+ by national ministries, 8
reported to the Central Reform Office; 16 national pilots undertaken, 9 passed evaluation; 20 items
on the provincial supervision-incentive list; a State Council incentive; a first-tier ranking. Here
the same kinds of records at a smaller scale, through the real services, dated in 2023; plus drafts
and submissions in every state so every role has something to do.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from gandang.achievements import services
from gandang.achievements.models import Experience, Outlet, PilotStep
from gandang.core import registry
from gandang.core.backdate import Stamper
from gandang.ledger.models import Item
from gandang.notifications.models import Notification
from gandang.org.models import Unit, User

# (title, units, summary, outlets by level key with a month) — the seed's named experiences first.
EXPERIENCES: list[tuple[str, list[str], str, list[tuple[str, int]]]] = [
    (
        "打出链式发展“组合拳”，做实“链长+副链长+专班”推进机制",
        ["市工业和信息化局"],
        "聚焦“441X”现代产业体系，建立链长、副链长、工作专班定期调度机制，推动产业链上下游协同发展。",
        [("central", 6), ("ministry", 4), ("province", 3)],
    ),
    (
        "推进干部能上能下，实施不担当不作为干部待岗管理",
        ["市委组织部"],
        "出台《不担当不作为干部待岗管理办法》，实行“三晒一评一公开”，完善干部经常考察精准画像分类管理。",
        [("central", 7), ("ministry", 5)],
    ),
    (
        "推行“思政首课负责制”",
        ["市教育局"],
        "利用课堂前5分钟时间，结合重大时事、社会热点、教学内容，构建“人人讲、科科讲、天天讲”的滴灌式思政教育格局。",
        [("central", 9), ("ministry", 6), ("province", 4)],
    ),
    (
        "做实做好“泰山+”文章",
        ["岱岳区"],
        "以泰山品牌为引领，串联文化、旅游、农业资源，推动一二三产业融合发展。",
        [("central", 8)],
    ),
    (
        "创新人才“引育留用”机制",
        ["宁阳县"],
        "围绕县域产业需求，建立人才引进、培育、留用、使用全链条机制。",
        [("central", 10), ("province", 5)],
    ),
    (
        "探索资源枯竭城市高质量发展路径",
        ["新泰市"],
        "推动资源型产业转型升级，培育接续替代产业，走出资源枯竭城市转型发展新路。",
        [("central", 10)],
    ),
    (
        "九女峰乡村振兴片区建设",
        ["岱岳区"],
        "以片区化推进乡村振兴，引入社会资本，盘活闲置资源，实现村集体和农民双增收。",
        [("central", 11), ("ministry", 9)],
    ),
    (
        "盐穴储能储气改革创新",
        ["肥城市", "市发展改革委"],
        "利用盐穴资源发展压缩空气储能和储气，建设全国重要的盐穴储能基地。",
        [("central", 11), ("province", 6)],
    ),
    (
        "建设全国首个数字经济产业链工匠学院",
        ["市人力资源社会保障局"],
        "校企联合培养数字经济产业链工匠，打通技能人才培养和产业需求的“最后一公里”。",
        [("province", 5)],
    ),
    (
        "实行市级领导领衔推进重点改革任务",
        ["市委改革办"],
        "确定24项改革事项由市级领导领衔推进，建立月调度、季通报、年考核机制。",
        [("province", 7)],
    ),
    (
        "深化政务服务领域信用建设，推行“信易批”",
        ["市行政审批服务局"],
        "通过“信用+”精准务实、大胆探索政务服务全领域信用实践，营造“守信受益、信用有价”的氛围。",
        [("province", 4), ("ministry", 8), ("city", 2)],
    ),
    (
        "打造根治欠薪全程全时全域新模式",
        ["市人力资源社会保障局"],
        "依托全国一体化在线监管平台，实现欠薪线索全程监测、全时预警、全域处置。",
        [("province", 6), ("ministry", 10)],
    ),
    (
        "构建土地要素保障新格局",
        ["市自然资源和规划局"],
        "创新土地供应方式，推行“标准地”出让和“交地即交证”，保障重点项目用地。",
        [("province", 8)],
    ),
    (
        "推动民营经济高质量发展",
        ["宁阳县"],
        "优化民营经济发展环境，建立企业诉求直达快办机制。",
        [("province", 9)],
    ),
    (
        "“串珠成链”推动文旅资源整合",
        ["泰山文旅集团", "市文化和旅游局"],
        "以创新的顶层设计和串珠成链的机制办法，推动泰安文旅二次创业。",
        [("province", 3), ("city", 1)],
    ),
    (
        "“众议众调三步走”工作法",
        ["岱岳区"],
        "入选全国新时代“枫桥经验”先进典型，是全省唯一列入“枫桥经验”陈列馆的经验做法。",
        [("ministry", 3), ("province", 2)],
    ),
    (
        "“科创中国”试点城市建设",
        ["市科技局"],
        "搭建科技经济融合平台，推动科技资源向企业集聚。",
        [("province", 10), ("ministry", 7)],
    ),
    (
        "国资国企重组整合，组建四大集团",
        ["市国资委"],
        "将产业相近、业务相关的市属企业重组整合，国企改革三年行动考核位列全省第一档次。",
        [("province", 9), ("ministry", 11)],
    ),
    (
        "主城区分级办学管理体制改革",
        ["市教育局"],
        "按照“同城同权”原则，实行城区高中统一招生。",
        [("city", 8), ("province", 11)],
    ),
]
# Experiences not yet promoted: the office's review queue and the units' drafts.
PENDING: list[tuple[str, str, str]] = [
    ("“链上企业”融资服务新模式", "市地方金融监管局", "submitted"),
    ("“一件事一次办”集成服务", "市行政审批服务局", "submitted"),
    ("校外培训机构“双减”综合治理", "市教育局", "returned"),
    ("黄河流域生态保护先行区建设路径", "市发展改革委", "draft"),
    ("九女峰片区“村企共建”利益联结机制", "岱岳区", "draft"),
]
# (name, level, granting body, lead unit, final state, undertaken month, evaluated month or 0)
PILOTS: list[tuple[str, str, str, str, str, int, int]] = [
    (
        "全国一体化在线监管平台支撑根治欠薪工作试点",
        "national",
        "人力资源社会保障部",
        "市人力资源社会保障局",
        "passed",
        1,
        9,
    ),
    ("“科创中国”试点城市", "national", "中国科协", "市科技局", "passed", 2, 10),
    (
        "政务服务全流程“一链办理”标准化试点",
        "national",
        "国家标准化管理委员会",
        "市行政审批服务局",
        "passed",
        2,
        11,
    ),
    ("国家级农业现代化示范区", "national", "农业农村部", "市农业农村局", "passed", 3, 11),
    ("全国社会信用体系建设示范城市", "national", "国家发展改革委", "市发展改革委", "evaluating", 3, 0),
    ("国家智慧教育示范区", "national", "教育部", "市教育局", "in_progress", 4, 0),
    ("国家级城市更新试点", "national", "住房城乡建设部", "市住房城乡建设局", "in_progress", 5, 0),
    ("全国居家和社区养老服务改革试点", "national", "民政部", "市民政局", "undertaken", 9, 0),
    ("国家公立医院改革与高质量发展示范项目", "national", "国家卫生健康委", "市卫生健康委", "applied", 0, 0),
    (
        "省级黄河流域生态保护和高质量发展先行区",
        "province",
        "省委、省政府",
        "市发展改革委",
        "in_progress",
        2,
        0,
    ),
    ("省级数字经济创新发展试验区", "province", "省工业和信息化厅", "市大数据局", "passed", 1, 8),
    ("省级营商环境创新试点", "province", "省发展改革委", "市行政审批服务局", "failed", 1, 10),
    ("市级“泰山+”产业融合试点", "city", "市委改革办", "岱岳区", "in_progress", 3, 0),
]
HONORS: list[tuple[str, str, str, str, int]] = [
    (
        "2022年度全国生态环境领域真抓实干成效明显地方（国务院督查激励）",
        "state_council",
        "市生态环境局",
        "国务院办公厅",
        5,
    ),
    ("全国新时代“枫桥经验”先进典型", "national", "岱岳区", "中央政法委", 11),
    ("国企改革三年行动考核全省第一档次", "province", "市国资委", "省国资委", 2),
    ("省级督查激励公示名单：营商环境建设", "province_incentive", "市行政审批服务局", "省政府办公厅", 6),
    ("省级督查激励公示名单：根治欠薪", "province_incentive", "市人力资源社会保障局", "省政府办公厅", 6),
    ("省级督查激励公示名单：农业农村改革", "province_incentive", "市农业农村局", "省政府办公厅", 6),
    ("省级督查激励公示名单：国资国企改革", "province_incentive", "市国资委", "省政府办公厅", 6),
    ("省级督查激励公示名单：县域经济发展", "province_incentive", "肥城市", "省政府办公厅", 6),
    ("全市改革工作创新奖（改革特别奖）", "city", "市行政审批服务局", "市委、市政府", 1),
]


def _aware(d: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(d.year, d.month, d.day, hour, 0))


class _Story:
    def __init__(self, *, office: User, year: int, stdout) -> None:
        self.office, self.year, self.stdout = office, year, stdout
        self.units = {u.name: u for u in Unit.objects.all()}
        self.outlets: dict[str, list[Outlet]] = {}
        for o in Outlet.objects.select_related("level").order_by("sort_order"):
            self.outlets.setdefault(o.level.key, []).append(o)
        self.stamper = Stamper((Notification, "created_at"))

    def say(self, msg: str) -> None:
        if self.stdout is not None:
            self.stdout.write(msg + "\n")

    def dated(self, on: date) -> None:
        """Date the audit entries and notices written since the last call on `on` (2023), not today."""
        self.stamper.date(_aware(on), read_at=_aware(on) if on < date(self.year, 11, 1) else None)

    def liaison(self, unit: Unit) -> User:
        return User.objects.filter(unit=unit, role=User.Role.LIAISON).first() or self.office

    def items_of(self, unit: Unit) -> list[Item]:
        return list(Item.objects.filter(lead_unit=unit, parent__isnull=True).order_by("seq")[:1])

    def experience(self, title: str, unit_names: list[str], summary: str) -> Experience:
        units = [self.units[n] for n in unit_names if n in self.units]
        author = self.liaison(units[0])
        return services.experience_create(
            actor=author,
            data=services.ExperienceInput(
                title=title,
                summary=summary,
                body=_body(title, summary),
                units=units,
                items=self.items_of(units[0]),
            ),
        )

    def step(
        self, exp: Experience, action: str, on: date, actor: User | None = None, reason: str = ""
    ) -> Experience:
        exp = services.experience_step(
            actor=actor or self.office, experience=exp, action=action, reason=reason
        )
        field = {"submit": "submitted_on", "adopt": "adopted_on", "publish": "published_on"}.get(action)
        if field:
            Experience.objects.filter(pk=exp.pk).update(**{field: on})
        self.dated(on)
        return exp

    def build(self) -> None:
        y = self.year
        promoted = 0
        for n, (title, unit_names, summary, outlets) in enumerate(EXPERIENCES):
            exp = self.experience(title, unit_names, summary)
            first = min(m for _k, m in outlets)
            start = date(y, max(first - 1, 1), 3 + n % 20)
            Experience.objects.filter(pk=exp.pk).update(created_at=_aware(start - timedelta(days=5)))
            self.dated(start - timedelta(days=5))
            if exp.created_by.role != User.Role.OFFICE:  # a unit's draft goes to the office first
                exp = self.step(exp, "submit", start, actor=exp.created_by)
            exp = self.step(exp, "adopt", start + timedelta(days=4))
            if n % 3 != 2:
                exp = self.step(exp, "publish", start + timedelta(days=6))
            for key, month in outlets:
                choices = self.outlets.get(key) or []
                if not choices:
                    continue
                outlet = choices[(n + month) % len(choices)]
                on = date(y, month, min(28, 5 + n))
                services.promotion_add(
                    actor=self.office,
                    experience=exp,
                    outlet=outlet,
                    on=on,
                    reference=f"{y}年第{month * 2 + n % 2}期",
                )
                self.dated(on)
                promoted += 1
        for title, unit_name, state in PENDING:
            exp = self.experience(title, [unit_name], f"{unit_name}在{title}方面的探索。")
            on = date(y, 11, 20)
            self.dated(on - timedelta(days=3))
            if exp.created_by.role == User.Role.OFFICE:
                continue  # no liaison account for this unit (a partial demo build): leave it a draft
            if state in ("submitted", "returned"):
                exp = self.step(exp, "submit", on, actor=exp.created_by)
            if state == "returned":
                self.step(
                    exp, "return", on + timedelta(days=2), reason="请补充改革成效的具体数据和群众评价。"
                )
        for name, level, body, unit_name, final, undertaken, evaluated in PILOTS:
            self.pilot(name, level, body, self.units[unit_name], final, undertaken, evaluated)
        for name, level, unit_name, body, month in HONORS:
            on = date(y, month, 15)
            services.honor_create(
                actor=self.office,
                data=services.HonorInput(
                    name=name,
                    level=level,
                    unit=self.units[unit_name],
                    granted_by=body,
                    on=on,
                    note="",
                    items=[],
                ),
            )
            self.dated(on)
        self.say(
            f"改革成果：经验做法{len(EXPERIENCES) + len(PENDING)}项（刊发推广{promoted}次），"
            f"改革试点{len(PILOTS)}个，荣誉{len(HONORS)}项"
        )

    def pilot(
        self, name: str, level: str, body: str, unit: Unit, final: str, undertaken: int, evaluated: int
    ) -> None:
        y = self.year
        data = services.PilotInput(
            name=name,
            level=level,
            granted_by=body,
            lead_unit=unit,
            description=f"{name}，由{unit}牵头推进。",
            items=self.items_of(unit),
        )
        if final == "applied":
            on = date(y, 10, 10)
            services.pilot_create(actor=self.office, data=data, state="applied", on=on)
            self.dated(on)
            return
        on = date(y, undertaken, 10)
        pilot = services.pilot_create(actor=self.office, data=data, state="undertaken", on=on)
        PilotStep.objects.filter(pilot=pilot).update(at=_aware(on))
        self.dated(on)
        path = {
            "undertaken": [],
            "in_progress": ["in_progress"],
            "evaluating": ["in_progress", "evaluating"],
            "passed": ["in_progress", "evaluating", "passed"],
            "failed": ["in_progress", "evaluating", "failed"],
        }[final]
        for i, state in enumerate(path):
            when = (
                date(y, evaluated, 20) if state in ("passed", "failed") else on + timedelta(days=30 * (i + 1))
            )
            if state == "evaluating" and evaluated:
                when = date(y, evaluated, 1)
            when = min(when, date(y, 12, 4))
            doc = None
            if state in ("passed", "failed"):
                from django.core.files.uploadedfile import SimpleUploadedFile

                doc = SimpleUploadedFile(f"{name}评估验收意见.pdf", _PDF)
            services.pilot_advance(
                actor=self.office,
                pilot=pilot,
                to=state,
                on=when,
                note={"passed": "通过评估验收", "failed": "评估未通过，限期整改"}.get(state, ""),
                document=doc,
            )
            self.dated(when)


def _body(title: str, summary: str) -> str:
    return (
        f"一、基本情况\n{summary}\n"
        f"二、主要做法\n围绕“{title}”，坚持问题导向、系统集成，建立工作专班，明确责任分工，"
        "形成“谋划—推进—评估—推广”的闭环机制。\n"
        "三、取得成效\n改革实施以来，相关指标明显提升，企业和群众获得感不断增强，相关做法被上级部门肯定推广。\n"
        "四、下步打算\n持续深化改革，总结提炼可复制可推广的经验，扩大改革覆盖面。"
    )


# A minimal PDF standing in for the scanned evaluation opinion.
_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build_achievements(*, office: User, today: date, stdout=None) -> None:
    _Story(office=office, year=today.year, stdout=stdout).build()


def build_step(run: registry.DemoRun) -> None:
    """This app's part of the demo city (registered in its AppConfig.ready())."""
    build_achievements(office=run.results["office"], today=run.today, stdout=run.stdout)
