from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gandang.bulletins import document
from gandang.bulletins.models import Bulletin
from gandang.bulletins.quarter import Quarter


class Command(BaseCommand):
    help = "写出某季度的通报（.docx 或 .pdf）：已印发的写印发稿（有更正时写最新一期），否则写当前草稿。"

    def add_arguments(self, parser):
        parser.add_argument("quarter", help="季度，如 2023Q3")
        parser.add_argument("-o", "--output", required=True, help="FILE.docx 或 FILE.pdf")

    def handle(self, *args, quarter: str, output: str, **options):
        try:
            q = Quarter.parse(quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in document.FORMATS:
            raise CommandError("输出文件须以 .docx 或 .pdf 结尾")
        bulletins = Bulletin.objects.filter(year=q.year, quarter=q.number)
        issued = bulletins.filter(state=Bulletin.State.ISSUED).order_by("-issued_on", "-number").first()
        if issued is not None:
            doc, what = document.bulletin_document(issued), f"已印发 {issued.doc_number}"
        else:
            # No draft saved yet: the draft is assembled in memory, nothing is written to the database.
            draft = bulletins.filter(state=Bulletin.State.DRAFT).first() or Bulletin(
                year=q.year, quarter=q.number
            )
            d = document.draft(draft)
            doc, what = d.document, "征求意见稿"
            for m in d.figures.missing_months:
                self.stderr.write(f"注意：{q.year}年{m}月调度期未开启")
            for m in d.figures.open_months:
                self.stderr.write(f"注意：{q.year}年{m}月调度期尚未结束，数据可能变化")
        try:
            path.write_bytes(document.render(doc, fmt))
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc.strerror}") from None
        self.stdout.write(f"{path}（{q.label}通报，{what}）")
