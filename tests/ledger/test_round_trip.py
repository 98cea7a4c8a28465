"""Export the whole ledger, import it back without naming a plan: nothing changes.

The city has a "1+N" system (a master plan and an action plan under it) beside the annual plan,
with item codes repeated across plans, sub-items, leaders, co-units, milestones edited after the
due phrase made them, key flags, the office's own due phrases, notes typed in a browser form.
"""

import io
from datetime import date
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from gandang.core.models import AuditEntry
from gandang.ledger import services
from gandang.ledger.excel.importer import parse_ledger
from gandang.ledger.models import ImportBatch, Item, Milestone, Plan
from gandang.org.models import Leader, Unit

from .workbooks import write_xlsx

MS = services.MilestoneData


@pytest.fixture
def system(city):
    """The city's annual plan, plus a master plan and its action plan, both with items "1" and "2"."""
    office = city.users["office"]
    master = Plan.objects.create(year=2023, name="新型工业化强市建设“1+N”工作推进体系")
    action = Plan.objects.create(year=2023, name="“441X”现代产业体系链长制工作方案", parent=master)
    second = Leader.objects.create(name="王建国", title="市委常委、秘书长")
    u = city.units

    def item(plan, code, title, *, parent=None, leaders=(), co_units=(), milestones=(), **fields):
        return services.item_create(
            actor=office,
            fields={"plan": plan, "code": code, "seq": int(code.split("-")[0]), "title": title, **fields},
            leaders=leaders,
            co_units=co_units,
            milestones=milestones,
        )

    m1 = item(
        master,
        "1",
        "建立工业经济运行调度机制",
        lead_unit=u["a"],
        area=city.area,
        is_key=True,
        due_date=date(2023, 12, 31),
        due_text="2023年9月底前完成方案，12月底前形成经验",
        leaders=[city.leader, second],
        co_units=[u["b"], u["c"]],
        # Edited after the phrase first made "完成方案"/"形成经验": the office's milestones stay.
        milestones=[
            MS(
                title="制定工作方案",
                due_date=date(2023, 5, 31),
                done_date=date(2023, 5, 20),
                evidence="印发文件",
            ),
            MS(title="开展运行评估，形成制度成果", due_date=date(2023, 12, 31)),
        ],
    )
    item(master, "1-1", "子事项：编制调度方案", parent=m1, lead_unit=u["a"], due_date=date(2023, 6, 30))
    item(
        master,
        "2",
        '=HYPERLINK("http://x","y")',
        lead_unit=u["b"],
        no_fixed_date=True,
        due_text="长期坚持",
        goal="-1+2",
        notes="@备注",
    )
    a1 = item(
        action,
        "1",
        "实施链长制",
        lead_unit=u["c"],
        leaders=[second],
        start_date=date(2023, 3, 1),
        due_date=date(2023, 9, 30),
        due_text="三季度",
        deliverable="制度机制",
        goal="　　第一段\r\n第二段",  # a full-width indent and a browser form's line break
        notes="第一行\r\n第二行",
    )
    item(action, "1-1", "子事项：链长制清单", parent=a1, lead_unit=u["c"], co_units=[u["a"]])
    item(
        action,
        "2",
        "培育链主企业",
        lead_unit=u["a"],
        due_date=date(2023, 11, 30),
        milestones=[MS(title="确定链主企业名单", due_date=date(2023, 8, 31), done_date=date(2023, 8, 1))],
    )
    return {"master": master, "action": action}


def _state() -> tuple[str, int]:
    """Everything an import could change, serialized, and the number of audit entries."""
    tables = [Plan, Item, Item.leaders.through, Item.co_units.through, Milestone, Unit, Leader]
    dump = "".join(serializers.serialize("json", m.objects.order_by("pk")) for m in tables)
    return dump, AuditEntry.objects.count()


def _export(client, path, **query):
    response = client.get(reverse("ledger:export_xlsx"), query)
    path.write_bytes(b"".join(response.streaming_content))
    return path


def test_whole_ledger_reimports_into_its_plans_changing_nothing(system, city, login, xlsx):
    path = _export(login(city.users["office"]), xlsx("all.xlsx"))
    rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[1][-1] == "所属方案"
    assert {r[-1] for r in rows[2:]} == {
        "2023年全市重点改革任务",
        "2023年 新型工业化强市建设“1+N”工作推进体系",
        "2023年 “441X”现代产业体系链长制工作方案",
    }
    assert sorted(r[1] for r in rows[2:]).count("1") == 3  # item "1" in each plan
    before = _state()
    outcome = services.ledger_import(actor=None, workbook=path, filename="all.xlsx", plans_from_file=True)
    assert outcome.result.errors == []
    assert [p.message for p in outcome.result.notices] == ["未填写完成时限"]  # "1-1" of the action plan
    assert outcome.result.counts == {"new": 0, "update": 0, "unchanged": 9}
    assert _state() == before
    batches = {b.plan.name: b.unchanged for b in ImportBatch.objects.all()}
    assert batches == {city.plan.name: 3, system["master"].name: 3, system["action"].name: 3}


def test_the_command_line_round_trip_without_plan(system, city, tmp_path):
    path = tmp_path / "all.xlsx"
    out = StringIO()
    call_command("ledger", "export", "-o", str(path), stdout=out)
    assert "已导出 9 项" in out.getvalue()
    before = _state()
    out = StringIO()
    call_command("ledger", "import", str(path), stdout=out)
    printed = out.getvalue()
    assert printed.startswith("新增 0 项，更新 0 项，未变 9 项\n")
    assert "2023年 “441X”现代产业体系链长制工作方案：新增 0 项，更新 0 项，未变 3 项" in printed
    assert "已按“所属方案”列导入到 3 个方案" in printed
    assert _state() == before


