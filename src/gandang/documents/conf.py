"""Per-install document settings: issuer name and document-number prefixes (nothing city-specific here)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gandang.core.env import envstr

# Neutral defaults; an install sets e.g. GANDANG_DOCUMENT_PREFIXES="reminder=泰改提,supervision=泰改督".
DEFAULT_PREFIXES = {"reminder": "改提", "supervision": "改督", "bulletin": "改通", "assessment": "改考"}
DEFAULT_ISSUER = "中共××市委全面深化改革委员会办公室"


def number_prefixes() -> dict[str, str]:
    """Prefix per kind: settings.GANDANG_DOCUMENT_PREFIXES (a dict), else the env var, else defaults."""
    configured = getattr(settings, "GANDANG_DOCUMENT_PREFIXES", None)
    if configured is None:
        configured = _parse(envstr("GANDANG_DOCUMENT_PREFIXES"))
    return {**DEFAULT_PREFIXES, **configured}


def issuer() -> str:
    return getattr(settings, "GANDANG_DOCUMENT_ISSUER", None) or envstr(
        "GANDANG_DOCUMENT_ISSUER", DEFAULT_ISSUER
    )


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
