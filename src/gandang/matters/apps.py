from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "gandang.matters"
    verbose_name = _("批示督办")

    def ready(self) -> None:
        from gandang.core import registry
        from gandang.matters import calendar, item_page, record_page

        calendar.register()  # its step in the city's calendar (gandang tick)
        item_page.register()  # its panel on the ledger's item page
        from gandang.matters import meeting_item_page

        meeting_item_page.register()  # the meeting decision an item was made from
        record_page.register()  # its panel on the pages of reports, listings, bulletins, experiences
        # Its part of the demo city, after the ledger, reports and achievements it refers to.
        registry.demo_step(registry.DemoStep("matters.instructions", 60, "gandang.matters.demo.build_step"))
        # Its reform-committee meetings, after the instructions (their matters' numbering stays as it was).
        registry.demo_step(
            registry.DemoStep("matters.meetings", 61, "gandang.matters.meeting_demo.build_step")
        )
        # The consultation (协商座谈): a session and its suggestions at every stage.
        registry.demo_step(
            registry.DemoStep("matters.consultation", 62, "gandang.matters.consult_demo.build_step")
        )
