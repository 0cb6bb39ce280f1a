"""The help screen and the command palette: every command of the table, with its keys
as the user's keymap binds them now."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.app import SystemCommand
from textual.binding import Binding

from paperreader.core.commands import BY_ID
from paperreader.ui.bindings import key_label
from paperreader.ui.reader.base import Mixin


class PaletteMixin(Mixin):
    def action_help(self) -> None:
        from paperreader.ui.screens.help import HelpScreen, help_rows

        self.app.push_screen(HelpScreen(help_rows(self.all_bindings())))

    def palette_commands(self) -> Iterator[SystemCommand]:
        seen: dict[str, list[str]] = {}
        actions: dict[str, Binding] = {}
        for key, binding in self.all_bindings():
            if binding.id and binding.id in BY_ID:
                seen.setdefault(binding.id, []).append(key_label(key))
                actions[binding.id] = binding
        yield SystemCommand(
            "Export bookmarks…",
            "BibTeX, Markdown, CSV or JSON, with notes and tags",
            lambda: self.run_action("export('bookmarks')"),
        )
        yield SystemCommand(
            "Sync the whole archive",
            "Fetch every month since 2023-05-04 into the store, in the background",
            lambda: self.run_action("sync"),
        )
        yield SystemCommand(
            "Stop syncing", "Stop the background sync", lambda: self.run_action("stop_sync")
        )
        for binding_id, binding in actions.items():
            keys = ", ".join(dict.fromkeys(seen[binding_id]))
            yield SystemCommand(
                f"{BY_ID[binding_id].help}  ({keys})",
                binding.description,
                self._palette_callback(binding_id, binding.action),
            )

    def _palette_callback(self, binding_id: str, action: str) -> Callable[[], object]:
        scope = BY_ID[binding_id].scope
        node = self.paper_list if scope == "list" else self.detail if scope == "detail" else self

        def run() -> object:
            return self.app.run_action(action, node)

        return run
