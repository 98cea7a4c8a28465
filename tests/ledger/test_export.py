"""Export to .xlsx and JSON: the visible, filtered list, in the columns the importer reads."""

import html
import io
import json
import re
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from gandang.ledger import services
from gandang.ledger.excel.columns import EXPORT_HEADINGS
from gandang.ledger.models import Item

from .workbooks import messy_ledger, write_xlsx


def _xlsx_rows(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def _json(response):
    return json.loads(b"".join(response.streaming_content))


def _enrich(city, xlsx):
    """The demo plan plus a messy import, a sub-item, an item without any due date."""
    office = city.users["office"]
    services.ledger_import(
        actor=office, workbook=messy_ledger(xlsx()), filename="m.xlsx", plan=city.plan, create_missing=True
    )
    services.item_create(
        actor=office,
        fields={
            "plan": city.plan,
            "code": "1-1",
            "seq": 1,
            "title": "子事项：编制方案",
            "parent": city.items["a"],
            "lead_unit": city.units["a"],
            "notes": "第一行\n第二行",
        },
    )


def test_export_then_import_changes_nothing(city, xlsx, login, counts):
    _enrich(city, xlsx)
    response = login(city.users["office"]).get(reverse("ledger:export_xlsx"), {"plan": city.plan.pk})
    assert response.status_code == 200
    path = xlsx("export.xlsx")
    path.write_bytes(b"".join(response.streaming_content))
    before = counts()
    outcome = services.ledger_import(actor=None, workbook=path, filename="export.xlsx", plan=city.plan)
    assert not outcome.result.errors
    assert (outcome.batch.created, outcome.batch.updated, outcome.batch.unchanged) == (0, 0, 9)
    assert counts() == before | {"ImportBatch": before["ImportBatch"] + 1}


def test_export_into_a_new_plan_reproduces_the_ledger(city, xlsx, login):
    _enrich(city, xlsx)
    client = login(city.users["office"])
    first = _xlsx_rows(client.get(reverse("ledger:export_xlsx"), {"plan": city.plan.pk}))
    path = write_xlsx(xlsx(), first)
    outcome = services.ledger_import(
        actor=None, workbook=path, filename="e.xlsx", new_plan_year=2023, new_plan_name="副本"
    )
    assert outcome.batch.created == 9
    notice = "文件的“所属方案”列写的是其他方案（2023年全市重点改革任务），已按所选方案导入全部事项"
    assert notice in [p.message for p in outcome.result.notices]
    second = _xlsx_rows(client.get(reverse("ledger:export_xlsx"), {"plan": outcome.batch.plan.pk}))
    # The title row carries the plan name and time; the last column, each item's plan.
    assert [r[:-1] for r in first[1:]] == [r[:-1] for r in second[1:]]
    assert {r[-1] for r in second[2:]} == {"2023年 副本"}


def test_xlsx_has_title_row_then_the_importer_headings(city, login):
    rows = _xlsx_rows(login(city.users["office"]).get(reverse("ledger:export_xlsx")))
    assert "台账" in rows[0][0]
    assert rows[1] == EXPORT_HEADINGS
    by_code = {r[1]: r for r in rows[2:]}
    assert by_code["1"][6] == "赵明远（副市长）"
    assert by_code["1"][8] == "岱岳区"
    assert by_code["1"][10] == "2023年12月31日"
    assert by_code["3"][10] == "长期坚持"


def test_export_is_the_filtered_visible_list(city, login):
    client = login(city.users["liaison_b"])
    rows = _xlsx_rows(client.get(reverse("ledger:export_xlsx")))
    assert sorted(r[1] for r in rows[2:]) == ["1", "2"]  # B co-operates on 1 and leads 2
    rows = _xlsx_rows(client.get(reverse("ledger:export_xlsx"), {"q": "乡村"}))
    assert [r[1] for r in rows[2:]] == ["2"]
    data = _json(client.get(reverse("ledger:export_json"), {"q": "乡村"}))
    assert [i["code"] for i in data["items"]] == ["2"]


def test_export_requires_login(client):
    response = client.get(reverse("ledger:export_xlsx"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_export_rejects_post(city, login):
    assert login(city.users["observer"]).post(reverse("ledger:export_json")).status_code == 405


def test_json_export_shape(city, login):
    Item.objects.filter(pk=city.items["b"].pk).update(start_date=date(2023, 3, 1))
    services.item_create(
        actor=city.users["office"],
        fields={
            "plan": city.plan,
            "code": "1-1",
            "title": "子事项",
            "parent": city.items["a"],
            "lead_unit": city.units["a"],
        },
    )
    response = login(city.users["observer"]).get(reverse("ledger:export_json"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    items = {i["code"]: i for i in _json(response)["items"]}
    a = items["1"]
    keys = {
        "code",
        "title",
        "goal",
        "deliverable",
        "area",
        "leaders",
        "lead_unit",
        "co_units",
        "start_date",
        "due_date",
        "no_fixed_date",
        "due_text",
        "is_key",
        "milestones",
        "parent",
    }
    assert keys <= set(a)
    assert a["leaders"] == ["赵明远"] and a["lead_unit"] == "市发展改革委" and a["co_units"] == ["岱岳区"]
    assert a["due_date"] == "2023-12-31" and a["area"] == "经济体制改革" and a["parent"] is None
    assert a["milestones"] == [{"title": "完成方案", "due_date": "2023-06-30", "done_date": None}]
    assert items["2"]["start_date"] == "2023-03-01"
    assert items["3"]["due_date"] is None and items["3"]["no_fixed_date"] is True
    assert items["1-1"]["parent"] == "1"


def test_formula_like_text_leaves_as_literal_text_and_reimports_unchanged(city, xlsx, login):
    title = '=HYPERLINK("http://x","y")'
    Item.objects.filter(pk=city.items["a"].pk).update(title=title, goal="-1+2", notes="@SUM(A1)")
    Item.objects.filter(pk=city.items["b"].pk).update(deliverable="+政策文件")
    response = login(city.users["office"]).get(reverse("ledger:export_xlsx"))
    path = xlsx("export.xlsx")
    path.write_bytes(b"".join(response.streaming_content))
    ws = load_workbook(path).worksheets[0]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in (title, "-1+2", "@SUM(A1)", "+政策文件"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    outcome = services.ledger_import(actor=None, workbook=path, filename="export.xlsx", plan=city.plan)
    assert not outcome.result.errors
    assert (outcome.batch.created, outcome.batch.updated, outcome.batch.unchanged) == (0, 0, 3)
    assert Item.objects.get(pk=city.items["a"].pk).title == title


def test_file_names_and_title_follow_the_pinned_calendar(city, login, settings):
    settings.GANDANG_TODAY = "2023-12-05"
    client = login(city.users["office"])
    response = client.get(reverse("ledger:export_xlsx"), {"plan": city.plan.pk})
    assert "20231205.xlsx" in response["Content-Disposition"]
    title = _xlsx_rows(response)[0][0]
    assert title.startswith(f"{city.plan}台账（导出于 2023-12-05 ")
    assert "20231205.json" in client.get(reverse("ledger:export_json"))["Content-Disposition"]


def _export_links(body: str) -> dict[str, str]:
    """The export links of a list page or fragment, by their label."""
    block = re.search(r'<span id="export-links"[^>]*>(.*?)</span>', body, re.S)
    assert block, "no export links"
    links = re.findall(r'<a class="btn" href="([^"]+)">([^<]+)</a>', block.group(1))
    return {label: html.unescape(href) for href, label in links}


def test_filtering_with_htmx_swaps_in_export_links_that_carry_the_filters(city, login):
    client = login(city.users["office"])
    first = client.get(reverse("ledger:item_list")).content.decode()
    assert "hx-swap-oob" not in first.split('id="export-links"')[1].split(">")[0]
    query = {"q": "乡村", "unit": city.units["b"].pk, "page": 1}
    body = client.get(reverse("ledger:item_list"), query, headers={"HX-Request": "true"}).content.decode()
    assert '<span id="export-links" class="actions" hx-swap-oob="true">' in body
    links = _export_links(body)
    for href in links.values():
        assert "q=%E4%B9%A1%E6%9D%91" in href and f"unit={city.units['b'].pk}" in href
        assert "page=" not in href
    rows = _xlsx_rows(client.get(links["导出Excel"]))
    assert [r[1] for r in rows[2:]] == ["2"]
    assert [i["code"] for i in _json(client.get(links["导出JSON"]))["items"]] == ["2"]
