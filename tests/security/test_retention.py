"""Retention: at least 180 days, purged only past it by `gandang audit purge`, which keeps the chain
verifiable from its new start; an export for archiving."""

import csv
import json
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from gandang.security import retention, services
from gandang.security.models import ChainHead, SecurityEvent
from tests.security.conftest import events, sql

Kind = SecurityEvent.Kind


def _event_days_ago(days: int, name: str) -> SecurityEvent:
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=days)):
        return services.record_event(kind=Kind.LOGIN, username=name)


@pytest.fixture
def aged_log(db):
    """Three entries 400 days old, two 10 days old."""
    return [_event_days_ago(400, f"old{i}") for i in range(3)] + [
        _event_days_ago(10, f"new{i}") for i in range(2)
    ]


def _verify():
    call_command("audit", "verify", stdout=StringIO())


def test_a_retention_below_180_days_is_refused(settings):
    settings.GANDANG_SECURITY_RETENTION_DAYS = 90
    with pytest.raises(ImproperlyConfigured, match="至少保留 180 天"):
        retention.check_setting()
    settings.GANDANG_SECURITY_RETENTION_DAYS = 365
    retention.check_setting()


def test_the_server_does_not_start_with_a_short_retention(tmp_path):
    env = {**os.environ, "GANDANG_DATA_DIR": str(tmp_path), "GANDANG_SECURITY_RETENTION_DAYS": "30"}
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0 and "GANDANG_SECURITY_RETENTION_DAYS=30" in run.stderr


def test_purge_removes_only_entries_past_retention_and_the_chain_still_verifies(aged_log):
    before = timezone.localdate() - timedelta(days=200)
    call_command("audit", "purge", "--before", before.isoformat(), stdout=StringIO())
    assert [e.username for e in events(Kind.LOGIN)] == ["new0", "new1"]
    (purge,) = events(Kind.AUDIT_PURGE)
    assert purge.detail["removed"] == 3 and purge.detail["through_seq"] == 3
    assert purge.detail["anchor_hash"] == aged_log[2].hash
    assert events()[0].prev_hash == aged_log[2].hash
    _verify()


def test_a_second_purge_with_nothing_left_to_remove_keeps_the_chain_verifiable(aged_log):
    before = str(timezone.localdate() - timedelta(days=200))
    call_command("audit", "purge", "--before", before, stdout=StringIO())
    call_command(
        "audit", "purge", "--before", str(timezone.localdate() - timedelta(days=500)), stdout=StringIO()
    )
    first, second = events(Kind.AUDIT_PURGE)
    assert second.detail["removed"] == 0 and second.detail["through_seq"] == first.detail["through_seq"] == 3
    _verify()


def test_purge_refuses_a_date_within_retention(aged_log):
    recent = timezone.localdate() - timedelta(days=100)
    with pytest.raises(CommandError, match="保留期"):
        call_command("audit", "purge", "--before", recent.isoformat())
    assert len(events()) == 5


def test_after_a_purge_the_triggers_still_refuse_deleting_kept_entries(aged_log):
    call_command(
        "audit", "purge", "--before", str(timezone.localdate() - timedelta(days=200)), stdout=StringIO()
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        sql("DELETE FROM security_securityevent WHERE seq = 4")


def test_old_entries_deleted_behind_the_products_back_are_found(aged_log, drop_triggers):
    drop_triggers()
    sql("DELETE FROM security_securityevent WHERE seq <= 3")
    ChainHead.objects.filter(pk=1).update(anchor_seq=3, anchor_hash=aged_log[2].hash)  # as a purge would
    with pytest.raises(CommandError, match="第 3 条及以前的记录不在表中，但没有相应的清理记录"):
        _verify()


def test_export_writes_every_field_for_archiving(aged_log, tmp_path):
    since = timezone.localdate() - timedelta(days=30)
    call_command(
        "audit", "export", "--since", str(since), "-o", str(tmp_path / "log.jsonl"), stdout=StringIO()
    )
    lines = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert [line["username"] for line in lines] == ["new0", "new1"]
    assert lines[1]["prev_hash"] == lines[0]["hash"] == aged_log[3].hash
    call_command("audit", "export", "-o", str(tmp_path / "log.csv"), stdout=StringIO())
    with open(tmp_path / "log.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 and rows[0]["username"] == "old0"  # and the first export's own event
    (exported, _second) = events(Kind.AUDIT_EXPORT)
    assert exported.detail["count"] == 2
