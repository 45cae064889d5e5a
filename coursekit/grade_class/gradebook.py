"""The class's gradebook from the students' ``results.json``: ``grades.csv`` and ``junit.xml``.

``grades.csv`` has one row per student: ``student`` (the folder or zip name), ``total``, ``max``,
``status``, one column of points per exercise, then ``visible`` and ``hidden`` (the points from
the course's tests and from the instructor's ``--tests``) and ``message`` (why a row is an error).
A cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is quoted with ``'``.

``junit.xml`` has one ``<testsuite>`` per student and one ``<testcase>`` per test, named
``<student>.<exercise>``; a test's visibility is a ``<property>`` of its case.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

CSV_HEAD = ("student", "total", "max", "status")
CSV_TAIL = ("visible", "hidden", "message")
#: Characters XML 1.0 cannot hold at all, even escaped (a student's output may print them).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    """One student's line of the gradebook, read from their ``results.json``."""

    student: str
    report: dict[str, Any]

    @property
    def exercises(self) -> dict[str, dict[str, Any]]:
        return {exercise["name"]: exercise for exercise in self.report["exercises"]}

    @property
    def graded(self) -> bool:
        """False for a submission that could not be graded at all (a bad zip, a worker that never reported)."""
        return self.report.get("status") != "error" or any(exercise.get("tests") for exercise in self.report["exercises"])

    @property
    def seconds(self) -> float:
        return round(sum(float(exercise.get("duration") or 0) for exercise in self.report["exercises"]), 3)

    def points(self, visibility: str) -> float | int:
        """Points earned from ``visible`` or ``hidden`` tests (an exercise at 0 without tests counts as visible)."""
        hidden = sum(float(test.get("score") or 0) for exercise in self.report["exercises"]
                     for test in exercise.get("tests", []) if test.get("visibility") == "hidden")
        return as_points(hidden if visibility == "hidden" else float(self.report["score"]) - hidden)


def as_points(value: float) -> float | int:
    """Points as results.json writes them: whole numbers whole, others with two decimals."""
    rounded = round(float(value), 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(rows: Sequence[Row], exercises: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_HEAD, *exercises, *CSV_TAIL])
    for row in rows:
        graded = row.exercises
        scores = [as_points(graded[name]["score"]) if name in graded else "" for name in exercises]
        message = (row.report.get("message") or "").splitlines()[0] if row.report.get("message") else ""
        writer.writerow([_cell(row.student), as_points(row.report["score"]), row.report["max_score"], row.report["status"],
                         *scores, row.points("visible"), row.points("hidden"), _cell(message)])
    return buffer.getvalue()


def xml_safe(text: Any) -> str:
    return _NOT_XML.sub("\ufffd", "" if text is None else str(text))


def junit_text(rows: Sequence[Row]) -> str:
    suites = ET.Element("testsuites", name="coursekit grade-class")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for row in rows:
        suite = ET.SubElement(suites, "testsuite", name=xml_safe(row.student))
        properties = ET.SubElement(suite, "properties")
        for name in ("score", "max_score", "status", "graded_at", "sandbox"):
            ET.SubElement(properties, "property", name=name, value=xml_safe(row.report.get(name)))
        counts = {"tests": 0, "failures": 0, "errors": 0}
        for exercise in row.report["exercises"]:
            cases = exercise.get("tests") or [None]  # an exercise that never ran is one erroring case
            for test in cases:
                counts["tests"] += 1
                name = test["name"] if test else exercise["name"]
                case = ET.SubElement(suite, "testcase", classname=xml_safe(f"{row.student}.{exercise['name'].replace('/', '.')}"),
                                     name=xml_safe(name), time=f"{float(exercise.get('duration') or 0) / len(cases):.3f}")
                case_properties = ET.SubElement(case, "properties")
                visibility = test.get("visibility", "visible") if test else "visible"
                ET.SubElement(case_properties, "property", name="visibility", value=visibility)
                if test:
                    ET.SubElement(case_properties, "property", name="score", value=str(test.get("score")))
                status = test["status"] if test else "error"
                message = (test.get("message") if test else exercise.get("message")) or exercise.get("message") or ""
                if status in ("fail", "error"):
                    counts["failures" if status == "fail" else "errors"] += 1
                    tag = "failure" if status == "fail" else "error"
                    element = ET.SubElement(case, tag, message=xml_safe(message.splitlines()[0] if message else status))
                    element.text = xml_safe(message)
                if test and test.get("output"):
                    ET.SubElement(case, "system-out").text = xml_safe(test["output"])
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", f"{row.seconds:.3f}")
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
