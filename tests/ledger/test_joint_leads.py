"""Joint lead units (共同牵头单位): "X、Y牵头" in a plan makes both lead units, X first (负责汇总报送).

Through the item form, the ledger list and item page, the Excel export and its re-import, a plan
document's preview and a revised edition of it, and the JSON API."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gandang.core.models import AuditEntry
from gandang.ledger import services
from gandang.ledger.models import Item, JointLead
from tests.fixtures.plan_documents import write_docx

PLAN = "2023年全市优化营商环境改革工作要点"


def _doc(path, lead: str) -> list[str]:
    return [
        PLAN,
        "一、深化“放管服”改革",
        f"1.全面实施行政许可事项清单管理。2023年10月底前编制并公布本级清单。（{lead}牵头，市教育局配合）",
        "2.推进“一业一证”改革。2023年6月底前在10个行业推开。（岱岳区牵头）",
    ]


def _upload(client, path, **data):
    with path.open("rb") as fh:
        return client.post(reverse("ledger:import"), {"file": fh, **data})


def _form(item: Item, **changes) -> dict:
    data = {
        "plan": item.plan_id,
        "code": item.code,
        "seq": item.seq,
        "title": item.title,
        "lead_unit": item.lead_unit_id,
        "due_date": item.due_date.isoformat() if item.due_date else "",
        "no_fixed_date": "on" if item.no_fixed_date else "",
        "version": item.version,
        "ms-TOTAL_FORMS": 0,
        "ms-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_office_makes_two_units_lead_in_the_item_form_and_the_history_says_so(city, login):
    client = login(city.users["office"])
    item = city.items["b"]  # 岱岳区 leads
    url = reverse("ledger:item_edit", args=[item.pk])
    form = client.get(url).content.decode()
    assert 'name="joint_lead_units"' in form
    response = client.post(url, _form(item, joint_lead_units=[city.units["a"].pk, city.units["c"].pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.lead_units_display == "岱岳区、市发展改革委、市教育局"
    page = client.get(item.get_absolute_url()).content.decode()
    assert "岱岳区、市发展改革委、市教育局" in page
    assert "岱岳区负责汇总报送" in page
    change = AuditEntry.objects.filter(object_id=str(item.pk), changes__has_key="joint_lead_units").get()
    assert change.changes["joint_lead_units"] == ["", "市发展改革委、市教育局"]
    # The first lead cannot also be ticked as a joint lead, nor a joint lead as a co-unit: said in Chinese.
    item.refresh_from_db()
    bad = client.post(url, _form(item, joint_lead_units=[item.lead_unit_id], co_units=[city.units["a"].pk]))
    assert bad.status_code == 200
    assert "已是牵头单位" in bad.content.decode()


def test_joint_leads_keep_their_order_and_a_co_unit_made_joint_lead_leaves_the_co_units(city):
    office = city.users["office"]
    item = city.items["a"]  # A leads, B co
    services.item_update(
        actor=office,
        item=item,
        expected_version=item.version,
        fields={},
        joint_leads=[city.units["c"], city.units["b"]],
    )
    item = Item.objects.get(pk=item.pk)
    assert [u.name for u in item.lead_units] == ["市发展改革委", "市教育局", "岱岳区"]
    assert list(item.co_units.all()) == []
    # The first lead changed to a joint lead: it leaves the joint leads.
    services.item_update(
        actor=office, item=item, expected_version=item.version, fields={"lead_unit": city.units["c"]}
    )
    assert [u.name for u in Item.objects.get(pk=item.pk).lead_units] == ["市教育局", "岱岳区"]


def test_ledger_list_shows_all_leads_and_filters_by_a_joint_lead(city, login):
    JointLead.objects.create(item=city.items["a"], unit=city.units["c"])
    client = login(city.users["office"])
    body = client.get(reverse("ledger:item_list")).content.decode()
    assert "市发展改革委、市教育局" in body
    found = client.get(reverse("ledger:item_list"), {"lead_unit": city.units["c"].pk}).context["page"]
    assert {it["code"] for it in found} == {"1", "3"}  # 3 it leads first, 1 jointly
    api = client.get(reverse("api:list_items"), {"lead_unit": city.units["c"].pk}).json()
    assert {it["code"] for it in api["items"]} == {"1", "3"}
    one = next(it for it in api["items"] if it["code"] == "1")
    assert one["lead_unit"] == "市发展改革委"
    assert one["joint_lead_units"] == ["市教育局"]
    assert one["lead_units"] == ["市发展改革委", "市教育局"]


def test_excel_export_writes_every_lead_and_re_import_reads_them_as_joint_leads(city, login):
    item = city.items["a"]
    JointLead.objects.create(item=item, unit=city.units["c"])
    client = login(city.users["office"])
    response = client.get(reverse("ledger:export_xlsx"), {"plan": city.plan.pk})
    data = b"".join(response.streaming_content)
    sheet = load_workbook(BytesIO(data)).active
    rows = [[c for c in r] for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and "牵头单位" in r)
    at = header.index("牵头单位")
    assert any(r[at] == "市发展改革委、市教育局" for r in rows)
    # The same file back: nothing changes, no co-unit appears.
    result = services.ledger_import(
        actor=city.users["office"], workbook=BytesIO(data), filename="台账.xlsx", plan=city.plan
    )
    assert result.result.counts["update"] == 0
    assert [u.name for u in Item.objects.get(pk=item.pk).lead_units] == ["市发展改革委", "市教育局"]
    assert list(Item.objects.get(pk=item.pk).co_units.values_list("name", flat=True)) == ["岱岳区"]
    # The office swaps the two in the 牵头单位 cell: the lead and the joint lead change places.
    for r in sheet.iter_rows():
        if r[at].value == "市发展改革委、市教育局":
            r[at].value = "市教育局、市发展改革委"
    out = BytesIO()
    sheet.parent.save(out)
    out.seek(0)
    outcome = services.ledger_import(
        actor=city.users["office"], workbook=out, filename="台账.xlsx", plan=city.plan
    )
    assert outcome.result.counts["update"] == 1
    item = Item.objects.get(pk=item.pk)
    assert [u.name for u in item.lead_units] == ["市教育局", "市发展改革委"]
    assert JointLead.objects.filter(item=item).count() == 1


def test_a_document_naming_two_leads_previews_and_commits_them_and_a_revision_updates(city, login, tmp_path):
    client = login(city.users["office"])
    path = write_docx(tmp_path / "要点.docx", _doc(tmp_path, "市发改委、市教育局"))
    response = _upload(client, path, plan=city.plan.pk)
    assert response.status_code == 200
    result = response.context["result"]
    row = result.rows[0]
    assert row.fields["lead_unit"] == "市发展改革委"
    assert row.fields["joint_lead_units"] == ["市教育局"]
    body = response.content.decode()
    assert "市发展改革委牵头并汇总报送，市教育局共同牵头" in body
    assert "“市发展改革委”排在首位，负责汇总报送；“市教育局”为共同牵头单位" in body
    token = response.context["token"]
    done = client.post(reverse("ledger:import_confirm"), {"token": token, "plan": city.plan.pk})
    assert done.status_code == 302
    item = Item.objects.get(plan=city.plan, title="全面实施行政许可事项清单管理")
    assert [u.name for u in item.lead_units] == ["市发展改革委", "市教育局"]
    assert list(item.co_units.all()) == []  # 市教育局 leads; it is not also a co-unit
    # A revised edition adds a third lead: the item is updated, no duplicate, no repeated joint lead.
    path = write_docx(tmp_path / "要点（修订）.docx", _doc(tmp_path, "市发改委、市教育局、岱岳区"))
    response = _upload(client, path, plan=city.plan.pk)
    counts = response.context["counts"]
    assert counts["new"] == 0 and counts["update"] == 1
    done = client.post(
        reverse("ledger:import_confirm"), {"token": response.context["token"], "plan": city.plan.pk}
    )
    assert done.status_code == 302
    item = Item.objects.get(plan=city.plan, title="全面实施行政许可事项清单管理")
    assert [u.name for u in item.lead_units] == ["市发展改革委", "市教育局", "岱岳区"]
    assert Item.objects.filter(plan=city.plan, title=item.title).count() == 1
    assert JointLead.objects.filter(item=item).count() == 2


@pytest.mark.parametrize(
    ("text", "lead", "co"),
    [
        ("（市发改委、市教育局牵头，岱岳区配合）", ["市发改委", "市教育局"], ["岱岳区"]),
        ("（市教育局、市发改委牵头）", ["市教育局", "市发改委"], []),
    ],
)
def test_parser_reads_two_leads_in_order_and_a_co_unit(text, lead, co):
    from gandang.ledger.document.parser import parse_plan

    plan = parse_plan(
        [PLAN, "一、改革", f"1.推进一件事。2023年底前完成。{text}", "2.推进二件事。（岱岳区牵头）"]
    )
    task = plan.tasks[0]
    assert (task.lead, task.co) == (lead, co)


def _places(html: str) -> list[str]:
    """The unit chosen in each place of the item form's 共同牵头单位 list, in order ("" for a blank)."""
    selects = re.findall(r'<select name="joint_lead_units"[^>]*>(.*?)</select>', html, re.S)
    chosen = [re.search(r'<option value="[^"]*" selected>([^<]*)</option>', s) for s in selects]
    return [m.group(1) if m else "" for m in chosen]


