"""Each user lands on a workbench whose counts cover only what the user may see."""

import re
from datetime import timedelta

from django.utils import timezone

from gandang.ledger import services


def _tile(body: str, label: str) -> int:
    match = re.search(r"<b>(\d+)</b><span>" + label, body)
    assert match, label
    return int(match.group(1))


def test_liaison_counts_cover_own_unit_only(login, city):
    body = login(city.users["liaison_a"]).get("/").content.decode()
    assert _tile(body, "本单位参与事项") == 1
    assert _tile(body, "本单位牵头") == 1
    assert _tile(body, "本单位配合") == 0
    body = login(city.users["liaison_b"]).get("/").content.decode()
    assert _tile(body, "本单位参与事项") == 2
    assert _tile(body, "本单位配合") == 1


def test_office_counts_cover_the_whole_ledger(login, city):
    assert _tile(login(city.users["office"]).get("/").content.decode(), "台账事项") == 3


def test_leader_sees_own_led_items_first(login, city):
    body = login(city.users["leader"]).get("/").content.decode()
    assert "我领衔的事项" in body
    assert city.items["a"].title in body.split("我领衔的事项")[1].split("</section>")[0]


def test_due_soon_lists_items_due_within_30_days(login, city):
    item = city.items["b"]
    services.item_update(
        actor=city.users["office"],
        item=item,
        expected_version=item.version,
        fields={"due_date": timezone.localdate() + timedelta(days=10)},
    )
    body = login(city.users["liaison_b"]).get("/").content.decode()
    assert _tile(body, "30天内到期") == 1
    assert login(city.users["liaison_a"]).get("/").content.decode().count(item.title) == 0


def test_overdue_milestone_tile_opens_the_matching_list(login, city):
    client = login(city.users["liaison_a"])
    body = client.get("/").content.decode()
    assert _tile(body, "有逾期时间节点") == 1  # item a's 2023-06-30 milestone is not done
    listing = client.get("/ledger/", {"flag": "overdue_ms"}).content.decode()
    assert city.items["a"].title in listing and "共 1 项" in listing


def test_a_units_status_chips_count_what_their_lists_show(login, city):
    """Unit B leads item b and co-operates on item a (item a also has a second co-unit): every chip's
    number is the length of the ledger list it links to."""
    import re

    from gandang.dispatch.models import ItemStatus

    city.items["a"].co_units.add(city.units["c"])
    city.items["b"].co_units.add(city.units["a"], city.units["c"])  # B's own item with two co-units
    ItemStatus.objects.create(item=city.items["a"], status="green", reason="")
    ItemStatus.objects.create(item=city.items["b"], status="green", reason="")
    ItemStatus.objects.create(item=city.items["c"], status="red", reason="")
    from gandang.ledger.models import Item

    d = Item.objects.create(plan=city.plan, code="4", seq=4, title="第四项", lead_unit=city.units["b"])
    ItemStatus.objects.create(item=d, status="green", reason="")
    client = login(city.users["liaison_b"])
    home = client.get("/").content.decode()
    for status in ("green", "red"):
        shown = int(
            re.search(rf'\?status={status}" class="light light-{status}">[^<]*?(\d+)</a>', home).group(1)
        )
        listed = client.get(f"/ledger/?status={status}").content.decode()
        assert f"共 {shown} 项" in listed, status
    assert 'href="/ledger/?lead_unit=' in home


def test_the_report_tiles_count_the_open_periods_reports_of_the_users_own(login, city):
    """The office's to-review, suspected-copy and missing tiles count every open period's reports and
    nothing of a closed one; a unit's missing tile counts only the reports its own unit files, not
    those of an item it co-operates on (unit B co-operates on item a)."""
    from gandang.dispatch import services as dispatch
    from gandang.dispatch.models import Period, Report

    office = city.users["office"]
    september, _n = dispatch.period_open(actor=office, year=2023, month=9)
    october, _n = dispatch.period_open(actor=office, year=2023, month=10)
    Report.objects.filter(period=september).update(state="signed", is_copy=True, is_missing=True)
    Period.objects.filter(pk=september.pk).update(state=Period.State.CLOSED)
    Report.objects.filter(period=october, item=city.items["a"]).update(state="signed", is_copy=True)
    Report.objects.filter(period=october, item=city.items["b"]).update(state="signed")
    Report.objects.filter(period=october, item__in=[city.items["a"], city.items["c"]]).update(is_missing=True)
    Report.objects.filter(period=october, item=city.items["c"]).update(submitted_at=timezone.now())
    body = login(office).get("/").content.decode()
    assert _tile(body, f"{october}待审核") == 2
    assert _tile(body, "待审核中疑似照抄") == 1
    assert _tile(body, "截止未报送") == 1  # item a's; item c's came in late
    assert _tile(login(city.users["liaison_a"]).get("/").content.decode(), "截止未报送") == 1
    assert _tile(login(city.users["liaison_b"]).get("/").content.decode(), "截止未报送") == 0
