"""Committing an import: everything written at once, audited, and idempotent on re-import."""

from datetime import date

import pytest

from gandang.core.models import AuditEntry
from gandang.ledger import services
from gandang.ledger.models import Area, ImportBatch, Item, Milestone, Plan
from gandang.org.models import Leader, Unit

from .workbooks import ledger, messy_ledger, write_xlsx


def _import(path, city, **kwargs):
    kwargs.setdefault("plan", city.plan)
    return services.ledger_import(actor=city.users["office"], workbook=path, filename=path.name, **kwargs)


NEW_PLAN = {"plan": None, "new_plan_year": 2023, "new_plan_name": "2023年示例方案"}


def test_messy_ledger_commits_items_people_and_milestones(city, xlsx):
    outcome = _import(messy_ledger(xlsx()), city, create_missing=True, **NEW_PLAN)
    assert (outcome.batch.created, outcome.batch.updated, outcome.batch.unchanged) == (7, 0, 0)
    item = Item.objects.get(plan=outcome.batch.plan, title="推进国资国企改革")
    assert item.code == "002" and item.seq == 2
    assert item.area.name == "经济体制改革"
    assert [u.name for u in item.lead_units] == ["市国资委", "泰山城建集团"]  # "市国资委、泰山城建集团"
    assert sorted(u.name for u in item.co_units.all()) == sorted(["市财政局", "岱岳区"])
    assert sorted(leader.name for leader in item.leaders.all()) == ["王建国", "赵明远"]
    assert item.due_date == date(2023, 12, 31) and item.is_key
    assert [(m.title, m.due_date) for m in item.milestones.all()] == [
        ("完成方案", date(2023, 9, 30)),
        ("形成经验", date(2023, 12, 31)),
    ]
    assert Leader.objects.get(name="王建国").title == "市委常委、秘书长"
    assert Unit.objects.get(name="泰山城建集团").kind == Unit.Kind.ENTERPRISE
    assert Unit.objects.get(name="宁阳县").kind == Unit.Kind.COUNTY
    assert Area.objects.filter(name="社会体制改革").exists()


def test_commit_records_a_batch_and_import_audit_entries(city, xlsx):
    _import(messy_ledger(xlsx("台账.xlsx")), city, create_missing=True, **NEW_PLAN)
    batch = ImportBatch.objects.get()
    assert (batch.filename, batch.created, batch.actor) == ("台账.xlsx", 7, city.users["office"])
    item = Item.objects.get(title="深化要素市场化配置改革", plan=batch.plan, code="001")
    entry = AuditEntry.objects.get(
        object_id=item.pk, action=AuditEntry.Action.IMPORT, content_type__model="item"
    )
    assert entry.actor == city.users["office"] and "台账.xlsx" in entry.reason
    assert entry.changes["lead_unit"] == ["", "市发展改革委"]
    assert entry.changes["co_units"] == ["", "岱岳区、市教育局"]
    assert entry.changes["leaders"] == ["", "赵明远"]
    assert AuditEntry.objects.filter(action="import", content_type__model="milestone").count() == 2
    assert AuditEntry.objects.filter(
        action="import", content_type__model="unit", object_repr="宁阳县"
    ).exists()


def test_importing_the_same_file_twice_never_duplicates(city, xlsx, counts):
    path = messy_ledger(xlsx())
    first = _import(path, city, create_missing=True)
    assert (first.batch.created, first.batch.updated) == (5, 2)  # two titles are already in the plan
    after_first = counts()
    outcome = _import(path, city)
    assert (outcome.batch.created, outcome.batch.updated, outcome.batch.unchanged) == (0, 0, 7)
    assert counts() == after_first | {"ImportBatch": after_first["ImportBatch"] + 1}


