"""Helpers shared by the ledger import/export tests."""

from pathlib import Path

import pytest


@pytest.fixture
def counts(db):
    """A callable giving the number of rows of every table an import may write."""
    from gandang.core.models import AuditEntry
    from gandang.ledger.models import Area, ImportBatch, Item, Milestone, Plan
    from gandang.org.models import Leader, Unit

    def _counts() -> dict[str, int]:
        models = [Item, Unit, Leader, AuditEntry, Plan, Area, Milestone, ImportBatch]
        return {m.__name__: m.objects.count() for m in models}

    return _counts


@pytest.fixture
def xlsx(tmp_path):
    """A fresh path for a workbook in the test's directory."""
    n = iter(range(1000))

    def _path(name: str = "") -> Path:
        return tmp_path / (name or f"ledger-{next(n)}.xlsx")

    return _path
