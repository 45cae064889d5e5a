"""The committed notebooks are what the generator makes, and every one of them runs offline.

Execution uses nbclient with a ``python3`` kernel started from the interpreter running the tests
(the course's .venv), so a notebook sees exactly the installed coursekit, with no key and no
network. Cells tagged ``skip-execution`` wait for someone to type; ``tests/test_snippets.py``
feeds their script through stdin instead, and a test below checks they are nothing but a snippet.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from coursekit.guides import ROOT, guide_days, notebook_path, snippet_files
from coursekit.i18n import LANGUAGES
from coursekit.notebooks import SKIP_EXECUTION, build_notebooks, notebook_code

NOTEBOOKS = [pytest.param(day, lang, id=f"{lang}/{day}") for day in guide_days() for lang in LANGUAGES]
#: The three languages share their code cells (asserted below), so running one language runs them all.
RUN_LANGUAGE = "en"


@pytest.fixture(scope="module")
def venv_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A ``python3`` kernelspec running ``sys.executable``, found before any user-wide one."""
    kernels = tmp_path_factory.mktemp("jupyter")
    spec = kernels / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.joinpath("kernel.json").write_text(json.dumps({"argv": argv, "display_name": "course", "language": "python"}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(kernels))
        yield


def test_committed_notebooks_are_up_to_date() -> None:
    stale = [str(path.relative_to(ROOT)) for path in build_notebooks(check=True)]
    assert stale == [], "run `make notebooks` and commit the result"


def code_cells(day: str, lang: str) -> list[str]:
    notebook = nbformat.read(notebook_path(day, lang), as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("day", guide_days())
def test_the_languages_share_every_code_cell(day: str) -> None:
    """Only the prose is translated: the code a reader runs is the same in en, pt and id."""
    reference = code_cells(day, RUN_LANGUAGE)
    for lang in LANGUAGES:
        assert code_cells(day, lang) == reference, f"{lang}/{day} runs other code than {RUN_LANGUAGE}/{day}"


@pytest.mark.parametrize("day", guide_days())
def test_notebook_runs_offline(day: str, venv_kernel: None) -> None:
    path = notebook_path(day, RUN_LANGUAGE)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if SKIP_EXECUTION not in cell.metadata.get("tags", [])]
    client = NotebookClient(notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, with the traceback, when a cell fails
    silent = [cell.source.splitlines()[0] for cell in notebook.cells if cell.cell_type == "code" and not cell.outputs]
    assert silent == [], "every snippet prints something; these cells printed nothing"


@pytest.mark.parametrize(("day", "lang"), NOTEBOOKS)
def test_notebook_is_committed_clean(day: str, lang: str) -> None:
    notebook = nbformat.read(notebook_path(day, lang), as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "a notebook without code cells"
    assert all(not cell.outputs and cell.execution_count is None for cell in code), "outputs must not be committed"
    assert not any("asyncio.run(" in cell.source for cell in code), "Jupyter needs top-level await"
    snippets = {notebook_code(path.read_text(encoding="utf-8")) for path in snippet_files(day)}
    for cell in code:
        if SKIP_EXECUTION in cell.metadata.get("tags", []):
            assert cell.source in snippets and "input(" in cell.source
    prose = "".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "--8<--" not in prose, "an include line reached the notebook instead of the code it names"


# --- the generator itself, on a small course in a temporary folder ---------------------------

GUIDES = {
    "en": "# Day 0\n\nRun this:\n\n```python\n--8<-- \"modules/day0_demo/snippets/hello.py\"\n```\n\n"
    "## Then type\n\n```python\n--8<-- \"modules/day0_demo/snippets/ask.py\"\n```\n\nDone.\n",
    "pt": "# Dia 0\n\nRode isto:\n\n```python\n--8<-- \"modules/day0_demo/snippets/hello.py\"\n```\n\n"
    "## Depois digite\n\n```python\n--8<-- \"modules/day0_demo/snippets/ask.py\"\n```\n\nPronto.\n",
    "id": "# Hari 0\n\nJalankan ini:\n\n```python\n--8<-- \"modules/day0_demo/snippets/hello.py\"\n```\n\n"
    "## Lalu ketik\n\n```python\n--8<-- \"modules/day0_demo/snippets/ask.py\"\n```\n\nSelesai.\n",
}
HELLO = 'import asyncio\n\n\nasync def main() -> None:\n    print("hello")\n\n\nasyncio.run(main())\n'
ASK = 'name = input("name? ")\nprint(f"hi {name}")\n'


@pytest.fixture
def small_course(tmp_path: Path) -> Path:
    day = tmp_path / "modules" / "day0_demo"
    (day / "snippets").mkdir(parents=True)
    (day / "snippets" / "hello.py").write_text(HELLO)
    (day / "snippets" / "ask.py").write_text(ASK)
    for lang, text in GUIDES.items():
        (day / ("index.md" if lang == "en" else f"index.{lang}.md")).write_text(text)
    return tmp_path


def test_generator_builds_cells_from_prose_and_snippets(small_course: Path) -> None:
    assert sorted(build_notebooks(root=small_course)) == sorted(notebook_path("day0_demo", lang, small_course) for lang in LANGUAGES)
    notebook = nbformat.read(notebook_path("day0_demo", "pt", small_course), as_version=4)
    kinds = [(cell.cell_type, cell.source) for cell in notebook.cells]
    assert kinds == [
        ("markdown", "# Dia 0\n\nRode isto:"),
        ("code", 'async def main() -> None:\n    print("hello")\n\n\nawait main()'),
        ("markdown", "## Depois digite"),
        ("code", ASK.rstrip("\n")),
        ("markdown", "Pronto."),
    ]
    assert [cell.metadata.get("tags") for cell in notebook.cells] == [None, None, None, [SKIP_EXECUTION], None]
    assert notebook.metadata.kernelspec.name == "python3"


def test_generator_is_deterministic_and_check_finds_drift(small_course: Path) -> None:
    build_notebooks(root=small_course)
    path = notebook_path("day0_demo", "id", small_course)
    first = path.read_bytes()
    assert build_notebooks(root=small_course) == [] and path.read_bytes() == first
    assert build_notebooks(check=True, root=small_course) == []

    guide = small_course / "modules" / "day0_demo" / "index.id.md"
    guide.write_text(guide.read_text().replace("Selesai.", "Sudah selesai."))
    assert build_notebooks(check=True, root=small_course) == [path]
    assert path.read_bytes() == first, "check mode must not write"

    orphan = notebook_path("day9_gone", "en", small_course)
    shutil.copy(path, orphan)
    assert set(build_notebooks(root=small_course)) == {path, orphan}
    assert not orphan.exists() and build_notebooks(check=True, root=small_course) == []


def test_asyncio_import_stays_when_still_used() -> None:
    source = "import asyncio\n\n\nasync def main() -> None:\n    await asyncio.sleep(0)\n\n\nasyncio.run(main())\n"
    assert notebook_code(source) == "import asyncio\n\n\nasync def main() -> None:\n    await asyncio.sleep(0)\n\n\nawait main()"
