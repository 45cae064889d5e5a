"""Messages of the CLI, the grader, the test helpers and each day's exercises in en, pt and id.

Each ``*.toml`` file beside this module is one catalogue; its keys are reached as
``"<file stem>.<key>"``, e.g. ``t("grading.timeout", seconds=10)``. A day's exercise messages
live with its tests, in ``tests/exercises/<day>/messages.toml``, reached as ``"<day>.<key>"``: a
new day adds its own file and touches nothing in the package. Every key carries all three
languages; ``tests/test_cli.py`` fails when one is missing, so no student ever meets a message
in a language they did not choose.
"""

from __future__ import annotations

import locale
import os
import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "pt", "id")
#: The course repository (coursekit is installed editable), and where its days keep their messages.
COURSE_ROOT = Path(__file__).resolve().parents[2]
DAY_MESSAGES = "tests/exercises/*/messages.toml"
DEFAULT_LANGUAGE = "en"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, keyed ``"<domain>.<key>"`` then by language."""
    messages: dict[str, dict[str, str]] = {}
    for domain, path in catalogue_files():
        for key, texts in tomllib.loads(path.read_text(encoding="utf-8")).items():
            messages[f"{domain}.{key}"] = texts
    return messages


def catalogue_files() -> list[tuple[str, Path]]:
    """``(domain, file)`` of every catalogue: the package's, then each day's beside its tests."""
    package = [(path.stem, path) for path in sorted(Path(__file__).parent.glob("*.toml"))]
    days = [(path.parent.name, path) for path in sorted(COURSE_ROOT.glob(DAY_MESSAGES))]
    return package + days


def normalize_language(value: str | None) -> str | None:
    """Map ``pt_BR.UTF-8``, ``pt-BR``, ``id_ID`` or ``en`` to a course language, else None."""
    if not value:
        return None
    code = value.replace("-", "_").split(".")[0].split("_")[0].lower()
    if code == "in":  # Java and old glibc spell Indonesian "in"
        code = "id"
    return code if code in LANGUAGES else None


def current_language(explicit: str | None = None) -> str:
    """The language to speak: ``--lang``, then ``COURSE_LANG``, then the locale, then English."""
    candidates = [explicit, os.environ.get("COURSE_LANG")]
    candidates += [os.environ.get(name) for name in ("LC_ALL", "LC_MESSAGES", "LANG")]
    candidates.append(locale.getlocale()[0])
    for candidate in candidates:
        language = normalize_language(candidate)
        if language:
            return language
    return DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (or the current language), formatted with ``values``."""
    texts = catalogue()[key]
    language = lang if lang in LANGUAGES else current_language()
    return texts[language].format(**values)
