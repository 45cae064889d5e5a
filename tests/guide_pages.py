"""Every page of a day's guide: ``index.md`` and any further pages beside it, such as
``modules/day3_sse/transports.md``, each in the three languages (``transports.pt.md``, ...).

The pages themselves come from :mod:`coursekit.guides` (the notebooks are built from all of them);
the tests of snippets, translations and the site read them through these helpers.
"""

from __future__ import annotations

from pathlib import Path

from coursekit.guides import ROOT, guide_days, page_names, page_path
from coursekit.i18n import LANGUAGES


def extra_pages(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(day, name)`` of every page that is not a day's ``index``."""
    return [(day, name) for day in guide_days(root) for name in page_names(day, root)[1:]]


def all_languages(day: str, name: str) -> dict[str, Path]:
    return {lang: page_path(day, name, lang) for lang in LANGUAGES}
