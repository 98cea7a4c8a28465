"""A fixture for tests/test_layering.py, read as text, never imported: two apps of one layer tied."""

from gandang.achievements.models import Experience  # noqa: F401
