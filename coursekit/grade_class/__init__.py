"""Grading a whole class: ``coursekit grade-class SUBMISSIONS --out REPORT_DIR``.

Public API::

    from coursekit.grade_class import ClassOptions, grade_class
    summary = grade_class(course, ClassOptions(Path("submissions"), Path("reports"), lang="en", jobs=2))

Every submission (one folder or one ``.zip`` per student) is graded by the course's own grader,
in a process (and sandbox) of its own, ``jobs`` at a time; see :mod:`coursekit.grade_class.run`.
"""

from coursekit.grade_class.run import ClassEvents, ClassOptions, ClassSummary, grade_class

__all__ = ["ClassEvents", "ClassOptions", "ClassSummary", "grade_class"]
