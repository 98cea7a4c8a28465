"""Sign-in by username regardless of letter case: "Office", "office" and "OFFICE" are one account."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class CaseInsensitiveModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        matches = list(User._default_manager.filter(username__iexact=username)[:2])
        if len(matches) != 1:
            # None (or, before the case-insensitive constraint, an ambiguous name): run the hasher
            # once anyway, so a wrong name takes as long as a wrong password.
            User().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in person on each request, with their unit, which every page's header names (read
        in the same query)."""
        User = get_user_model()
        try:
            user = User._default_manager.select_related("unit").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
