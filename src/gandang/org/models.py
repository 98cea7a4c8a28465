from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.core import clock
from gandang.core.fields import EncryptedTextField


class Unit(models.Model):
    """A unit that carries reforms: a city department, a county/district, a state enterprise."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("市直部门")
        COUNTY = "county", _("县市区")
        ENTERPRISE = "enterprise", _("市属国有企业")
        OTHER = "other", _("其他")
        # The partners of the "两办两研" mechanism (市委办公室、市政府办公室、市委政策研究室、市政府研究室):
        # readers of the office's information, never assessed nor ranked (assessment.models.RANKED_KINDS).
        PARTNER = "partner", _("两办两研协同单位")

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    # Other names the unit goes by in office spreadsheets ("市发改委" for "市发展改革委").
    aliases = models.CharField(_("简称/别名"), max_length=300, blank=True, help_text=_("多个用顿号分隔"))
    kind = models.CharField(_("单位类型"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    AUDIT_FIELDS = ["name", "aliases", "kind", "parent", "sort_order", "is_active"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "单位")
        verbose_name_plural = pgettext_lazy("model name, plural", "单位")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def alias_list(self) -> list[str]:
        return [
            a.strip() for a in self.aliases.replace(",", "、").replace("，", "、").split("、") if a.strip()
        ]


class Leader(models.Model):
    """A city-level leader who leads reform items (领衔市级领导)."""

    name = models.CharField(_("姓名"), max_length=50, unique=True)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    AUDIT_FIELDS = ["name", "title", "sort_order", "is_active"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "市级领导")
        verbose_name_plural = pgettext_lazy("model name, plural", "市级领导")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


class User(AbstractUser):
    """A person who signs in. Each person has one role, and liaisons and heads one unit."""

    class Role(models.TextChoices):
        OFFICE = "office", _("改革办")
        LEADER = "leader", _("市级领导")
        LIAISON = "liaison", _("单位联络员")
        HEAD = "head", _("单位负责人")
        OBSERVER = "observer", _("观察员")
        # A reader of a "两办两研" partner unit: issued periodicals, issued bulletins and adopted information,
        # and where their unit used a piece (information.PartnerUse); nothing else (accounts.policy).
        PARTNER = "partner", _("协同单位读者")
        # 三权分立 (等保 8.1.4.2, 8.1.5): three administrators, none of them a business role, and the
        # reform office (OFFICE) none of the three.
        SYSADMIN = "sysadmin", _("系统管理员")  # units, people, roles, system configuration; no audit
        SECADMIN = "secadmin", _("安全管理员")  # locks, password and second-factor resets
        AUDITADMIN = "auditadmin", _("审计管理员")  # reads and exports the audit and security logs

    # AbstractUser's, on the product's clock: an account added on a pinned demo day joins on that day.
    date_joined = models.DateTimeField(_("date joined"), default=clock.now)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.OBSERVER)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    leader = models.OneToOneField(
        Leader,
        verbose_name=_("对应市级领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    # Personal information (等保 8.1.4.11): encrypted in the database, masked for those who do not need
    # it (gandang.org.access.can_see_contact); the audit history keeps only the masked form.
    phone = EncryptedTextField(_("电话"), max_length=30, blank=True, kind="phone")
    email = EncryptedTextField(_("电子邮箱"), max_length=254, blank=True, kind="email")
    # Besides the bell, how this person wants notices delivered (gandang.notifications).
    notify_email = models.BooleanField(_("邮件通知"), default=True)
    notify_webhook = models.BooleanField(_("工作群推送"), default=False)

    AUDIT_FIELDS = ["username", "full_name", "role", "unit", "leader", "phone", "email", "is_active"]

    ADMIN_ROLES = frozenset({"sysadmin", "secadmin", "auditadmin"})

    class Meta:
        verbose_name = pgettext_lazy("model name", "用户")
        verbose_name_plural = pgettext_lazy("model name, plural", "用户")
        ordering = ["role", "username"]
        constraints = [
            # One account per name whatever its letter case: "Office" cannot sit beside "office".
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_case_insensitive",
                violation_error_message=_("已有同名账号（用户名不区分大小写）"),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_office(self) -> bool:
        return self.is_active and self.role == self.Role.OFFICE

    @property
    def is_unit_member(self) -> bool:
        return self.role in (self.Role.LIAISON, self.Role.HEAD)

    @property
    def is_partner(self) -> bool:
        return self.role == self.Role.PARTNER

    @property
    def is_admin_role(self) -> bool:
        """One of the three administrators (system, security, audit): they run the platform and read
        no business records."""
        return self.role in self.ADMIN_ROLES

    @property
    def sees_all_units(self) -> bool:
        return self.role in (self.Role.OFFICE, self.Role.LEADER, self.Role.OBSERVER)
