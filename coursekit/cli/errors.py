"""Errors a student can fix, and how every failure becomes one line in their language.

The CLI is used by beginners: a Python traceback or Click's boxed usage panel is noise to
them. Every expected failure is turned into a single localised sentence and an exit code
instructors can script against: 1 for "it ran and something is wrong", 2 for "the command
line itself is wrong" (Click's convention for usage errors).
"""

from __future__ import annotations

from collections.abc import Sequence

from coursekit.i18n import LANGUAGES, t
from typer._click import exceptions as click_errors

USAGE_EXIT_CODE = 2
EXTRA_ARGUMENTS_PREFIX = "Got unexpected extra argument(s)"  # Click raises this one as a plain UsageError


class CourseCLIError(Exception):
    """An expected failure whose message is already written for the student."""

    exit_code = 1


class CourseUsageError(CourseCLIError):
    """The command line names something that does not exist (exercise, day, target, language)."""

    exit_code = USAGE_EXIT_CODE


def language_in_argv(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` in raw arguments, so parse errors can already speak it."""
    for index, argument in enumerate(argv):
        if argument.startswith("--lang="):
            value = argument.partition("=")[2]
        elif argument == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        else:
            continue
        if value in LANGUAGES:
            return value
    return None


def option_value_in_argv(argv: Sequence[str], names: Sequence[str]) -> str | None:
    """The raw text given to one of the option ``names``, to quote it back in an error."""
    for index, argument in enumerate(argv):
        for name in names:
            if argument.startswith(f"{name}="):
                return argument.partition("=")[2]
            if argument == name and index + 1 < len(argv):
                return argv[index + 1]
    return None


def describe_usage_error(error: click_errors.UsageError, argv: Sequence[str], lang: str, command: str) -> str:
    """One localised line for Click's usage errors, which Click itself only words in English.

    ``command`` names the command being parsed, for errors Click raises without a context.
    """
    command = error.ctx.command_path if error.ctx is not None else command
    if isinstance(error, click_errors.NoSuchOption):
        if error.possibilities:
            return t("cli.no_such_option_suggest", lang, option=error.option_name,
                     suggestion=sorted(error.possibilities)[0], command=command)
        return t("cli.no_such_option", lang, option=error.option_name, command=command)
    if isinstance(error, click_errors.MissingParameter):
        name = error.param.get_error_hint() if error.param is not None else "?"
        return t("cli.missing_parameter", lang, name=name, command=command)
    if isinstance(error, click_errors.BadParameter) and error.param is not None:
        names = list(getattr(error.param, "opts", []))
        hint = names[0] if names else error.param.get_error_hint()
        value = option_value_in_argv(argv, names) if names else None
        return t("cli.bad_value", lang, option=hint, value=value if value is not None else "?", command=command)
    if isinstance(error, click_errors.BadOptionUsage) and "requires" in error.message:
        return t("cli.option_needs_value", lang, option=error.option_name, command=command)
    if isinstance(error, click_errors.BadOptionUsage) and "does not take a value" in error.message:
        return t("cli.switch_takes_no_value", lang, option=error.option_name, command=command)
    if error.message.startswith(EXTRA_ARGUMENTS_PREFIX):
        extra = error.message.removeprefix(EXTRA_ARGUMENTS_PREFIX).strip(" ()")
        return t("cli.extra_arguments", lang, arguments=extra, command=command)
    return t("cli.usage_error", lang, detail=error.format_message(), command=command)
