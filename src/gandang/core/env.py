"""Read settings from the environment, failing loudly on malformed values."""

import json
import os

from django.core.exceptions import ImproperlyConfigured


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0/true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def envints(name: str, default: str) -> list[int]:
    """A comma-separated list of integers ("3,0"), in the order given."""
    value = os.environ.get(name) or default
    try:
        return [int(v) for v in value.replace("，", ",").split(",") if v.strip()]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be integers separated by commas, got {value!r}") from exc


def envjson(name: str, default: dict) -> dict:
    """A JSON object (e.g. a storage backend's options), or `default` when unset."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a JSON object, got {value!r}") from exc
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, got {value!r}")
    return parsed
