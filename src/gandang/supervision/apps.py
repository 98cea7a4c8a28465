from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "gandang.supervision"
    verbose_name = _("挂牌督办")

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext

        from gandang.core import records, registry
        from gandang.supervision import access, calendar, item_page

        calendar.register()  # its steps in the city's calendar (gandang tick)
        item_page.register()  # its parts of the ledger's item page and list
        # A listing is a record others may annotate (a city leader's 批示: gandang.core.records).
        records.record(
            records.Record(
                key="supervision.listing",
                label=_("挂牌督办"),
                gate=lambda user, pk: access.get_listing_for_user(user, pk),
                title=lambda listing: gettext("挂牌督办：%(item)s") % {"item": listing.item.title},
                url=lambda pk: reverse("supervision:listing_detail", args=[pk]),
                unit=lambda listing: listing.unit,
                items=lambda listing: [listing.item],
            )
        )
        # Its part of the demo city (gandang demo), imported only when the demo is built.
        # After the reports (20s), whose red lights and missing reports it lists.
        registry.demo_step(
            registry.DemoStep("supervision.listings", 30, "gandang.supervision.demo.build_step")
        )
