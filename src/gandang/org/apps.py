from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "gandang.org"
    verbose_name = _("单位与人员")

    def ready(self) -> None:
        from gandang.core import registry

        # Its part of the demo city (gandang demo), imported only when the demo is built.
        registry.demo_step(registry.DemoStep("org.city", 10, "gandang.org.demo.build"))
