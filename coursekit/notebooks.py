"""Generate ``notebooks/<lang>/<day>.ipynb`` from each day's pages (the guide, then any others) and snippets.

``coursekit notebooks`` (or ``make notebooks``) rebuilds every notebook and runs it, so the
committed notebooks carry real outputs: a reader on GitHub or in JupyterLab sees what each cell
prints before running anything. Prose cells come from the guide in that language and code cells
from the snippet files, so a notebook never drifts from the site. Everything but the outputs is a
pure function of those files (fixed cell ids, no timestamps); the outputs come from one offline run
per language (:mod:`coursekit.notebook_outputs`), and a notebook is rewritten only when its text
or what its outputs show changed, not for a timing alone.

``--check`` (what the test suite runs) compares everything except outputs and execution counts,
which vary from run to run: a notebook is stale when its prose or code changed, or when it was
never run. Whether the stored outputs are still what the code prints is nbval's job
(``pytest --nbval notebooks/en``, in ``make test``).

Two changes make a script run in Jupyter, where an event loop is already running:

* a top-level ``asyncio.run(main())`` becomes ``await main()`` (``asyncio.run`` raises there), and
  ``import asyncio`` goes away if nothing else uses it;
* a snippet that calls ``input()`` is tagged ``skip-execution`` (nbclient's tag) and ``nbval-skip``
  (nbval's), and keeps no outputs: a person can type in Jupyter, but an unattended run cannot, so
  ``tests/test_snippets.py`` feeds that script through stdin instead.
"""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from coursekit.guides import ROOT, Snippet, as_read, guide_days, guide_path, notebook_path, page_names, page_path, read_guide
from coursekit.i18n import LANGUAGES
from coursekit.notebook_outputs import execute, sanitize_patterns, seen_outputs

SKIP_EXECUTION = "skip-execution"
#: nbclient skips cells tagged ``skip-execution``, nbval those tagged ``nbval-skip``.
SKIP_TAGS = [SKIP_EXECUTION, "nbval-skip"]
_ASYNCIO_RUN = re.compile(r"^asyncio\.run\((?P<call>.+)\)[ \t]*$", re.M)
_IMPORT_ASYNCIO = re.compile(r"^import asyncio\n", re.M)
#: An include line in prose, e.g. inside a ```javascript block: pymdownx.snippets expands it on
#: the site, and the notebook must show the same code rather than the directive.
_PROSE_INCLUDE = re.compile(r'^[ \t]*--8<-- "(?P<path>[^"]+)"[ \t]*$', re.M)
_KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def build_notebooks(check: bool = False, root: Path = ROOT) -> list[Path]:
    """Run every day's notebooks and write those whose content changed; delete those whose guide is gone.

    With ``check=True`` nothing is run or written. Returns the paths that changed (or would change).
    """
    expected = {day: {lang: notebook_for(day, lang, root) for lang in LANGUAGES} for day in guide_days(root)}
    paths = {day: {lang: notebook_path(day, lang, root) for lang in LANGUAGES} for day in expected}
    changed = []
    for day, notebooks in expected.items():
        if check:
            changed += [paths[day][lang] for lang, notebook in notebooks.items() if is_stale(paths[day][lang], notebook)]
        else:
            changed += _write_run(notebooks, paths[day])
    written = {path for day in paths.values() for path in day.values()}
    for lang in LANGUAGES:
        for orphan in sorted((root / "notebooks" / lang).glob("*.ipynb")):
            if orphan not in written:
                changed.append(orphan)
                if not check:
                    orphan.unlink()
    return changed


def _write_run(notebooks: dict[str, NotebookNode], paths: dict[str, Path]) -> list[Path]:
    """Run one day's notebooks and write each one a reader would see differently; return those."""
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    ran = execute(notebooks, {lang: path.parent for lang, path in paths.items()})
    patterns = sanitize_patterns()
    changed = []
    for lang, notebook in notebooks.items():
        path, fresh = paths[lang], with_outputs_of(notebook, ran[lang])
        if is_stale(path, notebook) or seen_outputs(read(path), patterns) != seen_outputs(fresh, patterns):
            path.write_text(render(fresh), encoding="utf-8")
            changed.append(path)
    return changed


def is_stale(path: Path, expected: NotebookNode) -> bool:
    """Whether the notebook at ``path`` differs from ``expected`` in anything but outputs, or never ran."""
    if not path.exists():
        return True
    committed = read(path)
    ran = all(cell.execution_count is not None for cell in committed.cells if _runs(cell))
    return render(without_outputs(committed)) != render(expected) or not ran


def with_outputs_of(notebook: NotebookNode, ran: NotebookNode) -> NotebookNode:
    """``notebook`` with the outputs and execution counts of its run ``ran``, and nothing else of it.

    The kernel's own metadata (its Python version, for one) stays out, so the file depends on the
    machine only through what the cells print.
    """
    result = copy.deepcopy(notebook)
    for cell, run in zip(result.cells, ran.cells, strict=True):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = run.outputs, run.execution_count
    return result


def without_outputs(notebook: NotebookNode) -> NotebookNode:
    """A copy with every code cell's outputs and execution count cleared."""
    result = copy.deepcopy(notebook)
    for cell in result.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return result


def read(path: Path) -> NotebookNode:
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)


def _runs(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and SKIP_EXECUTION not in cell.metadata.get("tags", [])


def notebook_for(day: str, lang: str, root: Path = ROOT) -> NotebookNode:
    """The notebook of one day in one language: every page's prose and snippets, in order."""
    guide = guide_path(day, lang, root)
    blocks = []
    for name in page_names(day, root):
        page = page_path(day, name, lang, root)
        text = as_read(page.read_text(encoding="utf-8"), day, lang, root)
        blocks += read_guide(text, source=str(page.relative_to(root)))
    cells = []
    for index, block in enumerate(blocks):
        cell_id = f"cell-{index:02d}"
        if isinstance(block, Snippet):
            source = (root / block.path).read_text(encoding="utf-8")
            cell = nbformat.v4.new_code_cell(notebook_code(source), id=cell_id)
            if calls_input(source):
                cell.metadata["tags"] = list(SKIP_TAGS)
        else:
            cell = nbformat.v4.new_markdown_cell(expand_includes(block.markdown, root), id=cell_id)
        cells.append(cell)
    return nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": _KERNELSPEC,
            "language_info": {"name": "python"},
            "coursekit": {"generated_from": guide.relative_to(root).as_posix(), "by": "make notebooks"},
        },
    )


def expand_includes(markdown: str, root: Path = ROOT) -> str:
    """Prose with every include line replaced by the file it names, as the site shows it."""
    return _PROSE_INCLUDE.sub(lambda m: (root / m["path"]).read_text(encoding="utf-8").strip("\n"), markdown)


def notebook_code(source: str) -> str:
    """A snippet as a notebook cell: top-level ``await`` instead of ``asyncio.run``."""
    code = _ASYNCIO_RUN.sub(r"await \g<call>", source)
    if code != source and not re.search(r"\basyncio\.", code):
        code = _IMPORT_ASYNCIO.sub("", code, count=1)
    return code.strip("\n")


def calls_input(source: str) -> bool:
    """Whether a snippet waits for someone to type (a call to the built-in ``input``)."""
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "input"
        for node in ast.walk(ast.parse(source))
    )


def render(notebook: NotebookNode) -> str:
    """The exact file text: nbformat's stable JSON (sorted keys) plus a final newline."""
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"
