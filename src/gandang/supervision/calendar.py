"""Listed supervision's steps in the city's calendar (`gandang tick`): propose listings by the rules,
remind units before their rectification deadlines, escalate the overdue (督办函, then the bulletin)."""

from __future__ import annotations

from gandang.core import registry
from gandang.core.registry import TickRun
from gandang.supervision import services


def supervise(run: TickRun) -> None:
    run.counts["proposals"] += services.proposals_refresh(today=run.today)
    run.counts["notified"] += services.deadline_reminders(today=run.today)
    for listing in services.escalate_overdue(today=run.today):
        run.names["escalated"].append(f"{listing.item.code}（{listing.get_escalation_display()}）")


def summary(run: TickRun) -> list[str]:
    out = []
    if run.counts["proposals"]:
        out.append(f"新增挂牌督办建议：{run.counts['proposals']}项")
    if run.names["escalated"]:
        out.append(f"逾期未整改、升级督办：{'、'.join(run.names['escalated'])}")
    return out


def register() -> None:
    # After the month's statuses and snapshots (dispatch, 20s), which its proposal rules read.
    registry.tick_step(registry.TickStep("supervision.calendar", 30, supervise, summary))
