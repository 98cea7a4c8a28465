"""Province scale: what each page costs on 100,000 items × 10 monthly reports, against the bare SQL
of what it shows, measured in the same run.

    GANDANG_DATA_DIR=$(mktemp -d) .venv/bin/python bench/scale_bench.py [--items 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gandang_bench .venv/bin/python bench/scale_bench.py

Builds the province with the demo's bulk path (gandang.demo.scale: 16 cities, 448 units, N items with
leaders, co-units, sub-items and milestones, 10 monthly periods with one report per item each, the
lights and their snapshots), then times each page through Django's test client (the whole request:
middleware, second factor, session, template) as the person who uses it, and beside it the floor: the
bare SQL of the rows that page shows (its count and its page of rows, or its figures), timed the same
way, plus what an empty page costs in the same run (/signed-in/: the layout, signed in, through every
middleware): no page can cost less than that, however little it reads. The target is a ratio of at most 3. Each figure is the median of several runs; the query count of each
page is printed too, and must not grow with the ledger (tests/test_query_counts.py checks it).

On PostgreSQL the database named in DATABASE_URL is emptied and rebuilt (use one made for the bench);
`--keep` reuses a database the previous run built, to measure again without rebuilding.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import median_time, setup_django

TARGET = 3.0


def setup(keep: bool) -> None:
    """Django on the data directory GANDANG_DATA_DIR names (a new one if unset), migrated; unless `keep`,
    the SQLite database is deleted first, or the PostgreSQL one emptied after."""
    os.environ.setdefault("GANDANG_DATA_DIR", tempfile.mkdtemp(prefix="scale-bench-"))
    sqlite_file = Path(os.environ["GANDANG_DATA_DIR"]) / "gandang.sqlite3"
    if not keep and not os.environ.get("DATABASE_URL"):
        sqlite_file.unlink(missing_ok=True)
    setup_django(GANDANG_ALLOWED_HOSTS="testserver")
    if not keep and os.environ.get("DATABASE_URL"):
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def bare(sql_list: list[tuple[str, list]]) -> Callable[[], None]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cur:
            for sql, params in sql_list:
                cur.execute(sql, params)
                cur.fetchall()

    return run


def floors(
    *, unit: int, leader: int, period: int, item: int, size: int, today: str
) -> dict[str, list[tuple[str, list]]]:
    """The bare SQL of what each page shows, as a person who knows the schema would write it:
    a list page's count and its rows in the list's order (with names joined, and the leaders, co-units
    and joint lead units of those rows, and the options its filters list), a workbench's figures and short lists, a review page's counts and rows."""
    from django.db import connection

    live = "NOT i.is_archived"
    # Led, first or jointly (共同牵头); or co-operated on: each set read by its index, the sets united.
    led = (
        f"i.id IN (SELECT id FROM ledger_item WHERE lead_unit_id = {unit}"
        f" UNION ALL SELECT item_id FROM ledger_jointlead WHERE unit_id = {unit})"
    )
    mine = (
        f"i.id IN (SELECT id FROM ledger_item WHERE lead_unit_id = {unit}"
        f" UNION ALL SELECT item_id FROM ledger_jointlead WHERE unit_id = {unit}"
        f" UNION ALL SELECT item_id FROM ledger_item_co_units WHERE unit_id = {unit})"
    )

    # The options of the list's filters (its selects list them): units, plans, areas, leaders, closed periods.
    filter_options = [
        ("SELECT id, name FROM org_unit WHERE is_active AND kind <> 'partner' ORDER BY sort_order, name", []),
        ("SELECT id, year, name FROM ledger_plan WHERE NOT is_archived ORDER BY year DESC, name", []),
        ("SELECT id, name FROM ledger_area ORDER BY sort_order, name", []),
        ("SELECT id, name FROM org_leader WHERE is_active ORDER BY sort_order, name", []),
        ("SELECT id, year, month FROM dispatch_period WHERE plan_id IS NULL AND state = 'closed'"
         " ORDER BY year DESC, month DESC", []),
    ]  # fmt: skip

    def listing(
        where: str, order: str = "p.year DESC, i.plan_id, i.seq, i.code", options: bool = True
    ) -> list[tuple[str, list]]:
        rows = (
            "SELECT i.id, i.code, i.title, i.due_date, i.status, p.name, a.name, u.name FROM ledger_item i"
            " JOIN ledger_plan p ON p.id = i.plan_id LEFT JOIN ledger_area a ON a.id = i.area_id"
            f" LEFT JOIN org_unit u ON u.id = i.lead_unit_id WHERE {where} ORDER BY {order} LIMIT {size}"
        )
        with connection.cursor() as cur:  # the page's ids, known once: the floor reads them by key
            cur.execute(rows)
            ids = ", ".join(str(r[0]) for r in cur.fetchall()) or "0"
        return [
            (f"SELECT COUNT(*) FROM ledger_item i WHERE {where}", []),
            (rows, []),
            (f"SELECT il.item_id, l.name FROM ledger_item_leaders il JOIN org_leader l ON l.id = il.leader_id"
             f" WHERE il.item_id IN ({ids})", []),
            (f"SELECT ic.item_id, u.name FROM ledger_item_co_units ic JOIN org_unit u ON u.id = ic.unit_id"
             f" WHERE ic.item_id IN ({ids})", []),
            (f"SELECT j.item_id, u.name FROM ledger_jointlead j JOIN org_unit u ON u.id = j.unit_id"
             f" WHERE j.item_id IN ({ids})", []),
            *(filter_options if options else []),
        ]  # fmt: skip

    def figures(where: str) -> list[tuple[str, list]]:
        late_ms = (
            "EXISTS (SELECT 1 FROM ledger_milestone m WHERE m.item_id = i.id AND m.done_date IS NULL"
            f" AND m.due_date < '{today}')"
        )
        soon = f"i.due_date BETWEEN '{today}' AND date('{today}', '+30 days')"
        if connection.vendor == "postgresql":
            soon = f"i.due_date BETWEEN DATE '{today}' AND DATE '{today}' + 30"
        return [
            (f"SELECT i.status, COUNT(*) FROM ledger_item i WHERE {where} GROUP BY i.status", []),
            (f"SELECT COUNT(*) FROM ledger_item i WHERE {where} AND i.no_effect", []),
            (f"SELECT COUNT(*) FROM ledger_item i WHERE {where} AND {soon}", []),
            (f"SELECT i.id, i.title, i.due_date FROM ledger_item i WHERE {where} AND {soon} ORDER BY i.due_date LIMIT 8", []),
            (f"SELECT COUNT(*) FROM ledger_item i WHERE {where} AND {late_ms}", []),
            (f"SELECT i.id, i.title FROM ledger_item i WHERE {where} AND {late_ms} ORDER BY i.due_date LIMIT 8", []),
        ]  # fmt: skip

    reports_of = (
        "SELECT r.state, COUNT(*) FROM dispatch_report r JOIN dispatch_period p ON p.id = r.period_id"
        " WHERE p.state = 'open' {and_} GROUP BY r.state"
    )
    return {
        "ledger list": listing(live),
        "ledger list, filtered": listing(
            f"{live} AND {led} AND i.status = 'green' AND i.due_date BETWEEN '2023-01-01' AND '2023-12-31'"
        ),
        "ledger list, by leader": listing(
            f"{live} AND i.id IN (SELECT item_id FROM ledger_item_leaders WHERE leader_id = {leader})"
        ),
        "ledger list as liaison": listing(f"{live} AND {mine}"),
        "JSON list": listing(live, options=False),  # rows alone: no filter form
        "item page": [
            (f"SELECT * FROM ledger_item i JOIN ledger_plan p ON p.id = i.plan_id WHERE i.id = {item}", []),
            (f"SELECT * FROM dispatch_report r WHERE r.item_id = {item} ORDER BY r.period_id", []),
            (f"SELECT * FROM dispatch_statussnapshot s WHERE s.item_id = {item}", []),
            (f"SELECT * FROM ledger_milestone m WHERE m.item_id = {item}", []),
            (f"SELECT * FROM supervision_listing l WHERE l.item_id = {item}", []),
            (
                f"SELECT * FROM core_auditentry a WHERE a.object_id = {item} ORDER BY a.id DESC LIMIT 200",
                [],
            ),
            # Its light, leaders, co-units, joint lead units and sub-items; the instructions, matters
            # and meeting decisions that name it.
            (f"SELECT * FROM dispatch_itemstatus s WHERE s.item_id = {item}", []),
            (
                f"SELECT l.name FROM org_leader l JOIN ledger_item_leaders il ON il.leader_id = l.id"
                f" WHERE il.item_id = {item}",
                [],
            ),
            (
                f"SELECT u.name FROM org_unit u JOIN ledger_item_co_units ic ON ic.unit_id = u.id"
                f" WHERE ic.item_id = {item}",
                [],
            ),
            (
                f"SELECT u.name FROM org_unit u JOIN ledger_jointlead j ON j.unit_id = u.id WHERE j.item_id = {item}",
                [],
            ),
            (
                f"SELECT i.id, i.code, i.title FROM ledger_item i WHERE i.parent_id = {item} ORDER BY i.seq",
                [],
            ),
            (
                f"SELECT n.* FROM matters_instruction n JOIN matters_instruction_items ni ON ni.instruction_id = n.id"
                f" WHERE ni.item_id = {item}",
                [],
            ),
            (
                f"SELECT m.* FROM matters_matter m JOIN matters_matter_items mi ON mi.matter_id = m.id"
                f" WHERE mi.item_id = {item}",
                [],
            ),
            (f"SELECT * FROM matters_matter m WHERE m.created_item_id = {item}", []),
            (f"SELECT * FROM matters_decision d WHERE d.created_item_id = {item}", []),
        ],  # fmt: skip
        "workbench, office": [*figures(live), (reports_of.format(and_=""), [])],
        "workbench, leader": [
            *figures(live),
            (f"SELECT COUNT(*) FROM ledger_item_leaders WHERE leader_id = {leader}", []),
            (
                f"SELECT i.id, i.title, i.status FROM ledger_item i WHERE {live} AND i.id IN (SELECT item_id FROM"
                f" ledger_item_leaders WHERE leader_id = {leader}) ORDER BY i.status = 'red' DESC, i.seq LIMIT 20",
                [],
            ),
        ],  # fmt: skip
        "workbench, liaison": [
            *figures(f"{live} AND {mine}"),
            (reports_of.format(and_=f"AND r.unit_id = {unit}"), []),
        ],
        "workbench, head": [
            *figures(f"{live} AND {mine}"),
            (reports_of.format(and_=f"AND r.unit_id = {unit}"), []),
        ],
        "fill page, liaison": [
            (
                f"SELECT r.*, i.code, i.title FROM dispatch_report r JOIN ledger_item i ON i.id = r.item_id"
                f" WHERE r.period_id = {period} AND r.unit_id = {unit} ORDER BY i.seq",
                [],
            ),
            (
                f"SELECT r.*, i.code, i.title FROM dispatch_report r JOIN ledger_item i ON i.id = r.item_id"
                f" WHERE r.period_id = {period} AND r.item_id IN (SELECT item_id FROM ledger_item_co_units WHERE"
                f" unit_id = {unit} UNION ALL SELECT item_id FROM ledger_jointlead WHERE unit_id = {unit})"
                f" AND r.unit_id <> {unit} ORDER BY i.seq",
                [],
            ),
            (
                f"SELECT m.* FROM ledger_milestone m JOIN dispatch_report r ON r.item_id = m.item_id"
                f" WHERE r.period_id = {period} AND r.unit_id = {unit}",
                [],
            ),
            # The period, the unit's counts by state, the reports' attachments and milestones reached,
            # and the unit's own parts of the co-unit reports.
            (f"SELECT * FROM dispatch_period p WHERE p.id = {period}", []),
            (
                f"SELECT r.state, COUNT(*) FROM dispatch_report r WHERE r.period_id = {period}"
                f" AND r.unit_id = {unit} GROUP BY r.state",
                [],
            ),
            (
                f"SELECT a.* FROM dispatch_attachment a JOIN dispatch_report r ON r.id = a.report_id"
                f" WHERE r.period_id = {period} AND r.unit_id = {unit}",
                [],
            ),
            (
                f"SELECT rm.* FROM dispatch_reportmilestone rm JOIN dispatch_report r ON r.id = rm.report_id"
                f" WHERE r.period_id = {period} AND r.unit_id = {unit}",
                [],
            ),
            (
                f"SELECT c.* FROM dispatch_contribution c JOIN dispatch_report r ON r.id = c.report_id"
                f" WHERE r.period_id = {period} AND c.unit_id = {unit}",
                [],
            ),
        ],  # fmt: skip
        "review page": [
            (f"SELECT COUNT(*) FROM dispatch_report r WHERE r.period_id = {period}", []),
            (
                f"SELECT r.state, COUNT(*) FROM dispatch_report r WHERE r.period_id = {period} GROUP BY r.state",
                [],
            ),
            (
                f"SELECT r.unit_id, SUM(CASE WHEN r.submitted_at IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN r.is_late"
                f" THEN 1 ELSE 0 END) FROM dispatch_report r WHERE r.period_id = {period} GROUP BY r.unit_id",
                [],
            ),
            (
                f"SELECT r.id, r.state, r.percent, i.code, i.title, u.name FROM dispatch_report r JOIN org_unit u ON"
                f" u.id = r.unit_id JOIN ledger_item i ON i.id = r.item_id WHERE r.period_id = {period}"
                f" ORDER BY u.sort_order, u.name, i.seq, i.code LIMIT {size}",
                [],
            ),
        ],  # fmt: skip
    }


def figure_floors(quarter) -> dict[str, list[tuple[str, list]]]:
    """The bare SQL of the city's figures, page label → queries: the dashboard's (current statuses by
    area, lead unit and leader, the closed months' snapshots, each month's timeliness and returns,
    supervision), and a quarter's bulletin draft (the same groupings over the quarter-end snapshots,
    the year's months, the completed items and the worst lagging ones it names, the count of all lagging
    ones, the units' timeliness)."""
    from django.db import connection

    from gandang.bulletins.lagging import named_limit
    from gandang.dispatch.models import Period

    periods = list(Period.objects.order_by("year", "month"))
    closed = [p.pk for p in periods if p.state == Period.State.CLOSED]
    now = [p.pk for p in periods][-12:]
    year = [
        p.pk for p in periods if p.year == quarter.year and p.month <= quarter.months[-1] and p.pk in closed
    ]
    q_closed = [
        p.pk for p in periods if p.year == quarter.year and p.month in quarter.months and p.pk in closed
    ]
    end = q_closed[-1]
    before = [
        p.pk for p in periods if p.pk in closed and (p.year, p.month) < (quarter.year, quarter.months[0])
    ]
    baseline = before[-1] if before else 0

    def ids(pks: list[int]) -> str:
        return ",".join(str(int(pk)) for pk in pks) or "0"

    # Items not archived: joined where the figure groups by an item's column, else the few archived left out.
    live = "JOIN ledger_item i ON i.id = {t}.item_id WHERE i.is_archived = %s"
    kept = "WHERE {t}.item_id NOT IN (SELECT id FROM ledger_item WHERE is_archived = %s)"
    no_effect = "SUM(CASE WHEN {t}.no_effect THEN 1 ELSE 0 END)"
    groups = "COUNT(*), SUM({t}.percent), COUNT({t}.percent), " + no_effect

    def grouped(table: str, where: str, key: str, params: list, leaders: bool = False) -> tuple[str, list]:
        join = "LEFT JOIN ledger_item_leaders l ON l.item_id = i.id " if leaders else ""
        on = live.format(t="s").replace("WHERE", join + "WHERE")
        return (
            f"SELECT {key}, s.status, {groups.format(t='s')} FROM {table} s {on}{where} GROUP BY {key}, s.status",
            params,
        )

    def trend(pks: list[int]) -> tuple[str, list]:
        return (
            "SELECT s.period_id, s.status, COUNT(*) FROM dispatch_statussnapshot s "
            + kept.format(t="s")
            + f" AND s.period_id IN ({ids(pks)}) GROUP BY s.period_id, s.status",
            [True],
        )

    def timeliness(pks: list[int], key: str) -> list[tuple[str, list]]:
        return [
            (
                f"SELECT r.{key}, SUM(CASE WHEN r.submitted_at IS NOT NULL AND NOT r.is_late THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN r.submitted_at IS NOT NULL AND r.is_late THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN r.submitted_at IS NULL THEN 1 ELSE 0 END) FROM dispatch_report r "
                + kept.format(t="r")
                + f" AND r.period_id IN ({ids(pks)}) GROUP BY r.{key}",
                [True],
            ),
            (
                f"SELECT r.{key}, COUNT(*) FROM dispatch_reportstep st JOIN dispatch_report r ON r.id = st.report_id "
                + kept.format(t="r")
                + f" AND st.action = %s AND r.period_id IN ({ids(pks)}) GROUP BY r.{key}",
                [True, "return"],
            ),
        ]

    current = "dispatch_itemstatus"
    snap, at_end = "dispatch_statussnapshot", f" AND s.period_id = {int(end)}"
    lines = (
        "SELECT s.item_id, i.code, i.title, i.plan_id, p.name, u.name, s.status, s.reason "
        f"FROM {snap} s JOIN ledger_item i ON i.id = s.item_id JOIN ledger_plan p ON p.id = i.plan_id "
        f"LEFT JOIN org_unit u ON u.id = s.lead_unit_id "
    )
    completed = (
        lines + f"WHERE i.is_archived = %s AND s.period_id = {int(end)} AND s.status = 'done' "
        f"AND s.item_id NOT IN (SELECT item_id FROM {snap} WHERE period_id = {int(baseline)} AND status = 'done') "
        "ORDER BY i.plan_id, i.seq, i.code"
    )
    # The lagging items it names (the worst N: red first, the earliest date missed, the lowest progress) and
    # the count of all of them.
    as_of = Period.objects.get(pk=end).last_day.isoformat()
    missed = (
        f"(SELECT m.due_date FROM ledger_milestone m WHERE m.item_id = s.item_id AND m.due_date < '{as_of}' "
        f"AND (m.done_date IS NULL OR m.done_date > '{as_of}') ORDER BY m.due_date LIMIT 1)"
    )
    deadline = f"CASE WHEN NOT i.no_fixed_date AND i.due_date < '{as_of}' THEN i.due_date END"
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    lagging = (
        lines + f"WHERE i.is_archived = %s AND s.period_id = {int(end)} AND s.status IN ('red', 'yellow') "
        f"ORDER BY CASE WHEN s.status = 'red' THEN 0 ELSE 1 END, "
        f"{least}(COALESCE({deadline}, '9999-12-31'), COALESCE({missed}, '9999-12-31')), "
        f"s.percent IS NOT NULL, s.percent, i.plan_id, i.seq, i.code LIMIT {int(named_limit())}"
    )
    lagging_counts = (
        "SELECT SUM(CASE WHEN s.status = 'red' THEN 1 ELSE 0 END), SUM(CASE WHEN s.status = 'yellow' THEN 1 "
        f"ELSE 0 END), COUNT(DISTINCT s.lead_unit_id) FROM {snap} s " + kept.format(t="s") + f"{at_end} "
        "AND s.status IN ('red', 'yellow')"
    )
    return {
        "dashboard": [
            ("SELECT COUNT(*) FROM ledger_item WHERE is_archived = %s", [False]),
            grouped(current, "", "i.area_id", [False]),
            grouped(current, "", "i.lead_unit_id", [False]),
            grouped(current, "", "l.leader_id", [False], leaders=True),
            trend(closed[-12:]),
            *timeliness(now, "period_id"),
            ("SELECT state, level, escalation, deadline FROM supervision_listing", []),
        ],
        "bulletin draft": [
            grouped(snap, at_end, "i.area_id", [False]),
            grouped(snap, at_end, "s.lead_unit_id", [False]),
            grouped(snap, at_end, "l.leader_id", [False], leaders=True),
            trend(year),
            *timeliness(year, "period_id"),
            (completed, [False]),
            (lagging, [False]),
            (lagging_counts, [True]),
            *timeliness(q_closed, "unit_id"),
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the database a previous run built")
    parser.add_argument(
        "--only",
        default="",
        help="measure only the pages whose label contains this (or one of these, comma-separated)",
    )
    args = parser.parse_args()
    setup(args.keep)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gandang.bulletins.models import Bulletin
    from gandang.bulletins.quarter import Quarter
    from gandang.bulletins.services import bulletin_draft
    from gandang.core import clock
    from gandang.demo.scale import build_scale
    from gandang.dispatch.models import Period
    from gandang.ledger.models import Item
    from gandang.org.models import Leader, Unit, User

    clock_day = __import__("datetime").date(2023, 10, 20)
    with clock.pinned(clock_day):
        if not args.keep or not Item.objects.exists():
            start = time.perf_counter()
            counts = build_scale(items=args.items, stdout=sys.stdout)
            print(f"built in {time.perf_counter() - start:.1f} s: {counts}")
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        n_items = Item.objects.count()
        print(f"{connection.vendor}: {n_items} items, {Period.objects.count()} periods")

        office = User.objects.filter(role=User.Role.OFFICE).first()
        unit = Unit.objects.filter(name__endswith="发展改革委").order_by("pk").first()
        liaison = User.objects.get(unit=unit, role=User.Role.LIAISON)
        head = User.objects.get(unit=unit, role=User.Role.HEAD)
        leader_row = Leader.objects.filter(name__startswith="省领导").first()
        leader, _ = User.objects.get_or_create(
            username="bench_leader", defaults={"role": User.Role.LEADER, "leader": leader_row}
        )
        period = Period.objects.get(state=Period.State.OPEN)
        item = Item.objects.filter(lead_unit=unit, leaders__isnull=False).first()
        q3 = Quarter(2023, 3)
        bulletin = Bulletin.objects.filter(year=q3.year, quarter=q3.number).first()
        if bulletin is None:
            bulletin, _ = bulletin_draft(actor=office, quarter=q3)

        clients: dict[str, Client] = {}

        def client_for(user: User) -> Client:
            if user.username not in clients:
                c = Client()
                c.force_login(user)
                device, _ = TOTPDevice.objects.get_or_create(
                    user=user, name="bench", defaults={"confirmed": True}
                )
                session = c.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
                clients[user.username] = c
            return clients[user.username]

        pages = [
            ("ledger list", office, "/ledger/"),
            ("ledger list, filtered", office, f"/ledger/?lead_unit={unit.pk}&status=green&due=year&leader="),
            ("ledger list, by leader", office, f"/ledger/?leader={leader_row.pk}"),
            ("ledger list as liaison", liaison, "/ledger/"),
            ("JSON list", office, "/api/ledger/items"),
            ("item page", office, f"/ledger/items/{item.pk}/"),
            ("workbench, office", office, "/"),
            ("workbench, leader", leader, "/"),
            ("workbench, liaison", liaison, "/"),
            ("workbench, head", head, "/"),
            ("fill page, liaison", liaison, f"/dispatch/periods/{period.pk}/fill/"),
            ("review page", office, f"/dispatch/periods/{period.pk}/"),
            ("dashboard", office, "/dashboard/"),
        ]
        pages.append(("bulletin draft", office, f"/bulletins/{bulletin.pk}/"))
        bare_sql = floors(
            unit=unit.pk,
            leader=leader_row.pk,
            period=period.pk,
            item=item.pk,
            size=settings.GANDANG_PAGE_SIZE,
            today=clock_day.isoformat(),
        ) | figure_floors(q3)
        # What every page costs before it shows anything: an empty page in the product's layout,
        # signed in (middleware, session, second factor, navigation, the bell's count).
        empty_client = client_for(office)
        # SQLite runs inside this process, so its pages and floors are timed by this process's CPU
        # time, which other work on a shared machine does not move; PostgreSQL works in its own
        # processes, so there the wall clock is the measure (run it on a quiet machine).
        on_sqlite = connection.vendor == "sqlite"
        clock = time.process_time if on_sqlite else time.perf_counter
        print("times: " + ("this process's CPU time (SQLite runs inside it)" if on_sqlite else "wall clock"))
        t_empty = median_time(lambda: empty_client.get("/signed-in/"), args.runs, warm_up=True, clock=clock)
        print(f"empty page (/signed-in/, signed in): {t_empty * 1000:.1f} ms")
        print(f"\n{'page':<28}{'ms':>9}{'queries':>9}{'SQL ms':>9}{'floor ms':>10}{'ratio':>8}")
        worst = 0.0
        for label, user, url in pages:
            if args.only and not any(part in label for part in args.only.split(",")):
                continue
            c = client_for(user)
            response = c.get(url)
            assert response.status_code == 200, (label, url, response.status_code)
            queries: list[str] = []
            with connection.execute_wrapper(lambda ex, sql, *a, q=queries: q.append(sql) or ex(sql, *a)):
                c.get(url)
            t = median_time(lambda c=c, url=url: c.get(url), args.runs, warm_up=True, clock=clock)
            floor_sql = bare_sql.get(label)
            if floor_sql is None:
                print(f"{label:<28}{t * 1000:>9.1f}{len(queries):>9}{'—':>9}{'—':>10}{'—':>8}")
                continue
            t_sql = median_time(bare(floor_sql), args.runs, warm_up=True, clock=clock)
            t_floor = t_empty + t_sql
            ratio = t / t_floor
            worst = max(worst, ratio)
            flag = "" if ratio <= TARGET else "  > target"
            print(
                f"{label:<28}{t * 1000:>9.1f}{len(queries):>9}{t_sql * 1000:>9.1f}{t_floor * 1000:>10.1f}{ratio:>8.2f}{flag}"
            )
        print(
            f"\nworst ratio {worst:.2f} (target ≤ {TARGET:g}); floor = the bare SQL of what the page shows"
            " + the empty page"
        )


if __name__ == "__main__":
    main()
