from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from gandang.notifications import selectors, services
from gandang.notifications.access import get_notification_for_user
from gandang.notifications.forms import PreferencesForm
from gandang.org.types import AuthedHttpRequest


def notification_list(request: AuthedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), settings.GANDANG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notification_open(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go where it points (only ever to a page of this site)."""
    notification = get_notification_for_user(request.user, pk)
    services.notification_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
def notifications_read_all(request: AuthedHttpRequest) -> HttpResponse:
    n = services.notifications_read_all(user=request.user)
    if n:
        messages.success(
            request, ngettext("已将%(n)d条通知标为已读", "已将%(n)d条通知标为已读", n) % {"n": n}
        )
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    initial = {"email": user.email, "notify_email": user.notify_email, "notify_webhook": user.notify_webhook}
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        services.preferences_set(user=user, **form.cleaned_data)
        messages.success(request, _("通知设置已保存"))
        return redirect("notifications:settings")
    ctx = {
        "form": form,
        "email_enabled": services.email_enabled(),
        "webhook_enabled": services.webhook_enabled(),
    }
    return render(request, "notifications/settings.html", ctx)
