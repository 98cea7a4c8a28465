from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gandang.documents.pdf import render_pdf
from gandang.documents.sample import sample_reminder
from gandang.documents.word import render_docx


class Command(BaseCommand):
    help = "写出一份示例提醒函（.docx 或 .pdf），用于检查公文版式。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="FILE.docx or FILE.pdf")

    def handle(self, *args, output: str, **options):
        path = Path(output)
        renderers = {".docx": render_docx, ".pdf": render_pdf}
        if path.suffix.lower() not in renderers:
            raise CommandError("输出文件须以 .docx 或 .pdf 结尾")
        path.write_bytes(renderers[path.suffix.lower()](sample_reminder()))
        self.stdout.write(str(path))
