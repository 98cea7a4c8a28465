"""What the benches share: the project's source on sys.path, Django set up on a fresh database, timing.

The benches run as `python bench/NAME.py`, so this folder is on sys.path and they `import common`
before anything of Gandang's.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

T = TypeVar("T")


def fresh_data_dir(prefix: str) -> Path:
    """A new data directory (so a new SQLite database) inside GANDANG_DATA_DIR, or inside a new temporary
    directory when it is unset, made GANDANG_DATA_DIR for the rest of the run."""
    base = os.environ.get("GANDANG_DATA_DIR") or tempfile.mkdtemp()
    Path(base).mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    os.environ["GANDANG_DATA_DIR"] = str(data_dir)
    return data_dir


def setup_django(*, migrate: bool = True, **defaults: str) -> None:
    """Django with Gandang's settings, its database migrated (unless `migrate` is false). `defaults` are
    environment variables the settings read, set unless the caller's environment has them
    (GANDANG_TODAY="2023-12-05")."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gandang.settings")
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def timed(fn: Callable[[], T], clock: Callable[[], float] = time.perf_counter) -> tuple[float, T]:
    """Seconds one call of `fn` took by `clock` (the wall clock unless told), and what it returned."""
    start = clock()
    value = fn()
    return clock() - start, value


def median_time(
    fn: Callable[[], object],
    runs: int = 5,
    *,
    warm_up: bool = False,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Median seconds of `runs` calls of `fn`, after one untimed call if `warm_up` (templates, content
    types, the database's own caches). `clock=time.process_time` counts this process's CPU alone: for
    work done wholly in this process (SQLite is), what other work on the machine does not move."""
    if warm_up:
        fn()
    return statistics.median(timed(fn, clock)[0] for _ in range(runs))
