"""The course's command line: ``coursekit`` / ``python -m coursekit``.

The student loop (``status``, ``check``, ``hint``, ``watch``, ``reset``, ``solution``) lives in
:mod:`~coursekit.cli.student`; the commands for authors and demos in
:mod:`~coursekit.cli.authoring`. Every expected failure is one line in the student's language
(:mod:`~coursekit.cli.group`).
"""

from coursekit.cli.app import app, main

__all__ = ["app", "main"]
