"""Reading messy office ledgers: what the preview understands, before anything is written."""

from datetime import date

import pytest

from gandang.ledger.excel.importer import parse_ledger

from .workbooks import ledger, messy_ledger, write_xlsx


def _parse(path, city, plan=True):
    return parse_ledger(path, plan=city.plan if plan else None, plan_year=2023)


def _by_title(result):
    return {r.title: r for r in result.rows}


def test_it_finds_the_header_below_title_rows_and_reads_areas_from_merged_rows(city, xlsx):
    result = _parse(messy_ledger(xlsx()), city)
    assert result.header_row == 4
    assert not result.errors
    assert [r.row for r in result.rows] == [6, 7, 8, 9, 11, 12, 13]
    areas = {r.title: r.fields["area"] for r in result.rows}
    assert areas["深化要素市场化配置改革"] == "经济体制改革"
    assert areas["推进九女峰乡村振兴片区建设"] == "社会体制改革"
    assert result.new_areas == ["社会体制改革"]  # 经济体制改革 exists in the demo city


def test_it_reads_units_with_every_separator_and_aliases(city, xlsx):
    rows = _by_title(_parse(messy_ledger(xlsx()), city))
    first = rows["深化要素市场化配置改革"]
    assert first.fields["lead_unit"] == "市发展改革委"  # written as the alias 市发改委
    assert first.fields["co_units"] == ["岱岳区", "市教育局"]
    assert rows["推进国资国企改革"].fields["joint_lead_units"] == ["泰山城建集团"]
    assert rows["推进国资国企改革"].fields["co_units"] == ["市财政局", "岱岳区"]
    assert rows["推行思政首课负责制"].fields["co_units"] == ["宁阳县", "新泰市", "肥城市"]
    assert rows["深化“科创中国”试点城市建设"].fields["co_units"] == ["各县（市、区）"]


def test_several_lead_units_make_the_first_the_lead_and_the_rest_joint_leads_with_a_notice(city, xlsx):
    result = _parse(messy_ledger(xlsx()), city)
    row = _by_title(result)["推进国资国企改革"]
    assert row.fields["lead_unit"] == "市国资委"
    assert row.fields["joint_lead_units"] == ["泰山城建集团"]
    assert row.lead_units_display == "市国资委、泰山城建集团"
    notices = [p for p in result.notices if p.row == 7]
    assert notices and notices[0].column == "牵头单位"
    assert "“市国资委”排在首位，负责汇总报送；“泰山城建集团”为共同牵头单位" in notices[0].message


def test_it_reads_leaders_written_with_titles(city, xlsx):
    result = _parse(messy_ledger(xlsx()), city)
    rows = _by_title(result)
    assert rows["深化要素市场化配置改革"].fields["leaders"] == ["赵明远"]
    assert rows["推进国资国企改革"].fields["leaders"] == ["赵明远", "王建国"]
    assert result.unknown_leaders == {"王建国": ("市委常委、秘书长", [7])}


def test_unknown_units_are_listed_with_their_rows_not_created(city, xlsx, counts):
    before = counts()
    result = _parse(messy_ledger(xlsx()), city)
    assert result.unknown_units["泰山城建集团"] == [7]
    assert result.unknown_units["宁阳县"] == [8, 13]
    assert "市发改委" not in result.unknown_units
    assert counts() == before


def test_due_phrases_flags_and_milestones(city, xlsx):
    rows = _by_title(_parse(messy_ledger(xlsx()), city))
    first = rows["深化要素市场化配置改革"]
    assert first.fields["due_date"] == date(2023, 6, 30) and first.fields["due_text"] == "2023年6月底前"
    assert first.fields["is_key"] is True
    two = rows["推进国资国企改革"]
    assert two.fields["due_date"] == date(2023, 12, 31) and two.fields["is_key"] is True
    assert two.fields["milestones"] == [("完成方案", date(2023, 9, 30)), ("形成经验", date(2023, 12, 31))]
    assert rows["推行思政首课负责制"].fields["no_fixed_date"] is True
    exact = rows["深化“科创中国”试点城市建设"]
    assert exact.fields["due_date"] == date(2023, 11, 30) and exact.fields["due_text"] == ""
    assert rows["实施主城区分级办学管理体制改革"].fields["due_date"] == date(2023, 9, 30)
    assert rows["推进九女峰乡村振兴片区建设"].fields["due_date"] == date(2023, 10, 20)
    assert rows["创新人才引育留用机制"].fields["due_date"] == date(2023, 12, 31)


