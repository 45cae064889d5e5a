"""Suite-wide set-up: the course's tests never depend on the developer's keys or settings."""

from __future__ import annotations

import locale
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Keys, provider choices, pacing and language from a developer's shell or .env would change
# what the tests see; the suite always starts from a clean, offline, English environment.
# Two choices are kept on purpose: COURSE_TARGET (which folder tests/exercises grades) and,
# inside the grader, COURSE_LANG, so that a student's failure messages speak their language.
_KEPT = {"COURSE_TARGET"} | ({"COURSE_LANG"} if os.environ.get("COURSE_GRADER") == "1" else set())
_KEYS = {"MARITACA_API_KEY", "OPENAI_API_KEY", "MARITACA_API_BASE", "OPENAI_BASE_URL"}
for _name in list(os.environ):
    if (_name.startswith("COURSE_") and _name not in _KEPT) or _name in _KEYS:
        del os.environ[_name]
# The locale would choose the messages' language too: tests speak English unless they say otherwise.
if "COURSE_LANG" not in _KEPT:
    for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        os.environ.pop(_name, None)
    os.environ["LANG"] = "C.UTF-8"
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")  # Python read the locale at start-up already
# The developer's terminal would choose colours and width for Rich and pytest in the tests' output.
for _name in ("FORCE_COLOR", "PY_COLORS", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"):
    os.environ.pop(_name, None)
os.environ["COURSE_DOTENV"] = "0"  # do not read .env during tests
os.environ["NO_MKDOCS_2_WARNING"] = "1"

#: Seconds ``mkdocs build`` may take; the first test that needs the site waits for it.
SITE_BUILD_TIMEOUT = 300


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that reads the site gets the build's time on top of its own, so a busy machine does not fail it."""
    for item in items:
        if "site" in getattr(item, "fixturenames", ()) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(SITE_BUILD_TIMEOUT + 120))


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course site, built once with ``mkdocs build --strict``, for every test that reads or serves it."""
    site_dir = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=SITE_BUILD_TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    return site_dir

