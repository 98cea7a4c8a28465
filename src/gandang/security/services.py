"""Writes to the security log: `record_event` appends an entry, `purge` removes entries past retention.

Nothing else writes to SecurityEvent. Appends are serialised so that no two entries ever chain to the
same predecessor: on PostgreSQL by locking the chain head row (SELECT … FOR UPDATE); on SQLite every
write transaction already holds the database's one write lock from its start (transaction_mode
IMMEDIATE in settings), and select_for_update is a no-op there.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from gandang.security import chain, context, retention
from gandang.security.models import ChainHead, SecurityEvent

Kind = SecurityEvent.Kind
Outcome = SecurityEvent.Outcome


def _text(value: object, limit: int) -> str:
    # PostgreSQL refuses NUL in text; a username typed with one is still a failed sign-in to record.
    return str(value or "").replace("\x00", "\ufffd")[:limit]


def _plain(detail: dict[str, Any] | None) -> dict[str, Any]:
    """`detail` as JSON reads it back (so the hash taken now matches the one recomputed later)."""
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
    return json.loads(text.replace("\\u0000", "\\ufffd"))


def _valid_address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_address(request: HttpRequest | None) -> str:
    """REMOTE_ADDR; behind a proxy listed in GANDANG_TRUSTED_PROXIES, the nearest address in
    X-Forwarded-For that is not one of those proxies (the header's left part is the client's word)."""
    if request is None:
        return ""
    remote = _valid_address(request.META.get("REMOTE_ADDR", ""))
    trusted = set(getattr(settings, "GANDANG_TRUSTED_PROXIES", []))
    if remote not in trusted:
        return remote
    forwarded = [
        a for a in (_valid_address(p) for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(","))
    ]
    for address in reversed(forwarded):
        if not address:
            break  # a malformed hop: what lies beyond it cannot be trusted
        if address not in trusted:
            return address
    return remote


def describe(obj: models.Model) -> str:
    """An object as the log names it: model label, pk and what it shows as."""
    return f"{obj._meta.label_lower}#{obj.pk} {obj}"


def _head_for_update() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                ChainHead.objects.create(pk=1, last_hash=chain.GENESIS, anchor_hash=chain.GENESIS)
        except IntegrityError:
            pass  # another writer made it first
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def record_event(
    *,
    kind: str,
    outcome: str = Outcome.SUCCESS,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str | None = None,
    obj: models.Model | None = None,
    object_text: str = "",
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one security event, chained to the newest one.

    `user` defaults to the request's signed-in user, `username` to that user's (pass what was typed
    for a failed sign-in); the source address is read from `request`, or from the request being
    served (gandang.security.context) when a signal does not pass one. `obj` names the object acted
    on, or `object_text` when it is not a model instance. The time is the machine's real time.
    """
    request = request if request is not None else context.current_request()
    if user is None and request is not None:
        signed_in = getattr(request, "user", None)
        user = signed_in if signed_in is not None and signed_in.is_authenticated else None
    if username is None:
        username = user.get_username() if user is not None else ""
    head = _head_for_update()
    values: dict[str, Any] = {
        "seq": head.last_seq + 1,
        # The machine's real time, never gandang.core.clock (which a demo pins to 2023-12-05).
        "at": timezone.now(),
        "user_id": user.pk if user is not None else None,
        "username": _text(username, 150),
        "role": _text(getattr(user, "role", ""), 32),
        "address": client_address(request),
        "kind": kind,
        "object": _text(describe(obj) if obj is not None else object_text, 300),
        "outcome": outcome,
        "detail": _plain(detail),
        "prev_hash": head.last_hash,
    }
    event = SecurityEvent(**values, hash=chain.digest(values))
    event.save(force_insert=True)
    ChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


def verify() -> chain.Verdict:
    """Check the whole chain (see chain.verify), reading the entries in order a few thousand at a time."""
    head = ChainHead.objects.filter(pk=1).values().first()
    rows = SecurityEvent.objects.order_by("seq", "id").values(*chain.FIELDS, "id", "hash")
    return chain.verify(rows.iterator(chunk_size=2000), head=head, purge_kind=Kind.AUDIT_PURGE)


class PurgeRefused(Exception):
    pass


def purge_cutoff() -> date:
    """The newest date a purge may reach: entries of this day and later are kept."""
    return timezone.localdate() - timedelta(days=retention.days())


@transaction.atomic
def purge(*, before: date, actor: Any = None) -> SecurityEvent:
    """Remove the entries recorded before `before` (a date no later than `purge_cutoff()`).

    The last removed entry's hash becomes the chain's anchor, which the oldest kept entry chains to;
    the purge's own event, appended to the chain, records that anchor, so `verify` tells a purge from
    entries deleted behind the product's back. A chain that fails verification is not purged: the
    entries it would remove may be the evidence.
    """
    cutoff = purge_cutoff()
    if before > cutoff:
        raise PurgeRefused(_("清理到 %(date)s 会删除仍在保留期内的记录") % {"date": before.isoformat()})
    head = _head_for_update()
    verdict = verify()
    if not verdict.ok:
        raise PurgeRefused(verdict.summary())
    start = timezone.make_aware(datetime.combine(before, time.min))
    first_kept = (
        SecurityEvent.objects.filter(at__gte=start).order_by("seq").values_list("seq", flat=True).first()
    )
    through = (first_kept - 1) if first_kept is not None else head.last_seq
    removed = 0
    if through > head.anchor_seq:
        anchor_hash = SecurityEvent.objects.values_list("hash", flat=True).get(seq=through)
        ChainHead.objects.filter(pk=1).update(anchor_seq=through, anchor_hash=anchor_hash)
        # The DELETE trigger allows exactly these rows now: seq up to the new anchor.
        removed, _per_model = SecurityEvent.objects.filter(seq__lte=through).delete()
    else:
        anchor_hash = head.anchor_hash
    return record_event(
        kind=Kind.AUDIT_PURGE,
        user=actor,
        object_text=f"security.securityevent ..#{through}",
        detail={
            "before": before.isoformat(),
            "removed": removed,
            "through_seq": through,
            "anchor_hash": anchor_hash,
            "retention_days": retention.days(),
        },
    )
