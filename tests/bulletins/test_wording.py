"""The bulletin's generated wording: nested quotes, 工作亮点 from the quarter's achievements, and codes
that say which plan they belong to."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gandang.bulletins import document
from gandang.bulletins.figures import quarter_figures
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.dispatch.models import StatusSnapshot
from gandang.ledger.models import Item, Plan

Q3 = Quarter(2023, 3)


@pytest.fixture(autouse=True)
def _today(settings):
    settings.GANDANG_TODAY = "2023-12-05"  # achievements are recorded up to "today"


def _draft():
    return document.draft(Bulletin(year=2023, quarter=3), charts=False)


def _part(key):
    return next(p for p in _draft().parts if p.key == key)


# -- nested quotes -----------------------------------------------------------------------------------


def test_titles_with_their_own_quotes_are_quoted_the_chinese_way(q3):
    Item.objects.filter(pk=q3.items["c"].pk).update(title="建立“两办两研”协同联动机制")  # red all quarter
    Item.objects.filter(pk=q3.items["b"].pk).update(title="做实“链长+专班”推进机制")  # done this quarter
    text = _draft().document.text()
    assert "严重滞后事项为：“建立‘两办两研’协同联动机制”（市教育局）" in text
    assert "“做实‘链长+专班’推进机制”（岱岳区）" in text  # 工作亮点
    assert "““" not in text and "””" not in text


# -- 工作亮点 from achievements -------------------------------------------------------------------------


def _experience(city, title, *, adopt=True):
    from tests.achievements.conftest import make_experience

    return make_experience(city, title=title, adopt=adopt)


def _outlet(level):
    from gandang.achievements.models import Outlet

    return Outlet.objects.filter(level__key=level, is_active=True).order_by("sort_order").first()


def test_highlights_name_experiences_promoted_at_province_level_or_above_this_quarter(q3):
    from tests.achievements.conftest import promote

    central = _experience(q3, "建立“两办两研”协同联动机制")
    promote(q3, central, _outlet("province"), on=date(2023, 7, 3))
    promote(q3, central, _outlet("central"), on=date(2023, 9, 20))  # counted once, at its highest level
    province = _experience(q3, "推行“信易批”")
    promote(q3, province, _outlet("province"), on=date(2023, 8, 1))
    promote(q3, _experience(q3, "市级刊发不算亮点"), _outlet("city"), on=date(2023, 8, 1))
    promote(q3, _experience(q3, "上季度刊发"), _outlet("province"), on=date(2023, 6, 30))
    promote(q3, _experience(q3, "下季度刊发"), _outlet("province"), on=date(2023, 10, 1))
    withdrawn = _experience(q3, "已采用后退回")
    promote(q3, withdrawn, _outlet("ministry"), on=date(2023, 8, 2))
    withdrawn.state = "returned"  # no longer adopted: not counted, as the achievements figures do not
    withdrawn.save()

    f = quarter_figures(Q3)
    assert [x.title for x in f.promoted] == ["建立“两办两研”协同联动机制", "推行“信易批”"]
    assert f.promoted[0].levels == ["中央改革办", "省级"] and f.promoted[0].units == ["市发展改革委"]
    text = _part("highlights").text
    assert "## 改革经验获上级推广" in text
    assert (
        "本季度，全市2项改革经验做法获省级以上刊发推广。其中，"
        "获中央改革办刊发推广1项：市发展改革委“建立‘两办两研’协同联动机制”；"
        "获省级刊发推广1项：市发展改革委“推行‘信易批’”。"
    ) in text
    for other in ("市级刊发不算亮点", "上季度刊发", "下季度刊发", "已采用后退回"):
        assert other not in text


def test_highlights_name_pilots_passed_and_honors_received_this_quarter(q3):
    from gandang.achievements import services

    office = q3.users["office"]

    def pilot(name, level, passed_on):
        p = services.pilot_create(
            actor=office,
            data=services.PilotInput(
                name=name,
                level=level,
                granted_by="国家发展改革委",
                lead_unit=q3.units["a"],
                description="",
                items=[],
            ),
            state="undertaken",
            on=date(2022, 5, 1),
        )
        services.pilot_advance(actor=office, pilot=p, to="evaluating", on=date(2023, 6, 1))
        services.pilot_advance(
            actor=office,
            pilot=p,
            to="passed",
            on=passed_on,
            document=SimpleUploadedFile("验收.pdf", b"%PDF-1.4\n%%EOF\n"),
        )

    pilot("省级数字经济创新发展试验区", "province", date(2023, 9, 1))
    pilot("全国“信用+”应用试点", "national", date(2023, 8, 15))
    pilot("四季度验收的试点", "national", date(2023, 10, 8))

    def honor(name, level, on, unit="b"):
        services.honor_create(
            actor=office,
            data=services.HonorInput(
                name=name,
                level=level,
                unit=q3.units[unit],
                granted_by="省政府办公厅",
                on=on,
                note="",
                items=[],
            ),
        )

    honor("2023年度省级督查激励", "province_incentive", date(2023, 7, 20))
    honor("上半年的表彰", "province", date(2023, 6, 1))

    text = _part("highlights").text
    assert "## 改革试点取得新成效" in text
    assert (
        "本季度，市发展改革委牵头承担的国家级“全国‘信用+’应用试点”、"
        "市发展改革委牵头承担的省级“省级数字经济创新发展试验区”等2项改革试点通过评估验收"
    ) in text
    assert "## 改革工作获得表彰激励" in text
    assert (
        "本季度，全市改革工作获得表彰激励1项：岱岳区获省政府办公厅授予的“2023年度省级督查激励”（省级督查激励）。"
    ) in text
    assert "四季度验收的试点" not in text and "上半年的表彰" not in text
    # The section follows the records until the office edits it, like every other section.
    assert not _part("highlights").edited


def test_without_achievements_the_highlights_are_only_the_items_done(q3):
    text = _part("highlights").text
    assert text.startswith("## 一批改革事项落地见效")
    assert "刊发推广" not in text and "评估验收" not in text and "表彰激励" not in text


# -- 表3: codes of several plans ----------------------------------------------------------------------


def _completed_table():
    return next(b for b in _part("completed").blocks if "本季度完成事项" in b.caption)


def test_completed_table_of_one_plan_has_no_plan_column(q3):
    table = _completed_table()
    assert table.header == ["序号", "编号", "改革事项", "牵头单位"]
    assert table.rows == [["1", q3.items["b"].code, q3.items["b"].title, "岱岳区"]]


def test_completed_items_of_two_plans_with_the_same_code_are_told_apart_by_their_plan(q3):
    from gandang.ledger import services as ledger

    child = Plan.objects.create(year=2023, name="2023年营商环境行动方案", parent=q3.plan)
    same_code = ledger.item_create(
        actor=q3.users["office"],
        fields={
            "plan": child,
            "code": q3.items["b"].code,
            "seq": 1,
            "title": "推行企业开办一网通办",
            "lead_unit": q3.units["a"],
            "due_date": date(2023, 9, 30),
        },
    )
    for month, status in ((6, "green"), (9, "done")):
        StatusSnapshot.objects.update_or_create(
            item=same_code,
            period=q3.periods[month],
            defaults={"status": status, "reason": "", "lead_unit": q3.units["a"]},
        )
    table = _completed_table()
    assert table.header == ["序号", "所属方案", "编号", "改革事项", "牵头单位"]
    assert [r[1:3] for r in table.rows] == [
        ["全市重点改革任务", q3.items["b"].code],  # 2023年全市重点改革任务, the year left out
        ["营商环境行动方案", q3.items["b"].code],
    ]
    assert len({(r[1], r[2]) for r in table.rows}) == 2  # no two rows read alike
