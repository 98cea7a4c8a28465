"""The demo city's monthly standings: one for each closed period of 2023, published but the latest, dated
when each period closed, with units moving up and down."""

from datetime import date

import pytest
from django.test import override_settings
from django.utils import timezone

from gandang.assessment.models import Standing, StandingLine, StandingResult
from gandang.demo.build import DEMO_TODAY, build_demo
from gandang.dispatch.models import Period, Report
from gandang.org.models import User
from tests.core.test_demo import _wipe_demo


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        result = build_demo()
    yield result
    with django_db_blocker.unblock():
        _wipe_demo()


@pytest.mark.django_db
class TestDemoStandings:
    def test_every_closed_period_has_its_standing_and_all_but_the_latest_are_published(self, demo):
        # The city's months (a quarterly plan's own periods are not stood in the monthly standing).
        closed = list(
            Period.objects.filter(plan__isnull=True, state=Period.State.CLOSED).order_by("year", "month")
        )
        standings = {s.period_id: s for s in Standing.objects.all()}
        assert set(standings) == {p.pk for p in closed}
        assert [standings[p.pk].is_published for p in closed] == [True] * (len(closed) - 1) + [False]
        assert [p.month for p in closed if standings[p.pk].on_showcase] == [closed[-2].month]
        for s in standings.values():
            assert timezone.localdate(s.computed_at) < DEMO_TODAY
            assert s.published_at is None or timezone.localdate(s.published_at) < DEMO_TODAY

    def test_units_are_ranked_by_kind_and_move_from_month_to_month(self, demo):
        results = StandingResult.objects.filter(standing__period__month=10)
        assert set(results.values_list("unit_kind", flat=True)) >= {"department", "county", "enterprise"}
        assert results.exclude(previous_rank__isnull=True).exists()
        moved = [r.movement for r in StandingResult.objects.filter(previous_rank__isnull=False)]
        assert any(m > 0 for m in moved) and any(m < 0 for m in moved)

    def test_the_late_reports_of_a_month_are_its_points_lost(self, demo):
        line = (
            StandingLine.objects.filter(standing__period__month=10, indicator_name="按时报送")
            .exclude(evidence=[])
            .first()
        )
        assert line is not None
        period = line.standing.period
        reports = Report.objects.filter(period=period, unit=line.unit)
        late = reports.filter(is_late=True).count()
        missing = reports.filter(is_missing=True, submitted_at__isnull=True).count()
        assert line.points == max(0, 30 - 2 * late - 4 * missing)
        assert len(line.evidence) == late + missing

    def test_a_liaison_opens_its_own_line_from_the_workbench(self, demo, client):
        client.force_login(User.objects.get(username="liaison_fgw"))
        page = client.get("/").content.decode()
        latest = Standing.objects.filter(state="published").order_by("-period__month").first()
        own = f"/assessment/standings/{latest.pk}/units/{User.objects.get(username='liaison_fgw').unit_id}/"
        assert own in page
        assert client.get(own).status_code == 200
        assert date(2023, latest.period.month, 1) < DEMO_TODAY

    def test_the_information_a_unit_had_adopted_in_a_month_scores_in_its_standing(self, demo):
        """October's line counts the unit's pieces the office adopted in October and those printed in an
        issue issued in October, whenever they were sent."""
        from gandang.information.models import Piece

        line = StandingLine.objects.filter(
            standing__period__month=10, indicator_name="信息采用", unit__name="市发展改革委"
        ).get()
        adopted = Piece.objects.filter(unit=line.unit, adopted_at__year=2023, adopted_at__month=10)
        printed = Piece.objects.filter(
            unit=line.unit, issue__state="issued", issue__issued_on__year=2023, issue__issued_on__month=10
        )
        assert adopted.exists() or printed.exists()
        assert line.points == min(10, 2 * adopted.count() + 3 * printed.count())
        assert len(line.evidence) == adopted.count() + printed.count()
