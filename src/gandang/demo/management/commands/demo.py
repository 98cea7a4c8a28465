import sys
import unicodedata
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from gandang.accounts.demo import enrol as enrol_second_factor
from gandang.core import clock
from gandang.core.env import envstr
from gandang.demo.build import DemoError, build_demo, database_is_demo_or_empty
from gandang.demo.scale import build_scale
from gandang.dispatch.models import Report, Status
from gandang.org.models import User


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def _zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as left-aligned columns, counting Chinese characters as two terminal cells."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


class Command(BaseCommand):
    help = "建立演示城市（单位、领导、账号、2023年改革台账）并启动服务 / Build the demo city and serve it"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="只建立演示数据，不启动服务")
        parser.add_argument(
            "--reset", action="store_true", help="先删除数据目录中的 SQLite 数据库，重新建立演示数据"
        )
        parser.add_argument(
            "--scale",
            choices=["city", "province"],
            default="city",
            help="province：在演示城市之外再批量写入一个省的规模（16个市、448个单位、--items 项事项及其全年月报）",
        )
        parser.add_argument(
            "--items", type=int, default=100_000, help="--scale province 时的事项数（默认 100000）"
        )
        parser.add_argument(
            "--real-date",
            action="store_true",
            help="不把日历固定在演示日期（2023年12月5日），按实际日期运行（并删除数据目录中的 today 文件）",
        )

    def handle(self, *args, host, port, no_serve, reset, real_date, scale, items, **options):
        if reset:
            self.reset()
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = build_demo(stdout=self.stdout)
        except DemoError as exc:
            raise CommandError(f"{exc}请换一个空的数据目录（GANDANG_DATA_DIR）再运行 demo。") from exc
        if scale == "province":
            self.province(items, result["today"])

        self.pin_calendar(result["today"], real_date=real_date)

        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        self.stdout.write("")
        self.stdout.write(
            f"演示城市：单位 {result['units']} 个，市级领导 {result['leaders']} 位，"
            f"改革事项 {result['items']} 项（其中市级领导领衔 {result['leader_led']} 项）"
        )
        self.dispatch_summary(result["dispatch"], result["today"])
        if not real_date:
            self.stdout.write(
                f"演示日期：{_zh(result['today'])}（已写入数据目录的 today 文件，状态、期限和待办均按此日计算；"
                "加 --real-date 则按实际日期运行）"
            )
        self.stdout.write(f"访问地址：http://{shown}:{port}/")
        self.stdout.write(f"演示账号（密码均为 {result['password']}）：")
        keys = enrol_second_factor()
        rows = [("用户名", "密码", "角色", "单位")]
        rows += [
            (username, result["password"], role, unit or "—") for username, role, unit in result["logins"]
        ]
        for line in table(rows):
            self.stdout.write(line)
        if keys:
            # The command as this demo was started (./bin/demo runs .venv/bin/gandang), to copy as is.
            prog = sys.argv[0] if Path(sys.argv[0]).name == "gandang" else "gandang"
            self.stdout.write("以下账号登录时还须输入双因素验证码（已为演示设置好身份验证器）：")
            order = [username for username, _role, _unit in result["logins"]]
            for username, key in sorted(
                keys.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
            ):
                self.stdout.write(
                    f"  {username}：运行 {prog} demo-code {username} 显示当前验证码；"
                    f"或在手机身份验证器中手动添加密钥 {key}"
                )
        d = result["dispatch"]
        if d["unit_accounts"]:
            self.stdout.write(
                f"各牵头单位另有联络员、负责人账号 {d['unit_accounts']} 个：liaison_NN、head_NN（NN 为单位序号，"
                f"如 {d['unit_account_example']}），密码同上"
            )
        self.stdout.write("")

        if not no_serve:
            call_command("serve", host=host, port=port, no_migrate=True)

    def province(self, items: int, today: date) -> None:
        """A province's worth of cities, units and items beside the demo city, by the bulk path."""
        if items < 1:
            raise CommandError("--items 须为正整数")
        self.stdout.write(f"正在批量写入全省规模数据（{items} 项事项及其全年月报），约需一分钟…")
        with clock.pinned(today):
            counts = build_scale(items=items, year=today.year, stdout=self.stdout)
        if not counts["created"]:
            self.stdout.write("全省规模数据已存在，未重复写入。")
            return
        example = User.objects.filter(username__startswith="p", unit__isnull=False, role=User.Role.LIAISON)
        login = example.order_by("pk").values_list("username", flat=True).first()
        self.stdout.write(
            f"全省规模：{counts['units']} 个单位，改革事项 {counts['items']} 项，进展报告 {counts['reports']} 份，"
            f"挂牌督办 {counts['listings']} 项；各单位联络员、负责人账号如 {login}（密码同下）"
        )

    def pin_calendar(self, today: date, *, real_date: bool) -> None:
        """Write the demo's date to the data directory's `today` file (read by settings at start-up).

        This process serves next, and its settings were read before the file existed: set them too.
        GANDANG_TODAY in the environment still wins over the file, as in settings.
        """
        path = Path(settings.DATA_DIR) / "today"
        env = envstr("GANDANG_TODAY")
        if real_date:
            if path.exists():
                self.stdout.write(f"已删除 {path}（原为 {path.read_text().strip()}），按实际日期运行")
                path.unlink()
            settings.GANDANG_TODAY = env
            return
        path.write_text(today.isoformat())
        if env and env != today.isoformat():
            self.stdout.write(f"注意：环境变量 GANDANG_TODAY={env} 优先于 {path}，服务将按 {env} 运行")
        else:
            settings.GANDANG_TODAY = today.isoformat()

    def dispatch_summary(self, d: dict, today: date) -> None:
        if not d["periods"]:
            return
        self.stdout.write(
            f"月调度：已结束 {d['periods']} 个月，进展报告 {d['reports']} 份"
            f"（逾期报送 {d['late']} 份，未报送 {d['missing']} 份，被改革办退回 {d['returned']} 份，"
            f"疑似照抄上月 {d['copied']} 份）"
        )
        states = "，".join(
            f"{Report.State(s).label} {d['open_states'][s]} 份"
            for s in Report.State.values
            if d["open_states"].get(s)
        )
        self.stdout.write(f"{d['open_period']}填报中：{states}")
        lights = "，".join(
            f"{Status(s).label} {d['statuses'][s]} 项" for s in Status.values if d["statuses"].get(s)
        )
        self.stdout.write(f"事项状态（{_zh(today)}）：{lights}；成效不明显 {d['no_effect']} 项")

    def reset(self) -> None:
        """Delete the embedded SQLite database, only if it holds nothing but the demo."""
        db = settings.DATABASES["default"]
        if envstr("DATABASE_URL") or db["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(
                "--reset 只用于数据目录中的内置 SQLite 数据库；已设置 DATABASE_URL 时请自行清理数据库。"
            )
        path = Path(db["NAME"])
        if path.exists():
            try:
                safe = database_is_demo_or_empty()
            except DatabaseError:  # tables not created yet: nothing to lose
                safe = True
            if not safe:
                raise CommandError(
                    f"数据库 {path} 中有非演示数据，--reset 不会删除它。如确需重建，请手动删除该文件。"
                )
        connection.close()
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            p.unlink(missing_ok=True)
        self.stdout.write(f"已删除数据库 {path}")
