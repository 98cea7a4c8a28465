"""The annual assessment (年考核, DOMAIN mechanism 6): schemes, runs of the scoring, ranks and objections."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gandang.core.fields import StampField
from gandang.org.models import Unit

# The kinds of unit ranked against each other (the office's own unit and the courts are "other").
RANKED_KINDS = [Unit.Kind.DEPARTMENT, Unit.Kind.COUNTY, Unit.Kind.ENTERPRISE, Unit.Kind.OTHER]


def default_grades() -> list[dict]:
    """优秀≥90, 良好≥80, 一般≥60, else 较差: the last grade has no minimum."""
    return [
        {"name": "优秀", "min": 90},
        {"name": "良好", "min": 80},
        {"name": "一般", "min": 60},
        {"name": "较差", "min": None},
    ]


def validate_grades(value) -> None:
    """Grades from best to worst, minimums strictly falling, the last one without a minimum."""
    if not isinstance(value, list) or not value:
        raise ValidationError(
            _('等次须为列表，如 [{"name": "优秀", "min": 90}, …, {"name": "较差", "min": null}]')
        )
    last = None
    for i, g in enumerate(value):
        if not isinstance(g, dict) or not str(g.get("name", "")).strip():
            raise ValidationError(_("每个等次须有名称（name）"))
        low = g.get("min")
        is_last = i == len(value) - 1
        if is_last:
            if low is not None:
                raise ValidationError(
                    _("最后一个等次不设分数线（min 为 null），低于以上分数线的均归入该等次")
                )
            break
        if not isinstance(low, int | float) or isinstance(low, bool):
            raise ValidationError(_("等次“%(name)s”的分数线须为数字") % {"name": g["name"]})
        if last is not None and low >= last:
            raise ValidationError(_("等次分数线须从高到低排列"))
        last = low


class Scheme(models.Model):
    """A year's assessment scheme (考核方案): its indicators, grade thresholds and objection window.

    Or the formula of the year's monthly standings (月度晾晒): the same indicators and rules, scored
    over one closed dispatch period at a time (`Standing`); grades and objections do not apply."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ACTIVE = "active", _("已启用")

    class Purpose(models.TextChoices):
        ANNUAL = "annual", _("年度考核")
        STANDING = "standing", _("月度晾晒")

    year = models.PositiveIntegerField(_("考核年度"))
    purpose = models.CharField(
        _("用途"),
        max_length=10,
        choices=Purpose.choices,
        default=Purpose.ANNUAL,
        help_text=_("月度晾晒：每个调度期结束后，按本方案的指标对该月的记录计分排名；每年至多启用一个"),
    )
    name = models.CharField(_("方案名称"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    grades = models.JSONField(
        _("等次分数线"),
        default=default_grades,
        validators=[validate_grades],
        help_text=_("从高到低，如 优秀≥90、良好≥80、一般≥60，最后一个等次 min 为 null"),
    )
    objection_days = models.PositiveSmallIntegerField(
        _("异议期（天）"), default=7, help_text=_("考核结果定稿后，单位可在此期限内对本单位得分提出异议")
    )
    description = models.TextField(_("说明"), blank=True)
    created_at = StampField(_("创建时间"), auto_now_add=True)

    AUDIT_FIELDS = ["year", "name", "purpose", "state", "grades", "objection_days", "description"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "考核方案")
        verbose_name_plural = pgettext_lazy("model name, plural", "考核方案")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"],
                name="scheme_unique_year_name",
                violation_error_message=_("该年度已有同名考核方案"),
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(purpose="standing", state="active"),
                name="scheme_one_active_standing_a_year",
                violation_error_message=_("该年度已有启用的月度晾晒方案"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:scheme_detail", args=[self.pk])

    def grade_for(self, total: Decimal) -> str:
        return grade_for(self.grades, total)

    @property
    def is_standing(self) -> bool:
        return self.purpose == self.Purpose.STANDING


def grade_for(grades: list[dict], total: Decimal) -> str:
    for g in grades:
        if g.get("min") is None or total >= Decimal(str(g["min"])):
            return str(g["name"])
    return ""


class Indicator(models.Model):
    """One indicator of a scheme: which units it applies to, how it is scored (rule and params), its points."""

    class Rule(models.TextChoices):
        COMPLETION = "completion", _("任务完成率")
        REPORTING = "reporting", _("月调度报送")
        SUPERVISION = "supervision", _("督办扣分")
        LAGGING = "lagging", _("事项滞后扣分")
        EXPERIENCE = "experience", _("经验推广加分")
        PILOTS = "pilots", _("改革试点加分")
        HONORS = "honors", _("荣誉加分")
        PRAISE = "praise", _("领导肯定性批示加分")
        INFORMATION = "information", _("改革信息加分")
        PARTNER_USE = "partner_use", _("信息被两办两研采用加分")
        MANUAL = "manual", _("评定加减分")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField(_("指标名称"), max_length=100)
    rule = models.CharField(_("计分规则"), max_length=12, choices=Rule.choices)
    unit_kinds = models.JSONField(
        _("适用单位类型"),
        default=list,
        help_text=_('如 ["department", "county", "enterprise"]；不同类型的单位分别排名'),
    )
    max_points = models.DecimalField(
        _("分值/上限"),
        max_digits=8,
        decimal_places=2,
        help_text=_("基本指标为满分；加分、扣分指标为加（扣）分上限"),
    )
    params = models.JSONField(_("计分参数"), default=dict, blank=True)
    green_channel = models.BooleanField(
        _("绿色通道"), default=False, help_text=_("直接计入综合考核：单列显示，并计入总分")
    )
    description = models.CharField(_("评分标准说明"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=100)

    AUDIT_FIELDS = [
        "name",
        "rule",
        "unit_kinds",
        "max_points",
        "params",
        "green_channel",
        "description",
        "order",
    ]

    class Meta:
        verbose_name = pgettext_lazy("model name", "考核指标")
        verbose_name_plural = pgettext_lazy("model name, plural", "考核指标")
        ordering = ["scheme", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        # Checked here rather than in clean(), which cannot know the form's fields: a form without
        # one of them (the indicator list's editable 排序 column) skips it, as Django skips the
        # fields a form excludes, instead of failing on an error keyed to a field it lacks.
        from gandang.assessment.rules import validate_params

        super().clean_fields(exclude=exclude)
        skip = set(exclude or ())
        kinds = {str(k) for k in RANKED_KINDS}  # the partners of 两办两研 are never assessed
        listed = self.unit_kinds if isinstance(self.unit_kinds, list) else []
        known = bool(listed) and all(isinstance(k, str) and k in kinds for k in listed)
        if "unit_kinds" not in skip and not known:
            raise ValidationError(
                {"unit_kinds": _("请填写适用单位类型列表，可选：%(k)s") % {"k": "、".join(sorted(kinds))}}
            )
        if "max_points" not in skip and self.max_points is not None and self.max_points < 0:
            raise ValidationError({"max_points": _("分值不能为负数")})
        if "params" not in skip and self.rule:
            validate_params(self.rule, self.params)
        if (
            "rule" not in skip
            and self.rule == self.Rule.MANUAL
            and self.scheme_id is not None
            and self.scheme.purpose == Scheme.Purpose.STANDING
        ):
            raise ValidationError({"rule": _("月度晾晒只依据记录计分，不设评定加减分")})

    def unit_kind_labels(self) -> str:
        labels = dict(Unit.Kind.choices)
        return "、".join(str(labels.get(k, k)) for k in self.unit_kinds)


class ManualScore(models.Model):
    """Points the office awards or deducts by judgement (e.g. 改革特别奖), always with its justification."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="manual_scores")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="manual_scores"
    )
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2, help_text=_("加分为正，扣分为负"))
    justification = models.CharField(_("评定理由"), max_length=500)
    is_void = models.BooleanField(_("已作废"), default=False)
    void_reason = models.CharField(_("作废理由"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评定人"), on_delete=models.PROTECT, related_name="+"
    )
    at = StampField(_("评定时间"), auto_now_add=True)

    AUDIT_FIELDS = ["unit", "indicator", "points", "justification", "is_void", "void_reason"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "评定加减分")
        verbose_name_plural = pgettext_lazy("model name, plural", "评定加减分")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.indicator} {self.points}"


class Run(models.Model):
    """One computation of a scheme over the year's records; kept forever, frozen once finalized."""

    class State(models.TextChoices):
        COMPUTED = "computed", _("试算")
        FINALIZED = "finalized", _("已定稿")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="runs"
    )
    number = models.PositiveIntegerField(_("计算批次"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.COMPUTED)
    # The scheme as it stood (grades, window, indicators and their params), so the run reads the same later.
    config = models.JSONField(_("计算时的方案配置"), default=dict)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalized_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The results notice (考核结果通报), issued after finalizing; its content frozen as document data.
    notice_number = models.PositiveIntegerField(null=True, blank=True)
    notice_doc_number = models.CharField(_("通报文号"), max_length=50, blank=True)
    notice_issued_on = models.DateField(_("通报印发日期"), null=True, blank=True)
    notice_content = models.JSONField(null=True, blank=True)

    AUDIT_FIELDS = ["state", "note", "notice_doc_number", "notice_issued_on"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "考核计算")
        verbose_name_plural = pgettext_lazy("model name, plural", "考核计算")
        ordering = ["scheme", "-number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="run_unique_number")]

    def __str__(self) -> str:
        return gettext("%(scheme)s 第%(n)s次计算") % {"scheme": self.scheme, "n": self.number}

    def get_absolute_url(self) -> str:
        return reverse("assessment:run_detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.state == self.State.FINALIZED

    @property
    def objection_deadline(self) -> date | None:
        """The last day units may object: the window opens when the run is finalized (published)."""
        if self.finalized_at is None:
            return None
        days = int(self.config.get("objection_days", self.scheme.objection_days))
        return timezone.localdate(self.finalized_at) + timedelta(days=days)

    def objection_open(self, today: date) -> bool:
        deadline = self.objection_deadline
        return deadline is not None and today <= deadline


class PointsLine(models.Model):
    """A unit's points on one indicator, explained in words, with the records behind them: a line of an
    assessment run's sheet (`ScoreLine`) or of a monthly standing (`StandingLine`)."""

    # Copied from the indicator when computed: the line reads the same after the scheme is edited.
    indicator_name = models.CharField(_("指标"), max_length=100)
    rule = models.CharField(_("计分规则"), max_length=12, choices=Indicator.Rule.choices)
    max_points = models.DecimalField(_("分值/上限"), max_digits=8, decimal_places=2)
    green_channel = models.BooleanField(_("绿色通道"), default=False)
    order = models.PositiveIntegerField(default=100)
    points = models.DecimalField(_("得分"), max_digits=8, decimal_places=2)
    explanation = models.TextField(_("计分说明"))
    # [{model, id, label, url, points}]: every point links to the record that earned or cost it.
    evidence = models.JSONField(_("佐证记录"), default=list)

    class Meta:
        abstract = True


class ScoreLine(PointsLine):
    """A unit's points on one indicator in one run, explained in words, with the records behind them."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("model name", "得分明细")
        verbose_name_plural = pgettext_lazy("model name, plural", "得分明细")
        ordering = ["run", "unit", "order", "indicator_id"]
        constraints = [models.UniqueConstraint(fields=["run", "unit", "indicator"], name="scoreline_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.indicator_name} {self.points}"


class UnitResult(models.Model):
    """A unit's total, green-channel points, rank among units of its kind and grade in one run."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_kind = models.CharField(_("单位类型"), max_length=16, choices=Unit.Kind.choices)
    unit_name = models.CharField(_("单位"), max_length=100)
    base = models.DecimalField(_("考核得分"), max_digits=8, decimal_places=2)
    green = models.DecimalField(_("绿色通道"), max_digits=8, decimal_places=2)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("排名"))
    grade = models.CharField(_("等次"), max_length=20)

    class Meta:
        verbose_name = pgettext_lazy("model name", "考核结果")
        verbose_name_plural = pgettext_lazy("model name, plural", "考核结果")
        ordering = ["run", "unit_kind", "rank", "unit__sort_order"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="unitresult_unique")]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.total}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:sheet", args=[self.run_id, self.unit_id])


class Objection(models.Model):
    """A unit's objection (异议) to a line of its sheet, filed within the window and answered by the office."""

    class State(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已说明")
        UPHELD = "upheld", _("异议成立")
        REJECTED = "rejected", _("不予采纳")

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="objections")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(
        ScoreLine,
        verbose_name=_("得分项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    text = models.TextField(_("异议内容"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = StampField(_("提出时间"), auto_now_add=True)
    answer = models.TextField(_("答复意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # The run the answer triggered, when the answer changed the scores.
    rerun = models.ForeignKey(Run, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    AUDIT_FIELDS = ["text", "state", "answer"]

    class Meta:
        verbose_name = pgettext_lazy("model name", "考核异议")
        verbose_name_plural = pgettext_lazy("model name, plural", "考核异议")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return gettext("%(unit)s 对%(what)s的异议") % {
            "unit": self.unit,
            "what": self.line.indicator_name if self.line else gettext("考核结果"),
        }

    def get_absolute_url(self) -> str:
        return reverse("assessment:sheet", args=[self.run_id, self.unit_id]) + f"#objection-{self.pk}"


from gandang.assessment.standing_models import Standing, StandingLine, StandingResult  # noqa: E402

__all__ = [
    "RANKED_KINDS",
    "Indicator",
    "ManualScore",
    "Objection",
    "PointsLine",
    "Run",
    "Scheme",
    "ScoreLine",
    "Standing",
    "StandingLine",
    "StandingResult",
    "UnitResult",
]
