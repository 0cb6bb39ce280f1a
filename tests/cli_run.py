"""Running the command line in-process, as the shell would see it, against a fake hub."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paperreader.cli import main
from tools.fakehub import FakeHub


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main(argv)`` as the shell would see it: exit code, stdout, stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def serve(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """For a fixture: ``hub`` running, with HF_ENDPOINT pointing at it, then stopped."""
    monkeypatch.setenv("HF_ENDPOINT", hub.start())
    try:
        yield hub
    finally:
        hub.stop()
