"""Ids read from what a request sends, and ids compared in queries: a malformed or out-of-range id
reads as nothing and matches nothing, never an error."""

import pytest
from django import forms
from django.http import QueryDict

from gandang.core.params import ID_MAX, id_list, int_param, login_username, parse_int
from gandang.ledger.models import Item
from gandang.org.models import Unit

HUGE = 99999999999999999999


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "",
        " ",
        "-1",
        "0",
        "1.5",
        "1e3",
        "²",
        "٣",
        "9" * 5000,
        str(ID_MAX + 1),
        str(HUGE),
        "1\x00",
        None,
        7,
    ],
)
def test_malformed_ids_read_as_none(value):
    assert parse_int(value) is None


def test_ids_up_to_the_largest_bigint_read_as_ints():
    assert parse_int("1") == 1
    assert parse_int(" 42 ") == 42
    assert parse_int(str(ID_MAX)) == ID_MAX


def test_bounds_are_the_callers():
    assert parse_int("1999", min_value=2000, max_value=2100) is None
    assert parse_int("2023", min_value=2000, max_value=2100) == 2023
    assert parse_int("0", min_value=0) == 0


def test_int_param_reads_a_query_value_as_django_does():
    assert int_param(QueryDict("unit=7"), "unit") == 7
    assert int_param(QueryDict("unit=7&unit=abc"), "unit") is None  # the last of a repeated key counts
    assert int_param(QueryDict(""), "unit") is None


def test_id_list_keeps_the_valid_ids_once_in_order():
    assert id_list(["3", "abc", "1", "3", "²", str(HUGE), ""]) == [3, 1]


def test_a_failed_login_is_recorded_under_at_most_150_characters(rf):
    request = rf.post("/login/", {"username": "x" * 5000})
    assert login_username(request) == "x" * 150
    assert login_username(request, {"username": "office"}) == "office"


def test_a_foreign_key_compared_with_an_out_of_range_id_matches_nothing(city):
    assert not Item.objects.filter(lead_unit_id=HUGE).exists()
    assert not Item.objects.filter(lead_unit=-HUGE).exists()
    assert Item.objects.exclude(lead_unit_id=HUGE).count() == 3


def test_in_leaves_out_the_out_of_range_ids(city):
    a, b = city.items["a"], city.units["b"]
    assert list(Item.objects.filter(pk__in=[a.pk, HUGE])) == [a]
    assert not Item.objects.filter(pk__in=[HUGE, -HUGE]).exists()
    assert list(Item.objects.filter(co_units__in=[b.pk, HUGE])) == [a]
    assert not Item.objects.filter(lead_unit_id__in=[HUGE]).exists()
    assert Item.objects.exclude(pk__in=[HUGE]).count() == 3


def test_a_form_given_a_huge_id_among_its_choices_says_it_is_not_a_choice(city):
    field = forms.ModelMultipleChoiceField(queryset=Unit.objects.all())
    with pytest.raises(forms.ValidationError):
        field.clean([str(city.units["a"].pk), str(HUGE)])
