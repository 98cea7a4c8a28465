from django.contrib import admin

from gandang.core.admin import AuditedAdmin, site
from gandang.ledger.models import Area, ImportBatch, Plan


@admin.register(Area, site=site)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "sort_order"]
    list_editable = ["sort_order"]


@admin.register(Plan, site=site)
class PlanAdmin(AuditedAdmin):
    list_display = ["name", "year", "parent", "is_archived"]
    list_filter = ["year", "is_archived"]


@admin.register(ImportBatch, site=site)
class ImportBatchAdmin(AuditedAdmin):
    list_display = ["at", "filename", "plan", "created", "updated", "unchanged", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
