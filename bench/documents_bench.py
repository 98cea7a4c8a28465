"""How fast are the official documents (提醒函, 季通报), against bare renders of the same text?

    GANDANG_DATA_DIR=$(mktemp -d) .venv/bin/python bench/documents_bench.py [--runs 7]

Builds the demo city (`gandang.demo.build.build_demo`: 147 items, February–November closed) in a
fresh SQLite database, the calendar pinned to the demo's 2023-12-05, and times in the same run:
  (a) the reminder letter: listing an item (`supervision.services.listing_create`, which numbers,
      stores and notifies; rolled back after each run) against a bare INSERT of the same letter row;
      its .docx and PDF (`documents.word.render_docx`, `documents.pdf.render_pdf`) against python-docx
      and WeasyPrint given the same text bare (no GB/T 9704 page set-up, fonts or CSS);
  (b) the 2023Q3 bulletin: its figures (`bulletins.figures.quarter_figures`) against a bare SQL count
      of the snapshots they read; its draft (`bulletins.document.draft`: figures, sections, matplotlib
      charts, Document) against the same draft without charts; its .docx and PDF with charts against
      the same renderers without charts, and without charts against the bare renders.
Each figure is the median of several runs, after a warm-up run (the first WeasyPrint layout warms
fontconfig's cache, the first chart matplotlib's font list; those cold runs are printed apart).
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from html import escape
from io import BytesIO
from pathlib import Path
from typing import Any

from common import fresh_data_dir, median_time, setup_django, timed

DEMO_TODAY = "2023-12-05"  # gandang.demo.build.DEMO_TODAY, before Django is set up


def pdf_pages(pdf: bytes, scratch: Path) -> int:
    """Pages of a PDF: pdfinfo when installed, else a count of its page objects."""
    if shutil.which("pdfinfo"):
        path = scratch / "count.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


# -- bare renders of a document's text: what python-docx and WeasyPrint cost with no layout of ours ----


def _bare_lines(doc) -> list[Any]:
    """The document's text in order, tables kept as tables, images left out."""
    from gandang.documents import structure as s

    out: list[Any] = [doc.issuer, doc.doc_number, doc.title, doc.recipient]
    for label, block in doc.numbered():
        if isinstance(block, s.Heading):
            out.append(label + block.text)
        elif isinstance(block, s.Paragraph):
            out.append(block.text)
        elif isinstance(block, s.Table):
            out += [block.caption, block]
    out += [doc.signature, doc.date_zh, f"抄送：{doc.copy_to}" if doc.copy_to else ""]
    return [x for x in out if x]


def bare_docx(doc) -> bytes:
    """python-docx's default template, one unstyled paragraph a line, tables as plain grids."""
    from docx import Document as new_docx

    from gandang.documents import structure as s

    d = new_docx()
    for line in _bare_lines(doc):
        if isinstance(line, s.Table):
            table = d.add_table(rows=1 + len(line.rows), cols=len(line.header))
            for row, values in zip(table.rows, [line.header, *line.rows], strict=True):
                for cell, text in zip(row.cells, values, strict=True):
                    cell.text = text
        else:
            d.add_paragraph(line)
    out = BytesIO()
    d.save(out)
    return out.getvalue()


