"""Information's panel on an experience's page (gandang.core.records): the piece of reform information it
was raised from, for whoever may read that piece. Achievements sits below information and cannot link
back itself; the piece's page links to its experience."""

from __future__ import annotations

from gandang.core import records
from gandang.information.access import pieces_visible_to


def _source(request, key: str, obj) -> dict | None:
    piece = pieces_visible_to(request.user).select_related("unit").filter(experience_id=obj.pk).first()
    return {"piece": piece} if piece is not None else None


def register() -> None:
    records.record_panel(
        records.RecordPanel(
            "information.source",
            40,
            "information/_experience_panel.html",
            _source,
            keys=frozenset({"achievements.experience"}),
        )
    )
