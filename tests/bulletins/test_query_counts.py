"""The dashboard and a quarter's bulletin draft run as many queries for a province as for a town:
each figure is one aggregate over the ledger, not a query (or a parameter) per item."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandang.bulletins import services
from gandang.bulletins.quarter import Quarter
from gandang.core import clock
from gandang.demo.scale import build_scale
from gandang.org.models import User


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["dashboard", "bulletin"])
def test_queries_do_not_grow_with_items(db, login, page):
    with clock.pinned(date(2023, 10, 20)):
        build_scale(items=40)
        office = User.objects.get(role=User.Role.OFFICE)
        client = login(office)
        bulletin, _created = services.bulletin_draft(actor=office, quarter=Quarter(2023, 3))
        url = "/dashboard/" if page == "dashboard" else f"/bulletins/{bulletin.pk}/"
        few = _queries(client, url)
        # A second province, a year earlier: five times the items, reports and snapshots.
        build_scale(items=200, year=2022)
        assert client.get("/dashboard/").context["d"].total == 240
        assert _queries(client, url) == few
