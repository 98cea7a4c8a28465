"""What each app contributes to the city's calendar (`gandang tick`) and to the demo city.

An app registers, from its AppConfig.ready(), the steps it adds: a tick step runs on every tick
(daily or hourly, from cron) and does what its app's calendar says is due; a demo step builds the
app's part of the demo city. Both run in the order their `order` numbers give, lowest first; the
bands keep the dependencies: the ledger before anything that reports on it, reports before what
judges them, delivery of notices last. The orchestration layer (gandang.city, gandang.demo) runs
them and knows no more of them than this module does.

    10–19  org, ledger (units, people, items)            50–59  bulletins, assessment
    20–29  dispatch (periods, reports, statuses)          60–79  mechanisms still to come
    30–49  supervision, achievements                      90–99  notifications (delivery)

A new mechanism (an app) adds its tick step and its demo step here, from its own ready(), and
edits no other app.

This module knows no domain: it holds callables and their order, nothing more.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from django.utils.module_loading import import_string


@dataclass
class TickRun:
    """One run of the calendar: what each step did, in counts and names, and notes in words."""

    today: date
    skipped: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    names: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)
    # What a step hands to its own summary (e.g. the delivery totals), by step name.
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TickStep:
    name: str
    order: int
    run: Callable[[TickRun], None]
    # The step's lines in the run's summary (console, cron mail); none when it has nothing to say.
    summary: Callable[[TickRun], list[str]] | None = None


@dataclass
class DemoRun:
    """The demo city being built: the pinned day, where to say what was made, and what each step
    leaves for the steps after it and for the printout (results, by key)."""

    today: date
    stdout: TextIO | None = None
    results: dict[str, Any] = field(default_factory=dict)

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    # The builder, or its dotted path ("gandang.dispatch.demo.build_step"): imported only when the
    # demo is built, so that no process pays at start-up for the demo's data and what it imports.
    build: Callable[[DemoRun], None] | str

    def run(self, demo: DemoRun) -> None:
        build = import_string(self.build) if isinstance(self.build, str) else self.build
        build(demo)


_tick: dict[str, TickStep] = {}
_demo: dict[str, DemoStep] = {}


def tick_step(step: TickStep) -> None:
    """Register a step of the city's calendar (again under the same name: replaced, not doubled)."""
    _tick[step.name] = step


def demo_step(step: DemoStep) -> None:
    """Register an app's part of the demo city."""
    _demo[step.name] = step


def tick_steps() -> list[TickStep]:
    return sorted(_tick.values(), key=lambda s: (s.order, s.name))


def demo_steps() -> list[DemoStep]:
    return sorted(_demo.values(), key=lambda s: (s.order, s.name))
