from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "gandang.achievements"
    verbose_name = _("改革成果")

    def ready(self) -> None:
        from gandang.core import registry

        # Its part of the demo city (gandang demo), imported only when the demo is built.
        registry.demo_step(
            registry.DemoStep("achievements.records", 40, "gandang.achievements.demo.build_step")
        )
