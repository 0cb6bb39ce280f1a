"""Links handed to a browser command cannot run commands, even through a shell."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperreader.cli import main
from paperreader.core.browser import browser_url, open_url, wraps_shell
from paperreader.core.config import load_config
from paperreader.core.paths import Paths
from paperreader.core.text import safe_url

HOSTILE = "https://evil.example/$(touch${IFS}x)"
SHELL_SPECIALS = set("$`;()'\" \t|&<>\\*!{}^")


def _wait_for(path: Path, seconds: float = 10) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return path.read_text()
        time.sleep(0.02)
    raise AssertionError(f"{path} was never written")


@pytest.mark.parametrize(
    "command",
    [
        "sh -c 'echo %s >> log'",
        """sh -c 'echo "%s" >> log'""",
        "bash -c 'echo %s >> log; true'",
        "sh -c 'echo $0 >> log' %s",
    ],
)
@pytest.mark.parametrize(
    "url",
    [
        HOSTILE,
        "https://evil.example/`touch${IFS}x`",
        "https://evil.example/a;touch${IFS}x",
        "https://evil.example/?a=1&touch${IFS}x&",
        "https://evil.example/a|touch${IFS}x",
        "https://evil.example/'$(touch${IFS}x)'",
        'https://evil.example/"$(touch${IFS}x)"',
        "https://evil.example/a>x",
    ],
)
def test_a_link_cannot_run_a_command_through_a_shell_wrapping_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, url: str
) -> None:
    if "bash" in command and not any(
        (Path(d) / "bash").exists() for d in ("/bin", "/usr/bin", "/usr/local/bin")
    ):
        pytest.skip("no bash here")
    assert safe_url(url) is not None  # such links are "safe" http(s) links
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    open_url(url, command)

    logged = _wait_for(work / "log").strip()
    time.sleep(0.1)
    assert sorted(p.name for p in work.iterdir()) == ["log"]  # no file x
    assert logged == browser_url(url)  # the link reached the command, encoded
    assert logged.startswith("https://evil.example/")
    assert unquote(logged) == url


def test_the_hostile_link_is_encoded() -> None:
    assert browser_url(HOSTILE) == "https://evil.example/%24%28touch%24%7BIFS%7Dx%29"


def test_normalising_keeps_ordinary_links() -> None:
    for url in (
        "https://huggingface.co/papers/2501.12345",
        "https://arxiv.org/pdf/2501.12345v2",
        "https://github.com/org/repo#readme",
        "https://example.com/a%20b?q=x+y",
        "http://[::1]:8080/x",
    ):
        assert browser_url(url) == url
    assert browser_url("HTTPS://User:PW@HF.CO/Papers") == "https://User:PW@hf.co/Papers"
    assert browser_url("https://a.b/100%") == "https://a.b/100%25"


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60))
def test_no_shell_special_character_survives(tail: str) -> None:
    url = f"https://example.com/{tail}"
    if safe_url(url) is None:
        return
    shown = browser_url(url)
    assert not SHELL_SPECIALS & set(shown)
    assert unquote(shown) == unquote(url.replace("%", "%25")) or unquote(shown) == unquote(url)


@pytest.mark.parametrize(
    ("command", "shell"),
    [
        ("sh -c 'echo %s >> log'", "sh"),
        ("/bin/bash -lc 'firefox %s'", "bash"),
        ("env zsh -c 'open %s'", "zsh"),
        ("firefox %s", None),
        ("open -a 'Google Chrome' %s", None),
        ("sh -c 'unclosed", None),
    ],
)
def test_wraps_shell(command: str, shell: str | None) -> None:
    assert wraps_shell(command) == shell


def test_config_check_warns_when_browser_wraps_a_shell(
    paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("browser = \"sh -c 'echo %s >> log'\"\n", encoding="utf-8")
    config = load_config(paths.config_file)
    assert config.browser == "sh -c 'echo %s >> log'"  # kept: links are encoded anyway
    assert main(["config", "check"]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert f"{paths.config_file}:1: browser runs a shell (sh)" in out
    assert "never run through a shell" in out

    paths.config_file.write_text('browser = "firefox %s"\n', encoding="utf-8")
    assert load_config(paths.config_file).problems == ()
