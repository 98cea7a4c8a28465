from django.contrib import admin

from gandang.achievements.models import Outlet, PromotionLevel
from gandang.core.admin import AuditedAdmin, site


@admin.register(PromotionLevel, site=site)
class PromotionLevelAdmin(AuditedAdmin):
    list_display = ["name", "key", "rank", "is_active"]
    list_editable = ["rank", "is_active"]
    fields = ["name", "key", "rank", "is_active"]


@admin.register(Outlet, site=site)
class OutletAdmin(AuditedAdmin):
    list_display = ["name", "level", "sort_order", "is_active"]
    list_filter = ["level", "is_active"]
    list_editable = ["sort_order", "is_active"]
    fields = ["name", "level", "sort_order", "is_active"]
