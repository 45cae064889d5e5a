"""Suite-wide set-up: the course's tests never depend on the developer's keys or settings."""

from __future__ import annotations

import os

# `pytest --target exercises` (or a student's folder) picks what tests/exercises grades. The
# option lives here, the root conftest, so that pytest knows it however it is started.
from coursekit.grading.target import pytest_addoption  # noqa: F401

# Keys, provider choices and pacing from a developer's shell or .env would change what the
# offline model does; the suite always starts from a clean, offline environment.
# COURSE_TARGET is kept: it is a deliberate choice of which folder the exercise tests grade.
for _name in list(os.environ):
    if _name.startswith("COURSE_") and _name != "COURSE_TARGET" or _name in {"MARITACA_API_KEY", "OPENAI_API_KEY", "MARITACA_API_BASE", "OPENAI_BASE_URL"}:
        del os.environ[_name]
os.environ["COURSE_DOTENV"] = "0"  # do not read .env during tests
os.environ["NO_MKDOCS_2_WARNING"] = "1"
