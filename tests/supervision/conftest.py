from datetime import date

import pytest

TODAY = date(2023, 11, 6)


@pytest.fixture
def listed(city):
    """Item a (unit A leads, a head signs off) listed by the office on 2023-11-06, deadline 2023-12-06."""
    from gandang.supervision import services

    return services.listing_create(
        actor=city.users["office"],
        item=city.items["a"],
        data=services.ListingInput(
            level="office",
            reason="连续两个月严重滞后",
            requirements="一是倒排工期；二是明确责任人。",
            deadline=date(2023, 12, 6),
        ),
        today=TODAY,
    )


def step(listing, user, action, reason=""):
    from gandang.supervision import services

    return services.rectification_step(
        actor=user, rectification=listing.rectification, action=action, reason=reason
    )


def write(listing, user, measures="已完成审批事项清单梳理，出台实施办法。"):
    from gandang.supervision import services

    rect = listing.rectification
    rect.refresh_from_db()
    return services.rectification_save(
        actor=user,
        rectification=rect,
        data={"causes": "统筹不够", "measures": measures, "next_steps": "持续跟踪"},
    )
