"""Writes of the document layer: issuing document numbers, and the office's wording templates."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from gandang.documents import conf
from gandang.documents.models import DocumentSequence, DocumentTemplate
from gandang.documents.wording import DEFAULTS


@transaction.atomic
def number_next(*, kind: str, year: int) -> int:
    """The next number of `kind` in `year`: 1, 2, 3 … with no repeat and no gap.

    Call it inside the transaction that saves the numbered document: if that transaction rolls
    back, so does the number, and it is issued again. Concurrent issuers are serialised by the
    row lock the UPDATE takes (PostgreSQL) or by SQLite's IMMEDIATE write transaction.
    """
    seq, _created = DocumentSequence.objects.select_for_update().get_or_create(kind=kind, year=year)
    DocumentSequence.objects.filter(pk=seq.pk).update(last=F("last") + 1)
    seq.refresh_from_db(fields=["last"])
    return seq.last


def number_format(*, kind: str, year: int, number: int) -> str:
    """The document number as printed: prefix〔year〕n号, e.g. 改提〔2023〕5号."""
    return f"{conf.number_prefixes().get(kind, '')}〔{year}〕{number}号"


def number_issue(*, kind: str, year: int) -> str:
    """Take the next number and format it."""
    return number_format(kind=kind, year=year, number=number_next(kind=kind, year=year))


def templates_ensure_defaults() -> None:
    """Create the shipped wording for every kind the office has not written its own for."""
    for kind, fields in DEFAULTS.items():
        DocumentTemplate.objects.get_or_create(kind=kind, defaults=fields)


def template_get(*, kind: str) -> DocumentTemplate:
    """The office's wording for `kind`, created from the shipped default on first use."""
    try:
        return DocumentTemplate.objects.get(kind=kind)
    except DocumentTemplate.DoesNotExist:
        if kind not in DEFAULTS:
            raise
        template, _created = DocumentTemplate.objects.get_or_create(kind=kind, defaults=DEFAULTS[kind])
        return template
