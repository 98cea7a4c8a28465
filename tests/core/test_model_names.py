"""Every record kind has a name for one and a name for many: a history row names the one record it is
about ("Reform plan", "Milestone"), a configuration screen's list the many ("Reform plans"). Chinese
says both alike, so each model's singular and plural are their own messages (contexts "model name" /
"model name, plural"), and English tells them apart. tests/matters/test_history_names.py holds the
matters' own screens to the same."""

import re

import pytest
from django.apps import apps
from django.utils import translation

from gandang.ledger.models import Plan

HAN = re.compile(r"[\u4e00-\u9fff]")
KIND = re.compile(r'<td class="nowrap">[^<]*<br><span class="muted">([^<]*)</span></td>')

# Settings kept as one record: "settings" names one and many alike in English.
ONE_FORM = {"documents.DocumentSettings", "information.PeriodicalSettings"}


@pytest.fixture(autouse=True)
def _back_to_default_language():
    yield
    translation.deactivate()


def _named_models() -> list:
    """Every one of the project's models, the internal ones too (a report's co-unit contribution, a
    matter's flow steps): each can be named in a history row or on a configuration screen."""
    models = [m for m in apps.get_models() if m.__module__.startswith("gandang.")]
    assert len(models) > 70
    return models


def test_chinese_names_one_and_many_alike_and_english_tells_them_apart():
    for model in _named_models():
        opts = model._meta
        with translation.override("zh-hans"):
            one, many = str(opts.verbose_name), str(opts.verbose_name_plural)
        assert one == many and HAN.search(one), opts.label
        with translation.override("en"):
            one, many = str(opts.verbose_name), str(opts.verbose_name_plural)
        assert not HAN.search(one) and not HAN.search(many), (opts.label, one, many)
        if opts.label in ONE_FORM:
            assert one == many, opts.label
        else:
            assert one != many, (opts.label, one)


@pytest.mark.parametrize(
    ("label", "one", "many"),
    [
        ("ledger.Plan", "Reform plan", "Reform plans"),
        ("ledger.Item", "Reform item", "Reform items"),
        ("ledger.Milestone", "Milestone", "Milestones"),
        ("dispatch.Report", "Progress report", "Progress reports"),
        ("supervision.Listing", "Listing", "Listings"),
        ("information.Piece", "Piece of reform information", "Reform information"),
        ("assessment.Standing", "Monthly standing", "Monthly standings"),
        ("org.User", "User", "Users"),
    ],
)
def test_english_names(label, one, many):
    opts = apps.get_model(label)._meta
    with translation.override("en"):
        assert (str(opts.verbose_name), str(opts.verbose_name_plural)) == (one, many)


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _history_kinds(client, url: str) -> set[str]:
    page = client.get(url).content.decode()
    return set(KIND.findall(page.split('class="grid history"', 1)[1]))


def test_an_items_history_names_the_item_and_its_milestone_one_by_one(login, city):
    item = city.items["a"]
    client = login(city.users["office"])
    assert _history_kinds(client, item.get_absolute_url()) == {"改革事项", "时间节点"}
    assert _history_kinds(_english(client), item.get_absolute_url()) == {"Reform item", "Milestone"}


@pytest.mark.parametrize(("language", "crumb"), [("zh-hans", "改革方案"), ("en", "Reform plans")])
def test_a_plans_history_screen_heads_the_list_of_plans_by_the_plural(login, city, language, crumb):
    plan = Plan.objects.first()
    assert plan is not None
    client = login(city.users["office"])
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/manage/ledger/plan/{plan.pk}/history/").content.decode()
    assert f'<a href="/manage/ledger/plan/">{crumb}</a>' in page
