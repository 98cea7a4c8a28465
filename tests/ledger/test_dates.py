"""The due-date phrases offices write, read by gandang.ledger.dates."""

import calendar
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gandang.ledger.dates import DatePhraseError, DueDate, format_due, parse_due, parse_start

D = date


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2023年6月底前", D(2023, 6, 30)),
        ("2023年12月", D(2023, 12, 31)),
        ("2023年2月", D(2023, 2, 28)),
        ("2024年2月底", D(2024, 2, 29)),
        ("2023年年底前", D(2023, 12, 31)),
        ("2023年底前", D(2023, 12, 31)),
        ("2023年底", D(2023, 12, 31)),
        ("年底前", D(2023, 12, 31)),
        ("2023年上半年", D(2023, 6, 30)),
        ("下半年", D(2023, 12, 31)),
        ("2023年第三季度", D(2023, 9, 30)),
        ("三季度", D(2023, 9, 30)),
        ("第1季度", D(2023, 3, 31)),
        ("2023年四季度末", D(2023, 12, 31)),
        ("2023年11月30日", D(2023, 11, 30)),
        ("2023年11月3号", D(2023, 11, 3)),
        ("2023.11.30", D(2023, 11, 30)),
        ("2023-11-30", D(2023, 11, 30)),
        ("2023/11/30", D(2023, 11, 30)),
        ("20231130", D(2023, 11, 30)),
        ("2023.11", D(2023, 11, 30)),
        ("10月中旬", D(2023, 10, 20)),
        ("10月上旬", D(2023, 10, 10)),
        ("10月下旬", D(2023, 10, 31)),
        ("2月下旬", D(2023, 2, 28)),
        ("6月底前", D(2023, 6, 30)),
        ("十二月底前", D(2023, 12, 31)),
        ("2023年", D(2023, 12, 31)),
        ("2023年内", D(2023, 12, 31)),
        ("次年3月底前", D(2024, 3, 31)),
        ("２０２３年６月底前", D(2023, 6, 30)),
        ("２０２３．１１．３０", D(2023, 11, 30)),
        (" 2023 年 6 月 底前 ", D(2023, 6, 30)),
        ("2023年3月至12月", D(2023, 12, 31)),
        ("2023年6月底前完成", D(2023, 6, 30)),
        (20231130, D(2023, 11, 30)),
    ],
)
def test_phrase_reads_as_due_date(phrase, expected):
    assert parse_due(phrase, plan_year=2023) == DueDate(due_date=expected)


@pytest.mark.parametrize("value", [datetime(2023, 11, 30, 0, 0), D(2023, 11, 30)])
def test_excel_date_cell_is_exact(value):
    assert parse_due(value, plan_year=2020) == DueDate(due_date=D(2023, 11, 30))


@pytest.mark.parametrize("phrase", ["长期坚持", "持续推进", "长期", "常态化推进"])
def test_long_term_phrases_have_no_fixed_date(phrase):
    assert parse_due(phrase, plan_year=2023) == DueDate(due_date=None, no_fixed_date=True)


def test_empty_cell_means_no_due_date():
    assert parse_due(None) == DueDate()
    assert parse_due("  ") == DueDate()


def test_two_stage_phrase_gives_milestones_and_the_last_date():
    result = parse_due("2023年9月底前完成方案，12月底前形成经验", plan_year=2020)
    assert result.milestones == [("完成方案", D(2023, 9, 30)), ("形成经验", D(2023, 12, 31))]
    assert result.due_date == D(2023, 12, 31)
    assert not result.no_fixed_date


@pytest.mark.parametrize("sep", ["，", ",", "；", ";"])
def test_two_stage_phrase_accepts_every_separator(sep):
    result = parse_due(f"2023年5月底前出台意见{sep}10月底前开展评估", plan_year=2023)
    assert result.milestones == [("出台意见", D(2023, 5, 31)), ("开展评估", D(2023, 10, 31))]


def test_year_carried_from_previous_segment_not_the_plan_year():
    result = parse_due("2024年3月底前启动，6月底前完成", plan_year=2023)
    assert result.milestones == [("启动", D(2024, 3, 31)), ("完成", D(2024, 6, 30))]


