"""The demo city's units, city leaders and people (every role), from the seed press conference.

The leaders and users are invented people. They share one published password. The org's part of
the demo city, registered as a demo step (gandang.core.registry) and run first by gandang.demo.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from gandang.core import audit, registry
from gandang.core.backdate import dated
from gandang.core.models import AuditEntry
from gandang.org.models import Leader, Unit, User

PASSWORD = "Gandang@2023"
SETUP_AT = datetime(2023, 2, 10, 9, 0)  # the office sets the platform up

DEPT, COUNTY, FIRM, OTHER = Unit.Kind.DEPARTMENT, Unit.Kind.COUNTY, Unit.Kind.ENTERPRISE, Unit.Kind.OTHER
PARTNER = Unit.Kind.PARTNER

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
    # The partners of the "两办两研" mechanism: readers of the office's information, never assessed. The two
    # general offices read through their information sections (which edit 《市委信息》《政务信息》), so that
    # 市委办公室 and 市政府办公室 themselves stay free to lead reform tasks a plan gives them.
    ("市委办公室信息科", "", PARTNER),
    ("市政府办公室政务信息科", "", PARTNER),
    ("市委政策研究室", "", PARTNER),
    ("市政府研究室", "", PARTNER),
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
    ("partner_swb", "邢嘉禾", User.Role.PARTNER, "市委办公室信息科", ""),
    ("partner_zfb", "晏书亭", User.Role.PARTNER, "市政府办公室政务信息科", ""),
    ("partner_yjs", "蔺予安", User.Role.PARTNER, "市政府研究室", ""),
    # 三权分立: the three administrators, none of whom reads the reform work.
    ("sysadmin", "韩志远", User.Role.SYSADMIN, "", ""),
    ("secadmin", "秦立诚", User.Role.SECADMIN, "", ""),
    ("auditadmin", "陆明澈", User.Role.AUDITADMIN, "", ""),
]


def logins() -> list[tuple[str, str, str]]:
    """(username, role label, unit) of each demo user, in the order they are printed."""
    return [(username, str(User.Role(role).label), unit) for username, _, role, unit, _ in USERS]


def office() -> User:
    return User.objects.get(username=USERS[0][0])


def counts() -> dict[str, int]:
    return {
        # The units that carry reforms; the partners of 两办两研 beside them.
        "units": Unit.objects.exclude(kind=Unit.Kind.PARTNER).count(),
        "partners": Unit.objects.filter(kind=Unit.Kind.PARTNER).count(),
        "leaders": Leader.objects.count(),
        "users": User.objects.filter(username__in=[u[0] for u in USERS]).count(),
    }


def has_people() -> bool:
    """Any unit, leader or demo username already there."""
    taken = User.objects.filter(username__in=[u[0] for u in USERS]).exists()
    return taken or Unit.objects.exists() or Leader.objects.exists()


def is_demo_or_empty(*, also_units: Collection[str] = (), also_leaders: Collection[str] = ()) -> bool:
    """No unit, leader or person the demo did not make (nor the `also_…` another demo step made)."""
    return (
        not Unit.objects.exclude(name__in=[*(name for name, _, _ in UNITS), *also_units]).exists()
        and not Leader.objects.exclude(name__in=[*(n for n, _ in LEADERS), *also_leaders]).exists()
    )


def build(run: registry.DemoRun) -> None:
    from django.utils import timezone

    with dated(timezone.make_aware(SETUP_AT)):
        units = {}
        for order, (name, aliases, kind) in enumerate(UNITS, start=1):
            units[name] = Unit.objects.create(name=name, aliases=aliases, kind=kind, sort_order=order * 10)
        leaders = {}
        for order, (name, title) in enumerate(LEADERS, start=1):
            leaders[name] = Leader.objects.create(name=name, title=title, sort_order=order * 10)
        # One hash for every demo account: they share the published password, and hashing each
        # would make the demo build slow for nothing.
        hashed = make_password(PASSWORD)
        users = []
        for username, full_name, role, unit, leader in USERS:
            user = User(
                username=username,
                full_name=full_name,
                role=role,
                unit=units.get(unit),
                leader=leaders.get(leader),
                date_joined=timezone.make_aware(SETUP_AT),
            )
            validate_password(PASSWORD, user)
            user.password = hashed
            user.save()
            users.append(user)
        entries = [
            audit.entry(obj, actor=users[0], action=AuditEntry.Action.CREATE)
            for obj in [*units.values(), *leaders.values(), *users]
        ]
        AuditEntry.objects.bulk_create([e for e in entries if e is not None])
    results: dict[str, Any] = run.results
    results.update(office=users[0], units=units, leaders=leaders, password=PASSWORD)
    partners = sum(u.kind == PARTNER for u in units.values())
    run.say(
        f"已创建 {len(units) - partners} 个单位（另有两办两研协同单位 {partners} 个）、"
        f"{len(leaders)} 位市级领导、{len(users)} 个账号"
    )
