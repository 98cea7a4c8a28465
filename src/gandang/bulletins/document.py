"""A bulletin as a document: a draft is assembled from the records on every read, an issued one is read frozen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gandang.bulletins import drafting
from gandang.bulletins.figures import QuarterFigures, quarter_figures
from gandang.bulletins.models import Bulletin
from gandang.core import clock
from gandang.documents import structure as s


@dataclass
class Draft:
    figures: QuarterFigures
    parts: list[drafting.Part]
    document: s.Document


def _corrects(bulletin: Bulletin) -> tuple[str, str] | None:
    old = bulletin.corrects
    return (old.doc_number, old.title) if old is not None else None


def draft(bulletin: Bulletin, *, charts: bool = True, on: date | None = None) -> Draft:
    """The draft as it stands now: the office's edited sections, everything else from the records."""
    f = quarter_figures(bulletin.quarter_obj)
    parts = drafting.parts(f, bulletin.sections or {}, charts=charts)
    doc = drafting.document(
        bulletin.quarter_obj, parts, draft=True, on=on or clock.today(), corrects=_corrects(bulletin)
    )
    return Draft(figures=f, parts=parts, document=doc)


def issued_document(bulletin: Bulletin, *, figures: QuarterFigures, on: date, doc_number: str) -> s.Document:
    """The document to freeze at issue: the same sections as the draft, numbered and dated, unmarked."""
    parts = drafting.parts(figures, bulletin.sections or {})
    return drafting.document(
        bulletin.quarter_obj, parts, draft=False, on=on, doc_number=doc_number, corrects=_corrects(bulletin)
    )


def bulletin_document(bulletin: Bulletin) -> s.Document:
    """What downloads and the CLI write: the frozen content once issued, else the live draft."""
    if bulletin.is_issued and bulletin.content:
        return s.document_from_data(bulletin.content)
    return draft(bulletin).document


FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def render(doc: s.Document, fmt: str) -> bytes:
    """The document as .docx or PDF bytes."""
    if fmt == "docx":
        from gandang.documents.word import render_docx

        return render_docx(doc)
    if fmt == "pdf":
        from gandang.documents.pdf import render_pdf

        return render_pdf(doc)
    raise ValueError(f"unknown format {fmt!r}")
