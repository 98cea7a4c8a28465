"""The API of instructions and matters: the pages' scopes, bad parameters answered 422, never 500."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matters.conftest import record_directive


def test_a_unit_reads_its_own_matters_and_instructions_only(login, city, matter):
    other = record_directive(city, unit="b", text="岱岳区的事").matters.get()
    client = login(city.users["liaison_a"])
    rows = client.get("/api/matters/matters").json()
    assert [r["id"] for r in rows] == [matter.pk]
    assert rows[0]["unit"] == "市发展改革委" and rows[0]["state"] == "draft" and rows[0]["overdue"] is False
    assert client.get(f"/api/matters/matters/{other.pk}").status_code == 404
    ins = client.get("/api/matters/instructions?year=2023").json()
    assert [i["id"] for i in ins] == [matter.instruction_id] and ins[0]["matter_ids"] == [matter.pk]
    assert client.get(f"/api/matters/instructions/{other.instruction_id}").status_code == 404


def test_the_office_filters_by_state_and_overdue(login, city, matter, settings):
    client = login(city.users["office"])
    assert len(client.get("/api/matters/matters?state=draft").json()) == 1
    assert client.get("/api/matters/matters?overdue=true").json() == []
    settings.GANDANG_TODAY = "2023-12-05"
    assert [r["id"] for r in client.get("/api/matters/matters?overdue=true").json()] == [matter.pk]
    for bad in ("state=nope", "unit=-1", "unit=99999999999999999999", "overdue=maybe"):
        assert client.get(f"/api/matters/matters?{bad}").status_code == 422, bad
    assert client.get("/api/matters/instructions?year=1").status_code == 422


def test_the_answers_attachments_are_the_liaisons_while_the_answer_is_theirs(login, city, matter):
    client = login(city.users["liaison_a"])
    pdf = SimpleUploadedFile("办理佐证.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    client.post(f"/matters/{matter.pk}/attachments/", {"file": pdf})
    att = matter.attachments.get()
    assert client.get(f"/matters/attachments/{att.pk}/").status_code == 200
    assert login(city.users["liaison_b"]).get(f"/matters/attachments/{att.pk}/").status_code == 404
    refused = login(city.users["head_a"]).post(f"/matters/attachments/{att.pk}/remove/", follow=True)
    assert "只有本单位联络员可以填写报告" in refused.content.decode() and matter.attachments.exists()
    login(city.users["liaison_a"]).post(f"/matters/attachments/{att.pk}/remove/")
    assert not matter.attachments.exists()
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(f"/matters/{matter.pk}/attachments/", {"file": bad}, follow=True)
    assert response.status_code == 200 and not matter.attachments.exists()


def test_a_matters_history_reads_who_answered_what_when_it_closed_and_every_reminder(login, city, matter):
    from tests.matters.conftest import answer, step

    answer(matter, city.users["liaison_a"], "已形成工作方案")
    step(matter, city.users["liaison_a"], "submit")
    step(matter, city.users["head_a"], "approve")
    step(matter, city.users["office"], "close", "办理到位")
    client = login(city.users["office"])
    got = client.get(f"/api/matters/matters/{matter.pk}").json()
    assert got["answer"] == "已形成工作方案" and got["closed_at"] and got["submitted_at"]
    assert [(s["action"], s["actor"]) for s in got["steps"]] == [
        ("submit", str(city.users["liaison_a"])),
        ("approve", str(city.users["head_a"])),
        ("close", str(city.users["office"])),
    ]
    assert got["steps"][-1]["reason"] == "办理到位" and got["letters"] == []
    listed = client.get("/api/matters/matters", {"source": "instruction", "year": 2023}).json()
    assert [m["id"] for m in listed] == [matter.pk] and listed[0]["steps"] == got["steps"]
    assert client.get("/api/matters/matters", {"year": 2022}).json() == []
    assert client.get("/api/matters/matters", {"source": "nope"}).status_code == 422
