"""`gandang tick`: a month of the dispatch calendar, each day run twice, and two copies at once."""

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from gandang.city.calendar import LOCK_NAME, lines, run_tick
from gandang.core import locks
from gandang.dispatch import services
from gandang.dispatch.models import ItemStatus, Period, Report, StatusSnapshot
from gandang.ledger.models import Milestone
from gandang.notifications.models import Delivery, Notification

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Shanghai")


def _counts():
    return (
        Period.objects.count(),
        Report.objects.count(),
        Notification.objects.count(),
        Delivery.objects.count(),
        StatusSnapshot.objects.count(),
        len(mail.outbox),
    )


def tick(day: date):
    """Run the tick for `day` twice: the second run must find nothing left to do."""
    result = run_tick(today=day)
    before = _counts()
    again = run_tick(today=day)
    assert _counts() == before, f"second tick on {day} changed something"
    assert (
        again.names["opened"],
        again.counts["notified"],
        again.counts["missing_marked"],
        again.names["closed"],
    ) == ([], 0, 0, [])
    return result


def titles(user, since=None):
    qs = Notification.objects.filter(user=user).order_by("id")
    if since is not None:
        qs = qs.filter(pk__gt=since)
    return list(qs.values_list("title", flat=True))


def last_id():
    return Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_month_of_the_dispatch_calendar(city, settings):
    settings.GANDANG_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    u = city.users
    u["liaison_a"].email = "a@example.gov.cn"
    u["liaison_a"].save()

    # 1 October: the period opens, one report per item, each unit's liaison hears of it.
    r = tick(date(2023, 10, 1))
    october = Period.objects.get(year=2023, month=10)
    assert r.names["opened"] == ["2023年10月"] and r.counts["reports_created"] == 3
    assert titles(u["liaison_a"]) == titles(u["liaison_b"]) == ["2023年10月进展报告已开始填报，截止10月25日"]
    assert Notification.objects.get(user=u["liaison_a"]).url == f"/dispatch/periods/{october.pk}/fill/"
    assert not titles(u["head_a"]) and not titles(u["office"])
    assert [m.to for m in mail.outbox] == [["a@example.gov.cn"]]  # the outbox went out in the same run

    # An ordinary day: nothing is due.
    mark = last_id()
    assert tick(date(2023, 10, 10)).counts["notified"] == 0

    # 22 October, three days before the deadline: liaisons of units with unsigned reports.
    r = tick(date(2023, 10, 22))
    assert titles(u["liaison_a"], mark) == ["2023年10月进展报告将于10月25日截止，还有3天"]
    assert (
        Notification.objects.filter(user=u["liaison_b"], pk__gt=mark).get().body.startswith("本单位尚有1项")
    )
    assert r.counts["notified"] == 2 and not titles(u["head_a"])

    # 23 October: the three-day reminder is not repeated.
    mark = last_id()
    assert tick(date(2023, 10, 23)).counts["notified"] == 0

    # Unit A files and signs off on the 24th.
    report_a = Report.objects.get(period=october, item=city.items["a"])
    services.report_save(
        actor=u["liaison_a"],
        report=report_a,
        expected_version=report_a.version,
        fields={"progress": "已起草方案"},
    )
    services.report_step(actor=u["liaison_a"], report=report_a, action="submit")
    services.report_step(
        actor=u["head_a"], report=report_a, action="approve", now=datetime(2023, 10, 24, 10, tzinfo=TZ)
    )

    # 25 October, the deadline: only unit B (still unsigned) is reminded.
    tick(date(2023, 10, 25))
    assert not titles(u["liaison_a"], mark)
    assert titles(u["liaison_b"], mark) == ["今天是2023年10月进展报告报送截止日"]

    # 26 October: unsigned reports are marked missing; the unit and the office hear of it once.
    mark = last_id()
    r = tick(date(2023, 10, 26))
    assert r.counts["missing_marked"] == 2  # unit B's, and unit C's (which has nobody to tell)
    assert set(
        Report.objects.filter(period=october, is_missing=True).values_list("unit__name", flat=True)
    ) == {
        "岱岳区",
        "市教育局",
    }
    assert titles(u["liaison_b"], mark) == ["2023年10月进展报告逾期未报送"]
    assert not titles(u["liaison_a"], mark) and not titles(u["head_a"], mark)
    [summary] = Notification.objects.filter(user=u["office"], pk__gt=mark)
    assert summary.title == "2023年10月：2个单位2份报告未按时报送"
    assert "岱岳区：1份" in summary.body and summary.url == f"/dispatch/periods/{october.pk}/"

    # 1 November: November opens; October stays open for late reports.
    r = tick(date(2023, 11, 1))
    assert r.names["opened"] == ["2023年11月"] and not r.names["closed"]
    assert tick(date(2023, 11, 10)).names["closed"] == []

    # 11 November: October ended more than ten days ago, so it closes and its snapshots freeze.
    r = tick(date(2023, 11, 11))
    october.refresh_from_db()
    assert r.names["closed"] == ["2023年10月"] and october.state == Period.State.CLOSED
    frozen = StatusSnapshot.objects.get(period=october, item=city.items["a"])
    assert frozen.status == "red"  # its milestone was due in June

    # A later correction (the milestone was in fact reached on 15 October) leaves October's snapshot alone.
    Milestone.objects.filter(item=city.items["a"]).update(done_date=date(2023, 10, 15))
    tick(date(2023, 11, 12))
    assert StatusSnapshot.objects.get(pk=frozen.pk).status == "red"
    november = Period.objects.get(year=2023, month=11)
    assert StatusSnapshot.objects.get(period=november, item=city.items["a"]).status == "done"
    assert ItemStatus.objects.get(item=city.items["a"]).status == "done"


