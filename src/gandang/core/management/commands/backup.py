from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gandang.core.backup import BackupError, backup


def size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return ""


class Command(BaseCommand):
    help = (
        "把数据库、上传的文件和密钥备份为一个 .tar.gz 文件，服务可照常运行 / "
        "Back up the database, uploaded files and keys to one .tar.gz while the server runs"
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", required=True, help="备份文件（.tar.gz）；给一个目录则在其中按时间命名"
        )
        parser.add_argument(
            "--without-keys",
            action="store_true",
            help="不含数据目录中的密钥文件（secret_key、*.key）；恢复时须另行提供，否则加密的个人信息无法读取",
        )

    def handle(self, *args, output, without_keys, **options):
        try:
            result = backup(Path(output), with_keys=not without_keys)
        except BackupError as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        m = result.manifest
        db = m["database"]
        self.stdout.write(f"已写入备份 {result.path}（{size(result.path.stat().st_size)}）")
        self.stdout.write(f"  数据库：{db['vendor']}，{size(db['size'])}，SHA-256 {db['sha256'][:16]}…")
        self.stdout.write(f"  上传的文件：{len(m['files'])} 个，{size(sum(f['size'] for f in m['files']))}")
        if m["keys"]:
            names = "、".join(k["path"].removeprefix("keys/") for k in m["keys"])
            self.stdout.write(f"  密钥文件：{names}")
            self.stdout.write(
                self.style.WARNING(
                    "注意：此备份含密钥文件，持有它就能读出加密的个人信息、伪造登录会话。"
                    "请像保管密钥一样保管它（限制读取权限，异地保存时加密）；不想带密钥请用 --without-keys。"
                )
            )
        elif without_keys:
            self.stdout.write(
                self.style.WARNING(
                    "此备份不含密钥文件：请另行妥善保存数据目录中的 secret_key 和 *.key，"
                    "恢复时没有它们，加密的个人信息将无法读取。"
                )
            )
