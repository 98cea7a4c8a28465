"""Reform information in gandang.core.records: a piece is a record others annotate (a city leader's 批示 on it,
through matters' panel), and information's panel on an experience's page names the piece it was raised
from, for whoever may read that piece (achievements sits below information and cannot link back itself;
the piece's page links to its experience)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gandang.core import records
from gandang.information.access import get_piece_for_user, pieces_visible_to


def _source(request, key: str, obj) -> dict | None:
    piece = pieces_visible_to(request.user).select_related("unit").filter(experience_id=obj.pk).first()
    return {"piece": piece} if piece is not None else None


def register() -> None:
    # A piece of information is a record others annotate: a city leader's 批示 on it (matters' panel).
    records.record(
        records.Record(
            key="information.piece",
            label=_("改革信息"),
            gate=lambda user, pk: get_piece_for_user(user, pk),
            title=lambda p: gettext("改革信息：%(title)s") % {"title": p.title},
            url=lambda pk: reverse("information:piece_detail", args=[pk]),
            unit=lambda p: p.unit,
        )
    )
    records.record_panel(
        records.RecordPanel(
            "information.source",
            40,
            "information/_experience_panel.html",
            _source,
            keys=frozenset({"achievements.experience"}),
        )
    )
