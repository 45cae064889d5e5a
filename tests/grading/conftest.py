"""Tests of the grader. ``fixtures/`` holds a synthetic mini course and broken targets: data, not tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from verify_in_background import CourseVerdict

from coursekit.manifest import Course, load_course

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"

collect_ignore = ["fixtures"]


@pytest.fixture(scope="session")
def mini_course() -> Course:
    return load_course(MINI)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the mini course, for tests that break it on purpose."""
    return Path(shutil.copytree(MINI, tmp_path / "mini"))

#: The fixture whose tests wait for the background verify: they run last, so the suite runs beside it.
VERIFIED = "real_course_verified"
#: The background verify may take this long; the suite around it takes longer anyway.
VERIFY_TIMEOUT_SECONDS = 900
_BACKGROUND = pytest.StashKey[tuple[subprocess.Popen[bytes], Path]]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the real course's verify as soon as a collected test needs it, and run those tests last."""
    if not any(VERIFIED in getattr(item, "fixturenames", ()) for item in items):
        return
    out = Path(tempfile.mkdtemp(prefix="coursekit-verify-")) / "verdict.json"
    log = out.with_suffix(".log").open("wb")
    process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("verify_in_background.py")), str(out)],
                               stdout=log, stderr=subprocess.STDOUT)
    config.stash[_BACKGROUND] = (process, out)
    items.sort(key=lambda item: VERIFIED in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def real_course_verified(pytestconfig: pytest.Config) -> CourseVerdict:
    """The session's one grading of the real course (solutions, templates, corpus), as ``coursekit verify`` grades it."""
    process, out = pytestconfig.stash[_BACKGROUND]
    status = process.wait(timeout=VERIFY_TIMEOUT_SECONDS)
    assert status == 0, out.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    return CourseVerdict.read(out)


def pytest_unconfigure(config: pytest.Config) -> None:
    """A session that ends early (``-x``, Ctrl+C) leaves no grader running and no files behind."""
    if _BACKGROUND in config.stash:
        process, out = config.stash[_BACKGROUND]
        process.kill()
        process.wait()
        shutil.rmtree(out.parent, ignore_errors=True)
