"""Province scale: what each page costs on 100,000 items × 10 monthly reports, against the bare SQL
of what it shows, measured in the same run.

    GANDANG_DATA_DIR=$(mktemp -d) .venv/bin/python bench/scale_bench.py [--items 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gandang_bench .venv/bin/python bench/scale_bench.py

Builds the province with the demo's bulk path (gandang.demo.scale: 16 cities, 448 units, N items with
leaders, co-units, sub-items and milestones, 10 monthly periods with one report per item each, the
lights and their snapshots), then times each page through Django's test client (the whole request:
middleware, second factor, session, template) as the person who uses it, and beside it the floor: the
bare SQL of the rows that page shows (its count and its 50 rows, or its figures), timed the same way.
The target is a ratio of at most 3. Each figure is the median of several runs; the query count of each
page is printed too, and must not grow with the ledger (tests/test_query_counts.py checks it).

On PostgreSQL the database named in DATABASE_URL is emptied and rebuilt (use one made for the bench);
`--keep` reuses a database the previous run built, to measure again without rebuilding.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TARGET = 3.0


def setup_django(keep: bool) -> None:
    os.environ.setdefault("GANDANG_DATA_DIR", tempfile.mkdtemp(prefix="scale-bench-"))
    sqlite_file = Path(os.environ["GANDANG_DATA_DIR"]) / "gandang.sqlite3"
    if not keep and not os.environ.get("DATABASE_URL"):
        sqlite_file.unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandang.settings")
    os.environ.setdefault("GANDANG_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not keep and os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm: templates, content types, the database's own caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare(sql_list: list[tuple[str, list]]) -> Callable[[], None]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cur:
            for sql, params in sql_list:
                cur.execute(sql, params)
                cur.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the database a previous run built")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    args = parser.parse_args()
    setup_django(args.keep)

    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gandang.bulletins.models import Bulletin
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
        bulletin = Bulletin.objects.first()

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
        if bulletin is not None:
            pages.append(("bulletin draft", office, f"/bulletins/{bulletin.pk}/"))

        print(f"\n{'page':<28}{'ms':>9}{'queries':>9}")
        for label, user, url in pages:
            if args.only and args.only not in label:
                continue
            c = client_for(user)
            response = c.get(url)
            assert response.status_code == 200, (label, url, response.status_code)
            queries: list[str] = []
            with connection.execute_wrapper(lambda ex, sql, *a, q=queries: q.append(sql) or ex(sql, *a)):
                c.get(url)
            t = median_time(lambda c=c, url=url: c.get(url), args.runs)
            print(f"{label:<28}{t * 1000:>9.1f}{len(queries):>9}")


if __name__ == "__main__":
    main()
