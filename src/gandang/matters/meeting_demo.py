"""The demo city's reform-committee meetings of 2023, played through the real services and dated.

- 第三次会议 (28 November): two units' topics on the agenda (one returned first for its materials), four
  sit-in observers (a deputy and a CPPCC member heard, an enterprise representative absent), minutes issued
  on 1 December (泰改纪〔2023〕N号), three decisions: one tracked as a matter of the 市发展改革委 (answered, signed and closed by 5 December), one made a
  ledger item of the 岱岳区 that joins December's dispatch, one not yet dispatched; a deputy's comment
  assigned to the 市行政审批服务局;
- 第四次会议, in preparation for 26 December: an office topic and a unit's on the agenda, a unit's topic
  waiting for review (the office's to-do), observers invited; its page lists the third meeting's
  decisions still open, first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gandang.core import clock, registry
from gandang.core.backdate import aware, dated
from gandang.ledger.models import Item, Plan
from gandang.matters import meeting_services as ms
from gandang.matters import services
from gandang.matters.demo import at as at_matter  # also dates the moments a step stamps on the matter
from gandang.matters.meeting_models import Decision, Meeting, Observer, ObserverComment, Topic, TopicMaterial
from gandang.matters.models import Matter, MatterStep
from gandang.notifications.models import Notification
from gandang.org.models import Leader, Unit, User

STAMPS = (
    (Item, "created_at"),  # the ledger item a decision becomes (立项)
    (Item, "updated_at"),
    (Meeting, "created_at"),
    (Topic, "created_at"),
    (TopicMaterial, "at"),
    (Observer, "created_at"),
    (ObserverComment, "created_at"),
    (Decision, "created_at"),
    (Matter, "created_at"),
    (MatterStep, "at"),
    (Notification, "created_at"),
)


def at(day: date, hour: int, call: Callable[[], Any]) -> Any:
    """Run a service call on `day` (the product's clock pinned to it) and date what it wrote then."""
    with clock.pinned(day), dated(aware(day, hour), *STAMPS):
        return call()


def _material(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf"
    )


def build_step(run: registry.DemoRun) -> None:
    """This part of the demo city (registered in the matters app's ready())."""
    office: User = run.results["office"]
    year = run.today.year
    units = {
        u.name: u
        for u in Unit.objects.filter(name__in=["市发展改革委", "岱岳区", "市行政审批服务局", "市国资委"])
    }
    fgw, dy, xzsp = units.get("市发展改革委"), units.get("岱岳区"), units.get("市行政审批服务局")
    if fgw is None or dy is None or xzsp is None:  # a city without the seed's units
        return
    liaison: dict[Unit, User] = {}
    for u in (fgw, dy, xzsp):
        person = User.objects.filter(unit=u, role=User.Role.LIAISON, is_active=True).first()
        if person is None:
            return
        liaison[u] = person
    chair = Leader.objects.filter(name="高振华").first()
    attendees = "市委全面深化改革委员会主任、副主任、委员；市委改革办主要负责同志；各专项小组联系单位负责同志"

    # The third meeting: prepared in November, held on the 28th, minutes issued on 1 December.
    third = at(
        date(year, 11, 6),
        10,
        lambda: ms.meeting_create(
            actor=office,
            data=ms.MeetingInput(
                number=3, held_on=date(year, 11, 28), place="市委第一会议室", chair=chair, attendees=attendees
            ),
        ),
    )
    t1 = at(
        date(year, 11, 10),
        15,
        lambda: ms.topic_propose(
            actor=liaison[fgw],
            meeting=third,
            title="关于深化要素市场化配置改革推进情况的汇报",
            summary="汇报全市要素市场化配置改革进展、存在问题和下步打算。",
        ),
    )
    at(
        date(year, 11, 10),
        15,
        lambda: ms.material_add(actor=liaison[fgw], topic=t1, upload=_material("要素市场化配置改革汇报.pdf")),
    )
    t2 = at(
        date(year, 11, 13),
        9,
        lambda: ms.topic_propose(
            actor=liaison[dy], meeting=third, title="岱岳区乡村振兴片区建设改革方案（送审稿）"
        ),
    )
    at(date(year, 11, 14), 10, lambda: ms.topic_step(actor=office, topic=t1, action="accept"))
    at(
        date(year, 11, 14),
        10,
        lambda: ms.topic_step(
            actor=office, topic=t2, action="return", reason="请补充方案起草说明和征求意见情况"
        ),
    )
    at(
        date(year, 11, 16),
        16,
        lambda: ms.material_add(actor=liaison[dy], topic=t2, upload=_material("起草说明及征求意见情况.pdf")),
    )
    at(date(year, 11, 16), 16, lambda: ms.topic_step(actor=liaison[dy], topic=t2, action="resubmit"))
    at(date(year, 11, 17), 9, lambda: ms.topic_step(actor=office, topic=t2, action="accept"))
    observers = [
        ("npc", "刘建民", "市人大代表、泰山区某社区党委书记", "present"),
        ("cppcc", "孙晓梅", "市政协委员、民盟泰安市委副主委", "present"),
        ("enterprise", "周国强", "泰安某新材料公司董事长", "absent"),
        ("unit", "市审计局", "列席单位", "present"),
    ]
    made: dict[str, Observer] = {}
    for kind, name, affiliation, _end in observers:
        made[name] = at(
            date(year, 11, 20),
            10,
            partial(
                ms.observer_add, actor=office, meeting=third, kind=kind, name=name, affiliation=affiliation
            ),
        )
        at(
            date(year, 11, 22),
            10,
            partial(ms.observer_step, actor=office, observer=made[name], action="confirm"),
        )
    at(date(year, 11, 28), 9, lambda: ms.meeting_hold(actor=office, meeting=third))
    for _kind, name, _affiliation, end in observers:
        at(
            date(year, 11, 28),
            9,
            partial(ms.observer_step, actor=office, observer=made[name], action=end),
        )
    deputy = at(
        date(year, 11, 28),
        11,
        lambda: ms.comment_add(
            actor=office,
            observer=made["刘建民"],
            text="建议进一步压减企业开办和工程建设项目审批环节，推行“一件事一次办”，让群众少跑腿。",
        ),
    )
    at(
        date(year, 11, 28),
        11,
        lambda: ms.comment_add(
            actor=office, observer=made["孙晓梅"], text="建议在改革方案出台前广泛听取民主党派和基层群众意见。"
        ),
    )
    decisions = [
        (
            "市发展改革委牵头，会同有关部门于12月底前制定要素市场化配置改革三年行动方案，报市委深改委审议。",
            fgw,
            date(year, 12, 31),
        ),
        (
            "岱岳区抓紧完善乡村振兴片区建设改革方案，列入明年全市重点改革任务，按月调度推进。",
            dy,
            date(year + 1, 6, 30),
        ),
        (
            "市行政审批服务局牵头研究“一件事一次办”改革扩面提质措施，下次会议汇报。",
            xzsp,
            date(year + 1, 1, 31),
        ),
    ]
    made_decisions = [
        at(
            date(year, 11, 29),
            10,
            partial(
                ms.decision_add,
                actor=office,
                meeting=third,
                data=ms.DecisionInput(text=text, unit=unit, deadline=deadline),
            ),
        )
        for text, unit, deadline in decisions
    ]
    at(
        date(year, 11, 30),
        15,
        lambda: ms.minutes_save(
            actor=office,
            meeting=third,
            text=(
                "会议听取了市发展改革委关于深化要素市场化配置改革推进情况的汇报，审议了《岱岳区乡村振兴片区建设改革方案（送审稿）》。"
                "市人大代表、市政协委员等列席旁听并发表意见。\n"
                "# 会议认为\n"
                "今年以来全市改革工作总体进展顺利，要素市场化配置、乡村振兴等重点改革取得阶段性成效。\n"
                "# 会议要求\n"
                "各牵头单位要对照议定事项，明确责任人和完成时限，按时报送落实情况。"
            ),
        ),
    )
    third = at(date(year, 12, 1), 10, lambda: ms.minutes_issue(actor=office, meeting=third))
    first = at(date(year, 12, 1), 11, lambda: ms.decision_to_matter(actor=office, decision=made_decisions[0]))
    # The 市发展改革委 carries it out at once: the draft plan goes to the fourth meeting, the office closes it.
    head = User.objects.filter(unit=fgw, role=User.Role.HEAD, is_active=True).first()
    if head is not None:
        at_matter(
            date(year, 12, 4),
            10,
            lambda: services.matter_save(
                actor=liaison[fgw],
                matter=first,
                answer="已会同市自然资源和规划局、市人力资源社会保障局等部门起草《要素市场化配置改革三年行动方案（征求意见稿）》，"
                "已征求各县市区和市直有关部门意见，提请市委深改委第四次会议审议。",
            ),
        )
        at_matter(
            date(year, 12, 4),
            11,
            lambda: services.matter_step(actor=liaison[fgw], matter=first, action="submit"),
        )
        at_matter(
            date(year, 12, 4), 15, lambda: services.matter_step(actor=head, matter=first, action="approve")
        )
        at_matter(
            date(year, 12, 5),
            9,
            lambda: services.matter_step(
                actor=office, matter=first, action="close", reason="方案已按期提请审议，办结"
            ),
        )
    plan = Plan.objects.filter(year=year, is_archived=False, parent__isnull=True).order_by("pk").first()
    if plan is not None:
        at(
            date(year, 12, 1),
            11,
            lambda: ms.decision_itemize(
                actor=office,
                decision=made_decisions[1],
                plan=plan,
                code="HY3-2",
                title="岱岳区乡村振兴片区建设改革",
            ),
        )
    at(
        date(year, 12, 1),
        14,
        lambda: ms.comment_assign(
            actor=office, comment=deputy, assignment=ms.Assignment(unit=xzsp, deadline=date(year, 12, 29))
        ),
    )

    # The fourth meeting, in preparation: its agenda starts with the third meeting's open decisions.
    fourth = at(
        date(year, 12, 2),
        9,
        lambda: ms.meeting_create(
            actor=office,
            data=ms.MeetingInput(
                number=4, held_on=date(year, 12, 26), place="市委第一会议室", chair=chair, attendees=attendees
            ),
        ),
    )
    at(
        date(year, 12, 2),
        9,
        lambda: ms.topic_propose(actor=office, meeting=fourth, title="关于前次会议议定事项落实情况的报告"),
    )
    t3 = at(
        date(year, 12, 4),
        16,
        lambda: ms.topic_propose(
            actor=liaison[xzsp], meeting=fourth, title="关于“一件事一次办”改革扩面提质的汇报"
        ),
    )
    at(date(year, 12, 5), 9, lambda: ms.topic_step(actor=office, topic=t3, action="accept"))
    at(
        date(year, 12, 5),
        10,
        lambda: ms.topic_propose(
            actor=liaison[fgw], meeting=fourth, title="要素市场化配置改革三年行动方案（征求意见稿）"
        ),
    )
    for kind, name, affiliation in (
        ("npc", "刘建民", "市人大代表"),
        ("citizen", "赵桂兰", "群众代表、社区居民"),
    ):
        at(
            date(year, 12, 4),
            10,
            partial(
                ms.observer_add, actor=office, meeting=fourth, kind=kind, name=name, affiliation=affiliation
            ),
        )
    run.results["meetings"] = Meeting.objects.count()
    run.say(
        f"已录入深改委会议 {Meeting.objects.count()} 次（议题 {Topic.objects.count()} 项，列席旁听 {Observer.objects.count()} 人次，"
        f"议定事项 {Decision.objects.count()} 项），纪要{third.doc_number}已印发"
    )
