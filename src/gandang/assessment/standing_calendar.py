"""The monthly standing's step in the city's calendar (`gandang tick`): after a dispatch period closes,
its standing is computed under the year's standing scheme, for the office to check and publish."""

from __future__ import annotations

from gandang.assessment import standing_services
from gandang.core import registry
from gandang.core.registry import TickRun


def compute(run: TickRun) -> None:
    for standing in standing_services.compute_due(today=run.today):
        run.names["standings"].append(str(standing.period))


def summary(run: TickRun) -> list[str]:
    if not run.names["standings"]:
        return []
    return [f"计算月度晾晒：{'、'.join(run.names['standings'])}（待改革办发布）"]


def register() -> None:
    # After the dispatch (20s) closes the month's period and freezes its snapshots, which it scores.
    registry.tick_step(registry.TickStep("assessment.standings", 55, compute, summary))
