from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "gandang.dispatch"
    verbose_name = _("月调度")

    def ready(self) -> None:
        from gandang.core import registry
        from gandang.dispatch import calendar, item_page

        calendar.register()  # its steps in the city's calendar (gandang tick)
        item_page.register()  # its parts of the ledger's item page and list
        # Its part of the demo city (gandang demo), imported only when the demo is built.
        # After the ledger (10s): a year of monthly reports on its items.
        registry.demo_step(registry.DemoStep("dispatch.reports", 20, "gandang.dispatch.demo.build_step"))
