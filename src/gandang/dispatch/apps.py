from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "gandang.dispatch"
    verbose_name = _("月调度")

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext

        from gandang.core import records, registry
        from gandang.dispatch import access, calendar, item_page

        calendar.register()  # its steps in the city's calendar (gandang tick)
        item_page.register()  # its parts of the ledger's item page and list
        # A monthly report is a record others may annotate (a city leader's 批示: gandang.core.records).
        records.record(
            records.Record(
                key="dispatch.report",
                label=_("月度报告"),
                gate=lambda user, pk: access.get_report_for_user(user, pk),
                title=lambda r: gettext("%(report)s 月度报告") % {"report": r},
                url=lambda pk: reverse("dispatch:report_detail", args=[pk]),
                unit=lambda r: r.unit,
                items=lambda r: [r.item],
            )
        )
        # Its part of the demo city (gandang demo), imported only when the demo is built.
        # After the ledger (10s): a year of monthly reports on its items.
        registry.demo_step(registry.DemoStep("dispatch.reports", 20, "gandang.dispatch.demo.build_step"))
        # Last (after the year's trial run, 79): a plan reporting quarterly, on its own cycle.
        registry.demo_step(
            registry.DemoStep("dispatch.quarterly_plan", 21, "gandang.dispatch.demo_quarters.build_step")
        )
