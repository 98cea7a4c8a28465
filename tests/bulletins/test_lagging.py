"""The bulletin's lagging section names the worst N items, states how many lag in all, and (in the
browser) links to the ledger list of exactly those items; the document counts the rest."""

import io
import re
from datetime import date
from html import unescape

import pytest
from django.conf import settings
from docx import Document as open_docx

from gandang.bulletins import document
from gandang.bulletins.figures import quarter_figures
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.dispatch.models import StatusSnapshot
from gandang.ledger import services as ledger
from gandang.ledger.models import Item

Q3 = Quarter(2023, 3)
N = settings.GANDANG_BULLETIN_LAGGING_NAMED  # the product's default, 20
LINK = re.compile(r'<p class="part-more"><a href="([^"]+)">查看全部 (\d+) 项</a></p>')


def add_lagging(city, n, *, status="yellow", due=date(2023, 12, 31), percent=None, milestone=None, key=""):
    """`n` more items, lagging in September's snapshot (the quarter's end), as the q3 fixture sets its story."""
    items = []
    for i in range(n):
        code = f"{key or status}{i}"
        item = ledger.item_create(
            actor=city.users["office"],
            fields={
                "plan": city.plan,
                "code": code,
                "seq": 100 + len(city.items) + i,
                "title": f"滞后改革事项{code}",
                "lead_unit": city.units["b"],
                "start_date": date(2023, 1, 1),
                "due_date": due,
            },
            milestones=[ledger.MilestoneData(title="阶段目标", due_date=milestone)] if milestone else [],
        )
        StatusSnapshot.objects.create(
            item=item,
            period=city.periods[9],
            status=status,
            reason="时间节点“阶段目标”逾期" if status == "yellow" else "已超过完成时限",
            percent=percent,
            lead_unit=item.lead_unit,
        )
        items.append(item)
    city.items.update({item.code: item for item in items})
    return items


@pytest.fixture
def office(login, q3):
    return login(q3.users["office"])


def _draft(client):
    response = client.post("/bulletins/new/", {"year": 2023, "quarter": 3})
    assert response.status_code == 302
    return Bulletin.objects.get(year=2023, quarter=3, state="draft")


def _section(html: str) -> str:
    start = html.index('id="part-lagging"')
    return html[start : html.index("</section>", start)]


def _rows(section: str) -> int:
    return section.count("<tr><td>")


