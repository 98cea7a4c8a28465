"""The security log written out for archiving: JSON Lines (one entry a line) or CSV (for a spreadsheet).

Every field an entry's hash covers is written as stored, with the entry's hash, so an archive can be
checked against the chain it came from."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from gandang.security import chain
from gandang.security.models import SecurityEvent

# Every field the chain covers (chain.FIELDS, seq first), the row's id after seq, and the hash itself.
COLUMNS = [chain.FIELDS[0], "id", *chain.FIELDS[1:], "hash"]


def row(event: SecurityEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "id": event.pk,
        "at": chain.iso_utc(event.at),
        "user_id": event.user_id,
        "username": event.username,
        "role": event.role,
        "address": event.address,
        "kind": event.kind,
        "object": event.object,
        "outcome": event.outcome,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def write_jsonl(events: Iterable[SecurityEvent], out: IO[str]) -> int:
    n = 0
    for event in events:
        out.write(json.dumps(row(event), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


def write_csv(events: Iterable[SecurityEvent], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    n = 0
    for event in events:
        data = row(event)
        data["detail"] = json.dumps(data["detail"], ensure_ascii=False, sort_keys=True)
        writer.writerow(data)
        n += 1
    return n
