from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "gandang.assessment"
    verbose_name = _("年度考核")

    def ready(self) -> None:
        from gandang.assessment import demo

        demo.register()  # its part of the demo city (gandang demo)
