from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "gandang.bulletins"
    verbose_name = _("通报与驾驶舱")

    def ready(self) -> None:
        from gandang.bulletins import completed, lagging
        from gandang.core import registry

        completed.register()  # the ledger list's filter of a quarter's completed items (查看全部)
        lagging.register()  # the ledger list's filter of a period's lagging items (查看全部 in a bulletin)
        # Its part of the demo city (gandang demo), imported only when the demo is built.
        # After the reports, listings and achievements its quarters sum up.
        registry.demo_step(registry.DemoStep("bulletins.issued", 50, "gandang.bulletins.demo.build_step"))
