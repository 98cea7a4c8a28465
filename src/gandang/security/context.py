"""The request being served, for events recorded from signals that do not pass one (an admin LogEntry
saved, a password set): their source address and acting user come from it."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

_request: ContextVar[HttpRequest | None] = ContextVar("gandang_security_request", default=None)


def current_request() -> HttpRequest | None:
    return _request.get()


def serving(request: HttpRequest):
    """Set the current request; returns the token to pass to `done`."""
    return _request.set(request)


def done(token) -> None:
    _request.reset(token)
