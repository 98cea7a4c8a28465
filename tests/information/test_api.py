"""The JSON API of reform information: the pages' scopes, and the counts equal to the lists they count."""

import pytest

from tests.information.conftest import adopted, drafted, issued, signed

pytestmark = pytest.mark.django_db


def test_a_unit_reads_its_own_pieces_and_the_office_those_sent_to_it(client, city):
    draft = drafted(city)
    sent = signed(city, title="已报送")
    client.force_login(city.users["liaison_a"])
    got = client.get("/api/information/pieces").json()
    assert {p["id"] for p in got["pieces"]} == {draft.pk, sent.pk}
    client.force_login(city.users["office"])
    got = client.get("/api/information/pieces").json()
    assert [p["id"] for p in got["pieces"]] == [sent.pk] and got["count"] == 1
    assert client.get(f"/api/information/pieces/{draft.pk}").status_code == 404
    client.force_login(city.users["liaison_b"])
    assert client.get(f"/api/information/pieces/{sent.pk}").status_code == 404


def test_the_counts_equal_the_lists_they_count(client, city):
    adopted(city)
    signed(city)
    client.force_login(city.users["office"])
    (row,) = client.get("/api/information/counts?year=2023").json()
    assert row["unit_id"] == city.units["a"].pk and row["sent"][10] == 2 and row["adopted"][10] == 1
    listed = client.get(
        f"/api/information/pieces?year=2023&month=11&unit={row['unit_id']}&adopted=true"
    ).json()
    assert listed["count"] == 1
    assert client.get("/api/information/pieces?month=13").status_code == 422
    assert client.get("/api/information/counts?year=abc").status_code == 422


def test_the_printed_counts_equal_the_list_of_printed_pieces(client, city):
    """刊发: a piece sent in November and printed in an issued issue; one in a draft issue does not count."""
    from gandang.information import services

    issued(city, n=2)
    draft = services.issue_create(actor=city.users["office"], title="草稿期")
    services.issue_add(actor=city.users["office"], issue=draft, pieces=[adopted(city, title="待刊").pk])
    client.force_login(city.users["office"])
    (row,) = client.get("/api/information/counts?year=2023").json()
    assert row["adopted"][10] == 3 and row["printed"][10] == 2 and sum(row["printed"]) == 2
    listed = client.get(f"/api/information/pieces?year=2023&month=11&unit={row['unit_id']}&printed=true")
    assert listed.json()["count"] == 2


def test_issues_list_their_pieces_in_order_and_a_draft_is_the_offices(client, city):
    from gandang.information import services

    done = issued(city, n=2)
    draft = services.issue_create(actor=city.users["office"])
    client.force_login(city.users["liaison_b"])
    got = client.get("/api/information/issues").json()
    assert [i["id"] for i in got] == [done.pk]
    assert got[0]["piece_ids"] == list(done.pieces.order_by("position").values_list("pk", flat=True))
    assert got[0]["number"] == 1 and got[0]["total"] == 1
    assert client.get(f"/api/information/issues/{draft.pk}").status_code == 404
    client.force_login(city.users["office"])
    assert client.get(f"/api/information/issues/{draft.pk}").json()["state"] == "draft"
