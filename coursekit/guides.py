"""Where the guides, their snippets and their notebooks live, and how a guide is read.

A day's guide is ``modules/<day>/index.md`` (English), ``index.pt.md`` and ``index.id.md``. Its
Python is never pasted into the Markdown: every Python block is one include line::

    ```python
    --8<-- "modules/<day>/snippets/<name>.py"
    ```

pymdownx.snippets expands it on the site, :mod:`coursekit.notebooks` turns it into a code cell,
and ``tests/test_snippets.py`` runs the file. One file, three uses: the code a reader copies is
the code the tests ran.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from coursekit.i18n import DEFAULT_LANGUAGE, t

#: The repository: coursekit is installed in editable mode, so this is the working tree.
ROOT = Path(__file__).resolve().parent.parent
PYTHON_FENCES = frozenset({"python", "py"})
_INCLUDE = re.compile(r'--8<-- "(?P<path>[^"]+)"\n?')
_MARKDOWN = MarkdownIt("commonmark").enable("table")


class GuideError(ValueError):
    """A guide breaks the conventions the site, the notebooks and the tests rely on."""


@dataclass(frozen=True)
class Prose:
    """Markdown between two code blocks, kept as written."""

    markdown: str


@dataclass(frozen=True)
class Snippet:
    """A code block included from a snippet file; ``path`` is relative to the repository."""

    path: str


#: Where a guide lists its day's exercises: the site and the notebooks put the manifest's list here.
EXERCISES_MARKER = "<!-- day-exercises -->"
#: A page's first line: ``<!-- day-heading -->`` on a day's index page becomes ``# Day 1 · <title from
#: course.toml>``; ``<!-- day-heading: Other transports -->`` on a further page, ``# Day 3 · Other transports``.
DAY_HEADING = re.compile(r"<!-- day-heading(?:: (?P<title>[^\n]+?))? -->")


def day_title(number: int, titles: dict[str, str], lang: str) -> str:
    """``Day 1 · stream() and astream(): tokens as they arrive``, in ``lang``."""
    return f"{t('site.day', lang, number=number)} · {titles[lang]}"


def exercise_list(day: str, lang: str, root: Path = ROOT) -> str:
    """The day's exercises from course.toml, as a numbered Markdown list in ``lang``."""
    from coursekit.manifest import load_course  # the manifest is read only where a list is wanted

    exercises = [exercise for exercise in load_course(root).exercises if exercise.day == day]
    return "\n".join(f"{number}. **`{exercise.stem}`**: {exercise.title[lang]}" for number, exercise in enumerate(exercises, start=1))


def as_read(markdown: str, day: str, lang: str, root: Path = ROOT) -> str:
    """A page as readers see it: its heading and its exercise list filled in from course.toml."""
    heading = DAY_HEADING.search(markdown)
    if heading is not None:
        from coursekit.manifest import load_course

        days = load_course(root).days
        number = [course_day.slug for course_day in days].index(day) + 1
        title = day_title(number, {lang: heading["title"]} if heading["title"] else days[number - 1].title, lang)
        markdown = markdown[: heading.start()] + f"# {title}" + markdown[heading.end() :]
    if EXERCISES_MARKER in markdown:
        markdown = markdown.replace(EXERCISES_MARKER, exercise_list(day, lang, root))
    return markdown


def guide_days(root: Path = ROOT) -> list[str]:
    """The days that have a guide, in course order (the folder names sort that way)."""
    return sorted(path.parent.name for path in (root / "modules").glob("*/index.md"))


def snippet_days(root: Path = ROOT) -> list[str]:
    """The days that have snippets, with or without a guide yet (every snippet gets tested)."""
    return sorted({path.parent.parent.name for path in (root / "modules").glob("*/snippets/*.py")})


def guide_path(day: str, lang: str, root: Path = ROOT) -> Path:
    """``index.md`` for the default language, ``index.<lang>.md`` for the others."""
    return page_path(day, "index", lang, root)


def page_names(day: str, root: Path = ROOT) -> list[str]:
    """A day's pages, ``index`` first, then any further ones (``transports.md``), by English file name."""
    others = sorted(path.stem for path in (root / "modules" / day).glob("*.md") if "." not in path.stem)
    return ["index", *(name for name in others if name != "index")]


def page_path(day: str, name: str, lang: str, root: Path = ROOT) -> Path:
    """``<name>.md`` for the default language, ``<name>.<lang>.md`` for the others."""
    suffix = "" if lang == DEFAULT_LANGUAGE else f".{lang}"
    return root / "modules" / day / f"{name}{suffix}.md"


def notebook_path(day: str, lang: str, root: Path = ROOT) -> Path:
    """Notebooks sit in one folder per language, so a student opens only their own."""
    return root / "notebooks" / lang / f"{day}.ipynb"


def snippet_files(day: str, root: Path = ROOT) -> list[Path]:
    """Every runnable snippet of a day."""
    return sorted((root / "modules" / day / "snippets").glob("*.py"))


def read_guide(markdown: str, source: str = "guide") -> list[Prose | Snippet]:
    """Split a guide into prose and snippet blocks, in order.

    Raises:
        GuideError: a Python block holds pasted code instead of one include line.
    """
    lines = markdown.splitlines(keepends=True)
    blocks: list[Prose | Snippet] = []
    prose_start = 0
    for token in _MARKDOWN.parse(markdown):
        if token.type != "fence" or token.info.strip() not in PYTHON_FENCES:
            continue
        start, end = token.map
        include = _INCLUDE.fullmatch(token.content)
        if include is None:
            raise GuideError(
                f"{source}, line {start + 1}: Python blocks must be a single "
                f'--8<-- "modules/<day>/snippets/<name>.py" line, not pasted code'
            )
        _append_prose(blocks, lines[prose_start:start])
        blocks.append(Snippet(include["path"]))
        prose_start = end
    _append_prose(blocks, lines[prose_start:])
    return blocks


def included_snippets(markdown: str, source: str = "guide") -> list[str]:
    """The snippet paths a guide includes, in order."""
    return [block.path for block in read_guide(markdown, source) if isinstance(block, Snippet)]


def headings(markdown: str) -> list[tuple[int, str]]:
    """``(level, text)`` of every heading; ``#`` lines inside code blocks are not headings."""
    tokens = _MARKDOWN.parse(markdown)
    return [
        (int(token.tag[1:]), tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def _append_prose(blocks: list[Prose | Snippet], lines: list[str]) -> None:
    text = "".join(lines).strip("\n")
    if text.strip():
        blocks.append(Prose(text))
