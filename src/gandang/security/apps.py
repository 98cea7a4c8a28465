from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "gandang.security"
    verbose_name = _("安全审计")

    def ready(self) -> None:
        from gandang.security import receivers, retention

        retention.check_setting()
        receivers.connect()
