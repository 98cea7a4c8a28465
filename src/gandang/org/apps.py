from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "gandang.org"
    verbose_name = _("单位与人员")

    def ready(self) -> None:
        from gandang.org import demo

        demo.register()  # its part of the demo city (gandang demo)
