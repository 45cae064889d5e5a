"""``coursekit reset``: put an exercise back to its committed template, without losing work.

The template is whatever git has at ``HEAD`` for the file, so the course never keeps a second
copy that could drift from the real one. The student's current file is copied to
``.coursekit/backups/`` before it is overwritten: a reset is always undoable by hand.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

BACKUP_DIR = Path(".coursekit") / "backups"


class TemplateNotFound(Exception):
    """git has no committed version of the file (not a repository, or never committed)."""


def committed_version(root: Path, file: Path) -> bytes:
    """The bytes of ``file`` at ``HEAD`` in the git repository at ``root`` (``git show HEAD:path``)."""
    relative = file.resolve().relative_to(root.resolve()).as_posix()
    try:
        shown = subprocess.run(
            ["git", "-C", str(root), "show", f"HEAD:{relative}"],
            capture_output=True, check=False, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise TemplateNotFound(relative) from error
    if shown.returncode != 0:
        raise TemplateNotFound(relative)
    return shown.stdout


def back_up(root: Path, file: Path, now: datetime | None = None) -> Path:
    """Copy ``file`` to ``.coursekit/backups/<same folder>/<stem>.<timestamp>.py`` and return the copy."""
    relative = file.resolve().relative_to(root.resolve())
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    backup = root / BACKUP_DIR / relative.parent / f"{relative.stem}.{stamp}{relative.suffix}"
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(file, backup)
    return backup


def restore_template(root: Path, file: Path, template: bytes) -> Path | None:
    """Write ``template`` over ``file``, backing up the old content first; returns the backup (if any)."""
    backup = back_up(root, file) if file.exists() else None
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(template)
    return backup
