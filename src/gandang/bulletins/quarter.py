"""A calendar quarter (季度), the bulletin's span: parsing "2023Q3", its months, first and last day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from gandang.documents.structure import chinese_number

_PATTERN = re.compile(r"^\s*(\d{4})\s*[-_ ]?\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(_("季度应为1至4，收到 %(n)s") % {"n": self.number})
        if not 2000 <= self.year <= 2100:
            raise ValueError(_("年份 %(y)s 不在 2000–2100 之间") % {"y": self.year})

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """ "2023Q3" (also 2023q3, 2023-Q3) → Quarter(2023, 3); a ValueError in Chinese otherwise."""
        m = _PATTERN.match(text or "")
        if not m:
            raise ValueError(
                _("季度“%(text)s”格式不对，应写作“年份Q季度”，如 2023Q3（季度为1至4）") % {"text": text}
            )
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, d: date) -> Quarter:
        return cls(d.year, (d.month - 1) // 3 + 1)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """2023年第三季度 (the document's own wording, not translated)."""
        return f"{self.year}年第{chinese_number(self.number)}季度"

    @property
    def months(self) -> list[int]:
        return [3 * self.number - 2, 3 * self.number - 1, 3 * self.number]

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        m = self.months[-1]
        return date(self.year, m, calendar.monthrange(self.year, m)[1])

    def previous(self) -> Quarter:
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    def __str__(self) -> str:
        return self.label
