"""The JSON API answers with the same scope and gates as the pages."""


def test_api_list_is_scoped_to_the_liaisons_unit(login, city):
    data = login(city.users["liaison_a"]).get("/api/ledger/items").json()
    assert data["count"] == 1
    assert [i["code"] for i in data["items"]] == [city.items["a"].code]
    assert data["items"][0]["co_units"] == ["岱岳区"]


def test_api_filters_like_the_list_page(login, city):
    client = login(city.users["office"])
    assert client.get("/api/ledger/items", {"due": "none"}).json()["count"] == 1
    assert client.get("/api/ledger/items", {"leader": city.leader.pk}).json()["items"][0]["leaders"] == [
        "赵明远"
    ]


def test_api_item_detail_has_milestones_and_chinese_404(login, city):
    client = login(city.users["liaison_a"])
    item = client.get(f"/api/ledger/items/{city.items['a'].pk}").json()
    assert item["milestones"][0]["title"] == "完成方案"
    assert item["milestones"][0]["due_date"] == "2023-06-30"
    response = client.get(f"/api/ledger/items/{city.items['b'].pk}")
    assert response.status_code == 404
    assert "无权" in response.json()["detail"]


def test_api_docs_are_served_locally(login, city):
    body = login(city.users["office"]).get("/api/docs").content.decode()
    assert "/static/ninja/" in body and "cdn" not in body.lower()


def test_api_reports_are_scoped_like_the_pages(login, city):
    from gandang.dispatch import services

    period, _n = services.period_open(actor=city.users["office"], year=2023, month=10)
    mine = login(city.users["liaison_a"]).get("/api/dispatch/reports", {"period": period.pk}).json()
    assert [r["item_code"] for r in mine["reports"]] == [city.items["a"].code]
    everything = login(city.users["observer"]).get("/api/dispatch/reports", {"period": period.pk}).json()
    assert everything["count"] == 3
    other = everything["reports"][-1]
    assert login(city.users["liaison_a"]).get(f"/api/dispatch/reports/{other['id']}").status_code == 404


def test_the_json_list_takes_the_pages_filters_by_lead_unit_status_and_registered_ones(login, city):
    client = login(city.users["office"])
    page = client.get("/ledger/", {"lead_unit": city.units["a"].pk}).content.decode()
    listed = client.get("/api/ledger/items", {"lead_unit": city.units["a"].pk}).json()
    assert listed["count"] >= 1
    assert all(it["lead_unit"] == city.units["a"].name for it in listed["items"])
    assert all(it["title"] in page for it in listed["items"])
    everything = client.get("/api/ledger/items").json()["count"]
    assert listed["count"] < everything
    # A status nobody has yet, and a malformed one: the first empties the list, the second is dropped.
    assert client.get("/api/ledger/items", {"status": "red"}).json()["count"] == 0
    assert client.get("/api/ledger/items", {"status": "purple"}).json()["count"] == everything
    # A filter another app registers (the bulletins' lagging_at) is read as the page reads it.
    assert client.get("/api/ledger/items", {"lagging_at": "abc"}).json()["count"] == everything
    schema = client.get("/api/openapi.json").json()
    assert "lagging_at" in schema["paths"]["/api/ledger/items"]["get"]["description"]
