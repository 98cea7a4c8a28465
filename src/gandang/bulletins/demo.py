"""The demo's bulletins: 2023Q2 issued in July as the office would have; Q3 is left for the clerk to draft."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from gandang.bulletins import services
from gandang.bulletins.figures import quarter_figures
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.core.models import AuditEntry
from gandang.notifications.models import Notification
from gandang.org.models import User

ISSUED = [(Quarter(2023, 2), date(2023, 7, 12))]


def build_bulletins(*, office: User, stdout=None) -> list[Bulletin]:
    """Draft and issue the demo's past bulletins, dated on their day; skipped when their months are missing."""
    out = []
    for quarter, on in ISSUED:
        if not quarter_figures(quarter).complete:
            continue  # a demo without its monthly dispatch (some tests build only the ledger)
        since = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        drafted = timezone.make_aware(datetime(on.year, on.month, on.day, 15, 10)) - timedelta(days=2)
        issued = timezone.make_aware(datetime(on.year, on.month, on.day, 9, 30))
        bulletin, _created = services.bulletin_draft(actor=office, quarter=quarter, today=on)
        bulletin = services.bulletin_issue(
            actor=office, bulletin=bulletin, expected_version=bulletin.version, issued_on=on
        )
        # The services date their rows with the real clock: give them the demo's 2023 days.
        Bulletin.objects.filter(pk=bulletin.pk).update(created_at=drafted, updated_at=issued)
        entries = AuditEntry.objects.filter(id__gt=since, object_id=bulletin.pk)
        entries.filter(action=AuditEntry.Action.CREATE).update(at=drafted)
        entries.exclude(action=AuditEntry.Action.CREATE).update(at=issued)
        # Read long ago: a July notice should not wait unread in December's bell.
        Notification.objects.filter(key=f"bulletin:{bulletin.pk}").update(
            created_at=issued, read_at=issued + timedelta(days=1)
        )
        if stdout is not None:
            stdout.write(f"已印发{quarter.label}通报（{bulletin.doc_number}）\n")
        out.append(bulletin)
    return out
