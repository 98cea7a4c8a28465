from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "gandang.documents"
    verbose_name = _("公文")

    def ready(self) -> None:
        from gandang.core import registry

        # Its part of the demo city (gandang demo), imported only when the demo is built.
        # Before any letter, bulletin or notice is numbered.
        registry.demo_step(registry.DemoStep("documents.settings", 12, "gandang.documents.demo.build"))
