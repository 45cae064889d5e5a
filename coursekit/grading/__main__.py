"""``python -m coursekit.grading JOB_JSON FD``: grade one exercise in a fresh interpreter.

Internal: the grader starts this when it cannot fork (see :mod:`coursekit.grading.runner`).
"""

import sys

from coursekit.grading.child import main

if __name__ == "__main__":
    main(sys.argv[1:])
