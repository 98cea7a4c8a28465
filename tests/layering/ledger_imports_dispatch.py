"""A fixture for tests/test_layering.py, read as text, never imported: a ledger module that asks the
dispatch (a layer above) for something, at the top and inside a function."""

from gandang.dispatch.models import Status  # noqa: F401


def months(item):
    from gandang.dispatch.selectors import item_months

    return item_months(item)
