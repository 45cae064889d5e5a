"""A class's submissions: one folder or one ``.zip`` per student, unpacked safely.

LMS downloads are zips, and a zip is data from a student: it may try to write outside its
folder (zip-slip: ``../``, an absolute path, a link), to fill the disk (a zip bomb: a member
that inflates to gigabytes, or tens of thousands of files), or simply be broken, encrypted or
empty. Every member's path is checked before anything is written, declared sizes are checked
before inflating, and actual sizes are counted while inflating (a header may lie), so a bad
zip costs one :class:`Problem` row and nothing else. Only the stdlib :mod:`zipfile` is used.

A submission is a *target* the grader takes: the folder that holds the day folders
(``day1_stream/...``). Zips and folders often wrap them (``alice/exercises/day1_stream``), so
the shallowest folder holding a day folder is taken; a student folder with no day folder but
one ``.zip`` (as Moodle's download lays them out) is graded from that zip.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: Bounds of one unpacked submission: far above any honest one (a full course is ~100 kB, 40 files).
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_MEMBERS = 2000
#: How deep the day folders may sit inside a submission (``alice.zip`` -> ``alice/exercises/day1_stream``).
MAX_DEPTH = 3
#: Entries that zip tools add and that are no student's work.
IGNORED_PARTS = ("__MACOSX", ".DS_Store", "__pycache__")
_CHUNK = 1024 * 1024
#: Names a student folder in the report folder cannot take: the class's own files.
RESERVED = ("grades.csv", "junit.xml", "report.html", "similarity.csv", "similarity.json")


class Problem(Exception):
    """Why a submission cannot be graded: ``kind`` (a message key) and its values."""

    def __init__(self, kind: str, **values: object) -> None:
        self.kind = kind
        self.values = values
        super().__init__(f"{kind}: {values}")


@dataclass(frozen=True)
class Submission:
    """One student's hand-in, as found in the submissions folder."""

    student: str
    """The folder's name, or the zip's name without ``.zip``: the gradebook's ``student`` column."""
    source: Path
    problem: Problem | None = None
    """Why it cannot be graded, when that is known from its name alone."""


def find_submissions(folder: Path, *, skip: Iterable[Path] = ()) -> list[Submission]:
    """Every student folder and ``.zip`` in ``folder``, by student name.

    Hidden entries and ``skip`` (the report folder, when it is inside) are left out. A zip with the
    name of a folder (``alice/`` and ``alice.zip``) is a row of its own, ``alice.zip``, with a problem.
    """
    skipped = {path.resolve() for path in skip}
    found: dict[str, Submission] = {}
    for entry in sorted(folder.iterdir(), key=lambda path: (path.name.lower().endswith(".zip"), path.name)):
        if entry.name.startswith(".") or entry.resolve() in skipped:
            continue
        if entry.is_dir():
            student = entry.name
        elif entry.is_file() and entry.name.lower().endswith(".zip"):
            student = entry.name[: -len(".zip")]
        else:
            continue  # a stray file beside the submissions (a README, the LMS's index.html)
        if not student.strip() or student in RESERVED:
            found[entry.name] = Submission(entry.name, entry, Problem("duplicate", name=entry.name))
        elif student in found:
            found[entry.name] = Submission(entry.name, entry, Problem("duplicate", name=entry.name))
        else:
            found[student] = Submission(student, entry)
    return sorted(found.values(), key=lambda submission: submission.student)


def member_path(info: zipfile.ZipInfo) -> PurePosixPath | None:
    """The member's path, checked: None for an entry to skip; :class:`Problem` for one that escapes."""
    name = info.filename
    if "\0" in name or "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise Problem("zip_slip", member=name)
    path = PurePosixPath(name)
    if any(part == ".." for part in path.parts):
        raise Problem("zip_slip", member=name)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise Problem("zip_link", member=name)
    if any(part in IGNORED_PARTS for part in path.parts) or path.name.endswith(".pyc"):
        return None
    return path


def unpack(archive: Path, destination: Path, *, max_bytes: int = MAX_UNPACKED_BYTES, max_members: int = MAX_MEMBERS) -> None:
    """Unpack ``archive`` into the new folder ``destination``, or raise :class:`Problem` and leave nothing."""
    destination.mkdir(parents=True)
    try:
        _unpack(archive, destination, max_bytes, max_members)
    except BaseException:
        shutil.rmtree(destination, ignore_errors=True)
        raise


def _unpack(archive: Path, destination: Path, max_bytes: int, max_members: int) -> None:
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if not members:
                raise Problem("empty")
            if len(members) > max_members:
                raise Problem("too_many_files", count=len(members), limit=max_members)
            checked = [(info, member_path(info)) for info in members]
            declared = sum(info.file_size for info, _ in checked)
            if declared > max_bytes:
                raise Problem("too_big", megabytes=_megabytes(declared), limit=_megabytes(max_bytes))
            written = 0
            root = destination.resolve()
            for info, path in checked:
                if path is None:
                    continue
                target = (destination / path).resolve()
                if not target.is_relative_to(root):
                    raise Problem("zip_slip", member=info.filename)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                written += _inflate(zipped, info, target, max_bytes - written)
    except Problem:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, RuntimeError,
            NotImplementedError, ValueError) as error:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method.
        raise Problem("unreadable", detail=f"{type(error).__name__}: {error}") from None


def _inflate(zipped: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Copy one member, counting what it really inflates to: a header that lies stops here."""
    size = 0
    with zipped.open(info) as source, target.open("xb") as sink:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if size > info.file_size:
                raise Problem("size_mismatch", member=info.filename)
            if size > budget:
                raise Problem("too_big", megabytes=_megabytes(size), limit=_megabytes(budget))
            sink.write(chunk)
    return size


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def day_root(folder: Path, days: Iterable[str]) -> Path:
    """The shallowest folder within ``folder`` (itself included) that holds a day folder with a .py file."""
    slugs = tuple(days)
    level = [folder]
    for _ in range(MAX_DEPTH + 1):
        for candidate in level:
            if any((candidate / slug).is_dir() and any((candidate / slug).glob("*.py")) for slug in slugs):
                return candidate
        level = sorted(child for candidate in level for child in _subfolders(candidate))
    raise Problem("no_exercises", days=", ".join(slugs))


def _subfolders(folder: Path) -> list[Path]:
    try:
        return [child for child in folder.iterdir() if child.is_dir() and not child.is_symlink()
                and child.name not in IGNORED_PARTS and not child.name.startswith(".")]
    except OSError:
        return []


def prepare(submission: Submission, workspace: Path, days: Iterable[str]) -> Path:
    """The folder to grade for ``submission``: unpacked into ``workspace`` when it is a zip.

    Raises :class:`Problem` for a submission that cannot be graded (bad zip, nothing to grade).
    """
    source = submission.source
    if source.is_dir():
        try:
            return day_root(source, days)
        except PermissionError as error:
            raise Problem("unreadable", detail=str(error)) from None
        except Problem:
            # Moodle's "Download all submissions" gives a folder per student holding the zip they uploaded.
            zips = [path for path in source.iterdir() if path.is_file() and path.name.lower().endswith(".zip")]
            if len(zips) != 1:
                raise
            source = zips[0]
    unpacked = workspace / f".unpacked-{submission.student}"
    unpack(source, unpacked)
    found = day_root(unpacked, days)
    # The graded folder keeps the student's name: the grader's messages show it ("alice/day1_stream/ex01.py").
    target = workspace / submission.student
    found.rename(target)
    return target