def _audit_changes(item: Item) -> list[list[str]]:
    entries = AuditEntry.objects.filter(object_id=str(item.pk), changes__has_key="joint_lead_units")
    return [e.changes["joint_lead_units"] for e in entries.order_by("id")]


def test_office_reorders_joint_leads_in_the_item_form_and_the_history_keeps_the_order(city, login):
    client = login(city.users["office"])
    item = city.items["b"]  # 岱岳区 leads
    url = reverse("ledger:item_edit", args=[item.pk])
    a, c = city.units["a"].pk, city.units["c"].pk
    assert client.post(url, _form(item, joint_lead_units=[a, c])).status_code == 302
    item.refresh_from_db()
    form = client.get(url).content.decode()
    # Numbered places, each with its own label, in the plan's order, and room for two more.
    assert _places(form) == ["市发展改革委", "市教育局", "", ""]
    assert '<label for="id_joint_lead_units_1">第2位</label>' in form
    # The office puts 市教育局 first: the order posted is the order kept (a blank place is skipped).
    response = client.post(url, _form(item, joint_lead_units=[c, "", a], reason="按文件调整顺序"))
    assert response.status_code == 302
    item = Item.objects.get(pk=item.pk)
    assert item.lead_units_display == "岱岳区、市教育局、市发展改革委"
    assert "岱岳区、市教育局、市发展改革委" in client.get(item.get_absolute_url()).content.decode()
    assert "岱岳区、市教育局、市发展改革委" in client.get(reverse("ledger:item_list")).content.decode()
    assert _places(client.get(url).content.decode()) == ["市教育局", "市发展改革委", "", ""]
    # The history says the reordering, with its reason.
    assert _audit_changes(item)[-1] == ["市发展改革委、市教育局", "市教育局、市发展改革委"]
    last = AuditEntry.objects.filter(object_id=str(item.pk)).order_by("-id").first()
    assert last.reason == "按文件调整顺序"


