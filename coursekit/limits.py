"""How long an exercise's tests may run: seconds of CPU for code that spins, seconds on the clock for code that waits.

Two limits, so that a busy machine never fails a right answer: CPU time does not grow when other
processes take the cores, while the clock does. The CPU limit is tight and catches loops; the
clock limit is generous and only catches waits that never end.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Per exercise; neither counts pytest's start-up nor the formatting of failure reports."""

    cpu: float
    wall: float
