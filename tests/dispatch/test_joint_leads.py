"""A joint lead unit (共同牵头单位) of an item: it reads the item and its reports as one of its own led
items and adds its part to the report, which the first lead unit files and submits (负责汇总报送).

Unit A is made a joint lead of item c (市教育局 leads it first); unit B has no part in it. The matrix is
every role × own/other unit, through the pages and the API, as tests/test_permissions.py."""

import pytest
from django.urls import reverse

from gandang.dispatch.models import Contribution, Report
from gandang.ledger.models import JointLead
from tests.test_permissions import ROLES, _expected

ALL_OK = dict.fromkeys(ROLES[1:], 200) | {"anon": 302}
JOINT_READ = ALL_OK | {"liaison_b": 404}  # unit A reads it as its own; unit B gets a missing one's 404
JOINT_API = JOINT_READ | {"anon": 401}
OFFICE_WRITE = dict.fromkeys(ROLES[1:], 403) | {"office": 200, "anon": 302, "liaison_b": 404}
# Only the first lead's liaison edits the report (unit C has none here): unit A contributes instead.
REPORT_EDIT = dict.fromkeys(ROLES[1:], 403) | {"anon": 302, "liaison_b": 404}
# Unit A's liaison writes its part; the others who see the report are refused (403), unit B sees none.
CONTRIBUTE = dict.fromkeys(ROLES[1:], 403) | {"anon": 302, "liaison_a": 302, "liaison_b": 404}


@pytest.fixture
def joint(city, period):
    JointLead.objects.create(item=city.items["c"], unit=city.units["a"])
    return Report.objects.get(period=period, item=city.items["c"])


MATRIX = {
    "ledger:item_detail": ("get", lambda c, r: [c.items["c"].pk], JOINT_READ),
    "ledger:item_edit": ("get", lambda c, r: [c.items["c"].pk], OFFICE_WRITE),
    "dispatch:report_detail": ("get", lambda c, r: [r.pk], JOINT_READ),
    "dispatch:report_edit": ("get", lambda c, r: [r.pk], REPORT_EDIT),
    "dispatch:contribution_save": ("post", lambda c, r: [r.pk], CONTRIBUTE),
    "api:get_item": ("get", lambda c, r: [c.items["c"].pk], JOINT_API),
    "api:get_report": ("get", lambda c, r: [r.pk], JOINT_API),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_joint_lead_permission_matrix(client, city, joint, name, role):
    method, args, expect = MATRIX[name]
    if role != "anon":
        client.force_login(city.users[role])
    url = reverse(name, args=args(city, joint))
    data = {"text": "本单位牵头完成了政策梳理"} if method == "post" else None
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == _expected(name, expect, role), f"{role} {method.upper()} {url}"
    if name == "dispatch:contribution_save":
        # Only unit A's liaison wrote a part: the head, the office and the others were refused.
        written = Contribution.objects.filter(report=joint).values_list("unit_id", flat=True)
        assert list(written) == ([city.units["a"].pk] if role == "liaison_a" else [])


def test_joint_lead_sees_the_item_among_its_led_items(login, city, joint):
    client = login(city.users["liaison_a"])
    led = client.get(reverse("ledger:item_list"), {"lead_unit": city.units["a"].pk}).context["page"]
    assert {it["code"] for it in led} == {"1", "3"}
    mine = client.get(reverse("ledger:item_list"), {"unit": city.units["a"].pk}).context["page"]
    assert {it["code"] for it in mine} == {"1", "3"}
    listed = client.get(reverse("api:list_items")).json()["items"]
    three = next(it for it in listed if it["code"] == "3")
    assert three["lead_units"] == ["市教育局", "市发展改革委"]
    home = client.get(reverse("home"))
    assert home.context["n_lead"] == 2  # item 1 it leads first, item 3 jointly
    assert home.context["n_co"] == 0
    page = client.get(city.items["c"].get_absolute_url()).content.decode()
    assert "市教育局、市发展改革委" in page and "市教育局负责汇总报送" in page
    # Unit B, which has no part in item 3, does not find it under unit A's leads.
    other = login(city.users["liaison_b"]).get(reverse("ledger:item_list"), {"lead_unit": city.units["a"].pk})
    assert {it["code"] for it in other.context["page"]} == {"1"}


def test_joint_lead_adds_its_part_and_the_first_lead_submits(login, city, period, joint):
    client = login(city.users["liaison_a"])
    fill = client.get(reverse("dispatch:period_fill", args=[period.pk]))
    co = fill.context["co"]["rows"]
    assert [(r["pk"], r["joint"]) for r in co] == [(joint.pk, True)]
    assert "本单位共同牵头或配合的事项" in fill.content.decode()
    # Its own reports to file are those it leads first: the joint item's report is not among them.
    assert joint.pk not in {c.report.pk for c in fill.context["cards"]}
    detail = client.get(reverse("dispatch:report_detail", args=[joint.pk])).content.decode()
    assert "本单位牵头工作情况（由首位牵头单位汇总报送）" in detail
    response = client.post(
        reverse("dispatch:contribution_save", args=[joint.pk]), {"text": "市发展改革委牵头完成政策梳理"}
    )
    assert response.status_code == 302
    body = (
        login(city.users["office"]).get(reverse("dispatch:report_detail", args=[joint.pk])).content.decode()
    )
    assert "共同牵头单位和配合单位工作情况" in body
    assert "市发展改革委牵头完成政策梳理" in body
    assert Report.objects.get(pk=joint.pk).unit == city.units["c"]  # the first lead files it


def test_unit_without_a_part_cannot_contribute_even_by_a_forged_post(login, city, joint):
    JointLead.objects.filter(item=city.items["c"]).delete()  # unit A no longer leads item 3
    response = login(city.users["liaison_a"]).post(
        reverse("dispatch:contribution_save", args=[joint.pk]), {"text": "x"}
    )
    assert response.status_code == 404
    assert not Contribution.objects.exists()
