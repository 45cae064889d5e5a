"""The exercise engine: grade any target folder against the course's tests, in isolation.

Public API (stable; the CLI and the docs build on it)::

    from coursekit.manifest import load_course
    from coursekit.grading import grade, verify_course

    course = load_course()                      # course.toml at the repo root
    report = grade(course, ["ex01"], "exercises", lang="pt")
    report.status, report.score, report.max_score
    report.write_json(Path("results.json"))
    problems = verify_course(course)            # [] when the course is consistent

The course comes from :mod:`coursekit.manifest`: ``load_course(root=REPO_ROOT) -> Course``
(raises ``CourseError`` listing every problem of course.toml), with ``.days``, ``.exercises``
(ordered), ``.exercise(name)`` (exact), ``.select(query)`` / ``.select_all(queries)`` (what a
student types) and ``.suggest(query)``; each ``Exercise`` has ``.template``, ``.solution``,
``.tests``, ``.file_in(target)``, ``.points``, ``.timeout``, ``.title`` and ``.hint`` (by language).

``grade(course, names=None, target="exercises", *, lang=None, jobs=DEFAULT_JOBS, start="auto", sandbox="auto", on_result=None) -> Report``
    ``names``: queries as a student types them (exact name, day slug, stem prefix such as
    ``"ex01"``, or a file path), ``None`` for the whole course; an unknown one raises
    :class:`~coursekit.manifest.UnknownExerciseError` (with ``.suggestion``) before anything runs.
    ``target``: a folder laid out like ``exercises/`` (``<day>/<stem>.py``), or the words
    ``"exercises"`` / ``"solutions"``. ``lang``: en / pt / id for every message (default: the
    current language). ``jobs``: exercises graded at once (default ``DEFAULT_JOBS``: one per
    core). ``sandbox``: ``"bwrap"``, ``"none"`` or ``"auto"`` (see Isolation). ``on_result(ExerciseResult)`` is
    called in the caller's process as each exercise finishes (progress without threads).
    ``start``: ``"fork"`` from a warmed process (fast, default when there are no threads),
    or ``"spawn"`` fresh interpreters (``"auto"`` picks).

:class:`Report` (``.exercises``, ``.status``, ``.score``, ``.max_score``, ``.message``,
``.to_dict()``, ``.write_json(path)``) gives results.json, after Exercism's test-runner v3::

    {"version": 3, "status": "pass" | "fail" | "error", "message"?: str,
     "score": number, "max_score": int, "target", "sandbox", "graded_at", "coursekit", "commit",
     "exercises": [{"name", "status", "score", "max_score", "message"? (on error), "duration",
                    "tests": [{"name", "status", "message", "output", "task_id", "score", "max_score"}, ...]}]}

Statuses take the worst of their parts (error > fail > pass). An exercise's points are split
over its tasks, then over each task's tests (``scoring = "all_or_nothing"`` in the manifest
keeps them whole); see :mod:`coursekit.grading.results`. A test's ``name`` is its name in the
grading language ``lang`` as its docstring gives it (the first line in English, ``pt: …`` and
``id: …`` lines for the others, see :mod:`coursekit.grading.names`; else its function name
made readable), plus `` [id]`` for a parametrized case; ``output`` is its captured stdout cut
to 500 characters, ``task_id`` the ``n`` of ``@pytest.mark.task(n)`` or null. Like every
``message``, the name is written for whoever reads the results, so it follows ``lang``: an
instructor who collects results across students grades with one ``--lang`` (English names are
stable keys), and the file keeps exactly the fields of the v3 interface that tools expect.

:class:`ExerciseResult` (``.name``, ``.status``, ``.score``, ``.max_score``, ``.message``,
``.tests``, ``.duration``) and :class:`TestResult` (``.name``, ``.status``, ``.message``,
``.output``, ``.task_id``, ``.failure_kind``) are what ``on_result`` and the CLI read.

Isolation: each exercise runs in its own child process and process group, under the
manifest's CPU and clock limits (:mod:`coursekit.limits`), with hard caps on file writes and
memory. A loop, ``sys.exit``, ``os._exit``, a crash, a syntax or import error in one exercise
becomes an ``error`` or ``fail`` with a one-line reason in the student's language; the other
exercises are still graded, and the grader never hangs. A child reports on a signed pipe
(:mod:`coursekit.grading.channel`) and checks a seal (:mod:`coursekit.grading.seal`) before each
report, so graded code that rewires pytest or forges results is graded ``error``. With
``sandbox="bwrap"`` (Linux, bubblewrap installed) the whole submission is graded inside one
sandbox (:mod:`coursekit.grading.sandbox`): no network, its own PID namespace, the course
read-only and the solutions hidden. POSIX only (Linux, macOS, WSL).

The children run pytest with the course's ``pyproject.toml`` (rootdir = course root, so
pytest-socket keeps the network off) and only the plugins listed in
:data:`coursekit.grading.child.PYTEST_PLUGINS`, not every installed one; nothing of the
submission's (conftest, ini files, ``.pth``) is ever loaded.

``verify_course(course, *, lang=None, jobs=4) -> list[str]``
    Every solution passes every test; every template fails every test because of its TODO;
    manifest entries and files match both ways; every exercise test has a docstring that
    names it in English, Portuguese and Indonesian. One readable line per violation.

Test side: the pytest plugin :mod:`coursekit.grading.target` (``-p`` in pyproject's addopts)
gives every test the ``exercise`` fixture, the ``task`` marker and the ``--target`` option.
Mark a test with ``@pytest.mark.task(n)`` to tie it to task ``n`` of the exercise; its
docstring names it for students: the first line in English, then ``pt: …`` and ``id: …`` lines.
"""

from coursekit.grading.results import ExerciseResult, Report, TestResult
from coursekit.grading.runner import DEFAULT_JOBS, grade
from coursekit.grading.target import resolve_target
from coursekit.grading.verify import verify_course

__all__ = ["DEFAULT_JOBS", "ExerciseResult", "Report", "TestResult", "grade", "resolve_target", "verify_course"]
