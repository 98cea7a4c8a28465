from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gandang.notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from gandang.notifications import calendar

        calendar.register()  # sends what the calendar's other steps queued
