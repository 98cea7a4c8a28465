from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "gandang.ledger"
    verbose_name = _("改革台账")

    def ready(self) -> None:
        from gandang.core import registry

        # Its part of the demo city (gandang demo), imported only when the demo is built.
        registry.demo_step(registry.DemoStep("ledger.plans", 11, "gandang.ledger.demo.build"))
