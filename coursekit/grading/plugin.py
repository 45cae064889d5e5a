"""The pytest plugin that runs inside a grading child and reports each test the moment it ends.

Reporting test by test, rather than once at the end, is what lets the grader say which test
was running when an exercise looped forever or killed its own process: the parent keeps
everything received before the child died.

Events sent (one JSON object per line, see :mod:`coursekit.grading.child`):
``collected`` (tests in file order), ``start`` (a test begins), ``result`` (a test ended),
``collection_error`` (the tests file itself is broken).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from coursekit.grading.names import name_in
from coursekit.grading.results import MESSAGE_LIMIT, OUTPUT_LIMIT, FailureKind, truncate
from coursekit.grading.target import ExerciseLoadError
from coursekit.i18n import t

Send = Callable[[dict[str, Any]], None]

#: Lines of pytest's assertion report that speak to pytest users, not to students: "where"
#: lines repeat values already shown (with memory addresses), and "-vv" cannot be passed here.
_PYTEST_NOISE = re.compile(r"^\s*(\+\s+where |\.\.\.Full output truncated|Use -v to get more diff)")


def readable_test_name(item: pytest.Item, lang: str) -> str:
    """The test's docstring name in ``lang``, else its function name made readable, plus ``[id]`` if parametrized.

    See :mod:`coursekit.grading.names` for how a docstring names its test in each language.
    """
    doc = getattr(getattr(item, "obj", None), "__doc__", None)
    base = name_in(doc, lang) or _humanize(getattr(item, "originalname", item.name))
    callspec = getattr(item, "callspec", None)
    return f"{base} [{callspec.id}]" if callspec is not None else base


def _humanize(function_name: str) -> str:
    words = function_name.removeprefix("test_").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def task_id(item: pytest.Item) -> int | None:
    """The ``n`` of ``@pytest.mark.task(n)``, if the test has one."""
    marker = item.get_closest_marker("task")
    if marker is None:
        return None
    return int(marker.args[0] if marker.args else marker.kwargs["id"])


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and the exceptions it was raised from or while handling."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


class ResultCollector:
    """Turns pytest's reports into the grader's per-test results, in the student's language."""

    def __init__(self, send: Send, lang: str) -> None:
        self.send = send
        self.lang = lang
        self._failures: dict[tuple[str, str], tuple[FailureKind, str]] = {}
        self._outcome: dict[str, tuple[str, FailureKind | None, str | None]] = {}

    def describe_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> tuple[FailureKind, str]:
        """Why a phase did not pass, as (kind, one message for the student)."""
        error = excinfo.value
        if isinstance(error, ExerciseLoadError):
            return "load", error.describe(self.lang)
        if isinstance(error, SystemExit):
            return "exit", t("grading.sys_exit", self.lang, code=error.code)
        if isinstance(error, pytest.skip.Exception):
            return "skipped", t("grading.skipped", self.lang, reason=error.msg)
        lines = [line for line in excinfo.exconly().splitlines() if not _PYTEST_NOISE.match(line)]
        message = truncate("\n".join(lines).rstrip(), MESSAGE_LIMIT, self.lang)
        todo = next((link for link in _chain(error) if isinstance(link, NotImplementedError)), None)
        if todo is not None:
            return "not_implemented", t("grading.todo", self.lang, where=str(todo) or "?")
        if isinstance(error, AssertionError | pytest.fail.Exception):
            return "assertion", message
        return "exception", message

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            lines = [line for line in report.longreprtext.splitlines() if line.strip()]
            errors = [line[1:].strip() for line in lines if line.startswith("E ")]
            detail = (errors or lines or ["?"])[-1]
            self.send({"event": "collection_error", "detail": truncate(detail, MESSAGE_LIMIT, self.lang)})

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        tests = [{"id": item.nodeid, "name": readable_test_name(item, self.lang), "task_id": task_id(item)} for item in session.items]
        self.send({"event": "collected", "tests": tests})

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.send({"event": "start", "id": nodeid})

    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> None:
        if call.excinfo is not None:
            self._failures[item.nodeid, call.when] = self.describe_failure(call.excinfo)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the first phase that did not pass; send the test's result after its teardown."""
        if report.nodeid not in self._outcome:
            self._outcome[report.nodeid] = ("pass", None, None)
        if self._outcome[report.nodeid][0] == "pass" and not report.passed:
            fallback = ("exception", truncate(report.longreprtext, MESSAGE_LIMIT, self.lang))
            kind, message = self._failures.pop((report.nodeid, report.when), fallback)
            status = "fail" if report.when == "call" and report.failed else "error"
            self._outcome[report.nodeid] = (status, kind, message)
        if report.when == "teardown":
            status, kind, message = self._outcome.pop(report.nodeid)
            output = truncate(report.capstdout, OUTPUT_LIMIT, self.lang) or None
            self.send({"event": "result", "id": report.nodeid, "status": status, "kind": kind, "message": message, "output": output})
