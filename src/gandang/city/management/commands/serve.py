"""`gandang serve`: the site with gunicorn, two worker processes per core and one more, each with a few
threads.

One Python process runs one core's worth of Python at a time (the GIL): several worker processes
use every core. More processes than cores, each with few threads, because a thread that waits for the
database must win the GIL back to go on: behind a thread rendering a long page it waits a switch
interval (5 ms) for each of its queries, so a quick save queued behind fill pages in the same process
takes many times its own cost. The operating system shares the cores between processes far more
fairly. Measured by bench/burst_bench.py (200 liaisons, 2 cores, PostgreSQL on the same machine):
2 workers × 8 threads gave a save p95 of 390 ms, 5 workers × 4 threads 92 ms. The application is loaded once in the master before it forks (preload), with no
database connection open, so every worker starts with its own connection and the key files are
made once.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from gandang.core import locks


def cores() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def default_workers() -> int:
    """Gunicorn's own advice, (2 × cores) + 1."""
    return 2 * cores() + 1


DEFAULT_THREADS = 4


def run_server(application, *, host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "preload_app": True,
                "timeout": 120,  # a big export or import may take a while
                "graceful_timeout": 30,
                "proc_name": "gandang",
                "errorlog": "-",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()


class Command(BaseCommand):
    help = "用 gunicorn 提供服务，工作进程数为 CPU 核心数×2+1 / Serve the app with gunicorn, (2 × cores) + 1 workers"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="工作进程数，默认为 CPU 核心数×2+1"
        )
        parser.add_argument(
            "--threads", type=int, default=DEFAULT_THREADS, help="每个工作进程的线程数，默认 4"
        )
        parser.add_argument("--no-migrate", action="store_true", help="不自动执行数据库迁移")

    def handle(self, *args, host, port, workers, threads, no_migrate, **options):
        from django.db import connections

        from gandang.wsgi import application

        if not no_migrate:
            with locks.waiting("migrate"):  # servers on several machines started at once: one at a time
                call_command("migrate", interactive=False, verbosity=0)
        connections.close_all()  # the workers open their own after the fork
        self.stdout.write(
            f"敢当 serving http://{host}:{port}/  ({workers} 个工作进程 × {threads} 线程; data: {settings.DATA_DIR})"
        )
        self.stdout.flush()
        run_server(application, host=host, port=port, workers=max(1, workers), threads=max(1, threads))
