from django.http import HttpResponse
from django.shortcuts import render

from gandang.bulletins import selectors
from gandang.bulletins.access import require_city_view
from gandang.bulletins.charts import chart_data
from gandang.bulletins.forms import DashboardFilterForm
from gandang.core.types import AuthedHttpRequest


def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    require_city_view(request.user)
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    d = selectors.dashboard(request.user, plan=filters.get("plan"), period=filters.get("period"))
    ctx = {
        "form": form,
        "d": d,
        "charts": chart_data(d),
        "statuses": [(s, selectors.STATUS_LABELS[s]) for s in selectors.STATUSES],
        "timeliness_labels": selectors.TIMELINESS,
        "section": "dashboard",
    }
    return render(request, "bulletins/dashboard.html", ctx)
