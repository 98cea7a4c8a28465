from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gandang.documents.pdf import render_pdf
from gandang.documents.word import render_docx
from gandang.supervision.models import Letter
from gandang.supervision.services import letter_as_document


class Command(BaseCommand):
    help = "写出一份已发出的提醒函/督办函（.docx 或 .pdf）。ID 为文书编号（如 12）或文号（如 改提〔2023〕5号）；--list 列出全部。"

    def add_arguments(self, parser):
        parser.add_argument("id", nargs="?", help="文书编号或文号")
        parser.add_argument("-o", "--output", help="FILE.docx or FILE.pdf")
        parser.add_argument("--list", action="store_true", help="列出已发出的文书")

    def handle(self, *args, id: str | None, output: str | None, list: bool, **options):
        if list:
            for row in Letter.objects.select_related("unit").order_by("issued_on", "id"):
                self.stdout.write(
                    f"{row.pk}\t{row.doc_number}\t{row.issued_on:%Y-%m-%d}\t{row.unit}\t{row.title}"
                )
            return
        if not id or not output:
            raise CommandError("用法：gandang letter ID -o FILE.docx|FILE.pdf（或 gandang letter --list）")
        path = Path(output)
        renderers = {".docx": render_docx, ".pdf": render_pdf}
        if path.suffix.lower() not in renderers:
            raise CommandError("输出文件须以 .docx 或 .pdf 结尾")
        letter = (
            Letter.objects.filter(pk=int(id)).first()
            if id.isdigit()
            else Letter.objects.filter(doc_number=id).first()
        )
        if letter is None:
            raise CommandError(f"没有找到文书“{id}”。用 gandang letter --list 查看已发出的文书")
        path.write_bytes(renderers[path.suffix.lower()](letter_as_document(letter)))
        self.stdout.write(f"{letter.doc_number} {letter.title} → {path}")
