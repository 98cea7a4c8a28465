"""The one gate to assessment records: schemes, runs, unit score sheets, objections.

Everyone signed in reads active schemes and their rules. The office, leaders and observers see
every unit's results; a unit's liaison or head sees only its own unit's sheet: another unit's
sheet is the same 404 as a missing one.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.assessment.models import Objection, Run, Scheme, UnitResult
from gandang.org.access import deny_unless_office as require_office  # the pages' one office check
from gandang.org.models import User


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def require_city_view(user: User) -> None:
    """The whole city's results: the office, leaders and observers; a unit's members get 403."""
    if not (_signed_in(user) and user.sees_all_units):
        raise PermissionDenied(_("全市考核排名仅向改革办、市级领导和观察员开放"))


def schemes_visible_to(user: User) -> QuerySet[Scheme]:
    """Drafts are the office's working papers; active schemes are for every signed-in role."""
    qs = Scheme.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_office:
        return qs
    return qs.filter(state=Scheme.State.ACTIVE)


def get_scheme_for_user(user: User, pk: int | str, *, write: bool = False) -> Scheme:
    """The scheme `pk` if `user` may read it (404 otherwise); 403 if `write` is refused."""
    try:
        scheme = schemes_visible_to(user).get(pk=pk)
    except (Scheme.DoesNotExist, ValueError, TypeError):
        raise Http404(_("没有找到该考核方案")) from None
    if write:
        require_office(user)
    return scheme


def get_run_for_user(user: User, pk: int | str, *, write: bool = False) -> Run:
    """The run `pk` of a scheme `user` may read (404 otherwise); 403 if `write` is refused."""
    try:
        run = Run.objects.select_related("scheme", "computed_by", "finalized_by").get(
            pk=pk, scheme__in=schemes_visible_to(user)
        )
    except (Run.DoesNotExist, ValueError, TypeError):
        raise Http404(_("没有找到该次考核计算")) from None
    if write:
        require_office(user)
    return run


def can_see_unit(user: User, unit_id: int) -> bool:
    return user.sees_all_units or (user.is_unit_member and user.unit_id == unit_id)


def get_result_for_user(user: User, run_pk: int | str, unit_pk: int | str) -> UnitResult:
    """A unit's result (its sheet) in a run: the same 404 for another unit's sheet as for a missing one."""
    run = get_run_for_user(user, run_pk)
    try:
        result = UnitResult.objects.select_related("unit", "run__scheme").get(run=run, unit_id=unit_pk)
    except (UnitResult.DoesNotExist, ValueError, TypeError):
        raise Http404(_("没有找到该单位的考核结果")) from None
    if not can_see_unit(user, result.unit_id):
        raise Http404(_("没有找到该单位的考核结果"))
    return result


def get_objection_for_user(user: User, pk: int | str, *, write: bool = False) -> Objection:
    """An objection: its unit's members and the city-wide roles read it; only the office answers it."""
    try:
        o = Objection.objects.select_related("run__scheme", "unit", "line", "filed_by").get(pk=pk)
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise Http404(_("没有找到该异议")) from None
    if (
        not (_signed_in(user) and can_see_unit(user, o.unit_id))
        or not schemes_visible_to(user).filter(pk=o.run.scheme_id).exists()
    ):
        raise Http404(_("没有找到该异议"))
    if write:
        require_office(user)
    return o