def test_a_unit_chosen_twice_or_an_unknown_one_is_refused_in_words(city, login):
    client = login(city.users["office"])
    item = city.items["b"]
    url = reverse("ledger:item_edit", args=[item.pk])
    a = city.units["a"].pk
    for bad, words in (
        ([a, a], "“市发展改革委”选了不止一次"),
        ([a, "x"], "请选择列表中的选项"),
        ([a, 99999999999999999999], "请选择列表中的选项"),
        ([city.units["p"].pk], "请选择列表中的选项"),  # a partner office leads nothing
    ):
        response = client.post(url, _form(item, joint_lead_units=bad))
        assert response.status_code == 200, bad
        assert words in response.content.decode(), bad
    assert JointLead.objects.filter(item=item).count() == 0


def test_the_order_set_in_the_form_round_trips_through_excel_and_a_reorder_there_is_in_the_history(
    city, login
):
    client = login(city.users["office"])
    item = city.items["b"]
    a, c = city.units["a"].pk, city.units["c"].pk
    client.post(reverse("ledger:item_edit", args=[item.pk]), _form(item, joint_lead_units=[c, a]))
    response = client.get(reverse("ledger:export_xlsx"), {"plan": city.plan.pk})
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = next(r for r in sheet.iter_rows(values_only=True) if r and "牵头单位" in r)
    at = header.index("牵头单位")
    cell = next(r[at] for r in sheet.iter_rows() if r[at].value and r[at].value.startswith("岱岳区"))
    assert cell.value == "岱岳区、市教育局、市发展改革委"
    out = BytesIO()
    book.save(out)
    # The same file back: nothing to change, the order stays.
    same = services.ledger_import(
        actor=city.users["office"], workbook=BytesIO(out.getvalue()), filename="台账.xlsx", plan=city.plan
    )
    assert same.result.counts["update"] == 0
    assert Item.objects.get(pk=item.pk).lead_units_display == "岱岳区、市教育局、市发展改革委"
    # The office swaps the two joint leads in the cell: the order changes, and the history says so.
    cell.value = "岱岳区、市发展改革委、市教育局"
    out = BytesIO()
    book.save(out)
    out.seek(0)
    done = services.ledger_import(
        actor=city.users["office"], workbook=out, filename="台账.xlsx", plan=city.plan
    )
    assert done.result.counts["update"] == 1
    item = Item.objects.get(pk=item.pk)
    assert item.lead_units_display == "岱岳区、市发展改革委、市教育局"
    assert _audit_changes(item)[-1] == ["市教育局、市发展改革委", "市发展改革委、市教育局"]
