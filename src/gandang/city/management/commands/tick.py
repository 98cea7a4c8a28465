import argparse
from datetime import date

from django.core.management.base import BaseCommand

from gandang.city.calendar import lines, run_tick
from gandang.core import clock


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


class Command(BaseCommand):
    help = (
        "调度巡检：开启调度期、截止前提醒、标记未报送、结束调度期、更新状态、督办建议与升级、发送通知；"
        "可重复运行 / Run what the city's calendar says is due (idempotent; run it from cron)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_date, help="按此日期运行（YYYY-MM-DD），默认为系统日期")

    def handle(self, *args, today: date | None, **options):
        run = run_tick(today=today or clock.today())
        for line in lines(run):
            self.stdout.write(line)
