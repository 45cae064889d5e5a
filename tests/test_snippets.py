"""Every snippet of every guide runs as a script and prints what its day's ``checks.toml`` expects.

Snippets are the code readers copy, so they are tested the way a reader runs them: ``python
<file>`` from the repository root, in a fresh process, offline (no key, so ``get_chat_model()``
gives the fake model). ``modules/<day>/snippets/checks.toml`` holds one or more runs per snippet
(its header documents the keys); a snippet without a run, a run without a snippet, a run that
expects nothing and a snippet no guide shows all fail here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursekit.guides import ROOT, guide_path, included_snippets, snippet_days, snippet_files
from coursekit.i18n import DEFAULT_LANGUAGE
from coursekit.openai_stub import serve_openai_stub

STUB_PLACEHOLDER = "{openai_stub}"
RUN_KEYS = {"expect", "expect_stderr", "stdin", "env", "exit_code"}


def checks_of(day: str) -> dict[str, list[dict[str, Any]]]:
    path = ROOT / "modules" / day / "snippets" / "checks.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def runs() -> Iterator[Any]:
    for day in snippet_days():
        for name, day_runs in checks_of(day).items():
            for index, run in enumerate(day_runs):
                yield pytest.param(day, name, run, id=f"{day}/{name}#{index + 1}")


@pytest.fixture(scope="module")
def openai_stub() -> Iterator[str]:
    """A local OpenAI-compatible server, answering with the fake model, for provider runs."""
    with serve_openai_stub() as base_url:
        yield base_url


@pytest.mark.parametrize("day", snippet_days())
def test_every_snippet_has_checks_and_is_shown(day: str) -> None:
    snippets = {path.stem for path in snippet_files(day)}
    checks = checks_of(day)
    assert sorted(snippets - checks.keys()) == [], f"snippets of {day} without a run in checks.toml"
    assert sorted(checks.keys() - snippets) == [], f"runs in {day}'s checks.toml without a snippet"
    assert guide_path(day, DEFAULT_LANGUAGE).exists(), f"{day} has snippets but no guide"
    guide = guide_path(day, DEFAULT_LANGUAGE).read_text(encoding="utf-8")
    shown = {Path(path).stem for path in included_snippets(guide)}
    assert sorted(snippets - shown) == [], f"snippets of {day} that its guide never includes"
    for name, day_runs in checks.items():
        for run in day_runs:
            assert set(run) <= RUN_KEYS, f"{day}/{name}: unknown keys {set(run) - RUN_KEYS}"
            assert run.get("expect") or run.get("expect_stderr"), f"{day}/{name}: a run must expect something"


@pytest.mark.parametrize(("day", "name", "run"), list(runs()))
def test_snippet_prints_what_it_should(day: str, name: str, run: dict[str, Any], request: pytest.FixtureRequest) -> None:
    env = {**os.environ, "COURSE_LANG": "en", "PYTHONIOENCODING": "utf-8"}
    for variable, value in run.get("env", {}).items():
        if STUB_PLACEHOLDER in value:
            value = value.replace(STUB_PLACEHOLDER, request.getfixturevalue("openai_stub"))
        env[variable] = value
    script = ROOT / "modules" / day / "snippets" / f"{name}.py"
    result = subprocess.run(
        [sys.executable, str(script)],
        input=run.get("stdin", ""),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    report = f"\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode == run.get("exit_code", 0), f"exit status {result.returncode}{report}"
    assert_in_order(run.get("expect", []), result.stdout, report)
    assert_in_order(run.get("expect_stderr", []), result.stderr, report)


def assert_in_order(patterns: list[str], output: str, report: str) -> None:
    """Each pattern must match (multi-line mode) somewhere after the previous one's match."""
    position = 0
    for pattern in patterns:
        found = re.compile(pattern, re.M).search(output, position)
        assert found, f"expected {pattern!r} after position {position}{report}"
        position = found.end()
