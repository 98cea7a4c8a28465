from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gandang.core.backup import BackupError
from gandang.core.restore import restore


class Command(BaseCommand):
    help = (
        "从 gandang backup 写出的备份恢复到空的数据库和数据目录（先校验，再恢复，再迁移） / "
        "Restore a backup into an empty database and data dir"
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="gandang backup 写出的 .tar.gz 文件")
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库或文件目录不是空的也恢复：用备份替换现有数据"
            "（SQLite 数据库文件和文件目录改名保留，PostgreSQL 中的现有表被删除）",
        )

    def handle(self, *args, archive, force, **options):
        try:
            result = restore(Path(archive), force=force, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        m = result.manifest
        self.stdout.write(
            f"已从 {result.path} 恢复：{m['created_at']} 的备份（敢当 {m['version']}，{m['database']['vendor']}），"
            f"上传的文件 {len(m['files'])} 个，密钥文件 {len(m['keys'])} 个；数据库已迁移到当前版本。"
        )
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
