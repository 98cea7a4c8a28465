"""{% light %}: the status light every list and panel shows, and why beside it when asked."""

from django.template import engines

from gandang.dispatch.models import ItemStatus, StatusSnapshot
from gandang.ledger.models import Item

TAG = engines["django"].from_string(
    "{% load lights %}{% if why %}{% light st reason=True %}{% else %}{% light st %}{% endif %}"
)


def show(st, why=False) -> str:
    return TAG.render({"st": st, "why": why})


def test_no_light_yet_says_not_assessed():
    assert show(None) == '<span class="light light-none">未评估</span>'
    assert show(Item(status="").light) == '<span class="light light-none">未评估</span>'


def test_a_red_light_says_why_on_hover_and_beside_it_when_asked():
    st = Item(status="red", status_reason="已超过完成时限<30天>")
    assert show(st) == '<span class="light light-red" title="已超过完成时限&lt;30天&gt;">严重滞后</span>'
    assert show(st, why=True).endswith('<small class="reason-inline">已超过完成时限&lt;30天&gt;</small>')


def test_green_never_says_why_beside_it():
    assert "reason-inline" not in show(Item(status="green", status_reason="按计划推进"), why=True)


def test_no_effect_shows_its_own_light_and_reason():
    st = ItemStatus(status="green", reason="按计划推进", no_effect=True, no_effect_reason="群众反映不明显")
    html = show(st, why=True)
    assert '<span class="light light-noeffect" title="群众反映不明显">成效不明显</span>' in html
    assert '<small class="reason-inline">成效不明显：群众反映不明显</small>' in html
    # A snapshot keeps the flag but not the reason: the light, and nothing beside it.
    snap = show(StatusSnapshot(status="yellow", reason="节点逾期", no_effect=True), why=True)
    assert snap.count("light-noeffect") == 1 and "成效不明显：" not in snap
