"""The serial writer: the user's writes run one at a time, in the order asked."""

from __future__ import annotations

import random
import threading
import time

from paperreader.core.writer import SerialWriter


def test_writes_run_in_order_whatever_each_one_takes() -> None:
    writer = SerialWriter()
    done: list[int] = []
    running = threading.Lock()
    overlapped: list[int] = []

    def write(n: int) -> None:
        if not running.acquire(blocking=False):
            overlapped.append(n)
            return
        try:
            time.sleep(random.uniform(0, 0.004))
            done.append(n)
        finally:
            running.release()

    for n in range(60):
        writer.submit([("k", n % 3)], lambda n=n: write(n))
    assert writer.wait(10)
    assert done == list(range(60))
    assert not overlapped
    assert writer.pending == 0
    assert writer.close(1)


def test_done_and_failed_are_told_and_the_writer_goes_on() -> None:
    writer = SerialWriter()
    results: list[object] = []

    def boom() -> None:
        raise OSError("disk full")

    def bad_callback(_: object) -> None:
        raise RuntimeError("the app has gone")

    writer.submit(["a"], lambda: 1, done=results.append)
    writer.submit(["a"], boom, failed=lambda error: results.append(str(error)))
    writer.submit(["a"], lambda: 2, done=bad_callback)  # a failing callback kills nothing
    writer.submit(["a"], lambda: 3, done=results.append)
    assert writer.wait(5)
    assert results == [1, "disk full", 3]


def test_superseded_says_whether_a_later_write_decides_a_key() -> None:
    writer = SerialWriter()
    gate = threading.Event()
    first = writer.submit([("bookmark", "x"), ("bookmark", "y")], gate.wait)
    second = writer.submit([("bookmark", "x")], lambda: None)
    assert writer.superseded(("bookmark", "x"), first)
    assert not writer.superseded(("bookmark", "y"), first)
    assert not writer.superseded(("bookmark", "x"), second)
    assert not writer.wait(0.05)  # the first write is still blocked
    assert writer.pending == 2
    gate.set()
    assert writer.wait(5)
    assert writer.superseded(("bookmark", "x"), first)  # still: the order does not change


def test_close_waits_for_queued_writes_but_not_forever() -> None:
    writer = SerialWriter()
    done: list[int] = []
    for n in range(5):
        writer.submit([], lambda n=n: (time.sleep(0.01), done.append(n)))
    assert writer.close(5)
    assert done == [0, 1, 2, 3, 4]

    stuck = SerialWriter()
    never = threading.Event()
    stuck.submit([], never.wait)
    started = time.monotonic()
    assert not stuck.close(0.2)
    assert time.monotonic() - started < 1
    never.set()
