from django.http import HttpResponse
from django.shortcuts import render

from gandang.city.workbench import workbench
from gandang.org.types import AuthedHttpRequest


def home(request: AuthedHttpRequest) -> HttpResponse:
    """The workbench: what this user should look at first."""
    return render(request, "city/home.html", workbench(request.user))
