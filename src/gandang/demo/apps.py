from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city (gandang demo): each app's demo step, run in order on an empty database."""

    name = "gandang.demo"
    verbose_name = _("演示城市")
