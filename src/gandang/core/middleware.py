import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Chinese unless the user chose another language (the language cookie set by the switcher).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: an office PC
    with an English browser still gets the Chinese product its colleagues see.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()  # a server thread must not carry this user's language to the next
        response.headers.setdefault("Content-Language", lang)
        return response


class NulQueryMiddleware:
    """A path or query string holding a NUL byte is answered 400 before any view reads it.

    No link or form of the product puts one there, and PostgreSQL refuses NUL in any text it is
    given, so every filter passing the value on (a report state, the admin's list filters, a
    search) would fail with a server error. Posted forms are left to their fields, which refuse
    NUL with a message next to the field and keep the rest of what was typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _nul_in(request.GET):
            message = _("链接中含有无效字符，请检查后重试")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            raise BadRequest(message)
        return self.get_response(request)


def _nul_in(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


class ServerTimingMiddleware:
    """With GANDANG_SERVER_TIMING=1, every answer says what it cost the server, in a Server-Timing header
    (shown by the browser's developer tools, read by bench/burst_bench.py): `app` the time from this
    middleware's start to its end, `cpu` the thread's CPU time in it, `db` the time spent waiting for
    the database. Under load, what the client waited beyond `app` was spent queued before the
    application (in the socket's backlog or for a free worker thread); `app` beyond `cpu` + `db` is
    time the thread waited for the interpreter (another thread of the same worker running Python).
    Off by default: the header tells whoever reads it how long each page takes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        db = [0.0]

        def timed(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                db[0] += time.perf_counter() - start

        start, cpu = time.perf_counter(), time.thread_time()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        app, cpu = time.perf_counter() - start, time.thread_time() - cpu
        response.headers["Server-Timing"] = (
            f"app;dur={app * 1000:.1f}, cpu;dur={cpu * 1000:.1f}, db;dur={db[0] * 1000:.1f}"
        )
        return response
