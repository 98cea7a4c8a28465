"""The periodical as an official document: its name, and an issue laid out for the one renderer
(`gandang.documents`, GB/T 9704 Word and PDF).

The masthead is the periodical's name in red (《泰安改革》), the line above the red rule its number
(2023年第12期（总第150期）); each piece is a heading with its text, its pictures and its unit; the 版记 names
whom the issue goes to (报送范围) and the office that prints it.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from django.db import DatabaseError

from gandang.documents import conf
from gandang.documents import structure as s
from gandang.information.models import Issue, PeriodicalSettings, Piece

log = logging.getLogger(__name__)

# 中共泰安市委全面深化改革委员会办公室 → 泰安: the city as the office's own documents name it.
_CITY = re.compile(r"^(?:中共)?(.+?)(?:市委|市)")
MAX_PICTURE_PX = 1600
# A name a phone, a chat app or a screenshot tool gave the file (IMG_1234, 微信图片_2023…, 屏幕截图 …): not a
# caption to print. A caption is a name the unit gave the picture, in words (现场办公.jpg).
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MACHINE_NAME = re.compile(r"^(?:微信图片|屏幕截图|截图|截屏|图片|照片|mmexport|wx_camera)")


def caption(file_name: str) -> str:
    """The caption printed under a picture: its file name without the extension, when the unit named it."""
    stem = file_name.rsplit(".", 1)[0].strip()
    if not _HAN.search(stem) or _MACHINE_NAME.match(stem):
        return ""
    return stem


def settings_row() -> PeriodicalSettings:
    """The office's periodical settings (配置管理 → 刊物设置), or the defaults when it has set none."""
    try:
        row = PeriodicalSettings.objects.first()
    except DatabaseError:
        row = None
    return row or PeriodicalSettings()


def city() -> str:
    """The city's name from the issuing office's name in 公文设置 (泰安), or empty."""
    m = _CITY.match(conf.issuer())
    name = m.group(1) if m else ""
    return "" if "×" in name else name


def name() -> str:
    """The periodical's name without 《》: the office's choice, else 〈city〉改革."""
    chosen = settings_row().name.strip().strip("《》")
    return chosen or f"{city()}改革"


def _picture(photo) -> s.Image | None:
    """A photo as a PNG for both renderers (a JPEG converted), no wider than the page needs."""
    try:
        from PIL import Image as PILImage  # Pillow comes with weasyprint and matplotlib

        with photo.file.open("rb") as f:
            img = PILImage.open(io.BytesIO(f.read()))
            img.load()
        if img.width > MAX_PICTURE_PX:
            img.thumbnail((MAX_PICTURE_PX, MAX_PICTURE_PX * 4))
        out = io.BytesIO()
        img.convert("RGB").save(out, format="PNG")
    except Exception:  # a file that is not a picture after all is left out, not the issue refused
        log.warning("information photo %s could not be read as a picture", photo.pk, exc_info=True)
        return None
    return s.Image(data=out.getvalue(), caption=caption(photo.name), width_mm=120)


def document(issue: Issue, pieces: list[Piece], *, copy_to: str = "") -> s.Document:
    """The issue as an official document (its pieces read with `unit` and `photos`)."""
    issuer = conf.issuer()
    blocks: list[s.Block] = []
    for p in pieces:
        blocks.append(s.Heading(1, p.title))
        blocks += [s.Paragraph(line.strip()) for line in p.text.splitlines() if line.strip()]
        for photo in p.photos.all():
            if photo.is_picture:
                picture = _picture(photo)
                if picture is not None:
                    blocks.append(picture)
        blocks.append(s.Paragraph(f"（{p.unit.name}供稿）"))
    on = issue.issued_on
    assert on is not None
    return s.Document(
        issuer=issue.name or name(),
        doc_number=issue.number_label,
        title=issue.title or "本期要目",
        recipient="",
        blocks=blocks,
        signature=issuer,
        date=on,
        copy_to=copy_to,
        printer=issuer,
    )


def document_data(issue: Issue, pieces: list[Piece], *, copy_to: str = "") -> dict[str, Any]:
    return s.document_to_data(document(issue, pieces, copy_to=copy_to))


def issued_document(issue: Issue) -> s.Document:
    """An issued issue exactly as it was printed."""
    if issue.content is None:
        raise ValueError("the issue has not been issued")
    return s.document_from_data(issue.content)