def _listed(client, url: str) -> int:
    """How many items the ledger list at `url` counts (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_the_draft_names_n_states_the_total_and_links_to_all_of_them(office, q3):
    add_lagging(q3, N + 3)  # with the fixture's two (a yellow, c red): N + 5 lagging
    total = N + 5
    assert StatusSnapshot.objects.filter(period=q3.periods[9], status__in=["red", "yellow"]).count() == total
    bulletin = _draft(office)
    section = _section(office.get(bulletin.get_absolute_url()).content.decode())
    assert _rows(section) == N
    assert f"进度滞后事项{total - 1}项、严重滞后事项1项，涉及3个牵头单位。" in section
    assert f"滞后最严重的{N}项及原因见下表" in section
    assert f"滞后事项（前{N}项）" in section
    assert "另有5项滞后事项，详见台账。" in section
    url, shown = LINK.search(section).groups()
    assert int(shown) == total
    # The link's list counts exactly the bulletin's lagging items.
    assert _listed(office, unescape(url)) == total == quarter_figures(Q3).lagging_counts.total


def test_fewer_than_n_are_all_named_and_no_rest_is_counted(office, q3):
    bulletin = _draft(office)
    section = _section(office.get(bulletin.get_absolute_url()).content.decode())
    assert _rows(section) == 2
    assert "另有" not in section and "滞后事项（前" not in section
    assert "滞后事项及原因见下表" in section
    url, shown = LINK.search(section).groups()
    assert int(shown) == 2 == _listed(office, unescape(url))


def test_no_lagging_item_no_table_and_no_link(office, q3):
    StatusSnapshot.objects.filter(period=q3.periods[9], status__in=["red", "yellow"]).update(status="green")
    bulletin = _draft(office)
    section = _section(office.get(bulletin.get_absolute_url()).content.decode())
    assert "没有进度滞后的改革事项" in section
    assert "<table" not in section and not LINK.search(section)


def test_the_link_lists_the_quarter_end_snapshot_not_the_current_lights(office, q3):
    """The ledger's status filter reads today's lights; the bulletin's list reads September's snapshot."""
    add_lagging(q3, 3)
    Item.objects.update(status="green")  # a month later every light turned green
    archived = add_lagging(q3, 1, key="archived")[0]
    Item.objects.filter(pk=archived.pk).update(is_archived=True)  # archived: neither counted nor listed
    f = quarter_figures(Q3)
    assert f.lagging_counts.total == 5 and archived.pk not in {x.item_id for x in f.lagging}
    assert _listed(office, f.lagging_counts.url) == 5
    assert _listed(office, "/ledger/?status=yellow") == 0


def test_red_first_then_longest_overdue_then_lowest_progress(q3):
    late_red = add_lagging(q3, 1, status="red", due=date(2023, 8, 31), key="late_red")[0]
    old_red = add_lagging(q3, 1, status="red", due=date(2023, 6, 30), key="old_red")[0]
    # Yellow, though its milestone was missed before either red item's deadline.
    old_yellow = add_lagging(q3, 1, milestone=date(2023, 3, 1), key="old_yellow")[0]
    slow = add_lagging(q3, 1, percent=30, key="slow")[0]
    slower = add_lagging(q3, 1, percent=10, key="slower")[0]
    done_ms = add_lagging(q3, 1, milestone=date(2023, 2, 1), percent=5, key="done_ms")[0]
    # Its milestone was done by the quarter's end: it is behind on progress only, not overdue.
    done_ms.milestones.update(done_date=date(2023, 9, 1))
    ids = [x.item_id for x in quarter_figures(Q3).lagging]
    mine = [old_red, late_red, old_yellow, done_ms, slower, slow]
    assert [i for i in ids if i in {x.pk for x in mine}] == [x.pk for x in mine]
    assert ids.index(late_red.pk) < ids.index(q3.items["c"].pk)  # red with no date: last of the red
    assert ids.index(q3.items["c"].pk) < ids.index(old_yellow.pk)


def test_the_document_names_n_and_counts_the_rest(q3, settings):
    settings.GANDANG_BULLETIN_LAGGING_NAMED = 3
    add_lagging(q3, 6, status="red")  # 7 red, 1 yellow
    doc = document.draft(Bulletin(year=2023, quarter=3), charts=False).document
    table = next(b for b in doc.blocks if getattr(b, "caption", "").endswith("滞后事项（前3项）"))
    assert len(table.rows) == 3 and all(row[3] == "严重滞后" for row in table.rows)
    text = doc.text()
    assert "进度滞后事项1项、严重滞后事项7项" in text
    assert "等7项。" in text  # the text names the three red ones it shows, and counts all seven
    assert "另有5项滞后事项，详见台账。" in text
    docx = open_docx(io.BytesIO(document.render(doc, "docx")))
    paragraphs = [p.text for p in docx.paragraphs]
    assert "另有5项滞后事项，详见台账。" in paragraphs
    assert "查看全部" not in text  # the link is the browser's, not the document's


def test_the_document_with_fewer_than_n_has_no_rest_sentence(q3):
    doc = document.draft(Bulletin(year=2023, quarter=3), charts=False).document
    text = doc.text()
    assert "另有" not in text
    table = next(b for b in doc.blocks if getattr(b, "caption", "").endswith("滞后事项"))
    assert len(table.rows) == 2


def test_the_ledger_list_filter_takes_only_a_closed_period(office, q3):
    from gandang.dispatch import services as dispatch

    period, _n = dispatch.period_open(actor=q3.users["office"], year=2023, month=10)
    everything = _listed(office, "/ledger/")
    assert _listed(office, f"/ledger/?lagging_at={q3.periods[9].pk}") == 2
    assert office.get("/api/ledger/items", {"lagging_at": q3.periods[9].pk}).json()["count"] == 2
    # An open period's snapshots still move; a malformed value is dropped, as the list's other filters.
    for value in (period.pk, "abc", "99999999999999999999", "-1"):
        assert _listed(office, f"/ledger/?lagging_at={value}") == everything
    html = office.get(f"/ledger/?lagging_at={q3.periods[9].pk}").content.decode()
    assert f'<option value="{q3.periods[9].pk}" selected>2023年9月</option>' in html
