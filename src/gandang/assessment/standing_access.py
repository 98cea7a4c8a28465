"""The one gate to the monthly standings (月度晾晒).

A computed standing is the office's working paper: everyone else gets the 404 of a missing one. A
published standing's table is for every signed-in role (晾晒: the units see where they all stand);
each unit's explained line, with the records behind its points, is for the city-wide roles and for
that unit's own members: another unit's line is the same 404 as a missing one.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.assessment.access import can_see_unit, require_office
from gandang.assessment.standing_models import Standing, StandingResult
from gandang.org.models import User


def standings_visible_to(user: User) -> QuerySet[Standing]:
    qs = Standing.objects.all()
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_office:
        return qs
    return qs.filter(state=Standing.State.PUBLISHED)


def get_standing_for_user(user: User, pk: int | str, *, write: bool = False) -> Standing:
    """The standing `pk` if `user` may read it (404 otherwise); 403 if `write` is refused."""
    try:
        standing = standings_visible_to(user).select_related("period", "scheme").get(pk=pk)
    except (Standing.DoesNotExist, ValueError, TypeError):
        raise Http404(_("没有找到该月晾晒")) from None
    if write:
        require_office(user)
    return standing


def get_standing_result_for_user(user: User, pk: int | str, unit_pk: int | str) -> StandingResult:
    """A unit's line in a standing: the same 404 for another unit's line as for a missing one."""
    standing = get_standing_for_user(user, pk)
    try:
        result = StandingResult.objects.select_related("unit").get(standing=standing, unit_id=unit_pk)
    except (StandingResult.DoesNotExist, ValueError, TypeError):
        raise Http404(_("没有找到该单位的晾晒结果")) from None
    if not can_see_unit(user, result.unit_id):
        raise Http404(_("没有找到该单位的晾晒结果"))
    result.standing = standing
    return result