def test_rows_go_to_their_own_plan_when_codes_repeat(system, city, login, xlsx):
    path = _export(login(city.users["office"]), xlsx("all.xlsx"))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=3):
        if row[1].value == "1" and row[-1].value.endswith("链长制工作方案"):
            row[2].value = "实施产业链链长制"
            row[10].value = "2023年10月底前出台方案，12月底前见效"
    wb.save(path)
    outcome = services.ledger_import(actor=None, workbook=path, filename="all.xlsx", plans_from_file=True)
    assert outcome.result.counts == {"new": 0, "update": 1, "unchanged": 8}
    changed = Item.objects.get(plan=system["action"], code="1")
    assert changed.title == "实施产业链链长制" and changed.due_date == date(2023, 12, 31)
    assert [m.title for m in changed.milestones.all()] == ["出台方案", "见效"]
    assert Item.objects.get(plan=system["master"], code="1").title == "建立工业经济运行调度机制"
    assert Item.objects.get(plan=city.plan, code="1").title == "深化要素市场化配置改革"


def test_a_file_exported_into_a_fresh_copy_needs_its_plans_to_exist(system, city, xlsx):
    path = write_xlsx(
        xlsx(),
        [
            ["编号", "改革事项", "完成时限", "所属方案"],
            ["1", "甲", "6月底前", "2023年 “441X”现代产业体系链长制工作方案"],
            ["2", "乙", "", "没有这个方案"],
            ["3", "丙", "", ""],
            ["4", "丁", "", "“441X”现代产业体系链长制工作方案"],  # the name alone is enough
        ],
    )
    result = parse_ledger(path, plan=None, plan_year=None, plans_from_file=True)
    errors = [(p.row, p.column, p.message) for p in result.errors]
    assert errors == [
        (3, "所属方案", "系统中没有方案“没有这个方案”：请先在“改革方案”中新建该方案，或改正方案名称"),
        (4, "所属方案", "未填写所属方案"),
    ]
    rows = {r.code: r for r in result.rows}
    assert rows["1"].plan == system["action"] and rows["4"].plan == system["action"]
    assert rows["1"].fields["due_date"] == date(2023, 6, 30)  # the row's plan gives the year


def test_a_name_used_in_two_years_needs_the_year(system, city, xlsx):
    Plan.objects.create(year=2024, name=system["action"].name)
    path = write_xlsx(xlsx(), [["改革事项", "所属方案"], ["甲", system["action"].name]])
    result = parse_ledger(path, plan=None, plan_year=None, plans_from_file=True)
    (error,) = result.errors
    assert error.message.startswith("有 2 个方案名为““441X”现代产业体系链长制工作方案”，请写明年度")


def test_an_office_ledger_without_the_column_still_needs_a_plan(city, xlsx, counts):
    path = write_xlsx(xlsx(), [["改革事项"], ["甲"]])
    before = counts()
    with pytest.raises(services.ImportRefused):
        services.ledger_import(actor=None, workbook=path, filename="x.xlsx", plans_from_file=True)
    out = StringIO()
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("ledger", "import", str(path), stdout=out)
    assert "文件中没有“所属方案”列" in out.getvalue()
    assert counts() == before
    with pytest.raises(CommandError, match="--year 须与 --plan 一起使用"):
        call_command("ledger", "import", str(path), "--year", "2023")
    with pytest.raises(CommandError, match="须同时给出年度"):
        call_command("ledger", "import", str(path), "--plan", "x")


def test_an_archived_plan_takes_no_rows(system, city, login, xlsx):
    path = _export(login(city.users["office"]), xlsx("all.xlsx"))
    Plan.objects.filter(pk=system["action"].pk).update(is_archived=True)
    result = parse_ledger(path, plan=None, plan_year=None, plans_from_file=True)
    assert {p.message for p in result.errors} == {f"方案“{system['action']}”已归档，不能再导入事项"}


def test_the_import_page_offers_the_files_plans_as_a_third_choice(system, city, login, xlsx):
    client = login(city.users["office"])
    page = client.get(reverse("ledger:import")).content.decode()
    assert "按文件中的“所属方案”列" in page
    path = _export(client, xlsx("全部台账.xlsx"))
    before = _state()
    with path.open("rb") as fh:
        # A plan is preselected on the page; ticking the third choice is what counts.
        preview = client.post(
            reverse("ledger:import"), {"file": fh, "plan": city.plan.pk, "plans_from_file": "on"}
        )
    assert preview.status_code == 200
    assert preview.context["counts"] == {"new": 0, "update": 0, "unchanged": 9}
    body = preview.content.decode()
    assert "按文件中的“所属方案”列导入到：2023年全市重点改革任务、2023年 新型工业化" in body
    assert '<input type="hidden" name="plans_from_file" value="1">' in body
    response = client.post(
        reverse("ledger:import_confirm"), {"token": preview.context["token"], "plans_from_file": "1"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("ledger:item_list")
    assert "导入完成：新增 0 项，更新 0 项，未变 9 项" in client.get(response["Location"]).content.decode()
    assert _state() == before
    assert ImportBatch.objects.count() == 3


def test_formula_like_text_comes_back_as_the_same_text(system, city, login, xlsx):
    path = _export(login(city.users["office"]), xlsx("all.xlsx"))
    ws = load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    titles = {c.value: c for row in ws.iter_rows(min_row=3) for c in row[2:3]}
    cell = titles['=HYPERLINK("http://x","y")']
    assert cell.data_type == "s" and cell.quotePrefix
    result = parse_ledger(path, plan=None, plan_year=None, plans_from_file=True)
    assert not result.errors
    assert any(r.title == '=HYPERLINK("http://x","y")' and r.status == "unchanged" for r in result.rows)
