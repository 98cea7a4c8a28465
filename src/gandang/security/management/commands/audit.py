"""`gandang audit verify | export | purge`: check, archive and (past retention) trim the security log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gandang.security import exports, protection, retention, selectors, services
from gandang.security.models import SecurityEvent


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Security audit log: verify the hash chain, export for archiving, purge past retention."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "verify", help="check every entry's hash and the chain; exit 1 naming the first failure"
        )
        export = sub.add_parser("export", help="write entries to a .jsonl or .csv file")
        export.add_argument("--since", type=_date, help="first day (YYYY-MM-DD), included")
        export.add_argument("--until", type=_date, help="last day (YYYY-MM-DD), included")
        export.add_argument("-o", "--output", required=True, help="FILE.jsonl or FILE.csv")
        purge = sub.add_parser("purge", help="remove entries older than a date past the retention period")
        purge.add_argument("--before", type=_date, required=True, help="remove entries before this day")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _verify(self, **options) -> None:
        verdict = services.verify()
        missing = protection.missing_triggers()
        services.record_event(
            kind=services.Kind.AUDIT_VERIFY,
            outcome=services.Outcome.SUCCESS if verdict.ok and not missing else services.Outcome.FAILURE,
            object_text="gandang audit verify",
            detail={"ok": verdict.ok, "count": verdict.count, "problem": verdict.problem, "missing": missing},
        )
        problems = [] if verdict.ok else [verdict.summary()]
        if missing:
            problems.append(_("防篡改触发器缺失：%(names)s") % {"names": "、".join(missing)})
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(verdict.summary())

    def _export(self, *, since: date | None, until: date | None, output: str, **options) -> None:
        path = Path(output)
        suffix = path.suffix.lower()
        if suffix not in (".jsonl", ".csv"):
            raise CommandError("the output file must end in .jsonl or .csv")
        events = selectors.events(since=since, until=until).order_by("seq").iterator(chunk_size=2000)
        with path.open("w", encoding="utf-8-sig" if suffix == ".csv" else "utf-8", newline="") as out:
            count = exports.write_csv(events, out) if suffix == ".csv" else exports.write_jsonl(events, out)
        services.record_event(
            kind=services.Kind.AUDIT_EXPORT,
            object_text=f"gandang audit export {path.name}",
            detail={
                "since": since.isoformat() if since else "",
                "until": until.isoformat() if until else "",
                "count": count,
                "file": str(path.resolve()),
            },
        )
        self.stdout.write(_("已导出 %(n)d 条安全审计记录到 %(file)s") % {"n": count, "file": path})

    def _purge(self, *, before: date, **options) -> None:
        try:
            event = services.purge(before=before)
        except services.PurgeRefused as exc:
            raise CommandError(
                _("拒绝清理：%(reason)s。安全审计日志至少保留 %(days)d 天，--before 最晚为 %(cutoff)s。")
                % {"reason": exc, "days": retention.days(), "cutoff": services.purge_cutoff()}
            ) from None
        kept = SecurityEvent.objects.count()
        self.stdout.write(
            _(
                "已清理 %(before)s 之前的 %(n)d 条安全审计记录（保留 %(kept)d 条），链的起点为第 %(seq)d 条之后。"
            )
            % {
                "before": before,
                "n": event.detail["removed"],
                "kept": kept,
                "seq": event.detail["through_seq"],
            }
        )
