"""How fast are the annual assessment and the achievements counts on the demo city?

    GANDANG_DATA_DIR=$(mktemp -d) .venv/bin/python bench/assessment_bench.py [--runs 5]

Builds the demo city (`gandang.demo.build.build_demo`: 147 items, 42 units, ten months of reports,
listings, 24 experiences with 35 promotions, 13 pilots, 9 honors, the 2023 scheme) in a fresh SQLite
database, and times in the same run:
  (a) a whole assessment run (`assessment.services.run_compute`: every indicator for every unit, score
      lines with their evidence, ranks, grades; rolled back after each run) against a bare read of the
      rows it scores (a COUNT over the year's reports, snapshots, report steps, listings, letters,
      promotions, pilots and honors);
  (b) the achievements counts (`achievements.selectors.stats`, the 改革成果 page's figures) against a
      bare GROUP BY of promotions by level.
Each figure is the median of several runs after a warm-up run.
"""

from __future__ import annotations

import argparse
import time

from common import fresh_data_dir, median_time, setup_django


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    fresh_data_dir("assessment-bench-")
    setup_django(GANDANG_TODAY="2023-12-05")
    from django.db import connection, transaction

    from gandang.achievements import selectors
    from gandang.assessment import services
    from gandang.assessment.models import Scheme, ScoreLine
    from gandang.demo.build import build_demo
    from gandang.org.models import User

    start = time.perf_counter()
    build_demo()
    print(f"demo city built in {time.perf_counter() - start:.1f} s (SQLite)")
    office = User.objects.get(username="office")
    scheme = Scheme.objects.get(year=2023)

    def run() -> None:
        try:
            with transaction.atomic():
                services.run_compute(actor=office, scheme=scheme)
                raise Rollback
        except Rollback:
            pass

    def bare_rows() -> None:
        with connection.cursor() as c:
            for table, where in [
                ("dispatch_report", "period_id IN (SELECT id FROM dispatch_period WHERE year = 2023)"),
                (
                    "dispatch_statussnapshot",
                    "period_id IN (SELECT id FROM dispatch_period WHERE year = 2023)",
                ),
                ("dispatch_reportstep", "action = 'return'"),
                ("supervision_listing", "1 = 1"),
                ("supervision_letter", "year = 2023"),
                ("achievements_promotion", "1 = 1"),
                ("achievements_pilot", "1 = 1"),
                ("achievements_honor", "1 = 1"),
            ]:
                c.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}")  # noqa: S608 (fixed names)
                c.fetchone()

    def counts() -> None:
        selectors.stats(office, year=2023)

    def bare_counts() -> None:
        with connection.cursor() as c:
            c.execute(
                "SELECT level_id, COUNT(*), COUNT(DISTINCT experience_id) FROM achievements_promotion "
                "WHERE date >= '2023-01-01' AND date <= '2023-12-31' GROUP BY level_id"
            )
            c.fetchall()

    lines = ScoreLine.objects.filter(run__scheme=scheme).count()
    units = len({u for u in ScoreLine.objects.filter(run__scheme=scheme).values_list("unit_id", flat=True)})
    rows = [
        (
            "年考核 run_compute (whole city)",
            median_time(run, args.runs, warm_up=True),
            median_time(bare_rows, args.runs, warm_up=True),
            "bare COUNTs of the rows it scores",
        ),
        (
            "改革成果 stats (page figures)",
            median_time(counts, args.runs, warm_up=True),
            median_time(bare_counts, args.runs, warm_up=True),
            "bare GROUP BY of promotions",
        ),
    ]
    print(
        f"one run scores {units} units in {lines} score lines; median of {args.runs} runs after a warm-up run\n"
    )
    print(f"{'measure':38} {'seconds':>9} {'baseline s':>11} {'ratio':>7}  baseline")
    for name, t, b, what in rows:
        print(f"{name:38} {t:9.4f} {b:11.4f} {t / b:7.1f}  {what}")


if __name__ == "__main__":
    main()
