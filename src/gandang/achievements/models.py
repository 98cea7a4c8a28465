"""Reform achievements: experiences and where they were promoted, pilots, honors (DOMAIN mechanisms 7, 8)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gandang.core.attachments import AttachmentBase
from gandang.core.fields import StampField
from gandang.ledger.models import Item
from gandang.org.models import Unit


class PromotionLevel(models.Model):
    """How high a promotion reached (市级, 省级, 国家部委, 中央…): configurable; assessment rules give
    points per level by its key."""

    key = models.SlugField(
        _("代码"), max_length=20, unique=True, help_text=_("考核规则按代码计分，如 province")
    )
    name = models.CharField(_("层级名称"), max_length=50, unique=True)
    rank = models.PositiveSmallIntegerField(_("高低"), default=1, help_text=_("数字越大层级越高"))
    is_active = models.BooleanField(_("启用"), default=True)

    AUDIT_FIELDS = ["key", "name", "rank", "is_active"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "推广层级")
        verbose_name_plural = pgettext_lazy("model name, plural", "推广层级")
        ordering = ["-rank", "name"]

    def __str__(self) -> str:
        return self.name


class Outlet(models.Model):
    """Where an experience can be promoted: a bulletin, a report series, a meeting, a newspaper (configurable)."""

    name = models.CharField(_("刊发载体"), max_length=100, unique=True)
    level = models.ForeignKey(
        PromotionLevel, verbose_name=_("层级"), on_delete=models.PROTECT, related_name="outlets"
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    AUDIT_FIELDS = ["name", "level", "sort_order", "is_active"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "刊发载体")
        verbose_name_plural = pgettext_lazy("model name, plural", "刊发载体")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Experience(models.Model):
    """A reform experience (经验做法): drafted by a unit, adopted by the office, published on the showcase."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        ADOPTED = "adopted", _("已采用")
        PUBLISHED = "published", _("已公开")

    title = models.CharField(_("标题"), max_length=200)
    units = models.ManyToManyField(Unit, verbose_name=_("报送单位"), related_name="experiences")
    items = models.ManyToManyField(
        Item, verbose_name=_("关联改革事项"), related_name="experiences", blank=True
    )
    summary = models.TextField(_("摘要"), max_length=1000)
    body = models.TextField(_("正文"), max_length=20000)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = StampField(_("创建时间"), auto_now_add=True)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    adopted_on = models.DateField(_("采用日期"), null=True, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["title", "units", "items", "summary", "body", "state"]
    EDITABLE_FIELDS = ["title", "summary", "body"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "经验做法")
        verbose_name_plural = pgettext_lazy("model name, plural", "经验做法")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("achievements:experience_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED


class ExperienceAttachment(AttachmentBase):
    """A file behind an experience (the full report, photos); internal: never on the public showcase."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="experiences/%Y/%m/")

    class Meta(AttachmentBase.Meta):
        verbose_name = pgettext_lazy("model name", "经验附件")
        verbose_name_plural = pgettext_lazy("model name, plural", "经验附件")


class Promotion(models.Model):
    """One place an experience was published or promoted (刊发推广), with its reference and scan."""

    experience = models.ForeignKey(Experience, on_delete=models.PROTECT, related_name="promotions")
    outlet = models.ForeignKey(Outlet, verbose_name=_("刊发载体"), on_delete=models.PROTECT, related_name="+")
    # The outlet's level when recorded (an outlet re-levelled later does not rewrite history).
    level = models.ForeignKey(
        PromotionLevel, verbose_name=_("层级"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("刊发日期"), db_index=True)
    reference = models.CharField(_("期号/链接"), max_length=300, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    scan = models.FileField(_("刊发件扫描"), upload_to="promotions/%Y/%m/", blank=True)
    scan_name = models.CharField(max_length=255, blank=True)
    scan_type = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = StampField(auto_now_add=True)

    AUDIT_FIELDS = ["outlet", "level", "date", "reference", "note"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "刊发推广")
        verbose_name_plural = pgettext_lazy("model name, plural", "刊发推广")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.outlet} {self.date:%Y-%m-%d}"


class Pilot(models.Model):
    """A reform pilot (改革试点) the city or a unit won, through its lifecycle to evaluation."""

    class PilotLevel(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")

    class State(models.TextChoices):
        APPLIED = "applied", _("已申报")
        UNDERTAKEN = "undertaken", _("已承接")
        IN_PROGRESS = "in_progress", _("推进中")
        EVALUATING = "evaluating", _("评估验收中")
        PASSED = "passed", _("通过评估验收")
        FAILED = "failed", _("未通过")

    name = models.CharField(_("试点名称"), max_length=200)
    level = models.CharField(_("试点层级"), max_length=12, choices=PilotLevel.choices, db_index=True)
    granted_by = models.CharField(_("批准部门"), max_length=200)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="pilots"
    )
    items = models.ManyToManyField(Item, verbose_name=_("关联改革事项"), related_name="pilots", blank=True)
    description = models.TextField(_("试点内容"), blank=True, max_length=4000)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.APPLIED, db_index=True
    )
    applied_on = models.DateField(_("申报日期"), null=True, blank=True)
    undertaken_on = models.DateField(_("承接日期"), null=True, blank=True)
    evaluated_on = models.DateField(_("评估验收日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    AUDIT_FIELDS = ["name", "level", "granted_by", "lead_unit", "items", "description", "state"]
    EDITABLE_FIELDS = ["name", "level", "granted_by", "lead_unit", "description"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "改革试点")
        verbose_name_plural = pgettext_lazy("model name, plural", "改革试点")
        ordering = ["level", "-undertaken_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("achievements:pilot_detail", args=[self.pk])


class PilotStep(models.Model):
    """A step of a pilot's lifecycle, with its date, note and the document that proves it."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(max_length=12, choices=Pilot.State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=Pilot.State.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    document = models.FileField(_("文件"), upload_to="pilots/%Y/%m/", blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = StampField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "试点进程记录")
        verbose_name_plural = pgettext_lazy("model name, plural", "试点进程记录")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_to_state_display()} {self.on:%Y-%m-%d}"


class Honor(models.Model):
    """An honor (督查激励, a first-tier ranking, an exemplary case) a unit earned, with its evidence."""

    class HonorLevel(models.TextChoices):
        STATE_COUNCIL = "state_council", _("国务院督查激励")
        NATIONAL = "national", _("国家级表彰")
        PROVINCE_INCENTIVE = "province_incentive", _("省级督查激励")
        PROVINCE = "province", _("省级表彰/第一档次")
        CITY = "city", _("市级表彰")

    name = models.CharField(_("荣誉名称"), max_length=200)
    level = models.CharField(_("荣誉层级"), max_length=20, choices=HonorLevel.choices, db_index=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("获得单位"), on_delete=models.PROTECT, related_name="honors"
    )
    granted_by = models.CharField(_("授予部门"), max_length=200, blank=True)
    date = models.DateField(_("获得日期"), db_index=True)
    items = models.ManyToManyField(Item, verbose_name=_("关联改革事项"), related_name="honors", blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="honors/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    AUDIT_FIELDS = ["name", "level", "unit", "granted_by", "date", "note"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "荣誉")
        verbose_name_plural = pgettext_lazy("model name, plural", "荣誉")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("achievements:honor_list") + f"#honor-{self.pk}"
