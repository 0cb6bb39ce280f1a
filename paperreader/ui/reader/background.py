"""Work that runs beside reading: exporting a view, syncing the whole archive."""

from __future__ import annotations

from textual import work

from paperreader.core.errors import HFError
from paperreader.core.store import StoreError
from paperreader.core.text import clean_text
from paperreader.ui.reader.base import Mixin
from paperreader.ui.wording import view_name


class BackgroundMixin(Mixin):
    # Exports -------------------------------------------------------------------------
    def action_export(self, what: str) -> None:
        from paperreader.core.export import export_stem
        from paperreader.ui.screens.export import ExportScreen, export_writer

        view = self.view
        if what == "view" and view.source.kind == "bookmarks" and not view.searching:
            what = "bookmarks"
        if what == "bookmarks":
            count, description = len(self.bookmark_ids), "your bookmarks"
        else:
            count, description = len(self.paper_list.rows), view_name(view)
        if not count:
            self.notify("Nothing to export here.", severity="warning")
            return
        period = view.source.period if view.sortable and what == "view" else None
        stem = export_stem(what, self._today(), period.key if period else None)
        ids = [row.id for row in self.paper_list.rows] if what == "view" else None
        # The dialog writes the file itself (in a worker) and stays open on an error.
        writer = export_writer(self.library, ids)
        self.app.push_screen(ExportScreen(what, description, count, stem, write=writer))

    # Sync the archive in the background ---------------------------------------------
    def action_sync(self) -> None:
        if not self.library.online:
            self.notify("Offline mode (--offline): the network is not used.", severity="warning")
            return
        app = self.reader_app
        if app.sync_stop is not None:
            self.notify("A sync is already running (palette: Stop syncing).")
            return
        app.sync_stop = False
        self.notify("Syncing the whole archive in the background…", timeout=3)
        self.sync_archive()

    def action_stop_sync(self) -> None:
        app = self.reader_app
        if app.sync_stop is None:
            self.notify("No sync is running.")
            return
        app.sync_stop = True

    @work(thread=True, group="sync")
    def sync_archive(self) -> None:
        from paperreader.core.client import HFClient
        from paperreader.core.sync import format_progress, format_summary, sync_archive

        app = self.reader_app

        def progress(state: object) -> None:
            text = format_progress(state)  # type: ignore[arg-type]
            app.call_from_thread(lambda: self._set(sync_text=text))

        try:
            with HFClient() as client:  # its own client: the sync owns its hooks
                app.sync_client = client
                if app.network_cancelled:  # the app quit while it was being made
                    client.close()
                result = sync_archive(
                    self.library.store,
                    client,
                    on_progress=progress,
                    should_stop=lambda: bool(app.sync_stop),
                    today=self._today,
                )
        except (HFError, StoreError) as error:
            message, severity = f"Sync stopped: {clean_text(str(error))}", "error"
        else:
            message = format_summary(result)
            if result.interrupted:
                message = f"Sync stopped: {message}. Run it again to continue."
            severity = "information"
        app.call_from_thread(self._sync_done, message, severity)

    def _sync_done(self, message: str, severity: str) -> None:
        self.reader_app.sync_stop = None
        self._set(sync_text="")
        self.notify(message, severity=severity, timeout=10, markup=False)  # type: ignore[arg-type]
        if self.source.kind == "archive" and not self.view.searching:
            self.load_source(self.source)
