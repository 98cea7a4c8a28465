import io

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from gandang.core.paging import query_without_page
from gandang.org.types import AuthedHttpRequest
from gandang.security import exports, protection, selectors, services
from gandang.security.access import require_security_log_reader
from gandang.security.forms import EventFilterForm


@require_GET
def event_list(request: AuthedHttpRequest) -> HttpResponse:
    """The security log, read-only: filters, the newest first, and the state of its protection."""
    require_security_log_reader(request.user)
    verdict = None
    if request.GET.get("verify"):  # the whole chain is read: only when asked, and the check is recorded
        verdict = services.verify()
        services.record_event(
            kind=services.Kind.AUDIT_VERIFY,
            outcome=services.Outcome.SUCCESS if verdict.ok else services.Outcome.FAILURE,
            request=request,
            detail={"ok": verdict.ok, "count": verdict.count, "problem": verdict.problem},
        )
    form = EventFilterForm(request.GET or None)
    events = selectors.events(**form.filters()) if form.is_bound else selectors.events()
    page = Paginator(events, settings.GANDANG_PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "form": form,
        "page": page,
        "query": query_without_page(request, drop=("verify",)),  # turning a page does not verify again
        "head": selectors.head(),
        "missing_triggers": protection.missing_triggers(),
        "verdict": verdict,
    }
    return render(request, "security/event_list.html", ctx)


@require_GET
def event_export(request: AuthedHttpRequest) -> HttpResponse:
    """The filtered log as CSV (the download itself is recorded, as every download is)."""
    require_security_log_reader(request.user)
    form = EventFilterForm(request.GET or None)
    events = selectors.events(**form.filters()) if form.is_bound else selectors.events()
    out = io.StringIO()
    exports.write_csv(events.order_by("seq").iterator(chunk_size=2000), out)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"安全审计日志-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
    return response