def test_seq_restarting_under_each_area_becomes_file_order(city, xlsx):
    result = _parse(messy_ledger(xlsx()), city)
    assert [r.fields["seq"] for r in result.rows] == [1, 2, 3, 4, 5, 6, 7]
    assert any(p.column == "序号" and "重新排序" in p.message for p in result.notices)


def test_seq_is_kept_as_written_without_area_rows(city, xlsx):
    path = write_xlsx(xlsx(), [["序号", "改革事项"], [3, "甲"], [1, "乙"]])
    assert [r.fields["seq"] for r in _parse(path, city).rows] == [3, 1]


def test_footnote_rows_are_skipped_with_a_notice(city, xlsx):
    result = _parse(messy_ledger(xlsx()), city)
    assert any(p.row == 14 and "跳过" in p.message for p in result.notices)


def test_rows_without_code_get_generated_codes_and_match_by_title(city, xlsx):
    path = write_xlsx(
        xlsx(),
        [
            ["改革事项", "牵头单位", "完成时限"],
            ["推进乡村振兴片区建设", "岱岳区", "2023年9月30日"],
            ["新事项", "岱岳区", "年底前"],
        ],
    )
    result = _parse(path, city)
    existing, new = result.rows
    assert existing.item_id == city.items["b"].pk and existing.code == "2" and existing.status == "unchanged"
    assert new.status == "new" and new.code == "002" and new.code_generated


def test_a_row_with_an_empty_code_cell_matches_by_title_and_keeps_the_code(city, xlsx):
    path = write_xlsx(xlsx(), [["编号", "改革事项"], [None, "推进乡村振兴片区建设"]])
    (row,) = _parse(path, city).rows
    assert (row.item_id, row.code, row.status) == (city.items["b"].pk, "2", "unchanged")


def test_generated_codes_skip_codes_already_in_the_plan(city, xlsx):
    city.items["a"].code = "001"
    city.items["a"].save()
    path = write_xlsx(xlsx(), [["改革事项"], ["甲"], ["乙"]])
    assert [r.code for r in _parse(path, city).rows] == ["002", "003"]


def test_header_synonyms_are_case_and_space_insensitive(city, xlsx):
    path = write_xlsx(
        xlsx(),
        [
            ["序 号", "事项名称（必填）", "责任单位", "截止时间", "专项小组", "Remarks"],
            [1, "甲", "岱岳区", "2023年底", "社会体制改革", "x"],
        ],
    )
    result = _parse(path, city)
    assert set(result.column_names) == {"seq", "title", "lead_unit", "due", "area"}
    assert result.rows[0].fields["area"] == "社会体制改革"
    assert any(p.column == "Remarks" and not p.is_error for p in result.problems)


def test_update_is_detected_field_by_field(city, xlsx):
    path = ledger(
        xlsx(),
        [
            [
                1,
                "1",
                "深化要素市场化配置改革",
                "新的目标",
                None,
                "赵明远（副市长）",
                "市发展改革委",
                "岱岳区",
                "2023年12月31日",
                None,
                None,
                None,
            ]
        ],
    )
    row = _parse(path, city).rows[0]
    assert row.status == "update" and row.item_id == city.items["a"].pk
    assert row.changed == ["goal"]


def test_columns_missing_from_the_file_are_left_alone(city, xlsx):
    path = write_xlsx(xlsx(), [["编号", "改革事项"], ["1", "深化要素市场化配置改革"]])
    row = _parse(path, city).rows[0]
    assert row.status == "unchanged"
    assert set(row.fields) == {"title"}


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"title": "长" * 301}, "改革任务", "超过 300 字"),
        ({"title": ""}, "改革任务", "不能为空"),
        ({"due": "尽快"}, "完成时间", "无法识别"),
        ({"due": "2023年2月30日"}, "完成时间", "不存在"),
        ({"due": "=DATE(2023,6,30)"}, "完成时间", "公式"),
        ({"lead": "#N/A"}, "责任单位", "错误值"),
        ({"lead": "#REF!"}, "责任单位", "错误值"),
        ({"code": "X" * 41}, "编号", "超过 40 字"),
        ({"parent": "999"}, "上级编号", "不存在"),
        ({"notes": "注" * 2001}, "备注", "超过 2000 字"),
    ],
)
def test_bad_cells_are_errors_with_row_and_column(city, xlsx, cells, column, message):
    values = {
        "code": "A1",
        "title": "甲",
        "lead": "岱岳区",
        "due": "2023年底前",
        "parent": None,
        "notes": "备注",
    } | cells
    row = [
        1,
        values["code"],
        values["title"],
        None,
        None,
        None,
        values["lead"],
        None,
        values["due"],
        None,
        values["parent"],
        values["notes"],
    ]
    result = _parse(ledger(xlsx(), [row]), city)
    errors = [(p.row, p.column) for p in result.errors]
    assert (4, column) in errors, result.problems
    assert any(message in p.message for p in result.errors)


