"""`gandang rotate-pii-key`: re-encrypt people's phone numbers and e-mail addresses under the key in use.

With the key file in the data dir (no GANDANG_PII_KEY):
    gandang rotate-pii-key --new-key        # a new key first in the file, the old one kept below it, re-encrypt
    (restart the server, so it writes with the new key)
    gandang rotate-pii-key --forget-old-keys  # re-encrypt what was written meanwhile, drop the old key

With GANDANG_PII_KEY: set it to a new key and GANDANG_PII_OLD_KEYS to the old one, restart, run
`gandang rotate-pii-key`, then remove GANDANG_PII_OLD_KEYS and restart.

`--check` writes nothing: it counts the values by the key they need and fails if any cannot be read.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gandang.core import crypto, rekey


class Command(BaseCommand):
    help = (
        "用当前密钥重新加密个人信息（电话、电子邮箱）/ Re-encrypt personal information under the key in use"
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--check", action="store_true", help="只检查，不改写：按所需密钥统计，有无法解密的值时失败"
        )
        group.add_argument(
            "--new-key", action="store_true", help="生成新密钥写入密钥文件首行（旧密钥留作解密），再重新加密"
        )
        group.add_argument(
            "--forget-old-keys",
            action="store_true",
            help="重新加密后，从密钥文件中删去旧密钥（须已重启服务）",
        )

    def handle(self, *args, check: bool, new_key: bool, forget_old_keys: bool, **options):
        key_file = Path(settings.GANDANG_PII_KEY_FILE)
        uses_file = not settings.GANDANG_PII_KEY
        if (new_key or forget_old_keys) and not uses_file:
            raise CommandError(
                "密钥来自环境变量 GANDANG_PII_KEY，本命令不能改动它。轮换方法：把 GANDANG_PII_KEY 设为新密钥、"
                "GANDANG_PII_OLD_KEYS 设为旧密钥，重启服务后运行 gandang rotate-pii-key，再删去 GANDANG_PII_OLD_KEYS 并重启。"
            )
        if check:
            report = rekey.survey()
            self._summary(report)
            if report.unreadable:
                raise CommandError(f"{len(report.unreadable)} 个值无法解密")
            return
        if new_key:
            found = rekey.survey()
            if found.unreadable:  # before the key file is touched
                self._summary(found)
                raise CommandError(
                    f"{len(found.unreadable)} 个值无法解密，未生成新密钥。请先配置写入它们的密钥"
                )
            crypto.write_key_file(key_file, [crypto.new_key(), *crypto.read_key_file(key_file)])
            crypto.keyring(reload=True)
            self.stdout.write(f"已生成新密钥，写在 {key_file} 首行；旧密钥留在其后，仍用于解密")
        report = rekey.rotate()
        self._summary(report)
        if report.unreadable:
            raise CommandError(f"{len(report.unreadable)} 个值无法解密，未改写任何值。请先配置写入它们的密钥")
        self.stdout.write(f"已用当前密钥重新加密 {report.rewritten} 个值")
        if report.raced:
            self.stdout.write(f"{report.raced} 个值在此期间被修改，保留新值；可再运行一次本命令")
        if new_key:
            self.stdout.write(
                "请重启服务（使其用新密钥写入），然后运行 gandang rotate-pii-key --forget-old-keys"
            )
        if forget_old_keys:
            self._forget(key_file)

    def _forget(self, key_file: Path) -> None:
        left = rekey.survey()
        if left.states["old"] or left.states["plain"] or left.unreadable:
            raise CommandError("仍有值需要旧密钥（服务可能尚未重启），旧密钥未删除。请重启服务后再运行本命令")
        keys = crypto.read_key_file(key_file)
        crypto.write_key_file(key_file, keys[:1])
        crypto.keyring(reload=True)
        self.stdout.write(f"已从 {key_file} 删去 {len(keys) - 1} 个旧密钥")
        if settings.GANDANG_PII_OLD_KEYS:
            self.stdout.write("环境变量 GANDANG_PII_OLD_KEYS 中的旧密钥也已不再需要，可以删去")

    def _summary(self, report: rekey.Report) -> None:
        s = report.states
        self.stdout.write(
            f"个人信息：用当前密钥加密的 {s['current']} 个，用旧密钥加密的 {s['old']} 个，未加密的 {s['plain']} 个，"
            f"无法解密 {len(report.unreadable)} 个"
        )
        for line in report.unreadable:
            self.stderr.write(line)
