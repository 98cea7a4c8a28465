"""How much does `gandang serve` gain from a second worker process? 8 clients, 1 worker against 2.

    .venv/bin/python bench/serve_bench.py [--seconds 15] [--clients 8] [--url /ledger/]

Builds the demo city in a fresh data dir (`gandang demo --no-serve`), then for 1 and for 2 worker
processes (8 threads each) starts `gandang serve`, signs each client in as a unit liaison (no second
factor) and has the clients fetch the page as fast as they can for the given time. Prints the requests
per second of each, and the ratio 2 workers / 1 worker: with two cores a ratio well above 1 means the
second core is used (one process runs one core's worth of Python at a time).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GANDANG = str(Path(sys.executable).parent / "gandang")
USER, PASSWORD = "liaison_fgw", "Gandang@2023"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _signed_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.addheaders = [("Referer", base + "/login/")]
    opener.open(base + "/login/", data.encode()).read()
    return opener


def _wait(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz").read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def measure(env: dict[str, str], workers: int, clients: int, seconds: float, url: str) -> float:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [GANDANG, "serve", "--port", str(port), "--workers", str(workers), "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(base)
        openers = [_signed_in(base) for _ in range(clients)]
        for o in openers:  # warm every worker's caches
            o.open(base + url).read()
        counts = [0] * clients
        stop = time.monotonic() + seconds

        def client(n: int) -> None:
            while time.monotonic() < stop:
                with openers[n].open(base + url) as r:
                    r.read()
                    assert r.status == 200, r.status
                counts[n] += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(counts) / (time.monotonic() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--url", default="/ledger/")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="gandang-serve-bench-")
    env = {**os.environ, "GANDANG_DATA_DIR": data}
    env.pop("DATABASE_URL", None)
    subprocess.run([GANDANG, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"cores: {os.cpu_count()}, {args.clients} clients, GET {args.url} for {args.seconds:.0f} s each")
    one = measure(env, 1, args.clients, args.seconds, args.url)
    print(f"1 worker : {one:7.1f} requests/s")
    two = measure(env, 2, args.clients, args.seconds, args.url)
    print(f"2 workers: {two:7.1f} requests/s")
    print(f"ratio 2 workers / 1 worker: {two / one:.2f}")


if __name__ == "__main__":
    main()
