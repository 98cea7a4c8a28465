"""How well are issued plan documents read? The share of tasks, lead units, co-units and dates read right.

    .venv/bin/python bench/docimport_bench.py [--show-misses]

Writes the labelled set of tests/fixtures/plan_documents.py (a 工作要点 with trailing parentheses, a
实施方案 with 牵头单位/责任单位 lines, a district's 任务分工方案 with 责任领导 lines, tasks at the （一）
level, a 任务分工 table in Word, and the 工作要点 as a text PDF) to a temporary folder, reads each
document as the import does (gandang.ledger.document: the rows the preview shows, before any edit),
and compares every task with its label:
  task       found, with its title and area right
  lead       the lead units, in order ("X、Y牵头" → both: X the item's lead unit, which submits the
             report, Y its joint lead unit)
  co         the co-units, as a set, groups such as 各县市区政府 as written
  date       the due date the due-phrase grammar reads (or "long-term"), None when the text has none
Targets: ≥ 95% of tasks and lead units.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import ROOT, setup_django

sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    setup_django(migrate=False)
    from django.conf import settings
    from tests.fixtures.plan_documents import write_all

    from gandang.ledger.dates import DatePhraseError, parse_due
    from gandang.ledger.document.sheet import open_plan_document
    from gandang.ledger.excel.columns import split_names

    totals = {"tasks": [0, 0], "lead": [0, 0], "co": [0, 0], "date": [0, 0]}
    print(f"{'document':<18}{'tasks':>10}{'lead':>10}{'co':>10}{'date':>10}  title / year")
    with tempfile.TemporaryDirectory() as folder:
        for labelled, path in write_all(Path(folder)):
            with path.open("rb") as fh:
                doc = open_plan_document(
                    fh, max_bytes=settings.GANDANG_IMPORT_MAX_BYTES, max_rows=settings.GANDANG_IMPORT_MAX_ROWS
                )
            table = doc.sheet.table
            rows = [
                {f: (cells[i] if i < len(cells) else "") for f, i in table.columns.items()}
                for _, cells in doc.sheet.rows
                if any(cells)
            ]
            score = {k: [0, len(labelled.tasks)] for k in totals}
            misses = []
            for n, want in enumerate(labelled.tasks):
                got = rows[n] if n < len(rows) else {}
                title_ok = got.get("title") == want.title and (got.get("area") or "") == want.area
                lead = split_names(got.get("lead_unit"))
                co = set(split_names(got.get("co_units")))
                try:
                    due = parse_due(got.get("due") or None, plan_year=doc.year)
                    date_ok = due.due_date == want.due and due.no_fixed_date == want.no_fixed
                except DatePhraseError:
                    date_ok = False
                checks = {
                    "tasks": title_ok,
                    "lead": lead == want.lead,
                    "co": co == set(want.co),
                    "date": date_ok,
                }
                for k, ok in checks.items():
                    score[k][0] += ok
                if not all(checks.values()):
                    misses.append((want, got, [k for k, ok in checks.items() if not ok]))
            if len(rows) != len(labelled.tasks):
                misses.append((None, {"rows": len(rows), "labelled": len(labelled.tasks)}, ["count"]))
            for k in totals:
                totals[k][0] += score[k][0]
                totals[k][1] += score[k][1]
            cells = "".join(f"{s[0]:>5}/{s[1]:<4}" for s in score.values())
            title_ok = "✓" if (doc.title, doc.year) == (labelled.plan_title, labelled.year) else "✗"
            print(f"{labelled.name:<18}{cells}  {title_ok} {doc.title} {doc.year}")
            if args.show_misses:
                for want, got, what in misses:
                    print("   miss", what, want, got)
    print("share read right: " + "  ".join(f"{k} {v[0] / v[1]:.1%}" for k, v in totals.items()))
    ok = totals["tasks"][0] >= 0.95 * totals["tasks"][1] and totals["lead"][0] >= 0.95 * totals["lead"][1]
    print("target (≥95% tasks and lead units):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
