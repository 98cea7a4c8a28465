"""The words of the demo city's monthly reports: what a unit writes about an item, month by month.

A report is composed from the item (its title gives the topic), the milestone the unit is working
towards (its title gives the phase: research, plan, policy, mechanism, pilot, implementation,
summary), the milestones reached this month, and a seeded random generator, so the same item reads
differently each month and every build reads the same. Used only by `gandang.dispatch.demo`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

ORDINALS = "一二三四五六七八九十"

# Leading verbs stripped from an item's title to get its topic ("深化零基预算改革" → "零基预算改革").
VERBS = [
    "高标准建设",
    "稳慎推进",
    "创新推出",
    "深化",
    "推进",
    "推行",
    "推动",
    "推广",
    "健全",
    "完善",
    "建立",
    "建设",
    "开展",
    "实施",
    "实行",
    "构建",
    "打造",
    "探索",
    "创新",
    "落实",
    "发展",
    "做实",
    "组建",
    "确定",
    "绘制",
    "成立",
    "开设",
    "争创",
    "加强",
]

STUDY_CITIES = [
    "浙江省杭州市",
    "江苏省苏州市",
    "广东省深圳市",
    "上海市浦东新区",
    "浙江省宁波市",
    "江苏省南京市",
]
MEETINGS = ["单位党组（党委）会议", "主要负责同志专题会议", "专题办公会议"]
# Where a county or an enterprise does its work, instead of the city's counties.
LOCAL_PLACES = {
    "county": ["城区街道", "重点镇", "示范村", "经济开发区", "东部片区", "西部片区"],
    "enterprise": ["集团本部", "二级子公司", "重点项目公司", "所属企业"],
}

# What a unit does while working towards a milestone of each phase. Fragments, no end punctuation.
PROGRESS: dict[str, list[str]] = {
    "research": [
        "围绕{topic}，组织业务骨干赴{place}、{place2}等地开展专题调研，召开座谈会{n1}场，收集意见建议{n2}条",
        "对全市{topic}基础情况进行全面摸底，建立工作台账，梳理问题清单{n1}条、任务清单{n2}项",
        "赴{city}学习考察先进经验做法，形成考察报告1篇，提出我市可借鉴举措{n1}条",
        "走访企业和基层单位{n2}家，面对面听取意见建议，形成问题、需求“两张清单”",
        "委托第三方机构开展专题研究，形成调研报告初稿，已提交{meeting}研究",
        "梳理国家和省有关政策文件{n1}件，对照查找我市在{topic}方面的短板弱项",
    ],
    "plan": [
        "起草形成{doc}初稿，明确重点任务{n1}项、具体措施{n2}条",
        "书面征求{n1}个市直部门和县市区意见，收到修改意见{n2}条，采纳{n3}条",
        "组织专家对方案进行论证，进一步完善了目标任务、责任分工和时间节点",
        "方案已提交{meeting}研究，正在根据会议意见修改完善，按程序报批",
        "对标{city}等地做法，对方案进行第{n3}轮修改完善",
        "召开方案起草工作会议{n1}次，逐条研究细化配套措施和责任分工",
    ],
    "policy": [
        "起草形成{policy}（征求意见稿），在政府网站公开征求社会意见，收到意见建议{n2}条",
        "完成{policy}合法性审查和公平竞争审查，提请{meeting}审议",
        "召开企业家座谈会{n1}场，听取市场主体对{policy}的意见建议",
        "会同{co}对政策条款逐条研究，修改完善条款{n2}处",
        "开展政策出台前评估，测算政策兑现资金规模，形成评估报告",
    ],
    "mechanism": [
        "成立由分管负责同志任组长的工作专班，建立“周调度、月通报”工作机制",
        "本月召开专班调度会议{n1}次，协调解决问题{n2}个，累计解决问题{cum}个",
        "制定任务分解表，将{n2}项具体任务细化分解到{n1}个责任单位，明确时间表和路线图",
        "建立问题台账和销号管理制度，实行清单化推进、闭环式管理",
        "会同{co}建立联席会议制度，本月召开联席会议1次，研究解决跨部门问题{n1}个",
    ],
    "pilot": [
        "在{place}、{place2}等{n1}个试点单位开展试运行，本月办理相关业务{n2}件，累计{cum}件",
        "召开试点工作推进会，通报各试点进展情况，推广{place}先行先试经验",
        "对试点运行中发现的{n1}个问题逐项整改，优化办理流程{n3}项，平均办理时限压减{pct}%",
        "开展试点运行情况第三方评估，群众和企业满意率达到{sat}%",
        "新增{place}为试点单位，试点范围扩大到{n1}个单位",
        "编制试点工作指引，统一业务标准和操作规程{n2}项",
    ],
    "implement": [
        "扎实推进{topic}各项任务落实，本月完成重点任务{n1}项，累计完成{cum}项",
        "组织开展专项督导{n1}次，实地督导县市区和重点单位{n2}个，督促问题整改",
        "开展业务培训{n1}场，培训基层工作人员{n2}人次",
        "{place}率先探索形成新做法，已在全市范围内复制推广",
        "通过政务新媒体开展政策宣传解读{n1}次，发放明白纸{n2}00余份",
        "建立工作任务清单，逐项明确责任人和完成时限，已完成{cum}项",
    ],
    "summarize": [
        "组织开展改革成效评估，形成评估报告初稿",
        "系统总结{topic}的创新举措，形成经验材料{n1}篇，报送市委改革办",
        "本月有{n1}篇改革信息被省级以上媒体和刊物采用",
        "对照改革目标开展“回头看”，查漏补缺，完善长效机制{n1}项",
        "梳理提炼可复制推广的制度成果{n1}项，形成制度汇编",
    ],
}
# When the next milestone is far off, the work follows the usual course of the deliverable:
# (phase while under 30%, under 70%, from 70%).
COURSE = {
    "政策文件": ("research", "policy", "implement"),
    "制度机制": ("plan", "mechanism", "summarize"),
    "改革试点": ("plan", "pilot", "summarize"),
    "经验做法": ("plan", "implement", "summarize"),
}
LEADER_VISITS = [
    "领衔市级领导{leader}同志到{place}专题调研，听取工作汇报，对下步工作提出明确要求",
    "领衔市级领导{leader}同志主持召开专题调度会议，研究解决{n1}个重点难点问题",
]

# Evidence for a milestone reached late, by phase (milestones done on time keep the ledger's).
EVIDENCE = {
    "research": "调研报告已形成",
    "plan": "方案已印发实施",
    "policy": "政策文件已印发实施",
    "mechanism": "工作机制已建立并运行",
    "pilot": "试点已运行，阶段性总结已报送",
    "implement": "相关任务已落实，佐证材料已报送市委改革办",
    "summarize": "评估报告已报送市委改革办",
}

STALLED_NOW = ["方案仍在修改完善中", "正在履行审批程序", "相关工作正在加紧推进", "正在与有关部门会商"]
STALL_CAUSES = [
    "上级政策调整",
    "部门间意见分歧较大",
    "项目用地手续办理滞后",
    "配套资金未及时到位",
    "相关业务系统开发进度滞后",
]

PROBLEMS = {
    "early": [
        "部分县市区对改革任务认识不到位，工作进展不平衡",
        "改革涉及部门较多，部门间协同配合机制有待健全",
        "可借鉴的经验做法不多，方案论证还需进一步深化",
        "相关政策依据尚不充分，需加强与省直部门对接",
    ],
    "middle": [
        "试点范围较小，改革成效还不够明显",
        "部门间数据共享存在壁垒，部分业务系统尚未完全打通",
        "配套资金保障不足，部分项目推进较慢",
        "基层专业力量不足，业务能力有待提升",
        "企业和群众对改革政策的知晓度还不高",
    ],
    "late": [
        "经验提炼的深度和系统性不够，可复制推广的成果还不多",
        "改革成效评估指标体系还不完善",
        "个别配套政策落地见效较慢",
        "长效机制还需在实践中进一步检验完善",
    ],
}

NEXT = {
    "research": ["加快完成调研报告，为制定方案提供依据", "深化专题研究，形成改革思路和路径"],
    "plan": ["抓紧修改完善方案，按程序报批后印发实施", "细化配套措施，确保方案可操作、可落地"],
    "policy": ["加快履行审查审议程序，推动政策文件尽快出台", "做好政策解读和宣传，推动政策直达快享"],
    "mechanism": ["健全完善工作推进机制，强化统筹调度", "压实各责任单位职责，推动机制高效运转"],
    "pilot": ["扩大试点覆盖面，及时总结试点经验", "针对试点中发现的问题优化流程，提升试点成效"],
    "implement": ["压茬推进各项任务落实，加强跟踪问效", "加大督导力度，推动各项措施落地见效"],
    "summarize": ["加快总结提炼经验做法，积极争取上级刊发推广", "开展改革成效评估，巩固提升改革成果"],
}
NEXT_GENERAL = [
    "加强与{co}的沟通对接，形成工作合力",
    "加大宣传推介力度，营造良好改革氛围",
    "强化督导调度，确保各项任务按时保质完成",
    "及时研究解决推进中遇到的新情况新问题",
]
COORDINATION = [
    "请{co}在数据共享和业务协同方面给予支持",
    "恳请市财政局对{topic}工作经费给予保障",
    "建议市委改革办牵头协调{co}进一步明确职责分工",
    "需协调省直有关部门在政策层面给予指导支持",
]
CONTRIBUTION = [
    "按照职责分工，本月提供相关数据{n2}条，参加专题会议{n1}次",
    "对牵头单位起草的方案提出修改意见{n1}条，均已反馈",
    "在本系统开展政策宣传解读，组织业务培训{n1}场",
    "配合开展联合督导{n1}次，对发现的问题督促整改",
]

# The first version of a report the office sends back: says nothing (形式主义).
VAGUE = {
    "progress": "本月，我单位高度重视{topic}工作，按照既定方案扎实推进各项任务，各项工作进展顺利，取得了积极成效。",
    "problems": "无。",
    "next_steps": "继续抓好各项任务落实。",
}
OFFICE_RETURNS = [
    "进展表述笼统，请补充具体举措和量化数据",
    "本月进展未体现实质性工作，请对照时间节点补充完成情况",
    "存在问题和下步计划过于原则，请结合实际修改完善",
]
COPY_RETURN = "本月进展与上月报告基本雷同，请如实反映本月新进展"
WRONG_PERCENT_RETURN = "完成进度与实际进展不符，请核实后重新填报"
HEAD_RETURNS = [
    "请补充本月具体工作成效和量化数据",
    "数据口径需与业务科室核实后再报",
    "表述不够规范，请修改后再报",
]


def topic_of(title: str) -> str:
    """The subject of an item's title, for sentences like "围绕{topic}…"."""
    clause = title.split("，")[0]
    topic = clause
    for _ in range(2):
        verb = next((v for v in VERBS if topic.startswith(v)), "")
        if not verb:
            break
        topic = topic[len(verb) :]
    return topic if len(topic) >= 4 else clause


