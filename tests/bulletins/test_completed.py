"""The bulletin's completed section names at most N items (ledger order), states how many became done
in the quarter, and (in the browser) links to the ledger list of exactly those items; the document
counts the rest."""

import re
from datetime import date
from html import unescape

import pytest

from gandang.bulletins import document
from gandang.bulletins.figures import quarter_figures
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.dispatch.models import StatusSnapshot
from gandang.ledger import services as ledger
from gandang.ledger.models import Item

Q3 = Quarter(2023, 3)
LINK = re.compile(r'<p class="part-more"><a href="([^"]+)">查看全部 (\d+) 项</a></p>')


def add_done(city, n, *, done_in_june=False):
    """`n` more items, done in September's snapshot (the quarter's end); also in June's if asked."""
    items = []
    for i in range(n):
        code = f"done{'-june' if done_in_june else ''}{i}"
        item = ledger.item_create(
            actor=city.users["office"],
            fields={
                "plan": city.plan,
                "code": code,
                "seq": 100 + len(city.items) + i,
                "title": f"完成改革事项{code}",
                "lead_unit": city.units["b"],
                "start_date": date(2023, 1, 1),
                "due_date": date(2023, 12, 31),
            },
        )
        for month in (6, 9) if done_in_june else (9,):
            StatusSnapshot.objects.create(
                item=item,
                period=city.periods[month],
                status="done",
                reason="已完成",
                lead_unit=item.lead_unit,
            )
        items.append(item)
    city.items.update({item.code: item for item in items})
    return items


@pytest.fixture
def office(login, q3):
    return login(q3.users["office"])


def _section(html: str) -> str:
    start = html.index('id="part-completed"')
    return html[start : html.index("</section>", start)]


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def _draft(client):
    assert client.post("/bulletins/new/", {"year": 2023, "quarter": 3}).status_code == 302
    return Bulletin.objects.get(year=2023, quarter=3, state="draft")


def test_the_draft_names_n_states_the_total_and_links_to_exactly_the_completed(office, q3, settings):
    settings.GANDANG_BULLETIN_COMPLETED_NAMED = 4
    add_done(q3, 5)  # with the fixture's b: 6 completed this quarter
    add_done(q3, 2, done_in_june=True)  # done before the quarter: not counted, not listed
    section = _section(office.get(_draft(office).get_absolute_url()).content.decode())
    assert "本季度新完成改革事项6项" in section
    assert "按台账顺序列出前4项" in section
    assert "本季度完成事项（前4项）" in section
    assert "另有2项本季度完成事项，详见台账。" in section
    assert section.count("<tr><td>") == 4
    url, shown = LINK.search(section).groups()
    assert int(shown) == 6 == _listed(office, unescape(url)) == quarter_figures(Q3).completed_total
    # The list is the quarter's, not today's lights: every light turned red a month later.
    Item.objects.update(status="red")
    assert _listed(office, unescape(url)) == 6
    assert office.get("/api/ledger/items", {"completed_by": q3.periods[9].pk}).json()["count"] == 6


def test_a_city_sees_every_completed_item_named_and_no_rest(office, q3):
    section = _section(office.get(_draft(office).get_absolute_url()).content.decode())
    assert "本季度新完成改革事项1项" in section and "具体见下表" in section
    assert "另有" not in section and "（前" not in section
    url, shown = LINK.search(section).groups()
    assert int(shown) == 1 == _listed(office, unescape(url))


def test_the_document_names_n_and_counts_the_rest(q3, settings):
    settings.GANDANG_BULLETIN_COMPLETED_NAMED = 2
    add_done(q3, 3)
    doc = document.draft(Bulletin(year=2023, quarter=3), charts=False).document
    table = next(b for b in doc.blocks if getattr(b, "caption", "").endswith("本季度完成事项（前2项）"))
    assert len(table.rows) == 2
    text = doc.text()
    assert "本季度新完成改革事项4项" in text and "另有2项本季度完成事项，详见台账。" in text


def test_the_filter_takes_only_a_closed_period(office, q3):
    from gandang.dispatch import services as dispatch

    period, _n = dispatch.period_open(actor=q3.users["office"], year=2023, month=10)
    everything = _listed(office, "/ledger/")
    assert _listed(office, f"/ledger/?completed_by={q3.periods[9].pk}") == 1
    for value in (period.pk, "abc", "-1", "99999999999999999999"):
        assert _listed(office, f"/ledger/?completed_by={value}") == everything


def test_a_jointly_led_item_names_every_lead_unit_in_the_tables(office, q3):
    """As September's snapshot froze them: unit C led jointly then; the ledger's joint lead of today
    (unit A, named after the quarter closed) does not rewrite the quarter's bulletin."""
    from gandang.dispatch.models import SnapshotJointLead
    from gandang.ledger.models import JointLead
    from tests.bulletins.test_lagging import add_lagging

    (done,) = add_done(q3, 1)
    (late,) = add_lagging(q3, 1, status="red")
    for item in (done, late):
        snap = StatusSnapshot.objects.get(item=item, period=q3.periods[9])
        SnapshotJointLead.objects.create(snapshot=snap, unit=q3.units["c"], order=0)
        JointLead.objects.create(item=item, unit=q3.units["a"], order=0)
    both = f"{q3.units['b'].name}、{q3.units['c'].name}"
    html = office.get(_draft(office).get_absolute_url()).content.decode()
    assert both in _section(html)
    assert f"{q3.units['b'].name}、{q3.units['a'].name}" not in html
    assert f"{both}、{q3.units['a'].name}" not in html
    lagging = html[html.index('id="part-lagging"') :]
    assert both in lagging[: lagging.index("</section>")]
    doc = document.draft(Bulletin(year=2023, quarter=3), charts=False).document
    assert doc.text().count(both) >= 2
