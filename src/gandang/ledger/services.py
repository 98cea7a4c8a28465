"""Every write to the ledger goes through these functions, each atomic and audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from gandang.core import audit
from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.ledger import cycles
from gandang.ledger.document.sheet import Edits
from gandang.ledger.excel.commit import commit as commit_ledger
from gandang.ledger.excel.importer import ImportResult, parse_ledger, takes_document_cycle
from gandang.ledger.excel.reader import Workbook
from gandang.ledger.models import ImportBatch, Item, JointLead, Milestone, Plan
from gandang.org.models import Leader, Unit, User

ITEM_SCALAR_FIELDS = [f for f in Item.EDITABLE_FIELDS if f not in ("leaders", "joint_lead_units", "co_units")]


@dataclass
class MilestoneData:
    title: str
    due_date: date | None = None
    done_date: date | None = None
    evidence: str = ""
    id: int | None = None
    delete: bool = False


def _check_item(item: Item) -> None:
    if item.no_fixed_date:
        item.due_date = None
    if item.start_date and item.due_date and item.start_date > item.due_date:
        raise ServiceError("开始时间不能晚于完成时限")
    if item.parent is not None:
        if item.parent_id == item.pk:
            raise ServiceError("事项不能作为自己的上级事项")
        if item.parent.plan_id != item.plan_id:
            raise ServiceError("上级事项必须属于同一方案")
        if item.parent.parent_id:
            raise ServiceError("任务分解只支持一级：上级事项本身不能是子事项")
    dup = Item.objects.filter(plan_id=item.plan_id, code=item.code).exclude(pk=item.pk)
    if dup.exists():
        raise ServiceError(f"编号“{item.code}”在该方案中已被使用")


def _save_milestones(item: Item, rows: Iterable[MilestoneData], actor: User | None) -> None:
    existing = {m.pk: m for m in item.milestones.all()}
    entries: list[AuditEntry | None] = []
    for order, row in enumerate(rows):
        if row.id is not None:
            ms = existing.get(row.id)
            if ms is None:
                raise ServiceError("时间节点已不存在，请刷新页面后重试")
            before = audit.snapshot(ms)
            if row.delete:
                entries.append(
                    audit.entry(
                        ms, actor=actor, action=AuditEntry.Action.DELETE, before=before, after={}, scope=item
                    )
                )
                ms.delete()
                continue
        elif row.delete or not row.title.strip():
            continue
        else:
            ms = Milestone(item=item)
            before = {}
        ms.title, ms.due_date, ms.done_date = row.title.strip(), row.due_date, row.done_date
        ms.evidence, ms.sort_order = row.evidence, order
        ms.save()
        e = audit.entry(
            ms,
            actor=actor,
            action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
            before=before,
            scope=item,
        )
        entries.append(e)
    AuditEntry.objects.bulk_create([e for e in entries if e is not None])


def _set_leads(item: Item, joint_leads: Iterable[Unit] | None, co_units: Iterable[Unit] | None) -> None:
    """The joint lead units in the order given (`None`: those the item has), then the co-units;
    a unit is one of lead, joint lead or co-unit, the first named role winning."""
    if joint_leads is None:
        joint_leads = item.joint_leads
    joint = [u for u in dict.fromkeys(joint_leads) if u.pk != item.lead_unit_id]
    if [u.pk for u in joint] != [u.pk for u in item.joint_leads]:
        JointLead.objects.filter(item=item).delete()
        JointLead.objects.bulk_create([JointLead(item=item, unit=u, order=n) for n, u in enumerate(joint)])
    leads = {item.lead_unit_id, *(u.pk for u in joint)}
    if co_units is None:
        co_units = item.co_units.all()
    co = [u for u in co_units if u.pk not in leads]
    if {u.pk for u in co} != set(item.co_units.values_list("pk", flat=True)):
        item.co_units.set(co)


@transaction.atomic
def item_create(
    *,
    actor: User,
    fields: dict[str, Any],
    leaders: Iterable[Leader] = (),
    joint_leads: Iterable[Unit] = (),
    co_units: Iterable[Unit] = (),
    milestones: Iterable[MilestoneData] = (),
) -> Item:
    """Create an item with its leaders, joint lead units (after `lead_unit`, in order), co-units and milestones."""
    item = Item(**{k: v for k, v in fields.items() if k in ITEM_SCALAR_FIELDS})
    _check_item(item)
    item.save()
    item.leaders.set(leaders)
    _set_leads(item, joint_leads, co_units)
    _save_milestones(item, milestones, actor)
    audit.record(item, actor=actor, action=AuditEntry.Action.CREATE)
    return item


@transaction.atomic
def item_update(
    *,
    actor: User,
    item: Item,
    expected_version: int,
    fields: dict[str, Any],
    leaders: Iterable[Leader] | None = None,
    joint_leads: Iterable[Unit] | None = None,
    co_units: Iterable[Unit] | None = None,
    milestones: Iterable[MilestoneData] | None = None,
    reason: str = "",
) -> Item:
    """Change an item. Refused with StaleEdit if someone saved it since `expected_version` was read."""
    # The conditional bump is the lock: of two editors holding the same version only one matches.
    bumped = Item.objects.filter(pk=item.pk, version=expected_version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit("该事项已被他人修改，您的修改没有保存。请刷新页面，查看最新内容后重新编辑。")
    item = Item.objects.get(pk=item.pk)
    before = audit.snapshot(item)
    for name, value in fields.items():
        if name in ITEM_SCALAR_FIELDS:
            setattr(item, name, value)
    _check_item(item)
    item.save()
    if leaders is not None:
        item.leaders.set(leaders)
    _set_leads(item, joint_leads, co_units)
    if milestones is not None:
        _save_milestones(item, milestones, actor)
    audit.record(item, actor=actor, action=AuditEntry.Action.UPDATE, before=before, reason=reason)
    return item


@transaction.atomic
def item_set_archived(*, actor: User, item: Item, archived: bool, reason: str = "") -> Item:
    """Archive (or restore) an item. Items are never deleted; archived ones leave the default lists."""
    if archived and item.children.filter(is_archived=False).exists():
        raise ServiceError("请先归档该事项的子事项")
    before = audit.snapshot(item)
    Item.objects.filter(pk=item.pk).update(is_archived=archived, version=F("version") + 1)
    item.refresh_from_db()
    audit.record(
        item,
        actor=actor,
        action=AuditEntry.Action.ARCHIVE if archived else AuditEntry.Action.RESTORE,
        before=before,
        reason=reason,
    )
    return item


@transaction.atomic
def plan_save(*, actor: User | None, plan: Plan, fields: dict[str, Any]) -> Plan:
    """Create or change a plan."""
    creating = plan.pk is None
    before = {} if creating else audit.snapshot(Plan.objects.get(pk=plan.pk))
    for name, value in fields.items():
        setattr(plan, name, value)
    if plan.parent_id and plan.parent_id == plan.pk:
        raise ServiceError("方案不能作为自己的上级方案")
    why = cycles.deadlines_error(plan.cycle, plan.deadlines)
    if why:
        raise ServiceError(why)
    plan.deadlines = cycles.normalized(plan.deadlines)
    if Plan.objects.filter(year=plan.year, name=plan.name).exclude(pk=plan.pk).exists():
        raise ServiceError(f"{plan.year}年已有名为“{plan.name}”的方案")
    plan.save()
    audit.record(
        plan,
        actor=actor,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        before=before,
    )
    return plan


def _cycle_from_document(actor: User | None, plan: Plan, cadence: str) -> None:
    """The plan reports on the days its document's cover letter names ("一季度、上半年…分别于4月25日…前报送").

    Called only for a plan the import created or one still empty on the monthly default
    (importer.takes_document_cycle): a plan with items keeps the cycle its periods are on."""
    found = cycles.from_cadence(cadence)
    if found is None:
        return
    cycle, deadlines = found
    if (plan.cycle, plan.deadlines) != (cycle, deadlines):
        plan_save(actor=actor, plan=plan, fields={"cycle": cycle, "deadlines": deadlines})


class ImportRefused(ServiceError):
    """A ledger file that cannot be imported as it is; `result` holds every problem found."""

    def __init__(self, message: str, result: ImportResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass
class ImportOutcome:
    batches: list[ImportBatch]  # one per plan the rows went to
    result: ImportResult
    plan_created: bool

    @property
    def batch(self) -> ImportBatch:
        """The batch of a one-plan import (the first, when the file's rows went to several plans)."""
        return self.batches[0]


def _import_plan(actor: User | None, plan: Plan | None, year: int | None, name: str) -> tuple[Plan, bool]:
    if plan is not None:
        if plan.is_archived:
            raise ServiceError(f"方案“{plan}”已归档，不能再导入事项")
        return plan, False
    name = name.strip()
    if not year or not name:
        raise ServiceError("请选择导入到哪个方案，或填写新方案的年度和名称")
    existing = Plan.objects.filter(year=year, name=name).first()
    if existing is not None:
        return _import_plan(actor, existing, None, "")
    return plan_save(actor=actor, plan=Plan(), fields={"year": year, "name": name}), True


@transaction.atomic
def ledger_import(
    *,
    actor: User | None,
    workbook: Workbook,
    filename: str,
    plan: Plan | None = None,
    new_plan_year: int | None = None,
    new_plan_name: str = "",
    plans_from_file: bool = False,
    create_missing: bool = False,
    edits: Edits | None = None,
) -> ImportOutcome:
    """Import an .xlsx ledger into `plan` (or into a new plan year+name): every row, or nothing.

    With `plans_from_file`, each row goes to the existing plan its 所属方案 column names (a
    whole-ledger export re-imports into its plans, "1+N" action plans and repeated codes included).

    The file is read again here rather than trusting an earlier preview, so what is written
    matches the database as it is now. Refused with ImportRefused when the file has errors, or
    names units or leaders the platform does not know and `create_missing` is not given.
    `actor` None means the system (the command line). A plan document (.docx, .pdf) is read with
    the `edits` the office made to its guesses in the preview.
    """
    if plans_from_file:
        plan_created = False
        result = parse_ledger(
            workbook, plan=None, plan_year=None, filename=filename, plans_from_file=True, edits=edits
        )
    else:
        plan, plan_created = _import_plan(actor, plan, new_plan_year, new_plan_name)
        result = parse_ledger(workbook, plan=plan, plan_year=plan.year, filename=filename, edits=edits)
    if result.has_errors:
        raise ImportRefused(
            f"文件中有 {len(result.errors)} 处错误，没有导入任何内容。请改正后重新导入。", result
        )
    if result.needs_confirmation and not create_missing:
        names = "、".join([*result.unknown_units, *result.unknown_leaders][:10])
        raise ImportRefused(
            f"文件中有系统里还没有的单位或领导（{names}）。请确认新建，或改正名称后重新导入；没有导入任何内容。",
            result,
        )
    # Asked before the items are written: a plan that had none takes the document's cycle.
    takes_cycle = plan is not None and (plan_created or takes_document_cycle(plan))
    commit_ledger(result, actor=actor, reason=f"导入台账：{filename}")
    if result.document_cadence and takes_cycle:
        assert plan is not None
        _cycle_from_document(actor, plan, result.document_cadence)
    batches = []
    for group in result.groups:  # one batch per plan written
        assert group.plan is not None  # rows without a known plan are errors, refused above
        counts = group.counts
        batch = ImportBatch.objects.create(
            plan=group.plan,
            filename=filename[:255],
            created=counts["new"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
            actor=actor,
        )
        batches.append(batch)
    return ImportOutcome(batches=batches, result=result, plan_created=plan_created)
