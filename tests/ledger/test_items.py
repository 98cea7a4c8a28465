"""The ledger pages as each role uses them: list, filters, detail, edit, archive, history."""

from datetime import date

import pytest

from gandang.core.models import AuditEntry
from gandang.ledger.models import Item, Milestone


def _edit_payload(item, **overrides):
    data = {
        "plan": item.plan_id,
        "code": item.code,
        "seq": item.seq,
        "title": item.title,
        "goal": item.goal,
        "deliverable": item.deliverable,
        "area": item.area_id or "",
        "leaders": [leader.pk for leader in item.leaders.all()],
        "lead_unit": item.lead_unit_id,
        "co_units": [u.pk for u in item.co_units.all()],
        "start_date": "",
        "due_date": item.due_date.isoformat() if item.due_date else "",
        "due_text": item.due_text,
        "parent": "",
        "notes": "",
        "version": item.version,
        "reason": "",
        "ms-TOTAL_FORMS": 0,
        "ms-INITIAL_FORMS": 0,
        "ms-MIN_NUM_FORMS": 0,
        "ms-MAX_NUM_FORMS": 1000,
    }
    data.update(overrides)
    return data


def test_liaison_sees_only_own_units_items_in_list(login, city):
    client = login(city.users["liaison_a"])
    body = client.get("/ledger/").content.decode()
    assert city.items["a"].title in body
    assert city.items["b"].title not in body
    assert city.items["c"].title not in body


def test_co_unit_liaison_sees_items_it_takes_part_in(login, city):
    client = login(city.users["liaison_b"])
    body = client.get("/ledger/").content.decode()
    assert city.items["a"].title in body  # B is a co-unit of item a
    assert city.items["b"].title in body  # B leads item b
    assert city.items["c"].title not in body


@pytest.mark.parametrize("role", ["office", "leader", "observer"])
def test_city_wide_roles_see_every_item(login, city, role):
    body = login(city.users[role]).get("/ledger/").content.decode()
    for item in city.items.values():
        assert item.title in body


def test_list_filters_by_unit_leader_flag_and_text(login, city):
    client = login(city.users["office"])
    body = client.get("/ledger/", {"leader": city.leader.pk}).content.decode()
    assert city.items["a"].title in body and city.items["b"].title not in body
    body = client.get("/ledger/", {"unit": city.units["b"].pk}).content.decode()
    assert (
        city.items["a"].title in body and city.items["b"].title in body and city.items["c"].title not in body
    )
    body = client.get("/ledger/", {"q": "思政"}).content.decode()
    assert city.items["c"].title in body and city.items["a"].title not in body
    body = client.get("/ledger/", {"due": "none"}).content.decode()
    assert city.items["c"].title in body and city.items["a"].title not in body
    body = client.get("/ledger/", {"flag": "leader_led"}).content.decode()
    assert city.items["a"].title in body and city.items["b"].title not in body
    body = client.get("/ledger/", {"due_from": "2023-10-01", "due_to": "2023-12-31"}).content.decode()
    assert city.items["a"].title in body and city.items["b"].title not in body


def test_list_sorts_by_due_date(login, city):
    body = login(city.users["office"]).get("/ledger/", {"sort": "due"}).content.decode()
    assert body.index(city.items["b"].title) < body.index(city.items["a"].title)


def test_list_paginates(login, city, settings):
    settings.GANDANG_PAGE_SIZE = 2
    client = login(city.users["office"])
    first = client.get("/ledger/").content.decode()
    second = client.get("/ledger/", {"page": 2}).content.decode()
    assert "第 1 / 2 页" in first
    assert city.items["c"].title in second and city.items["c"].title not in first


