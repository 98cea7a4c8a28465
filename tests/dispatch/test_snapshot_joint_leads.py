"""A period's snapshot keeps who led each item then: the first lead and the joint lead units (共同牵头单位),
in the plan's order. Once the period closes, a change of joint leads in the ledger leaves its record as
it was: the item page's month table, the report page and the bulletin (tests/bulletins) read the snapshot.

Item 3 is led by 市教育局 (unit C) with 市发展改革委 (unit A) as joint lead when October closes; the office
then replaces unit A by 岱岳区 (unit B)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from gandang.dispatch import engine
from gandang.dispatch import services as dispatch
from gandang.dispatch.models import Report, SnapshotJointLead, StatusSnapshot
from gandang.ledger import services as ledger
from gandang.ledger.models import Item


def _set_joint(city, item, units):
    item = Item.objects.get(pk=item.pk)
    return ledger.item_update(
        actor=city.users["office"], item=item, expected_version=item.version, fields={}, joint_leads=units
    )


def _month_row(html: str, label: str) -> str:
    """The item page's month-table row of the period `label` (e.g. 2023年10月), its cells' text."""
    table = html[html.index("<tbody>", html.index("调度期")) :]
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", table, re.S) if label in r)
    return re.sub(r"<[^>]+>", " ", row)


@pytest.fixture
def closed(city, period):
    """October 2023 closed with item 3 led by unit C, unit A leading jointly; then unit A replaced by B."""
    _set_joint(city, city.items["c"], [city.units["a"]])
    dispatch.period_close(actor=city.users["office"], period=period)
    _set_joint(city, city.items["c"], [city.units["b"]])
    return period


def test_closing_a_period_snapshots_the_joint_leads_in_order(city, period):
    _set_joint(city, city.items["c"], [city.units["b"], city.units["a"]])
    dispatch.period_close(actor=city.users["office"], period=period)
    snap = StatusSnapshot.objects.get(period=period, item=city.items["c"])
    assert [u.name for u in snap.joint_leads] == ["岱岳区", "市发展改革委"]
    assert snap.lead_units_display == "市教育局、岱岳区、市发展改革委"
    # Items without joint leads have none in their snapshot.
    assert StatusSnapshot.objects.get(period=period, item=city.items["a"]).joint_leads == []


def test_changing_joint_leads_after_the_close_leaves_the_closed_record(city, closed, login):
    snap = StatusSnapshot.objects.get(period=closed, item=city.items["c"])
    assert [u.name for u in snap.joint_leads] == ["市发展改革委"]
    # The tick later runs over the closed period: history is not refreshed.
    assert engine.snapshot_period(closed, as_of=date(2023, 12, 5)) == 0
    assert list(SnapshotJointLead.objects.filter(snapshot=snap).values_list("unit__name", flat=True)) == [
        "市发展改革委"
    ]
    page = login(city.users["office"]).get(city.items["c"].get_absolute_url()).content.decode()
    assert "市教育局、岱岳区" in page  # the ledger's leads today, at the top of the page
    row = _month_row(page, str(closed))
    assert "市教育局、市发展改革委" in row  # October's record: who led it then
    assert "岱岳区" not in row


def test_an_open_period_follows_the_ledger_until_it_closes(city, period):
    _set_joint(city, city.items["c"], [city.units["a"]])
    engine.snapshot_period(period, as_of=date(2023, 10, 20))
    snap = StatusSnapshot.objects.get(period=period, item=city.items["c"])
    assert [u.name for u in snap.joint_leads] == ["市发展改革委"]
    _set_joint(city, city.items["c"], [city.units["b"], city.units["a"]])
    assert engine.snapshot_period(period, as_of=date(2023, 10, 21)) >= 1
    assert [u.name for u in StatusSnapshot.objects.get(pk=snap.pk).joint_leads] == ["岱岳区", "市发展改革委"]
    _set_joint(city, city.items["c"], [])
    engine.snapshot_period(period, as_of=date(2023, 10, 22))
    assert StatusSnapshot.objects.get(pk=snap.pk).joint_leads == []


def test_the_closed_periods_report_names_the_part_of_who_led_jointly_then(city, closed, login):
    report = Report.objects.get(period=closed, item=city.items["c"])
    report.contributions.create(
        unit=city.units["a"], author=city.users["liaison_a"], text="市发展改革委牵头梳理政策"
    )
    body = (
        login(city.users["office"]).get(reverse("dispatch:report_detail", args=[report.pk])).content.decode()
    )
    # Unit A led it jointly in October: its part is a joint lead's, though the ledger has B now.
    assert "共同牵头单位和配合单位工作情况" in body
    part = body[body.index("市发展改革委牵头梳理政策") - 400 : body.index("市发展改革委牵头梳理政策")]
    assert "共同牵头" in part
