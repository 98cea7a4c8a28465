from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "gandang.assessment"
    verbose_name = _("年度考核")

    def ready(self) -> None:
        from gandang.assessment import standing_calendar, standing_page
        from gandang.core import registry

        # Its part of the demo city (gandang demo), imported only when the demo is built.
        # Last of the business: it scores everything before it.
        registry.demo_step(registry.DemoStep("assessment.scheme", 55, "gandang.assessment.demo.build_step"))
        # The year's trial run, last: it scores what every other step wrote (instructions, information…).
        registry.demo_step(registry.DemoStep("assessment.run", 79, "gandang.assessment.demo.run_step"))
        # The monthly standings of the demo's closed periods, under their own scheme: after the information
        # (65) they score, before the trial run.
        registry.demo_step(
            registry.DemoStep("assessment.standings", 75, "gandang.assessment.standing_demo.build_step")
        )
        # After a period closes, the calendar computes its standing; the showcase shows a published summary.
        standing_calendar.register()
        standing_page.register()
