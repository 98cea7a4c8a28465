"""The bulletin's figures equal what plain queries over the records give (computed here, not by the selectors)."""

from collections import Counter
from datetime import date

import pytest

from gandang.bulletins import document
from gandang.bulletins.figures import quarter_figures
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.dispatch.models import Report, ReportStep, StatusSnapshot
from gandang.ledger.models import Item

Q3 = Quarter(2023, 3)
LABELS = {
    "done": "已完成",
    "green": "正常推进",
    "yellow": "进度滞后",
    "red": "严重滞后",
    "not_started": "未启动",
}


def _text(q3):
    return document.draft(Bulletin(year=2023, quarter=3), charts=False).document.text()


def _share(n, total):
    return f"{n / total * 100:.1f}%"


def test_overall_counts_and_shares_are_the_september_snapshots(q3):
    september = q3.periods[9]
    rows = StatusSnapshot.objects.filter(period=september, item__is_archived=False)
    expected = Counter(rows.values_list("status", flat=True))
    f = quarter_figures(Q3)
    assert f.end_period == september and f.complete
    assert {k: v for k, v in f.figures.status.counts.items() if v} == dict(expected)
    total = rows.count()
    assert f.figures.total == total == 4
    text = _text(q3)
    assert f"改革事项共{total}项" in text
    for status, label in LABELS.items():
        assert f"{label}{expected[status]}项，占{_share(expected[status], total)}" in text


def test_by_area_and_by_leader_tables_count_each_items_quarter_end_status(q3):
    doc = document.draft(Bulletin(year=2023, quarter=3), charts=False).document
    tables = {b.caption: b for b in doc.blocks if hasattr(b, "rows")}
    area_table = next(t for c, t in tables.items() if "分领域" in c)
    by_area = Counter()
    for snap in StatusSnapshot.objects.filter(period=q3.periods[9]).select_related("item__area"):
        by_area[(snap.item.area.name if snap.item.area else "未分领域", snap.status)] += 1
    for row in area_table.rows:
        name, total, done, green, yellow, red, not_started = row[:7]
        assert int(total) == sum(n for (a, _s), n in by_area.items() if a == name)
        assert [int(done), int(green), int(yellow), int(red), int(not_started)] == [
            by_area[(name, s)] for s in ("done", "green", "yellow", "red", "not_started")
        ]
    leader_table = next(t for c, t in tables.items() if "领衔" in c)
    led = {row[0]: int(row[1]) for row in leader_table.rows}
    assert led == {q3.leader.name: 2, q3.leader2.name: 1}  # a and d for the first, d for the second
    assert "2位市级领导领衔推进改革事项2项，其中已完成1项" in doc.text()


def test_completed_are_done_in_september_but_not_in_june(q3):
    done_sep = set(
        StatusSnapshot.objects.filter(period=q3.periods[9], status="done").values_list("item", flat=True)
    )
    done_jun = set(
        StatusSnapshot.objects.filter(period=q3.periods[6], status="done").values_list("item", flat=True)
    )
    expected = done_sep - done_jun
    assert expected == {q3.items["b"].pk}
    f = quarter_figures(Q3)
    assert [x.item_id for x in f.completed] == sorted(expected)
    text = _text(q3)
    assert "本季度新完成改革事项1项" in text
    assert f"{q3.items['b'].title}" in text and q3.units["b"].name in text


def test_lagging_items_are_named_with_their_units_and_reasons(q3):
    lagging = StatusSnapshot.objects.filter(period=q3.periods[9], status__in=["yellow", "red"])
    assert lagging.count() == 2
    text = _text(q3)
    assert "进度滞后事项1项、严重滞后事项1项，涉及2个牵头单位" in text
    # The red one is named in the text; every lagging item is in the table with unit and reason.
    c = Item.objects.get(pk=q3.items["c"].pk)
    assert f"“{c.title}”（{c.lead_unit.name}）" in text
    for snap in lagging.select_related("item", "lead_unit"):
        assert f"{snap.item.title} {snap.lead_unit.name} {LABELS[snap.status]} {snap.reason}" in text


