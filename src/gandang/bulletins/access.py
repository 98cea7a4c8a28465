"""Who may see the city-wide figures (驾驶舱) and the quarterly bulletins (季通报)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.bulletins.models import Bulletin, FactSheet
from gandang.org.models import User


def require_city_view(user: User) -> None:
    """The office, leaders and observers see the whole city; a unit's members get 403."""
    if not (user.is_authenticated and user.is_active and user.sees_all_units):
        raise PermissionDenied(_("驾驶舱仅向改革办、市级领导和观察员开放"))


def bulletins_visible_to(user: User) -> QuerySet[Bulletin]:
    """Issued bulletins are for every signed-in role; drafts are the office's working papers."""
    qs = Bulletin.objects.select_related("corrects", "issued_by", "created_by")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_office:
        return qs
    return qs.filter(state=Bulletin.State.ISSUED)


def get_bulletin_for_user(user: User, pk: int | str, *, write: bool = False) -> Bulletin:
    """The bulletin `pk` if `user` may read it (404 otherwise, the same as a missing one); 403 if `write` is refused."""
    try:
        bulletin = bulletins_visible_to(user).get(pk=pk)
    except (Bulletin.DoesNotExist, ValueError, TypeError):
        raise Http404(_("没有找到该通报")) from None
    if write and not user.is_office:
        raise PermissionDenied(_("只有改革办可以起草和印发通报"))
    return bulletin


def require_factsheet_read(user: User) -> None:
    """The press-conference fact sheets are the office's working papers, which city leaders may read."""
    if not (user.is_authenticated and user.is_active and (user.is_office or user.role == User.Role.LEADER)):
        raise PermissionDenied(_("发布会材料仅向改革办和市级领导开放"))


def get_factsheet_for_user(user: User, pk: int | str, *, write: bool = False) -> FactSheet:
    """The fact sheet `pk` if `user` may read it (403 for other roles, 404 if missing); 403 if `write` is refused."""
    require_factsheet_read(user)
    try:
        sheet = FactSheet.objects.select_related("created_by").get(pk=pk)
    except (FactSheet.DoesNotExist, ValueError, TypeError):
        raise Http404(_("没有找到该发布会材料")) from None
    if write and not user.is_office:
        raise PermissionDenied(_("只有改革办可以编辑发布会材料"))
    return sheet
