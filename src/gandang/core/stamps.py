"""Stamps that Django itself writes, taken from the product's clock (`clock.now`).

Django stamps admin history entries (LogEntry.action_time) and a user's last login with the
machine's clock; on a pinned demo calendar they would read as the real date in /manage/. Model
fields of our own use `fields.StampField` instead.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_save

from gandang.core import clock


def _log_entry_at_product_time(sender, instance: LogEntry, **kwargs) -> None:
    if instance._state.adding:
        instance.action_time = clock.now()


def _last_login_at_product_time(sender, user, **kwargs) -> None:
    user.last_login = clock.now()
    user.save(update_fields=["last_login"])


def connect() -> None:
    pre_save.connect(_log_entry_at_product_time, sender=LogEntry, dispatch_uid="gandang_log_entry_time")
    # Django's own receiver (django.contrib.auth.models.update_last_login) uses timezone.now.
    if hasattr(get_user_model(), "last_login"):
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(_last_login_at_product_time, dispatch_uid="gandang_update_last_login")
