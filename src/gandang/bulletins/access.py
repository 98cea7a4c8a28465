"""Who may see the city-wide figures (驾驶舱, and later the bulletin)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gandang.org.models import User


def require_city_view(user: User) -> None:
    """The office, leaders and observers see the whole city; a unit's members get 403."""
    if not (user.is_authenticated and user.is_active and user.sees_all_units):
        raise PermissionDenied(_("驾驶舱仅向改革办、市级领导和观察员开放"))
