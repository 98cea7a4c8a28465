from functools import lru_cache

from django.db import models
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gandang.core import dates
from gandang.core.fields import StampField
from gandang.core.keyed import KeyedSubquery
from gandang.core.links import pk_url
from gandang.ledger.cycles import Cycle, deadlines_error, describe, normalized
from gandang.org.models import Leader, Unit


class Status(models.TextChoices):
    """An item's status light (红黄绿灯): the ledger's vocabulary, computed by the monthly dispatch."""

    NOT_STARTED = "not_started", _("未启动")
    GREEN = "green", _("正常推进")
    YELLOW = "yellow", _("进度滞后")
    RED = "red", _("严重滞后")
    DONE = "done", _("已完成")


class Plan(models.Model):
    """A plan that holds items: an annual key-points plan, or a master/action plan of a "1+N" system."""

    year = models.PositiveIntegerField(_("年度"))
    name = models.CharField(_("方案名称"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("“1+N”体系中，行动方案的上级为总体方案"),
    )
    description = models.TextField(_("说明"), blank=True, max_length=2000)
    is_archived = models.BooleanField(_("已归档"), default=False)
    # Monthly plans report in the city's monthly dispatch; the others have periods of their own.
    cycle = models.CharField(_("报送周期"), max_length=12, choices=Cycle.choices, default=Cycle.MONTHLY)
    deadlines = models.CharField(
        _("报送截止日"),
        max_length=60,
        blank=True,
        help_text=_(
            "每期一个“月-日”，用逗号分隔，如按季度：04-25,06-25,09-25,11-25；不填则为各期最后一个月的报送截止日"
        ),
    )

    AUDIT_FIELDS = ["year", "name", "parent", "description", "is_archived", "cycle", "deadlines"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "改革方案")
        verbose_name_plural = pgettext_lazy("model name, plural", "改革方案")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"],
                name="plan_unique_year_name",
                violation_error_message=_("该年度已有同名方案"),
            )
        ]

    def __str__(self) -> str:
        return self.name if self.name.startswith(str(self.year)) else f"{self.year}年 {self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        why = deadlines_error(self.cycle, self.deadlines)
        if why:
            raise ValidationError({"deadlines": why})
        self.deadlines = normalized(self.deadlines)

    @property
    def is_monthly(self) -> bool:
        return self.cycle == Cycle.MONTHLY

    @property
    def cycle_display(self) -> str:
        """ "按季度报送：2023年第一季度4月25日前、…" (the plan's page, the import's preview)."""
        return describe(self.cycle, self.deadlines, self.year)


