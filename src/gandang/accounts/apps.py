from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gandang.accounts"
    verbose_name = _("账号安全")

    def ready(self) -> None:
        from gandang.accounts import signals  # noqa: F401  (connects the sign-in handlers)
