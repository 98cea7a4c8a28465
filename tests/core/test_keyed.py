"""A page's rows by their ids (core.keyed.KeyedRows): what the queryset itself reads, for any ids."""

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from gandang.core.keyed import KeyedRows
from gandang.ledger.models import Item, Milestone

ROWS = KeyedRows(
    lambda: (
        Item.objects.annotate(unit=F("lead_unit__name"))
        .order_by("seq")
        .values("pk", "code", "due_date", "no_fixed_date", "is_key", "unit")
    )
)
MILESTONES = KeyedRows(
    lambda: Milestone.objects.order_by("id").values_list("item_id", "title", "due_date"), key="item_id"
)


def test_it_reads_what_the_queryset_reads_as_dicts_with_dates_and_yes_or_no(city):
    ids = [it.pk for it in city.items.values()]
    for some in (ids, ids[:1], ids[1:], [ids[2], ids[0]]):
        expected = Item.objects.filter(pk__in=some).annotate(unit=F("lead_unit__name")).order_by("seq")
        assert ROWS(some) == list(
            expected.values("pk", "code", "due_date", "no_fixed_date", "is_key", "unit")
        )
    assert ROWS(ids)[0]["due_date"] == city.items["a"].due_date
    assert ROWS(ids)[2]["no_fixed_date"] is True


def test_it_reads_tuples_by_another_key(city):
    ids = [it.pk for it in city.items.values()]
    expected = Milestone.objects.filter(item_id__in=ids).order_by("id")
    assert MILESTONES(ids) == list(expected.values_list("item_id", "title", "due_date"))
    assert MILESTONES(ids)[0][2].year == 2023


def test_an_id_twice_reads_its_row_once_and_no_ids_read_nothing(city):
    a = city.items["a"].pk
    assert [r["pk"] for r in ROWS([a, a])] == [a]
    assert ROWS([a + 1000]) == []
    with CaptureQueriesContext(connection) as ctx:
        assert ROWS([]) == []
    assert len(ctx.captured_queries) == 0


def test_a_keyed_subquery_matches_what_its_queryset_matches_for_each_key(city):
    from gandang.core.keyed import KeyedSubquery

    co_operated = KeyedSubquery(
        lambda unit: Item.co_units.through.objects.filter(unit_id=unit).values("item_id")
    )
    for unit in city.units.values():
        expected = Item.objects.filter(co_units=unit).order_by("pk")
        assert list(Item.objects.filter(pk__in=co_operated(unit.pk)).order_by("pk")) == list(expected)
    assert not Item.objects.filter(pk__in=co_operated(2**70)).exists()  # no row holds such an id
