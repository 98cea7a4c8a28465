"""The one gate to listings, their letters and rectification reports."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.org.access import deny_unless_office as require_office  # the pages' one office check
from gandang.org.models import User
from gandang.supervision.models import Letter, Listing, Proposal, RectificationAttachment


def listings_visible_to(user: User) -> QuerySet[Listing]:
    """All listings for city-wide roles; a unit sees the listings addressed to it (it is the letters' recipient)."""
    qs = Listing.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        return qs
    if user.is_unit_member and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def get_listing_for_user(user: User, pk: int) -> Listing:
    try:
        return listings_visible_to(user).select_related("item", "unit", "listed_by", "proposal").get(pk=pk)
    except Listing.DoesNotExist:
        raise Http404(_("没有找到该督办事项")) from None


def get_letter_for_user(user: User, pk: int) -> Letter:
    try:
        return Letter.objects.select_related("listing").get(pk=pk, listing__in=listings_visible_to(user))
    except Letter.DoesNotExist:
        raise Http404(_("没有找到该文书")) from None


def get_attachment_for_user(user: User, pk: int) -> RectificationAttachment:
    try:
        return RectificationAttachment.objects.select_related("rectification__listing").get(
            pk=pk, rectification__listing__in=listings_visible_to(user)
        )
    except RectificationAttachment.DoesNotExist:
        raise Http404(_("没有找到该附件")) from None


def get_proposal(user: User, pk: int) -> Proposal:
    require_office(user)
    try:
        return Proposal.objects.select_related("item", "period").get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404(_("没有找到该挂牌建议")) from None
