"""The account rules in one place: password age and forced changes, idle and absolute session limits.

All settings come from settings.py (GANDANG_PASSWORD_*, GANDANG_SESSION_*); times are real time.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gandang.accounts.models import AccountState


def state_for(user) -> AccountState:
    """The account's state, created on first use (an account made before these rules starts now)."""
    state, _created = AccountState.objects.get_or_create(user=user)
    return state


def change_reason(user) -> str | None:
    """Why this person must change their password before anything else; None when they need not."""
    state = state_for(user)
    if state.must_change_password:
        return _("为保障账号安全，首次登录或管理员重置密码后须先修改密码。")
    max_age = settings.GANDANG_PASSWORD_MAX_AGE_DAYS
    if max_age and timezone.now() - state.password_changed_at > timedelta(days=max_age):
        return _("您的密码已使用超过%(n)d天，请修改后继续使用。") % {"n": max_age}
    return None


def password_set(user, *, by_admin: bool) -> None:
    """Record that the account's password was just set; one set by an administrator must be changed
    by its owner at the next sign-in."""
    state = state_for(user)
    state.password_changed_at = timezone.now()
    state.must_change_password = by_admin
    state.save(update_fields=["password_changed_at", "must_change_password"])


def idle_seconds(user) -> int:
    """How long a session may sit unused before it ends."""
    if getattr(user, "is_admin_role", False):  # system, security, audit administrators
        return settings.GANDANG_SESSION_IDLE_MINUTES_ADMIN * 60
    return settings.GANDANG_SESSION_IDLE_MINUTES * 60


def refresh_seconds(user) -> int:
    """How often a busy session is written, to note that it is still in use and slide its expiry: a
    tenth of the shorter of its idle limit and the stored session's lifetime (at least 30 s). So a page
    view costs no write, and an idle limit is measured to within a tenth of itself."""
    return max(30, min(idle_seconds(user), settings.SESSION_COOKIE_AGE) // 10)


def absolute_seconds() -> int:
    """How long a session may last from sign-in, however busy."""
    return settings.GANDANG_SESSION_ABSOLUTE_HOURS * 3600


# The business sections (their URL namespaces): the reform office's, units' and leaders' work.
BUSINESS_NAMESPACES = frozenset(
    {
        "ledger",
        "dispatch",
        "supervision",
        "matters",
        "bulletins",
        "assessment",
        "achievements",
        "information",
        "api",
    }
)


def is_business(match) -> bool:
    """Whether a resolved URL is one of the business sections."""
    return match is not None and bool(set(match.namespaces) & BUSINESS_NAMESPACES)


# What a reader of a "两办两研" partner unit (User.Role.PARTNER) may open among the business sections: the
# issued periodical, issued bulletins and adopted information, and where their unit used a piece. Each
# page's own gate narrows what it shows (information.access, bulletins.access); every other business page
# is refused before its view runs, so a page added later is closed to partners until it is named here.
PARTNER_PAGES = frozenset(
    {
        "information:piece_list",
        "information:piece_detail",
        "information:photo_download",
        "information:issue_list",
        "information:issue_detail",
        "information:issue_download",
        "information:use_list",
        "information:use_record",
        "information:use_withdraw",
        "bulletins:list",
        "bulletins:detail",
        "bulletins:download",
        "api:list_pieces",
        "api:get_piece",
        "api:list_periodical_issues",
        "api:get_periodical_issue",
        "api:list_partner_uses",
    }
)


def partner_refused(match) -> bool:
    """Whether a partner's reader is refused this resolved URL: a business page not in PARTNER_PAGES."""
    return is_business(match) and match.view_name not in PARTNER_PAGES
