"""The configuration screens (配置管理): Django's admin, each screen for the roles it serves, with audit history."""

from functools import update_wrapper

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from gandang.core import audit
from gandang.core.models import AuditEntry
from gandang.core.params import id_list

# 三权分立: the reform office keeps its business settings here, the system administrator units, people
# and the system's settings, the security administrator accounts' locks and resets, the audit
# administrator reads the audit history; each screen says which of them it serves (manage_roles).
MANAGE_ROLES = frozenset({"office", "sysadmin", "secadmin", "auditadmin"})


def role_of(request) -> str:
    user = request.user
    return getattr(user, "role", "") if user.is_active and user.is_authenticated else ""


class OfficeAdminSite(admin.AdminSite):
    site_header = _("敢当改革推进平台 · 配置管理")
    site_title = _("配置管理")
    index_title = _("单位、人员与基础数据")
    site_url = "/"

    def has_permission(self, request):
        return role_of(request) in MANAGE_ROLES

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def gate(request, *args, **kwargs):
            # Signed in without the office role: a plain 403, not the admin's own login form.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(_("配置管理仅限改革办和系统、安全、审计管理员使用"))
            return inner(request, *args, **kwargs)

        return update_wrapper(gate, inner)

    def login(self, request, extra_context=None):
        # Signed-in users without the office role get a plain 403, others the product's own login page.
        if request.user.is_authenticated:
            raise PermissionDenied(_("配置管理仅限改革办和系统、安全、审计管理员使用"))
        return redirect_to_login(request.get_full_path())


site = OfficeAdminSite(name="manage")


class JSONFormField(forms.JSONField):
    """Django's JSON form field, except that a number of more than 4,300 digits is an error on the
    field like any other invalid JSON: Python refuses to read it with a ValueError that is not the
    JSONDecodeError Django's field catches, which made a 500 of the form."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except ValueError:
            return forms.fields.InvalidJSONInput(data)


class ValidSelectionMixin:
    """An admin action reads only the valid ids among the ticked rows (core.params.id_list): a forged
    or malformed `_selected_action` (text, a NUL, 5,000 digits) selects nothing, not a server error."""

    def response_action(self, request, queryset):
        raw = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        ids = [str(pk) for pk in id_list(raw)]
        if ids != raw:
            post = request.POST.copy()
            post.setlist(helpers.ACTION_CHECKBOX_NAME, ids)
            request.POST = post
        return super().response_action(request, queryset)  # type: ignore[misc]


class AuditedAdmin(ValidSelectionMixin, admin.ModelAdmin):
    """A configuration screen for the roles in `manage_roles` (the reform office's business settings by
    default): every save writes an audit entry; nothing is deleted, records are disabled."""

    formfield_overrides = {models.JSONField: {"form_class": JSONFormField}}
    manage_roles: frozenset[str] = frozenset({"office"})

    def _may(self, request) -> bool:
        return role_of(request) in self.manage_roles

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        request._audit_before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        audit.record(
            form.instance,
            actor=request.user,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            before=getattr(request, "_audit_before", {}),
        )

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {"audit_rows": audit.labelled(audit.history_for(obj)) if obj else []}
        return super().history_view(request, object_id, {**(extra_context or {}), **extra})


class AuditEntryAdmin(admin.ModelAdmin):
    """The whole audit history, for the audit administrator only (read, never change)."""

    list_display = ["at", "actor", "action", "object_repr", "reason"]
    # Only the kinds of record that have entries (not every model's content type, e.g. the login log's).
    list_filter = ["action", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "reason"]

    def has_module_permission(self, request):
        return role_of(request) == "auditadmin"

    def has_view_permission(self, request, obj=None):
        return role_of(request) == "auditadmin"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


site.register(AuditEntry, AuditEntryAdmin)
