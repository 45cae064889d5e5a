"""Graded exercise tests: each test file grades the module of the same name in a target folder.

``tests/exercises/<day>/test_<stem>.py`` gets ``<target>/<day>/<stem>.py`` from the ``exercise``
fixture, imported fresh with importlib (FastAPI ``tests/test_tutorial`` style), so one test
grades the template, the solution or a student's submission alike.

The target is chosen by ``--target`` (``solutions``, ``exercises`` or a path; the option is
registered in ``tests/conftest.py``), else by the ``COURSE_TARGET`` environment variable (an
absolute path or one of those words), else it is ``exercises/``: a student's plain ``pytest``
checks their own work. ``make test`` sets ``COURSE_TARGET=solutions``, which must pass, since the
templates fail by design. The grader (``coursekit check``) always names its target explicitly.

Mark a test with ``@pytest.mark.task(n)`` to tie it to task ``n`` of the exercise's docstring.
Its docstring names it for students: the first line in English, then ``pt: …`` and ``id: …``
lines (see :mod:`coursekit.grading.names`; ``coursekit verify`` refuses a test without them).
"""

from coursekit.grading.target import exercise, pytest_configure

__all__ = ["exercise", "pytest_configure"]
