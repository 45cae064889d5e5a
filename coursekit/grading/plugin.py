"""The pytest plugin that runs inside a grading child and reports each test phase the moment it ends.

Reporting as it goes, rather than once at the end, is what lets the grader say which test was
running when an exercise looped forever or killed its own process: the parent keeps everything
received before the child died.

Events sent (one signed message each, see :mod:`coursekit.grading.channel`): ``collected``
(tests in file order), ``start`` (a test begins), ``phase`` (setup, call or teardown of a test
ended; the teardown carries the captured output), ``collection_error`` (the tests file itself is
broken) and ``tampered`` (graded code rewired pytest or the grader, see :mod:`coursekit.grading.seal`).
The collector keeps no outcome between phases, so there is nothing for graded code to rewrite later.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from coursekit.grading.names import name_in
from coursekit.grading.results import MESSAGE_LIMIT, OUTPUT_LIMIT, FailureKind, truncate
from coursekit.grading.seal import Seal
from coursekit.grading.target import ExerciseLoadError
from coursekit.i18n import t

Send = Callable[[dict[str, Any]], None]

#: Lines of pytest's assertion report that speak to pytest users, not to students: "where" and
#: "and" lines repeat values already shown (with memory addresses and clock readings, which would
#: make the same mistake read differently on each run), and "-vv" cannot be passed here.
_PYTEST_NOISE = re.compile(r"^\s*(\+\s+(where|and) |\.\.\.Full output truncated|Use -v to get more diff)")


def student_message(exconly: str) -> str:
    """What pytest says of a failure, less its noise; when the test gave its own message, that message alone.

    For ``assert value == expected, message`` pytest appends its own explanation, starting with a
    line ``assert ...``: a diff of the test's internals, whose order of items can change from one
    process to the next (set order follows string hashes), so the same mistake would read
    differently on two gradings.
    """
    lines = [line for line in exconly.splitlines() if not _PYTEST_NOISE.match(line)]
    if lines and lines[0].startswith("AssertionError: ") and not lines[0].startswith("AssertionError: assert "):
        explanation = next((index for index, line in enumerate(lines) if index and line.startswith("assert ")), len(lines))
        lines = lines[:explanation]
    return "\n".join(lines).rstrip()


def readable_test_name(item: pytest.Item, lang: str) -> str:
    """The test's docstring name in ``lang``, else its function name made readable, plus ``[id]`` if parametrized.

    See :mod:`coursekit.grading.names` for how a docstring names its test in each language.
    """
    doc = getattr(getattr(item, "obj", None), "__doc__", None)
    base = name_in(doc, lang) or humanize(getattr(item, "originalname", item.name))
    callspec = getattr(item, "callspec", None)
    return f"{base} [{callspec.id}]" if callspec is not None else base


def humanize(function_name: str) -> str:
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
    """Turns pytest's reports into the grader's per-phase results, in the student's language."""

    def __init__(
        self, send: Send, lang: str, *, on_collected: Callable[[], None] = lambda: None,
        allow_cpu: Callable[[float], None] = lambda seconds: None,
    ) -> None:
        self.send = send
        self.lang = lang
        self.on_collected = on_collected
        self.allow_cpu = allow_cpu
        self.seal: Seal | None = None
        self.tampered: str | None = None

    def describe_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> tuple[FailureKind, str]:
        """Why a phase did not pass, as (kind, one message for the student)."""
        error = excinfo.value
        if isinstance(error, ExerciseLoadError):
            return "load", error.describe(self.lang)
        if isinstance(error, SystemExit):
            return "exit", t("grading.sys_exit", self.lang, code=error.code)
        if isinstance(error, pytest.skip.Exception):
            return "skipped", t("grading.skipped", self.lang, reason=error.msg)
        message = truncate(student_message(excinfo.exconly()), MESSAGE_LIMIT, self.lang)
        todo = next((link for link in _chain(error) if isinstance(link, NotImplementedError)), None)
        if todo is not None:
            return "not_implemented", t("grading.todo", self.lang, where=str(todo) or "?")
        if isinstance(error, AssertionError | pytest.fail.Exception):
            return "assertion", message
        return "exception", message

    def check_seal(self) -> bool:
        """Report a broken seal once; True while grading may go on."""
        if self.tampered is None and self.seal is not None and (broken := self.seal.broken()):
            self.tampered = broken
            self.send({"event": "tampered", "what": broken})
        return self.tampered is None

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            lines = [line for line in report.longreprtext.splitlines() if line.strip()]
            errors = [line[1:].strip() for line in lines if line.startswith("E ")]
            detail = (errors or lines or ["?"])[-1]
            self.send({"event": "collection_error", "detail": truncate(detail, MESSAGE_LIMIT, self.lang)})

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        tests = [{"id": item.nodeid, "name": readable_test_name(item, self.lang), "task_id": task_id(item)} for item in session.items]
        # The tests are collected and no graded code has run yet: the exercise loads at setup.
        self.seal = Seal(session.config, [(self, ("send", "describe_failure", "on_collected", "allow_cpu", "check_seal"))])
        self.send({"event": "collected", "tests": tests})
        self.on_collected()

    def pytest_sessionfinish(self) -> None:
        """The last look, before pytest's own clean-up undoes its patches."""
        self.check_seal()

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        if self.check_seal():
            self.send({"event": "start", "id": nodeid})

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):
        """Send the phase's outcome as soon as pytest has made its report, while nothing else runs.

        Making the report formats any traceback; that time is pytest's, so it is handed back:
        ``spent`` to the parent's clock, the CPU to the child's CPU limit.
        """
        wall, cpu = time.monotonic(), time.process_time()
        report: pytest.TestReport = yield
        spent = time.monotonic() - wall
        self.allow_cpu(time.process_time() - cpu)
        if not self.check_seal():
            return report
        kind: FailureKind | None = None
        message: str | None = None
        if not report.passed:
            if call.excinfo is not None:
                kind, message = self.describe_failure(call.excinfo)
            else:
                kind, message = "exception", truncate(report.longreprtext, MESSAGE_LIMIT, self.lang)
        phase = {"event": "phase", "id": item.nodeid, "when": call.when, "outcome": report.outcome, "kind": kind,
                 "message": message, "spent": round(spent, 3)}
        if call.when == "teardown":
            phase["output"] = truncate(report.capstdout, OUTPUT_LIMIT, self.lang) or None
        self.send(phase)
        return report
