"""`gandang rotate-pii-key`: every value re-encrypted under the new key, old keys dropped only once
nothing needs them, and nothing rewritten around a value that cannot be read."""

import base64
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gandang.core import crypto
from gandang.org.models import User

PHONE = "13812345678"


def _key() -> str:
    return base64.b64encode(os.urandom(16)).decode()


def _run(*args) -> str:
    out = StringIO()
    call_command("rotate-pii-key", *args, stdout=out, stderr=out)
    return out.getvalue()


def _raw_phones() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM org_user WHERE phone <> '' ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _set_raw(user: User, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_user SET phone = %s WHERE id = %s", [value, user.pk])


@pytest.fixture
def key_file(db, settings, tmp_path):
    settings.GANDANG_PII_KEY, settings.GANDANG_PII_OLD_KEYS = "", []
    settings.GANDANG_PII_KEY_FILE = tmp_path / "pii.key"
    crypto.keyring()
    return settings.GANDANG_PII_KEY_FILE


def _people(n: int = 3) -> list[User]:
    return [User.objects.create_user(f"p{i}", password="x", phone=f"1381234{i:04d}") for i in range(n)]


def test_a_new_key_then_forgetting_the_old_one(key_file):
    people = _people()
    [old] = crypto.read_key_file(key_file)

    out = _run("--new-key")
    assert "已用当前密钥重新加密 3 个值" in out and "--forget-old-keys" in out
    new, kept = crypto.read_key_file(key_file)
    assert kept == old and new != old
    assert all(crypto.key_state(v) == "current" for v in _raw_phones())
    assert crypto.key_id(base64.b64decode(new)) == base64.b64decode(_raw_phones()[0][8:])[:4]

    # A server that had not restarted yet wrote one value with the old key meanwhile.
    crypto.write_key_file(key_file, [old])
    crypto.keyring(reload=True)
    _set_raw(people[0], crypto.encrypt("13900000000"))
    crypto.write_key_file(key_file, [new, old])
    crypto.keyring(reload=True)

    out = _run("--forget-old-keys")
    assert "用旧密钥加密的 1 个" in out and "删去 1 个旧密钥" in out
    assert crypto.read_key_file(key_file) == [new]
    assert [u.phone for u in User.objects.order_by("id")] == ["13900000000", "13812340001", "13812340002"]


def test_the_old_key_is_kept_while_a_value_still_needs_it(key_file, monkeypatch):
    _people(1)
    _run("--new-key")
    from gandang.core import rekey

    monkeypatch.setattr(rekey, "rotate", lambda: rekey.Report())  # as if nothing could be rewritten
    [person] = User.objects.all()
    old = crypto.read_key_file(key_file)[1]
    crypto.write_key_file(key_file, [old])
    crypto.keyring(reload=True)
    _set_raw(person, crypto.encrypt(PHONE))
    crypto.write_key_file(key_file, [crypto.new_key(), old])
    crypto.keyring(reload=True)
    with pytest.raises(CommandError, match="旧密钥未删除"):
        _run("--forget-old-keys")
    assert len(crypto.read_key_file(key_file)) == 2


def test_with_the_environment_key_the_old_one_goes_in_old_keys(db, settings):
    old, new = _key(), _key()
    settings.GANDANG_PII_KEY = old
    _people(2)
    settings.GANDANG_PII_KEY, settings.GANDANG_PII_OLD_KEYS = new, [old]
    assert "用旧密钥加密的 2 个" in _run("--check")
    _run()
    settings.GANDANG_PII_OLD_KEYS = []
    assert [u.phone for u in User.objects.order_by("id")] == ["13812340000", "13812340001"]
    with pytest.raises(CommandError, match="GANDANG_PII_OLD_KEYS"):
        _run("--new-key")


def test_plain_values_left_from_before_are_encrypted(key_file):
    [person] = _people(1)
    _set_raw(person, PHONE)
    assert "未加密的 1 个" in _run()
    assert crypto.key_state(_raw_phones()[0]) == "current"
    assert User.objects.get().phone == PHONE


def test_a_value_no_configured_key_reads_stops_everything(key_file, settings):
    people = _people(2)
    settings.GANDANG_PII_KEY = _key()
    _set_raw(people[0], crypto.encrypt(PHONE))  # written with a key that is then lost
    settings.GANDANG_PII_KEY = ""
    crypto.keyring(reload=True)
    before = _raw_phones()
    with pytest.raises(CommandError, match="1 个值无法解密"):
        _run("--check")
    with pytest.raises(CommandError, match="未生成新密钥"):
        _run("--new-key")
    with pytest.raises(CommandError, match="未改写任何值"):
        _run()
    assert _raw_phones() == before
    assert len(crypto.read_key_file(key_file)) == 1
