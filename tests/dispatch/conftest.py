import pytest

from gandang.dispatch import services
from gandang.dispatch.models import Report


@pytest.fixture
def period(city):
    """October 2023 opened by the office: one report per item of the test city."""
    period, _n = services.period_open(actor=city.users["office"], year=2023, month=10)
    return period


@pytest.fixture
def report_a(period, city):
    """Unit A's report on item a (unit B is a co-unit of item a)."""
    return Report.objects.get(period=period, item=city.items["a"])
