from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "gandang.bulletins"
    verbose_name = _("通报与驾驶舱")

    def ready(self) -> None:
        from django.urls import reverse

        from gandang.bulletins import access, completed, lagging
        from gandang.core import records, registry

        completed.register()  # the ledger list's filter of a quarter's completed items (查看全部)
        lagging.register()  # the ledger list's filter of a period's lagging items (查看全部 in a bulletin)
        # A bulletin is a record others may annotate (a city leader's 批示: gandang.core.records).
        records.record(
            records.Record(
                key="bulletins.bulletin",
                label=_("季度通报"),
                gate=lambda user, pk: access.get_bulletin_for_user(user, pk),
                title=lambda b: str(b),
                url=lambda pk: reverse("bulletins:detail", args=[pk]),
            )
        )
        # Its part of the demo city (gandang demo), imported only when the demo is built.
        # After the reports, listings and achievements its quarters sum up.
        registry.demo_step(registry.DemoStep("bulletins.issued", 50, "gandang.bulletins.demo.build_step"))
        # The fact sheet of the year's press conference, after the leaders' instructions it cites (60).
        registry.demo_step(
            registry.DemoStep("bulletins.factsheet", 70, "gandang.bulletins.factsheet_demo.build_step")
        )
