"""The demo city: a reform office's 2023 ledger, built from the seed press conference.

`build_demo()` fills an empty database with units, city leaders, users of every
role, reform areas, the annual key-points plan (24 items led by city leaders and
about a hundred others) and a small "1+N" plan system. Everything is fixed data
or drawn from `random.Random(2023)`, so every build is identical. The city lives
in December 2023, the month of the seed: milestones due before DEMO_TODAY are
mostly done, some overdue, later ones still open; audit timestamps are dated
in 2023 to match. The leaders and users are invented people.

Items are written through the ledger services, as the office would write them,
so every item has its audit history, and a few have later edits with reasons.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from gandang.bulletins.demo import build_bulletins
from gandang.core import audit, clock
from gandang.core.errors import ServiceError
from gandang.core.models import AuditEntry
from gandang.dispatch.demo import build_reports, report_counts
from gandang.ledger import services
from gandang.ledger.models import Area, Item, Milestone, Plan
from gandang.org.models import Leader, Unit, User

PASSWORD = "Gandang@2023"
YEAR = 2023
DEMO_TODAY = date(2023, 12, 5)  # the seed's press conference
KEY_PLAN = "2023年全市全面深化改革工作要点"
MASTER_PLAN = "新型工业化强市建设“1+N”工作推进体系"

DEPT, COUNTY, FIRM, OTHER = Unit.Kind.DEPARTMENT, Unit.Kind.COUNTY, Unit.Kind.ENTERPRISE, Unit.Kind.OTHER

# (name, aliases, kind), in the order the office lists them.
UNITS: list[tuple[str, str, str]] = [
    ("市委改革办", "市委全面深化改革委员会办公室", OTHER),
    ("市委组织部", "", DEPT),
    ("市委宣传部", "", DEPT),
    ("市委政法委", "", DEPT),
    ("市发展改革委", "市发改委", DEPT),
    ("市教育局", "", DEPT),
    ("市科技局", "", DEPT),
    ("市工业和信息化局", "市工信局", DEPT),
    ("市公安局", "", DEPT),
    ("市民政局", "", DEPT),
    ("市司法局", "", DEPT),
    ("市财政局", "", DEPT),
    ("市人力资源社会保障局", "市人社局", DEPT),
    ("市自然资源和规划局", "市自然资源局", DEPT),
    ("市生态环境局", "", DEPT),
    ("市住房城乡建设局", "市住建局", DEPT),
    ("市交通运输局", "", DEPT),
    ("市水利局", "", DEPT),
    ("市农业农村局", "", DEPT),
    ("市商务局", "", DEPT),
    ("市文化和旅游局", "市文旅局", DEPT),
    ("市卫生健康委", "市卫健委", DEPT),
    ("市国资委", "", DEPT),
    ("市市场监管局", "", DEPT),
    ("市医保局", "", DEPT),
    ("市行政审批服务局", "市审批服务局", DEPT),
    ("市大数据局", "", DEPT),
    ("市地方金融监管局", "市金融监管局", DEPT),
    ("市中级人民法院", "市中院", OTHER),
    ("市人民检察院", "市检察院", OTHER),
    ("泰山区", "", COUNTY),
    ("岱岳区", "", COUNTY),
    ("新泰市", "", COUNTY),
    ("肥城市", "", COUNTY),
    ("宁阳县", "", COUNTY),
    ("东平县", "", COUNTY),
    ("泰安高新区", "高新区", COUNTY),
    ("泰安旅游经济开发区", "旅游经济开发区", COUNTY),
    ("泰山城建集团", "", FIRM),
    ("泰山产业集团", "", FIRM),
    ("交通发展集团", "", FIRM),
    ("泰山文旅集团", "", FIRM),
]

# Invented names: no real person is meant.
LEADERS: list[tuple[str, str]] = [
    ("高振华", "市委副书记"),
    ("郑文涛", "市委常委、常务副市长"),
    ("沈立群", "市委常委、组织部部长"),
    ("吕思源", "市委常委、宣传部部长"),
    ("韩景明", "市委常委、政法委书记"),
    ("贺子谦", "市委常委、秘书长"),
    ("程瑞霖", "副市长"),
    ("苏海川", "副市长"),
    ("卢雅宁", "副市长"),
    ("邵明哲", "副市长"),
]

# (username, full name, role, unit name, leader name)
USERS: list[tuple[str, str, str, str, str]] = [
    ("office", "许文博", User.Role.OFFICE, "市委改革办", ""),
    ("leader", "郑文涛", User.Role.LEADER, "", "郑文涛"),
    ("liaison_fgw", "孟凡琪", User.Role.LIAISON, "市发展改革委", ""),
    ("liaison_dy", "田雨桐", User.Role.LIAISON, "岱岳区", ""),
    ("liaison_jyj", "宋可馨", User.Role.LIAISON, "市教育局", ""),
    ("liaison_spj", "景若川", User.Role.LIAISON, "市行政审批服务局", ""),
    ("liaison_gzw", "冉启航", User.Role.LIAISON, "市国资委", ""),
    ("head_fgw", "葛元朗", User.Role.HEAD, "市发展改革委", ""),
    ("head_dy", "鲍承志", User.Role.HEAD, "岱岳区", ""),
    ("observer", "祁雪松", User.Role.OBSERVER, "", ""),
    # 三权分立: the three administrators, none of whom reads the reform work.
    ("sysadmin", "韩志远", User.Role.SYSADMIN, "", ""),
    ("secadmin", "秦立诚", User.Role.SECADMIN, "", ""),
    ("auditadmin", "陆明澈", User.Role.AUDITADMIN, "", ""),
]

AREAS = [
    "经济体制改革",
    "新型工业化强市建设",
    "民主法制领域改革",
    "文化体制改革",
    "社会体制改革",
    "生态文明体制改革",
    "党的建设制度改革",
    "国资国企改革",
]

# A due is a month of 2023 (month end, "2023年M月底前"), a (month, phrase) pair, or a phrase
# with no fixed date ("长期坚持").
Due = int | tuple[int, str] | str
# A milestone: (title, month due, done?, evidence).
Ms = tuple[str, int, bool, str]


@dataclass
class Spec:
    code: str
    title: str
    area: str
    lead: str
    co: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    due: Due | None = None  # None: drawn at random
    deliverable: str = ""
    goal: str = ""
    key: bool | None = None
    milestones: list[Ms] | None = None
    subs: list[Spec] = field(default_factory=list)


def _s(code: str, title: str, lead: str, co: str = "", due: Due | None = None, **kw: Any) -> Spec:
    return Spec(
        code=code,
        title=title,
        area=kw.pop("area", ""),
        lead=lead,
        co=co.split("、") if co else [],
        due=due,
        **kw,
    )


# The 24 items led by city leaders (市级领导领衔推进), from the seed.
LEADER_LED: list[Spec] = [
    _s(
        "1",
        "深化市属国有企业重组整合改革",
        "市国资委",
        "市财政局",
        (12, "2023年6月底前完成重组整合，12月底前形成经验"),
        area="国资国企改革",
        leaders=["郑文涛"],
        deliverable="制度机制、经验做法",
        goal="将产业相近、业务相关的市属企业重组整合为泰山城建、泰山产业、交通发展、泰山文旅四大集团公司，"
        "解决资源分散、政企不分、活力不足、财政贡献不强等问题，国企改革三年行动考核进入全省第一档次。",
        subs=[
            _s("1-1", "组建泰山城建集团、泰山产业集团", "市国资委", "泰山城建集团、泰山产业集团", 6),
            _s("1-2", "组建交通发展集团、泰山文旅集团", "市国资委", "交通发展集团、泰山文旅集团", 6),
        ],
    ),
    _s(
        "2",
        "实施主城区分级办学管理体制改革，推行城区高中统一招生",
        "市教育局",
        "泰山区、岱岳区、市财政局",
        8,
        area="社会体制改革",
        leaders=["卢雅宁"],
        deliverable="制度机制",
        goal="按照“同城同权”原则，理顺主城区高中段学校管理体制，实行城区高中统一招生，解决“同城不同招”问题。",
        milestones=[
            ("印发主城区分级办学管理体制改革实施方案", 4, True, "实施方案已经市委深改委会议审议通过并印发"),
            ("完成2023年城区高中统一招生录取", 8, False, ""),
        ],
    ),
    _s(
        "3",
        "推进盐穴储能储气改革创新",
        "市发展改革委",
        "肥城市、市自然资源和规划局",
        9,
        area="经济体制改革",
        leaders=["郑文涛", "苏海川"],
        deliverable="改革试点、经验做法",
        goal="创新盐穴资源开发利用和储能储气项目推进机制，推动压缩空气储能示范项目建设，形成可复制推广的盐穴储能经验。",
        milestones=[
            ("编制盐穴资源综合利用规划", 5, True, "规划已通过专家评审"),
            ("压缩空气储能示范项目并网", 9, False, ""),
        ],
    ),
    _s(
        "4",
        "高标准建设山东省黄河流域生态保护和高质量发展先行区",
        "市发展改革委",
        "市生态环境局、市水利局、东平县",
        "持续推进",
        area="生态文明体制改革",
        leaders=["高振华", "郑文涛"],
        deliverable="政策文件",
        goal="坚持重在保护、要在治理，打好环境问题整治、深度节水控水、生态保护修复攻坚战，形成先行区建设政策体系。",
    ),
    _s(
        "5",
        "构建新型工业化强市建设“1+N”工作推进体系",
        "市工业和信息化局",
        "市发展改革委、市科技局",
        12,
        area="新型工业化强市建设",
        leaders=["程瑞霖"],
        deliverable="制度机制",
        goal="建立组织体系、规划体系、政策体系三个“1+N”工作推进体系，确定“441X”现代产业体系，"
        "推动规上工业增加值、工业技改投资增速保持全省前列。",
        subs=[
            _s("5-1", "做实“链长+副链长+专班”推进机制", "市工业和信息化局", "市发展改革委", 6),
            _s("5-2", "建立“五大比拼、两大问效”工作机制", "市工业和信息化局", "", 9),
            _s("5-3", "确定“441X”现代产业体系并绘制产业链图谱", "市工业和信息化局", "市科技局", 12),
        ],
    ),
    _s(
        "6",
        "推行“思政首课负责制”，构建滴灌式思政教育格局",
        "市教育局",
        "市委宣传部",
        "长期坚持",
        area="社会体制改革",
        leaders=["吕思源"],
        deliverable="制度机制、经验做法",
        goal="利用课堂前5分钟，结合重大时事、社会热点和教学内容开展思政教育，"
        "构建“人人讲、科科讲、天天讲”的滴灌式思政教育格局。",
    ),
    _s(
        "7",
        "深化政务服务领域信用建设，推行“信易批”审批服务模式",
        "市行政审批服务局",
        "市发展改革委、市大数据局",
        10,
        area="经济体制改革",
        leaders=["程瑞霖"],
        deliverable="制度机制",
        goal="以“信用+”赋能行政审批，建立审批领域信用分级分类管理模式，对守信主体实行容缺受理、告知承诺等便利措施，"
        "营造“守信受益、信用有价”的政务服务氛围。",
    ),
    _s(
        "8",
        "开展政务服务全流程“一链办理”标准化试点",
        "市行政审批服务局",
        "市大数据局、市市场监管局",
        11,
        area="经济体制改革",
        leaders=["程瑞霖", "贺子谦"],
        deliverable="改革试点",
        goal="围绕企业和群众高频办理的“一件事”，梳理全链条办事标准，推动“一链办理”标准化试点通过国家评估验收。",
    ),
    _s(
        "9",
        "打造根治欠薪全程全时全域新模式",
        "市人力资源社会保障局",
        "市住房城乡建设局、市公安局、市司法局",
        12,
        area="社会体制改革",
        leaders=["邵明哲"],
        deliverable="制度机制、改革试点",
        goal="依托全国一体化在线监管平台，构建事前预防、事中监管、事后处置全链条治理机制，实现欠薪问题动态清零。",
    ),
    _s(
        "10",
        "推进“科创中国”试点城市建设",
        "市科技局",
        "市工业和信息化局、泰安高新区",
        10,
        area="新型工业化强市建设",
        leaders=["苏海川"],
        deliverable="改革试点",
        goal="搭建科技经济融合服务平台，推动创新要素向企业集聚，高质量完成“科创中国”试点城市建设任务并通过评估验收。",
    ),
    _s(
        "11",
        "构建土地要素保障新格局",
        "市自然资源和规划局",
        "市发展改革委、市财政局",
        (12, "2023年9月底前完成方案，12月底前形成经验"),
        area="经济体制改革",
        leaders=["郑文涛"],
        deliverable="制度机制、经验做法",
        goal="创新用地指标统筹、低效用地盘活和“标准地”出让机制，保障重点项目用地需求。",
        milestones=[
            ("出台土地要素保障改革实施方案", 9, True, "实施方案已印发"),
            ("总结形成土地要素保障经验做法", 12, False, ""),
        ],
    ),
    _s(
        "12",
        "深化文旅“串珠成链”改革，推动文旅二次创业",
        "市文化和旅游局",
        "泰山文旅集团、泰安旅游经济开发区",
        12,
        area="文化体制改革",
        leaders=["吕思源", "卢雅宁"],
        deliverable="经验做法",
        goal="以创新的顶层设计和串珠成链的机制办法，优化文旅产品结构、培育文旅市场主体、整合文旅资源。",
    ),
    _s(
        "13",
        "推进泰山文化传承发展示范区建设",
        "市委宣传部",
        "市文化和旅游局、泰山区",
        (6, "2023年6月底前完成规划编制"),
        area="文化体制改革",
        leaders=["吕思源"],
        deliverable="政策文件",
        goal="高标准编制《泰山文化传承发展示范区建设规划》和三年行动计划，健全示范区建设领导小组、推进委员会和专家智库运行机制。",
    ),
    _s(
        "14",
        "推广“众议众调三步走”工作法，坚持和发展新时代“枫桥经验”",
        "市委政法委",
        "岱岳区、市司法局",
        "持续推进",
        area="民主法制领域改革",
        leaders=["韩景明"],
        deliverable="经验做法",
        goal="总结推广岱岳区“众议众调三步走”工作法，健全矛盾纠纷多元化解机制，力争入选全国新时代“枫桥经验”先进典型。",
    ),
    _s(
        "15",
        "推进九女峰乡村振兴片区建设",
        "岱岳区",
        "市农业农村局、市文化和旅游局",
        11,
        area="经济体制改革",
        leaders=["邵明哲"],
        deliverable="改革试点、经验做法",
        goal="探索“党支部领办合作社+强村公司+运营商”模式，推动乡村产业、人才、文化、生态、组织振兴，打造乡村振兴示范片区。",
    ),
    _s(
        "16",
        "创新人才“引育留用”机制",
        "市委组织部",
        "市人力资源社会保障局、宁阳县",
        10,
        area="党的建设制度改革",
        leaders=["沈立群"],
        deliverable="制度机制",
        goal="完善人才引进、培育、留住、用好全链条政策，推广宁阳县人才“引育留用”经验做法。",
    ),
    _s(
        "17",
        "推进干部能上能下，实施不担当不作为干部待岗管理",
        "市委组织部",
        "",
        (5, "2023年5月底前出台办法"),
        area="党的建设制度改革",
        leaders=["沈立群"],
        deliverable="政策文件",
        key=False,
        goal="出台《不担当不作为干部待岗管理办法》，完善干部经常性考察和精准画像，推动干部能上能下常态化。",
    ),
    _s(
        "18",
        "探索资源枯竭城市高质量发展路径",
        "新泰市",
        "市发展改革委、市自然资源和规划局",
        12,
        area="经济体制改革",
        leaders=["高振华"],
        deliverable="经验做法",
        goal="推动采煤塌陷地治理、接续替代产业培育和城市功能完善，探索资源枯竭城市转型发展新路径。",
    ),
    _s(
        "19",
        "建设数字经济产业链工匠学院",
        "市人力资源社会保障局",
        "市工业和信息化局、市教育局",
        7,
        area="新型工业化强市建设",
        leaders=["苏海川"],
        deliverable="改革试点",
        goal="建设全国首个数字经济产业链工匠学院，创新产教融合、校企合作的技能人才培养模式。",
    ),
    _s(
        "20",
        "推动民营经济高质量发展",
        "市发展改革委",
        "市工业和信息化局、宁阳县",
        12,
        area="经济体制改革",
        leaders=["程瑞霖"],
        deliverable="政策文件",
        goal="落实支持民营经济发展政策措施，健全政企常态化沟通机制，推广宁阳县推动民营经济发展的经验做法。",
    ),
    _s(
        "21",
        "构建现代服务业“1+1+N”规划体系",
        "市发展改革委",
        "市商务局",
        9,
        area="经济体制改革",
        leaders=["郑文涛"],
        deliverable="政策文件",
        key=False,
        goal="出台1个意见、1个规划、N个行动计划，健全推进、调度、考核机制，对现代服务业实行项目化管理、清单化推进。",
    ),
    _s(
        "22",
        "实施企业上市培育行动",
        "市地方金融监管局",
        "市工业和信息化局、泰安高新区",
        12,
        area="新型工业化强市建设",
        leaders=["程瑞霖"],
        deliverable="制度机制",
        key=False,
        goal="建立上市后备企业资源库，实行“一企一策”精准培育，推动更多企业在境内外资本市场上市。",
    ),
    _s(
        "23",
        "深化医药卫生体制改革，推进紧密型县域医共体建设",
        "市卫生健康委",
        "市医保局、市财政局",
        11,
        area="社会体制改革",
        leaders=["卢雅宁"],
        deliverable="改革试点",
        goal="推进县域医共体人员、财务、业务统一管理，完善医保总额付费、结余留用机制，提升县域医疗服务能力。",
    ),
    _s(
        "24",
        "深化生态环境领域改革，争创国务院督查激励",
        "市生态环境局",
        "市发展改革委",
        12,
        area="生态文明体制改革",
        leaders=["苏海川", "高振华"],
        deliverable="经验做法",
        goal="健全生态环境治理体系，推动生态环境质量持续改善，争创生态环境领域真抓实干成效明显地区督查激励。",
    ),
]

# The other items of the key-points plan, by area: (title, lead unit). Co-units, dates,
# deliverables and milestones are drawn from the seeded random generator.
OTHER_ITEMS: dict[str, list[tuple[str, str]]] = {
    "经济体制改革": [
        ("深化要素市场化配置改革，健全要素交易服务体系", "市发展改革委"),
        ("深化零基预算改革，健全预算绩效管理体系", "市财政局"),
        ("推进财政资金“直达快享”改革", "市财政局"),
        ("深化“放管服”改革，推行“一业一证”集成审批", "市行政审批服务局"),
        ("推进企业开办和注销便利化改革", "市市场监管局"),
        ("健全以信用为基础的新型监管机制，推行信用分级分类监管", "市发展改革委"),
        ("推进公共数据开放共享，建设公共数据开放平台", "市大数据局"),
        ("深化投资项目审批制度改革，推行“拿地即开工”", "市行政审批服务局"),
        ("完善普惠金融服务体系，推进“信易贷”平台扩面增效", "市地方金融监管局"),
        ("深化外贸外资体制改革，推进跨境电商综合试验区建设", "市商务局"),
        ("推进公共资源交易平台整合共享", "市发展改革委"),
        ("深化政府采购制度改革，推行全流程电子化采购", "市财政局"),
        ("开展营商环境创新提升行动，打造“泰好办”政务服务品牌", "市行政审批服务局"),
        ("深化农村集体产权制度改革，发展壮大新型农村集体经济", "市农业农村局"),
        ("稳慎推进农村宅基地制度改革试点", "市农业农村局"),
        ("健全农业社会化服务体系", "市农业农村局"),
        ("推进“泰山+”农文旅融合发展", "岱岳区"),
    ],
    "新型工业化强市建设": [
        ("建立新型工业化强市建设推进委员会工作运行机制", "市工业和信息化局"),
        ("推进工业技改投资提速提质", "市工业和信息化局"),
        ("深化“亩产效益”评价改革，推动低效用地再开发", "市自然资源和规划局"),
        ("健全专精特新企业梯度培育机制", "市工业和信息化局"),
        ("推进制造业数字化转型，建设工业互联网平台", "市工业和信息化局"),
        ("深化科技成果转移转化机制改革", "市科技局"),
        ("完善“揭榜挂帅”科研项目组织机制", "市科技局"),
        ("深化泰安高新区“管委会+公司”体制机制改革", "泰安高新区"),
        ("完善上市后备企业资源库动态管理机制", "市地方金融监管局"),
        ("推进化工园区认定和提升管理", "市工业和信息化局"),
        ("深化产教融合，建设市域产教联合体", "市教育局"),
        ("建立链主企业引领、配套企业协同的产业链合作机制", "市工业和信息化局"),
        ("推进新泰市、肥城市盐化工产业链延链补链", "肥城市"),
    ],
    "民主法制领域改革": [
        ("深化行政执法体制改革，推进综合行政执法", "市司法局"),
        ("推进“一站式”矛盾纠纷调解中心规范化建设", "市委政法委"),
        ("深化公安“放管服”改革，推行户籍业务“跨省通办”", "市公安局"),
        ("完善行政复议体制，推进行政复议规范化建设", "市司法局"),
        ("深化诉源治理，推进“分调裁审”机制改革", "市中级人民法院"),
        ("推进公益诉讼检察工作提质增效", "市人民检察院"),
        ("健全重大行政决策合法性审查机制", "市司法局"),
        ("推进市域社会治理现代化试点", "市委政法委"),
        ("深化公共法律服务体系建设", "市司法局"),
        ("推进涉企行政执法“综合查一次”改革", "市司法局"),
        ("健全执行难综合治理、源头治理机制", "市中级人民法院"),
        ("完善“全科网格”基层治理体系", "市委政法委"),
        ("深化派出所“两队一室”警务运行机制改革", "市公安局"),
    ],
    "文化体制改革": [
        ("深化国有文艺院团改革", "市文化和旅游局"),
        ("推进县级融媒体中心提质增效", "市委宣传部"),
        ("推进新时代文明实践中心建设", "市委宣传部"),
        ("推进泰山景区分时预约和智慧旅游服务改革", "泰山文旅集团"),
        ("完善公共文化服务体系，推行图书馆总分馆制", "市文化和旅游局"),
        ("实施文旅市场主体“育苗壮干”工程", "市文化和旅游局"),
        ("推动非物质文化遗产保护传承机制创新", "市文化和旅游局"),
        ("推进夜间文旅消费集聚区建设", "泰山区"),
        ("健全文化市场综合执法体制", "市文化和旅游局"),
        ("开设“‘敢当’经验”专栏，加强改革宣传推介", "市委宣传部"),
        ("深化文物保护利用改革", "市文化和旅游局"),
        ("推进研学旅游标准化建设", "泰安旅游经济开发区"),
        ("推进文化和科技融合发展", "市委宣传部"),
    ],
    "社会体制改革": [
        ("实施县域普通高中发展提升行动", "市教育局"),
        ("深化“双减”改革，规范校外培训机构管理", "市教育局"),
        ("深化职业教育改革，推进中高职贯通培养", "市教育局"),
        ("深化医保支付方式改革，推行DRG付费", "市医保局"),
        ("推进公立医院高质量发展，深化薪酬制度改革", "市卫生健康委"),
        ("推进灵活就业人员参保扩面", "市人力资源社会保障局"),
        ("完善“就业泰安”公共就业服务体系", "市人力资源社会保障局"),
        ("深化养老服务体系改革，推进居家社区养老服务", "市民政局"),
        ("发展保障性租赁住房，完善住房保障体系", "市住房城乡建设局"),
        ("推行老旧小区改造“共同缔造”机制", "市住房城乡建设局"),
        ("健全困难群众分层分类救助机制", "市民政局"),
        ("推进“互联网+医疗健康”示范市建设", "市卫生健康委"),
        ("深化医疗服务价格改革", "市医保局"),
    ],
    "生态文明体制改革": [
        ("深化河湖长制，推进幸福河湖建设", "市水利局"),
        ("推进排污权有偿使用和交易改革", "市生态环境局"),
        ("健全生态保护补偿机制", "市财政局"),
        ("深化环评审批“打捆”改革", "市生态环境局"),
        ("推进东平湖生态保护和综合治理", "东平县"),
        ("实施水资源刚性约束制度，推进深度节水控水", "市水利局"),
        ("深化林长制改革，健全森林资源保护机制", "市自然资源和规划局"),
        ("推进自然资源资产有偿使用制度改革", "市自然资源和规划局"),
        ("健全碳达峰碳中和工作推进机制", "市发展改革委"),
        ("推进“无废城市”建设", "市生态环境局"),
        ("健全生态环境损害赔偿制度", "市生态环境局"),
        ("推进大汶河流域综合治理", "市水利局"),
        ("推进矿山生态修复和绿色矿山建设", "市自然资源和规划局"),
    ],
    "党的建设制度改革": [
        ("完善干部经常性考察精准画像分类管理", "市委组织部"),
        ("开展政治生态分析评估", "市委组织部"),
        ("实行“三晒一评一公开”机制", "市委组织部"),
        ("健全党建引领基层治理机制", "市委组织部"),
        ("推进“泰好办·政先锋”党建品牌建设", "市行政审批服务局"),
        ("开展机关作风集中整顿和“老好人”专项整治", "市委组织部"),
        ("完善改革考核重点带动制度，在“工作创新奖”中增设改革特别奖", "市委改革办"),
        ("建立“两办两研”协同联动机制", "市委改革办"),
        ("建立深化改革协商座谈制度", "市委改革办"),
        ("探索实行深改委会议列席旁听制度", "市委改革办"),
        ("创新推出改革新闻发布会制度", "市委改革办"),
        ("深化村党组织书记专业化管理", "市委组织部"),
        ("健全年轻干部选育管用全链条机制", "市委组织部"),
    ],
    "国资国企改革": [
        ("完善市属企业中国特色现代企业制度", "市国资委"),
        ("深化市属企业劳动、人事、分配三项制度改革", "市国资委"),
        ("推进国有资本投资运营公司改革", "市国资委"),
        ("推动泰山城建集团市场化转型", "泰山城建集团"),
        ("推进泰山产业集团产业投资基金体系建设", "泰山产业集团"),
        ("推进交通发展集团交通资源整合", "交通发展集团"),
        ("推动泰山文旅集团文旅资源整合运营", "泰山文旅集团"),
        ("健全国有资产监管体制，推行“穿透式”监管", "市国资委"),
        ("推进经营性国有资产集中统一监管", "市国资委"),
        ("推进县属国有企业改革", "市国资委"),
        ("深化市属企业混合所有制改革", "市国资委"),
        ("推行市属企业经理层成员任期制和契约化管理", "市国资委"),
        ("完善国企党建工作与生产经营深度融合机制", "市国资委"),
    ],
}

# Units that often co-operate on an area's items.
CO_POOL: dict[str, list[str]] = {
    "经济体制改革": [
        "市发展改革委",
        "市财政局",
        "市市场监管局",
        "市大数据局",
        "市商务局",
        "市行政审批服务局",
        "泰山区",
        "岱岳区",
        "肥城市",
    ],
    "新型工业化强市建设": [
        "市工业和信息化局",
        "市科技局",
        "市发展改革委",
        "市财政局",
        "泰安高新区",
        "新泰市",
        "肥城市",
        "泰山产业集团",
    ],
    "民主法制领域改革": [
        "市委政法委",
        "市司法局",
        "市公安局",
        "市中级人民法院",
        "市人民检察院",
        "泰山区",
        "岱岳区",
    ],
    "文化体制改革": [
        "市委宣传部",
        "市文化和旅游局",
        "泰山文旅集团",
        "泰山区",
        "岱岳区",
        "泰安旅游经济开发区",
    ],
    "社会体制改革": [
        "市财政局",
        "市人力资源社会保障局",
        "市卫生健康委",
        "市医保局",
        "市民政局",
        "市教育局",
        "新泰市",
        "宁阳县",
    ],
    "生态文明体制改革": [
        "市生态环境局",
        "市自然资源和规划局",
        "市水利局",
        "市发展改革委",
        "东平县",
        "宁阳县",
        "岱岳区",
    ],
    "党的建设制度改革": ["市委组织部", "市委宣传部", "市委改革办", "市人力资源社会保障局"],
    "国资国企改革": ["市财政局", "泰山城建集团", "泰山产业集团", "交通发展集团", "泰山文旅集团"],
}

SPLIT_OTHER = {
    "推进县属国有企业改革": [
        ("推进新泰市、肥城市县属国有企业整合重组", "新泰市", 9),
        ("推进宁阳县、东平县县属国有企业市场化转型", "宁阳县", 11),
    ],
}

# The "1+N" example: a master plan with its own items and two action plans.
ONE_PLUS_N: list[tuple[str, list[tuple[str, str, str, int]]]] = [
    (
        MASTER_PLAN,
        [
            ("成立新型工业化强市建设推进委员会，建立组织体系", "市工业和信息化局", "市发展改革委", 3),
            ("构建规划体系、政策体系“1+N”框架", "市发展改革委", "市工业和信息化局、市财政局", 6),
        ],
    ),
    (
        "“441X”现代产业体系链长制工作方案",
        [
            ("绘制重点产业链图谱和招商路线图", "市工业和信息化局", "市商务局", 5),
            ("建立链长、副链长、工作专班定期调度机制", "市工业和信息化局", "", 6),
            ("开展产业链“双招双引”专项行动", "市商务局", "市工业和信息化局、泰安高新区", 12),
        ],
    ),
    (
        "工业技改提级行动计划（2023年）",
        [
            ("建立工业技改项目库，实行季度调度", "市工业和信息化局", "", 4),
            ("落实技改项目财政奖补政策", "市财政局", "市工业和信息化局", 9),
            ("推进规上工业企业数字化改造全覆盖", "市工业和信息化局", "市大数据局", 12),
        ],
    ),
]

DELIVERABLES = ["政策文件", "制度机制", "改革试点", "经验做法"]
GOAL_OPENINGS = [
    "坚持问题导向，聚焦企业和群众反映强烈的堵点难点，",
    "对标先进地区经验做法，",
    "坚持系统集成、协同高效，",
    "聚焦制约高质量发展的体制机制障碍，",
    "坚持试点先行、以点带面，",
]
GOAL_BODIES = {
    "政策文件": "研究制定配套政策措施，{due}出台实施，推动政策红利直达基层。",
    "制度机制": "建立健全责任明确、运转高效的推进机制，{due}形成一批管用实用的制度成果。",
    "改革试点": "高标准推进试点建设，{due}形成可复制可推广的试点经验，力争通过上级评估验收。",
    "经验做法": "及时总结提炼创新举措，{due}形成“敢当”改革经验，力争被省级以上刊发推广。",
}
# Milestone steps by deliverable: (title, evidence once done).
MILESTONE_STEPS = {
    "政策文件": [
        ("开展调研摸底，形成调研报告", "调研报告已形成"),
        ("起草政策文件并征求意见", "已书面征求相关单位意见并修改完善"),
        ("政策文件印发实施", "政策文件已印发实施"),
    ],
    "制度机制": [
        ("制定工作方案", "工作方案已印发"),
        ("建立工作推进机制", "已成立工作专班，建立定期调度制度"),
        ("开展运行评估，形成制度成果", "评估报告已报送市委改革办"),
    ],
    "改革试点": [
        ("制定试点实施方案", "试点实施方案已印发"),
        ("开展试点运行", "试点已运行，阶段性总结已报送"),
        ("完成试点总结评估", "试点已通过评估验收"),
    ],
    "经验做法": [
        ("制定实施方案", "实施方案已印发"),
        ("推进重点任务落实", "已召开专题推进会，形成会议纪要"),
        ("总结提炼经验做法", "经验做法已在“‘敢当’经验”专栏刊发"),
    ],
}

# Later changes by the office, shown on the item pages with before/after:
# (code of a leader-led item or title of another key-plan item, when, reason, change).
EDITS: list[tuple[str, datetime, str, str]] = [
    (
        "推进企业开办和注销便利化改革",
        datetime(2023, 4, 10, 15, 30),
        "按市委深改委会议审议意见修改表述",
        "title",
    ),
    (
        "推进公共资源交易平台整合共享",
        datetime(2023, 5, 15, 9, 20),
        "经市委深改委会议研究，列为全市重点改革任务",
        "key",
    ),
    ("12", datetime(2023, 6, 12, 16, 0), "根据市委深改委会议议定事项，增加泰山区为配合单位", "co_unit"),
    ("3", datetime(2023, 7, 20, 10, 45), "根据示范项目建设进度，经领衔市级领导同意调整完成时限", "due"),
    ("2", datetime(2023, 8, 31, 17, 10), "更新时间节点完成情况", "milestone"),
    ("20", datetime(2023, 10, 9, 11, 0), "增加领衔市级领导", "leader"),
]
NOT_KEY = {ref for ref, _, _, kind in EDITS if kind == "key"}
SETUP_AT = datetime(2023, 2, 10, 9, 0)
ISSUED_AT = datetime(2023, 2, 16, 10, 0)  # the key-points plan is issued
START_DATES = [date(2023, 1, 1), date(2023, 2, 1), date(2023, 2, 16), date(2023, 3, 1), date(2023, 3, 15)]


class DemoError(ServiceError):
    """The database holds other data: the demo is only built on an empty one."""


def _month_end(month: int, year: int = YEAR) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _due(due: Due) -> tuple[date | None, str, bool]:
    """(due date, due phrase, no fixed date) for a Spec.due."""
    if isinstance(due, str):
        return None, due, True
    month, text = due if isinstance(due, tuple) else (due, "")
    if not text:
        text = "2023年年底前" if month == 12 else f"2023年{month}月底前"
    return _month_end(month), text, False


def _deliverable(title: str, rng: random.Random) -> str:
    """The deliverable a title implies, else a random one."""
    if "试点" in title:
        return "改革试点"
    if "经验" in title or "推广" in title:
        return "经验做法"
    if any(w in title for w in ("机制", "制度", "体系", "体制")):
        return rng.choice(["制度机制", "制度机制", "政策文件"])
    return rng.choice(DELIVERABLES)


def _say(stdout, msg: str) -> None:
    if stdout is not None:
        stdout.write(msg + "\n")


def _aware(dt: datetime) -> datetime:
    return timezone.make_aware(dt)


def _last_audit_id() -> int:
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


def _date_audit(since_id: int, when: datetime) -> int:
    """Date the audit entries written after `since_id` at `when`; return the new high-water mark."""
    AuditEntry.objects.filter(id__gt=since_id).update(at=_aware(when))
    return _last_audit_id()


def demo_exists() -> bool:
    return Plan.objects.filter(year=YEAR, name=KEY_PLAN).exists()


def database_is_demo_or_empty() -> bool:
    """True when the database holds nothing but (possibly) the demo: safe to wipe and rebuild."""
    demo_units = {name for name, _, _ in UNITS}
    demo_plans = {KEY_PLAN} | {name for name, _ in ONE_PLUS_N}
    return (
        not Unit.objects.exclude(name__in=demo_units).exists()
        and not Plan.objects.exclude(name__in=demo_plans).exists()
        and not Leader.objects.exclude(name__in=[n for n, _ in LEADERS]).exists()
    )


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, unit) of each demo user, in the order they are printed."""
    return [(username, str(User.Role(role).label), unit) for username, _, role, unit, _ in USERS]


