"""A ledger's preview and commit cost a fixed number of queries, however many rows it has.

The names a file uses (units, aliases, leaders, areas, plans) and the plan's items are loaded once
into dicts; a 10,000-row ledger must not ask the database a question per row.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandang.ledger import services
from gandang.ledger.excel.importer import parse_ledger

from .workbooks import ledger


def _rows(n: int, names: str) -> list[list[object]]:
    """`n` rows: the city's items 1-3 changed, then new ones, every fifth a sub-item of the one above;
    known and unknown (`names`-prefixed) units and leaders, a unit alias, two-stage due phrases."""
    rows: list[list[object]] = []
    for i in range(1, n + 1):
        parent = str(i - 1) if i > 3 and i % 5 == 0 else ""
        rows.append(
            [
                i,
                str(i),
                f"改革事项{i}",
                f"目标{i}",
                "制度机制",
                f"赵明远（副市长）、{names}领导{i}（市委常委）",
                "市发改委" if i % 2 else f"{names}单位{i}",
                f"岱岳区、市教育局、{names}配合{i}",
                "2023年9月底前完成方案，12月底前形成经验" if i % 3 else "2023年6月底前",
                "是" if i % 4 else "否",
                parent,
                f"备注{i}",
            ]
        )
    return rows


def _queries(fn) -> int:
    ContentType.objects.clear_cache()  # the audit's content types: asked once per import, not per row
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_preview_asks_as_many_queries_for_60_rows_as_for_6(city, xlsx):
    def preview(n: int) -> int:
        path = ledger(xlsx(), _rows(n, f"新{n}"))
        return _queries(lambda: parse_ledger(path, plan=city.plan, plan_year=2023))

    assert preview(60) == preview(6)


def test_the_commit_adds_no_query_per_row(city, xlsx):
    def commit(n: int) -> int:
        path = ledger(xlsx(), _rows(n, f"新{n}"))
        return _queries(
            lambda: services.ledger_import(
                actor=city.users["office"],
                workbook=path,
                filename=path.name,
                new_plan_year=2023,
                new_plan_name=f"方案{n}",
                create_missing=True,
            )
        )

    small, large = commit(6), commit(60)
    # Only the bulk statements grow: SQLite takes at most 999 values in one statement, so 60 new
    # items (27 columns each) and their audit entries need a few more INSERTs than 6 do.
    assert large - small <= 6, (small, large)