def test_carried_year_that_goes_backwards_means_next_year():
    result = parse_due("2023年11月底前出台方案；3月底前总结", plan_year=2023)
    assert result.milestones[1] == ("总结", D(2024, 3, 31))


def test_words_without_a_date_join_a_neighbouring_milestone():
    result = parse_due("2023年9月底前完成方案，出台细则，12月底前形成经验", plan_year=2023)
    assert result.milestones == [("完成方案，出台细则", D(2023, 9, 30)), ("形成经验", D(2023, 12, 31))]
    result = parse_due("完成方案，2023年6月底前；形成经验，12月底前", plan_year=2023)
    assert result.milestones == [("完成方案", D(2023, 6, 30)), ("形成经验", D(2023, 12, 31))]


def test_dated_steps_of_a_long_term_item_are_milestones():
    result = parse_due("2023年6月底前出台方案，长期坚持", plan_year=2023)
    assert result == DueDate(due_date=None, no_fixed_date=True, milestones=[("出台方案", D(2023, 6, 30))])


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("尽快完成", "无法识别"),
        ("2023年13月", "无法识别"),
        ("2023年2月30日", "不存在"),
        ("2023.02.30", "不存在"),
        ("3个月内", "无法识别"),
        ("45260", "无法识别"),
    ],
)
def test_unreadable_phrase_is_an_error_in_chinese(phrase, message):
    with pytest.raises(DatePhraseError, match=message):
        parse_due(phrase, plan_year=2023)


def test_phrase_without_year_needs_a_plan_year():
    with pytest.raises(DatePhraseError, match="没有写明年份"):
        parse_due("6月底前", plan_year=None)


def test_start_date_is_the_first_day_of_the_period():
    assert parse_start("2023年3月", plan_year=2023) == D(2023, 3, 1)
    assert parse_start("三季度", plan_year=2023) == D(2023, 7, 1)
    assert parse_start(datetime(2023, 2, 1), plan_year=2023) == D(2023, 2, 1)
    assert parse_start("", plan_year=2023) is None
    with pytest.raises(DatePhraseError):
        parse_start("2023年3月启动，6月推开", plan_year=2023)


def test_format_due_prefers_the_office_phrase():
    assert format_due(D(2023, 12, 31), False, "年底前") == "年底前"
    assert format_due(D(2023, 12, 31), False) == "2023年12月31日"
    assert format_due(None, True) == "长期坚持"
    assert format_due(None, False) == ""


@given(year=st.integers(1950, 2100), month=st.integers(1, 12), full_width=st.booleans())
def test_every_year_month_phrase_is_the_last_day_of_the_month(year, month, full_width):
    phrase = f"{year}年{month}月底前"
    if full_width:
        phrase = phrase.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    expected = D(year, month, calendar.monthrange(year, month)[1])
    assert parse_due(phrase, plan_year=None) == DueDate(due_date=expected)


@given(
    d=st.dates(D(1950, 1, 1), D(2100, 12, 31)),
    style=st.sampled_from(["{y}年{m}月{d}日", "{y}.{m}.{d}", "{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}"]),
)
def test_every_exact_date_reads_back(d, style):
    assert parse_due(style.format(y=d.year, m=d.month, d=d.day)).due_date == d


@given(
    st.one_of(
        st.text(max_size=40),
        st.text(alphabet="0123456789年月日底前上中下旬季度第半，,；;长期.-/ 一二三四十", max_size=30),
    )
)
def test_parse_never_raises_anything_but_its_own_error(text):
    try:
        result = parse_due(text, plan_year=2023)
    except DatePhraseError as exc:
        assert str(exc)
    else:
        assert result.due_date is None or isinstance(result.due_date, date)
        assert all(isinstance(title, str) and title for title, _ in result.milestones)


@given(st.integers(1, 4), st.integers(2000, 2099))
def test_quarter_phrase_is_the_quarter_end(quarter, year):
    numeral = "一二三四"[quarter - 1]
    month = 3 * quarter
    expected = D(year, month, calendar.monthrange(year, month)[1])
    assert parse_due(f"{year}年第{numeral}季度", plan_year=None).due_date == expected
    assert parse_due(f"{numeral}季度", plan_year=year).due_date == expected