def _counts() -> dict[str, int]:
    key_items = Item.objects.filter(plan__year=YEAR, plan__name=KEY_PLAN)
    return {
        "units": Unit.objects.count(),
        "leaders": Leader.objects.count(),
        "users": User.objects.filter(username__in=[u[0] for u in USERS]).count(),
        "areas": Area.objects.count(),
        "plans": Plan.objects.count(),
        "items": Item.objects.count(),
        "leader_led": key_items.filter(leaders__isnull=False).distinct().count(),
        "other_items": key_items.filter(leaders__isnull=True).count(),
        "milestones": Milestone.objects.count(),
    }


def build_demo(*, stdout=None) -> dict[str, Any]:
    """Build the demo city on an empty database; do nothing if it is already there.

    Then plays the year's monthly dispatch (`gandang.dispatch.demo`): February–November closed,
    December open as it stands on DEMO_TODAY. All of it in one transaction: nothing half-built.

    Returns {"created": bool, "password": str, "logins": [(username, role, unit)], "today": date,
    "dispatch": {report counts}, **counts}. Raises DemoError if the database holds data that is not
    the demo.

    Built on the demo's calendar (DEMO_TODAY pinned), so nothing it stamps reads as the machine's date.
    """
    with clock.pinned(DEMO_TODAY), transaction.atomic():
        if demo_exists():
            _say(stdout, "演示数据已存在，未重复创建。")
            return _result(created=False)
        taken = User.objects.filter(username__in=[u[0] for u in USERS]).exists()
        if taken or any(m.objects.exists() for m in (Unit, Leader, Area, Plan, Item)):
            raise DemoError("数据库中已有业务数据，演示数据只能建立在空数据库上。")
        _Builder(stdout).build()
        # The demo city's office names itself on its documents (配置管理 → 公文设置).
        from gandang.documents.models import DocumentSettings

        DocumentSettings.objects.create(
            issuer="中共泰安市委全面深化改革委员会办公室",
            prefix_reminder="泰改提",
            prefix_supervision="泰改督",
            prefix_bulletin="泰改通",
            prefix_assessment="泰改考",
        )
        build_reports(office=User.objects.get(username=USERS[0][0]), today=DEMO_TODAY, stdout=stdout)
        from gandang.supervision.demo import build_supervision

        build_supervision(office=User.objects.get(username=USERS[0][0]), today=DEMO_TODAY, stdout=stdout)
        from gandang.achievements.demo import build_achievements

        build_achievements(office=User.objects.get(username=USERS[0][0]), today=DEMO_TODAY, stdout=stdout)
        build_bulletins(office=User.objects.get(username=USERS[0][0]), stdout=stdout)
        from gandang.assessment.demo import build_assessment

        build_assessment(office=User.objects.get(username=USERS[0][0]), stdout=stdout)
    return _result(created=True)


