"""Units and leaders under 配置管理, kept by the system administrator. People (accounts) are kept in
gandang.accounts.admin, with their sign-in controls."""

from django.contrib import admin

from gandang.core.admin import AuditedAdmin, site
from gandang.org.models import Leader, Unit


@admin.register(Unit, site=site)
class UnitAdmin(AuditedAdmin):
    manage_roles = frozenset({"sysadmin"})
    list_display = ["name", "kind", "parent", "aliases", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "aliases"]
    list_editable = ["sort_order"]


@admin.register(Leader, site=site)
class LeaderAdmin(AuditedAdmin):
    manage_roles = frozenset({"sysadmin"})
    list_display = ["name", "title", "sort_order", "is_active"]
    search_fields = ["name", "title"]
