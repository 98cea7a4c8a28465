import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gandang.core import dates
from gandang.core.attachments import AttachmentBase
from gandang.core.fields import StampField
from gandang.core.links import choice_label, pk_url
from gandang.ledger.cycles import Cycle, span_first_month, span_label
from gandang.ledger.models import Item, LeadUnits, Milestone, Plan, Status
from gandang.org.models import Unit


def period_label(year: int, month: int, cycle: str, plan_name: str | None) -> str:
    """A period's name (str(period)), also for periods read as values: the city's month "2023年10月"
    ("October 2023" in English, the locale's YEAR_MONTH_FORMAT), or a plan's span with the plan's name."""
    if plan_name is None:
        return dates.formatted(date(year, month, 1), "YEAR_MONTH_FORMAT")
    return gettext("%(span)s（%(plan)s）") % {
        "span": period_span_label(year, month, cycle),
        "plan": plan_name,
    }


def period_span_label(year: int, month: int, cycle: str) -> str:
    """ "2023年10月", "2023年第一季度", "2023年上半年", "2023年度" (Period.span_label)."""
    if cycle == Cycle.MONTHLY:
        return dates.formatted(date(year, month, 1), "YEAR_MONTH_FORMAT")
    return span_label(cycle, year, month)


class Period(models.Model):
    """A reporting period: the city's month (月调度, e.g. 2023年10月, `plan` null), or one span of a plan
    that reports on its own cycle (2023年第一季度 of a quarterly plan). `month` is the span's last month,
    so periods order and compare by (year, month) whatever their cycle."""

    class State(models.TextChoices):
        OPEN = "open", _("填报中")
        CLOSED = "closed", _("已结束")

    year = models.PositiveIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("改革方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="periods",
        help_text=_("不填为全市月调度（按月报送的方案）"),
    )
    cycle = models.CharField(_("报送周期"), max_length=12, choices=Cycle.choices, default=Cycle.MONTHLY)
    opens_on = models.DateField(_("开始填报"))
    deadline = models.DateField(_("报送截止"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开启人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = StampField(_("开启时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    AUDIT_FIELDS = ["year", "month", "plan", "cycle", "opens_on", "deadline", "state"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "调度期")
        verbose_name_plural = pgettext_lazy("model name, plural", "调度期")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                condition=models.Q(plan__isnull=True),
                name="period_unique_month",
                violation_error_message=_("该月的调度期已存在"),
            ),
            models.UniqueConstraint(
                fields=["plan", "year", "month"],
                condition=models.Q(plan__isnull=False),
                name="period_unique_plan_span",
                violation_error_message=_("该方案的这一期调度期已存在"),
            ),
        ]

    def __str__(self) -> str:
        return period_label(
            self.year, self.month, self.cycle, self.plan.name if self.plan is not None else None
        )

    def get_absolute_url(self) -> str:
        return reverse("dispatch:period_detail", args=[self.pk])

    @property
    def span_label(self) -> str:
        """ "2023年10月", "2023年第一季度", "2023年上半年", "2023年度" (without the plan's name)."""
        return period_span_label(self.year, self.month, self.cycle)

    @property
    def dispatch_label(self) -> str:
        """What its pages call this reporting: 月调度 (the city's month), 季度调度, 半年调度, 年度调度."""
        labels: dict[str, str] = {
            Cycle.QUARTERLY: gettext("季度调度"),
            Cycle.HALFYEARLY: gettext("半年调度"),
            Cycle.YEARLY: gettext("年度调度"),
        }
        return (
            labels.get(str(self.cycle), gettext("月调度")) if self.plan_id is not None else gettext("月调度")
        )

    @property
    def is_monthly(self) -> bool:
        return self.plan_id is None

    @property
    def first_day(self) -> date:
        return date(self.year, span_first_month(self.cycle, self.month), 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def ends_on(self) -> date:
        """The later of the span's last day and the deadline: a quarter reported in the next month
        (一季度 by 4月25日) is not over before its reports are due."""
        return max(self.last_day, self.deadline)

    def previous_month(self) -> tuple[int, int]:
        """(year, month) of the month before this period's."""
        return (self.year, self.month - 1) if self.month > 1 else (self.year - 1, 12)

    def previous_periods(self) -> "models.QuerySet[Period]":
        """The period before this one of the same reporting (at most one row): the city's month before,
        or the plan's span before."""
        if self.plan_id is None:
            y, m = self.previous_month()
            return Period.objects.filter(plan__isnull=True, year=y, month=m)
        earlier = models.Q(year__lt=self.year) | models.Q(year=self.year, month__lt=self.month)
        return Period.objects.filter(earlier, plan_id=self.plan_id).order_by("-year", "-month")[:1]

    def previous(self) -> "Period | None":
        return self.previous_periods().first()


class Report(models.Model):
    """One item's progress report for one period, filed by the item's lead unit."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待签发")
        SIGNED = "signed", _("待审核")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已通过")

    item = models.ForeignKey(
        Item, verbose_name=_("改革事项"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("调度期"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    expected = models.TextField(_("本月计划"), blank=True, max_length=2000, help_text=_("取自上月“下步计划”"))
    progress = models.TextField(_("本月进展"), blank=True, max_length=2000)
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True)
    problems = models.TextField(_("存在问题"), blank=True, max_length=1000)
    next_steps = models.TextField(_("下步计划"), blank=True, max_length=1000)
    coordination = models.TextField(_("需协调事项"), blank=True, max_length=1000)
    # Why the last step sent it back (head or office), shown to the liaison first.
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    # Similarity (0–1) of the text to the previous month's report of the same item.
    similarity = models.FloatField(_("与上月相似度"), null=True, blank=True)
    is_copy = models.BooleanField(_("疑似照抄上月"), default=False)
    # The office's verdict on a copy flag in review: None until judged, True confirmed, False cleared.
    # Only a confirmed copy costs the unit assessment points (unless the scheme says otherwise).
    copy_confirmed = models.BooleanField(_("改革办认定照抄"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送改革办时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期报送"), default=False)
    is_missing = models.BooleanField(_("截止时未报送"), default=False)
    revision = models.PositiveIntegerField(_("版本"), default=1)
    version = models.PositiveIntegerField(default=1)
    updated_at = StampField(_("更新时间"), auto_now=True)

    AUDIT_FIELDS = [
        "state",
        "expected",
        "progress",
        "percent",
        "problems",
        "next_steps",
        "coordination",
        "copy_confirmed",
    ]

    class Meta:
        verbose_name = pgettext_lazy("model name", "进展报告")
        verbose_name_plural = pgettext_lazy("model name, plural", "进展报告")
        ordering = ["period", "item__plan_id", "item__seq", "item__code"]
        constraints = [models.UniqueConstraint(fields=["item", "period"], name="report_unique_item_period")]
        indexes = [models.Index(fields=["unit", "period", "state"]), models.Index(fields=["period", "state"])]

    def __str__(self) -> str:
        return f"{self.period} {self.item.code} {self.item.title}"

    def get_absolute_url(self) -> str:
        return pk_url("dispatch:report_detail", self.pk)

    def get_state_display(self) -> object:  # type: ignore[no-redef]  # Django's builds a dict per call
        return choice_label(Report.State, self.state)

    def text_for_similarity(self) -> str:
        return "\n".join([self.progress, self.problems, self.next_steps])


class ReportStep(models.Model):
    """One step of a report's flow: who did what, when, and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(max_length=12, choices=Report.State.choices)
    to_state = models.CharField(max_length=12, choices=Report.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    at = StampField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "报告流转记录")
        verbose_name_plural = pgettext_lazy("model name, plural", "报告流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_label()} {self.at:%Y-%m-%d %H:%M}"

    def get_action_label(self) -> str:
        from gandang.dispatch.flow import TRANSITIONS

        t = TRANSITIONS.get(self.action)
        return str(t.label) if t else self.action


class ReportRevision(models.Model):
    """An accepted report's content as it was before a correction reopened it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("版本"))
    content = models.JSONField(_("内容"))
    reason = models.CharField(_("更正原因"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = StampField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "报告修订前版本")
        verbose_name_plural = pgettext_lazy("model name, plural", "报告修订前版本")
        ordering = ["-revision"]
        constraints = [models.UniqueConstraint(fields=["report", "revision"], name="revision_unique")]

    def __str__(self) -> str:
        return gettext("第%(n)s版") % {"n": self.revision}


class ReportMilestone(models.Model):
    """A milestone the report says was reached this month, with its date and evidence."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reached")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    done_date = models.DateField(_("完成日期"))
    evidence = models.CharField(_("佐证"), max_length=500, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "报告所报节点")
        verbose_name_plural = pgettext_lazy("model name, plural", "报告所报节点")
        constraints = [models.UniqueConstraint(fields=["report", "milestone"], name="reached_unique")]

    def __str__(self) -> str:
        return f"{self.milestone} {self.done_date}"


class Contribution(models.Model):
    """A co-unit's or joint lead unit's own contribution to a report (配合单位工作情况), shown separately."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="contributions")
    unit = models.ForeignKey(Unit, verbose_name=_("配合单位"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("本单位工作情况"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = StampField(auto_now=True)

    joint = (
        False  # set by the selectors when the unit leads the item jointly (共同牵头) rather than co-operates
    )

    class Meta:
        verbose_name = pgettext_lazy("model name", "配合单位工作情况")
        verbose_name_plural = pgettext_lazy("model name, plural", "配合单位工作情况")
        constraints = [models.UniqueConstraint(fields=["report", "unit"], name="contribution_unique")]

    def __str__(self) -> str:
        return gettext("%(unit)s 配合情况") % {"unit": self.unit}


class Attachment(AttachmentBase):
    """A file attached to a report; stored under a generated name, served only through the report's gate."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/%m/")

    class Meta(AttachmentBase.Meta):
        verbose_name = pgettext_lazy("model name", "附件")
        verbose_name_plural = pgettext_lazy("model name, plural", "附件")


class ItemStatus(models.Model):
    """An item's status right now, with its reason in words; recomputed by the status engine."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="current_status")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, db_index=True)
    reason = models.CharField(_("原因"), max_length=300)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    # The office's judgement "成效不明显" stands beside the light, with its reason.
    no_effect = models.BooleanField(_("成效不明显"), default=False)
    no_effect_reason = models.CharField(_("成效不明显的理由"), max_length=300, blank=True)
    computed_at = StampField(auto_now=True)

    AUDIT_FIELDS = ["no_effect", "no_effect_reason"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "事项状态")
        verbose_name_plural = pgettext_lazy("model name, plural", "事项状态")

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_status_display()}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        summarize_onto_items([self])


def summarize_onto_items(rows: "list[ItemStatus]") -> None:
    """Write each status onto its item's summary fields (Item.status …), which the ledger lists and
    filters by without knowing the dispatch. One executemany: a city's worth of items at once."""
    if not rows:
        return
    from django.db import connection

    q = connection.ops.quote_name
    table = q(Item._meta.db_table)
    sql = (
        f"UPDATE {table} SET {q('status')} = %s, {q('status_reason')} = %s, {q('no_effect')} = %s, "
        f"{q('no_effect_reason')} = %s WHERE {q('id')} = %s"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, [[r.status, r.reason, r.no_effect, r.no_effect_reason, r.item_id] for r in rows])


class StatusSnapshot(LeadUnits, models.Model):
    """An item's status as it stood for a period, with who led it then (`lead_units`, the joint leads
    read from its SnapshotJointLead rows); frozen when the period closes."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="snapshots")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="snapshots")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices)
    reason = models.CharField(_("原因"), max_length=300)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    no_effect = models.BooleanField(default=False)
    lead_unit = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="+")
    computed_at = StampField(auto_now=True)

    # Set by snapshot_joint_lead_prefetch and read by `joint_leads` (LeadUnits).
    joint_lead_rows: "list[SnapshotJointLead]"

    class Meta:
        verbose_name = pgettext_lazy("model name", "状态快照")
        verbose_name_plural = pgettext_lazy("model name, plural", "状态快照")
        constraints = [models.UniqueConstraint(fields=["item", "period"], name="snapshot_unique")]

    def __str__(self) -> str:
        return f"{self.period} {self.get_status_display()}"


class SnapshotJointLead(models.Model):
    """A joint lead unit (共同牵头) of an item as of a period's snapshot, at its place in the plan's list:
    frozen with the snapshot, so a closed period keeps who led the item then, whatever the ledger says now."""

    snapshot = models.ForeignKey(StatusSnapshot, on_delete=models.CASCADE, related_name="joint_lead_links")
    unit = models.ForeignKey(Unit, verbose_name=_("共同牵头单位"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model name", "快照中的共同牵头单位")
        verbose_name_plural = pgettext_lazy("model name, plural", "快照中的共同牵头单位")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "unit"], name="snapshotjointlead_unique_snapshot_unit"
            )
        ]

    def __str__(self) -> str:
        return str(self.unit)


def snapshot_joint_lead_prefetch(path: str = "") -> models.Prefetch:
    """What `StatusSnapshot.joint_leads` reads, for a list of snapshots (or of records whose `path`
    leads to snapshots): one query for all of them."""
    rows = SnapshotJointLead.objects.select_related("unit").only(
        "id", "snapshot_id", "order", "unit__id", "unit__name"
    )
    return models.Prefetch(f"{path}joint_lead_links", queryset=rows, to_attr="joint_lead_rows")
