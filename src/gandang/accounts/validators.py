"""Password rules beyond Django's own validators (length, similarity to the username, common and
all-digit passwords): at least three of the four character classes, and none of the last five."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CharacterClassesValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号四类中的至少%(n)d类。") % {"n": self.min_classes}


class PasswordHistoryValidator:
    """Not the current password, nor any of the `count` passwords before it."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def _recent(self, user) -> list[str]:
        from gandang.accounts.models import PasswordHistory

        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]
        )
        return [user.password, *hashes] if user.password else hashes

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        if any(check_password(password, h) for h in self._recent(user)):
            raise ValidationError(
                ngettext(
                    "不能使用最近%(n)d次用过的密码。",
                    "不能使用最近%(n)d次用过的密码。",
                    self.count,
                )
                % {"n": self.count},
                code="password_reused",
            )

    def password_changed(self, password: str, user=None) -> None:
        """Called by Django whenever a password is set and saved: remember its hash, keep the last few."""
        if user is None or not user.pk or not user.password:
            return
        from gandang.accounts import policy
        from gandang.accounts.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: self.count]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
        # Set by its owner; an administrator's setting marks it afterwards (accounts.forms).
        policy.password_set(user, by_admin=False)

    def get_help_text(self) -> str:
        return _("不能使用最近%(n)d次用过的密码。") % {"n": self.count}
