from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from gandang.org.models import User


class AuthedHttpRequest(HttpRequest):
    """A request past the login gate (LoginRequiredMiddleware), as views see it."""

    user: User
    htmx: HtmxDetails
