"""Key files in the data directory (the secret key, the personal-data key, the audit chain's key), made
once whatever the number of processes starting at the same moment.

App servers on several machines may share one data directory (over NFS): all of them must read the same
key. A file opened with O_EXCL and then written could be read half-written by another process, and one
checked with exists() and then written could be overwritten. Instead the key is written whole under a
temporary name and hard-linked into place: link() is atomic (also over NFS) and fails when the name is
taken, so exactly one key wins and every process reads that one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def create_once(path: Path, text: str) -> bool:
    """Write `text` to `path` (mode 0600) unless it exists; True when this call made it."""
    if path.exists():
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False  # another process got there first: its key is the one
        return True
    finally:
        os.unlink(tmp)