def bare_html(doc) -> str:
    """The same text as a bare HTML page: no official CSS, WeasyPrint's default page and fonts."""
    from gandang.documents import structure as s

    parts = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>']
    for line in _bare_lines(doc):
        if isinstance(line, s.Table):
            rows = [line.header, *line.rows]
            parts.append(
                "<table>"
                + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
                + "</table>"
            )
        else:
            parts.append(f"<p>{escape(line)}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def bare_pdf(doc) -> bytes:
    from weasyprint import HTML

    return HTML(string=bare_html(doc)).write_pdf()


def without_charts(doc):
    from dataclasses import replace

    from gandang.documents import structure as s

    return replace(doc, blocks=[b for b in doc.blocks if not isinstance(b, s.Image)])


# -- the bench --------------------------------------------------------------------------------------


def pick_item():
    """A red item led by a city leader and not yet listed: the letter the office most often sends."""
    from gandang.dispatch.models import Status
    from gandang.ledger.models import Item
    from gandang.supervision.models import Listing

    listed = Listing.objects.filter(state=Listing.State.LISTED).values_list("item_id", flat=True)
    candidates = (
        Item.objects.filter(is_archived=False, lead_unit__isnull=False, current_status__status=Status.RED)
        .exclude(pk__in=listed)
        .order_by("seq", "code")
    )
    return candidates.filter(leaders__isnull=False).first() or candidates.first()


def main() -> None:
    parser = argparse.ArgumentParser(description="official documents bench")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median printed)")
    args = parser.parse_args()
    runs = max(args.runs, 1)
    data_dir = fresh_data_dir("documents-bench-")
    setup_django(GANDANG_TODAY=DEMO_TODAY)

    # The PDF renderer points fontconfig at the app's aliases before WeasyPrint is first imported;
    # the bare baseline must read the same fontconfig, so do it here, before either runs.
    from gandang.documents.fonts import use_official_aliases

    use_official_aliases()
    t_import_wp, _ = timed(lambda: importlib.import_module("weasyprint"))

    from django.db import connection, transaction

    from gandang.bulletins import document as bulletin_doc
    from gandang.bulletins import plots
    from gandang.bulletins import services as bulletin_services
    from gandang.bulletins.figures import quarter_figures
    from gandang.bulletins.quarter import Quarter
    from gandang.demo.build import DEMO_TODAY as today
    from gandang.demo.build import build_demo
    from gandang.dispatch.models import Period
    from gandang.documents.pdf import render_pdf
    from gandang.documents.structure import Table
    from gandang.documents.word import render_docx
    from gandang.org.demo import USERS
    from gandang.org.models import User
    from gandang.supervision import services
    from gandang.supervision.models import Listing

    assert today == date.fromisoformat(DEMO_TODAY)
    t_build, result = timed(build_demo)
    print(
        f"demo city: {result['items']} items, {result['units']} units, built in {t_build:.1f} s"
        f" (SQLite, today pinned to {today}); median of {runs} runs after a warm-up run"
    )
    office = User.objects.get(username=USERS[0][0])

    rows: list[tuple[str, float | None, float | None, str]] = []
    pages: list[tuple[str, int]] = []

    # (a) the reminder letter -----------------------------------------------------------------------
    item = pick_item()
    data = services.ListingInput(
        level=Listing.Level.LEADER if item.leaders.exists() else Listing.Level.OFFICE,
        reason="连续两个月严重滞后",
        requirements="对照年度改革要点，逐项明确整改措施和完成时限，于整改时限前完成滞后节点。",
        deadline=today + timedelta(days=30),
    )

    def list_item():
        with transaction.atomic():
            services.listing_create(actor=office, item=item, data=data, today=today)
            transaction.set_rollback(True)

    list_item()  # warm-up (templates, wording row, query compilation)
    t_list = median_time(list_item, runs)

    listing = services.listing_create(actor=office, item=item, data=data, today=today)
    letter = listing.letters.get()

    def bare_letter_row():
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO supervision_letter (listing_id, kind, year, number, doc_number, unit_id, title,"
                " content, deadline, issued_by_id, issued_on, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, CURRENT_TIMESTAMP)",
                [
                    listing.pk,
                    letter.kind,
                    letter.year,
                    letter.number + 1000,
                    letter.doc_number,
                    letter.unit_id,
                    letter.title,
                    letter_json(letter),
                    letter.deadline,
                    office.pk,
                    letter.issued_on,
                ],
            )
            transaction.set_rollback(True)

    bare_letter_row()
    t_bare_row = median_time(bare_letter_row, runs)
    rows.append(("提醒函 listing_create", t_list, t_bare_row, "bare INSERT of the letter row"))

    letter_doc = services.letter_as_document(letter)
    render_docx(letter_doc)
    bare_docx(letter_doc)
    rows.append(
        (
            "提醒函 .docx render_docx",
            median_time(lambda: render_docx(letter_doc), runs),
            median_time(lambda: bare_docx(letter_doc), runs),
            "bare python-docx, same text",
        )
    )

    cold_official, letter_pdf = timed(lambda: render_pdf(letter_doc))  # warms fontconfig's cache
    cold_bare, letter_bare_pdf = timed(lambda: bare_pdf(letter_doc))
    rows.append(
        (
            "提醒函 PDF render_pdf",
            median_time(lambda: render_pdf(letter_doc), runs),
            median_time(lambda: bare_pdf(letter_doc), runs),
            "bare WeasyPrint HTML, same text",
        )
    )
    pages += [("提醒函 PDF (GB/T 9704)", pdf_pages(letter_pdf, data_dir))]
    pages += [("提醒函 bare PDF", pdf_pages(letter_bare_pdf, data_dir))]

    # (b) the quarterly bulletin --------------------------------------------------------------------
    quarter = Quarter(2023, 3)
    bulletin, _created = bulletin_services.bulletin_draft(actor=office, quarter=quarter, today=today)
    figures = quarter_figures(quarter)
    assert figures.complete, "the demo's 2023Q3 should have its three months closed"
    year_periods = list(
        Period.objects.filter(year=quarter.year, month__lte=quarter.months[-1]).values_list("pk", flat=True)
    )

    def bare_count():
        with connection.cursor() as cur:
            marks = ",".join(["%s"] * len(year_periods))
            cur.execute(
                "SELECT period_id, status, COUNT(*) FROM dispatch_statussnapshot"
                f" WHERE period_id IN ({marks}) GROUP BY period_id, status",
                year_periods,
            )
            cur.fetchall()

    quarter_figures(quarter)
    bare_count()
    rows.append(
        (
            "季通报 quarter_figures 2023Q3",
            median_time(lambda: quarter_figures(quarter), runs),
            median_time(bare_count, runs),
            f"bare SQL count, snapshots of {len(year_periods)} months",
        )
    )

    cold_charts, draft = timed(lambda: bulletin_doc.draft(bulletin, on=today))  # warms matplotlib's fonts
    bulletin_doc.draft(bulletin, charts=False, on=today)
    rows.append(
        (
            "季通报 draft (figures+text+charts)",
            median_time(lambda: bulletin_doc.draft(bulletin, on=today), runs),
            median_time(lambda: bulletin_doc.draft(bulletin, charts=False, on=today), runs),
            "the same draft without charts",
        )
    )
    d = figures.figures

    def charts_only():
        plots.status_chart(d, "图1")
        plots.trend_chart(d.trend, "图2")
        plots.area_chart(d.by_area, "图3")

    rows.append(("  of which the 3 charts (SVG+PNG)", median_time(charts_only, runs), None, ""))

    doc = draft.document
    plain = without_charts(doc)
    n_images = len(doc.blocks) - len(plain.blocks)
    n_tables = sum(1 for b in doc.blocks if isinstance(b, Table))
    render_docx(doc)
    render_docx(plain)
    bare_docx(plain)
    t_docx_plain = median_time(lambda: render_docx(plain), runs)
    rows.append(
        (
            "季通报 .docx render_docx",
            median_time(lambda: render_docx(doc), runs),
            t_docx_plain,
            "render_docx without charts",
        )
    )
    rows.append(
        (
            "季通报 .docx, no charts",
            t_docx_plain,
            median_time(lambda: bare_docx(plain), runs),
            "bare python-docx, same text",
        )
    )

    bulletin_pdf, plain_pdf, bare_bulletin_pdf = render_pdf(doc), render_pdf(plain), bare_pdf(plain)
    t_pdf_plain = median_time(lambda: render_pdf(plain), runs)
    rows.append(
        (
            "季通报 PDF render_pdf",
            median_time(lambda: render_pdf(doc), runs),
            t_pdf_plain,
            "render_pdf without charts",
        )
    )
    rows.append(
        (
            "季通报 PDF, no charts",
            t_pdf_plain,
            median_time(lambda: bare_pdf(plain), runs),
            "bare WeasyPrint HTML, same text",
        )
    )
    pages += [
        ("季通报 PDF (charts)", pdf_pages(bulletin_pdf, data_dir)),
        ("季通报 PDF, no charts", pdf_pages(plain_pdf, data_dir)),
        ("季通报 bare PDF", pdf_pages(bare_bulletin_pdf, data_dir)),
    ]

    # -- the table --------------------------------------------------------------------------------
    print(
        f"\n季通报 2023Q3: {len(doc.blocks)} blocks ({n_tables} tables, {n_images} charts);"
        f" 提醒函 {letter.doc_number}: {len(letter_doc.blocks)} blocks"
    )
    print(
        f"cold first runs (not in the medians): import weasyprint {t_import_wp:.3f} s; first render_pdf"
        f" {cold_official:.3f} s (warms fontconfig's cache),"
        f" bare WeasyPrint {cold_bare:.3f} s, draft with charts {cold_charts:.3f} s (matplotlib fonts)"
    )
    w = 38
    print(f"\n{'measure':<{w}}{'seconds':>9}{'baseline s':>12}{'ratio':>8}  baseline")
    for label, t, base, what in rows:
        base_s = f"{base:>12.4f}" if base is not None else f"{'':>12}"
        ratio = f"{t / base:>8.1f}" if base else f"{'':>8}"
        print(f"{_pad(label, w)}{t:>9.4f}{base_s}{ratio}  {what}")
    print(f"\n{'PDF':<{w}}{'pages':>9}")
    for label, n in pages:
        print(f"{_pad(label, w)}{n:>9}")


def letter_json(letter) -> str:
    return json.dumps(letter.content, ensure_ascii=False)


def _pad(text: str, width: int) -> str:
    """Left-align counting Chinese characters as two terminal cells."""
    import unicodedata

    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - cells, 0)


if __name__ == "__main__":
    main()
