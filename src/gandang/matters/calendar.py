"""Matters' step in the city's calendar (`gandang tick`): overdue matters are marked and their units told."""

from __future__ import annotations

from gandang.core import registry
from gandang.core.registry import TickRun
from gandang.matters import services


def remind(run: TickRun) -> None:
    told = services.overdue_notices(today=run.today)
    run.counts["matters_overdue"] += told.matters
    run.counts["notified"] += told.notices


def summary(run: TickRun) -> list[str]:
    n = run.counts["matters_overdue"]
    return [f"督办事项逾期催办：{n}项"] if n else []


def register() -> None:
    # After supervision (30s), before the delivery of notices (90s), which sends what it wrote.
    registry.tick_step(registry.TickStep("matters.calendar", 60, remind, summary))
