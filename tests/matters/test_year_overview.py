"""年度统计: the year's instructions by level and kind, matters by source and state, decisions and suggestions;
every figure is the number of rows of the list it links to, for each reader's own view."""

import re
from datetime import date
from importlib import import_module

import pytest
from django.apps import apps

from gandang.matters import meeting_services as ms
from gandang.matters import services
from gandang.matters.models import Matter
from tests.matters.conftest import answer, assign, record_directive, step, suggestion
from tests.matters.meetings import held

S = Matter.State


def _cells(page: str, section: str) -> list[tuple[str, int]]:
    """(link, figure) of every figure in a section of the overview, in order."""
    part = page.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return [
        (href.replace("&amp;", "&"), int(n))
        for href, n in re.findall(r'<a href="([^"]+)"[^>]*>(\d+)</a>', part)
    ]


def _rows(client, url: str, pattern: str) -> int:
    body = client.get(url).content.decode()
    return len(set(re.findall(pattern, body)))


@pytest.fixture
def year(city):
    """A provincial praise, three directives of unit A (one closed, one overdue, one open) and one of B."""
    services.instruction_record(
        actor=city.users["office"],
        data=services.InstructionInput(
            leader_name="林武",
            leader_title="省委书记",
            level="province",
            kind="praise",
            on=date(2023, 6, 20),
            text="盐穴储能储气做法值得肯定",
        ),
    )
    closed = record_directive(city).matters.get()
    answer(closed, city.users["liaison_a"])
    step(closed, city.users["liaison_a"], "submit")
    step(closed, city.users["head_a"], "approve")
    step(closed, city.users["office"], "close")
    record_directive(city, deadline=date(2023, 11, 1))  # past the pinned day, 2023-11-06
    record_directive(city)
    record_directive(city, unit="b")


def test_the_office_sees_the_years_figures_and_each_opens_a_list_of_as_many_rows(login, city, year):
    client = login(city.users["office"])
    page = client.get("/matters/year/?year=2023").content.decode()
    ins = _cells(page, "year-instructions")
    # rows 中央/省级/市级/合计 × columns 合计/肯定性/指示性
    figures = [n for _u, n in ins]
    assert figures == [0, 0, 0, 5, 1, 4, 0, 0, 0, 5, 1, 4]
    for url, n in ins:
        assert _rows(client, url, r'href="/matters/instructions/(\d+)/"') == n, url
    mat = _cells(page, "year-matters")
    by_source = [n for _u, n in mat[:5]]  # 领导批示: 交办, 未办结, 已逾期, 已办结, 已立项
    assert by_source == [4, 3, 1, 1, 0]
    for url, n in mat:
        assert _rows(client, url, r'<td><a href="/matters/(\d+)/">') == n, url


def test_a_units_liaison_counts_only_what_its_own_lists_show(login, city, year):
    client = login(city.users["liaison_b"])
    page = client.get("/matters/year/?year=2023").content.decode()
    mat = _cells(page, "year-matters")
    assert [n for _u, n in mat[:5]] == [1, 1, 0, 0, 0]
    for url, n in mat:
        assert _rows(client, url, r'<td><a href="/matters/(\d+)/">') == n, url


def test_another_year_is_empty_and_a_malformed_year_falls_back_to_this_year(login, city, year):
    client = login(city.users["office"])
    assert [
        n for _u, n in _cells(client.get("/matters/year/?year=2022").content.decode(), "year-matters")
    ] == [0] * 25  # 5 sources and the total, by 5 columns
    page = client.get("/matters/year/?year=abc")
    assert page.status_code == 200 and "2023年领导批示" in page.content.decode()


def test_the_matter_list_filters_by_source_year_and_open(login, city, year):
    client = login(city.users["office"])
    mine = r'<td><a href="/matters/(\d+)/">'
    assert _rows(client, "/matters/?source=instruction&state=open", mine) == 3
    assert _rows(client, "/matters/?source=suggestion", mine) == 0
    assert _rows(client, "/matters/?year=2022", mine) == 0
    assert client.get("/matters/?source=<b>&year=x&state=zzz").status_code == 200


