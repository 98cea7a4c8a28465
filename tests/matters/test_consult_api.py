"""The consultation's API: the pages' scopes and filters; bad parameters answered 422, never 500."""

from gandang.matters.models import Party
from tests.matters.conftest import assign, consultation, handle, suggestion


def test_a_unit_reads_only_the_suggestions_assigned_to_it(login, city):
    session = consultation(city)
    mine, theirs = suggestion(city, session, title="甲"), suggestion(city, session, title="乙")
    m = assign(city, mine, unit="a")
    assign(city, theirs, unit="b")
    client = login(city.users["liaison_a"])
    rows = client.get("/api/matters/suggestions").json()
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0] | {"text": ""} == {
        "id": mine.pk,
        "consultation_id": session.pk,
        "party": "民盟",
        "person": "张伟",
        "title": "甲",
        "text": "",
        "state": "handling",
        "matter_id": m.pk,
        "unit": "市发展改革委",
        "outcome": "",
        "reply_number": None,
        "reply_on": None,
    }
    assert client.get(f"/api/matters/suggestions/{theirs.pk}").status_code == 404
    sessions = client.get("/api/matters/consultations").json()
    assert [(c["id"], c["suggestion_ids"]) for c in sessions] == [(session.pk, [mine.pk])]
    assert client.get(f"/api/matters/matters/{m.pk}").json()["suggestion_id"] == mine.pk


def test_the_office_filters_by_party_outcome_and_state(login, city):
    session = consultation(city)
    a, b = suggestion(city, session, title="甲"), suggestion(city, session, title="乙")
    handle(city, a, outcome="reference")
    client = login(city.users["office"])
    assert [r["id"] for r in client.get("/api/matters/suggestions?outcome=reference").json()] == [a.pk]
    assert [r["id"] for r in client.get("/api/matters/suggestions?state=received").json()] == [b.pk]
    other = Party.objects.get(name="民革").pk
    assert client.get(f"/api/matters/suggestions?party={other}").json() == []
    assert len(client.get("/api/matters/suggestions?year=2023").json()) == 2
    assert client.get(f"/api/matters/consultations/{session.pk}").json()["suggestion_ids"] == [a.pk, b.pk]
    for bad in ("state=nope", "outcome=maybe", "party=-1", "party=99999999999999999999", "year=1"):
        assert client.get(f"/api/matters/suggestions?{bad}").status_code == 422, bad
