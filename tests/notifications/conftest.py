import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest


@pytest.fixture
def mail_on(settings):
    """E-mail switched on, sent to Django's in-memory outbox (`mail.outbox`)."""
    settings.GANDANG_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def webhook(settings):
    """A tiny HTTP server on 127.0.0.1 standing in for a chat robot; records what it was posted.

    Set `webhook.status` to make it answer with an error.
    """

    class Hook:
        bodies: list[dict] = []
        headers: list[dict] = []
        status = 200

    hook = Hook()
    hook.bodies, hook.headers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            hook.headers.append(dict(self.headers))
            hook.bodies.append(json.loads(raw))
            self.send_response(hook.status)
            self.end_headers()
            self.wfile.write(b'{"errcode": 0}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GANDANG_WEBHOOK_URL = f"http://127.0.0.1:{server.server_address[1]}/hook"
    settings.GANDANG_BASE_URL = "https://gandang.example.gov.cn"
    yield hook
    server.shutdown()
    server.server_close()
