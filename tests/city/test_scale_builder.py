"""The province builder (gandang demo --scale province, bench/scale_bench.py) writes a ledger the product
reads like any other: every item listed, reported, lit and scoped to its units."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Q

from gandang.core import clock
from gandang.demo.build import database_is_demo_or_empty
from gandang.demo.scale import build_scale
from gandang.dispatch.models import ItemStatus, Period, Report, StatusSnapshot
from gandang.ledger.models import Item
from gandang.org.models import Unit, User

pytestmark = pytest.mark.django_db


def test_a_province_of_items_reads_like_any_ledger(client):
    with clock.pinned(date(2023, 10, 20)):
        counts = build_scale(items=300, months=4)
    assert counts["created"] and counts["items"] == 300 and counts["units"] == 448
    assert Item.objects.count() == 300 and Report.objects.count() == 1200
    assert ItemStatus.objects.count() == 300 and StatusSnapshot.objects.count() == 900  # 3 closed months
    assert Period.objects.filter(state=Period.State.OPEN).get().month == 4
    # The summary fields the ledger filters by agree with the status rows.
    assert Item.objects.filter(status="red").count() == ItemStatus.objects.filter(status="red").count() > 0
    # Sub-items point at an item of the same build; every co-unit row names a unit.
    assert Item.objects.filter(parent__isnull=False).count() == 15

    liaison = User.objects.filter(role=User.Role.LIAISON, unit__led_items__isnull=False).first()
    client.force_login(liaison)
    page = client.get("/ledger/")
    assert page.status_code == 200
    visible = Item.objects.filter(Q(lead_unit=liaison.unit) | Q(co_units=liaison.unit)).distinct()
    assert page.context["page"].paginator.count == visible.count() > 0  # led or co-operated, each once
    own = Item.objects.filter(lead_unit=liaison.unit).first()
    assert client.get(f"/ledger/items/{own.pk}/").status_code == 200
    other = Item.objects.exclude(lead_unit=liaison.unit).exclude(co_units=liaison.unit).first()
    assert client.get(f"/ledger/items/{other.pk}/").status_code == 404

    with clock.pinned(date(2023, 10, 20)):
        again = build_scale(items=300, months=4)
    assert not again["created"] and Item.objects.count() == 300


def test_the_demo_adds_a_province_beside_the_city(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", "--scale", "province", "--items", "200", "--no-serve", stdout=out)
    said = out.getvalue()
    assert "全省规模：448 个单位，改革事项 200 项" in said
    city_items = Item.objects.exclude(code__startswith="S").count()
    assert city_items > 100 and Item.objects.filter(code__startswith="S").count() == 200
    # The province's items report in the demo year's own periods, the open month included.
    open_period = Period.objects.get(plan__isnull=True, state=Period.State.OPEN)  # the open month
    assert Report.objects.filter(period=open_period, item__code__startswith="S").count() == 200
    # demo --reset may still wipe it: the city and the province are both the demo's.
    assert database_is_demo_or_empty()
    Unit.objects.create(name="某真实单位")
    assert not database_is_demo_or_empty()
