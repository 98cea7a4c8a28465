"""`gandang ledger import|export` from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gandang.core.models import AuditEntry
from gandang.ledger.models import ImportBatch, Item, Plan

from .workbooks import messy_ledger, write_xlsx


def _run(*args):
    out = StringIO()
    call_command("ledger", *map(str, args), stdout=out)
    return out.getvalue()


def test_import_creates_the_plan_and_prints_counts_and_problems(city, xlsx):
    out = _run("import", messy_ledger(xlsx()), "--plan", "2023年示例", "--year", 2023, "--create-missing")
    assert "原先不存在，已新建" in out
    assert "新增 7 项，更新 0 项，未变 0 项" in out
    assert "第 7 行［牵头单位］" in out  # the two-lead-units notice with its row
    plan = Plan.objects.get(year=2023, name="2023年示例")
    assert plan.items.count() == 7
    batch = ImportBatch.objects.get()
    assert batch.actor is None
    assert AuditEntry.objects.filter(action="import", actor__isnull=True).exists()


def test_import_into_an_existing_plan_is_idempotent(city, xlsx):
    path = messy_ledger(xlsx())
    args = ("import", path, "--plan", city.plan.name, "--year", 2023, "--create-missing")
    _run(*args)
    out = _run(*args)
    assert "新增 0 项，更新 0 项，未变 7 项" in out
    assert "已新建" not in out


def test_dry_run_writes_nothing(city, xlsx, counts):
    before = counts()
    out = _run(
        "import", messy_ledger(xlsx()), "--plan", "新方案", "--year", 2023, "--dry-run", "--create-missing"
    )
    assert "导入时将新建" in out and "新增 7 项" in out and "未写入" in out
    assert counts() == before


def test_unknown_names_without_create_missing_fail_with_nothing_written(city, xlsx, counts):
    before = counts()
    out = StringIO()
    with pytest.raises(CommandError, match="没有的单位或领导"):
        call_command(
            "ledger", "import", str(messy_ledger(xlsx())), "--plan", "新方案", "--year", "2023", stdout=out
        )
    assert "系统中没有的单位：泰山城建集团（第 7 行）" in out.getvalue()
    assert "已新建" not in out.getvalue()
    assert counts() == before


def test_errors_fail_and_each_problem_is_printed_with_its_row(city, xlsx, counts):
    path = write_xlsx(xlsx(), [["改革事项", "完成时限"], ["甲", "哪天"], ["乙", "=TODAY()"]])
    before = counts()
    out = StringIO()
    with pytest.raises(CommandError, match="2 处错误"):
        call_command("ledger", "import", str(path), "--plan", "x", "--year", "2023", stdout=out)
    assert "第 2 行［完成时限］" in out.getvalue() and "第 3 行［完成时限］" in out.getvalue()
    assert counts() == before


def test_dry_run_with_errors_fails_too(city, xlsx):
    path = write_xlsx(xlsx(), [["改革事项", "完成时限"], ["甲", "哪天"]])
    with pytest.raises(CommandError):
        _run("import", path, "--plan", "x", "--year", 2023, "--dry-run")


def test_missing_file_fails(city, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        _run("import", tmp_path / "none.xlsx", "--plan", "x", "--year", 2023)


def test_export_xlsx_then_reimport_is_unchanged(city, tmp_path):
    path = tmp_path / "out.xlsx"
    out = _run("export", "-o", path, "--plan", city.plan.name)
    assert "已导出 3 项" in out
    out = _run("import", path, "--plan", city.plan.name, "--year", 2023)
    assert "新增 0 项，更新 0 项，未变 3 项" in out


def test_export_json(city, tmp_path):
    path = tmp_path / "out.json"
    _run("export", "-o", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(i["code"] for i in data["items"]) == ["1", "2", "3"]


def test_export_needs_a_known_extension_and_plan(city, tmp_path):
    with pytest.raises(CommandError, match=".xlsx 或 .json"):
        _run("export", "-o", tmp_path / "out.csv")
    with pytest.raises(CommandError, match="没有名为"):
        _run("export", "-o", tmp_path / "out.json", "--plan", "没有这个方案")


def test_export_leaves_archived_items_out(city, tmp_path):
    Item.objects.filter(pk=city.items["c"].pk).update(is_archived=True)
    path = tmp_path / "out.json"
    _run("export", "-o", path)
    assert sorted(i["code"] for i in json.loads(path.read_text())["items"]) == ["1", "2"]
