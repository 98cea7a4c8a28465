"""A leader's average progress of 46.25% reads 46.3% everywhere: bulletin, its chart labels and the dashboard."""

import pytest

from gandang.bulletins import document, drafting
from gandang.bulletins.models import Bulletin
from gandang.dispatch.models import ItemStatus, StatusSnapshot
from gandang.documents import structure as s


@pytest.fixture(autouse=True)
def _today(settings):
    settings.GANDANG_TODAY = "2023-12-05"


def _leader_leads_all_with_average_46_25(city, model, **where):
    """The city's leader leads the four items, whose percents 40, 45, 50, 50 average 46.25."""
    for key, percent in zip("abcd", (40, 45, 50, 50), strict=True):
        city.items[key].leaders.add(city.leader)
        model.objects.filter(item=city.items[key], **where).update(percent=percent)


def test_bulletin_prints_a_leaders_average_of_46_25_as_46_3(q3):
    _leader_leads_all_with_average_46_25(q3, StatusSnapshot, period=q3.periods[9])
    text = document.draft(Bulletin(year=2023, quarter=3), charts=False).document.text()
    assert "平均完成进度为46.3%" in text  # the overall average: the same four items
    assert "46.2%" not in text
    leaders = next(
        p for p in document.draft(Bulletin(year=2023, quarter=3), charts=False).parts if p.key == "leaders"
    )
    table = next(b for b in leaders.blocks if isinstance(b, s.Table))
    row = next(r for r in table.rows if r[0] == q3.leader.name)
    assert row[1] == "4" and row[-1] == "46.3%"


def test_dashboard_shows_a_leaders_average_of_46_25_as_46_3(login, history):
    history.items["c"].leaders.add(history.leader)
    # Four items of one leader, by current status; the archived/unled items left as they are.
    led = [history.items[k] for k in ("a", "b", "c", "d")]
    for item, percent in zip(led, (40, 45, 50, 50), strict=True):
        item.leaders.add(history.leader)
        ItemStatus.objects.filter(item=item).update(percent=percent)
    ItemStatus.objects.filter(item=history.items["e"]).update(percent=None)
    response = login(history.users["office"]).get("/dashboard/")
    html = response.content.decode()
    row = next(g for g in response.context["d"].by_leader if g.key == history.leader.pk)
    assert str(row.avg_percent) == "46.3"
    assert f'<a href="{row.url}">{history.leader.name}</a>' in html
    assert "46.3%" in html and "46.2%" not in html


def test_shares_in_the_bulletin_round_half_up():
    assert drafting.pct(1, 16) == "6.3%"  # f"{6.25:.1f}" gives 6.2
    assert drafting.pct(7, 16) == "43.8%"  # 43.75
    assert drafting.pct(0, 0) == "0.0%"


def test_the_status_charts_tooltip_share_comes_from_the_server(login, history):
    charts = login(history.users["office"]).get("/dashboard/").context["charts"]
    total = sum(d["value"] for d in charts["status"]["data"])
    assert total == 5
    assert {d["share"] for d in charts["status"]["data"]} <= {f"{n * 20}.0%" for n in range(6)}
    assert [d["share"] for d in charts["status"]["data"]] == [
        f"{d['value'] * 20}.0%" for d in charts["status"]["data"]
    ]