def _result(*, created: bool) -> dict[str, Any]:
    return {
        "created": created,
        "password": PASSWORD,
        "logins": demo_logins(),
        "today": DEMO_TODAY,
        "dispatch": report_counts(),
        **_counts(),
    }


class _Builder:
    def __init__(self, stdout) -> None:
        self.stdout = stdout
        self.rng = random.Random(2023)
        self.units: dict[str, Unit] = {}
        self.leaders: dict[str, Leader] = {}
        self.areas: dict[str, Area] = {}
        self.office: User

    def build(self) -> None:
        mark = _last_audit_id()
        self.org()
        mark = _date_audit(mark, SETUP_AT)
        key_plan = self.plans_and_areas()
        self.key_items(key_plan)
        self.one_plus_n()
        mark = _date_audit(mark, ISSUED_AT)
        Item.objects.all().update(created_at=_aware(ISSUED_AT), updated_at=_aware(ISSUED_AT))
        self.edits(key_plan, mark)

    # -- org ------------------------------------------------------------------------------------

    def org(self) -> None:
        for order, (name, aliases, kind) in enumerate(UNITS, start=1):
            self.units[name] = Unit.objects.create(
                name=name, aliases=aliases, kind=kind, sort_order=order * 10
            )
        for order, (name, title) in enumerate(LEADERS, start=1):
            self.leaders[name] = Leader.objects.create(name=name, title=title, sort_order=order * 10)
        # One hash for every demo account: they share the published password, and hashing ten
        # times would make the demo build slow for nothing.
        hashed = make_password(PASSWORD)
        joined = _aware(SETUP_AT)
        users = []
        for username, full_name, role, unit, leader in USERS:
            user = User(
                username=username,
                full_name=full_name,
                role=role,
                unit=self.units.get(unit),
                leader=self.leaders.get(leader),
                date_joined=joined,
            )
            validate_password(PASSWORD, user)
            user.password = hashed
            user.save()
            users.append(user)
        self.office = users[0]
        entries = [
            audit.entry(obj, actor=self.office, action=AuditEntry.Action.CREATE)
            for obj in [*self.units.values(), *self.leaders.values(), *users]
        ]
        AuditEntry.objects.bulk_create([e for e in entries if e is not None])
        _say(
            self.stdout,
            f"已创建 {len(self.units)} 个单位、{len(self.leaders)} 位市级领导、{len(users)} 个账号",
        )

    # -- ledger ---------------------------------------------------------------------------------

    def plans_and_areas(self) -> Plan:
        for order, name in enumerate(AREAS, start=1):
            self.areas[name] = Area.objects.create(name=name, sort_order=order * 10)
        AuditEntry.objects.bulk_create(
            [
                e
                for e in (
                    audit.entry(a, actor=self.office, action=AuditEntry.Action.CREATE)
                    for a in self.areas.values()
                )
                if e
            ]
        )
        return services.plan_save(
            actor=self.office,
            plan=Plan(),
            fields={
                "year": YEAR,
                "name": KEY_PLAN,
                "description": "市委全面深化改革委员会审议通过。其中24项改革事项由市级领导领衔推进，"
                "实行“月调度、季通报、年考核”。",
            },
        )

    def key_items(self, plan: Plan) -> None:
        for spec in LEADER_LED:
            self.item(plan, spec, seq=int(spec.code))
        seq = len(LEADER_LED)
        for area, rows in OTHER_ITEMS.items():
            for title, lead in rows:
                seq += 1
                subs = [
                    _s(f"{seq}-{i}", t, unit, due=month)
                    for i, (t, unit, month) in enumerate(SPLIT_OTHER.get(title, []), start=1)
                ]
                spec = _s(
                    str(seq), title, lead, area=area, subs=subs, key=False if title in NOT_KEY else None
                )
                self.item(plan, spec, seq=seq)
        n = Item.objects.filter(plan=plan).count()
        _say(self.stdout, f"已创建《{KEY_PLAN}》，改革事项 {n} 项（含市级领导领衔 {len(LEADER_LED)} 项）")

    def one_plus_n(self) -> None:
        master = None
        area = self.areas["新型工业化强市建设"]
        for name, rows in ONE_PLUS_N:
            plan = services.plan_save(
                actor=self.office,
                plan=Plan(),
                fields={
                    "year": YEAR,
                    "name": name,
                    "parent": master,
                    "description": ""
                    if master
                    else "组织体系、规划体系、政策体系三个“1+N”工作推进体系的总体方案。",
                },
            )
            master = master or plan
            for seq, (title, lead, co, month) in enumerate(rows, start=1):
                self.item(plan, _s(str(seq), title, lead, co, month, area=area.name), seq=seq)
        _say(self.stdout, f"已创建“1+N”方案体系：{MASTER_PLAN}及{len(ONE_PLUS_N) - 1}个行动方案")

    def item(self, plan: Plan, spec: Spec, *, seq: int, parent: Item | None = None) -> Item:
        rng = self.rng
        area = spec.area or (parent.area.name if parent and parent.area else "")
        due_date, due_text, no_fixed = _due(spec.due if spec.due is not None else self.random_due())
        start = parent.start_date if parent and parent.start_date else rng.choice(START_DATES)
        deliverable = spec.deliverable or _deliverable(spec.title, rng)
        co = spec.co
        if not co and not spec.leaders and not parent and area in CO_POOL:
            pool = [u for u in CO_POOL[area] if u != spec.lead]
            co = rng.sample(pool, rng.choice([0, 1, 1, 2, 2, 3]))
        if spec.key is not None:
            is_key = spec.key
        else:
            is_key = bool(spec.leaders) or (not parent and rng.random() < 0.15)
        goal = spec.goal
        if not goal:
            by = "" if due_date is None else _due(due_date.month)[1]
            body = GOAL_BODIES[deliverable.split("、")[0]].format(due=by)
            goal = rng.choice(GOAL_OPENINGS) + body
        milestones = self.milestones(spec, deliverable, start, due_date)
        item = services.item_create(
            actor=self.office,
            fields={
                "plan": plan,
                "code": spec.code,
                "seq": seq,
                "title": spec.title,
                "goal": goal,
                "deliverable": deliverable,
                "area": self.areas.get(area),
                "lead_unit": self.units[spec.lead],
                "start_date": start,
                "due_date": due_date,
                "no_fixed_date": no_fixed,
                "due_text": due_text,
                "is_key": is_key,
                "parent": parent,
            },
            leaders=[self.leaders[n] for n in spec.leaders],
            co_units=[self.units[n] for n in co],
            milestones=milestones,
        )
        for sub in spec.subs:  # sub-items take the parent's area and start
            self.item(plan, sub, seq=seq, parent=item)
        return item

    def random_due(self) -> Due:
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return rng.choice(["长期坚持", "持续推进"])
        if roll < 0.25:
            month = rng.choice([6, 9, 10])
            return (12, f"2023年{month}月底前完成方案，12月底前形成经验")
        return rng.choice([3, 4, 5, 6, 6, 6, 7, 8, 9, 9, 9, 10, 11, 12, 12, 12, 12])

    def milestones(
        self, spec: Spec, deliverable: str, start: date, due: date | None
    ) -> list[services.MilestoneData]:
        rng = self.rng
        if spec.milestones is not None:
            return [
                services.MilestoneData(
                    title=title,
                    due_date=_month_end(month),
                    done_date=_month_end(month) - timedelta(days=rng.randint(2, 12)) if done else None,
                    evidence=evidence,
                )
                for title, month, done, evidence in spec.milestones
            ]
        steps = MILESTONE_STEPS[deliverable.split("、")[0]]
        n = rng.choice([1, 2, 2, 3, 3])
        # Items with no fixed date keep going into next year.
        end = due or date(YEAR + 1, 6, 30)
        dues = []
        for k in range(1, n + 1):
            at = start + (end - start) * k / n
            dues.append(date(at.year, at.month, calendar.monthrange(at.year, at.month)[1]))
        dues = sorted(set(dues))  # a short item has fewer month-ends to spread over
        chosen = {1: steps[-1:], 2: [steps[0], steps[-1]], 3: steps}[len(dues)]
        rows, stalled = [], False
        for (title, evidence), ms_due in zip(chosen, dues, strict=True):
            done_date = None
            # A unit that misses one node usually misses the next ones too: that is what lags.
            if ms_due < DEMO_TODAY and not stalled:
                stalled = rng.random() < 0.15
            if ms_due < DEMO_TODAY and not stalled:
                done_date = max(start, min(ms_due + timedelta(days=rng.randint(-20, 8)), DEMO_TODAY))
            rows.append(
                services.MilestoneData(
                    title=title, due_date=ms_due, done_date=done_date, evidence=evidence if done_date else ""
                )
            )
        return rows

    # -- later edits ----------------------------------------------------------------------------

    def edits(self, plan: Plan, mark: int) -> None:
        changes: dict[str, Callable[[Item], dict[str, Any]]] = {
            "title": lambda item: {
                "fields": {"title": "深化企业开办和注销便利化改革，推行企业全生命周期“一网通办”"}
            },
            "key": lambda item: {"fields": {"is_key": True}},
            "co_unit": lambda item: {"co_units": [*item.co_units.all(), self.units["泰山区"]]},
            "due": lambda item: {"fields": {"due_date": _month_end(12), "due_text": "2023年年底前"}},
            "milestone": lambda item: self._finish_open_milestone(
                item, "2023年城区高中统一招生录取工作已完成，录取结果已向社会公示"
            ),
            "leader": lambda item: {"leaders": [*item.leaders.all(), self.leaders["贺子谦"]]},
        }
        for ref, when, reason, kind in EDITS:
            item = Item.objects.get(plan=plan, **({"code": ref} if ref.isdigit() else {"title": ref}))
            kwargs = {"fields": {}, **changes[kind](item)}
            services.item_update(
                actor=self.office, item=item, expected_version=item.version, reason=reason, **kwargs
            )
            mark = _date_audit(mark, when)
            Item.objects.filter(pk=item.pk).update(updated_at=_aware(when))
        _say(self.stdout, f"已模拟改革办对 {len(EDITS)} 个事项的后续修改（含变更记录）")

    def _finish_open_milestone(self, item: Item, evidence: str) -> dict[str, Any]:
        ms = item.milestones.filter(done_date__isnull=True).order_by("sort_order").first()
        if ms is None:
            return {}
        row = services.MilestoneData(
            id=ms.pk,
            title=ms.title,
            due_date=ms.due_date,
            done_date=ms.due_date - timedelta(days=6) if ms.due_date else DEMO_TODAY,
            evidence=evidence,
        )
        return {"milestones": [row]}