def test_start_date_after_due_date_is_an_error(city, xlsx):
    path = write_xlsx(xlsx(), [["改革事项", "开始时间", "完成时限"], ["甲", "2023年10月", "2023年6月底前"]])
    (problem,) = _parse(path, city).errors
    assert problem.row == 2 and problem.column == "开始时间" and "晚于" in problem.message


def test_duplicate_code_in_the_file_is_an_error(city, xlsx):
    path = write_xlsx(xlsx(), [["编号", "改革事项"], ["A", "甲"], ["A", "乙"]])
    (problem,) = _parse(path, city).errors
    assert problem.row == 3 and problem.column == "编号" and "第 2 行重复" in problem.message


def test_duplicate_titles_without_codes_are_an_error(city, xlsx):
    path = write_xlsx(xlsx(), [["改革事项"], ["甲"], ["甲"]])
    (problem,) = _parse(path, city).errors
    assert problem.row == 3 and "名称相同" in problem.message


def test_sub_items_point_at_a_parent_in_the_file_or_the_plan(city, xlsx):
    path = write_xlsx(
        xlsx(),
        [
            ["编号", "改革事项", "上级编号"],
            ["9", "母事项", ""],
            ["9-1", "子事项一", "9"],
            ["1-1", "子事项二", "1"],
            ["9-1-1", "孙事项", "9-1"],
        ],
    )
    result = _parse(path, city)
    assert [p.row for p in result.errors] == [5, 3]  # 9-1-1 under a sub-item; 9-1 both parent and child
    assert all("只支持一级" in p.message for p in result.errors)
    assert result.rows[1].fields["parent"] == "9" and result.rows[2].fields["parent"] == "1"


def test_an_item_with_sub_items_cannot_become_a_sub_item(city, xlsx):
    path = write_xlsx(
        xlsx(),
        [["编号", "改革事项", "上级编号"], ["1-1", "子事项", "1"], ["1", "深化要素市场化配置改革", "2"]],
    )
    errors = _parse(path, city).errors
    assert any(p.row == 3 and "已有子事项" in p.message for p in errors)
    assert any(p.row == 2 and "本身是子事项" in p.message for p in errors)


def test_a_lone_cell_right_of_the_first_column_is_an_item_without_title_not_an_area(city, xlsx):
    path = write_xlsx(
        xlsx(), [["序号", "改革事项", "牵头单位"], ["一、经济体制改革"], [None, None, "岱岳区"]]
    )
    result = _parse(path, city)
    assert [(p.row, p.column) for p in result.errors] == [(3, "改革事项")]


def test_a_file_for_a_new_plan_has_only_new_rows(city, xlsx):
    result = _parse(messy_ledger(xlsx()), city, plan=False)
    assert result.counts == {"new": 7, "update": 0, "unchanged": 0}


def test_a_partner_office_is_never_matched_as_a_lead_or_co_unit(city, xlsx):
    """市委办公室 here is a partner of 两办两研 (a reader of the office's information): a row naming it as lead
    or co-unit is an error the office fixes in the file; it is neither matched nor offered for creation."""
    rows = [
        [1, "", "推进机关效能提升", "", "", "赵明远", "市委办公室", "市教育局", "2023年12月", "", "", ""],
        [2, "", "深化政务公开", "", "", "", "市发改委", "岱岳区；市委办公室", "2023年12月", "", "", ""],
        [3, "", "深化要素市场化配置改革", "", "", "", "市发改委", "岱岳区", "2023年12月", "", "", ""],
    ]
    result = _parse(ledger(xlsx(), rows), city)
    by_row = {p.row: p for p in result.errors}
    assert set(by_row) == {4, 5}
    assert by_row[4].column == "责任单位"
    assert (
        by_row[4].message.startswith("“市委办公室”是“两办两研”协同单位")
        and "不能作为牵头单位" in by_row[4].message
    )
    assert by_row[5].column == "参与单位" and "“市委办公室”" in by_row[5].message
    assert "不能作为配合单位" in by_row[5].message
    assert "市委办公室" not in result.unknown_units
    assert result.has_errors
