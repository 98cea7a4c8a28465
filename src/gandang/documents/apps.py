from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "gandang.documents"
    verbose_name = _("公文")

    def ready(self) -> None:
        from gandang.documents import demo

        demo.register()  # its part of the demo city (gandang demo)
