"""Grading on the platforms instructors already use: Gradescope and GitHub Classroom.

Both grade with the course's own grader and translate its ``results.json`` (version 3, see
:mod:`coursekit.grading.results`) into the platform's format, one platform entry per exercise,
so the points there are the points ``coursekit check`` gives (partial credit included):

* :mod:`coursekit.platforms.gradescope` builds Gradescope's autograder bundle and, inside it,
  grades ``/autograder/submission`` into ``/autograder/results/results.json``;
* :mod:`coursekit.platforms.classroom` writes the GitHub Classroom workflow and the step output
  its grading reporter reads.
"""
