"""A mechanism joins the city by registering: its tick step runs in the calendar at its place and says
what it did, its demo step is built at its place; no other app is edited."""

from datetime import date

import pytest

from gandang.city.calendar import lines, run_tick
from gandang.core import registry


@pytest.fixture
def a_new_mechanism(monkeypatch):
    """What a new app (say, leaders' instructions) registers from its ready(): removed afterwards."""
    ran: list[str] = []

    def remind(run: registry.TickRun) -> None:
        ran.append("instructions")
        run.counts["instructions_reminded"] += 2
        run.counts["notified"] += 2

    def summary(run: registry.TickRun) -> list[str]:
        return [f"批示办理提醒：{run.counts['instructions_reminded']}项"]

    monkeypatch.setattr(registry, "_tick", dict(registry._tick))
    monkeypatch.setattr(registry, "_demo", dict(registry._demo))
    registry.tick_step(registry.TickStep("instructions.remind", 60, remind, summary))
    registry.demo_step(registry.DemoStep("instructions.demo", 60, lambda run: ran.append("demo")))
    return ran


def test_the_apps_steps_run_in_their_declared_order():
    names = [s.name for s in registry.tick_steps()]
    assert names == [
        "dispatch.statuses",
        "dispatch.periods",
        "supervision.calendar",
        "assessment.standings",
        "matters.calendar",
        "notifications.deliver",
    ]
    demo = [s.name for s in registry.demo_steps()]
    assert demo == [
        "org.city",
        "ledger.plans",
        "documents.settings",
        "dispatch.reports",
        "dispatch.quarterly_plan",
        "supervision.listings",
        "achievements.records",
        "achievements.history",
        "bulletins.issued",
        "assessment.scheme",
        "matters.instructions",
        "matters.meetings",
        "matters.consultation",
        "information.pieces",
        "bulletins.factsheet",
        "assessment.standings",
        "assessment.run",
    ]


def test_a_registered_step_runs_at_its_place_and_is_summed_up(city, a_new_mechanism):
    steps = [s.name for s in registry.tick_steps()]
    assert (
        steps.index("supervision.calendar")
        < steps.index("instructions.remind")
        < steps.index("notifications.deliver")
    )
    run = run_tick(today=date(2023, 10, 10))
    assert a_new_mechanism == ["instructions"]
    said = lines(run)
    assert "批示办理提醒：2项" in said
    assert said.index("批示办理提醒：2项") < said.index(f"新通知：{run.counts['notified']}条")


def test_a_registered_demo_step_is_built_in_order(a_new_mechanism):
    demo = [s.name for s in registry.demo_steps()]
    assert demo[-10:] == [
        "bulletins.issued",
        "assessment.scheme",
        "instructions.demo",
        "matters.instructions",
        "matters.meetings",
        "matters.consultation",
        "information.pieces",
        "bulletins.factsheet",
        "assessment.standings",
        "assessment.run",
    ]  # 60s: after the rest; the fact sheet (70), the standings (75), the trial run (79)
