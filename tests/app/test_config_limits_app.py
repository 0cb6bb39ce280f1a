"""A pathological config file never stops the app: defaults, and the problem shown."""

from __future__ import annotations

from pathlib import Path

from paperreader.core.config import load_config
from tests.app.test_app import SIZE, loaded, settle
from tools.fakehub import FakeHub


async def test_a_5000_deep_array_in_the_config_still_starts(
    hub: FakeHub, make_app, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\nbrowser = ' + "[" * 5000 + "]" * 5000 + "\n")
    app = make_app(hub.url)
    app.config = load_config(path)  # raised RecursionError before
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, loaded(app, "network"), "the listing")
        assert app.paper_list.rows
        messages = "\n".join(n.message for n in app._notifications)
        assert "nested more than 100 deep; using the defaults" in messages
        assert app.theme != "nord"  # the defaults: nothing of the file was used
