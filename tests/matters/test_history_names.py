"""The history of a matter, a meeting or a party names the kind of each record it lists: one record by its
singular name, a configuration screen's list by its plural, in English as in Chinese (where they are alike)."""

import re

import pytest

from gandang.matters.models import Party
from tests.matters.conftest import answer
from tests.matters.meetings import held

KIND = re.compile(r'<td class="nowrap">[^<]*<br><span class="muted">([^<]*)</span></td>')


def _history_kinds(client, url: str) -> set[str]:
    page = client.get(url).content.decode()
    return set(KIND.findall(page.split('class="grid history"', 1)[1]))


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_a_matters_history_names_one_matter(login, city, matter):
    answer(matter, city.users["liaison_a"])
    client = login(city.users["office"])
    assert _history_kinds(client, matter.get_absolute_url()) == {"督办事项"}
    assert _history_kinds(_english(client), matter.get_absolute_url()) == {"Tracked matter"}


def test_a_meetings_history_names_each_record_in_the_singular(login, city):
    meeting = held(city)
    client = login(city.users["office"])
    assert _history_kinds(client, meeting.get_absolute_url()) == {
        "深改委会议",
        "会议议题",
        "列席旁听人员",
        "议定事项",
    }
    assert _history_kinds(_english(client), meeting.get_absolute_url()) == {
        "Reform committee meeting",
        "Meeting topic",
        "Observer",
        "Decision",
    }


@pytest.mark.parametrize(
    ("language", "crumb"),
    [("zh-hans", "党派团体"), ("en", "Parties")],
)
def test_a_partys_history_screen_heads_the_list_of_parties_by_the_plural(login, city, language, crumb):
    party = Party.objects.get(name="民盟")
    client = login(city.users["office"])
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/manage/matters/party/{party.pk}/history/").content.decode()
    assert re.search(rf'<a href="/manage/matters/party/">{crumb}</a>', page), page.split("breadcrumbs", 1)[1][
        :400
    ]
