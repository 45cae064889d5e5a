"""The real course's one grading per test session, run beside the rest of the suite.

``coursekit verify`` on the real course mostly waits (for paced models, for wrong solutions'
patience to run out), so tests/grading/conftest.py starts this script when the session begins
and the tests that read its JSON run last. Run as ``python verify_in_background.py OUT.json``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading import grade
from coursekit.grading.corpus import verify_corpus
from coursekit.grading.verify import gradable, verify_files, verify_grades
from coursekit.manifest import load_course


@dataclass(frozen=True)
class CourseVerdict:
    """What the background verify found: the course's problems, its templates' grades, the corpus'."""

    violations: list[str]
    templates: dict[str, Any]
    corpus: dict[str, Any]

    @classmethod
    def read(cls, path: Path) -> CourseVerdict:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def main(out: Path) -> None:
    course = load_course()
    names = gradable(course)
    solutions = grade(course, names, "solutions", lang="en")
    templates = grade(course, names, "exercises", lang="en")
    corpus = verify_corpus(course, lang="en")
    verdict = {
        "violations": verify_files(course, lang="en") + verify_grades(solutions, templates, lang="en"),
        "templates": templates.to_dict(),
        "corpus": {"wrong": corpus.wrong, "right": corpus.right, "violations": corpus.violations},
    }
    out.write_text(json.dumps(verdict), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
