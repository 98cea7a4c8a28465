from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "gandang.achievements"
    verbose_name = _("改革成果")

    def ready(self) -> None:
        from gandang.achievements import demo

        demo.register()  # its part of the demo city (gandang demo)
