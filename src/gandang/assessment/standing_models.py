"""The monthly standing (月度晾晒, 比学赶超): after a dispatch period closes, the units ranked by what the
month's records show, under the year's standing scheme (a `Scheme` of purpose 月度晾晒, scored by the
same rules as the annual assessment), with each unit's movement since the month before's published
standing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gandang.assessment.models import Indicator, PointsLine, Scheme
from gandang.dispatch.models import Period
from gandang.org.models import Unit


class Standing(models.Model):
    """One closed period's standing: computed (the office checks it, may recompute), then published to
    every unit (frozen from then on), optionally summarised on the public showcase."""

    class State(models.TextChoices):
        COMPUTED = "computed", _("待发布")
        PUBLISHED = "published", _("已发布")

    period = models.OneToOneField(
        Period, verbose_name=_("调度期"), on_delete=models.PROTECT, related_name="standing"
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("晾晒方案"), on_delete=models.PROTECT, related_name="standings"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.COMPUTED)
    # The scheme as it stood when computed (indicators and their params): the standing reads the same later.
    config = models.JSONField(_("计算时的方案配置"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The standing movement is measured against: the previous month's, once published (units never saw
    # an unpublished one). None: no published standing last month, so no movement is given.
    compared_with = models.ForeignKey(
        "self",
        verbose_name=_("名次变化比较的晾晒"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_showcase = models.BooleanField(
        _("在公开专栏展示摘要"), default=False, help_text=_("各类单位的前三名和进步最快的单位")
    )

    AUDIT_FIELDS = [
        "state",
        "computed_at",
        "compared_with",
        "on_showcase",
    ]  # a recomputation is in the history too

    class Meta:
        verbose_name = pgettext_lazy("model name", "月度晾晒")
        verbose_name_plural = pgettext_lazy("model name, plural", "月度晾晒")
        ordering = ["-period__year", "-period__month"]

    def __str__(self) -> str:
        return gettext("%(p)s晾晒") % {"p": self.period}

    def get_absolute_url(self) -> str:
        return reverse("assessment:standing_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class StandingLine(PointsLine):
    """A unit's points on one indicator of the standing's scheme, for that month."""

    standing = models.ForeignKey(Standing, on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("model name", "晾晒得分明细")
        verbose_name_plural = pgettext_lazy("model name, plural", "晾晒得分明细")
        ordering = ["standing", "unit", "order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["standing", "unit", "indicator"], name="standingline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.indicator_name} {self.points}"


class StandingResult(models.Model):
    """A unit's total and rank among units of its kind in one month, and its rank in the standing the
    movement is measured against (`Standing.compared_with`: last month's, once published)."""

    standing = models.ForeignKey(Standing, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_kind = models.CharField(_("单位类型"), max_length=16, choices=Unit.Kind.choices)
    unit_name = models.CharField(_("单位"), max_length=100)
    total = models.DecimalField(_("得分"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("排名"))
    # Among the same kind in the standing compared with; null when the unit was not ranked there, or when
    # there is none (no standing published last month).
    previous_rank = models.PositiveIntegerField(_("上月排名"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model name", "晾晒结果")
        verbose_name_plural = pgettext_lazy("model name, plural", "晾晒结果")
        ordering = ["standing", "unit_kind", "rank", "unit_name"]
        constraints = [models.UniqueConstraint(fields=["standing", "unit"], name="standingresult_unique")]
        indexes = [models.Index(fields=["standing", "unit_kind", "rank"])]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.total}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:standing_unit", args=[self.standing_id, self.unit_id])

    @property
    def movement(self) -> int | None:
        """Places gained since last month (negative: lost); None for a unit not ranked last month, or when
        no standing was published last month."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def places_moved(self) -> int:
        """How many places up or down, without the sign (0 when new or unchanged)."""
        return abs(self.movement or 0)
