from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "gandang.information"
    verbose_name = _("改革信息")

    def ready(self) -> None:
        from gandang.core import registry
        from gandang.information import record_page

        record_page.register()  # an experience raised from a piece names its piece
        # A year of the demo city's information and its periodical, after the achievements it raises into.
        registry.demo_step(registry.DemoStep("information.pieces", 65, "gandang.information.demo.build_step"))
