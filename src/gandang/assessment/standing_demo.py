"""The demo city's monthly standings (月度晾晒) of 2023: a standing scheme scored from the month's records
(on-time reporting, returns and confirmed copies, lagging items, listings and letters, reform information
adopted and printed, experiences promoted), and a standing for each closed period, computed when it
closed. All but the last are published, October's summary on the public showcase; November's waits for
the office on 5 December. Built after the information (demo step 65) it scores."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from gandang.assessment import standing_services
from gandang.assessment.models import Indicator, Scheme
from gandang.assessment.standing_models import Standing
from gandang.core import registry
from gandang.core.backdate import aware, dated
from gandang.dispatch.models import Period
from gandang.notifications.models import Notification
from gandang.org.models import User

YEAR = 2023
SCHEME_NAME = "2023年度月度晾晒方案"
KINDS = ["department", "county", "enterprise"]

# (name, rule, max points, params): 50 points to keep for reporting, less what lags and is listed,
# plus what is promoted.
INDICATORS: list[tuple[str, str, str, dict]] = [
    ("按时报送", "reporting", "30", {"late": 2, "missing": 4}),
    ("退回与照抄", "reporting", "20", {"returned": 2, "copy": 3}),
    ("事项滞后", "lagging", "30", {"yellow": 3, "red": 6}),
    (
        "挂牌督办",
        "supervision",
        "20",
        {"listing": {"office": 5, "leader": 8}, "letter": {"reminder": 2, "supervision": 4}},
    ),
    ("信息采用", "information", "10", {"adopted": 2, "printed": 3}),
    ("经验推广", "experience", "10", {"levels": {"city": 1, "province": 2, "ministry": 3, "central": 5}}),
]


def build_standings(*, office: User, today: date, stdout=None) -> int:
    """Create the 2023 standing scheme and a standing for each closed period of 2023, as each closed."""
    scheme = Scheme.objects.create(
        year=YEAR,
        name=SCHEME_NAME,
        purpose=Scheme.Purpose.STANDING,
        state=Scheme.State.ACTIVE,
        description="每月调度期结束后，对各单位当月按时报送、退回与照抄、事项滞后、挂牌督办、信息采用和经验推广情况计分，"
        "分类排名晾晒，比学赶超。",
    )
    for order, (name, rule, points, params) in enumerate(INDICATORS, start=1):
        ind = Indicator(
            scheme=scheme,
            name=name,
            rule=rule,
            unit_kinds=list(KINDS),
            max_points=Decimal(points),
            params=params,
            order=order * 10,
        )
        ind.full_clean()
        ind.save()
    periods = list(
        Period.objects.filter(plan__isnull=True, year=YEAR, state=Period.State.CLOSED).order_by("month")
    )
    for n, period in enumerate(periods):
        # Computed the morning after its period closed (the calendar's step), published two days later.
        closed = timezone.localdate(period.closed_at) if period.closed_at else period.last_day
        closed = min(closed, today - timedelta(days=3))
        at = aware(closed + timedelta(days=1), 8, 0)
        with dated(at):
            standing = standing_services.standing_compute(actor=None, period=period)
        Standing.objects.filter(pk=standing.pk).update(computed_at=at)
        if n == len(periods) - 1:
            break  # the latest waits for the office
        published = aware(closed + timedelta(days=3), 10, 0)
        with dated(published, (Notification, "created_at")):
            standing_services.standing_publish(
                actor=office, standing=standing, on_showcase=n == len(periods) - 2
            )
        Standing.objects.filter(pk=standing.pk).update(published_at=published)
    if stdout is not None:
        stdout.write(
            f"已创建{SCHEME_NAME}，计算月度晾晒{len(periods)}期（发布{max(len(periods) - 1, 0)}期）\n"
        )
    return len(periods)


def build_step(run: registry.DemoRun) -> None:
    """This part of the demo city (registered in the app's AppConfig.ready())."""
    build_standings(office=run.results["office"], today=run.today, stdout=run.stdout)