def test_the_overview_in_english_heads_the_assigned_column_as_a_count(login, city, year):
    client = login(city.users["office"])
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    page = client.get("/matters/year/?year=2023").content.decode()
    head = page.split('id="year-matters"', 1)[1].split("</thead>", 1)[0]
    assert "<th>Assigned</th>" in head and "<th>Assign</th>" not in head


@pytest.fixture
def heard(city):
    """A consultation's suggestion assigned to unit A, and a meeting's observer comment assigned to unit B."""
    assign(city, suggestion(city))
    office = city.users["office"]
    meeting = held(city, decision=False)
    comment = ms.comment_add(actor=office, observer=meeting.observers.get(), text="建议加快审批改革")
    return ms.comment_assign(
        actor=office,
        comment=comment,
        assignment=ms.Assignment(unit=city.units["b"], deadline=date(2023, 12, 31)),
    )


def _line(page: str, label: str) -> list[tuple[str, int]]:
    """(link, figure) of the year's matters line headed `label`."""
    part = page.split('id="year-matters"', 1)[1].split("</section>", 1)[0]
    row = part.split(f'<th scope="row">{label}</th>', 1)[1].split("</tr>", 1)[0]
    return [
        (href.replace("&amp;", "&"), int(n))
        for href, n in re.findall(r'<a href="([^"]+)"[^>]*>(\d+)</a>', row)
    ]


def test_observers_comments_have_their_own_line_apart_from_the_consultations_suggestions(login, city, heard):
    """An observer's comment assigned at a meeting is counted under 列席旁听意见, next to the meetings'
    decisions, not under the consultations' 协商建议; each figure opens a list of as many rows."""
    client = login(city.users["office"])
    page = client.get("/matters/year/?year=2023").content.decode()
    observers, consultations = _line(page, "列席旁听意见"), _line(page, "协商建议")
    assert [n for _u, n in observers] == [1, 1, 0, 0, 0]
    assert [n for _u, n in consultations] == [1, 1, 0, 0, 0]
    assert page.index("会议议定事项") < page.index("列席旁听意见") < page.index("协商建议")
    mine = r'<td><a href="/matters/(\d+)/">'
    for url, n in observers + consultations:
        assert _rows(client, url, mine) == n, url
    listed = client.get(observers[0][0]).content.decode()
    assert f'<a href="/matters/{heard.pk}/">' in listed and "列席意见：" in listed
    assert "优化营商环境评价机制" not in listed


def test_the_observers_line_reads_in_english(login, city, heard):
    client = login(city.users["office"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/matters/year/?year=2023").content.decode()
    assert [n for _u, n in _line(page, "Observer comment")] == [1, 1, 0, 0, 0]
    assert "Leader&#x27;s instruction</th>" in page  # each source named as one, like the others
    assert [n for _u, n in _line(page, "Consultation suggestion")] == [1, 1, 0, 0, 0]


def test_the_api_filters_the_observers_comments_apart(login, city, heard):
    client = login(city.users["office"])
    rows = client.get("/api/matters/matters?source=observer").json()
    assert [(r["id"], r["source"]) for r in rows] == [(heard.pk, "observer")]
    assert all(
        r["source"] == "suggestion" for r in client.get("/api/matters/matters?source=suggestion").json()
    )
    assert client.get("/api/matters/matters?source=nonsense").status_code in (400, 422)


def test_matters_made_from_comments_before_move_to_the_observers_source(city, heard):
    Matter.objects.filter(pk=heard.pk).update(source="suggestion")  # as assigned before this change
    migration = import_module("gandang.matters.migrations.0007_observer_comment_source")
    migration.comments_to_observer(apps, None)
    assert Matter.objects.get(pk=heard.pk).source == "observer"
    assert set(Matter.objects.exclude(pk=heard.pk).values_list("source", flat=True)) == {"suggestion"}
