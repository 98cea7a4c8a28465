"""Matters' step in the city's calendar (`gandang tick`): a matter whose 催办函 went unanswered past its
deadline gets its 督办函 (letters.py); overdue matters are marked and their units told, the office once."""

from __future__ import annotations

from gandang.core import registry
from gandang.core.registry import TickRun
from gandang.matters import letters, services


def remind(run: TickRun) -> None:
    # Escalate first, so that the day's overdue notice names the letter the unit now has.
    for letter in letters.escalate_overdue(today=run.today):
        run.names["matters_escalated"].append(f"{letter.matter.title}（{letter.doc_number}）")
    told = services.overdue_notices(today=run.today)
    run.counts["matters_overdue"] += told.matters
    run.counts["notified"] += told.notices


def summary(run: TickRun) -> list[str]:
    out = []
    n = run.counts["matters_overdue"]
    if n:
        out.append(f"督办事项逾期催办：{n}项")
    if run.names["matters_escalated"]:
        out.append(f"催办函逾期未复、发督办函：{'、'.join(run.names['matters_escalated'])}")
    return out


def register() -> None:
    # After supervision (30s), before the delivery of notices (90s), which sends what it wrote.
    registry.tick_step(registry.TickStep("matters.calendar", 60, remind, summary))