def phase_of(milestone_title: str) -> str:
    """The kind of work a milestone stands for, judged from its title."""
    t = milestone_title
    if "调研" in t:
        return "research"
    if "政策" in t:
        return "policy"
    if any(w in t for w in ("评估", "总结", "经验", "制度成果")):
        return "summarize"
    if "方案" in t or "规划" in t:
        return "plan"
    if "机制" in t or "专班" in t:
        return "mechanism"
    if "试点" in t and "运行" in t:
        return "pilot"
    return "implement"


def course_phase(deliverable: str, percent: int) -> str:
    """The phase an item of this deliverable is usually in at this percent."""
    course = COURSE.get(deliverable.split("、")[0], COURSE["经验做法"])
    return course[0] if percent < 30 else course[1] if percent < 70 else course[2]


def md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def enumerate_zh(parts: list[str]) -> str:
    """ "一是……；二是……。" (or one plain sentence)."""
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0] + "。"
    return "；".join(f"{ORDINALS[i]}是{p}" for i, p in enumerate(parts)) + "。"


@dataclass
class Subject:
    """What the writer knows about an item and keeps between months."""

    title: str
    deliverable: str
    co: list[str]
    leaders: list[str]
    places: list[str]
    cum: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def topic(self) -> str:
        return topic_of(self.title)


