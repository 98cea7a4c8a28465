"""配合单位办理情况: a co-operating unit writes its part of a matter's answer; the lead unit is told and the
office reads each part beside the answer; nobody else may write it, and a refused form keeps its text."""

from datetime import date

import pytest

from gandang.core.errors import ServiceError
from gandang.matters import services
from gandang.matters.models import MatterContribution
from gandang.notifications.models import Notification
from tests.matters.conftest import answer, step


@pytest.fixture
def shared(city):
    data = services.InstructionInput(
        leader_name="王建国",
        leader_title="副省长",
        level="province",
        kind="directive",
        on=date(2023, 11, 1),
        text="请市发改委会同岱岳区抓紧推进",
        assignment=services.Assignment(
            unit=city.units["a"], deadline=date(2023, 11, 30), co_units=[city.units["b"]]
        ),
    )
    return services.instruction_record(actor=city.users["office"], data=data).matters.get()


def test_a_co_unit_writes_its_part_the_lead_unit_is_told_and_the_office_reads_it(login, city, shared):
    client = login(city.users["liaison_b"])
    page = client.get(shared.get_absolute_url()).content.decode()
    assert "尚未反馈" in page and "保存本单位配合办理情况" in page
    response = client.post(f"/matters/{shared.pk}/contribution/", {"text": "岱岳区已完成片区摸底"})
    assert response.status_code == 302
    c = MatterContribution.objects.get()
    assert (c.unit, c.text, c.written_by) == (
        city.units["b"],
        "岱岳区已完成片区摸底",
        city.users["liaison_b"],
    )
    assert Notification.objects.filter(
        user=city.users["liaison_a"], title__contains="配合单位岱岳区"
    ).exists()
    office_page = login(city.users["office"]).get(shared.get_absolute_url()).content.decode()
    assert "岱岳区已完成片区摸底" in office_page and "保存本单位配合办理情况" not in office_page
    lead_page = login(city.users["liaison_a"]).get(shared.get_absolute_url()).content.decode()
    assert "岱岳区已完成片区摸底" in lead_page and "保存本单位配合办理情况" not in lead_page


def test_rewriting_keeps_one_part_per_unit_with_its_history(login, city, shared):
    from gandang.core.audit import history_for

    services.contribution_save(actor=city.users["liaison_b"], matter=shared, text="第一稿")
    services.contribution_save(actor=city.users["liaison_b"], matter=shared, text="第二稿")
    c = MatterContribution.objects.get()
    assert c.text == "第二稿"
    assert [e.action for e in history_for(c)][:2] == ["update", "create"]


@pytest.mark.parametrize("who", ["office", "liaison_a", "head_a", "leader", "observer"])
def test_only_a_co_unit_may_write_it(city, shared, who):
    with pytest.raises(ServiceError):
        services.contribution_save(actor=city.users[who], matter=shared, text="越权填写")
    assert not MatterContribution.objects.exists()


def test_a_closed_matter_takes_no_more_parts(city, shared):
    answer(shared, city.users["liaison_a"])
    step(shared, city.users["liaison_a"], "submit")
    step(shared, city.users["head_a"], "approve")
    step(shared, city.users["office"], "close")
    with pytest.raises(ServiceError, match="已办结"):
        services.contribution_save(actor=city.users["liaison_b"], matter=shared, text="迟到的反馈")


def test_a_refused_part_keeps_what_was_typed(login, city, shared):
    client = login(city.users["liaison_b"])
    too_long = "推" * 2001
    response = client.post(f"/matters/{shared.pk}/contribution/", {"text": too_long})
    assert (
        response.status_code == 400
        and too_long in response.content.decode()
        and "2000" in response.content.decode()
    )
    response = client.post(f"/matters/{shared.pk}/contribution/", {"text": "   "})
    assert response.status_code == 400 and "请填写配合办理情况" in response.content.decode()
    assert not MatterContribution.objects.exists()


def test_the_api_reads_each_co_units_part(login, city, shared):
    services.contribution_save(actor=city.users["liaison_b"], matter=shared, text="岱岳区已完成片区摸底")
    got = login(city.users["office"]).get(f"/api/matters/matters/{shared.pk}").json()
    assert [(c["unit"], c["text"]) for c in got["contributions"]] == [("岱岳区", "岱岳区已完成片区摸底")]
