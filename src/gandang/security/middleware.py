"""One middleware for what is seen in responses: permission denials and downloads of official files.

- A 403 is a denial, always (a page, the API, the admin's gate, a refused CSRF token).
- A 404 is a denial when a signed-in person asked for a record by its id (a view taking an id in the
  path): the product answers "missing" and "not yours" alike, so the log keeps both.
- A response sent as a file (Content-Disposition: attachment) to a signed-in person is an export or
  a download: ledger, achievements and assessment workbooks, letters, bulletins and notices, the
  attachments of reports, rectifications and experiences, and whatever download comes next.

It sits last in MIDDLEWARE, nearest the views, and also makes the request known to events recorded
from signals during it (gandang.security.context).
"""

from __future__ import annotations

from email.message import Message

from django.http import HttpRequest, HttpResponse

from gandang.security import context
from gandang.security.services import Kind, Outcome, record_event


def _filename(disposition: str) -> str:
    message = Message()
    message["content-disposition"] = disposition
    return message.get_filename() or ""


def _where(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return request.path
    args = [str(a) for a in match.args] + [f"{k}={v}" for k, v in match.kwargs.items()]
    return f"{match.view_name} {' '.join(args)}".strip()


def _asks_for_a_record(request: HttpRequest) -> bool:
    match = request.resolver_match
    values = [*(match.args if match else ()), *(match.kwargs.values() if match else ())]
    return any(str(v).isdigit() for v in values)


class SecurityEventMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.serving(request)
        try:
            response = self.get_response(request)
        finally:
            context.done(token)
        self._record(request, response)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        status = response.status_code
        detail = {"method": request.method, "path": request.path[:500], "status": status}
        if status == 403 or (status == 404 and signed_in and _asks_for_a_record(request)):
            record_event(
                kind=Kind.ACCESS_DENIED,
                outcome=Outcome.DENIED,
                request=request,
                object_text=_where(request),
                detail=detail,
            )
        elif status == 200 and signed_in and response.get("Content-Disposition", "").startswith("attachment"):
            name = _filename(response["Content-Disposition"])
            match = request.resolver_match
            own = match is not None and match.namespace == "security"  # the security log itself
            record_event(
                kind=Kind.AUDIT_EXPORT if own else Kind.EXPORT,
                request=request,
                object_text=f"{_where(request)} {name}",
                detail=detail | {"file": name, "query": request.META.get("QUERY_STRING", "")[:1000]},
            )
