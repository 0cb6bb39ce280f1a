"""One writer for the user's data: writes run one at a time, in the order they were asked.

The app saves a bookmark, a read mark, a note or a setting when a key is pressed. Saved by
a thread each, two quick presses could finish in either order and leave the file saying
the opposite of the screen. Here every write waits for the ones asked before it, so the
last key pressed is also the last write.

Each write names the keys it touches (``("bookmark", paper_id)``...): ``superseded``
tells whether a later write for a key was asked since, so that a failed write is only
rolled back on screen when nothing newer decides that key.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from typing import Any, NamedTuple


class _Job(NamedTuple):
    seq: int
    keys: tuple[Hashable, ...]
    write: Callable[[], Any]
    done: Callable[[Any], object] | None
    failed: Callable[[Exception], object] | None


class SerialWriter:
    """A queue of writes run in order on one (daemon) thread, started with the first."""

    def __init__(self, name: str = "paperreader-writer") -> None:
        self._name = name
        self._jobs: deque[_Job] = deque()
        self._latest: dict[Hashable, int] = {}  # key -> seq of the last write submitted for it
        self._seq = 0
        self._busy = False
        self._closed = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(
        self,
        keys: Iterable[Hashable],
        write: Callable[[], Any],
        *,
        done: Callable[[Any], object] | None = None,
        failed: Callable[[Exception], object] | None = None,
    ) -> int:
        """Queue ``write``: it runs after every write submitted before it. Then, on the
        writer's thread, ``done(result)`` or ``failed(error)``. Returns the write's number."""
        with self._cond:
            if self._closed:
                raise RuntimeError("the writer is closed")
            self._seq += 1
            job = _Job(self._seq, tuple(keys), write, done, failed)
            for key in job.keys:
                self._latest[key] = job.seq
            self._jobs.append(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify_all()
            return job.seq

    def superseded(self, key: Hashable, seq: int) -> bool:
        """Whether a write for ``key`` was submitted after write ``seq`` (it decides
        what the key ends as)."""
        with self._cond:
            return self._latest.get(key, 0) > seq

    @property
    def pending(self) -> int:
        """Writes queued or running."""
        with self._cond:
            return len(self._jobs) + self._busy

    def wait(self, timeout: float) -> bool:
        """Wait until every write submitted so far has run (at most ``timeout`` seconds);
        returns whether they all have."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._jobs and not self._busy, timeout)

    def close(self, timeout: float = 3.0) -> bool:
        """Refuse new writes, wait for the queued ones (bounded), stop the thread."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        finished = self.wait(timeout)
        if self._thread is not None:
            self._thread.join(timeout=0.1 if not finished else timeout)
        return finished

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._jobs or self._closed)
                if not self._jobs:
                    return  # closed and drained
                job = self._jobs.popleft()
                self._busy = True
            try:
                self._perform(job)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    @staticmethod
    def _perform(job: _Job) -> None:
        try:
            result = job.write()
        except Exception as error:  # the writer must outlive any one write
            if job.failed is not None:
                with contextlib.suppress(Exception):
                    job.failed(error)
            return
        if job.done is not None:
            with contextlib.suppress(Exception):
                job.done(result)
