from django.contrib import admin

from gandang.core.admin import AuditedAdmin, site
from gandang.matters.models import Party


@admin.register(Party, site=site)
class PartyAdmin(AuditedAdmin):
    """The parties a consultation hears: the office adds, renames, orders or disables them (never deletes)."""

    list_display = ["name", "full_name", "individual", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    fields = ["name", "full_name", "individual", "sort_order", "is_active"]
