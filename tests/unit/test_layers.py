"""The core and the CLI never import Textual: scripts and tests stay light and UI-free."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


# The store's heavy parts load only when first needed: the search planner (and the search
# language) with the first search, repair and salvage with the first damaged file. Each
# step reports which of them were loaded by then.
_STORE_PROBE = """
import json, sys
from datetime import date
from pathlib import Path

LAZY = ("paperreader.core.store.search", "paperreader.core.query", "paperreader.core.store.repair")
seen = {}

def note(step):
    seen[step] = [name for name in LAZY if name in sys.modules]

import paperreader.core.store
note("import")

from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.periods import Period
from paperreader.core.store import Store

paths = Paths.under(Path(sys.argv[1]))
day = date(2026, 8, 17)
with Store.open(paths) as store:  # new files
    store.save_listing("day", day.isoformat(), [Paper("2608.00001", "A paper", listing_day=day)])
    store.set_bookmark(Paper("2608.00001", "A paper", listing_day=day))
with Store.open(paths) as store:  # healthy files, and what the first screen reads
    store.newest_day()
    store.period_listing(Period.day(day))
    store.read_ids(), store.bookmark_ids(), store.noted_ids(), store.tagged_ids()
    store.settings("ui.")
    note("first screen")
    from paperreader.core.query import parse_query
    store.search(parse_query("paper"))
    note("search")
paths.user_db.write_bytes(b"not a database " * 100)
with Store.open(paths) as store:
    note("damaged file")
print(json.dumps(seen))
"""

_SEARCH = ["paperreader.core.store.search", "paperreader.core.query"]
_REPAIR = ["paperreader.core.store.repair"]


def test_store_loads_search_and_repair_only_when_needed(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _STORE_PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen == {
        "import": [],
        "first screen": [],
        "search": _SEARCH,
        "damaged file": _SEARCH + _REPAIR,
    }