def test_htmx_request_gets_only_the_results_fragment(login, city):
    response = login(city.users["office"]).get("/ledger/", {"q": "要素"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert city.items["a"].title in body


def test_bad_filter_values_do_not_break_the_list(login, city):
    response = login(city.users["office"]).get(
        "/ledger/", {"plan": "abc", "due_from": "not-a-date", "page": "x"}
    )
    assert response.status_code == 200


def test_detail_shows_milestones_and_history(login, city):
    body = login(city.users["liaison_a"]).get(f"/ledger/items/{city.items['a'].pk}/").content.decode()
    assert "完成方案" in body
    assert "变更记录" in body
    assert "创建" in body


def test_office_edit_is_saved_with_before_and_after_in_history(login, city):
    item = city.items["a"]
    client = login(city.users["office"])
    response = client.post(
        f"/ledger/items/{item.pk}/edit/",
        _edit_payload(item, title="深化要素市场化配置综合改革", reason="按会议要求调整"),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "深化要素市场化配置综合改革"
    assert item.version == 2
    entry = AuditEntry.objects.filter(object_id=item.pk, action="update").latest("at")
    assert entry.actor == city.users["office"]
    assert entry.changes["title"] == ["深化要素市场化配置改革", "深化要素市场化配置综合改革"]
    assert entry.reason == "按会议要求调整"
    body = client.get(f"/ledger/items/{item.pk}/").content.decode()
    assert "深化要素市场化配置改革" in body and "按会议要求调整" in body


def test_second_of_two_concurrent_edits_is_refused_and_nothing_overwritten(login, city):
    item = city.items["a"]
    client = login(city.users["office"])
    stale = _edit_payload(item, title="第二人的修改")
    client.post(f"/ledger/items/{item.pk}/edit/", _edit_payload(item, title="第一人的修改"))
    response = client.post(f"/ledger/items/{item.pk}/edit/", stale)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "第一人的修改"


def test_edit_changes_milestones_and_records_them(login, city):
    item = city.items["a"]
    ms = item.milestones.get()
    payload = _edit_payload(
        item,
        **{
            "ms-TOTAL_FORMS": 2,
            "ms-INITIAL_FORMS": 1,
            "ms-0-id": ms.pk,
            "ms-0-title": "完成方案",
            "ms-0-due_date": "2023-06-30",
            "ms-0-done_date": "2023-06-20",
            "ms-1-title": "形成经验",
            "ms-1-due_date": "2023-12-31",
        },
    )
    assert login(city.users["office"]).post(f"/ledger/items/{item.pk}/edit/", payload).status_code == 302
    assert list(item.milestones.values_list("title", "done_date")) == [
        ("完成方案", date(2023, 6, 20)),
        ("形成经验", None),
    ]
    scoped = AuditEntry.objects.filter(scope=f"ledger.item:{item.pk}")
    assert scoped.filter(action="update", changes__has_key="done_date").exists()
    assert scoped.filter(action="create", object_repr="形成经验").exists()


def test_removed_milestone_is_kept_in_history(login, city):
    item = city.items["a"]
    ms = item.milestones.get()
    payload = _edit_payload(
        item,
        **{
            "ms-TOTAL_FORMS": 1,
            "ms-INITIAL_FORMS": 1,
            "ms-0-id": ms.pk,
            "ms-0-title": ms.title,
            "ms-0-DELETE": "on",
        },
    )
    client = login(city.users["office"])
    client.post(f"/ledger/items/{item.pk}/edit/", payload)
    assert not Milestone.objects.filter(pk=ms.pk).exists()
    entry = AuditEntry.objects.get(action="delete", object_id=ms.pk)
    assert entry.changes["title"] == ["完成方案", ""]
    assert "完成方案" in client.get(f"/ledger/items/{item.pk}/").content.decode()


def test_missing_due_date_needs_no_fixed_date(login, city):
    item = city.items["a"]
    response = login(city.users["office"]).post(
        f"/ledger/items/{item.pk}/edit/", _edit_payload(item, due_date="")
    )
    assert response.status_code == 200
    assert "长期坚持" in response.content.decode()


def test_office_creates_sub_item(login, city):
    parent = city.items["a"]
    client = login(city.users["office"])
    form = client.get(f"/ledger/items/new/?parent={parent.pk}").content.decode()
    assert f'value="{parent.code}-1"' in form
    payload = _edit_payload(parent, code="1-1", title="制定要素市场化配置改革实施方案", parent=parent.pk)
    payload.pop("version")
    response = client.post("/ledger/items/new/", payload)
    assert response.status_code == 302
    child = Item.objects.get(code="1-1")
    assert child.parent == parent
    assert child.title in client.get(parent.get_absolute_url()).content.decode()


def test_duplicate_code_is_refused_in_chinese(login, city):
    payload = _edit_payload(city.items["a"], code="2", title="重复编号事项")
    payload.pop("version")
    response = login(city.users["office"]).post("/ledger/items/new/", payload)
    assert response.status_code == 200
    assert "已被使用" in response.content.decode()
    assert not Item.objects.filter(title="重复编号事项").exists()


def test_archive_hides_item_and_keeps_it(login, city):
    item = city.items["b"]
    client = login(city.users["office"])
    client.post(f"/ledger/items/{item.pk}/archive/", {"reason": "任务调整"})
    item.refresh_from_db()
    assert item.is_archived
    assert item.title not in client.get("/ledger/").content.decode()
    assert item.title in client.get("/ledger/", {"archived": "on"}).content.decode()
    assert AuditEntry.objects.filter(object_id=item.pk, action="archive", reason="任务调整").exists()
    client.post(f"/ledger/items/{item.pk}/archive/")
    item.refresh_from_db()
    assert not item.is_archived


def test_liaison_cannot_edit_own_units_item(login, city):
    item = city.items["a"]
    response = login(city.users["liaison_a"]).post(
        f"/ledger/items/{item.pk}/edit/", _edit_payload(item, title="x")
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title != "x"


def test_office_creates_plan_with_parent(login, city):
    client = login(city.users["office"])
    response = client.post(
        "/ledger/plans/new/", {"year": 2023, "name": "数字政府行动方案", "parent": city.plan.pk}
    )
    assert response.status_code == 302
    body = client.get("/ledger/plans/").content.decode()
    assert "数字政府行动方案" in body
    dup = client.post("/ledger/plans/new/", {"year": 2023, "name": "数字政府行动方案"})
    assert dup.status_code == 200
