"""The dashboard page: its numbers are the ledger list's, it loads nothing from elsewhere, it obeys the CSP."""

import hashlib
import re
from pathlib import Path

import pytest

import gandang.bulletins

COUNT = re.compile(r"共 (\d+) 项")


def _ledger_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return int(COUNT.search(response.content.decode()).group(1))


def test_it_shows_the_figures(login, history):
    client = login(history.users["leader"])
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dashboard-data" type="application/json"' in html
    for name in ("status", "trend", "area", "unit", "leader", "timeliness"):
        assert f'data-chart="{name}"' in html
    assert history.area2.name in html and history.leader2.name in html


def test_every_linked_number_equals_the_ledger_lists_count(login, history):
    client = login(history.users["office"])
    charts = client.get("/dashboard/").context["charts"]
    checked = 0
    for segment in charts["status"]["data"]:
        assert _ledger_count(client, segment["url"]) == segment["value"], segment["url"]
        checked += 1
    for name in ("area", "unit", "leader"):
        for series in charts[name]["series"]:
            for value, url in zip(series["data"], series["urls"], strict=True):
                if url:
                    assert _ledger_count(client, url) == value, url
                    checked += 1
    assert checked > 20


def test_the_red_count_is_the_ledgers(login, history):
    from gandang.dispatch.models import ItemStatus

    st = ItemStatus.objects.get(item=history.items["c"])
    st.status = "red"
    st.save()  # as the engine writes it: onto the item's summary too, which the ledger filters by
    client = login(history.users["office"])
    d = client.get("/dashboard/").context["d"]
    assert d.status.counts["red"] == _ledger_count(client, "/ledger/?status=red") >= 1
    plan = history.child_plan.pk
    d = client.get(f"/dashboard/?plan={plan}").context["d"]
    for status, n in d.status.counts.items():
        assert _ledger_count(client, f"/ledger/?status={status}&plan={plan}") == n


def test_a_closed_period_is_selectable_and_unlinked(login, history):
    client = login(history.users["office"])
    response = client.get(f"/dashboard/?period={history.periods[0].pk}")
    assert response.context["d"].period == history.periods[0]
    assert all(seg["url"] is None for seg in response.context["charts"]["status"]["data"])


def test_an_open_period_is_not_a_choice(login, history):
    from gandang.dispatch import services

    period, _n = services.period_open(actor=None, year=2023, month=11)
    response = login(history.users["office"]).get(f"/dashboard/?period={period.pk}")
    assert response.status_code == 200
    assert response.context["d"].period is None


def test_the_page_loads_nothing_from_elsewhere(login, history):
    response = login(history.users["office"]).get("/dashboard/")
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    # The CSRF tokens are random letters: one may spell "cdn" (1 page in a few hundred did).
    assert "cdn" not in re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html).lower()
    # No inline script other than the JSON data, and no inline style attribute.
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), scripts
    assert "style=" not in html
    assert "/static/vendor/echarts/echarts.min.js" in html
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp) or re.search(r"default-src ([^;]*)", csp)
    assert script_src and "'self'" in script_src.group(1)
    assert "unsafe-inline" not in script_src.group(1)


@pytest.mark.parametrize("role", ["liaison_a", "head_a", "liaison_b"])
def test_unit_members_are_refused(login, history, role):
    assert login(history.users[role]).get("/dashboard/").status_code == 403


def test_the_nav_link_shows_for_city_roles_only(login, history):
    client = login(history.users["observer"])
    assert 'href="/dashboard/"' in client.get("/").content.decode()
    client = login(history.users["liaison_a"])
    assert 'href="/dashboard/"' not in client.get("/").content.decode()


def test_the_vendored_echarts_matches_its_version_file():
    folder = Path(gandang.bulletins.__file__).parent / "static" / "vendor" / "echarts"
    meta = dict(line.split("=", 1) for line in (folder / "VERSION").read_text().splitlines() if "=" in line)
    digest = hashlib.sha256((folder / "echarts.min.js").read_bytes()).hexdigest()
    assert meta["sha256"].split()[0] == digest
    assert "Apache License" in (folder / "LICENSE").read_text()


def test_the_dashboard_shows_the_years_achievements_with_links_to_their_lists(client, city, settings):
    from datetime import date

    from gandang.achievements.models import Outlet
    from tests.achievements.conftest import make_experience, promote

    settings.GANDANG_TODAY = "2023-12-05"
    exp = make_experience(city, title="经验甲")
    promote(city, exp, Outlet.objects.filter(level__key="ministry").first(), on=date(2023, 5, 1))
    client.force_login(city.users["leader"])
    page = client.get("/dashboard/").content.decode()
    assert "2023年改革成果" in page and "国家部委刊发推广" in page
    assert "/achievements/experiences/?year=2023&amp;level=ministry" in page


def test_each_supervision_tile_opens_the_list_it_counts(login, history):
    page = login(history.users["office"]).get("/dashboard/").content.decode()
    tiles = dict(
        (label, href)
        for href, label in re.findall(
            r'<a class="tile[^"]*" href="(/supervision/[^"]*)"><b>\d+</b><span>([^<]+)</span>', page
        )
    )
    assert tiles == {
        "督办中": "/supervision/",
        "市级领导督办": "/supervision/?level=leader",
        "已升级": "/supervision/",
        "逾期未整改": "/supervision/",
        "已摘牌": "/supervision/?tab=closed",
        "待研究建议": "/supervision/?tab=proposals",
    }
    assert "当前" not in re.search(r'<h2 id="h-supervision".*?</h2>', page).group(0)


def test_a_closed_period_labels_supervision_and_achievements_as_current(login, history):
    page = login(history.users["office"]).get(f"/dashboard/?period={history.periods[0].pk}").content.decode()
    for heading in ("h-supervision", "h-achievements"):
        assert "· 当前" in re.search(rf'<h2 id="{heading}".*?</h2>', page).group(0), heading
