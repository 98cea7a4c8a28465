"""The one gate to reform information and the periodical: what each role reads.

A unit's members read their own unit's pieces, at every stage. City-wide roles (office, leaders,
observers) read the pieces that have reached the office (a draft is the unit's own). A reader of a
"两办两研" partner unit reads adopted pieces only, and records where its unit used them (PartnerUse).
Issued issues of the periodical are read by every signed-in role; an issue being edited by the office
alone. Anything else is the same 404 as a missing record.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.information.models import Issue, PartnerUse, Piece, PiecePhoto
from gandang.org.access import deny_unless_office as require_office  # noqa: F401 (the pages' office check)
from gandang.org.models import User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def pieces_visible_to(user: User) -> QuerySet[Piece]:
    """A unit's own pieces for its members; those sent to the office for city-wide roles."""
    qs = Piece.objects.all()
    if not _active(user):
        return qs.none()
    if user.sees_all_units:
        return qs.filter(submitted_at__isnull=False)
    if user.is_unit_member and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    if user.is_partner and user.unit_id:
        return qs.filter(state=Piece.State.ADOPTED)
    return qs.none()


def issues_visible_to(user: User) -> QuerySet[Issue]:
    """Issued issues for every signed-in business role; drafts too for the office."""
    qs = Issue.objects.all()
    if not _active(user):
        return qs.none()
    if user.is_office:
        return qs
    if user.sees_all_units or user.is_unit_member or (user.is_partner and user.unit_id):
        return qs.filter(state=Issue.State.ISSUED)
    return qs.none()


def get_piece_for_user(user: User, pk: int) -> Piece:
    try:
        return pieces_visible_to(user).select_related("unit", "issue", "experience", "created_by").get(pk=pk)
    except Piece.DoesNotExist:
        raise Http404(_("没有找到该改革信息")) from None


def get_issue_for_user(user: User, pk: int) -> Issue:
    try:
        return issues_visible_to(user).get(pk=pk)
    except Issue.DoesNotExist:
        raise Http404(_("没有找到该期刊物")) from None


def get_photo_for_user(user: User, pk: int) -> PiecePhoto:
    try:
        return PiecePhoto.objects.select_related("piece").get(pk=pk, piece__in=pieces_visible_to(user))
    except PiecePhoto.DoesNotExist:
        raise Http404(_("没有找到该附件")) from None


def uses_visible_to(user: User) -> QuerySet[PartnerUse]:
    """Partners' uses of pieces: all of them for city-wide roles, a partner's own unit's for its readers,
    and those of its own pieces for a unit's members (its pieces were used). Withdrawn ones included."""
    qs = PartnerUse.objects.all()
    if not _active(user):
        return qs.none()
    if user.sees_all_units:
        return qs
    if user.is_partner and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    if user.is_unit_member and user.unit_id:
        return qs.filter(piece__unit_id=user.unit_id)
    return qs.none()


def get_use_for_user(user: User, pk: int) -> PartnerUse:
    try:
        return uses_visible_to(user).select_related("piece", "unit", "created_by").get(pk=pk)
    except PartnerUse.DoesNotExist:
        raise Http404(_("没有找到该采用记录")) from None
