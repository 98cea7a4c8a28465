"""The office configures schemes and indicators (params as JSON, validated per rule kind) in 配置管理."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gandang.assessment.models import Indicator, Scheme
from gandang.assessment.rules import describe_params
from gandang.core.admin import AuditedAdmin, site


class SchemeAdmin(AuditedAdmin):
    list_display = ["year", "name", "purpose", "state", "objection_days"]
    list_filter = ["purpose", "state", "year"]
    fields = ["year", "name", "purpose", "state", "grades", "objection_days", "description"]


class IndicatorAdmin(AuditedAdmin):
    list_display = ["name", "scheme", "rule", "kinds", "max_points", "green_channel", "order"]
    list_filter = ["scheme", "rule", "green_channel"]
    list_editable = ["order"]
    fields = [
        "scheme",
        "name",
        "rule",
        "unit_kinds",
        "max_points",
        "params",
        "green_channel",
        "description",
        "order",
        "rule_help",
    ]
    readonly_fields = ["rule_help"]

    @admin.display(description=_("适用单位"))
    def kinds(self, obj: Indicator) -> str:
        return obj.unit_kind_labels()

    @admin.display(description=_("参数含义"))
    def rule_help(self, obj: Indicator) -> str:
        if obj.pk is None:
            return str(
                _(
                    'completion: {"count": ["done", "green"], "when_none": "full"}；'
                    'reporting: {"late": 0.5, "missing": 1, "returned": 0.2, "copy": 0.5}；'
                    'supervision: {"listing": {"office": 1, "leader": 2}, "letter": {"reminder": 0.5, "supervision": 1}}；'
                    'lagging: {"yellow": 1, "red": 2}；'
                    'experience: {"levels": {"city": 0.5, "province": 2, "ministry": 3, "central": 5}}；'
                    'pilots: {"undertaken": {"national": 3}, "passed": {"national": 3}}；'
                    'honors: {"levels": {"state_council": 5, "province": 2}}；manual: {}'
                )
            )
        try:
            return describe_params(obj.rule, obj.params)
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            return ""  # params being corrected on this form: the error above says what is wrong


site.register(Scheme, SchemeAdmin)
site.register(Indicator, IndicatorAdmin)
