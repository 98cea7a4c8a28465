from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "gandang.supervision"
    verbose_name = _("挂牌督办")

    def ready(self) -> None:
        from gandang.core import registry
        from gandang.supervision import calendar, item_page

        calendar.register()  # its steps in the city's calendar (gandang tick)
        item_page.register()  # its parts of the ledger's item page and list
        # Its part of the demo city (gandang demo), imported only when the demo is built.
        # After the reports (20s), whose red lights and missing reports it lists.
        registry.demo_step(
            registry.DemoStep("supervision.listings", 30, "gandang.supervision.demo.build_step")
        )
