"""Tamper evidence: notice when graded code rewires pytest or the grader inside the child.

Before any graded code runs, :class:`Seal` notes the identity (and, for functions, the code) of
everything that decides an outcome: pytest's run-test protocol and report classes, pluggy's hook
calling, the hooks' registered implementations, the result collector and the signed channel.
:meth:`Seal.broken` names the first thing that changed. Checking is cheap, so the collector does
it before every report it sends; a broken seal grades the exercise ``error``, never ``pass``.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Iterable
from typing import Any

import pytest

#: Module-level names whose objects decide what pytest reports, and so what the grade says.
WATCHED = {
    "_pytest.python": ("Function", "pytest_pyfunc_call", "async_fail"),
    "_pytest.runner": ("runtestprotocol", "call_and_report", "call_runtest_hook", "CallInfo",
                       "pytest_runtest_makereport", "check_interactive_exception"),
    "_pytest.reports": ("BaseReport", "TestReport", "CollectReport"),
    "_pytest.main": ("pytest_runtestloop", "Session"),
    "_pytest.outcomes": ("fail", "skip", "xfail", "exit", "OutcomeException", "Failed", "Skipped"),
    "_pytest.fixtures": ("FixtureDef", "FixtureRequest"),
    "pluggy._callers": ("_multicall",),
    "pluggy._hooks": ("HookCaller", "HookImpl"),
    "pluggy._manager": ("PluginManager",),
    "coursekit.grading.channel": ("signed_sender", "_mac", "_dumps", "_write", "_new_hmac", "_sha256"),
    "coursekit.grading.plugin": ("ResultCollector",),
    "json": ("dumps",),
    "os": ("write", "_exit"),
}
#: Hooks whose implementations run or report a test: a plugin slipped in here rewrites outcomes.
HOOKS = (
    "pytest_runtestloop", "pytest_runtest_protocol", "pytest_runtest_setup", "pytest_runtest_call",
    "pytest_runtest_teardown", "pytest_runtest_makereport", "pytest_runtest_logreport",
    "pytest_pyfunc_call", "pytest_report_teststatus", "pytest_fixture_setup", "pytest_exception_interact",
)

Fingerprint = tuple[Any, ...]
_BEHAVIOUR = (types.FunctionType, classmethod, staticmethod, property)


def _fingerprint(value: Any) -> Fingerprint:
    """What must stay the same about ``value``: the object, and for a function its code and defaults."""
    function = getattr(value, "__func__", value)  # a bound method is made anew at each lookup
    owner = getattr(value, "__self__", None) if function is not value else None
    return (id(function), id(owner), id(getattr(function, "__code__", None)), id(getattr(function, "__defaults__", None)))


def _members(owner: Any) -> dict[str, Fingerprint]:
    """Fingerprints of an object, and of every attribute when it is a class."""
    marks = {"": _fingerprint(owner)}
    if isinstance(owner, type):
        for klass in owner.__mro__[:-1]:  # its own attributes and inherited ones, not object's
            for name, value in vars(klass).items():
                if isinstance(value, _BEHAVIOUR):  # methods decide outcomes; data may legitimately change
                    marks.setdefault(f"{klass.__qualname__}.{name}", _fingerprint(value))
    return marks


class Seal:
    """A snapshot of what graded code must not touch, compared on demand."""

    def __init__(self, config: pytest.Config, attributes: Iterable[tuple[Any, tuple[str, ...]]] = ()) -> None:
        """``attributes``: (object, names) pairs whose values must stay the very same objects."""
        self._config = config
        self._attributes = tuple(attributes)
        self._marks = self._take()

    def _take(self) -> dict[str, Any]:
        marks: dict[str, Any] = {}
        for module_name, names in WATCHED.items():
            module = importlib.import_module(module_name)
            for name in names:
                for member, mark in _members(getattr(module, name, None)).items():
                    marks[f"{module_name}.{name}:{member}"] = mark
        for owner, names in self._attributes:
            for name in names:
                marks[f"{type(owner).__qualname__}().{name}"] = _fingerprint(getattr(owner, name, None))
        for name in HOOKS:
            impls = getattr(self._config.hook, name).get_hookimpls()
            marks[f"hook {name}"] = [(id(impl.plugin), id(impl.function), impl.hookwrapper, impl.wrapper) for impl in impls]
        return marks

    def broken(self) -> str | None:
        """The first watched thing that changed since the snapshot, or None while all is intact."""
        now = self._take()
        return next((name for name, mark in self._marks.items() if now.get(name) != mark), None)
