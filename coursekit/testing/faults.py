"""Faults: did the student's code handle a broken stream the way the exercise asks?

Build the fault into the probe (``ProbeModel(error_after=3)`` breaks the stream after three
chunks, ``ProbeModel(rate_limited=True)`` refuses before the first token), run the student's
code, then check one of the two contracts an exercise can ask for: the error reaches the
caller (:func:`expect_model_error`), or the code handles it (:func:`expect_error_handled`),
usually keeping the text that had already arrived (:func:`assert_partial_text_kept`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from coursekit.errors import FakeModelError
from coursekit.i18n import t
from coursekit.testing.probe import ProbeModel


@dataclass
class Caught:
    """The error that reached the test, for further checks on its type or message."""

    error: BaseException | None = None


@contextmanager
def expect_model_error(probe: ProbeModel) -> Iterator[Caught]:
    """The block must raise the probe's injected error, or an error raised ``from`` it.

    Any other exception passes through untouched, so the student sees their own bug.
    """
    caught = Caught()
    try:
        yield caught
    except Exception as error:
        injected = probe.records[-1].error if probe.records else None
        if not _comes_from(error, injected):
            raise
        caught.error = error
        return
    raise AssertionError(t("testing.error_hidden"))


@contextmanager
def expect_error_handled(probe: ProbeModel) -> Iterator[None]:
    """The block must not let the probe's injected error escape, and the fault must have happened."""
    try:
        yield
    except FakeModelError as error:
        raise AssertionError(t("testing.error_escaped", error=error)) from error
    if probe.record.outcome != "failed":
        raise ValueError("expect_error_handled needs a probe built with error_after=N or rate_limited=True")


def assert_partial_text_kept(text: str, probe: ProbeModel) -> None:
    """``text`` starts with everything the model sent before its stream broke."""
    record = probe.record
    if record.outcome != "failed":
        raise ValueError("assert_partial_text_kept needs a probe built with error_after=N")
    if not isinstance(text, str) or not text.startswith(record.text):
        # Text chunks only: the empty opening and closing chunks vary with the layout.
        arrived = sum(1 for chunk in record.chunks if chunk.text)
        raise AssertionError(t("testing.partial_text_lost", chunks=arrived))


def _comes_from(error: BaseException, origin: BaseException | None) -> bool:
    """Whether ``error`` is ``origin`` or was raised while handling it (``raise ... from``)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if current is origin:
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
