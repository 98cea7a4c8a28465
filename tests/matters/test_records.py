"""A city leader's 批示 beyond items: on a monthly report, a listing, a bulletin and an experience, each shown
on the record's own page through gandang.core.records (the record's app knows nothing of matters)."""

from datetime import date

import pytest

from gandang.core import records
from gandang.core.errors import ServiceError
from gandang.matters import services
from gandang.matters.models import Instruction, Matter
from gandang.notifications.models import Notification
from tests.test_permissions import _bulletin_issued, _exp, _listing, _report


def _post(city, **over):
    data = {
        "instruct-text": "请抓紧整改，月底前报送整改进展。",
        "instruct-unit": city.units["a"].pk,
        "instruct-deadline": "2023-11-30",
    }
    return data | over


RECORDS = [
    # (key, the record's builder, its page, the unit its 批示 form proposes)
    ("supervision.listing", _listing, "/supervision/{pk}/", "a"),
    ("dispatch.report", lambda c: _report(c, "b"), "/dispatch/reports/{pk}/", "b"),
    ("achievements.experience", lambda c: _exp(c), "/achievements/experiences/{pk}/", "a"),
    ("bulletins.bulletin", _bulletin_issued, "/bulletins/{pk}/", None),
]


@pytest.mark.parametrize(("key", "build", "page", "unit"), RECORDS, ids=[r[0] for r in RECORDS])
def test_a_leader_writes_on_a_record_and_the_matter_is_assigned_at_once(login, city, key, build, page, unit):
    pk = build(city)
    url = page.format(pk=pk)
    leader = login(city.users["leader"])
    body = leader.get(url).content.decode()
    assert "作出批示" in body and f"/matters/on/{key}/{pk}/instruct/" in body
    if unit:  # the form proposes the record's unit
        assert f'<option value="{city.units[unit].pk}" selected>' in body
    response = leader.post(f"/matters/on/{key}/{pk}/instruct/", _post(city))
    ins = Instruction.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{url}#instruction-{ins.pk}"
    assert (ins.on_record, ins.on_record_id, ins.kind, ins.written_online) == (key, pk, "directive", True)
    assert ins.on_record_url == url and ins.on_record_title
    m = ins.matters.get()
    assert (m.unit, m.deadline, m.state) == (city.units["a"], date(2023, 11, 30), Matter.State.DRAFT)
    told = Notification.objects.filter(url=m.get_absolute_url()).values_list("user__username", flat=True)
    assert list(told) == ["liaison_a"]
    # The record's page shows it, with how its matter is handled, to the office and to the unit.
    office_page = login(city.users["office"]).get(url).content.decode()
    assert f'id="instruction-{ins.pk}"' in office_page and "办理中" in office_page
    assert "作出批示" not in office_page  # the office records instructions; it does not write them
    # The instruction names the record it was written on.
    assert url in leader.get(ins.get_absolute_url()).content.decode()


def test_a_report_or_listing_links_its_instruction_to_the_item(city):
    from gandang.dispatch.models import Report

    report = Report.objects.get(pk=_report(city, "b"))
    ins = services.instruction_write_on(
        actor=city.users["leader"],
        key="dispatch.report",
        record=report,
        text="请加快进度",
        unit=city.units["b"],
        deadline=date(2023, 12, 15),
    )
    assert list(ins.items.all()) == [city.items["b"]]  # so the item page lists it too
    assert list(ins.matters.get().items.all()) == [city.items["b"]]


@pytest.mark.parametrize("who", ["office", "liaison_a", "head_a", "observer"])
def test_only_a_city_leader_writes_on_a_record(login, city, who):
    pk = _listing(city)
    response = login(city.users[who]).post(f"/matters/on/supervision.listing/{pk}/instruct/", _post(city))
    assert response.status_code == 403 and not Instruction.objects.exists()
    with pytest.raises(ServiceError, match="只有市级领导可以作出批示"):
        services.instruction_write_on(
            actor=city.users[who],
            key="supervision.listing",
            record=records.get("supervision.listing").gate(city.users["office"], pk),
            text="请推进",
            unit=city.units["a"],
            deadline=date(2023, 12, 1),
        )


def test_a_record_the_user_cannot_read_or_an_unknown_kind_is_a_404(login, city):
    pk = _listing(city)  # unit A's listing: unit B does not see it
    assert (
        login(city.users["liaison_b"]).get(f"/matters/on/supervision.listing/{pk}/instruct/").status_code
        == 404
    )
    leader = login(city.users["leader"])
    assert leader.get(f"/matters/on/ledger.plan/{pk}/instruct/").status_code == 404
    assert leader.get(f"/matters/on/supervision.listing/{pk + 999}/instruct/").status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"instruct-deadline": ""}, "请填写办理时限"),
        ({"instruct-unit": ""}, "请选择牵头单位"),
        ({"instruct-deadline": "2023-02-30"}, "2023"),
        ({"instruct-deadline": "2023-10-01"}, "办理时限不能早于批示日期"),
        ({"instruct-text": "长" * 2001}, "2000"),
    ],
)
def test_a_refused_instruction_on_a_record_keeps_what_was_typed(login, city, change, message):
    pk = _listing(city)
    response = login(city.users["leader"]).post(
        f"/matters/on/supervision.listing/{pk}/instruct/", _post(city, **change)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and not Instruction.objects.exists()
    if "instruct-text" not in change:
        assert "请抓紧整改，月底前报送整改进展。" in body
