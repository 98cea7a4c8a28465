"""How long the security log is kept: at least 180 days (等保 2.0 and 网络安全法 第二十一条: six months)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MINIMUM_DAYS = 180


def days() -> int:
    return int(getattr(settings, "GANDANG_SECURITY_RETENTION_DAYS", MINIMUM_DAYS))


def check_setting() -> None:
    """Refuse to start with a retention below the minimum (called when the app loads)."""
    if days() < MINIMUM_DAYS:
        raise ImproperlyConfigured(
            f"GANDANG_SECURITY_RETENTION_DAYS={days()}: 安全审计日志至少保留 {MINIMUM_DAYS} 天"
            f"（等保2.0三级），请设为 {MINIMUM_DAYS} 或更大 "
            f"(security events must be kept at least {MINIMUM_DAYS} days)."
        )
