"""Server-Timing: off by default (it tells whoever reads it how long each page takes); when on, every
answer says what it cost the server, which bench/burst_bench.py sets beside what the client waited."""

import re

from django.conf import settings
from django.test import override_settings

TIMING = re.compile(r"^app;dur=([\d.]+), cpu;dur=([\d.]+), db;dur=([\d.]+)$")


def test_no_server_timing_by_default(login, city):
    assert "Server-Timing" not in login(city.users["office"]).get("/ledger/").headers


def test_when_on_every_answer_says_what_it_cost(login, city):
    client = login(city.users["office"])
    with override_settings(
        MIDDLEWARE=["gandang.core.middleware.ServerTimingMiddleware", *settings.MIDDLEWARE]
    ):
        for path in ("/ledger/", "/api/ledger/items", "/no-such-page/"):
            app, cpu, db = map(float, TIMING.match(client.get(path).headers["Server-Timing"]).groups())
            assert app > 0 and cpu <= app + 1 and db <= app
        # The ledger list reads the database; its time is counted.
        assert float(TIMING.match(client.get("/ledger/").headers["Server-Timing"]).group(3)) > 0
