"""The pieces the demo's monthly dispatch is played with: its calendar constants, the milestones and
tracks of each item's year (Node, Track), and the dating helpers. Used by gandang.dispatch.demo and
gandang.dispatch.demo_months only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone

from gandang.dispatch import demo_text as text
from gandang.ledger.models import Item, Milestone
from gandang.org.models import User

FIRST_MONTH = 2  # the key-points plan is issued in February; January has no period
DEADLINE_DAY = 25
CLOSE_DAY = 3  # the office closes a period on the 3rd of the next month
ACCOUNTS_AT = (2, 10, 9, 30)  # month, day, hour, minute the units' accounts were opened
ACCOUNT_NAME = r"^(liaison|head)_[0-9]+$"  # liaison_08: unit no. 8's liaison (its place in the unit list)

# Invented people: surnames and given-name characters for the units' liaisons and heads.
SURNAMES = "王李张刘陈杨黄周吴徐孙胡朱林何郭罗梁谢唐冯董曹袁邓傅曾彭蒋蔡丁魏薛叶余潘杜戴夏钟汪任姜范方石姚谭廖邹熊陆郝孔崔康毛邱秦江史顾侯孟龙万段雷钱汤尹黎易常武乔赖龚"
GIVEN = "晓雨思嘉子文明建志海俊欣雅立国春梦佳浩宇晨凯静婷磊涛琳华峰洁敏颖鹏伟芳兰亮辉青云"

# What the demo's published unit logins (gandang.org.demo.USERS) find on the open month's
# workbench: the liaison's draft, the head's report to sign, the office's to review, a return.
WAITING = {
    "liaison_fgw": ["saved", "submitted", "signed"],
    "liaison_dy": ["returned", "submitted"],
}

# How far the other reports have got by the demo's today: (state, cumulative share); the rest untouched.
EARLY_DAYS = [("submitted", 0.10), ("signed", 0.16), ("saved", 0.50)]

# The steps behind each state of an open month's report.
SO_FAR = {
    "saved": [],
    "submitted": ["submit"],
    "signed": ["submit", "approve"],
    "returned": ["submit", "approve", "return"],
    "accepted": ["submit", "approve", "accept"],
}

NO_EFFECT = {
    "copycat": "连续三个月报送内容基本雷同，改革举措未见实质性推进",
    "stuck": "时间节点长期逾期未完成，改革推进缓慢，预期目标难以实现",
    "slow": "试点覆盖面小，企业和群众获得感不强，改革成效不明显",
}


@dataclass
class Node:
    """A milestone and when, in the demo's story, the unit reaches it."""

    ms: Milestone
    evidence: str
    planned: date | None  # None: not reached by the demo's today
    on_ledger: bool  # done before reporting began, or set by the office itself: no report reaches it
    reported: bool = False  # reached in an accepted report

    def done_by(self, day: date) -> bool:
        return self.reported or (self.on_ledger and self.planned is not None and self.planned <= day)

    def reachable_by(self, day: date) -> bool:
        return not (self.on_ledger or self.reported) and self.planned is not None and self.planned <= day

    @property
    def late(self) -> bool:
        return bool(self.planned and self.ms.due_date and self.planned > self.ms.due_date)

    def target(self) -> text.Target:
        return text.Target(
            title=self.ms.title,
            due=self.ms.due_date,
            evidence=self.evidence,
            done=self.planned,
            late=self.late,
        )


@dataclass
class Track:
    """One item through the year: its milestones, its character, what it reported last."""

    item: Item
    subject: text.Subject
    nodes: list[Node]
    co_liaisons: list[User]
    offset: int = 0
    kind: str = ""  # "stuck" (stays red), "slow" (yellow), "copycat" (copies last month's text)
    percent: int = 0
    last: dict[str, Any] | None = None  # last month's accepted text


def _aware(d: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(d.year, d.month, d.day, hour, minute))


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _set_times(model: type[models.Model], name: str, rows: list[tuple[int, datetime]]) -> None:
    """Set one datetime column of many rows by id; bulk_update would build a CASE per row, 100× slower."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.DateTimeField)
    qn = connection.ops.quote_name
    sql = f"UPDATE {qn(model._meta.db_table)} SET {qn(field.column)} = %s WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(connection.ops.adapt_datetimefield_value(at), pk) for pk, at in rows])