def test_timeliness_counts_each_units_reports_over_the_three_months(q3):
    reports = Report.objects.filter(period__in=[q3.periods[m] for m in (7, 8, 9)])
    on_time = reports.filter(submitted_at__isnull=False, is_late=False).count()
    late = reports.filter(submitted_at__isnull=False, is_late=True).count()
    missing = reports.filter(submitted_at__isnull=True).count()
    returned = ReportStep.objects.filter(report__in=reports, action="return").count()
    due = reports.count()
    assert (late, missing, returned) == (2, 1, 1)  # A late twice in July (items a, d), B missing in August
    text = _text(q3)
    assert (
        f"共应报送进展报告{due}份，按时报送{on_time}份（占{_share(on_time, due)}），"
        f"逾期报送{late}份，未报送{missing}份；改革办审核退回修改{returned}份次" in text
    )
    f = quarter_figures(Q3)
    by_unit = {r.unit: (r.due, r.on_time, r.late, r.missing, r.returned) for r in f.timeliness}
    for unit in q3.units.values():
        if unit.kind == "partner":  # a partner of 两办两研 reads; it leads no item and reports nothing
            assert unit.name not in by_unit
            continue
        mine = reports.filter(unit=unit)
        assert by_unit[unit.name] == (
            mine.count(),
            mine.filter(submitted_at__isnull=False, is_late=False).count(),
            mine.filter(is_late=True).count(),
            mine.filter(submitted_at__isnull=True).count(),
            ReportStep.objects.filter(report__in=mine, action="return").count(),
        )


def test_supervision_section_counts_listings_and_names_the_escalated(q3):
    from gandang.supervision.models import Listing

    def listing(key, listed_on, **kw):
        item = q3.items[key]
        return Listing.objects.create(
            item=item,
            unit=item.lead_unit,
            trigger="red",
            reason="连续两个月严重滞后",
            level=kw.pop("level", "office"),
            requirements="按期整改",
            deadline=date(2023, 9, 30),
            listed_by=q3.users["office"],
            listed_on=listed_on,
            **kw,
        )

    listing("c", date(2023, 8, 2), escalation=2, level="leader", named_on=date(2023, 9, 25))
    listing("a", date(2023, 7, 5), state="delisted", closed_on=date(2023, 9, 20))
    listing("b", date(2023, 10, 8))  # after the quarter: not counted
    text = _text(q3)
    assert "本季度新增挂牌督办事项2项，整改到位摘牌1项，季末仍在督办1项" in text
    assert f"予以通报：“{q3.items['c'].title}”（{q3.units['c'].name}）" in text


def test_an_open_month_is_reported_and_figures_use_the_last_closed_one(q3):
    from gandang.dispatch.models import Period

    Period.objects.filter(pk=q3.periods[9].pk).update(state="open")
    f = quarter_figures(Q3)
    assert not f.complete and f.open_months == [9] and f.end_period == q3.periods[8]
    f4 = quarter_figures(Quarter(2023, 4))
    assert f4.missing_months == [10, 11, 12] and f4.figures is None


@pytest.mark.parametrize(
    ("text", "expected"), [("2023Q3", (2023, 3)), ("2023q1", (2023, 1)), (" 2024-Q4 ", (2024, 4))]
)
def test_quarter_strings(text, expected):
    q = Quarter.parse(text)
    assert (q.year, q.number) == expected


@pytest.mark.parametrize("text", ["2023Q5", "2023Q0", "23Q3", "2023年三季度", ""])
def test_bad_quarter_strings_are_refused_in_chinese(text):
    with pytest.raises(ValueError, match="格式不对"):
        Quarter.parse(text)


def test_timeliness_leaves_out_archived_items_as_the_dashboard_does(q3):
    from gandang.bulletins import selectors

    months = [q3.periods[m] for m in (7, 8, 9)]
    b = q3.items["b"]  # unit B's item: its August report is missing, a September one returned
    Item.objects.filter(pk=b.pk).update(is_archived=True)
    f = quarter_figures(Q3)
    assert Report.objects.filter(item=b, period__in=months, submitted_at__isnull=True).exists()
    live = Report.objects.filter(period__in=months, item__is_archived=False)
    total = f.timeliness_total
    assert (total.due, total.missing) == (live.count(), live.filter(submitted_at__isnull=True).count())
    assert total.missing == 0 and total.returned == 0
    assert q3.units["b"].name not in {r.unit for r in f.timeliness if r.due}
    # The same figures as the dashboard's timeliness over the same months and items.
    board = selectors.figures(selectors.city_scope(), period=months[-1], periods=months).timeliness
    assert (total.on_time, total.late, total.missing, total.returned) == (
        sum(t.on_time for t in board),
        sum(t.late for t in board),
        sum(t.missing for t in board),
        sum(t.returned for t in board),
    )
    assert f"未报送{total.missing}份" in _text(q3)
