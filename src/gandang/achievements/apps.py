from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "gandang.achievements"
    verbose_name = _("改革成果")

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext

        from gandang.achievements import access
        from gandang.core import records, registry

        # An experience is a record others may annotate (a city leader's 批示: gandang.core.records).
        records.record(
            records.Record(
                key="achievements.experience",
                label=_("经验做法"),
                gate=lambda user, pk: access.get_experience_for_user(user, pk),
                title=lambda e: gettext("经验做法：%(title)s") % {"title": e.title},
                url=lambda pk: reverse("achievements:experience_detail", args=[pk]),
                unit=lambda e: e.units.order_by("sort_order", "name").first(),
                items=lambda e: list(e.items.all()),
            )
        )

        # Its part of the demo city (gandang demo), imported only when the demo is built.
        registry.demo_step(
            registry.DemoStep("achievements.records", 40, "gandang.achievements.demo.build_step")
        )
        # Earlier years' promotions and the rest of 2023's pilots and incentives, which the press-conference
        # fact sheet counts (seed: 30余项 by the province, 80余项 nationally since the brand began).
        registry.demo_step(
            registry.DemoStep("achievements.history", 41, "gandang.achievements.demo_history.build_step")
        )
