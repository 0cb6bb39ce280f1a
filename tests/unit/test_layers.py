"""The core and the CLI never import Textual: scripts and tests stay light and UI-free."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

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


#: What the app's first frame must not wait for: each is imported when first used.
NOT_BEFORE_THE_FIRST_FRAME = (
    "httpx",
    "paperreader.core.client",
    "paperreader.core.query",
    "paperreader.core.export",
    "paperreader.core.backup",
    "paperreader.core.sync",
    "paperreader.core.store.search",
    "paperreader.core.store.repair",
    "paperreader.core.tex",  # with the first full text laid out
    "paperreader.ui.screens.help",
    "paperreader.ui.screens.links",
    "paperreader.ui.screens.jump",
    "paperreader.ui.screens.annotate",
    "paperreader.ui.screens.export",
    "paperreader.ui.widgets.keybar",  # the footer comes after the first frame
    "textual.widgets._footer",
)

_FIRST_FRAME = r"""
import asyncio, json, sys
from pathlib import Path
from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.store import Store
from datetime import date

root = Path(sys.argv[1])
with Store.open(Paths.under(root)) as store:
    store.save_listing("day", "2026-08-17", [
        Paper(id=f"2608.{i:05d}", title=f"P {i}", listing_day=date(2026, 8, 17)) for i in range(5)
    ])
from paperreader.core.library import Library, Source
from paperreader.ui.app import PaperReaderApp

library = Library(Store.open(Paths.under(root)))
state = library.user_state()._replace(first=library.first_screen(Source()))
app = PaperReaderApp(library, user_state=state, restore=False)
seen = []
app.call_after_refresh(lambda: seen.append(sorted(sys.modules)))

async def main():
    async with app.run_test() as pilot:
        await pilot.pause()
asyncio.run(main())
print(json.dumps(seen[0]))
"""


def test_the_first_frame_waits_for_no_network_search_export_or_dialog(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_FRAME, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "paperreader.ui.app" in loaded and "textual" in loaded
    early = sorted(name for name in NOT_BEFORE_THE_FIRST_FRAME if name in loaded)
    assert early == [], f"imported before the first frame: {early}"
