from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "gandang.ledger"
    verbose_name = _("改革台账")

    def ready(self) -> None:
        from gandang.ledger import demo

        demo.register()  # its part of the demo city (gandang demo)
