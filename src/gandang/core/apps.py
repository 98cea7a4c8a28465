from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gandang.core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from gandang.core import admin_captions, limits, lookups, stamps

        stamps.connect()
        limits.connect()
        lookups.register()
        admin_captions.install()
