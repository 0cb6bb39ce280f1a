"""Opening and copying a paper's links (the browser and the clipboard run in workers)."""

from __future__ import annotations

from textual import work

from paperreader.core.models import Link, Paper
from paperreader.ui.reader.base import Mixin
from paperreader.ui.widgets.detail import DetailPane
from paperreader.ui.wording import copied_message, copy_failed_message


class LinksMixin(Mixin):
    def _paper_for_links(self) -> Paper | None:
        row = self._current()
        if row is None:
            return None
        paper = self._detail_paper if self._detail_id == row.id else None
        return paper or Paper(row.id, row.title)

    def action_open_link(self, kind: str) -> None:
        if paper := self._paper_for_links():
            self.open_in_browser(paper.hf_url if kind == "hf" else paper.pdf_url)

    def on_detail_pane_link_clicked(self, event: DetailPane.LinkClicked) -> None:
        self.open_in_browser(event.url)

    @work(thread=True, group="browser")
    def open_in_browser(self, url: str) -> None:
        from paperreader.core.browser import BrowserError  # with the first link opened

        try:
            self.reader_app.launch_browser(url)
        except BrowserError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning", markup=False)
            return
        self.app.call_from_thread(self.notify, f"Opened {url}", markup=False, timeout=3)

    def action_copy_link(self, kind: str) -> None:
        if paper := self._paper_for_links():
            if kind == "hf":
                self.copy_text(paper.hf_url, "Hugging Face link")
            else:
                self.copy_text(paper.arxiv_url, "arXiv link")

    def action_choose_link(self) -> None:
        paper = self._paper_for_links()
        if paper is None:
            return

        from paperreader.ui.screens.links import LinkPicker

        def chosen(link: Link | None) -> None:
            if link is not None:
                self.copy_text(link.url, f"{link.label} link")

        details = self._detail_parts.details if self._detail_id == paper.id else None
        links = paper.links + (details.links if details is not None else ())
        self.app.push_screen(LinkPicker(paper.title, links), chosen)

    def action_full_text(self) -> None:
        """The whole paper in the terminal (its own screen, which loads it)."""
        if row := self._current():
            from paperreader.ui.screens.paper_text import PaperTextScreen

            self.app.push_screen(PaperTextScreen(self.library, row.id, row.title))

    @work(thread=True, group="clipboard")
    def copy_text(self, text: str, label: str) -> None:
        """Copy through the system clipboard, else through the terminal (OSC 52)."""
        from paperreader.core.clipboard import ClipboardUnavailable  # with the first copy

        method = self.config.clipboard
        app = self.app
        if method == "terminal":
            app.call_from_thread(app.copy_to_clipboard, text)
            how = "terminal"
        else:
            try:
                self.reader_app.system_copy(text)
            except ClipboardUnavailable as error:
                if method == "system":
                    message = copy_failed_message(str(error))
                    app.call_from_thread(self.notify, message, severity="error", markup=False)
                    return
                app.call_from_thread(app.copy_to_clipboard, text)
                how = "fallback"
            else:
                how = "system"
        app.call_from_thread(self.notify, copied_message(label, text, how), markup=False)
