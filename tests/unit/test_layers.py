"""The core and the CLI never import Textual: scripts and tests stay light and UI-free."""

from __future__ import annotations

import json
import subprocess
import sys

# Imports each module in turn in a fresh interpreter and reports, for each, whether Textual
# had been loaded by then.
_PROBE = """
import importlib, json, pkgutil, sys
import paperreader.core
names = ["paperreader.core"] + sorted(
    info.name for info in pkgutil.walk_packages(paperreader.core.__path__, "paperreader.core.")
) + ["paperreader.cli"]
loaded = {}
for name in names:
    importlib.import_module(name)
    loaded[name] = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps(loaded))
"""


def _probe(code: str) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_core_and_cli_do_not_import_textual() -> None:
    loaded = _probe(_PROBE)
    expected = {
        "paperreader.core",
        "paperreader.core.models",
        "paperreader.core.text",
        "paperreader.core.periods",
        "paperreader.core.paths",
        "paperreader.core.store",
        "paperreader.core.library",
        "paperreader.core.client",
        "paperreader.core.export",
        "paperreader.core.sample",
        "paperreader.cli",
    }
    assert expected <= set(loaded), sorted(expected - set(loaded))
    offenders = {name: mods for name, mods in loaded.items() if mods}
    assert offenders == {}


def test_the_probe_does_see_textual_when_the_ui_is_imported() -> None:
    loaded = _probe(
        "import json, sys, paperreader.ui.app\n"
        "print(json.dumps({'ui': [m for m in sys.modules if m == 'textual']}))"
    )
    assert loaded["ui"] == ["textual"]
