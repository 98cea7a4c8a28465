"""Per-install document settings: issuer name and document-number prefixes (nothing city-specific here)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gandang.core.env import envstr

# Neutral defaults; an install sets e.g. GANDANG_DOCUMENT_PREFIXES="reminder=泰改提,supervision=泰改督".
DEFAULT_PREFIXES = {
    "reminder": "改提",
    "supervision": "改督",
    "bulletin": "改通",
    "assessment": "改考",
    "reply": "改函",
}
DEFAULT_ISSUER = "中共××市委全面深化改革委员会办公室"


def _office_settings():
    """The office's own choice in 配置管理 (公文设置), if it has made one."""
    from django.db import DatabaseError

    from gandang.documents.models import DocumentSettings

    try:
        return DocumentSettings.objects.first()
    except DatabaseError:  # e.g. `gandang document-sample` before the database is set up
        return None


def install_prefixes() -> dict[str, str]:
    """Prefix per kind from the install alone: settings.GANDANG_DOCUMENT_PREFIXES (a dict), else the env
    var, else defaults (no database: the layout sample uses it)."""
    configured = getattr(settings, "GANDANG_DOCUMENT_PREFIXES", None)
    if configured is None:
        configured = _parse(envstr("GANDANG_DOCUMENT_PREFIXES"))
    return {**DEFAULT_PREFIXES, **configured}


def install_issuer() -> str:
    return getattr(settings, "GANDANG_DOCUMENT_ISSUER", None) or envstr(
        "GANDANG_DOCUMENT_ISSUER", DEFAULT_ISSUER
    )


def number_prefixes() -> dict[str, str]:
    """Prefix per kind: the office's 公文设置 where it set one, else the install's."""
    row = _office_settings()
    return {**install_prefixes(), **(row.prefixes() if row else {})}


def issuer() -> str:
    """The issuing office: its 公文设置, else the install's setting, else a neutral default."""
    row = _office_settings()
    if row and row.issuer.strip():
        return row.issuer.strip()
    return install_issuer()


def _parse(value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in value.replace("，", ",").split(","):
        if not part.strip():
            continue
        kind, sep, prefix = part.partition("=")
        if not sep or not kind.strip() or not prefix.strip():
            raise ImproperlyConfigured(
                f"GANDANG_DOCUMENT_PREFIXES must look like 'reminder=改提,supervision=改督', got {value!r}"
            )
        out[kind.strip()] = prefix.strip()
    return out
