"""Quitting is immediate, whatever the network does: the real CLI in a pseudo-terminal,
against a local server that accepts connections and never answers."""

from __future__ import annotations

import os
import select
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")


@pytest.fixture
def silent_server() -> Iterator[tuple[str, list[socket.socket]]]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", held
    finally:
        server.close()
        for connection in held:
            connection.close()


def _drain(fd: int, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return


@pytest.mark.parametrize("keys", [[], ["\x10", "Sync the whole archive", "\r"]])
def test_q_quits_within_a_second_while_the_server_never_answers(
    silent_server: tuple[str, list[socket.socket]], tmp_path: Path, keys: list[str]
) -> None:
    url, held = silent_server
    env = dict(
        os.environ,
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HF_ENDPOINT=url,
        TERM="xterm-256color",
        COLUMNS="100",
        LINES="30",
    )
    pid, fd = pty.fork()
    if pid == 0:  # the child: the reader, as a user starts it
        os.execve(sys.executable, [sys.executable, "-m", "paperreader"], env)
    try:
        deadline = time.monotonic() + 15
        while len(held) < 1 and time.monotonic() < deadline:
            _drain(fd, 0.1)
        assert held, "the reader never asked the server"
        for key in keys:  # the palette: start a sync, which asks the server too
            os.write(fd, key.encode())
            _drain(fd, 0.5)
        if keys:
            while len(held) < 2 and time.monotonic() < deadline:
                _drain(fd, 0.1)
            assert len(held) >= 2, "the sync never asked the server"
        _drain(fd, 0.3)  # the requests are sent and wait for answers
        os.write(fd, b"q")
        pressed = time.monotonic()
        status = None
        while time.monotonic() - pressed < 10:
            _drain(fd, 0.05)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
        took = time.monotonic() - pressed
        assert status is not None and os.waitstatus_to_exitcode(status) == 0
        assert took < 1.5, f"q took {took:.1f} s"
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
