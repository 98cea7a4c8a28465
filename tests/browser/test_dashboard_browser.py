"""The dashboard in a browser: the charts draw under the strict CSP, and a click on the status chart
opens the ledger list filtered to that status, showing the same number."""

import re

import pytest

from tests.bulletins.conftest import build_history
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS = ["status", "trend", "area", "unit", "leader", "timeliness"]


@pytest.fixture
def history(city):
    return build_history(city)


def test_the_charts_draw_and_a_click_opens_the_ledger(page, live_server, history):
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/dashboard/")

    for name in CHARTS:
        page.locator(f'[data-chart="{name}"] canvas').first.wait_for()
    assert not [m for m in console if "Content Security Policy" in m], console

    # Let the status chart finish drawing (a busy machine may still be in the entry animation,
    # where the sectors are not yet where their final layout says).
    page.evaluate(
        """() => new Promise((done) => {
          const chart = window.gandangCharts.status;
          chart.on('finished', done);
          chart.setOption({animation: false});
        })"""
    )
    # The biggest status segment: find its middle from the pie's layout and click the canvas there.
    target = page.evaluate(
        """() => {
          const chart = window.gandangCharts.status;
          const data = chart.getModel().getSeriesByIndex(0).getData();
          let best = 0;
          for (let i = 0; i < data.count(); i++) if (data.get('value', i) > data.get('value', best)) best = i;
          const l = data.getItemLayout(best);
          const mid = (l.startAngle + l.endAngle) / 2, r = (l.r0 + l.r) / 2;
          return {x: l.cx + r * Math.cos(mid), y: l.cy + r * Math.sin(mid),
                  value: data.get('value', best), index: best};
        }"""
    )
    segment = page.evaluate(
        "(i) => JSON.parse(document.getElementById('dashboard-data').textContent).status.data[i]",
        target["index"],
    )
    # The chart may sit below the fold (tiles above it): bring it into view before clicking on it.
    page.locator('[data-chart="status"]').scroll_into_view_if_needed()
    box = page.locator('[data-chart="status"]').bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    page.wait_for_url(re.compile(r"/ledger/\?status=" + segment["key"]))
    assert page.locator("p.count").inner_text() == f"共 {target['value']} 项"
    assert not [m for m in console if "Content Security Policy" in m], console
