from datetime import date

import pytest


@pytest.fixture
def levels(db):
    from gandang.achievements.models import Outlet, PromotionLevel

    lv = {x.key: x for x in PromotionLevel.objects.all()}
    return {
        "levels": lv,
        "outlets": {o.level.key: o for o in Outlet.objects.select_related("level").order_by("sort_order")},
    }


def make_experience(city, who="liaison_a", title="“串珠成链”文旅资源整合", adopt=True, publish=False):
    from gandang.achievements import services

    exp = services.experience_create(
        actor=city.users[who],
        data=services.ExperienceInput(
            title=title,
            summary="以串珠成链的机制整合文旅资源。",
            body="一、背景\n二、做法\n三、成效",
            units=[],
            items=[city.items["a"]],
        ),
    )
    if adopt:
        if who != "office":
            services.experience_step(actor=city.users[who], experience=exp, action="submit")
        exp = services.experience_step(actor=city.users["office"], experience=exp, action="adopt")
    if publish:
        exp = services.experience_step(actor=city.users["office"], experience=exp, action="publish")
    return exp


def promote(city, exp, outlet, on=date(2023, 6, 1), **kw):
    from gandang.achievements import services

    return services.promotion_add(actor=city.users["office"], experience=exp, outlet=outlet, on=on, **kw)
