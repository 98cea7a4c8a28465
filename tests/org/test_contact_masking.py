"""Phone and e-mail in full only for the person and for those who manage people; masked for anyone else,
on every page and API answer."""

import io
import subprocess
import zipfile

import pytest
from django.urls import reverse

from gandang.org import access
from gandang.org.models import User
from tests.org.test_contact_encryption import people_admin
from tests.test_permissions import ADMIN_URLS, MATRIX, ROLES

PERSONAS = ROLES[1:]


def _give_contacts(city) -> dict[str, tuple[str, str]]:
    """A distinct phone and e-mail for every persona: (phone, email) by persona."""
    contacts = {}
    for n, (key, user) in enumerate(sorted(city.users.items()), start=1):
        user.phone, user.email = f"139{n:04d}{n:04d}", f"{key}.mailbox{n}@example.gov.cn"
        user.save(update_fields=["phone", "email"])
        contacts[key] = (user.phone, user.email)
    return contacts


@pytest.mark.parametrize(
    ("viewer", "expect"),
    [("office", True), ("leader", False), ("liaison_a", False), ("head_a", False), ("observer", False)],
)
def test_who_sees_a_liaisons_contact_in_full(city, viewer, expect):
    assert access.can_see_contact(city.users[viewer], city.users["liaison_b"]) is expect


def test_everyone_sees_their_own_contact_in_full(city):
    for user in city.users.values():
        assert access.can_see_contact(user, user)


def test_a_disabled_account_or_anonymous_sees_nobody_in_full(city):
    from django.contrib.auth.models import AnonymousUser

    office = city.users["office"]
    office.is_active = False
    assert not access.can_see_contact(office, city.users["liaison_a"])
    assert not access.can_see_contact(AnonymousUser(), city.users["liaison_a"])


def test_contact_for_masks_what_the_viewer_may_not_read(city):
    _give_contacts(city)
    person = city.users["liaison_b"]
    shown = access.contact_for(city.users["leader"], person)
    assert shown.masked and shown.phone == person.phone[:3] + "****" + person.phone[-4:]
    assert shown.email == "l***@example.gov.cn"
    assert access.contact_for(city.users["office"], person).phone == person.phone


def _text(response) -> str:
    """What a response says: a page or JSON as is; an .xlsx/.docx export's XML parts; a PDF's text."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    if data.startswith(b"%PDF-"):
        done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=False)
        if done.returncode == 0:  # (an uploaded test "PDF" of a few bytes is not one)
            return done.stdout.decode("utf-8", "replace")
    return data.decode("utf-8", "replace")


def _get_rows():
    for name, rows in MATRIX.items():
        for i, (method, _args, _expect) in enumerate(rows):
            if method == "get":
                yield pytest.param(name, i, id=f"{name}-{i}")


@pytest.mark.parametrize(("name", "row"), list(_get_rows()))
def test_no_page_or_api_answer_shows_anothers_contact_in_full(client, city, name, row):
    """Every page and API endpoint of the permission matrix, as every role: a phone or e-mail appears in
    full only where the viewer may read it (today no page outside /manage/ shows anyone's)."""
    contacts = _give_contacts(city)
    _method, args, _expect = MATRIX[name][row]
    url = reverse(name, args=args(city))
    for role in PERSONAS:
        viewer = city.users[role]
        client.force_login(viewer)
        body = _text(client.get(url))
        for key, (phone, email) in contacts.items():
            if access.can_see_contact(viewer, city.users[key]):
                continue
            assert phone not in body and email not in body, f"{role} sees {key}'s contact on {url}"


def test_the_configuration_screens_show_contact_to_those_who_manage_people(city, login):
    contacts = _give_contacts(city)
    person = city.users["liaison_b"]
    client = login(people_admin(city))
    body = client.get(f"/manage/org/user/{person.pk}/change/").content.decode()
    phone, email = contacts["liaison_b"]
    assert f'value="{phone}"' in body and f'value="{email}"' in body
    for url in ADMIN_URLS:
        listing = client.get(url).content.decode()
        assert phone not in listing and email not in listing  # no list shows them


def test_the_configuration_screens_mask_contact_for_those_who_may_not_read_it(city, login, monkeypatch):
    """Whoever reaches /manage/ without managing people (e.g. a security administrator) sees the contact
    masked and read-only, and saving the person leaves it as it was."""
    monkeypatch.setattr(access, "CONTACT_MANAGER_ROLES", set())
    contacts = _give_contacts(city)
    person = city.users["liaison_b"]
    phone, email = contacts["liaison_b"]
    client = login(people_admin(city))
    url = f"/manage/org/user/{person.pk}/change/"
    body = client.get(url).content.decode()
    assert phone not in body and email not in body
    assert f"{phone[:3]}****{phone[-4:]}" in body and "l***@example.gov.cn" in body
    assert 'name="phone"' not in body and 'name="email"' not in body

    data = {
        "username": person.username,
        "full_name": "改了名字",
        "role": person.role,
        "unit": person.unit_id,
        "is_active": "on",
        "phone": "10000000000",  # not on the form: ignored
    }
    assert client.post(url, data).status_code == 302
    person = User.objects.get(pk=person.pk)
    assert (person.full_name, person.phone, person.email) == ("改了名字", phone, email)


def test_ones_own_settings_page_shows_ones_own_email(city, login):
    contacts = _give_contacts(city)
    body = login(city.users["liaison_a"]).get("/notifications/settings/").content.decode()
    assert contacts["liaison_a"][1] in body
    assert contacts["liaison_b"][1] not in body
