"""The ledger list's filter selects: their options are read afresh on every request (a unit, plan or
leader added or renamed a moment ago is there at once), though their SQL is compiled and their
options escaped once per process; the two unit selects share one query."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gandang.ledger.models import Plan
from gandang.org.models import Leader, Unit


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_a_unit_added_or_renamed_is_offered_at_once(login, city):
    client = login(city.users["office"])
    before = client.get("/ledger/").content.decode()
    assert "市发展改革委" in _options(before, "lead_unit")
    assert "市委办公室" not in _options(before, "unit")  # a partner unit leads nothing

    Unit.objects.create(name="市数据局")
    Unit.objects.filter(pk=city.units["c"].pk).update(name="市教育和体育局")  # a bulk rename too
    Leader.objects.create(name="钱立新", title="副市长")
    Plan.objects.create(year=2024, name="2024年全市重点改革任务")
    Leader.objects.filter(pk=city.leader.pk).update(is_active=False)
    after = client.get("/ledger/").content.decode()

    for name in ("unit", "lead_unit"):
        assert "市数据局" in _options(after, name)
        assert "市教育和体育局" in _options(after, name)
        assert "市教育局" not in _options(after, name)
    assert _options(after, "leader") == ["---------", "钱立新"]
    assert "2024年全市重点改革任务" in _options(after, "plan")


def test_the_chosen_option_is_marked_and_a_stale_one_is_dropped(login, city):
    client = login(city.users["office"])
    unit = city.units["b"]
    html = client.get(f"/ledger/?lead_unit={unit.pk}").content.decode()
    assert re.search(
        rf'<select name="lead_unit"[^>]*>.*?<option value="{unit.pk}" selected>岱岳区</option>', html, re.S
    )
    assert f'<option value="{unit.pk}" selected>' not in re.search(
        r'<select name="unit".*?</select>', html, re.S
    ).group(0)
    assert "推进乡村振兴片区建设" in html and "推行思政首课负责制" not in html

    Unit.objects.filter(pk=unit.pk).update(is_active=False)  # no longer offered: the filter is dropped
    html = client.get(f"/ledger/?lead_unit={unit.pk}").content.decode()
    assert "岱岳区" not in _options(html, "lead_unit")
    assert "推行思政首课负责制" in html


def test_selects_listing_the_same_options_read_them_once(login, city):
    """单位 and 牵头单位 list the units; 调度期末滞后 and 季度内完成 the closed periods."""
    client = login(city.users["office"])
    client.get("/ledger/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/ledger/")
    units = [q["sql"] for q in queries if 'FROM "org_unit"' in q["sql"] and "sort_order" in q["sql"]]
    periods = [q["sql"] for q in queries if 'FROM "dispatch_period"' in q["sql"]]
    assert len(units) == 1, units
    assert len(periods) == 1, periods


def test_closed_periods_are_offered_as_they_close_in_the_users_language(login, city):
    from datetime import date

    from gandang.dispatch.models import Period

    client = login(city.users["office"])
    assert _options(client.get("/ledger/").content.decode(), "lagging_at") == ["不限"]
    period = Period.objects.create(
        year=2023, month=9, opens_on=date(2023, 9, 20), deadline=date(2023, 10, 5), state=Period.State.OPEN
    )
    Period.objects.filter(pk=period.pk).update(state=Period.State.CLOSED)
    assert _options(client.get("/ledger/").content.decode(), "lagging_at") == ["不限", "2023年9月"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/ledger/"})
    english = client.get("/ledger/").content.decode()
    assert _options(english, "lagging_at")[1] == "September 2023"
    assert "September 2023" in _options(english, "completed_by")


def test_the_chosen_unit_and_leader_are_found_among_the_options_the_selects_list(login, city):
    """No query of their own reads them: the options, read anyway for the selects, have them."""
    client = login(city.users["office"])
    url = f"/ledger/?lead_unit={city.units['a'].pk}&leader={city.leader.pk}"
    client.get(url)
    for htmx in ({}, {"HTTP_HX_REQUEST": "true"}):  # the results alone, after a filter changes
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, **htmx).content.decode()
        assert "深化要素市场化配置改革" in html and "推进乡村振兴片区建设" not in html
        one_record = [q["sql"] for q in queries if re.match(r'SELECT "org_(unit|leader)"\.', q["sql"])]
        assert not [sql for sql in one_record if "LIMIT" in sql], one_record