def test_reimport_updates_changed_rows_with_before_and_after(city, xlsx):
    header = ["编号", "改革事项", "牵头单位", "配合单位", "领衔市级领导", "完成时限"]
    _import(
        write_xlsx(
            xlsx(),
            [
                header,
                ["1", "深化要素市场化配置改革", "市发改委", "岱岳区", "赵明远（副市长）", "2023年12月31日"],
            ],
        ),
        city,
    )
    item = city.items["a"]
    version = Item.objects.get(pk=item.pk).version
    path = write_xlsx(
        xlsx(),
        [
            header,
            [
                "1",
                "深化要素市场化配置改革（修订）",
                "市发改委",
                "市教育局",
                "",
                "2023年9月底前完成方案，年底前形成经验",
            ],
        ],
    )
    outcome = _import(path, city)
    assert (outcome.batch.created, outcome.batch.updated) == (0, 1)
    item.refresh_from_db()
    assert item.title == "深化要素市场化配置改革（修订）"
    assert [u.name for u in item.co_units.all()] == ["市教育局"]
    assert not item.leaders.exists()
    assert item.version == version + 1
    assert item.due_text == "2023年9月底前完成方案，年底前形成经验"
    entry = AuditEntry.objects.filter(object_id=item.pk, content_type__model="item", action="import").latest(
        "id"
    )
    assert entry.changes["title"] == ["深化要素市场化配置改革", "深化要素市场化配置改革（修订）"]
    assert entry.changes["co_units"] == ["岱岳区", "市教育局"]
    assert entry.changes["leaders"] == ["赵明远", ""]
    assert "lead_unit" not in entry.changes


def test_milestones_are_upserted_by_title(city, xlsx):
    item = city.items["a"]  # has milestone 完成方案 due 2023-06-30
    path = write_xlsx(
        xlsx(),
        [["编号", "改革事项", "完成时限"], ["1", item.title, "2023年9月底前完成方案，12月底前形成经验"]],
    )
    _import(path, city)
    assert [(m.title, m.due_date) for m in item.milestones.all()] == [
        ("完成方案", date(2023, 9, 30)),
        ("形成经验", date(2023, 12, 31)),
    ]
    moved = item.milestones.get(title="完成方案")
    entry = AuditEntry.objects.get(content_type__model="milestone", action="import", object_id=moved.pk)
    assert entry.changes == {"due_date": ["2023-06-30", "2023-09-30"]}
    assert entry.scope == f"ledger.item:{item.pk}"
    _import(path, city)
    assert Milestone.objects.filter(item=item).count() == 2


def test_sub_items_are_linked_to_parents_created_in_the_same_file(city, xlsx):
    path = write_xlsx(
        xlsx(),
        [
            ["编号", "改革事项", "上级编号"],
            ["9-1", "子事项", "9"],
            ["9", "母事项", ""],
            ["1-1", "甲的子事项", "1"],
        ],
    )
    _import(path, city)
    assert Item.objects.get(code="9-1").parent.code == "9"
    assert Item.objects.get(code="1-1").parent == city.items["a"]


def test_a_new_plan_is_created_by_year_and_name(city, xlsx):
    outcome = _import(
        write_xlsx(xlsx(), [["改革事项"], ["甲"]]),
        city,
        plan=None,
        new_plan_year=2024,
        new_plan_name="2024年要点",
    )
    assert outcome.plan_created
    plan = Plan.objects.get(year=2024, name="2024年要点")
    assert plan.items.get().code == "001"
    again = _import(
        write_xlsx(xlsx(), [["改革事项"], ["甲"]]),
        city,
        plan=None,
        new_plan_year=2024,
        new_plan_name="2024年要点",
    )
    assert not again.plan_created and again.batch.unchanged == 1


def test_plan_year_fills_in_phrases_without_a_year(city, xlsx):
    _import(
        write_xlsx(xlsx(), [["改革事项", "完成时限"], ["甲", "6月底前"]]),
        city,
        plan=None,
        new_plan_year=2025,
        new_plan_name="x",
    )
    assert Item.objects.get(title="甲").due_date == date(2025, 6, 30)


def test_an_archived_plan_is_refused(city, xlsx):
    Plan.objects.filter(pk=city.plan.pk).update(is_archived=True)
    city.plan.refresh_from_db()
    with pytest.raises(services.ServiceError, match="已归档"):
        _import(write_xlsx(xlsx(), [["改革事项"], ["甲"]]), city)


def test_ten_sheet_columns_in_export_order_round_trip_notes_and_flags(city, xlsx):
    path = ledger(
        xlsx(),
        [
            [
                5,
                "X-5",
                "新事项",
                "目标",
                "政策文件",
                "赵明远（副市长）",
                "岱岳区",
                "市教育局",
                "2023年上半年",
                "是",
                None,
                "备注文字",
            ]
        ],
    )
    _import(path, city)
    item = Item.objects.get(code="X-5")
    assert (item.seq, item.goal, item.deliverable, item.notes, item.is_key) == (
        5,
        "目标",
        "政策文件",
        "备注文字",
        True,
    )
    assert item.due_date == date(2023, 6, 30) and item.due_text == "2023年上半年"
