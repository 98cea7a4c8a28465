from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gandang.core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from gandang.core import admin_captions, crypto, limits, lookups, stamps

        crypto.keyring()  # a malformed key fails at start, and the key file is made on first start
        stamps.connect()
        limits.connect()
        lookups.register()
        admin_captions.install()
