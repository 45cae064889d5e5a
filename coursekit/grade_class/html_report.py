"""``report.html``: one self-contained page about the class, for an instructor to look at.

A histogram of scores, the pass rate of each exercise, each exercise's most common failure
messages with their counts (hidden tests marked), the slowest submissions, the submissions
that could not be graded, and the pairs of near-identical code per exercise (a pointer, no score).
The charts are drawn by Chart.js, committed in ``vendor/chart.js/`` and inlined with the figures and the
styles: the page needs no network and opens from a file. The page is a Jinja2 template with
autoescaping on, and the figures reach the script as JSON, so nothing a student wrote (a test
output, a message, a folder name) can become markup or code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from coursekit.grade_class import similarity as similar
from coursekit.grade_class.gradebook import Row, as_points, xml_safe
from coursekit.i18n import t

TEMPLATE = "report.html"
BINS = 10
TOP_FAILURES = 5
TOP_SLOWEST = 10
#: Pairs of similar code shown per exercise, closest first (similarity.csv has them all).
TOP_PAIRS = 20
MESSAGE_CHARS = 200
#: Chart.js, the npm build committed in the repository (see its VERSION).
CHART_JS = Path(__file__).resolve().parents[2] / "vendor" / "chart.js" / "chart.umd.min.js"


@dataclass(frozen=True)
class ExerciseSummary:
    name: str
    graded: int
    passed: int
    mean: float
    max_score: int
    failures: list[tuple[str, int, bool]]
    """(message, how many students saw it, from a hidden test)."""

    @property
    def rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


def histogram(rows: Sequence[Row]) -> dict[str, list]:
    """Graded students per tenth of the maximum score (the last bin holds full marks), as the chart's
    labels and counts; a submission that could not be graded has its own table, not a zero here."""
    counts = [0] * BINS
    for row in (row for row in rows if row.graded):
        maximum = float(row.report.get("max_score") or 0)
        share = float(row.report.get("score") or 0) / maximum if maximum else 0.0
        counts[min(BINS - 1, int(share * BINS))] += 1
    return {"labels": [f"{index * 100 // BINS}–{(index + 1) * 100 // BINS}%" for index in range(BINS)], "counts": counts}


def chart_script() -> str:
    """Chart.js as the page inlines it: without its source-map comment, which would name a file beside the page."""
    return "\n".join(line for line in CHART_JS.read_text(encoding="utf-8").splitlines() if not line.startswith("//# sourceMappingURL="))


def _first_line(message: str | None) -> str:
    line = (message or "").strip().splitlines()[0] if (message or "").strip() else "?"
    return line if len(line) <= MESSAGE_CHARS else line[: MESSAGE_CHARS - 1] + "…"


def exercise_summaries(rows: Sequence[Row], names: Sequence[str]) -> list[ExerciseSummary]:
    """Per exercise, over the submissions that were graded: passes, mean points, and the failure
    messages seen by the most students (each message counted once per student)."""
    summaries = []
    for name in names:
        results = [row.exercises[name] for row in rows if row.graded and name in row.exercises]
        failures: Counter[tuple[str, bool]] = Counter()
        for result in results:
            seen = {(_first_line(test.get("message") or result.get("message")), test.get("visibility") == "hidden")
                    for test in result.get("tests", []) if test.get("status") != "pass"}
            if not result.get("tests") and result.get("status") != "pass":
                seen.add((_first_line(result.get("message")), False))
            failures.update(seen)
        passed = sum(result.get("status") == "pass" for result in results)
        mean = sum(float(result.get("score") or 0) for result in results) / len(results) if results else 0.0
        maximum = max((int(result.get("max_score") or 0) for result in results), default=0)
        top = [(message, count, hidden) for (message, hidden), count in failures.most_common(TOP_FAILURES)]
        summaries.append(ExerciseSummary(name, len(results), passed, as_points(mean), maximum, top))
    return summaries


def similarity_view(similarity: similar.Similarity | None, names: Sequence[str], lang: str) -> dict[str, object]:
    """What the page's similarity section shows: the flagged pairs per exercise, or why there are none."""
    if similarity is None:
        reason = similar.text("stopped", lang)
    else:
        reason = similarity.error
    groups = [(name, similarity.of(name)) for name in names] if similarity is not None and reason is None else []
    return {
        "intro": similar.text("intro", lang, threshold=round(similar.THRESHOLD * 100)),
        "not_compared": similar.text("not_compared", lang, reason=reason) if reason else None,
        "groups": [(name, pairs[:TOP_PAIRS], len(pairs) - len(pairs[:TOP_PAIRS])) for name, pairs in groups if pairs],
        "left_out": sorted(similarity.left_out) if similarity is not None else [],
        "text": lambda key, **values: similar.text(key, lang, **values),
        "kilobytes": similar.MAX_SOURCE_BYTES // 1000,
    }


def html_text(rows: Sequence[Row], names: Sequence[str], lang: str, title: str,
              similarity: similar.Similarity | None = None) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters["xml_safe"] = xml_safe
    scores = sorted(float(row.report.get("score") or 0) for row in rows)
    errors = [row for row in rows if not row.graded]
    slowest = sorted((row for row in rows if row.seconds > 0), key=lambda row: row.seconds, reverse=True)[:TOP_SLOWEST]
    exercises = exercise_summaries(rows, names)
    charts = {"histogram": histogram(rows),
              "rates": {"labels": [exercise.name for exercise in exercises], "percent": [round(exercise.rate * 100) for exercise in exercises]}}
    return environment.get_template(TEMPLATE).render(
        lang=lang, title=title, rows=rows, charts=charts, chart_js=chart_script(), exercises=exercises,
        slowest=slowest, errors=errors, median=as_points(scores[len(scores) // 2]) if scores else 0,
        max_score=max((int(row.report.get("max_score") or 0) for row in rows), default=0),
        text=lambda key, **values: t(f"cli.{key}", lang, **values), similar=similarity_view(similarity, names, lang),
    )
