"""The notices of matters and meetings are filed under kinds of their own on the notice list: a matter's
assignment, answer, return and closure under 督办事项, its overdue reminders and letters under 催办, a meeting's
topics, minutes and decisions under 会议 — never 其他, nor a topic's return under 报告退回."""

import html
import re
from datetime import date
from importlib import import_module

from django.apps import apps

from gandang.city.calendar import run_tick
from gandang.matters import letters
from gandang.matters import meeting_services as ms
from gandang.notifications.models import Notification
from gandang.notifications.services import notify
from tests.matters.conftest import answer, step
from tests.matters.meetings import prepare

NOTICE = re.compile(
    r'<span class="notice-title">(?:<span class="dot"[^>]*></span>)?(.*?)</span>.*?'
    r'<span class="notice-meta">(.*?) · ',
    re.S,
)


def _kinds(client) -> dict[str, str]:
    """Each notice's title on the notice list, with the kind shown under it."""
    page = client.get("/notifications/").content.decode()
    return {html.unescape(title): html.unescape(kind) for title, kind in NOTICE.findall(page)}


def _kind_of(kinds: dict[str, str], start: str) -> set[str]:
    return {kind for title, kind in kinds.items() if title.startswith(start)}


def test_a_matters_life_is_filed_under_its_kind(login, city, matter):
    liaison, head, office = city.users["liaison_a"], city.users["head_a"], city.users["office"]
    answer(matter, liaison)
    step(matter, liaison, "submit")
    step(matter, head, "approve")
    step(matter, office, "return", "请补充进展数据")
    answer(matter, liaison, "已补充进展数据")
    step(matter, liaison, "submit")
    step(matter, head, "approve")
    step(matter, office, "close", "办理到位")
    mine = _kinds(login(liaison))
    assert _kind_of(mine, "新的督办事项") == {"督办事项"}
    assert _kind_of(mine, "改革办退回督办事项办理情况") == {"督办事项"}
    assert _kind_of(mine, "督办事项已办结") == {"督办事项"}
    assert _kind_of(_kinds(login(office)), "督办事项办理情况待办结") == {"督办事项"}
    assert _kind_of(_kinds(login(head)), "督办事项办理情况待签发") == {"待签发"}
    assert not Notification.objects.filter(kind="other").exists()


def test_an_overdue_matter_and_its_letters_are_filed_under_urge(login, city, matter):
    run_tick(today=date(2023, 12, 1))
    letters.matter_urge(actor=city.users["office"], matter=matter, today=date(2023, 12, 1))
    mine = _kinds(login(city.users["liaison_a"]))
    assert _kind_of(mine, "督办事项已逾期") == {"催办"}
    assert _kind_of(mine, "催办函") == {"催办"}
    assert _kind_of(_kinds(login(city.users["office"])), "督办事项逾期未办结") == {"催办"}


def test_a_meetings_notices_are_filed_under_meeting(login, city):
    office, liaison = city.users["office"], city.users["liaison_a"]
    meeting = prepare(city)
    kept = ms.topic_propose(actor=liaison, meeting=meeting, title="要素市场化配置改革")
    sent_back = ms.topic_propose(actor=liaison, meeting=meeting, title="营商环境改革")
    ms.topic_step(actor=office, topic=kept, action="accept")
    ms.topic_step(actor=office, topic=sent_back, action="return", reason="材料不全")
    assert _kind_of(_kinds(login(office)), "市发展改革委提报") == {"会议"}
    mine = _kinds(login(liaison))
    assert _kind_of(mine, "议题“要素市场化配置改革”已列入议程") == {"会议"}
    assert _kind_of(mine, "议题“营商环境改革”被退回") == {"会议"}  # not 报告退回: it is no report


def test_the_kinds_read_in_english(login, city, matter):
    run_tick(today=date(2023, 12, 1))
    client = login(city.users["liaison_a"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    mine = _kinds(client)
    assert _kind_of(mine, "新的督办事项") == {"Tracked matter"}
    assert _kind_of(mine, "督办事项已逾期") == {"Overdue reminder"}
    ms.topic_propose(actor=city.users["liaison_a"], meeting=prepare(city), title="议题")
    office = login(city.users["office"])
    office.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert set(_kinds(office).values()) >= {"Meeting", "Overdue reminder"}


def test_notices_sent_before_are_refiled_by_the_migration(city):
    """An install upgraded from before keeps its notices: those of matters and meetings move to their kinds,
    the unit's sign-off request and every other app's notice keep theirs."""
    user = city.users["liaison_a"]
    old = {
        "matter:7:assigned": ("other", "matter"),
        "matter:7:contribution:3:20231106": ("other", "matter"),
        "matter:7:2": ("returned", "matter"),  # 改革办退回督办事项办理情况
        "matter:7:1": ("to_sign", "to_sign"),
        "matter:7:4": ("other", "matter"),  # 已办结
        "matter:7:letter:urge": ("other", "urge"),
        "matter-overdue:7:2023-12-01": ("other", "urge"),
        "matter-overdue-office:7": ("other", "urge"),
        "topic:3:proposed": ("other", "meeting"),
        "topic:3:return:2": ("returned", "meeting"),
        "minutes:1": ("other", "meeting"),
        "decision:2:itemized": ("other", "meeting"),
        "step:9:1": ("returned", "returned"),  # a monthly report's return
        "information:5:adopted": ("other", "other"),
    }
    for key, (kind, _new) in old.items():
        notify(users=[user], kind=kind, title=key, key=key)
    migration = import_module("gandang.matters.migrations.0008_notification_kinds")
    migration.refile(apps, None)
    now = dict(Notification.objects.filter(user=user).values_list("key", "kind"))
    assert now == {key: new for key, (_kind, new) in old.items()}
