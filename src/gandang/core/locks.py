"""A tiny named lock in the database, so that two copies of a job never run at once.

Acquired by inserting the row (the unique name lets exactly one insert win) or by taking over an
expired row with a conditional UPDATE; both are atomic on SQLite and PostgreSQL alike, where
`select_for_update` would not be (it is a no-op on SQLite). The expiry frees the lock of a
process that died without releasing it.

`waiting` is the other kind: it waits for its turn instead of skipping, and needs no table (it guards
`migrate`, which makes the tables).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gandang.core.models import Lock


def acquire(name: str, *, ttl: timedelta) -> str | None:
    """Take the lock `name` for `ttl`; returns an owner token, or None when someone else holds it."""
    owner = uuid.uuid4().hex
    now = timezone.now()
    if Lock.objects.filter(name=name, expires_at__lte=now).update(owner=owner, expires_at=now + ttl):
        return owner
    try:
        with transaction.atomic():
            Lock.objects.create(name=name, owner=owner, expires_at=now + ttl)
    except IntegrityError:
        return None
    return owner


def release(name: str, owner: str) -> None:
    Lock.objects.filter(name=name, owner=owner).delete()


@contextmanager
def held(name: str, *, ttl: timedelta = timedelta(minutes=30)) -> Iterator[bool]:
    """`with held("tick") as got:` — `got` is False when another process holds the lock."""
    owner = acquire(name, ttl=ttl)
    try:
        yield owner is not None
    finally:
        if owner is not None:
            release(name, owner)


@contextmanager
def waiting(name: str) -> Iterator[None]:
    """Hold `name` exclusively, waiting while another process holds it: a PostgreSQL advisory lock on this
    connection (released at the end, or when the process dies). App servers on several machines started
    together thus migrate one after the other. On SQLite (one machine) there is nothing to wait for."""
    if connection.vendor != "postgresql":
        yield
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s)", [key])
