from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "gandang.bulletins"
    verbose_name = _("通报与驾驶舱")

    def ready(self) -> None:
        from gandang.bulletins import demo

        demo.register()  # its part of the demo city (gandang demo)
