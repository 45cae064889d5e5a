"""``verify``: solutions pass, templates fail only at their TODO, files and manifest agree."""

from __future__ import annotations

from pathlib import Path

from coursekit.grading import verify_course
from coursekit.grading.corpus import verify_corpus
from coursekit.manifest import Course, load_course


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_mini_course_is_consistent(mini_course: Course) -> None:
    assert verify_course(mini_course) == []


def test_every_kind_of_inconsistency_is_reported(mini_copy: Path) -> None:
    (mini_copy / "exercises/day1_basics/ex01_add.py").write_text("def add(a, b):\n    return a + b\n")
    (mini_copy / "exercises/day1_basics/ex02_shout.py").write_text("import missing_mod\n")
    (mini_copy / "exercises/day1_basics/ex04_average.py").write_text("def average(numbers):\n    raise TypeError('oops')\n")
    (mini_copy / "solutions/day2_async/ex03_countdown.py").write_text(
        "async def countdown(n):\n    for number in range(n, 1, -1):\n        yield number\n"
    )
    (mini_copy / "tests/exercises/day2_async/test_ex05_echo_words.py").unlink()
    (mini_copy / "exercises/day2_async/ex09_orphan.py").write_text("")
    edit(mini_copy / "tests/exercises/day1_basics/test_ex01_add.py",
         '    """Adds 0 and 0.\n\n    pt: Soma 0 e 0.\n    id: Menjumlahkan 0 dan 0.\n    """\n', "")
    edit(mini_copy / "tests/exercises/day1_basics/test_ex04_average.py", "    id: Daftar kosong menghasilkan None.\n", "")
    with (mini_copy / "tests/exercises/day1_basics/test_ex02_shout.py").open("a", encoding="utf-8") as tests:
        tests.write('\n\nclass TestEmpty:\n    def test_shouts_nothing(self, exercise):\n        """Shouts nothing."""\n'
                    '        assert exercise.shout("") == ""\n')

    violations = verify_course(load_course(mini_copy), lang="en")

    expected_starts = [
        "day2_async/ex05_echo_words: the tests file tests/exercises/day2_async/test_ex05_echo_words.py is missing.",
        "exercises/day2_async/ex09_orphan.py has no entry in course.toml.",
        "tests/exercises/day1_basics/test_ex01_add.py:15: test_adds_zeroes has no docstring.",
        "tests/exercises/day1_basics/test_ex02_shout.py:21: the docstring of test_shouts_nothing has no name in pt, id:",
        "tests/exercises/day1_basics/test_ex04_average.py:10: the docstring of test_empty_list_has_no_average has no name in id:",
        "day1_basics/ex01_add: the template already passes “Adds 2 and 3.”",
        "day1_basics/ex01_add: the template already passes “Adds zeroes”",  # no docstring: the function's name
        "day1_basics/ex01_add: the template already passes “Adds any two integers. [-1-1-0]”",
        "day1_basics/ex01_add: the template already passes “Adds any two integers. [10-5-15]”",
        "day1_basics/ex02_shout: the template cannot even run, it must only fail at its TODO: "
        "exercises/day1_basics/ex02_shout.py could not be imported: ModuleNotFoundError",
        "day1_basics/ex04_average: the template fails “Averages 1, 2 and 6 to 3.” for a reason other than its TODO: TypeError: oops",
        "day1_basics/ex04_average: the template fails “An empty list gives None.” for a reason other than its TODO: TypeError: oops",
        "day2_async/ex03_countdown: the solution does not pass “Yields 3, 2, 1.”: AssertionError",
    ]
    assert len(violations) == len(expected_starts), "\n".join(violations)
    for violation, start in zip(violations, expected_starts, strict=True):
        assert violation.startswith(start), f"{violation!r} should start with {start!r}"


def test_the_corpus_proves_wrong_solutions_fail_and_alternatives_pass(mini_copy: Path) -> None:
    """Each wrong file must fail, each right one pass; a wrong one that passes is named with its mistake."""
    corpus = mini_copy / "tests" / "corpus" / "day1_basics" / "ex01_add"
    corpus.mkdir(parents=True)
    (corpus / "wrong_subtracts.py").write_text('"""Subtracts instead of adding."""\n\ndef add(a, b):\n    return a - b\n')
    (corpus / "wrong_concatenates.py").write_text('"""Joins the digits as text."""\n\ndef add(a, b):\n    return int(f"{a}{b}")\n')
    (corpus / "wrong_but_passes.py").write_text('"""Adds, which is right, so the tests cannot catch it."""\n\ndef add(a, b):\n    return b + a\n')
    (corpus / "wrong_unfinished.py").write_text('"""Not written yet."""\n\ndef add(a, b):\n    raise NotImplementedError\n')
    (corpus / "right_sum.py").write_text('"""Uses sum()."""\n\ndef add(a, b):\n    return sum((a, b))\n')
    (corpus / "right_but_fails.py").write_text('"""Claims to be right."""\n\ndef add(a, b):\n    return 0\n')

    check = verify_corpus(load_course(mini_copy), lang="en")

    assert (check.wrong, check.right) == (4, 2)
    mine = sorted(violation for violation in check.violations if "ex01_add/" in violation)
    assert len(mine) == 3, "\n".join(check.violations)
    assert mine[0].startswith("tests/corpus/day1_basics/ex01_add/right_but_fails.py is a right solution, but it does not pass")
    assert mine[1] == ("tests/corpus/day1_basics/ex01_add/wrong_but_passes.py passes, but it is wrong "
                       "(Adds, which is right, so the tests cannot catch it.): the tests miss this mistake.")
    assert mine[2].startswith("tests/corpus/day1_basics/ex01_add/wrong_unfinished.py fails only because of a TODO")
    too_small = [violation for violation in check.violations if "needs at least" in violation]
    assert [violation.split(":")[0] for violation in too_small] == [
        "day1_basics/ex02_shout", "day1_basics/ex04_average", "day2_async/ex03_countdown", "day2_async/ex05_echo_words"]
