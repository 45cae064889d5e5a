"""The committed notebooks are what the generator makes, with the outputs of a real offline run.

Whether those outputs are still what the code prints is nbval's check: ``make test`` runs
``pytest --nbval notebooks/en`` with the rest of the suite (notebooks/conftest.py gives it the
sanitizer, the course's kernel and the offline environment), which replaces executing the
notebooks here. The tests below hold the rest: the notebooks are fresh, they ran, the three
languages share their code, the sanitizer is read whole, and nbval does fail on a changed output.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coursekit.guides import ROOT, guide_days, notebook_path, snippet_files
from coursekit.i18n import LANGUAGES
from coursekit.notebook_outputs import SANITIZER, notebook_environment, sanitize_patterns, seen_outputs
from coursekit.notebooks import SKIP_EXECUTION, SKIP_TAGS, build_notebooks, notebook_code, notebook_for, read, render

NOTEBOOKS = [pytest.param(day, lang, id=f"{lang}/{day}") for day in guide_days() for lang in LANGUAGES]
#: The language whose notebooks ``make test`` checks with nbval.
CHECKED_LANGUAGE = "en"


def test_committed_notebooks_are_up_to_date() -> None:
    stale = [str(path.relative_to(ROOT)) for path in build_notebooks(check=True)]
    assert stale == [], "run `make notebooks` and commit the result"


def code_cells(day: str, lang: str) -> list[str]:
    return [cell.source for cell in read(notebook_path(day, lang)).cells if cell.cell_type == "code"]


@pytest.mark.parametrize("day", guide_days())
def test_the_languages_share_every_code_cell(day: str) -> None:
    """Only the prose is translated: the code a reader runs is the same in en, pt and id."""
    reference = code_cells(day, CHECKED_LANGUAGE)
    for lang in LANGUAGES:
        assert code_cells(day, lang) == reference, f"{lang}/{day} runs other code than {CHECKED_LANGUAGE}/{day}"


@pytest.mark.parametrize(("day", "lang"), NOTEBOOKS)
def test_notebook_carries_the_outputs_of_its_run(day: str, lang: str) -> None:
    notebook = read(notebook_path(day, lang))
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "a notebook without code cells"
    typed = [cell for cell in code if SKIP_EXECUTION in cell.metadata.get("tags", [])]
    ran = [cell for cell in code if cell not in typed]
    assert [cell.execution_count for cell in ran] == list(range(1, len(ran) + 1)), "not one run, top to bottom"
    silent = [cell.source.splitlines()[0] for cell in ran if not cell.outputs]
    assert silent == [], "every snippet prints something; these cells show nothing"
    assert not any("execution" in cell.metadata for cell in code), "timestamps of the run must stay out of the file"
    assert not any("asyncio.run(" in cell.source for cell in code), "Jupyter needs top-level await"
    snippets = {notebook_code(path.read_text(encoding="utf-8")) for path in snippet_files(day)}
    for cell in typed:
        assert cell.source in snippets and "input(" in cell.source
        assert cell.metadata.tags == SKIP_TAGS and not cell.outputs and cell.execution_count is None
    prose = "".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "--8<--" not in prose, "an include line reached the notebook instead of the code it names"


def test_nbval_reads_every_entry_of_the_sanitizer() -> None:
    """nbval silently drops an entry whose "replace:" line is malformed; every regex must compile."""
    text = SANITIZER.read_text(encoding="utf-8")
    patterns = sanitize_patterns()
    assert len(patterns) == len(re.findall(r"^regex: ", text, re.M)) > 0
    for regex, _ in patterns:
        re.compile(regex)


def test_the_sanitizer_hides_timing_but_not_words() -> None:
    """What ``make notebooks`` keeps and what nbval passes: the same comparison, on the same file."""
    patterns = sanitize_patterns()

    def stdout(text: str) -> nbformat.NotebookNode:
        output = nbformat.v4.new_output("stream", name="stdout", text=text)
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print()", outputs=[output])])

    stored = seen_outputs(stdout("time to first token: 0.35s\nid='lc_run--01a23728-45d9-777a-be69-f55937b9ca87-0'\n"), patterns)
    assert seen_outputs(stdout("time to first token: 1.07s\nid='lc_run--11b23728-45d9-777a-be69-f55937b9ca88-0'\n"), patterns) == stored
    assert seen_outputs(stdout("time to last token: 0.35s\nid='lc_run--01a23728-45d9-777a-be69-f55937b9ca87-0'\n"), patterns) != stored


#: Cells of a real notebook for nbval to check in a subprocess: (snippet, what to change in its stored output).
NBVAL_DAY = "day2_callbacks"
NBVAL_CELLS = [
    ("where_to_attach", None),  # unchanged: passes
    ("metrics_handler", (r"\d+\.\d+s\b", "9.99s")),  # only timings changed: the sanitizer lets it pass
    ("callbacks_vs_stream", ("grain", "pebble")),  # a word changed: fails, with nbval's diff
]


def cell_of(notebook: nbformat.NotebookNode, day: str, snippet: str) -> nbformat.NotebookNode:
    source = notebook_code((ROOT / "modules" / day / "snippets" / f"{snippet}.py").read_text(encoding="utf-8"))
    return next(cell for cell in notebook.cells if cell.cell_type == "code" and cell.source == source)


def test_nbval_fails_on_a_changed_output_and_passes_a_sanitized_one(tmp_path: Path) -> None:
    real = read(notebook_path(NBVAL_DAY, CHECKED_LANGUAGE))
    cells = []
    for snippet, change in NBVAL_CELLS:
        cell = cell_of(real, NBVAL_DAY, snippet)
        if change:
            for output in cell.outputs:
                changed = re.sub(*change, output.text)
                assert changed != output.text, f"{snippet}'s output has nothing to change"
                output.text = changed
        cells.append(cell)
    notebook = tmp_path / "changed.ipynb"
    notebook.write_text(render(nbformat.v4.new_notebook(cells=cells, metadata=real.metadata)), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the course's addopts: nbval alone, no other plugin to import,
    # with the options notebooks/conftest.py gives it.
    command = [sys.executable, "-m", "pytest", "-v", "-p", "nbval", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
               f"--nbval-sanitize-with={SANITIZER}", notebook.name]  # "=": a bare path would count for pytest's rootdir
    env = notebook_environment("en") | {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    outcomes = dict(re.findall(r"::Cell (\d+) (PASSED|FAILED)", result.stdout))
    assert outcomes == {"0": "PASSED", "1": "PASSED", "2": "FAILED"}, result.stdout + result.stderr
    assert "Cell outputs differ" in result.stdout and "pebble" in result.stdout, result.stdout


# --- the generator itself, on a small course in a temporary folder ---------------------------

GUIDES = {
    "en": "# Day 0\n\nRun this:\n\n```python\n--8<-- \"modules/day0_demo/snippets/hello.py\"\n```\n\n"
    "## Then type\n\n```python\n--8<-- \"modules/day0_demo/snippets/ask.py\"\n```\n\nDone.\n",
    "pt": "# Dia 0\n\nRode isto:\n\n```python\n--8<-- \"modules/day0_demo/snippets/hello.py\"\n```\n\n"
    "## Depois digite\n\n```python\n--8<-- \"modules/day0_demo/snippets/ask.py\"\n```\n\nPronto.\n",
    "id": "# Hari 0\n\nJalankan ini:\n\n```python\n--8<-- \"modules/day0_demo/snippets/hello.py\"\n```\n\n"
    "## Lalu ketik\n\n```python\n--8<-- \"modules/day0_demo/snippets/ask.py\"\n```\n\nSelesai.\n",
}
#: Prints the language its kernel speaks, and a duration that differs on every run.
HELLO = (
    "import asyncio\nimport os\nimport time\n\n\nasync def main() -> None:\n    start = time.perf_counter()\n"
    "    await asyncio.sleep(0.01)\n"
    '    print(f"hello in {os.environ[\'COURSE_LANG\']} after {time.perf_counter() - start:.6f} s")\n\n\n'
    "asyncio.run(main())\n"
)
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


def test_generator_runs_each_language_and_a_rerun_changes_nothing_but_orphans(small_course: Path) -> None:
    paths = [notebook_path("day0_demo", lang, small_course) for lang in LANGUAGES]
    assert sorted(build_notebooks(root=small_course)) == sorted(paths)
    notebook = read(notebook_path("day0_demo", "pt", small_course))
    kinds = [(cell.cell_type, cell.source) for cell in notebook.cells]
    assert kinds == [
        ("markdown", "# Dia 0\n\nRode isto:"),
        ("code", notebook_code(HELLO)),
        ("markdown", "## Depois digite"),
        ("code", ASK.rstrip("\n")),
        ("markdown", "Pronto."),
    ]
    assert "await main()" in kinds[1][1] and "asyncio.run" not in kinds[1][1]
    assert [cell.metadata.get("tags") for cell in notebook.cells] == [None, None, None, SKIP_TAGS, None]
    hello, ask = notebook.cells[1], notebook.cells[3]
    assert hello.execution_count == 1 and re.fullmatch(r"hello in pt after \d\.\d{6} s\n", hello.outputs[0].text)
    assert ask.outputs == [] and ask.execution_count is None, "a cell that waits for typing is not run"
    assert notebook.metadata.kernelspec.name == "python3"
    assert notebook.metadata.language_info == {"name": "python"}, "the kernel's Python version stays out of the file"
    for lang, path in zip(LANGUAGES, paths):
        assert f"hello in {lang} after" in read(path).cells[1].outputs[0].text, "each language runs in its own language"
    assert build_notebooks(check=True, root=small_course) == []

    first = {path: path.read_bytes() for path in paths}
    orphan = notebook_path("day9_gone", "en", small_course)
    shutil.copy(paths[0], orphan)
    assert build_notebooks(root=small_course) == [orphan], "only a duration changed: nothing to rewrite"
    assert {path: path.read_bytes() for path in paths} == first and not orphan.exists()


def test_check_finds_notebooks_that_never_ran_or_whose_text_changed(small_course: Path) -> None:
    """Check mode runs nothing: a notebook is stale when anything but its outputs differs, or it has none."""
    paths = {lang: notebook_path("day0_demo", lang, small_course) for lang in LANGUAGES}
    for lang, path in paths.items():
        path.parent.mkdir(parents=True)
        path.write_text(render(notebook_for("day0_demo", lang, small_course)), encoding="utf-8")
    assert sorted(build_notebooks(check=True, root=small_course)) == sorted(paths.values()), "never ran"

    for path in paths.values():  # as if run: counts and an output (the run itself is the test above)
        ran = read(path)
        ran.cells[1].execution_count = 1
        ran.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
        path.write_text(render(ran), encoding="utf-8")
    assert build_notebooks(check=True, root=small_course) == []

    before = paths["id"].read_bytes()
    guide = small_course / "modules" / "day0_demo" / "index.id.md"
    guide.write_text(guide.read_text().replace("Selesai.", "Sudah selesai."))
    assert build_notebooks(check=True, root=small_course) == [paths["id"]]
    assert paths["id"].read_bytes() == before, "check mode must not write"

    snippet = small_course / "modules" / "day0_demo" / "snippets" / "hello.py"
    snippet.write_text(snippet.read_text().replace("hello in", "hi in"))
    assert sorted(build_notebooks(check=True, root=small_course)) == sorted(paths.values()), "code changed, old outputs"


def test_asyncio_import_stays_when_still_used() -> None:
    source = "import asyncio\n\n\nasync def main() -> None:\n    await asyncio.sleep(0)\n\n\nasyncio.run(main())\n"
    assert notebook_code(source) == "import asyncio\n\n\nasync def main() -> None:\n    await asyncio.sleep(0)\n\n\nawait main()"
