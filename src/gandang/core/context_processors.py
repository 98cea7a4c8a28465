from django.conf import settings
from django.urls import resolve

from gandang.core import clock


def nav(request):
    """Site name and the current section, for the top navigation."""
    try:
        section = resolve(request.path_info).namespace or resolve(request.path_info).url_name
    except Exception:
        section = ""
    return {"site_name": settings.SITE_NAME, "section": section, "pinned_today": clock.pinned_today()}


def unsent(request):
    """A form this person posted after their session ended, to be filled in again on this page."""
    from gandang.core import unsent as kept

    found = kept.take(request) if request.method == "GET" else None
    return {"unsent": found}
