"""The demo city's consultation of 2023, played through the real services and dated: one session in
September hearing the democratic parties, the federation of industry and commerce and people without
party affiliation, and its suggestions at every stage on the demo's day:

- 民盟's, on group schooling (市教育局): adopted, closed, the reply letter issued in November;
- 民建's, on approvals (市行政审批服务局): partly adopted and closed, the reply still to send;
- 工商联's, on private firms' requests (市发展改革委): answered and signed, waiting for the office's 办结;
- 农工党's, on county medical groups (岱岳区): answered, waiting for the unit head's sign-off;
- 九三学社's, on scientists' shares in state firms (市国资委): assigned in November, being handled;
- a person without party affiliation's, on idle rural homesteads: heard, not yet assigned.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from gandang.core import registry
from gandang.core.backdate import aware, dated
from gandang.matters import consult_services, services
from gandang.matters.demo import at
from gandang.matters.models import Consultation, Matter, Party, ReplyLetter, Suggestion
from gandang.org.models import Unit, User

STAMPS = ((Consultation, "created_at"), (Suggestion, "created_at"), (ReplyLetter, "created_at"))

# The city's organisations of the parties, as its reply letters name them.
FULL_NAMES = {
    "民革": "民革泰安市委会",
    "民盟": "民盟泰安市委会",
    "民建": "民建泰安市委会",
    "民进": "民进泰安市委会",
    "农工党": "农工党泰安市委会",
    "九三学社": "九三学社泰安市委会",
    "工商联": "泰安市工商联",
}

# (party, person, title, text, unit, how far it got)
SUGGESTIONS = [
    (
        "民盟",
        "刘慧敏",
        "推进集团化办学改革扩面提质",
        "建议以优质学校为龙头组建紧密型教育集团，统筹集团内师资、课程和评价，3年内实现城区义务教育学校集团化办学全覆盖。",
        "市教育局",
        "replied",
    ),
    (
        "民建",
        "孙家栋",
        "深化涉企审批“一业一证”改革",
        "建议将“一业一证”改革由目前的25个行业扩展到50个行业，推行行业综合许可证“一证准营”，并实现跨区域互认。",
        "市行政审批服务局",
        "closed",
    ),
    (
        "工商联",
        "陈立群",
        "建立民营企业诉求直达快办机制",
        "建议设立民营企业诉求“直通车”，对企业反映的问题实行统一受理、分类转办、限时办结、结果反馈的闭环管理。",
        "市发展改革委",
        "signed",
    ),
    (
        "农工党",
        "周雅琴",
        "推进紧密型县域医共体建设",
        "建议以县级医院为龙头，整合乡镇卫生院和村卫生室，推行人员统筹、药品统配、医保总额付费，提升基层服务能力。",
        "岱岳区",
        "submitted",
    ),
    (
        "九三学社",
        "吴振宇",
        "国有企业混合所有制改革中探索科技人才持股",
        "建议在市属国有科技型企业混合所有制改革中，试点核心科技人才和管理骨干持股，建立长效激励约束机制。",
        "市国资委",
        "draft",
    ),
    (
        "无党派人士",
        "王立新",
        "盘活农村闲置宅基地和农房",
        "建议在有条件的乡镇开展闲置宅基地和农房盘活利用试点，发展乡村民宿、康养等新业态，增加农民财产性收入。",
        "",
        "received",
    ),
]

ANSWERS = {
    "市教育局": (
        "已印发《关于推进集团化办学的实施意见》，组建教育集团18个，覆盖城区义务教育学校86所，"
        "集团内推行教师统一调配、课程共建共享和捆绑考核。",
        "adopted",
        "建议符合我市教育改革方向，已纳入年度重点改革任务并全面落实。",
    ),
    "市行政审批服务局": (
        "已将“一业一证”改革扩展到40个行业，累计发放行业综合许可证3200余张；跨区域互认正与省内相关城市协商。",
        "partly",
        "扩面部分已落实；跨区域互认涉及省级统筹，已向省审批服务局提出建议，留待条件成熟后推进。",
    ),
    "市发展改革委": (
        "已依托12345热线设立民营企业诉求专线，建立“受理—转办—督办—反馈—评价”闭环机制，10月以来办结企业诉求416件。",
        "adopted",
        "建议切实可行，已建立相应工作机制。",
    ),
    "岱岳区": (
        "已组建区人民医院牵头的医共体，整合12家乡镇卫生院，推行人员、药品、财务统一管理，医保总额付费改革正在测算。",
        "partly",
        "医共体已组建；医保总额付费需市级统筹，正在会同市医保局研究。",
    ),
}


def _dated(day: date, hour: int, call: Callable[[], Any]) -> Any:
    """Run a service call on `day` and date what it wrote then (matters' rows and the consultation's)."""
    with dated(aware(day, hour), *STAMPS):
        return at(day, hour, call)


def _person(unit: Unit, role: str) -> User | None:
    return User.objects.filter(unit=unit, role=role, is_active=True).first()


def build_step(run: registry.DemoRun) -> None:
    """This part of the demo city (registered in the app's AppConfig.ready())."""
    office: User = run.results["office"]
    year = run.today.year
    for name, full in FULL_NAMES.items():
        Party.objects.filter(name=name, full_name="").update(full_name=full)
    parties = {p.name: p for p in Party.objects.all()}
    heard = [p for name, p in parties.items() if name in {s[0] for s in SUGGESTIONS} | {"民进", "民革"}]
    session = _dated(
        date(year, 9, 8),
        17,
        lambda: consult_services.consultation_create(
            actor=office,
            data=consult_services.ConsultationInput(
                title=f"{year}年全面深化改革协商座谈会",
                on=date(year, 9, 8),
                place="市委第一会议室",
                host="市委副书记高振华",
                parties=heard,
                attendees="各民主党派市委会、市工商联负责同志及无党派人士代表共16人；市委改革办、有关市直部门负责同志列席。",
            ),
        ),
    )
    for party, person, title, text, unit_name, stage in SUGGESTIONS:
        add = partial(
            consult_services.suggestion_add,
            actor=office,
            consultation=session,
            party=parties[party],
            person=person,
            title=title,
            text=text,
        )
        sug = _dated(date(year, 9, 11), 10, add)
        unit = Unit.objects.filter(name=unit_name).first()
        if stage != "received" and unit is not None:
            _play(run, office, sug, unit, stage)
    n = Suggestion.objects.count()
    run.results["consultation"] = n
    run.say(
        f"已录入协商座谈会 1 次、意见建议 {n} 条（待交办、办理中、待签发、待办结、待答复、已答复各有），"
        f"答复函 {ReplyLetter.objects.count()} 件"
    )


def _play(run: registry.DemoRun, office: User, sug: Suggestion, unit: Unit, stage: str) -> None:
    year = run.today.year
    early = stage in ("replied", "closed")
    assigned_on = date(year, 9, 15) if early or stage == "signed" else date(year, 11, 10)
    deadline = date(year, 10, 31) if early else date(year, 12, 20)
    m: Matter = _dated(
        assigned_on,
        15,
        lambda: consult_services.suggestion_assign(
            actor=office, suggestion=sug, assignment=services.Assignment(unit=unit, deadline=deadline)
        ),
    )
    if stage == "draft" or unit.name not in ANSWERS:
        return
    answer, outcome, reason = ANSWERS[unit.name]
    liaison, head = _person(unit, User.Role.LIAISON), _person(unit, User.Role.HEAD)
    if liaison is None:
        return
    answered = {
        "replied": date(year, 10, 20),
        "closed": date(year, 10, 25),
        "signed": date(year, 11, 28),
    }.get(stage, date(year, 12, 1))
    _dated(
        answered,
        10,
        lambda: services.matter_save(
            actor=liaison, matter=m, answer=answer, outcome=outcome, outcome_reason=reason
        ),
    )
    _dated(answered, 11, lambda: services.matter_step(actor=liaison, matter=m, action="submit"))
    if stage == "submitted":
        return
    if head is not None:
        signed_on = answered + timedelta(days=1)
        _dated(signed_on, 9, lambda: services.matter_step(actor=head, matter=m, action="approve"))
    if stage == "signed":
        return
    closed_on = answered + timedelta(days=6)
    _dated(
        closed_on,
        16,
        lambda: services.matter_step(actor=office, matter=m, action="close", reason="办理到位，答复党派"),
    )
    if stage != "replied":
        return
    sug = Suggestion.objects.select_related("consultation", "party", "matter__unit").get(pk=sug.pk)
    draft = consult_services.reply_draft(sug)
    _dated(
        closed_on + timedelta(days=8),
        10,
        lambda: consult_services.reply_issue(
            actor=office,
            suggestion=sug,
            title=draft.title,
            recipient=draft.recipient,
            body=draft.body,
            copy_to=draft.copy_to,
            sent_via="机要交换",
        ),
    )
