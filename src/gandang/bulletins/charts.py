"""The dashboard's figures as the JSON its charts draw (embedded with json_script, read by dashboard.js)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gandang.bulletins.selectors import STATUS_LABELS, STATUSES, TIMELINESS, Dashboard, Group
from gandang.core import numbers

COLORS = {
    "red": "#c62828",
    "yellow": "#e0a100",
    "green": "#2e7d32",
    "not_started": "#9ca3af",
    "done": "#1d4ed8",
    "on_time": "#2e7d32",
    "late": "#e0a100",
    "missing": "#c62828",
    "returned": "#7c3aed",
}


def _stacked(groups: list[Group]) -> dict[str, Any]:
    return {
        "categories": [g.label for g in groups],
        "series": [
            {
                "key": s,
                "name": str(STATUS_LABELS[s]),
                "color": COLORS[s],
                "data": [g.counts.get(s, 0) for g in groups],
                "urls": [g.status_urls.get(s) for g in groups],
            }
            for s in STATUSES
        ],
    }


def chart_data(d: Dashboard) -> dict[str, Any]:
    """Labels, numbers, colours and the ledger link of every segment; null where a segment links nowhere."""
    return {
        "status": {
            "data": [
                {
                    "key": s,
                    "name": str(STATUS_LABELS[s]),
                    "value": d.status.counts.get(s, 0),
                    # The share as the bulletin prints it (half-up), not ECharts' own rounding.
                    "share": numbers.fmt_percent(d.status.counts.get(s, 0), d.status.total),
                    "url": d.status.status_urls.get(s),
                    "color": COLORS[s],
                }
                for s in STATUSES
            ]
        },
        "area": _stacked(d.by_area),
        "unit": _stacked(d.by_unit),
        # Items no leader leads would dwarf every leader's bar: they stay in the table only.
        "leader": _stacked([g for g in d.by_leader if g.key is not None]),
        "trend": _stacked(d.trend),
        "timeliness": {
            "categories": [t.period.span_label for t in d.timeliness],
            "series": [
                {
                    "key": k,
                    "name": str(label),
                    "color": COLORS[k],
                    "data": [getattr(t, k) for t in d.timeliness],
                    "urls": [reverse("dispatch:period_detail", args=[t.period.pk]) for t in d.timeliness],
                }
                for k, label in TIMELINESS.items()
            ],
        },
    }
