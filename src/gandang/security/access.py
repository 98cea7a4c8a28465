"""Who may read the security log: the audit administrator (三权分立, 等保 8.1.5), who reads and
exports it and changes nothing. Nobody changes or deletes an entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gandang.org.models import User


def can_read_security_log(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == User.Role.AUDITADMIN)


def require_security_log_reader(user: Any) -> None:
    if not can_read_security_log(user):
        raise PermissionDenied(_("您无权查看安全审计日志"))
