"""Golden cases for every way a submission was found to fool the grader: none of them earns a pass.

Each attack in ``fixtures/attacks/<name>/`` is a wrong ``add`` (it subtracts), or one that is right
only when the attack works. Rewiring pytest or the grader in-process is caught by the seal and the
signed pipe, in either sandbox; what needs the operating system (a read-only course, hidden
solutions, no network, a PID namespace, limits a process cannot lift) is checked under bubblewrap.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
import uuid
from pathlib import Path

import pytest

from coursekit.grading import grade
from coursekit.grading.sandbox import bwrap_works
from coursekit.manifest import Course, load_course

ATTACKS = Path(__file__).parent / "fixtures" / "attacks"
INTERFERED = "interfered with the grader"
IN_PROCESS = ["patch_runtest", "patch_code", "register_plugin", "gc_collector", "forged_events"]
#: On a laptop without bubblewrap these are skipped; in CI (which installs it) they must run.
needs_bwrap = pytest.mark.skipif(not bwrap_works() and not os.environ.get("CI"), reason="bubblewrap is not usable here")
SANDBOXES = ["none", pytest.param("bwrap", marks=needs_bwrap)]


def submission(tmp_path: Path, attack: str, **settings: object) -> Path:
    """A copy of one attack, with the values it needs from this run in ``attack.json``."""
    target = Path(shutil.copytree(ATTACKS / attack, tmp_path / attack))
    (target / "day1_basics" / "attack.json").write_text(json.dumps(settings))
    return target


def graded(course: Course, target: Path, sandbox: str):
    (result,) = grade(course, ["ex01"], target, lang="en", sandbox=sandbox).exercises
    return result


@pytest.mark.parametrize("sandbox", SANDBOXES)
@pytest.mark.parametrize("attack", IN_PROCESS)
def test_rewiring_pytest_or_the_grader_is_an_error(tmp_path: Path, mini_course: Course, attack: str, sandbox: str) -> None:
    result = graded(mini_course, submission(tmp_path, attack), sandbox)
    assert result.status == "error" and result.score == 0, result
    assert INTERFERED in (result.message or ""), result.message


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_a_submissions_conftest_ini_and_site_files_never_load(tmp_path: Path, mini_course: Course, sandbox: str) -> None:
    """The untouched template beside a conftest.py, pytest.ini, pyproject.toml, setup.cfg, tox.ini, sitecustomize and .pth."""
    result = graded(mini_course, submission(tmp_path, "conftest_files"), sandbox)
    assert [test.failure_kind for test in result.tests] == ["not_implemented"] * 4, result
    assert result.score == 0


@needs_bwrap
def test_the_course_is_read_only_so_later_grades_are_unharmed(tmp_path: Path, mini_copy: Path) -> None:
    course = load_course(mini_copy)
    attacked = graded(course, submission(tmp_path, "write_course"), "bwrap")
    assert attacked.status == "fail"  # every write failed, so add() subtracted
    assert not (mini_copy / "tests" / "exercises" / "day1_basics" / "conftest.py").exists()
    assert not (Path(__import__("coursekit").__file__).parent / "conftest.py").exists()
    assert graded(course, mini_copy / "exercises", "bwrap").status == "fail"


@needs_bwrap
def test_limits_cannot_be_lifted(tmp_path: Path, mini_course: Course) -> None:
    assert graded(mini_course, submission(tmp_path, "lift_limits"), "bwrap").status == "fail"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may raise a hard limit outside a sandbox")
def test_limits_cannot_be_lifted_without_a_sandbox(tmp_path: Path, mini_course: Course) -> None:
    assert graded(mini_course, submission(tmp_path, "lift_limits"), "none").status == "fail"


@needs_bwrap
def test_no_network_in_process_or_in_a_subprocess(tmp_path: Path, mini_course: Course) -> None:
    """A server on the host's loopback is out of reach, even with pytest-socket removed."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        result = graded(mini_course, submission(tmp_path, "network", port=port), "bwrap")
    assert result.status == "fail", result


@needs_bwrap
def test_nothing_outlives_grading(tmp_path: Path, mini_course: Course) -> None:
    marker = f"{600 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6:06d}"
    graded(mini_course, submission(tmp_path, "outlive", marker=marker), "bwrap")
    deadline = time.monotonic() + 5
    while (alive := _processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive


@needs_bwrap
def test_solutions_are_not_visible(tmp_path: Path, mini_course: Course) -> None:
    result = graded(mini_course, submission(tmp_path, "read_solutions"), "bwrap")
    assert result.status == "fail" and "No such file" in (result.tests[0].message or ""), result


def _processes_with(marker: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found
