"""Generate ``notebooks/<lang>/<day>.ipynb`` from each day's pages (the guide, then any others) and snippets.

``coursekit notebooks`` (or ``make notebooks``) rewrites every notebook; ``--check``
only reports the ones that differ, which is what the test suite runs. Prose cells come from the
guide in that language and code cells from the snippet files, so a notebook never drifts from the
site. The output is a pure function of those files (fixed cell ids, no outputs, no timestamps),
which is what lets a test say "the committed notebook is stale".

Two changes make a script run in Jupyter, where an event loop is already running:

* a top-level ``asyncio.run(main())`` becomes ``await main()`` (``asyncio.run`` raises there), and
  ``import asyncio`` goes away if nothing else uses it;
* a snippet that calls ``input()`` is tagged ``skip-execution``: a person can type in Jupyter, but
  an unattended run cannot, so ``tests/test_snippets.py`` feeds that script through stdin instead.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from coursekit.guides import ROOT, Snippet, as_read, guide_days, guide_path, notebook_path, page_names, page_path, read_guide
from coursekit.i18n import LANGUAGES

SKIP_EXECUTION = "skip-execution"
_ASYNCIO_RUN = re.compile(r"^asyncio\.run\((?P<call>.+)\)[ \t]*$", re.M)
_IMPORT_ASYNCIO = re.compile(r"^import asyncio\n", re.M)
#: An include line in prose, e.g. inside a ```javascript block: pymdownx.snippets expands it on
#: the site, and the notebook must show the same code rather than the directive.
_PROSE_INCLUDE = re.compile(r'^[ \t]*--8<-- "(?P<path>[^"]+)"[ \t]*$', re.M)
_KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def build_notebooks(check: bool = False, root: Path = ROOT) -> list[Path]:
    """Write every notebook whose content changed, and delete notebooks whose guide is gone.

    With ``check=True`` nothing is written. Returns the paths that changed (or would change).
    """
    expected = {
        notebook_path(day, lang, root): render(notebook_for(day, lang, root))
        for day in guide_days(root)
        for lang in LANGUAGES
    }
    changed = []
    for path, text in expected.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for lang in LANGUAGES:
        for orphan in sorted((root / "notebooks" / lang).glob("*.ipynb")):
            if orphan not in expected:
                changed.append(orphan)
                if not check:
                    orphan.unlink()
    return changed


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
                cell.metadata["tags"] = [SKIP_EXECUTION]
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
