"""Forms of the ledger import: upload a file for a plan, then confirm the preview."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gandang.ledger.models import Plan

TARGETS = [
    ("existing", _("导入到已有方案")),
    ("new", _("新建方案")),
    ("file", _("按文件中的“所属方案”列")),
]


class _PlanTargetForm(forms.Form):
    """Which plan the rows go to: one explicit choice (an existing plan, a new one, or each row's own
    plan from the file's 所属方案 column), so a value left in another choice's fields never conflicts."""

    into = forms.ChoiceField(
        label=_("导入到"), choices=TARGETS, required=False, widget=forms.RadioSelect, initial="existing"
    )
    plan = forms.ModelChoiceField(
        label=_("已有方案"), queryset=Plan.objects.filter(is_archived=False), required=False
    )
    new_plan_year = forms.IntegerField(label=_("新方案年度"), required=False, min_value=2000, max_value=2100)
    new_plan_name = forms.CharField(label=_("新方案名称"), required=False, max_length=200)
    # Kept for the confirmation step's hidden fields (and older links): the same as target=file.
    plans_from_file = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        target = data.get("into") or (
            "file" if data.get("plans_from_file") else "existing" if data.get("plan") else "new"
        )
        data["into"] = target
        if target == "file":
            data.update(plan=None, new_plan_year=None, new_plan_name="", plans_from_file=True)
            return data
        data["plans_from_file"] = False
        if target == "existing":
            if not data.get("plan") and "plan" not in self.errors:
                self.add_error("plan", _("请选择要导入到的方案"))
            data.update(new_plan_year=None, new_plan_name="")
            return data
        name = (data.get("new_plan_name") or "").strip()
        if not data.get("new_plan_year") and "new_plan_year" not in self.errors:
            self.add_error("new_plan_year", _("请填写新方案的年度"))
        if not name and "new_plan_name" not in self.errors:
            self.add_error("new_plan_name", _("请填写新方案的名称"))
        data.update(plan=None, new_plan_name=name)
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
    """The upload step. A file that arrived is kept (`kept`) when anything else on the form is wrong,
    so the person fixes the field and presses the button again without choosing the file again."""

    file = forms.FileField(
        label=_("台账文件（.xlsx）或印发的方案（.docx / .pdf）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.docx,.pdf"}),
    )
    upload_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    field_order = ["file", "into", "plan", "new_plan_year", "new_plan_name"]

    def __init__(self, *args, kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = kept
        # Most imports go to this year's main plan: offer the newest top-level plan first.
        latest = Plan.objects.filter(is_archived=False, parent__isnull=True).order_by("-year", "id").first()
        if latest and not self.is_bound:
            self.initial.setdefault("plan", latest.pk)

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file is None:
            if self.kept is None:
                raise forms.ValidationError(_("请选择要导入的台账文件（.xlsx）或方案文件（.docx / .pdf）"))
            return None
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
