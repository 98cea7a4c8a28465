"""Personal contact details shown to someone who does not need them in full: 138****5678, z***@example.com.

The mask always hides with four stars whatever was hidden, so it does not even tell the length.
"""

from __future__ import annotations

STARS = "****"


def mask_phone(value: str) -> str:
    """A mobile number keeps its first 3 and last 4 digits (138****5678), as banks and carriers show it;
    a shorter number (a landline without area code) keeps only its last 4."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) >= 11:
        return f"{value[:3]}{STARS}{value[-4:]}"
    if len(value) >= 7:
        return f"{STARS}{value[-4:]}"
    return STARS


def mask_email(value: str) -> str:
    """The first character of the mailbox and the whole domain (z***@example.com): the domain says which
    organisation, which is no secret; the mailbox names the person."""
    value = (value or "").strip()
    if not value:
        return ""
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return mask_text(value)
    return f"{local[0]}***@{domain}"


def mask_text(value: str) -> str:
    return STARS if (value or "").strip() else ""


MASKS = {"phone": mask_phone, "email": mask_email, "text": mask_text}
