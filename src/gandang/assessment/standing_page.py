"""The standing's summary on the public showcase (“敢当”经验专栏), a page of the achievements app a layer
below, which asks for panels by its own key (gandang.core.records) and knows none of them."""

from __future__ import annotations

from gandang.assessment import standing_selectors
from gandang.core import records

SHOWCASE = "achievements.showcase"


def _summary(request, key: str, obj) -> dict | None:
    return standing_selectors.showcase_summary()


def register() -> None:
    records.record_panel(
        records.RecordPanel(
            "assessment.standing_summary",
            50,
            "assessment/_standing_showcase.html",
            _summary,
            keys=frozenset({SHOWCASE}),
        )
    )
