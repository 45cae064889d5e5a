"""Files written whole or not at all: a temp file in the same folder, then ``os.replace``.

``os.replace`` within one file system is atomic, so a reader (or a run stopped by Ctrl+C or a
kill) sees the old file or the new one, never half of one. A stopped run may leave a temp file
behind; its name starts with :data:`PARTIAL_PREFIX` and :func:`sweep` removes it next time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PARTIAL_PREFIX = ".partial-"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The mode an ordinary ``open()`` would give: a temp file is made private (0600), a report is not.
FILE_MODE = 0o666 & ~_umask()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that ``path`` is never seen half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f"{PARTIAL_PREFIX}{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def sweep(folder: Path) -> int:
    """Remove temp files a stopped run left under ``folder``; how many there were."""
    if not folder.is_dir():
        return 0
    stale = [path for path in folder.rglob(f"{PARTIAL_PREFIX}*") if path.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)
