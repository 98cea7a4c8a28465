from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用生产级 WSGI 服务器（waitress）提供服务 / Serve the app with a production WSGI server"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-migrate", action="store_true", help="不自动执行数据库迁移")

    def handle(self, *args, host, port, threads, no_migrate, **options):
        from waitress import serve  # type: ignore[import-untyped]

        from gandang.wsgi import application

        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"敢当 serving http://{host}:{port}/  (data: {settings.DATA_DIR})")
        serve(application, host=host, port=port, threads=threads, ident="gandang")
