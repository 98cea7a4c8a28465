"""Experiences: a unit drafts and submits, the office returns or adopts, publishes; promotions by level."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandang.achievements import services
from gandang.achievements.access import experiences_visible_to
from gandang.achievements.models import Experience, Promotion
from gandang.core.errors import ServiceError
from tests.achievements.conftest import make_experience, promote


@pytest.fixture(autouse=True)
def _today(settings):
    settings.GANDANG_TODAY = "2023-12-05"


def test_a_liaisons_experience_is_always_its_units(city):
    exp = make_experience(city, adopt=False)
    assert list(exp.units.all()) == [city.units["a"]]
    assert exp.state == Experience.State.DRAFT


def test_flow_submit_return_resubmit_adopt_publish(city):
    u = city.users
    exp = make_experience(city, adopt=False)
    with pytest.raises(ServiceError, match="先报送"):
        services.experience_step(actor=u["office"], experience=exp, action="adopt")
    services.experience_step(actor=u["liaison_a"], experience=exp, action="submit")
    with pytest.raises(ServiceError, match="原因"):
        services.experience_step(actor=u["office"], experience=exp, action="return")
    exp = services.experience_step(actor=u["office"], experience=exp, action="return", reason="成效数据不足")
    assert exp.state == "returned" and exp.return_reason == "成效数据不足"
    assert services.can_edit(u["liaison_a"], exp)
    services.experience_step(actor=u["head_a"], experience=exp, action="submit")
    exp = services.experience_step(actor=u["office"], experience=exp, action="adopt")
    assert exp.adopted_on == date(2023, 12, 5)
    assert not services.can_edit(u["liaison_a"], exp)
    exp = services.experience_step(actor=u["office"], experience=exp, action="publish")
    assert exp.is_public and exp.published_on == date(2023, 12, 5)
    exp = services.experience_step(actor=u["office"], experience=exp, action="unpublish", reason="内容需更新")
    assert exp.state == "adopted"


@pytest.mark.parametrize(
    "who, action, state",
    [
        ("liaison_b", "submit", "draft"),  # not its unit's
        ("liaison_a", "adopt", "submitted"),
        ("leader", "publish", "adopted"),
        ("office", "publish", "submitted"),  # adopt first
        ("liaison_a", "submit", "adopted"),
    ],
)
def test_illegal_steps_are_refused(city, who, action, state):
    exp = make_experience(city, adopt=False)
    Experience.objects.filter(pk=exp.pk).update(state=state)
    with pytest.raises(ServiceError):
        services.experience_step(actor=city.users[who], experience=exp, action=action)
    exp.refresh_from_db()
    assert exp.state == state


def test_who_sees_what(city):
    draft = make_experience(city, adopt=False, title="草稿经验")
    adopted = make_experience(city, title="已采用经验")
    seen = {
        who: set(experiences_visible_to(city.users[who]).values_list("title", flat=True))
        for who in city.users
    }
    assert seen["liaison_a"] == seen["head_a"] == {"草稿经验", "已采用经验"}
    assert seen["liaison_b"] == {"已采用经验"}  # another unit: only what the office adopted
    assert (
        seen["office"] == seen["leader"] == seen["observer"] == {"已采用经验"}
    )  # a unit's draft stays the unit's
    assert draft and adopted


def test_a_stale_edit_is_refused(city):
    exp = make_experience(city, adopt=False)
    data = services.ExperienceInput(title="新标题", summary="s", body="b", units=[city.units["a"]], items=[])
    services.experience_update(actor=city.users["liaison_a"], experience=exp, data=data, version=exp.version)
    with pytest.raises(ServiceError, match="他人修改"):
        services.experience_update(
            actor=city.users["liaison_a"], experience=exp, data=data, version=exp.version
        )


def test_promotions_take_the_outlets_level_and_need_an_adopted_experience(city, levels):
    draft = make_experience(city, adopt=False)
    province = levels["outlets"]["province"]
    with pytest.raises(ServiceError, match="采用后"):
        promote(city, draft, province)
    exp = make_experience(city, title="采用的")
    with pytest.raises(ServiceError):
        services.promotion_add(
            actor=city.users["liaison_a"], experience=exp, outlet=province, on=date(2023, 5, 1)
        )
    with pytest.raises(ServiceError, match="晚于今天"):
        promote(city, exp, province, on=date(2024, 1, 1))
    scan = SimpleUploadedFile("刊发件.pdf", b"%PDF-1.4\n%%EOF\n")
    p = promote(city, exp, province, reference="第35期", scan=scan)
    assert p.level.key == "province" and p.scan_name == "刊发件.pdf"
    # Re-levelling the outlet later does not rewrite the recorded promotion.
    province.level = levels["levels"]["central"]
    province.save()
    p.refresh_from_db()
    assert p.level.key == "province"
    with pytest.raises(ServiceError, match="理由"):
        services.promotion_remove(actor=city.users["office"], promotion=p, reason="")
    services.promotion_remove(actor=city.users["office"], promotion=p, reason="登记错误")
    assert not Promotion.objects.exists()
