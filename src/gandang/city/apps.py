from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityConfig(AppConfig):
    """The orchestration layer: the city's calendar and the workbench, above every app they drive."""

    name = "gandang.city"
    verbose_name = _("城市调度")
