"""How fast are the dispatch pages and jobs on a big city, against the bare SQL of the same rows?

    GANDANG_DATA_DIR=$(mktemp -d) .venv/bin/python bench/dispatch_bench.py [--items 500] [--users 1000]

Builds, in a fresh SQLite database, a city of N items across 60 units with M users, opens a
period with reports, and times in the same run:
  (a) the workbench and the ledger list (with status lights) through the test client, against
      the floor of a bare SQL count over the same rows;
  (b) opening a period (one report per active item), against a bare bulk insert of as many rows;
  (c) a tick (statuses, snapshots, reminders, notifications), against a bare SQL pass over the items.
Each figure is the median of several runs.
"""

from __future__ import annotations

import argparse
from datetime import date

from common import fresh_data_dir, median_time, setup_django


def build_city(n_items: int, n_users: int):
    from django.contrib.auth.hashers import make_password

    from gandang.ledger.models import Area, Item, Milestone, Plan
    from gandang.org.models import Leader, Unit, User

    units = Unit.objects.bulk_create([Unit(name=f"单位{i:03d}", sort_order=i) for i in range(60)])
    leaders = Leader.objects.bulk_create([Leader(name=f"领导{i}", title="副市长") for i in range(12)])
    area = Area.objects.create(name="经济体制改革")
    plan = Plan.objects.create(year=2023, name="2023年工作要点")
    items = Item.objects.bulk_create(
        [
            Item(
                plan=plan,
                code=str(i),
                seq=i,
                title=f"改革事项{i}",
                area=area,
                lead_unit=units[i % 60],
                start_date=date(2023, 2, 1),
                due_date=date(2023, 12, 31),
            )
            for i in range(n_items)
        ]
    )
    Item.leaders.through.objects.bulk_create(
        [Item.leaders.through(item_id=it.pk, leader_id=leaders[i % 12].pk) for i, it in enumerate(items[:48])]
    )
    Item.co_units.through.objects.bulk_create(
        [Item.co_units.through(item_id=it.pk, unit_id=units[(i + 7) % 60].pk) for i, it in enumerate(items)]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(item=it, title=f"节点{k}", due_date=date(2023, 3 * k + 3, 28))
            for it in items
            for k in range(3)
        ]
    )
    pw = make_password("Bench-2023!")
    roles = ["liaison", "head"]
    users = [
        User(username=f"u{i}", password=pw, role=roles[i % 2], unit=units[i % 60]) for i in range(n_users - 2)
    ]
    users.append(User(username="office", password=pw, role="office"))
    users.append(User(username="leader", password=pw, role="leader", leader=leaders[0]))
    User.objects.bulk_create(users)
    return plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--users", type=int, default=1000)
    args = parser.parse_args()
    fresh_data_dir("dispatch-bench-")
    setup_django(GANDANG_ALLOWED_HOSTS="testserver")

    from django.db import connection, transaction
    from django.test import Client

    from gandang.city.calendar import run_tick
    from gandang.dispatch import services
    from gandang.dispatch.engine import recompute_all
    from gandang.dispatch.models import Period, Report
    from gandang.org.models import User

    build_city(args.items, args.users)
    print(f"city: {args.items} items, {args.users} users, 60 units (SQLite)")

    # (b) opening a period, against a bare insert of the same number of rows.
    def open_period():
        with transaction.atomic():
            services.period_open(actor=None, year=2023, month=9)
            transaction.set_rollback(True)

    def bare_insert():
        with transaction.atomic():
            p = Period.objects.create(
                year=2023, month=8, opens_on=date(2023, 8, 1), deadline=date(2023, 8, 25)
            )
            with connection.cursor() as cur:
                cur.executemany(
                    "INSERT INTO dispatch_report (item_id, period_id, unit_id, state, expected, progress, problems,"
                    " next_steps, coordination, return_reason, is_copy, is_late, is_missing, revision, version,"
                    " updated_at) SELECT id, %s, lead_unit_id, 'draft', '', '', '', '', '', '', 0, 0, 0, 1, 1,"
                    " CURRENT_TIMESTAMP FROM ledger_item WHERE id = %s",
                    [(p.pk, i) for i in range(1, args.items + 1)],
                )
            transaction.set_rollback(True)

    t_open, t_insert = median_time(open_period, 3), median_time(bare_insert, 3)

    services.period_open(actor=None, year=2023, month=10)
    recompute_all(today=date(2023, 10, 15))
    assert Report.objects.count() == args.items

    # (a) pages, against a bare SQL count over the same rows.
    client = Client()
    rows = []
    for username, url in [("office", "/ledger/"), ("office", "/"), ("leader", "/"), ("u0", "/")]:
        client.force_login(User.objects.get(username=username))
        client.get(url)  # warm caches (templates, content types)
        t_page = median_time(lambda url=url: client.get(url))
        rows.append((f"{url} as {username}", t_page))

    def floor():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT COUNT(*), SUM(CASE WHEN s.status = 'red' THEN 1 ELSE 0 END) FROM ledger_item i"
                " LEFT JOIN dispatch_itemstatus s ON s.item_id = i.id LEFT JOIN dispatch_report r ON r.item_id = i.id"
            )
            cur.fetchall()

    t_floor = median_time(floor)

    # (c) a tick on the deadline day (reminders + statuses + snapshots), against a bare pass over the items.
    def tick():
        with transaction.atomic():
            run_tick(today=date(2023, 10, 25))
            transaction.set_rollback(True)

    def bare_pass():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT i.id, i.due_date, m.due_date, m.done_date FROM ledger_item i"
                " JOIN ledger_milestone m ON m.item_id = i.id"
            )
            cur.fetchall()

    t_tick, t_bare = median_time(tick, 3), median_time(bare_pass)

    print(f"\n{'measure':<34}{'seconds':>10}{'baseline s':>12}{'ratio':>9}")
    for label, t in rows:
        print(f"{'page ' + label:<34}{t:>10.4f}{t_floor:>12.4f}{t / t_floor:>9.1f}")
    print(f"{'open a period':<34}{t_open:>10.4f}{t_insert:>12.4f}{t_open / t_insert:>9.1f}")
    print(f"{'tick (deadline day)':<34}{t_tick:>10.4f}{t_bare:>12.4f}{t_tick / t_bare:>9.1f}")
    print(
        "\nbaselines: pages = bare SQL count over the same joined rows; open = bare INSERT … SELECT of"
        " the same reports; tick = bare SELECT of items with milestones."
    )


if __name__ == "__main__":
    main()
