"""Personal information encrypted at rest (SM4-GCM): what the database holds, what the ORM gives back,
and what happens to a value that was altered or that another key wrote."""

import base64
import os
import stat

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection

from gandang.core import crypto, masks
from gandang.org.models import User

PHONE, EMAIL = "13812345678", "zhangsan@example.gov.cn"


def _key() -> str:
    return base64.b64encode(os.urandom(16)).decode()


def _raw(user: User) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM org_user WHERE id = %s", [user.pk])
        return cursor.fetchone()


def _set_raw(user: User, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE org_user SET {column} = %s WHERE id = %s", [value, user.pk])


@pytest.fixture
def person(db):
    return User.objects.create_user("zhangsan", password="x", phone=PHONE, email=EMAIL)


def test_the_column_holds_ciphertext_not_the_value(person):
    phone, email = _raw(person)
    assert phone.startswith("sm4gcm1:") and email.startswith("sm4gcm1:")
    assert PHONE not in phone and EMAIL not in email and "zhangsan" not in email
    assert PHONE.encode() not in base64.b64decode(phone.removeprefix("sm4gcm1:"))


def test_values_round_trip_through_the_orm(person):
    again = User.objects.get(pk=person.pk)
    assert (again.phone, again.email) == (PHONE, EMAIL)
    assert list(User.objects.filter(pk=person.pk).values_list("phone", "email")) == [(PHONE, EMAIL)]


def test_the_same_value_is_stored_differently_each_time(person):
    other = User.objects.create_user("lisi", password="x", phone=PHONE)
    assert _raw(person)[0] != _raw(other)[0]


def test_updates_and_bulk_updates_are_encrypted_too(person):
    User.objects.filter(pk=person.pk).update(phone="13900001111")
    assert "13900001111" not in _raw(person)[0]
    person.phone = "13700002222"
    User.objects.bulk_update([person], ["phone"])
    assert "13700002222" not in _raw(person)[0]
    assert User.objects.get(pk=person.pk).phone == "13700002222"


def test_an_empty_value_stays_empty_and_can_be_asked_for(db):
    nobody = User.objects.create_user("wangwu", password="x")
    assert _raw(nobody) == ("", "")
    assert list(User.objects.filter(email="").values_list("username", flat=True)) == ["wangwu"]


def test_a_lookup_by_value_fails_loudly_instead_of_matching_nothing(person):
    with pytest.raises(FieldError, match="encrypted"):
        User.objects.filter(email=EMAIL).exists()
    with pytest.raises(FieldError):
        User.objects.filter(phone__contains="1381").exists()


def test_an_altered_value_is_detected_at_read(person):
    token = _raw(person)[0]
    blob = bytearray(base64.b64decode(token.removeprefix("sm4gcm1:")))
    blob[20] ^= 0x01  # one bit of the ciphertext
    _set_raw(person, "phone", "sm4gcm1:" + base64.b64encode(bytes(blob)).decode())
    with pytest.raises(crypto.UnreadableValue, match="integrity check.*altered"):
        User.objects.get(pk=person.pk)


def test_a_damaged_value_is_detected_at_read(person):
    _set_raw(person, "email", "sm4gcm1:not base64!")
    with pytest.raises(crypto.UnreadableValue, match="damaged"):
        User.objects.get(pk=person.pk)


def test_a_wrong_key_fails_loudly_at_read(db, settings):
    settings.GANDANG_PII_KEY = _key()
    person = User.objects.create_user("zhaoliu", password="x", phone=PHONE)
    settings.GANDANG_PII_KEY = _key()
    with pytest.raises(crypto.UnreadableValue, match="not configured.*wrong or lost key"):
        User.objects.get(pk=person.pk)


def test_an_old_key_still_reads_and_new_values_use_the_current_one(db, settings):
    old = _key()
    settings.GANDANG_PII_KEY = old
    person = User.objects.create_user("zhaoliu", password="x", phone=PHONE)
    settings.GANDANG_PII_KEY, settings.GANDANG_PII_OLD_KEYS = _key(), [old]
    assert User.objects.get(pk=person.pk).phone == PHONE
    assert crypto.key_state(_raw(person)[0]) == "old"
    person.save()
    assert crypto.key_state(_raw(person)[0]) == "current"


def test_a_value_stored_before_encryption_reads_as_it_is(person):
    _set_raw(person, "phone", "0538-8221234")
    assert User.objects.get(pk=person.pk).phone == "0538-8221234"


def test_the_key_file_is_made_on_first_use_readable_by_its_owner_only(db, settings, tmp_path):
    settings.GANDANG_PII_KEY, settings.GANDANG_PII_KEY_FILE = "", tmp_path / "pii.key"
    crypto.keyring()
    mode = stat.S_IMODE((tmp_path / "pii.key").stat().st_mode)
    assert mode == 0o600
    [key] = crypto.read_key_file(tmp_path / "pii.key")
    assert len(base64.b64decode(key)) == 16
    assert crypto.keyring().current == base64.b64decode(key)


def test_the_environment_key_wins_over_the_key_file(db, settings, tmp_path):
    key = _key()
    settings.GANDANG_PII_KEY, settings.GANDANG_PII_KEY_FILE = key, tmp_path / "pii.key"
    assert crypto.keyring().current == base64.b64decode(key)
    assert not (tmp_path / "pii.key").exists()


@pytest.mark.parametrize("bad", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_malformed_key_is_refused_naming_where_it_came_from(db, settings, bad):
    settings.GANDANG_PII_KEY = bad
    with pytest.raises(ImproperlyConfigured, match="GANDANG_PII_KEY"):
        crypto.keyring()


def test_masks():
    assert masks.mask_phone("13812345678") == "138****5678"
    assert masks.mask_phone("0538-8221234") == "053****1234"
    assert masks.mask_phone("8221234") == "****1234"
    assert masks.mask_phone("12345") == "****"
    assert masks.mask_email("zhangsan@example.gov.cn") == "z***@example.gov.cn"
    assert masks.mask_email("no-at-sign") == "****"
    assert masks.mask_phone("") == masks.mask_email("") == ""
