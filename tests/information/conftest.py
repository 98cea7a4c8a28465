from datetime import date

import pytest
from django.utils import translation

from gandang.core import clock

TODAY = date(2023, 11, 6)


@pytest.fixture(autouse=True)
def _pinned_day():
    with clock.pinned(TODAY):
        yield
    translation.deactivate()


def drafted(city, *, unit="a", title="市发改委推行项目审批“拿地即开工”", text="第一段。\n第二段。"):
    """A piece drafted by the liaison of `unit`."""
    from gandang.information import services

    return services.piece_create(actor=city.users[f"liaison_{unit}"], title=title, text=text)


def signed(city, **kwargs):
    """A piece of unit A sent to the office: submitted by its liaison, signed by its head."""
    from gandang.information import services

    p = drafted(city, **kwargs)
    p = services.piece_step(actor=city.users["liaison_a"], piece=p, action="submit")
    return services.piece_step(actor=city.users["head_a"], piece=p, action="approve")


def adopted(city, **kwargs):
    from gandang.information import services

    return services.piece_step(actor=city.users["office"], piece=signed(city, **kwargs), action="adopt")


def issued(city, *, n=2, on=None):
    """An issue of `n` adopted pieces of unit A, issued."""
    from gandang.information import services

    office = city.users["office"]
    pieces = [adopted(city, title=f"信息{k}") for k in range(n)]
    issue = services.issue_create(actor=office, title="聚焦营商环境")
    services.issue_add(actor=office, issue=issue, pieces=[p.pk for p in pieces])
    return services.issue_publish(actor=office, issue=issue, issued_on=on)
