"""Who may read the security log. One place, so that the audit administrator role (三权分立, 8.1.5)
takes it over by changing this function alone."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gandang.org.models import User


def can_read_security_log(user: Any) -> bool:
    """Today the reform office reads the security log; nobody changes or deletes an entry."""
    return bool(user.is_authenticated and user.is_active and user.role == User.Role.OFFICE)


def require_security_log_reader(user: Any) -> None:
    if not can_read_security_log(user):
        raise PermissionDenied(_("您无权查看安全审计日志"))
