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
