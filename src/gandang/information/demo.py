"""The demo city's reform information of 2023 and its periodical, played through the real services and
dated: the five units with liaison accounts send a piece or two every month from January, each on its own
subject; the office adopts most, files some for reference (存档, not adopted) and returns a few with a
reason; the adopted ones are printed in four issues of 《泰安改革》
(March, June, September, November: 总第121期 to 总第124期, the office's earlier issues counted), and a fifth
is being compiled on the demo's day. In December some pieces are still on their way (a draft, one
waiting for the unit head, one waiting for the office). One adopted piece was raised into an experience.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from gandang.achievements.models import Experience
from gandang.core import clock, registry
from gandang.core.backdate import aware, dated
from gandang.information import partner_services, services
from gandang.information.models import Issue, PartnerUse, PeriodicalSettings, Piece, PieceStep
from gandang.notifications.models import Notification
from gandang.org.models import Unit, User

STAMPS = (
    (Piece, "created_at"),
    (PieceStep, "at"),
    (Issue, "created_at"),
    (Notification, "created_at"),
    (Experience, "created_at"),
    (PartnerUse, "created_at"),
)

# (unit, liaison, head or "") with the subjects of their information, a month each in turn.
SOURCES: list[tuple[str, str, str, list[str]]] = [
    (
        "市发展改革委",
        "liaison_fgw",
        "head_fgw",
        [
            "推行重大项目“拿地即开工”审批模式",
            "建立民营企业诉求“直通车”机制",
            "公共资源交易全流程电子化实现全覆盖",
            "全面推行项目建设“承诺制+标准地”改革",
            "盐穴储能储气项目纳入省级新型储能示范",
            "社会信用体系建设示范城市创建取得新进展",
            "重点项目“要素跟着项目走”保障机制见效",
            "上半年民间投资项目推介签约38个",
            "推行政府投资项目全生命周期管理",
            "价格机制改革助力新能源消纳",
            "“信易贷”平台累计授信突破百亿元",
            "建立重点项目“红黄绿”预警调度机制",
            "碳排放权交易配套改革稳步推进",
            "营商环境评价反馈问题整改清零",
            "年度重大改革项目清单化推进总结",
        ],
    ),
    (
        "岱岳区",
        "liaison_dy",
        "head_dy",
        [
            "农村集体经营性建设用地入市试点落地首宗",
            "“强村共富”片区化发展带动42个村增收",
            "县域医共体改革让群众就近看好病",
            "探索宅基地“三权分置”有效实现形式",
            "推进乡村振兴片区建设“五个一”机制",
            "农村产权交易平台实现镇街全覆盖",
            "“网格+警格”融合治理模式见实效",
            "设立企业服务专员包联重点企业",
            "土地经营权入股发展农业产业化联合体",
            "推行“一村一法律顾问”全覆盖",
            "党建引领物业服务进小区",
            "开发区“管委会+公司”改革激发活力",
            "农村生活污水治理运维机制创新",
            "基层“一件事”综合窗口改革全面推开",
            "村级议事协商“众议众调”全域推广",
        ],
    ),
    (
        "市教育局",
        "liaison_jyj",
        "",
        [
            "集团化办学覆盖城区义务教育学校八成以上",
            "推行思政首课负责制",
            "中小学课后服务实现“应托尽托”",
            "县管校聘改革激发教师队伍活力",
            "新建改扩建中小学幼儿园24所",
            "“双减”背景下作业设计改革成效明显",
            "职普融通试点学校增至6所",
            "教师“区管校聘”交流轮岗比例达20%",
            "智慧教育平台覆盖全市中小学",
            "推行义务教育招生入学“一网通办”",
            "家校社协同育人机制逐步健全",
            "学前教育普及普惠县区创建通过省级评估",
            "中小学校长职级制改革试点启动",
            "教育评价改革“十条措施”落地",
            "义务教育学区制管理改革试点启动",
        ],
    ),
    (
        "市行政审批服务局",
        "liaison_spj",
        "",
        [
            "“一业一证”改革扩展至50个行业",
            "企业开办实现“一日办结”常态化",
            "推行“高效办成一件事”集成服务",
            "跨省通办事项扩大到160项",
            "工程建设项目审批“多测合一”全面实施",
            "推行告知承诺制审批事项清单管理",
            "政务服务“帮办代办”覆盖重点项目",
            "电子证照在高频事项中全面应用",
            "“无证明城市”建设取消证明材料126项",
            "企业简易注销实现“一网通办”",
            "个体工商户登记“智能审批”上线",
            "“周末不打烊”政务服务常态化运行",
            "审批服务“好差评”整改率达100%",
            "投资项目在线审批监管平台全流程应用",
            "“秒批秒办”事项扩展到85项",
        ],
    ),
    (
        "市国资委",
        "liaison_gzw",
        "",
        [
            "国企改革深化提升行动开局良好",
            "市属企业经理层成员任期制和契约化管理全覆盖",
            "科技型企业实施股权和分红激励",
            "市属国有企业战略性重组整合完成三户",
            "国企混合所有制改革引入社会资本12亿元",
            "推行国有资本投资运营公司改革试点",
            "市属企业“三项制度”改革纵深推进",
            "国有企业监督“大监督”体系建立",
            "处置低效无效资产盘活存量资源",
            "国企研发投入同比增长两成",
            "市属企业董事会应建尽建配齐建强",
            "推进国有企业数字化转型试点",
            "国企降杠杆减负债取得阶段性成效",
            "国有企业“双百行动”综合改革评估优秀",
            "市属企业年度经营业绩考核办法修订出台",
        ],
    ),
]

# The office returns these (unit index, month) with a reason; they come back and are adopted later.
RETURNED = {
    (0, 2): "请补充改革前后对比数据",
    (3, 5): "与5月已采用信息重复，请突出新做法",
    (1, 8): "请补充典型案例",
}
# Not adopted: sent, and still waiting for the office at the year's end (unit index, month).
WAITING = {(2, 11), (4, 11)}
ISSUES = [(date(2023, 3, 29), "优化营商环境"), (date(2023, 6, 28), "乡村振兴"), (date(2023, 9, 27), "国企改革"),
          (date(2023, 11, 29), "改革攻坚")]  # fmt: skip


def _on(day: date, hour: int, call: Callable[[], Any]) -> Any:
    when = aware(day, hour)
    if isinstance(call, partial) and call.func is services.piece_step:
        # The step's own times (报送, 采用) at the demo's hour, not the machine's time of day.
        call = partial(call, now=when)
    with clock.pinned(day), dated(when, *STAMPS):
        return call()


def _text(unit: str, title: str, month: int) -> str:
    return "\n".join(
        [
            f"今年以来，{unit}围绕{title}，坚持问题导向、目标导向，细化任务清单和责任分工，推动改革举措落地见效。",
            f"一是强化统筹推进。成立工作专班，建立周调度、月通报机制，{month}月份召开专题推进会，协调解决堵点问题。",
            "二是突出制度创新。对标先进地区经验，出台配套文件，形成一批可复制可推广的制度成果。",
            "三是注重实效检验。建立群众和企业评价机制，改革成效得到服务对象普遍认可。",
        ]
    )


def build_step(run: registry.DemoRun) -> None:
    office: User = run.results["office"]
    people = {u.username: u for u in User.objects.filter(username__startswith=("liaison_"))}
    people |= {u.username: u for u in User.objects.filter(username__startswith="head_")}
    sources: list[tuple[Unit, User, User | None, list[str]]] = []
    for unit_name, liaison_name, head_name, subjects in SOURCES:
        found = Unit.objects.filter(name=unit_name).first()
        if found is not None and liaison_name in people:  # a city without the seed's units: nothing to tell
            # The unit's head signs: the seed's, or whoever heads the unit (a larger demo adds heads).
            head = people.get(head_name) or User.objects.filter(unit=found, role=User.Role.HEAD).first()
            sources.append((found, people[liaison_name], head, subjects))
    if not sources:
        return
    PeriodicalSettings.objects.create(
        name="泰安改革",
        total_before=120,
        copy_to="省委改革办，市委、市政府领导同志，市委全面深化改革委员会成员单位，各县（市、区）委改革办",
    )
    last_month = run.today.month
    made = adopted = filed = 0
    sent = [0] * len(sources)  # each unit's subjects in turn: no title twice in a year
    for month in range(1, last_month + 1):
        for k, (unit, liaison, head, topics) in enumerate(sources):
            # One piece a month, two in the months a unit's turn comes round.
            count = 2 if (month + k) % 4 == 0 else 1
            for n in range(count):
                title = topics[sent[k] % len(topics)]
                sent[k] += 1
                day = date(2023, month, min(8 + 3 * k + 9 * n, 27))
                if month == last_month:  # the demo's month: its first days
                    day = date(2023, month, min(1 + k + n, run.today.day))
                if day > run.today:
                    continue
                made += 1
                text = _text(unit.name, title, month)
                # The demo's month is written in its mornings: nothing is dated after the demo's 10:30.
                h_create, h_submit, h_sign = (8, 9, 10) if month == last_month else (9, 10, 15)
                piece = _on(
                    day, h_create, partial(services.piece_create, actor=liaison, title=title, text=text)
                )
                if month == last_month and k == 0 and n == 0:
                    continue  # a draft on the demo's day
                piece = _on(
                    day, h_submit, partial(services.piece_step, actor=liaison, piece=piece, action="submit")
                )
                if head is not None:
                    if month == last_month and k == 1:
                        continue  # waiting for its unit head
                    piece = _on(
                        day, h_sign, partial(services.piece_step, actor=head, piece=piece, action="approve")
                    )
                if (k, month) in WAITING or month == last_month:
                    continue  # with the office
                office_day = date(2023, month, min(day.day + 2, 28))
                reason = RETURNED.get((k, month))
                if reason and n == 0:
                    step = partial(services.piece_step, piece=piece)
                    _on(office_day, 11, partial(step, actor=office, action="return", reason=reason))
                    more = text + "\n四是典型案例。已在全市推广，相关数据较改革前明显改善。"
                    _on(
                        office_day,
                        16,
                        partial(services.piece_update, actor=liaison, piece=piece, title=title, text=more),
                    )
                    _on(office_day, 17, partial(step, actor=liaison, action="submit"))
                    if head is not None:
                        _on(office_day, 18, partial(step, actor=head, action="approve"))
                    office_day = date(2023, month, min(office_day.day + 1, 28))
                if (month + k + n) % 3 == 2:  # read and kept for reference: not adopted
                    _on(
                        office_day, 14, partial(services.piece_step, actor=office, piece=piece, action="file")
                    )
                    filed += 1
                    continue
                _on(office_day, 14, partial(services.piece_step, actor=office, piece=piece, action="adopt"))
                adopted += 1
    issued = 0
    for on, title in ISSUES:
        if on > run.today:
            continue
        waiting = list(
            Piece.objects.filter(state=Piece.State.ADOPTED, issue__isnull=True, adopted_at__date__lte=on)
            .order_by("adopted_at", "id")
            .values_list("pk", flat=True)[:8]
        )
        if not waiting:
            continue
        issue = _on(on, 9, partial(services.issue_create, actor=office, title=title))
        _on(on, 10, partial(services.issue_add, actor=office, issue=issue, pieces=waiting))
        _on(on, 16, partial(services.issue_publish, actor=office, issue=issue, issued_on=on))
        issued += 1
    # The next issue, being compiled on the demo's day.
    rest = list(
        Piece.objects.filter(state=Piece.State.ADOPTED, issue__isnull=True)
        .order_by("adopted_at", "id")
        .values_list("pk", flat=True)[:4]
    )
    if rest:
        draft = _on(run.today, 9, partial(services.issue_create, actor=office, title="年终特刊"))
        _on(run.today, 10, partial(services.issue_add, actor=office, issue=draft, pieces=rest))
    # The seed's way from information to experience: one adopted piece raised into a 经验做法.
    first = (
        Piece.objects.filter(state=Piece.State.ADOPTED, unit__name="岱岳区").order_by("adopted_at").first()
    )
    if first is not None:
        _on(date(2023, 10, 20), 10, partial(services.piece_raise, actor=office, piece=first))
    used = _partner_uses(run)
    run.say(
        f"改革信息：{made} 条（采用 {adopted} 条，存档 {filed} 条），《泰安改革》印发 {issued} 期，两办两研采用 {used} 次"
    )


# Where the partners of 两办两研 used the issued issues' pieces: (reader, publication, issue's index among
# the issued, the piece's place in it, days after the issue, note).
USES: list[tuple[str, str, int, int, int, str]] = [
    ("partner_swb", "市委信息", 0, 0, 3, "2023年第15期"),
    ("partner_zfb", "政务信息", 1, 0, 2, "第46期"),
    ("partner_yjs", "调研参考", 1, 1, 5, "2023年第6期"),
    ("partner_swb", "市委信息", 2, 0, 4, "2023年第41期，市委主要负责同志批示肯定"),
    ("partner_zfb", "政务信息", 2, 0, 6, "第79期"),
    ("partner_zfb", "政务信息", 3, 0, 3, "第92期"),
    ("partner_yjs", "调研参考", 3, 2, 4, "2023年第11期"),
]


def _partner_uses(run: registry.DemoRun) -> int:
    """The partners' readers record their uses of pieces printed in 《泰安改革》, a few days after each issue."""
    readers = {u.username: u for u in User.objects.filter(role=User.Role.PARTNER, unit__isnull=False)}
    issues = list(Issue.objects.filter(state=Issue.State.ISSUED).order_by("issued_on", "id"))
    n = 0
    for username, publication, index, place, after, note in USES:
        reader = readers.get(username)
        if reader is None or index >= len(issues):
            continue
        issue = issues[index]
        pieces = list(issue.pieces.order_by("position", "id"))
        if place >= len(pieces) or issue.issued_on is None:
            continue
        day = min(issue.issued_on + timedelta(days=after), run.today)
        record = partial(
            partner_services.use_record,
            actor=reader,
            piece=pieces[place],
            publication=publication,
            used_on=day,
            note=note,
        )
        _on(day, 9 if day == run.today else 15, record)
        n += 1
    return n
