from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "gandang.supervision"
    verbose_name = _("挂牌督办")

    def ready(self) -> None:
        from gandang.supervision import calendar, demo, item_page

        calendar.register()  # its steps in the city's calendar (gandang tick)
        demo.register()  # its part of the demo city (gandang demo)
        item_page.register()  # its parts of the ledger's item page and list
