"""The log is append-only and tamper-evident: triggers refuse UPDATE and DELETE, and `gandang audit
verify` names the first changed, removed or inserted entry even once the triggers are gone."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connections, transaction

from gandang.security import chain, services
from gandang.security.models import ChainHead, SecurityEvent
from tests.security.conftest import events, sql


def _log(n=4):
    for i in range(n):
        services.record_event(kind=SecurityEvent.Kind.LOGIN_FAILED, outcome="failure", username=f"u{i}")
    return events()


def _verify() -> str:
    """`gandang audit verify`'s output; its error (exit status 1) as a CommandError."""
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _hmac_sm3_by_hand(key: bytes, data: bytes) -> str:
    block = 64
    key = key.ljust(block, b"\0")
    inner = hashlib.new("sm3", bytes(k ^ 0x36 for k in key) + data).digest()
    return hashlib.new("sm3", bytes(k ^ 0x5C for k in key) + inner).hexdigest()


def test_entries_are_hmac_sm3_chained_over_every_field(db):
    # GB/T 32905-2016's example: SM3("abc").
    assert hashlib.new("sm3", b"abc").hexdigest().startswith("66c7f0f462eeedd9d1f2d46bdc10e4e2")
    first, second = _log(2)
    assert first.prev_hash == chain.GENESIS and second.prev_hash == first.hash
    values = {name: getattr(second, name) for name in chain.FIELDS}
    assert second.hash == _hmac_sm3_by_hand(chain.key(), chain.canonical(values))
    other = {"seq": 3, "at": values["at"] + timedelta(microseconds=1), "user_id": 1, "detail": {"x": 1}}
    for name in chain.FIELDS:
        changed = values | {name: other.get(name, f"{values[name]}x")}
        assert chain.digest(changed) != second.hash, name


def test_the_cryptography_package_gives_the_same_digest(db):
    pytest.importorskip("cryptography")
    assert chain._sm3_hmac_cryptography(b"key", b"data") == chain._sm3_hmac_stdlib(b"key", b"data")


def test_database_refuses_update_and_delete(db):
    _log(2)
    for statement in (
        "UPDATE security_securityevent SET username = 'x'",
        "DELETE FROM security_securityevent",
        "DELETE FROM security_securityevent WHERE seq = 2",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            sql(statement)
    assert [e.username for e in events()] == ["u0", "u1"]


def test_the_product_itself_cannot_change_an_entry(db):
    (event,) = _log(1)
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()


def test_verify_passes_on_an_intact_chain(db):
    _log(3)
    out = _verify()
    assert "安全审计日志完整：共 3 条" in out and "HMAC-SM3" in out
    # The check is itself recorded, and the chain stays whole.
    (check,) = events(SecurityEvent.Kind.AUDIT_VERIFY)
    assert check.outcome == "success" and check.seq == 4
    assert "共 4 条" in _verify()


def test_verify_names_a_changed_entry(db, drop_triggers):
    log = _log(4)
    drop_triggers()
    sql("UPDATE security_securityevent SET username = 'someone-else' WHERE seq = 2")
    with pytest.raises(CommandError, match=rf"第 2 条（ID {log[1].pk}，.*）的内容与其哈希不符") as err:
        _verify()
    assert "防篡改触发器缺失" in str(err.value)


def test_verify_names_a_changed_entry_even_with_its_hash_recomputed(db, drop_triggers):
    log = _log(4)
    drop_triggers()
    values = {name: getattr(log[2], name) for name in chain.FIELDS} | {"outcome": "success"}
    forged = hashlib.new("sm3", chain.canonical(values)).hexdigest()  # without the key
    sql("UPDATE security_securityevent SET outcome = 'success', hash = %s WHERE seq = 3", [forged])
    sql("UPDATE security_securityevent SET prev_hash = %s WHERE seq = 4", [forged])
    with pytest.raises(CommandError, match="第 3 条.*的内容与其哈希不符"):
        _verify()


def test_verify_names_where_an_entry_was_removed(db, drop_triggers):
    _log(4)
    drop_triggers()
    sql("DELETE FROM security_securityevent WHERE seq = 2")
    with pytest.raises(CommandError, match="第 3 条.*之前的第 2 条缺失：记录被删除"):
        _verify()


def test_verify_notices_the_newest_entries_removed(db, drop_triggers):
    _log(4)
    drop_triggers()
    sql("DELETE FROM security_securityevent WHERE seq >= 3")
    with pytest.raises(CommandError, match="最新的记录缺失：链头记录的最后一条是第 4 条，表中只到第 2 条"):
        _verify()


def test_verify_names_a_forged_entry_inserted(db, drop_triggers):
    log = _log(3)
    drop_triggers()
    last = log[-1]
    values = {name: getattr(last, name) for name in chain.FIELDS} | {
        "seq": 4,
        "username": "liaison_b",
        "kind": "login",
        "outcome": "success",
        "prev_hash": last.hash,
    }
    forged = hashlib.new("sm3", chain.canonical(values)).hexdigest()
    sql(
        "INSERT INTO security_securityevent (seq, at, username, role, address, kind, object, outcome, detail,"
        " prev_hash, hash) VALUES (4, %s, 'liaison_b', '', '', 'login', '', 'success', '{}', %s, %s)",
        [last.at, last.hash, forged],
    )
    ChainHead.objects.filter(pk=1).update(last_seq=4, last_hash=forged)  # covering tracks
    inserted = SecurityEvent.objects.get(seq=4)
    with pytest.raises(CommandError, match=rf"第 4 条（ID {inserted.pk}，.*）的内容与其哈希不符"):
        _verify()


def test_verify_names_an_entry_inserted_with_a_number_in_use(db):
    # The unique sequence number refuses this while its constraint stands; the walk catches it anyway.
    _log(3)
    rows = list(SecurityEvent.objects.order_by("seq").values(*chain.FIELDS, "id", "hash"))
    rows.insert(2, dict(rows[1], id=999))
    head = ChainHead.objects.values().get(pk=1)
    verdict = chain.verify(iter(rows), head=head, purge_kind="audit_purge")
    assert not verdict.ok and verdict.bad_id == 999
    assert "第 2 条（ID 999" in verdict.problem and "序号重复" in verdict.problem


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    errors = []

    def writer(n):
        try:
            for i in range(10):
                services.record_event(kind=SecurityEvent.Kind.LOGIN, username=f"w{n}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    log = events()
    assert [e.seq for e in log] == list(range(1, 41))
    assert all(b.prev_hash == a.hash for a, b in zip(log, log[1:], strict=False))
    assert services.verify().ok
