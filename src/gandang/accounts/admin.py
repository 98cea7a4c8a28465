"""People under 配置管理 (等保 8.1.4.2, 三权分立).

The system administrator adds people and sets their role and unit (not the three administrator
roles: those accounts are made with `gandang create-admin`, so nobody grants themselves more); the
security administrator unlocks accounts, resets passwords and second factors, and changes nothing
else. Every change is audited (AuditedAdmin) and each of these actions is a security event.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from gandang.accounts import policy, two_factor
from gandang.accounts.forms import AdminSetPasswordForm
from gandang.core.admin import AuditedAdmin, site
from gandang.org.access import can_see_contact, masked_contact
from gandang.org.models import User
from gandang.security.services import Kind, record_event


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The three administrator roles are not granted here (`gandang create-admin` makes them).
        if "role" in self.fields:
            self.fields["role"].choices = [
                (value, label)
                for value, label in self.fields["role"].choices
                if value not in User.ADMIN_ROLES
            ]

    def clean(self):
        data = super().clean()
        role, unit = data.get("role"), data.get("unit")
        if role in (User.Role.LIAISON, User.Role.HEAD) and not unit:
            raise ValidationError(_("单位联络员和单位负责人必须指定所属单位"))
        if role == User.Role.PARTNER and (not unit or unit.kind != unit.Kind.PARTNER):
            raise ValidationError(_("协同单位读者必须属于一个“两办两研”协同单位"))
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
    # Both read the list; only the system administrator adds and edits (has_change_permission).
    manage_roles = frozenset({"sysadmin", "secadmin"})
    form = UserEditForm
    add_form = UserCreateForm
    change_password_form = AdminSetPasswordForm
    actions = ["unlock", "reset_second_factor"]
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

    def _role(self, request) -> str:
        return getattr(request.user, "role", "") if request.user.is_active else ""

    def has_add_permission(self, request):
        return self._role(request) == User.Role.SYSADMIN

    def has_change_permission(self, request, obj=None):
        if getattr(request, "_password_reset_by_secadmin", False):
            return True  # Django's password view asks this; the view itself let only the secadmin in
        # The system administrator edits people, but not the administrators' own accounts.
        if self._role(request) != User.Role.SYSADMIN:
            return False
        return obj is None or not obj.is_admin_role

    def get_actions(self, request):
        # No bulk delete (AuditedAdmin); the security administrator's two bulk actions.
        if self._role(request) != User.Role.SECADMIN:
            return {}
        return {name: action for name in self.actions if (action := self.get_action(name))}

    def user_change_password(self, request, id, form_url=""):
        """Setting someone's password is the security administrator's (never their own here: everyone
        changes their own at /account/password/); its owner changes it at the next sign-in."""
        user = self.get_object(request, id)
        if self._role(request) != User.Role.SECADMIN or user is None or user.pk == request.user.pk:
            raise PermissionDenied(_("只有安全管理员可以重置他人的密码"))
        # Django's view asks for the change permission, which only the system administrator has.
        request._password_reset_by_secadmin = True
        return super().user_change_password(request, id, form_url)

    @admin.action(description=_("解除登录锁定"))
    def unlock(self, request, queryset):
        from axes.utils import reset

        for user in queryset:
            reset(username=user.username.casefold())
            record_event(kind=Kind.UNLOCK, request=request, obj=user, detail={"account": user.username})
        self.message_user(request, _("已解除所选账号的登录锁定"))

    @admin.action(description=_("重置双因素认证（须重新设置）"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            removed = two_factor.reset(user)
            record_event(
                kind=Kind.MFA_CHANGE,
                request=request,
                obj=user,
                detail={"action": "reset", "devices": removed},
            )
        self.message_user(
            request, _("已重置所选账号的双因素认证，其本人下次登录时重新设置"), messages.SUCCESS
        )
