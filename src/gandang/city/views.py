from django.http import HttpResponse
from django.shortcuts import redirect, render

from gandang.city.workbench import workbench
from gandang.org.types import AuthedHttpRequest


def home(request: AuthedHttpRequest) -> HttpResponse:
    """The workbench: what this user should look at first. A reader of a 两办两研 partner has no work here:
    the office's periodical is what they come for."""
    if request.user.is_partner:
        return redirect("information:issue_list")
    return render(request, "city/home.html", workbench(request.user))
