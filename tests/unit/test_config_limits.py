"""Pathological config files: deep nesting, huge files, thousands of unknown names.

Each is one message (never a traceback), the defaults apply, and reading stays fast.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from paperreader.cli import main
from paperreader.core import config as config_module
from paperreader.core.config import (
    MAX_CONFIG_BYTES,
    MAX_PROBLEMS,
    Config,
    load_config,
    parse_config,
)
from paperreader.core.paths import Paths

DEEP_ARRAY = "theme = " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_INLINE = "theme = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"
DOTTED = ".".join(["a"] * 3000)


def write(paths: Paths, text: str) -> Path:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths.config_file


def check(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["config", "check"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out.splitlines()


@pytest.mark.parametrize("text", [DEEP_ARRAY, DEEP_INLINE], ids=["array", "inline table"])
def test_deep_nesting_is_one_message_and_the_defaults(
    paths: Paths, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = write(paths, text)
    config = load_config(path)
    assert config == Config(problems=config.problems)  # every setting at its default
    assert config.problems == (
        f"{path}:1: arrays or inline tables nested more than 100 deep; using the defaults",
    )
    assert check(capsys) == (1, list(config.problems))


def test_deep_nesting_that_gets_past_the_pre_check_is_caught(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config_module, "MAX_NESTING", 10**9)  # tomllib itself recurses
    config = load_config(write(paths, DEEP_ARRAY))
    assert len(config.problems) == 1
    assert "nested too deeply" in config.problems[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"[keys]\n{DOTTED} = 1\n", "unknown action 'a.a.a"),
        (f"keys.{DOTTED} = 1\n", "unknown action 'a.a.a"),
        (f"{DOTTED} = 1\n", "unknown setting 'a'"),
        (f"[{DOTTED}]\nx = 1\n", "unknown setting 'a'"),
    ],
    ids=["in [keys]", "keys.", "top level", "table header"],
)
def test_a_3000_deep_dotted_key_is_one_message(
    paths: Paths, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    path = write(paths, text)
    code, lines = check(capsys)
    assert code == 1 and len(lines) == 1
    assert expected in lines[0] and len(lines[0]) < len(str(path)) + 200


def test_brackets_inside_strings_and_comments_are_not_nesting(paths: Paths) -> None:
    text = (
        'browser = "firefox ' + "[" * 300 + ' %s"  # ' + "{" * 300 + "\n"
        "theme = '''\n" + "[" * 300 + "'''\n"
        'clipboard = "\\"[[[[" \n'
    )
    config = load_config(write(paths, text))
    assert config.browser.startswith("firefox [[[")
    assert all("nested" not in problem for problem in config.problems)


def test_nesting_up_to_the_limit_is_read(paths: Paths) -> None:
    config = load_config(write(paths, "x = " + "[" * 100 + "]" * 100 + "\n"))
    assert config.problems == (f"{paths.config_file}:1: unknown setting 'x'; ignored",)


def test_a_file_over_the_size_limit_is_not_read(paths: Paths) -> None:
    path = write(paths, "# " + "x" * MAX_CONFIG_BYTES + "\n")
    config = load_config(path)
    assert config.problems == (
        f"{path}: larger than 1 MB, not a settings file; using the defaults",
    )


@pytest.mark.parametrize(
    "text",
    [
        "".join(f"key{i} = 1\n" for i in range(20_000)),
        "[keys]\n" + "".join(f'"action.{i}" = "x"\n' for i in range(20_000)),
        "[keys]\n"
        + "".join(
            f'"{action}" = [{", ".join(repr(chr(0x4E00 + i)) for i in range(20_000))}]\n'
            for action in ("paper.bookmark", "paper.note")
        ),
    ],
    ids=["20k unknown settings", "20k unknown actions", "20k keys for two actions"],
)
def test_thousands_of_problems_are_fast_and_listed_briefly(paths: Paths, text: str) -> None:
    path = write(paths, text)
    started = time.perf_counter()
    config = load_config(path)
    took = time.perf_counter() - started
    assert took < 2.0, f"{took:.1f} s"
    assert len(config.problems) == MAX_PROBLEMS
    assert config.problems[-1].startswith(f"{path}: … and ")
    assert config.problems[-1].endswith(" more problems")


def test_line_numbers_are_still_found(tmp_path: Path) -> None:
    text = (
        'theme = "nord"\n[keys]\n"paper.bookmarkk" = "x"\nmark_read = 1\n[other]\nmark_read = 2\n'
    )
    config = parse_config(text, tmp_path / "c.toml")
    assert any(":3: unknown action 'paper.bookmarkk'" in p for p in config.problems)
    assert any(":5: unknown setting 'other'" in p for p in config.problems)
