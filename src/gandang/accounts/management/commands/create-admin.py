"""`gandang create-admin USERNAME --role sysadmin|secadmin|auditadmin`: an administrator account.

The three administrator roles (三权分立) are not granted in the product's screens, so that nobody
gives themselves another administrator's powers; the installer makes them here, at the console.
"""

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gandang.org.models import User
from gandang.security.services import Kind, record_event


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员或审计管理员账号（三权分立：这三类账号只能在此创建）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(User.ADMIN_ROLES))
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username, role, full_name, **options):
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"已有账号“{username}”（用户名不区分大小写）。")
        password = getpass.getpass("密码：")
        if password != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致。")
        user = User(username=username, role=role, full_name=full_name)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            # Made at the console, by nobody signed in: the security log says so.
            record_event(
                kind=Kind.CONFIG_CHANGE,
                obj=user,
                detail={"action": "create_admin", "account": username, "role": role},
            )
        self.stdout.write(
            f"已创建{User.Role(role).label}账号 {username}。首次登录时须设置双因素认证（手机身份验证器）。"
        )
