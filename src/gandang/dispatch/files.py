"""Moved to gandang.core.uploads (every app's uploads, not dispatch's); kept only until its last
importers move."""

from gandang.core.uploads import ACCEPTED, KINDS, check_upload, display_name, store

__all__ = ["ACCEPTED", "KINDS", "check_upload", "display_name", "store"]
