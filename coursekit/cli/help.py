"""Help texts in the student's language.

Click builds ``--help`` from strings fixed when the commands are declared, so the language is
chosen once, at import: ``--lang`` if it is on the command line, else ``COURSE_LANG``, else the
locale. ``coursekit --lang pt --help`` and a Portuguese laptop both get Portuguese help.
"""

from __future__ import annotations

import sys

from coursekit.cli.errors import language_in_argv
from coursekit.i18n import current_language, t

HELP_LANGUAGE = current_language(language_in_argv(sys.argv[1:]))


def help_text(key: str) -> str:
    """The help text ``cli.help_<key>`` in :data:`HELP_LANGUAGE`."""
    return t(f"cli.help_{key}", HELP_LANGUAGE)
