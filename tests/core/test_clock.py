"""A pinned calendar (the demo's 2023-12-05) stamps live actions on its own day."""

from datetime import date

from django.utils import timezone

from gandang.core import clock
from gandang.core.models import AuditEntry
from gandang.dispatch import services
from gandang.dispatch.models import Report, ReportStep


def test_now_follows_the_pinned_day_and_keeps_the_time_of_day(settings):
    settings.GANDANG_TODAY = ""
    assert abs((clock.now() - timezone.now()).total_seconds()) < 5
    settings.GANDANG_TODAY = "2023-12-05"
    pinned = timezone.localtime(clock.now())
    assert pinned.date() == date(2023, 12, 5) and timezone.is_aware(pinned)


def test_a_builder_pins_the_time_of_day_too_and_lets_it_go_after(settings):
    from datetime import time

    settings.GANDANG_TODAY = "2023-12-05"
    with clock.pinned_time(time(9, 30)):
        pinned = timezone.localtime(clock.now())
        assert (pinned.date(), pinned.hour, pinned.minute) == (date(2023, 12, 5), 9, 30)
    assert getattr(settings, "GANDANG_TODAY_TIME", None) is None
    wall = timezone.localtime().replace(year=2023, month=12, day=5)
    assert abs((clock.now() - wall).total_seconds()) < 5  # the machine's time of day again


def test_a_report_signed_on_the_pinned_day_is_on_time_and_its_records_carry_that_day(city, settings):
    settings.GANDANG_TODAY = "2023-12-05"
    period, _ = services.period_open(actor=city.users["office"], year=2023, month=12)
    report = Report.objects.get(period=period, item=city.items["b"])  # unit B: no head, submitting signs
    report.progress = "本月完成方案起草"
    report.save()
    report = services.report_step(actor=city.users["liaison_b"], report=report, action="submit")
    assert report.state == Report.State.SIGNED
    assert timezone.localtime(report.submitted_at).date() == date(2023, 12, 5)
    assert report.is_late is False
    step = ReportStep.objects.get(report=report)
    assert timezone.localtime(step.at).date() == date(2023, 12, 5)
    assert timezone.localtime(AuditEntry.objects.latest("id").at).date() == date(2023, 12, 5)


# -- stamps Django writes itself, and the supervision page's 最近处理 -------------------------------------


def _local_day(dt):
    return timezone.localtime(dt).date()


def test_a_proposal_decided_on_the_pinned_day_shows_that_day_in_recent_decisions(city, settings, login):
    from gandang.supervision import services as supervision
    from gandang.supervision.models import Proposal, Trigger

    settings.GANDANG_TODAY = "2023-12-05"
    proposal = Proposal.objects.create(item=city.items["b"], trigger=Trigger.RED, reason="连续两个月严重滞后")
    supervision.proposal_dismiss(actor=city.users["office"], proposal=proposal, reason="已研究，暂不挂牌")
    html = login(city.users["office"]).get("/supervision/?tab=proposals").content.decode()
    assert "最近处理" in html
    assert "2023-12-05 " in html
    assert timezone.localdate().isoformat() not in html  # the machine's day appears nowhere on the page


def test_django_stamps_admin_history_logins_and_new_accounts_with_the_products_clock(city, settings, client):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from gandang.org.models import User
    from tests.conftest import PASSWORD

    settings.GANDANG_TODAY = "2023-12-05"
    office = city.users["office"]
    entry = LogEntry.objects.create(
        user=office,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(office.pk),
        object_repr=str(office),
        action_flag=CHANGE,
    )
    assert _local_day(entry.action_time) == date(2023, 12, 5)
    assert client.post("/login/", {"username": "office", "password": PASSWORD}).status_code == 302
    office.refresh_from_db()
    assert _local_day(office.last_login) == date(2023, 12, 5)
    newcomer = User.objects.create_user("newcomer", password=PASSWORD)
    assert _local_day(newcomer.date_joined) == date(2023, 12, 5)


def test_a_manual_score_is_dated_on_the_pinned_day(settings):
    from gandang.assessment.models import ManualScore

    settings.GANDANG_TODAY = "2023-12-05"
    field = ManualScore._meta.get_field("at")
    m = ManualScore()
    field.pre_save(m, add=True)
    assert _local_day(m.at) == date(2023, 12, 5)


def test_pinned_pins_for_a_block_only(settings):
    settings.GANDANG_TODAY = ""
    with clock.pinned(date(2023, 12, 5)):
        assert clock.today() == date(2023, 12, 5)
        assert _local_day(clock.now()) == date(2023, 12, 5)
    assert clock.today() == timezone.localdate()
