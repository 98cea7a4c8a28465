from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from gandang.core.forms import (
    DateField,
    OptionChoiceField,
    OptionQuery,
    OrderedModelChoiceField,
    QuickCheckboxInput,
    QuickSelect,
    QuickTextInput,
    read_options_once,
)
from gandang.ledger import extensions
from gandang.ledger.cycles import Cycle
from gandang.ledger.models import Area, Item, Plan, Status
from gandang.ledger.selectors import DUE_WINDOWS
from gandang.org.models import Leader, Unit

FLAG_CHOICES = [
    ("", _("全部")),
    ("key", _("重点改革任务")),
    ("leader_led", _("市级领导领衔")),
    ("split", _("已分解的事项")),
    ("sub", _("子事项")),
    ("overdue_ms", _("有逾期时间节点")),
]
SORT_CHOICES = [
    ("code", _("按编号")),
    ("due", _("按完成时限")),
    ("-due", _("按完成时限（倒序）")),
    ("unit", _("按牵头单位")),
    ("title", _("按名称")),
    ("-updated", _("最近修改")),
]


# The list filters' options: read on each request, the SQL compiled and the options escaped once.
PLAN_OPTIONS = OptionQuery(lambda: Plan.objects.filter(is_archived=False), fields=("year", "name"))
AREA_OPTIONS = OptionQuery(lambda: Area.objects.all())
UNIT_OPTIONS = OptionQuery(lambda: Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.PARTNER))
LEADER_OPTIONS = OptionQuery(lambda: Leader.objects.filter(is_active=True))


class ItemFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=QuickTextInput(attrs={"placeholder": _("编号、名称或目标")})
    )
    plan = OptionChoiceField(PLAN_OPTIONS, label=_("方案"), required=False)
    area = OptionChoiceField(AREA_OPTIONS, label=_("领域"), required=False)
    # Both unit selects list the same options, escaped once for the two.
    unit = OptionChoiceField(UNIT_OPTIONS, label=_("单位"), required=False)
    lead_unit = OptionChoiceField(UNIT_OPTIONS, label=_("牵头单位"), required=False)
    leader = OptionChoiceField(LEADER_OPTIONS, label=_("领衔领导"), required=False)
    flag = forms.ChoiceField(label=_("标记"), choices=FLAG_CHOICES, required=False, widget=QuickSelect)
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部")), *Status.choices, ("no_effect", _("成效不明显"))],
        required=False,
        widget=QuickSelect,
    )
    due = forms.ChoiceField(
        label=_("完成时限"),
        choices=[("", _("不限"))] + [(k, _(v)) for k, v in DUE_WINDOWS.items()],
        required=False,
        widget=QuickSelect,
    )
    due_from = DateField(label=_("时限从"), required=False)
    due_to = DateField(label=_("时限至"), required=False)
    archived = forms.BooleanField(label=_("含已归档"), required=False, widget=QuickCheckboxInput)
    sort = forms.ChoiceField(label=_("排序"), choices=SORT_CHOICES, required=False, widget=QuickSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Flags other apps register (e.g. 挂牌督办中, from supervision) after the ledger's own.
        self.fields["flag"].choices = [*FLAG_CHOICES, *((f.key, f.label) for f in extensions.flags())]
        # Filters other apps register with a value of their own (e.g. 调度期末滞后, from the bulletins),
        # shown before 含已归档 and the sort order.
        for f in extensions.filters():
            self.fields[f.key] = f.field()
        self.order_fields([k for k in self.fields if k not in ("archived", "sort")])
        read_options_once(self)

    def filters(self) -> dict:
        """The cleaned filters; invalid values are dropped rather than failing the list page."""
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


class ItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # In the plan's order, which documents and lists keep (the first is named first): a numbered list
    # of places, the order they are chosen in.
    joint_lead_units = OrderedModelChoiceField(
        Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.PARTNER), label=_("共同牵头单位")
    )
    reason = forms.CharField(label=_("修改说明"), required=False, max_length=300)

    class Meta:
        model = Item
        fields = Item.EDITABLE_FIELDS
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "leaders": forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
            "co_units": forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
        }
        field_classes = {"start_date": DateField, "due_date": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(is_archived=False)
        self.fields["lead_unit"].queryset = Unit.objects.filter(is_active=True).exclude(
            kind=Unit.Kind.PARTNER
        )
        self.fields["lead_unit"].required = True
        self.fields["lead_unit"].help_text = _("几个单位共同牵头时，填排在首位、负责汇总报送的单位")
        self.fields["joint_lead_units"].queryset = Unit.objects.filter(is_active=True).exclude(
            kind=Unit.Kind.PARTNER
        )
        self.fields["joint_lead_units"].help_text = _(
            "与牵头单位一起牵头的其他单位（共同牵头），可补充本单位情况；按文件中的顺序依次选择，"
            "改选各位次的单位即可调整顺序"
        )
        if self.instance.pk:
            # In the plan's order (the form's default would list them in the units' order).
            self.initial["joint_lead_units"] = [u.pk for u in self.instance.joint_leads]
        self.fields["co_units"].queryset = Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.PARTNER)
        self.fields["leaders"].queryset = Leader.objects.filter(is_active=True)
        parents = Item.objects.filter(is_archived=False, parent__isnull=True).select_related("plan")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["deliverable"].widget.attrs["list"] = "deliverable-options"

    def clean(self):
        data = super().clean()
        if not data.get("no_fixed_date") and not data.get("due_date"):
            self.add_error("due_date", _("请填写完成时限，或勾选“长期坚持/持续推进”"))
        lead, joint = data.get("lead_unit"), data.get("joint_lead_units") or []
        if lead is not None and lead in joint:
            self.add_error(
                "joint_lead_units", _("“%(unit)s”已是牵头单位，不必再选为共同牵头单位") % {"unit": lead}
            )
        both = set(joint) & set(data.get("co_units") or [])
        if both:
            names = "、".join(u.name for u in both)
            self.add_error(
                "co_units", _("“%(units)s”已是共同牵头单位，不能同时作为配合单位") % {"units": names}
            )
        return data


class MilestoneForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("节点内容"), max_length=200, required=False)
    due_date = DateField(label=_("计划完成"), required=False)
    done_date = DateField(label=_("实际完成"), required=False)
    evidence = forms.CharField(label=_("佐证"), required=False, widget=forms.TextInput())
    DELETE = forms.BooleanField(label=_("删除"), required=False)

    def clean(self):
        data = super().clean()
        if (data.get("due_date") or data.get("done_date") or data.get("evidence")) and not data.get("title"):
            self.add_error("title", _("请填写节点内容"))
        return data


MilestoneFormSet = formset_factory(MilestoneForm, extra=2, max_num=50, validate_max=True)


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["year", "name", "parent", "description", "cycle", "deadlines"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Plan.objects.filter(is_archived=False)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        # A form posted without the cycle (an older page, a script) keeps the plan's.
        self.fields["cycle"].required = False

    def clean_cycle(self):
        return self.cleaned_data.get("cycle") or self.instance.cycle or Cycle.MONTHLY


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("说明"), required=False, max_length=300)
