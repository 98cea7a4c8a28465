from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gandang.accounts import policy
from gandang.accounts.forms import AdminSetPasswordForm
from gandang.core.admin import AuditedAdmin, site
from gandang.org.access import can_see_contact, masked_contact
from gandang.org.models import Leader, Unit, User


@admin.register(Unit, site=site)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "kind", "parent", "aliases", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "aliases"]
    list_editable = ["sort_order"]


@admin.register(Leader, site=site)
class LeaderAdmin(AuditedAdmin):
    list_display = ["name", "title", "sort_order", "is_active"]
    search_fields = ["name", "title"]


class RoleUnitMixin:
    def clean_username(self):
        # One account per name whatever its letter case ("Office" is "office").
        username = self.cleaned_data.get("username")
        if username:
            same = User.objects.filter(username__iexact=username)
            if getattr(self, "instance", None) is not None and self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                raise ValidationError(_("已有同名账号（用户名不区分大小写）"))
        return username

    def clean(self):
        data = super().clean()
        role, unit = data.get("role"), data.get("unit")
        if role in (User.Role.LIAISON, User.Role.HEAD) and not unit:
            raise ValidationError(_("单位联络员和单位负责人必须指定所属单位"))
        if role == User.Role.LEADER and not data.get("leader"):
            raise ValidationError(_("市级领导账号必须关联一位市级领导"))
        return data


class UserCreateForm(RoleUnitMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ["username", "full_name", "role", "unit", "leader"]

    def _save_m2m(self):
        # Runs once the account is saved (with commit or through the admin's save_related): a password
        # an administrator chose is changed by its owner at the first sign-in.
        super()._save_m2m()
        if self.instance.has_usable_password():
            policy.password_set(self.instance, by_admin=True)


class UserEditForm(RoleUnitMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = "__all__"


@admin.register(User, site=site)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    change_password_form = AdminSetPasswordForm
    actions = ["unlock"]
    list_display = ["username", "full_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["username", "full_name", "unit__name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["full_name", "phone", "email"]}),
        (_("通知方式"), {"fields": ["notify_email", "notify_webhook"]}),
        (_("角色与单位"), {"fields": ["role", "unit", "leader", "is_active"]}),
        (_("登录记录"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "full_name", "role", "unit", "leader", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "masked_phone", "masked_email"]
    filter_horizontal = ()

    def get_fieldsets(self, request, obj=None):
        """The person's phone and e-mail, in full and editable for those who may read them
        (org.access.can_see_contact); masked and read-only, so a save leaves them as they are, otherwise."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or can_see_contact(request.user, obj):
            return fieldsets
        masked = {"phone": "masked_phone", "email": "masked_email"}
        return [
            (name, {**opts, "fields": [masked.get(f, f) for f in opts["fields"]]}) for name, opts in fieldsets
        ]

    @admin.display(description=_("电话"))
    def masked_phone(self, obj):
        return masked_contact(obj).phone

    @admin.display(description=_("电子邮箱"))
    def masked_email(self, obj):
        return masked_contact(obj).email

    def get_actions(self, request):
        # No bulk delete (AuditedAdmin); one bulk action: unlock accounts the lockout closed.
        action = self.get_action("unlock")
        return {"unlock": action} if action else {}

    @admin.action(description=_("解除登录锁定"))
    def unlock(self, request, queryset):
        from axes.utils import reset

        for user in queryset:
            reset(username=user.username.casefold())
        self.message_user(request, _("已解除所选账号的登录锁定"))
