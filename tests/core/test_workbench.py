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
