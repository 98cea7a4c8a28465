"""English UI: a user who picks English in the top bar gets English screens; the default stays Chinese.

The msgids are the Chinese text, so the Chinese screens need no catalog; the English one is
src/gandang/locale/en/LC_MESSAGES/django.po, compiled to django.mo (committed: CI has no gettext).
"""

import ast
import gettext
import html
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from gandang.core import audit
from gandang.core.models import AuditEntry
from gandang.dispatch import services as dispatch_services
from gandang.dispatch.models import Report
from gandang.notifications.models import Notification

HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def _back_to_default_language():
    # The middleware activates the cookie's language for the thread; leave none behind for later tests.
    yield
    translation.deactivate()


@pytest.fixture
def period(city):
    period, _n = dispatch_services.period_open(actor=city.users["office"], year=2023, month=10)
    return period


def _english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _nav(body: str) -> str:
    nav = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', body, re.S)
    assert nav, "no main navigation on the page"
    return re.sub(r"<[^>]+>", " ", nav.group(1))


def _pages(city) -> dict[str, tuple[list[str], list[str]]]:
    """Each page with the English and the Chinese words it must show."""
    item = city.items["a"]
    return {
        "/": (["Workbench", "Item status", "Due soon"], ["工作台", "事项状态", "即将到期"]),
        "/ledger/": (
            ["Reform ledger", "Lead unit", "Due", "Filter"],
            ["改革台账", "牵头单位", "完成时限", "筛选"],
        ),
        f"/ledger/items/{item.pk}/": (
            ["Milestones", "Monthly dispatch", "Change history", "Lead city leaders", "Dec 31, 2023"],
            ["时间节点", "月度调度", "变更记录", "领衔市级领导", "2023年12月31日"],
        ),
        "/dispatch/": (
            ["Monthly dispatch", "Dispatch period", "October 2023"],
            ["月调度", "调度期", "2023年10月"],
        ),
        "/notifications/": (["Notifications", "Mark all as read"], ["通知", "全部标为已读"]),
    }


@pytest.mark.parametrize("who", ["office", "liaison_a"])
def test_english_screens(login, city, period, who):
    client = _english(login(city.users[who]))
    for url, (english, chinese) in _pages(city).items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "en"
        body = response.content.decode()
        assert '<html lang="en">' in body, url
        nav = _nav(body)
        for word in ("Workbench", "Reform ledger", "Monthly dispatch", "Listed supervision", "Achievements"):
            assert word in nav, (url, word)
        assert not HAN.search(nav), (url, nav)
        for word in english:
            assert word in body, (url, word)
        for word in chinese:
            assert word not in body, (url, word)
        assert "Sign out" in body and "退出" not in body
    if who == "office":
        nav = _nav(client.get("/").content.decode())
        assert "Configuration" in nav and "Dashboard" in nav
        # Plans and the Excel import sit on the ledger page, beside the list they feed.
        ledger = client.get("/ledger/").content.decode()
        assert "Reform plans" in ledger and "Import ledger" in ledger


@pytest.mark.parametrize("who", ["office", "liaison_a"])
def test_chinese_by_default(login, city, period, who):
    client = login(city.users[who])
    for url, (_english, chinese) in _pages(city).items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert '<html lang="zh-hans">' in body, url
        assert "工作台" in _nav(body) and "月调度" in _nav(body)
        for word in chinese:
            assert word in body, (url, word)
        assert "Workbench" not in body and "Monthly dispatch" not in body
        assert ">English</button>" in body


def test_switching_back_to_chinese(login, city):
    client = _english(login(city.users["office"]))
    assert "Workbench" in _nav(client.get("/").content.decode())
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作台" in _nav(client.get("/").content.decode())


def test_messages_and_buttons_follow_the_language(login, city, period):
    """The flow's buttons and confirmations are English for an English user."""
    report = Report.objects.get(period=period, item=city.items["a"])
    Report.objects.filter(pk=report.pk).update(progress="已完成方案起草")
    client = _english(login(city.users["liaison_a"]))
    body = client.get(f"/dispatch/periods/{period.pk}/fill/").content.decode()
    assert "Submit for sign-off" in body and "提交签发" not in body
    response = client.post(f"/dispatch/reports/{report.pk}/step/submit/", follow=True)
    assert '"深化要素市场化配置改革" submitted for sign-off' in html.unescape(response.content.decode())


def test_what_an_english_user_stores_stays_chinese(login, city, period):
    """Notices and the audit history are read by others: they are written in the product's language."""
    u = city.users
    report = Report.objects.get(period=period, item=city.items["a"])
    milestone = city.items["a"].milestones.get()
    dispatch_services.report_save(
        actor=u["liaison_a"],
        report=report,
        expected_version=report.version,
        fields={"progress": "已完成方案起草", "percent": 40},
        reached=[dispatch_services.Reached(milestone.pk, date(2023, 10, 15), "市政办发〔2023〕1号")],
    )
    _english(login(u["liaison_a"])).post(f"/dispatch/reports/{report.pk}/step/submit/")
    notice = Notification.objects.get(user=u["head_a"], kind=Notification.Kind.TO_SIGN)
    assert notice.title.startswith("待签发：2023年10月")
    dispatch_services.report_step(actor=u["head_a"], report=report, action="approve")
    _english(login(u["office"])).post(f"/dispatch/reports/{report.pk}/step/accept/")
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED
    entry = AuditEntry.objects.filter(object_id=milestone.pk, content_type__model="milestone").latest("id")
    assert entry.reason == "依据2023年10月进展报告"
    with translation.override("en"):
        assert str(period) == "October 2023"
        assert audit.snapshot(u["office"])["role"] == "改革办"


def _po_entries(text: str) -> list[dict]:
    entries = []
    for block in text.strip().split("\n\n"):
        e: dict = {"flags": "", "msgctxt": None}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                e["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                e[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                e[key] = ast.literal_eval(value)
        entries.append(e)
    return entries


def test_catalog_is_complete_and_compiled():
    """Every msgid has a real translation, nothing is fuzzy, and django.mo matches django.po."""
    entries = _po_entries((CATALOG / "django.po").read_text())
    with (CATALOG / "django.mo").open("rb") as f:
        mo = gettext.GNUTranslations(f)
    assert len(entries) > 400
    for e in entries[1:]:
        msgid = e["msgid"]
        assert "fuzzy" not in e["flags"], msgid
        if "msgid_plural" in e:
            for i, n in ((0, 1), (1, 2)):
                assert e[f"msgstr[{i}]"].strip() and not HAN.search(e[f"msgstr[{i}]"]), msgid
                assert mo.ngettext(msgid, e["msgid_plural"], n) == e[f"msgstr[{i}]"], msgid
        else:
            assert e["msgstr"].strip(), msgid
            assert e["msgstr"] != msgid or not HAN.search(msgid), (
                msgid
            )  # ("Home" is Django admin's own msgid)
            compiled = mo.pgettext(e["msgctxt"], msgid) if e["msgctxt"] else mo.gettext(msgid)
            assert compiled == e["msgstr"], msgid
