"""The demo's bulletins: 2023Q2 issued in July as the office would have; Q3 is left for the clerk to draft."""

from __future__ import annotations

from datetime import date, timedelta

from gandang.bulletins import services
from gandang.bulletins.figures import quarter_figures
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter
from gandang.core import registry
from gandang.core.backdate import aware, dated
from gandang.notifications.models import Notification
from gandang.org.models import User

ISSUED = [(Quarter(2023, 2), date(2023, 7, 12))]


def build_bulletins(*, office: User, stdout=None) -> list[Bulletin]:
    """Draft and issue the demo's past bulletins, dated on their day; skipped when their months are missing."""
    out = []
    for quarter, on in ISSUED:
        if not quarter_figures(quarter).complete:
            continue  # a demo without its monthly dispatch (some tests build only the ledger)
        drafted = aware(on, 15, 10) - timedelta(days=2)
        issued = aware(on, 9, 30)
        # The services date their rows with the real clock: give them the demo's 2023 days.
        with dated(drafted):
            bulletin, _created = services.bulletin_draft(actor=office, quarter=quarter, today=on)
        with dated(issued):
            bulletin = services.bulletin_issue(
                actor=office, bulletin=bulletin, expected_version=bulletin.version, issued_on=on
            )
        Bulletin.objects.filter(pk=bulletin.pk).update(created_at=drafted, updated_at=issued)
        # Read long ago: a July notice should not wait unread in December's bell.
        Notification.objects.filter(key=f"bulletin:{bulletin.pk}").update(
            created_at=issued, read_at=issued + timedelta(days=1)
        )
        if stdout is not None:
            stdout.write(f"已印发{quarter.label}通报（{bulletin.doc_number}）\n")
        out.append(bulletin)
    return out


def build_step(run: registry.DemoRun) -> None:
    """This app's part of the demo city (registered in its AppConfig.ready())."""
    build_bulletins(office=run.results["office"], stdout=run.stdout)
