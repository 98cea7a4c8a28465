"""A fixture for tests/test_layering.py, read as text, never imported: core reading the domain."""

import gandang.ledger.models  # noqa: F401
from gandang import ledger  # noqa: F401
