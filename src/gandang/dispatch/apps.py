from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "gandang.dispatch"
    verbose_name = _("月调度")

    def ready(self) -> None:
        from gandang.dispatch import calendar, demo, item_page

        calendar.register()  # its steps in the city's calendar (gandang tick)
        demo.register()  # its part of the demo city (gandang demo)
        item_page.register()  # its parts of the ledger's item page and list
