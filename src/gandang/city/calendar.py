"""The city's calendar, run by `gandang tick` (from cron, daily or more often).

Each app registers its steps (gandang.core.registry.TickStep, from its AppConfig.ready()); this
runs them in their order under one database lock, so that a second copy started at the same moment
skips instead of doing the work in parallel, and sums up what they did in Chinese for the console
and cron mail. Each step does whatever is due on `today` and nothing twice.
"""

from __future__ import annotations

from datetime import date

from gandang.core import locks, registry
from gandang.core.registry import TickRun

LOCK_NAME = "city-tick"


def run_tick(*, today: date) -> TickRun:
    """Do everything the calendar says is due on `today`; safe to run again."""
    run = TickRun(today=today)
    with locks.held(LOCK_NAME) as got:
        if not got:
            run.skipped = True
            return run
        for step in registry.tick_steps():
            step.run(run)
    return run


def lines(run: TickRun) -> list[str]:
    """A short summary in Chinese: each step's own lines in the calendar's order, then the notices."""
    head = f"{run.today.year}年{run.today.month}月{run.today.day}日调度巡检"
    if run.skipped:
        return [f"{head}：另一个巡检正在运行，本次跳过。"]
    out = [f"{head}完成。", *run.notes]
    steps = registry.tick_steps()
    for step in steps:
        if step.summary is not None and step.order < 90:
            out.extend(step.summary(run))
    out.append(f"新通知：{run.counts['notified']}条")
    for step in steps:
        if step.summary is not None and step.order >= 90:  # delivery, after the notices it sent
            out.extend(step.summary(run))
    return out
