from django.contrib import admin

from gandang.core.admin import AuditedAdmin, site
from gandang.information.models import PeriodicalSettings


@admin.register(PeriodicalSettings, site=site)
class PeriodicalSettingsAdmin(AuditedAdmin):
    """One row: the periodical's name, its issues before Gandang and whom it is sent to."""

    fields = ["name", "total_before", "copy_to"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PeriodicalSettings.objects.exists()

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        row = PeriodicalSettings.objects.first()
        if row is None:
            return redirect("manage:information_periodicalsettings_add")
        return redirect("manage:information_periodicalsettings_change", row.pk)
