"""A failure reads the same on every grading: a test's own message without pytest's diff of its internals."""

from __future__ import annotations

import pytest

from coursekit.grading.plugin import student_message


def exconly_of(check) -> str:
    """What pytest reports for ``check()``'s failure (this module's asserts are rewritten, as graded tests' are)."""
    with pytest.raises(AssertionError) as excinfo:
        check()
    return excinfo.exconly()


def test_a_tests_own_message_is_kept_alone() -> None:
    def check() -> None:
        sent = {"route": "math", "tokens": 3, "ids": {"a", "b", "c"}}
        assert sent == {"route": "code", "tokens": 3, "ids": {"a", "b", "d"}}, "Send the route event before the first token."

    assert "Differing items" in exconly_of(check)  # what pytest adds, whose set order follows the hash seed
    assert student_message(exconly_of(check)) == "AssertionError: Send the route event before the first token."


def test_a_message_of_several_lines_is_kept_whole() -> None:
    def check() -> None:
        assert 1 == 2, "Each chunk is one SSE event.\nEnd the stream with an event named done."

    message = student_message(exconly_of(check))
    assert message.splitlines()[0] == "AssertionError: Each chunk is one SSE event."
    assert [line.strip() for line in message.splitlines()[1:]] == ["End the stream with an event named done."]


def test_a_bare_assert_keeps_pytests_explanation() -> None:
    """Without a message of its own, the comparison is the only pointer a student has."""
    def check() -> None:
        assert [1, 2] == [1, 3]

    message = student_message(exconly_of(check))
    assert message.startswith("AssertionError: assert [1, 2] == [1, 3]") and "At index 1 diff" in message
