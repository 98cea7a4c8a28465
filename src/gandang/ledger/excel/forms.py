"""Forms of the ledger import: upload a file for a plan, then confirm the preview."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gandang.ledger.models import Plan


class _PlanTargetForm(forms.Form):
    """Which plan the rows go to: an existing one, or a new one by year and name."""

    plan = forms.ModelChoiceField(
        label=_("导入到方案"), queryset=Plan.objects.filter(is_archived=False), required=False
    )
    new_plan_year = forms.IntegerField(label=_("新方案年度"), required=False, min_value=2000, max_value=2100)
    new_plan_name = forms.CharField(label=_("新方案名称"), required=False, max_length=200)
    # The third choice: a whole-ledger export says each row's plan in its 所属方案 column.
    plans_from_file = forms.BooleanField(
        label=_("按文件中的“所属方案”列"),
        required=False,
        help_text=_("用于本系统导出的整个台账：每个事项导入到其所属方案。勾选后不使用上面选择的方案。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("plans_from_file"):
            data.update(plan=None, new_plan_year=None, new_plan_name="")
            return data
        plan, year, name = (
            data.get("plan"),
            data.get("new_plan_year"),
            (data.get("new_plan_name") or "").strip(),
        )
        if plan and (year or name):
            raise forms.ValidationError(_("请在“导入到已有方案”和“新建方案”中二选一"))
        if not plan and not (year and name):
            raise forms.ValidationError(_("请选择导入到哪个方案，或填写新方案的年度和名称"))
        data["new_plan_name"] = name
        return data

    def plan_year(self) -> int:
        data = self.cleaned_data
        return data["plan"].year if data.get("plan") else data["new_plan_year"]

    def existing_plan(self) -> Plan | None:
        """The chosen plan, or the plan that already has the new plan's year and name."""
        data = self.cleaned_data
        if data.get("plan"):
            return data["plan"]
        return Plan.objects.filter(year=data["new_plan_year"], name=data["new_plan_name"]).first()

    def target(self) -> dict:
        """Keyword arguments naming the plan, for the import service and the hidden fields."""
        data = self.cleaned_data
        return {
            "plan": data.get("plan"),
            "new_plan_year": data.get("new_plan_year"),
            "new_plan_name": data.get("new_plan_name", ""),
            "plans_from_file": bool(data.get("plans_from_file")),
        }


class ImportUploadForm(_PlanTargetForm):
    file = forms.FileField(label=_("台账文件（.xlsx）"))

    field_order = ["file", "plan", "new_plan_year", "new_plan_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Most imports go to this year's main plan: offer the newest top-level plan first.
        latest = Plan.objects.filter(is_archived=False, parent__isnull=True).order_by("-year", "id").first()
        if latest and not self.is_bound:
            self.initial.setdefault("plan", latest.pk)

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = settings.GANDANG_IMPORT_MAX_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                _("文件大小为 %(size).1f MB，超过 %(limit).1f MB 的上限，请拆分后分批导入"),
                params={"size": file.size / 1024 / 1024, "limit": limit / 1024 / 1024},
            )
        return file


class ImportConfirmForm(_PlanTargetForm):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    create_missing = forms.BooleanField(label=_("确认新建以上单位和领导"), required=False)
