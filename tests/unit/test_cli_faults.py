"""The command line with a bad or secret-bearing HF_ENDPOINT."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_cli import assert_one_line_error, run
from tools.fakehub import FakeHub, make_items

COMMANDS = [
    (),  # the reader itself
    ("--offline",),
    ("list",),
    ("list", "--offline"),
    ("export",),
    ("backup",),
    ("sync",),
    ("config", "check"),
    ("config", "path"),
]


@pytest.mark.parametrize("argv", COMMANDS)
@pytest.mark.parametrize(
    "value",
    ["http://[::1", "http://127.0.0.1:abc", "http://exa\x1b[2Jmple.com", "ftp://x", "http://"],
)
def test_a_bad_hf_endpoint_exits_2_with_one_line_for_every_command(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    value: str,
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", value)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert "HF_ENDPOINT" in err and "\x1b" not in err


def test_the_reader_with_a_bad_hf_endpoint_exits_2_as_a_program(tmp_path: Path) -> None:
    """The bare app launch, as a user types it (no traceback, no exit 0)."""
    result = subprocess.run(
        [sys.executable, "-m", "paperreader"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "HF_ENDPOINT": "http://127.0.0.1:abc",
        },
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "port" in result.stderr


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_credentials_in_hf_endpoint_are_never_printed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", f"http://user:s3cret@127.0.0.1:{_closed_port()}")
    code, out, err = run(capsys, "list")
    assert code == 1
    assert_one_line_error(err)
    assert "could not reach http://127.0.0.1:" in err
    assert "s3cret" not in out + err and "user:" not in err


def test_credentials_in_hf_endpoint_work(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeHub(make_items({"2026-08-21": 2})) as hub:
        url = hub.start()
        monkeypatch.setenv("HF_ENDPOINT", url.replace("http://", "http://user:s3cret@"))
        code, out, _ = run(capsys, "list")
        assert code == 0 and len(out.splitlines()) == 2
        hub.fault = "status:400"  # not retried: no waiting
        code, out, err = run(capsys, "list")
    assert code == 0  # the stored copy, with the failure said on stderr
    assert "127.0.0.1" in err and "HTTP 400" in err and "s3cret" not in out + err
