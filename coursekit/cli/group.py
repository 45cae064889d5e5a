"""The command group that turns every expected failure into one localised line.

Typer's own handling prints usage errors in a Rich panel (in English) and lets other
exceptions escape as tracebacks. Overriding :meth:`main` once here gives the same behaviour
to ``python -m coursekit``, the ``coursekit`` script and Typer's ``CliRunner`` in tests.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from difflib import get_close_matches
from typing import Any

from rich.console import Console
from typer import Abort
from typer._click import Context
from typer._click import exceptions as click_errors
from typer.core import TyperGroup

from coursekit.cli.errors import (
    USAGE_EXIT_CODE,
    CourseCLIError,
    CourseUsageError,
    describe_usage_error,
    language_in_argv,
)
from coursekit.cli.help import LocalisedHelp
from coursekit.errors import FakeModelError, MissingAPIKeyError
from coursekit.i18n import current_language, t

PROGRAM = "coursekit"


def print_error(message: str) -> None:
    """Write ``message`` as one red line on stderr (no markup parsing: paths may contain brackets)."""
    Console(stderr=True, highlight=False, soft_wrap=True).print(message, style="bold red", markup=False)


class CourseGroup(LocalisedHelp, TyperGroup):
    """``coursekit``'s top-level group: localised one-line errors, help and clear exit codes."""

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Any, list[str]]:
        """Refuse an unknown command with the closest real one, in the student's language."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            lang = current_language(language_in_argv(args))
            matches = get_close_matches(name, self.list_commands(ctx), n=1)
            if matches:
                raise CourseUsageError(t("cli.unknown_command_suggest", lang, name=name, suggestion=matches[0]))
            raise CourseUsageError(t("cli.unknown_command", lang, name=name))
        return super().resolve_command(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command; report failures as one line and exit with 0, 1 or 2."""
        argv = list(sys.argv[1:] if args is None else args)
        prog_name = prog_name or PROGRAM  # also for `python -m coursekit`: the name the docs use
        lang = current_language(language_in_argv(argv))
        try:
            outcome = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            exit_code = outcome if isinstance(outcome, int) else 0
        except CourseCLIError as error:
            print_error(str(error))
            exit_code = error.exit_code
        except click_errors.UsageError as error:
            print_error(describe_usage_error(error, argv, lang, self.command_path(prog_name, argv)))
            exit_code = USAGE_EXIT_CODE
        except Abort:
            print_error(t("cli.aborted", lang))
            exit_code = 1
        except (MissingAPIKeyError, FakeModelError) as error:
            print_error(str(error))
            exit_code = 1
        if not standalone_mode:
            return exit_code
        sys.exit(exit_code)

    def command_path(self, prog_name: str, argv: Sequence[str]) -> str:
        """``coursekit check``: the program and the command named in ``argv``, if any."""
        command = next((argument for argument in argv if argument in self.commands), None)
        return f"{prog_name} {command}" if command else prog_name