def test_the_period_opens_on_the_configured_day(city, settings):
    settings.GANDANG_PERIOD_OPEN_DAY = 5
    assert run_tick(today=date(2023, 10, 4)).names["opened"] == []
    assert not Period.objects.exists()
    r = run_tick(today=date(2023, 10, 5))
    assert r.names["opened"] == ["2023年10月"] and Period.objects.get().opens_on == date(2023, 10, 5)


def test_a_period_opened_by_hand_is_announced_by_the_tick(city):
    services.period_open(actor=city.users["office"], year=2023, month=10)
    r = run_tick(today=date(2023, 10, 3))
    assert r.names["opened"] == [] and Period.objects.count() == 1
    assert titles(city.users["liaison_a"]) == ["2023年10月进展报告已开始填报，截止10月25日"]


def test_a_missed_reminder_day_is_caught_up(city):
    run_tick(today=date(2023, 10, 1))
    mark = last_id()
    run_tick(today=date(2023, 10, 24))  # the tick did not run on the 22nd or 23rd
    assert titles(city.users["liaison_a"], mark) == ["2023年10月进展报告将于10月25日截止，还有1天"]
    mark = last_id()
    run_tick(today=date(2023, 10, 25))
    assert titles(city.users["liaison_a"], mark) == ["今天是2023年10月进展报告报送截止日"]


def test_a_second_copy_skips_while_the_first_holds_the_lock(city):
    owner = locks.acquire(LOCK_NAME, ttl=timedelta(minutes=30))
    assert owner
    r = run_tick(today=date(2023, 10, 1))
    assert r.skipped and lines(r) == ["2023年10月1日调度巡检：另一个巡检正在运行，本次跳过。"]
    assert not Period.objects.exists()
    locks.release(LOCK_NAME, owner)
    assert run_tick(today=date(2023, 10, 1)).names["opened"] == ["2023年10月"]


def test_a_lock_left_by_a_dead_process_expires(db):
    assert locks.acquire("job", ttl=timedelta(minutes=5))
    assert locks.acquire("job", ttl=timedelta(minutes=5)) is None
    from gandang.core.models import Lock

    Lock.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert locks.acquire("job", ttl=timedelta(minutes=5))


def test_the_command_prints_a_summary(city):
    out = StringIO()
    call_command("tick", "--today", "2023-10-01", stdout=out)
    text = out.getvalue()
    assert "2023年10月1日调度巡检完成" in text and "开启调度期：2023年10月，生成进展报告3份" in text
    assert "新通知：2条" in text


def test_the_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("tick", "--today", "2023/10/01")


SETUP = """
from datetime import date
from gandang.ledger import services
from gandang.ledger.models import Plan
from gandang.org.models import Unit, User
office = User.objects.create_user("office", role="office")
plan = Plan.objects.create(year=2023, name="要点")
for i in range(6):
    unit = Unit.objects.create(name=f"单位{i}")
    User.objects.create_user(f"liaison{i}", role="liaison", unit=unit)
    User.objects.create_user(f"head{i}", role="head", unit=unit)
    for j in range(5):
        services.item_create(actor=office, fields={"plan": plan, "code": f"{i}-{j}", "title": f"事项{i}-{j}",
                             "lead_unit": unit, "due_date": date(2023, 12, 31)})
"""

COUNT = """
from django.db.models import Count
from gandang.dispatch.models import Period, Report
from gandang.notifications.models import Notification
dupes = Notification.objects.values("user", "key").annotate(n=Count("id")).filter(n__gt=1).count()
print(Period.objects.count(), Report.objects.count(), Notification.objects.count(), dupes)
"""


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="exercises the embedded SQLite database")
def test_two_ticks_at_once_open_one_period_and_notify_once(tmp_path):
    env = {**os.environ, "GANDANG_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gandang.settings"}
    env.pop("GANDANG_TODAY", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", _script(SETUP)], env=env, check=True)
    for day in ["2023-10-01", "2023-10-26"]:
        procs = [
            subprocess.Popen(
                [*manage, "tick", "--today", day],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        results = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), [err for _out, err in results]
        assert all("调度巡检完成" in out or "本次跳过" in out for out, _err in results), results
    out = subprocess.run(
        [sys.executable, "-c", _script(COUNT)], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    # One period, 30 reports; 6 opening notices, then 6 units × (liaison + head) missing notices + 1 summary.
    assert out == ["1", "30", str(6 + 12 + 1), "0"]


def _script(code: str) -> str:
    return f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r}); import django; django.setup(); exec({code!r})"


def test_a_month_past_its_deadline_is_not_opened_automatically(city):
    r = run_tick(today=date(2023, 10, 26))
    assert not Period.objects.exists() and not Notification.objects.exists()
    assert "2023年10月报送截止日已过，未自动开启调度期，请改革办手动开启" in lines(r)
