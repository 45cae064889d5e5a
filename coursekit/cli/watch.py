"""``coursekit watch``: re-check the exercise being worked on every time its file is saved.

The decisions live in :class:`ExerciseWatcher`, which compares file contents and never sleeps,
so tests drive it directly. :func:`watch_folder` adds watchdog, but only while *waiting*: the
observer's threads are stopped before each grade, because the grader forks its fast children
only from a single-threaded process (with threads it falls back to fresh interpreters, about a
second slower per check). Nothing is lost meanwhile: a save made while grading changes the
file's bytes, which the next round notices before it waits again.
"""

from __future__ import annotations

import hashlib
import queue
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from watchdog.events import EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

SAVE_EVENTS = {EVENT_TYPE_MODIFIED, EVENT_TYPE_CREATED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED}


def content_hash(file: Path) -> str | None:
    """A hash of the file's bytes, or None while it does not exist (an editor mid-save)."""
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return None


class ExerciseWatcher:
    """Follows one exercise at a time: grades it when its bytes change, moves on once it passes.

    ``check(name) -> bool`` grades and prints; ``is_done(name) -> bool`` says whether an
    exercise already passes for its current content (so passing ones are skipped);
    ``announce(name)`` tells the student which file is watched now.
    """

    def __init__(
        self,
        order: Sequence[str],
        current: str,
        file_of: Callable[[str], Path],
        check: Callable[[str], bool],
        is_done: Callable[[str], bool],
        announce: Callable[[str], None],
    ) -> None:
        self.order = list(order)
        self.current: str | None = current
        self.file_of = file_of
        self.check = check
        self.is_done = is_done
        self.announce = announce
        self.last_checked: str | None = None

    @property
    def finished(self) -> bool:
        """True once every exercise from the starting one to the end passes."""
        return self.current is None

    def start(self) -> None:
        """Announce and check the current exercise once, as a save would."""
        if self.current is not None:
            self.announce(self.current)
            self._check_current()

    def has_unchecked_changes(self) -> bool:
        """Whether the current file now holds bytes that were not checked yet.

        Repeated save events for the same bytes (editors often write twice) and a file that
        is missing for a moment (some editors delete then rename) do not count.
        """
        if self.current is None:
            return False
        return content_hash(self.file_of(self.current)) not in {None, self.last_checked}

    def check_changes(self) -> bool:
        """Check the current exercise if its file changed; returns whether it did."""
        if not self.has_unchecked_changes():
            return False
        self._check_current()
        return True

    def _check_current(self) -> None:
        assert self.current is not None
        self.last_checked = content_hash(self.file_of(self.current))
        if self.check(self.current):
            self._advance()

    def _advance(self) -> None:
        """Move to the next exercise that does not pass yet, checking it at once like ``start``."""
        assert self.current is not None
        later = self.order[self.order.index(self.current) + 1 :]
        self.current = next((name for name in later if not self.is_done(name)), None)
        self.last_checked = None
        self.start()


class QueueSavedPaths(FileSystemEventHandler):
    """watchdog handler that only queues the paths written to, for the main thread to handle."""

    def __init__(self, saved: queue.Queue[Path]) -> None:
        self.saved = saved

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in SAVE_EVENTS:
            return
        # A rename onto the file (how many editors save) reports the file as dest_path.
        path = event.dest_path or event.src_path
        self.saved.put(Path(path.decode() if isinstance(path, bytes) else path))


@contextmanager
def observing(folder: Path) -> Iterator[queue.Queue[Path]]:
    """A queue of paths saved under ``folder``, fed by a watchdog observer for the ``with`` block."""
    saved: queue.Queue[Path] = queue.Queue()
    observer = Observer()
    observer.schedule(QueueSavedPaths(saved), str(folder), recursive=True)
    observer.start()
    try:
        yield saved
    finally:
        observer.stop()
        observer.join(timeout=5)


def watch_folder(folder: Path, watcher: ExerciseWatcher) -> None:
    """Run ``watcher`` on saves under ``folder`` until every exercise passes (Ctrl-C propagates)."""
    watcher.start()
    while not watcher.finished:
        with observing(folder) as saved:
            while not watcher.has_unchecked_changes():
                saved.get()  # any save wakes us; the content comparison decides
        watcher.check_changes()  # the observer is stopped: the grader can fork
