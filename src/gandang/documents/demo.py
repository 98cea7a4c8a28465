"""The demo city's office names itself on its documents (配置管理 → 公文设置)."""

from __future__ import annotations

from gandang.core import registry
from gandang.documents.models import DocumentSettings


def build(run: registry.DemoRun) -> None:
    DocumentSettings.objects.create(
        issuer="中共泰安市委全面深化改革委员会办公室",
        prefix_reminder="泰改提",
        prefix_supervision="泰改督",
        prefix_bulletin="泰改通",
        prefix_assessment="泰改考",
        prefix_reply="泰改函",
        prefix_minutes="泰改纪",
    )
