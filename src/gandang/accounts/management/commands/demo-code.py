"""`gandang demo-code USERNAME`: the current second-factor code of a demo account (demo data only)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from gandang.accounts import demo


class Command(BaseCommand):
    help = "演示专用：显示演示账号当前的双因素验证码（仅在 gandang demo 建立的数据目录中可用）"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not demo.marker_path().exists():
            raise CommandError(
                "此命令仅用于演示数据目录（gandang demo 建立）；正式系统请使用手机身份验证器。"
            )
        try:
            self.stdout.write(demo.current_code(username))
        except TOTPDevice.DoesNotExist:
            raise CommandError(f"账号“{username}”没有设置双因素认证。") from None
