"""Every page of a day's guide: ``index.md`` and any further pages beside it, such as
``modules/day3_sse/transports.md``, each in the three languages (``transports.pt.md``, ...).

``coursekit.guides`` knows one page per day (``index``); the site serves every page it finds, so
the tests of snippets, translations and the site read them all through these two functions.
"""

from __future__ import annotations

from pathlib import Path

from coursekit.guides import ROOT, guide_days
from coursekit.i18n import DEFAULT_LANGUAGE, LANGUAGES


def page_names(day: str, root: Path = ROOT) -> list[str]:
    """The day's pages, ``index`` first: the English files, named without a language suffix."""
    others = sorted(path.stem for path in (root / "modules" / day).glob("*.md") if "." not in path.stem)
    return ["index", *(name for name in others if name != "index")]


def page_path(day: str, name: str, lang: str, root: Path = ROOT) -> Path:
    suffix = "" if lang == DEFAULT_LANGUAGE else f".{lang}"
    return root / "modules" / day / f"{name}{suffix}.md"


def extra_pages(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(day, name)`` of every page that is not a day's ``index``."""
    return [(day, name) for day in guide_days(root) for name in page_names(day, root)[1:]]


def all_languages(day: str, name: str) -> dict[str, Path]:
    return {lang: page_path(day, name, lang) for lang in LANGUAGES}
