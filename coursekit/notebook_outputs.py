"""Run a day's notebooks offline, and tell whether a rerun changed what a reader sees.

The code cells are the same in en, pt and id, but not every output is: coursekit's own messages
speak the reader's language ("offline" is "sem internet", a dropped connection is explained in
Indonesian). So each language runs once, in its own kernel with ``COURSE_LANG`` set to it, and
the three run at the same time (the cells mostly wait on the fake model's pacing).

The kernel is the interpreter running coursekit (the course's .venv), started by nbval's
kernel-spec manager: the same kernel ``pytest --nbval --nbval-current-env`` uses. The environment
is the test suite's: the fake model, no key, no ``.env``. ``nbval_sanitize.cfg`` says what a rerun
may change (timings, ids, pings); nbval reads it to compare, and the generator to decide whether a
notebook needs rewriting at all, so a timing alone never makes a diff to commit.
"""

from __future__ import annotations

import asyncio
import copy
import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager
from nbval.plugin import get_sanitize_patterns

from coursekit.guides import ROOT

SANITIZER = ROOT / "notebooks" / "nbval_sanitize.cfg"
CELL_TIMEOUT = 120
#: What a reader's shell would change in a run: keys, provider and pacing choices, colours, width.
_SHELL_ONLY = {"MARITACA_API_KEY", "OPENAI_API_KEY", "MARITACA_API_BASE", "OPENAI_BASE_URL", "FORCE_COLOR", "PY_COLORS",
               "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"}
#: Output fields nbval does not compare either: display metadata, the prompt number, tracebacks.
_UNCOMPARED = {"metadata", "execution_count", "traceback"}


def notebook_environment(lang: str, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment of a notebook run: offline on the fake model, no key, no .env, in ``lang``."""
    kept = {name: value for name, value in environ.items() if not name.startswith("COURSE_") and name not in _SHELL_ONLY}
    return kept | {"COURSE_LANG": lang, "COURSE_DOTENV": "0"}


def execute(notebooks: Mapping[str, NotebookNode], folder: Mapping[str, Path]) -> dict[str, NotebookNode]:
    """Each language's notebook run in its own kernel from ``folder[lang]``; the inputs are left untouched."""
    ran = {lang: copy.deepcopy(notebook) for lang, notebook in notebooks.items()}
    asyncio.run(_execute_all(ran, folder))
    return ran


async def _execute_all(notebooks: dict[str, NotebookNode], folder: Mapping[str, Path]) -> None:
    await asyncio.gather(*(_execute(notebook, lang, folder[lang]) for lang, notebook in notebooks.items()))


async def _execute(notebook: NotebookNode, lang: str, folder: Path) -> None:
    client = NotebookClient(
        notebook,
        km=AsyncKernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager()),
        timeout=CELL_TIMEOUT,
        record_timing=False,  # no timestamps in the cells' metadata
        coalesce_streams=True,  # one stdout and one stderr per cell, \r already applied, as Jupyter shows them
        resources={"metadata": {"path": str(folder)}},
    )
    try:
        await client.async_execute(env=notebook_environment(lang), stderr=subprocess.DEVNULL)
    except CellExecutionError as error:
        error.add_note(f"while running the {lang} notebook in {folder}")
        raise


def sanitize_patterns(path: Path = SANITIZER) -> list[tuple[str, str]]:
    """The (regex, replacement) pairs of the sanitizer file, read the way nbval reads them."""
    return get_sanitize_patterns(path.read_text(encoding="utf-8"))


def seen_outputs(notebook: NotebookNode, patterns: list[tuple[str, str]]) -> list[list[dict[str, Any]]]:
    """Every code cell's outputs as nbval compares them: sanitized, without metadata or counts."""
    return [[_seen(output, patterns) for output in cell.outputs] for cell in notebook.cells if cell.cell_type == "code"]


def _seen(output: NotebookNode, patterns: list[tuple[str, str]]) -> dict[str, Any]:
    seen = {}
    for key, value in output.items():
        if key in _UNCOMPARED:
            continue
        if key == "data":
            seen[key] = {mime: _sanitize(text, patterns) for mime, text in value.items()}
        else:
            seen[key] = _sanitize(value, patterns)
    return seen


def _sanitize(value: Any, patterns: list[tuple[str, str]]) -> Any:
    if not isinstance(value, str):
        return value
    for regex, replacement in patterns:
        value = re.sub(regex, replacement, value)
    return value
