"""The README stays true: its key table is the one the bindings generate."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("keys_table", ROOT / "scripts/keys_table.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_key_table_matches_the_bindings() -> None:
    script = _script()
    readme = (ROOT / "README.md").read_text()
    table = script.keys_table()
    assert script.replace_in_readme(readme, table) == readme, (
        "README.md's key table is out of date: run python scripts/keys_table.py --write"
    )
    for key in ("`b`", "`/`", "`[`", "`?`", "`T`", "`n`"):
        assert key in table


def test_the_readme_has_the_two_set_up_lines() -> None:
    readme = (ROOT / "README.md").read_text()
    for marker in ("<!-- run-command -->", "<!-- test-command -->"):
        block = readme.split(marker, 1)[1].split("```", 2)[1]
        lines = [line for line in block.splitlines()[1:] if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("python3 -m venv .venv")