@dataclass
class Target:
    """A milestone as the writer sees it: the one worked on, or one reached this month."""

    title: str
    due: date | None
    evidence: str = ""
    done: date | None = None
    late: bool = False  # reached after its due date


class Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _fill(self, s: Subject, template: str, key: str) -> str:
        rng = self.rng
        places = s.places if len(s.places) >= 2 else [*s.places, "基层", "一线"]
        place, place2 = rng.sample(places, 2)
        n1, n2 = rng.randint(2, 6), rng.randint(12, 68)
        s.cum[key] = s.cum.get(key, rng.randint(5, 20)) + n1 + (n2 if "{cum}件" in template else 0)
        topic = s.topic
        return template.format(
            topic=topic,
            doc=f"《{topic}实施方案》",
            policy=f"《关于{topic}的若干措施》",
            place=place,
            place2=place2,
            city=rng.choice(STUDY_CITIES),
            meeting=rng.choice(MEETINGS),
            co=rng.choice(s.co) if s.co else "有关部门",
            leader=rng.choice(s.leaders) if s.leaders else "",
            n1=n1,
            n2=n2,
            n3=rng.randint(1, 5),
            cum=s.cum[key],
            pct=rng.randint(15, 45),
            sat=rng.randint(93, 99),
        )

    def report(
        self,
        s: Subject,
        *,
        reached: list[Target],
        working_on: Target | None,
        stalled: bool,
        percent: int,
        day: date,
    ) -> dict[str, str]:
        """The text fields of a report written on `day`."""
        next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        rng = self.rng
        progress: list[str] = []
        for t in reached:
            late = "滞后的" if t.late else ""
            done = t.done or next_month
            progress.append(
                f"{late}“{t.title}”节点已于{md(done)}完成，{t.evidence or EVIDENCE[phase_of(t.title)]}"
            )
        if percent == 100:
            progress.append(f"{s.topic}各项改革任务已全面完成，改革目标如期实现")
            return {
                "progress": enumerate_zh(progress),
                "problems": "无。",
                "next_steps": enumerate_zh(
                    ["巩固改革成果，做好经验总结和宣传推广", "跟踪政策落实效果，推动形成长效机制"]
                ),
                "coordination": "",
            }
        # The milestone in hand sets the work when it is near; otherwise the usual course does.
        near = working_on and working_on.due and (working_on.due - day).days <= 75
        phase = phase_of(working_on.title) if working_on and near else course_phase(s.deliverable, percent)
        if stalled and working_on:
            due = f"（计划{working_on.due.month}月底前完成）" if working_on.due else ""
            progress.append(f"“{working_on.title}”节点{due}尚未完成，目前{rng.choice(STALLED_NOW)}")
        want = max(rng.choice([2, 3]) - len(progress), 1)
        for template in rng.sample(PROGRESS[phase], min(want, len(PROGRESS[phase]))):
            progress.append(self._fill(s, template, phase))
        if s.leaders and rng.random() < 0.2:
            progress.append(self._fill(s, rng.choice(LEADER_VISITS), "leader"))

        stage = "early" if percent < 35 else "middle" if percent < 75 else "late"
        kept = [p for p in s.problems if rng.random() < 0.5][:1]
        fresh = [p for p in PROBLEMS[stage] if p not in kept]
        problems = kept + rng.sample(fresh, 1 if kept else rng.choice([1, 2]))
        if stalled and working_on:
            problems.insert(0, f"受{rng.choice(STALL_CAUSES)}影响，“{working_on.title}”节点未能按期完成")
        s.problems = problems

        steps = []
        if working_on:
            if stalled:
                steps.append(f"倒排工期、挂图作战，力争{next_month.month}月底前完成“{working_on.title}”节点")
            else:
                by = (
                    f"，确保{working_on.due.month}月底前完成"
                    if working_on.due and working_on.due.year == next_month.year
                    else ""
                )
                steps.append(f"围绕“{working_on.title}”节点，{rng.choice(NEXT[phase])}{by}")
        else:
            steps.append(rng.choice(NEXT[phase]))
        steps.append(self._fill(s, rng.choice(NEXT_GENERAL), "next"))

        coordination = ""
        if rng.random() < (0.4 if stalled else 0.08):
            coordination = self._fill(s, rng.choice(COORDINATION), "coordination") + "。"
        return {
            "progress": enumerate_zh(progress),
            "problems": enumerate_zh(problems),
            "next_steps": enumerate_zh(steps),
            "coordination": coordination,
        }

    def vague(self, s: Subject) -> dict[str, str]:
        return {k: v.format(topic=s.topic) for k, v in VAGUE.items()} | {"coordination": ""}

    def contribution(self, s: Subject) -> str:
        return self._fill(s, self.rng.choice(CONTRIBUTION), "contribution") + "。"
