"""`gandang ledger import|export`: the ledger's Excel round trip from the command line.

    gandang ledger import 台账.xlsx --plan 2023年全市重点改革任务 --year 2023 [--dry-run] [--create-missing]
    gandang ledger import 全部台账.xlsx [--dry-run]      # each row into the plan its 所属方案 names
    gandang ledger import 工作要点.docx|.pdf [--plan NAME --year YYYY] [--dry-run] [--create-missing]
    gandang ledger export -o 台账.xlsx|台账.json [--plan NAME] [--year YYYY]

Import writes all rows or nothing and exits non-zero on any error. The actor is the system.
Without --plan the file must carry the 所属方案 column every export writes; an office's own
ledger without it is imported with --plan and --year. An issued plan document (Word .docx, or a PDF
with a text layer) goes, without --plan, into the plan its title names (《2023年…工作要点》: the name
as written, the year from it), created if need be.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from gandang.core.errors import ServiceError
from gandang.ledger import services
from gandang.ledger.document.reader import kind_of as document_kind
from gandang.ledger.document.sheet import plan_identity
from gandang.ledger.excel import exporter
from gandang.ledger.excel.importer import ImportResult, parse_ledger
from gandang.ledger.models import Item, Plan


class Command(BaseCommand):
    help = "导入或导出改革台账（Excel / JSON）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="从 .xlsx 导入台账")
        imp.add_argument(
            "file", type=Path, help="台账文件（.xlsx），或印发的方案文件（.docx / 带文字的 .pdf）"
        )
        imp.add_argument(
            "--plan",
            help="导入到该方案（不存在则新建，须同时给出 --year）；不给出时按文件中的“所属方案”列导入",
        )
        imp.add_argument("--year", type=int, help="方案年度（与 --plan 一起使用）")
        imp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        imp.add_argument("--create-missing", action="store_true", help="新建文件中系统里还没有的单位和领导")
        exp = sub.add_parser("export", help="导出台账为 .xlsx 或 .json")
        exp.add_argument("-o", "--output", required=True, type=Path, help="输出文件，扩展名 .xlsx 或 .json")
        exp.add_argument("--plan", help="只导出该方案（含其行动方案）的事项")
        exp.add_argument("--year", type=int, help="方案年度（方案名称重复时必填）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "import":
            self.do_import(**opts)
        else:
            self.do_export(**opts)

    # --- import ---------------------------------------------------------------------------

    def do_import(
        self,
        *,
        file: Path,
        plan: str | None,
        year: int | None,
        dry_run: bool,
        create_missing: bool,
        **_: Any,
    ) -> None:
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        with file.open("rb") as fh:
            is_document = document_kind(fh) is not None
            title, title_year = (
                plan_identity(fh, max_bytes=settings.GANDANG_IMPORT_MAX_BYTES) if is_document else ("", None)
            )
        if is_document:
            plan = plan or title or None
            year = year or title_year
            if plan is None or year is None:
                raise CommandError(
                    "无法从文件标题读出方案名称和年度，请用 --plan 名称 --year 年度 指明导入到哪个方案"
                )
            self.stdout.write(f"方案文件：{title or file.name}（{year}年）")
        if plan is None:
            if year is not None:
                raise CommandError("--year 须与 --plan 一起使用")
            self.import_by_file(file, dry_run=dry_run, create_missing=create_missing)
            return
        if year is None:
            raise CommandError("指明方案时须同时给出年度：--plan 名称 --year 年度")
        existing = Plan.objects.filter(year=year, name=plan).first()
        if dry_run:
            if existing is None:
                self.stdout.write(f"方案“{year}年 {plan}”不存在，导入时将新建")
            result = parse_ledger(file, plan=existing, plan_year=year, filename=file.name)
            self.report(result)
            self.refuse_if_blocked(result, create_missing)
            self.stdout.write(self.style.SUCCESS("检查通过（--dry-run，未写入任何内容）"))
            return
        try:
            outcome = services.ledger_import(
                actor=None,
                workbook=file,
                filename=file.name,
                plan=existing,
                new_plan_year=year,
                new_plan_name=plan,
                create_missing=create_missing,
            )
        except services.ImportRefused as exc:
            self.report(exc.result)
            raise CommandError(str(exc)) from exc
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        if outcome.plan_created:
            self.stdout.write(f"方案“{outcome.batch.plan}”原先不存在，已新建")
        self.report(outcome.result)
        self.stdout.write(self.style.SUCCESS(f"已导入到“{outcome.batch.plan}”"))

    def import_by_file(self, file: Path, *, dry_run: bool, create_missing: bool) -> None:
        """Each row into the existing plan its 所属方案 cell names."""
        if dry_run:
            result = parse_ledger(file, plan=None, plan_year=None, filename=file.name, plans_from_file=True)
            self.report(result)
            self.refuse_if_blocked(result, create_missing)
            self.stdout.write(self.style.SUCCESS("检查通过（--dry-run，未写入任何内容）"))
            return
        try:
            outcome = services.ledger_import(
                actor=None,
                workbook=file,
                filename=file.name,
                plans_from_file=True,
                create_missing=create_missing,
            )
        except services.ImportRefused as exc:
            self.report(exc.result)
            raise CommandError(str(exc)) from exc
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.report(outcome.result)
        plans = "、".join(str(b.plan) for b in outcome.batches)
        self.stdout.write(
            self.style.SUCCESS(f"已按“所属方案”列导入到 {len(outcome.batches)} 个方案：{plans}")
        )

    def report(self, result: ImportResult) -> None:
        self.stdout.write(self.counts_line(result.counts))
        if result.plans_from_file:
            for group in result.groups:
                label = str(group.plan) if group.plan else "（方案不明）"
                self.stdout.write(f"  {label}：{self.counts_line(group.counts)}")
        if result.is_document:
            for row in result.rows:
                f = row.fields
                self.stdout.write(
                    f"  第 {row.row} 段 {row.title}｜{f.get('area', '')}｜牵头：{row.lead_units_display}"
                    f"｜配合：{row.co_units_display}｜时限：{row.due_display}"
                )
        unit = "段" if result.is_document else "行"
        for p in result.problems:
            where = f"第 {p.row} {unit}" if p.row else "文件"
            column = f"［{p.column}］" if p.column else ""
            kind = "错误" if p.is_error else "提示"
            line = f"{kind} {where}{column}：{p.message}"
            self.stdout.write(self.style.ERROR(line) if p.is_error else line)
        for name, rows in result.unknown_units.items():
            self.stdout.write(f"系统中没有的单位：{name}（第 {'、'.join(map(str, rows))} {unit}）")
        for name, (title, rows) in result.unknown_leaders.items():
            label = f"{name}（{title}）" if title else name
            self.stdout.write(f"系统中没有的领导：{label}（第 {'、'.join(map(str, rows))} {unit}）")
        if result.new_areas:
            self.stdout.write(f"将新建的改革领域：{'、'.join(result.new_areas)}")

    @staticmethod
    def counts_line(counts: dict[str, int]) -> str:
        return f"新增 {counts['new']} 项，更新 {counts['update']} 项，未变 {counts['unchanged']} 项"

    def refuse_if_blocked(self, result: ImportResult, create_missing: bool) -> None:
        if result.has_errors:
            raise CommandError(f"文件中有 {len(result.errors)} 处错误")
        if result.needs_confirmation and not create_missing:
            raise CommandError("文件中有系统里还没有的单位或领导；确认新建请加 --create-missing")

    # --- export ---------------------------------------------------------------------------

    def do_export(self, *, output: Path, plan: str | None, year: int | None, **_: Any) -> None:
        items = Item.objects.filter(is_archived=False)
        title = ""
        if plan:
            chosen = self.find_plan(plan, year)
            items = items.filter(Q(plan=chosen) | Q(plan__parent=chosen))
            title = str(chosen)
        items = items.order_by("plan__year", "plan_id", "seq", "code")
        suffix = output.suffix.lower()
        if suffix == ".xlsx":
            count = exporter.write_xlsx(items, str(output), title=exporter.export_title(title))
        elif suffix == ".json":
            data = exporter.to_json(items)
            output.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            count = len(data["items"])
        else:
            raise CommandError("输出文件的扩展名须为 .xlsx 或 .json")
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 项到 {output}"))

    def find_plan(self, name: str, year: int | None) -> Plan:
        plans = Plan.objects.filter(name=name)
        if year:
            plans = plans.filter(year=year)
        found = list(plans[:2])
        if not found:
            raise CommandError(f"没有名为“{name}”的方案")
        if len(found) > 1:
            raise CommandError(f"有多个名为“{name}”的方案，请用 --year 指明年度")
        return found[0]