class Area(models.Model):
    """A reform area (改革领域 / 专项小组), e.g. 经济体制改革."""

    name = models.CharField(_("领域名称"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    AUDIT_FIELDS = ["name", "sort_order"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "改革领域")
        verbose_name_plural = pgettext_lazy("model name, plural", "改革领域")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class LeadUnits:
    """Who leads: the first lead unit (who submits the report), then the joint lead units in the plan's
    order, read from `joint_lead_links` (prefetched as `joint_lead_rows`). For the ledger's items and
    for what a period's snapshot keeps of them (gandang.dispatch)."""

    lead_unit: Unit | None

    @property
    def joint_leads(self) -> list[Unit]:
        """The joint lead units in the plan's order (prefetched as `joint_lead_rows`, or read here)."""
        rows = getattr(self, "joint_lead_rows", None)
        if rows is None:
            if self.pk is None:  # type: ignore[attr-defined]
                return []
            rows = self.joint_lead_links.select_related("unit")  # type: ignore[attr-defined]
        return [row.unit for row in rows]

    @property
    def lead_units(self) -> list[Unit]:
        """Every lead unit in order: the first (who submits the report), then the joint leads."""
        first = [self.lead_unit] if self.lead_unit is not None else []
        return [*first, *self.joint_leads]

    @property
    def lead_units_display(self) -> str:
        """The 牵头单位 as a plan writes them: "市政府办公室、市审改办"."""
        return "、".join(u.name for u in self.lead_units)


class Item(LeadUnits, models.Model):
    """A reform item (改革事项) of the ledger."""

    plan = models.ForeignKey(Plan, verbose_name=_("所属方案"), on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("编号"), max_length=40)
    seq = models.PositiveIntegerField(_("序号"), default=0)
    title = models.CharField(_("改革事项"), max_length=300)
    goal = models.TextField(_("改革目标"), blank=True, max_length=4000)
    deliverable = models.CharField(_("成果形式"), max_length=200, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("改革领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    leaders = models.ManyToManyField(Leader, verbose_name=_("领衔市级领导"), blank=True, related_name="items")
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_items",
    )
    # Further lead units when a plan names several ("X、Y牵头"), in the plan's order. The first lead
    # (`lead_unit`) collects and submits the report (负责汇总报送); these lead with it and add their part.
    joint_lead_units: "models.ManyToManyField[Unit, JointLead]" = models.ManyToManyField(
        Unit,
        verbose_name=_("共同牵头单位"),
        blank=True,
        through="JointLead",
        related_name="joint_led_items",
    )
    co_units = models.ManyToManyField(Unit, verbose_name=_("配合单位"), blank=True, related_name="co_items")
    start_date = models.DateField(_("开始时间"), null=True, blank=True)
    due_date = models.DateField(_("完成时限"), null=True, blank=True)
    no_fixed_date = models.BooleanField(
        _("长期坚持/持续推进"), default=False, help_text=_("无固定完成时限，逐月调度直至完成")
    )
    # The due phrase as the office wrote it ("2023年9月底前完成方案，12月底前形成经验"), kept for export.
    due_text = models.CharField(_("时限表述"), max_length=200, blank=True)
    is_key = models.BooleanField(_("重点改革任务"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    notes = models.TextField(_("备注"), blank=True, max_length=2000)
    is_archived = models.BooleanField(_("已归档"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = StampField(_("创建时间"), auto_now_add=True)
    updated_at = StampField(_("更新时间"), auto_now=True)
    # The item's light as the monthly dispatch last computed it (dispatch.ItemStatus holds the full
    # record): kept here so that the ledger lists and filters by it without knowing the dispatch.
    # Written only by the dispatch (never by a form), and outside `version` and the audit history.
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, blank=True, db_index=True)
    status_reason = models.CharField(_("状态原因"), max_length=300, blank=True)
    no_effect = models.BooleanField(_("成效不明显"), default=False, db_index=True)
    no_effect_reason = models.CharField(_("成效不明显的理由"), max_length=300, blank=True)

    # Set by the selectors (joint_lead_prefetch, or once for one item's page) and read by `joint_leads`.
    joint_lead_rows: "list[JointLead]"

    # The fields the office edits (the item form, the import); the audit history also follows archiving.
    EDITABLE_FIELDS = [
        "plan",
        "code",
        "seq",
        "title",
        "goal",
        "deliverable",
        "area",
        "leaders",
        "lead_unit",
        "joint_lead_units",
        "co_units",
        "start_date",
        "due_date",
        "no_fixed_date",
        "due_text",
        "is_key",
        "parent",
        "notes",
    ]
    AUDIT_FIELDS = [*EDITABLE_FIELDS, "is_archived"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "改革事项")
        verbose_name_plural = pgettext_lazy("model name, plural", "改革事项")
        ordering = ["plan", "seq", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="item_unique_plan_code",
                violation_error_message=_("编号在该方案中已被使用"),
            )
        ]
        indexes = [models.Index(fields=["due_date"]), models.Index(fields=["plan", "seq"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return pk_url("ledger:item_detail", self.pk)

    @property
    def light(self) -> "Item | None":
        """What a status light shows ({% light %} in ledger/templatetags/lights.py), or None before the first computation."""
        return self if self.status else None

    @property
    def reason(self) -> str:
        return self.status_reason

    @property
    def start_display(self) -> str:
        return dates.formatted(self.start_date, gettext("Y年n月j日")) if self.start_date else ""

    @property
    def due_display(self) -> str:
        return due_label(self.due_date, self.no_fixed_date, self.due_text)


def due_label(due_date, no_fixed_date: bool, due_text: str) -> str:
    """An item's 完成时限 as shown: the date, or 长期坚持 (its own words if it has them)."""
    if no_fixed_date:
        return due_text or str(_("长期坚持"))
    if due_date:
        return _due_date_label(due_date, get_language())
    return ""


@lru_cache(maxsize=4096)
def _due_date_label(day, language: str | None) -> str:
    """A due date as shown (2023年12月31日), written once per day and language: a list's rows show the
    same few due dates many times over."""
    return dates.formatted(day, gettext("Y年n月j日"))


class JointLead(models.Model):
    """A unit that leads an item together with its first lead unit (共同牵头), at its place in the plan's list."""

    item = models.ForeignKey(
        Item, verbose_name=_("改革事项"), on_delete=models.CASCADE, related_name="joint_lead_links"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("共同牵头单位"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model name", "共同牵头单位")
        verbose_name_plural = pgettext_lazy("model name, plural", "共同牵头单位")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="jointlead_unique_item_unit")]
        indexes = [models.Index(fields=["unit", "item"])]

    def __str__(self) -> str:
        return str(self.unit)


def led_by(unit_id: int) -> models.Q:
    """Items the unit leads, first or jointly (counts see each item once)."""
    return models.Q(pk__in=_LEAD_IDS(unit_id))


def involving(unit_id: int) -> models.Q:
    """Items the unit leads, first or jointly, or co-operates on (counts see each item once)."""
    return models.Q(pk__in=_INVOLVED_IDS(unit_id))


def _lead_ids(unit_id: int) -> models.QuerySet:
    """The ids of the items the unit leads first and of those it leads jointly, each read by its index and
    the two united: `lead_unit = u OR id IN (…)` would make PostgreSQL test every item of the ledger
    (a province's 100,000) against the OR."""
    first = Item.objects.filter(lead_unit_id=unit_id).order_by().values("pk")
    return first.union(JointLead.objects.filter(unit_id=unit_id).order_by().values("item_id"), all=True)


def _involved_ids(unit_id: int) -> models.QuerySet:
    co = Item.co_units.through.objects.filter(unit_id=unit_id).order_by().values("item_id")
    return _lead_ids(unit_id).union(co, all=True)


# Compiled once (core.keyed): a unit's pages filter by these unions in their lists, counts and figures.
_LEAD_IDS = KeyedSubquery(_lead_ids)
_INVOLVED_IDS = KeyedSubquery(_involved_ids)


def joint_lead_prefetch(path: str = "") -> models.Prefetch:
    """What `Item.joint_leads` reads, for a list of items (or of records whose `path` leads to items,
    e.g. "item__"): one query for all of them."""
    rows = JointLead.objects.select_related("unit").only("id", "item_id", "order", "unit__id", "unit__name")
    return models.Prefetch(f"{path}joint_lead_links", queryset=rows, to_attr="joint_lead_rows")


class Milestone(models.Model):
    """A time node (时间节点) of an item."""

    item = models.ForeignKey(
        Item, verbose_name=_("改革事项"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点内容"), max_length=200)
    due_date = models.DateField(_("计划完成"), null=True, blank=True)
    done_date = models.DateField(_("实际完成"), null=True, blank=True)
    evidence = models.TextField(_("佐证"), blank=True, max_length=1000)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    AUDIT_FIELDS = ["title", "due_date", "done_date", "evidence"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "时间节点")
        verbose_name_plural = pgettext_lazy("model name, plural", "时间节点")
        ordering = ["item", "sort_order", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


class ImportBatch(models.Model):
    """One committed ledger import: who imported which file into which plan, and what it did."""

    plan = models.ForeignKey(Plan, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="imports")
    filename = models.CharField(_("文件名"), max_length=255)
    created = models.PositiveIntegerField(_("新增事项"), default=0)
    updated = models.PositiveIntegerField(_("更新事项"), default=0)
    unchanged = models.PositiveIntegerField(_("未变事项"), default=0)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = StampField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "导入记录")
        verbose_name_plural = pgettext_lazy("model name, plural", "导入记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.filename} → {self.plan}"
