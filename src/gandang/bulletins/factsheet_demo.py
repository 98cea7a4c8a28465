"""The demo's press-conference fact sheet for 2023, drafted the day of the conference (the seed's 5 December),
its figures drawn from the records as the seed printed them: 30余项, 80余项, 8项, 10余项, 16个, 9个, 20个, 24项."""

from __future__ import annotations

from datetime import date

from gandang.bulletins import factsheet_services
from gandang.bulletins.models import FactSheet
from gandang.core import registry
from gandang.core.backdate import aware, dated
from gandang.org.models import User

START, END = date(2023, 1, 1), date(2023, 12, 5)
SINCE = date(2021, 1, 1)  # the brand's beginning ("自'敢当'改革品牌实施以来")
TITLE = "2023年全面深化改革专题新闻发布会材料"


def build_factsheet(*, office: User, stdout=None) -> FactSheet:
    at = aware(END, 9, 30)
    with dated(at):
        sheet = factsheet_services.factsheet_create(
            actor=office, start=START, end=END, since=SINCE, title=TITLE
        )
    FactSheet.objects.filter(pk=sheet.pk).update(created_at=at, updated_at=at)
    if stdout is not None:
        stdout.write(f"已起草发布会材料：{sheet.title}\n")
    return sheet


def build_step(run: registry.DemoRun) -> None:
    """This app's part of the demo city (registered in its AppConfig.ready()): after the instructions (60s)."""
    run.results["factsheet"] = build_factsheet(office=run.results["office"], stdout=run.stdout)
