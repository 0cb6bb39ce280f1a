"""Read marks, bookmarks, notes and tags: shown at once, written in order.

Every write of the user's data goes through the app's ``SerialWriter``: in the order the
keys were pressed, so the last key pressed wins on screen and on disk. A write that fails
is rolled back on screen (to what the file holds) in one place, ``_rolled_back``, with a
notice saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import work

from paperreader.core.models import Paper
from paperreader.core.store import StoreError
from paperreader.core.wording import plural
from paperreader.ui.bindings import key_label
from paperreader.ui.reader.base import Mixin
from paperreader.ui.wording import annotation_saved, bookmark_changed, view_name


class MarksMixin(Mixin):
    # Writing, in order -------------------------------------------------------------
    def _write_error(
        self, error: Exception, prefix: str = "", suffix: str = "", severity: str = "error"
    ) -> None:
        message = f"{prefix}{error}{suffix}"
        self._from_thread(self.notify, message, severity=severity, markup=False)

    def _write_marks(
        self,
        kind: str,
        paper_ids: Sequence[str],
        on: bool,
        write: Callable[[], object],
        done: Callable[[object], object] | None = None,
    ) -> None:
        """Queue the write of read marks or a bookmark the screen already shows. If it
        fails, the screen shows what the file has (for each paper no later key decides)."""
        library = self.library
        seq = 0
        ids = list(paper_ids)

        def failed(error: Exception) -> None:
            try:  # what the file has now, read in order after the failed write
                stored = library.read_ids() if kind == "read" else library.bookmark_ids()
                truth = {i for i in ids if i in stored}
            except StoreError:
                truth = set() if on else set(ids)  # the write did not happen
            self._from_thread(lambda: self._rolled_back(seq, kind, ids, truth, str(error)))

        seq = self.writer.submit([(kind, i) for i in ids], write, done=done, failed=failed)

    def _rolled_back(
        self, seq: int, kind: str, paper_ids: list[str], truth: set[str], error: str
    ) -> None:
        shown = self.read_ids if kind == "read" else self.bookmark_ids
        ids = [i for i in paper_ids if not self.writer.superseded((kind, i), seq)]
        shown.difference_update(ids)
        shown.update(truth.intersection(ids))
        self._redraw(ids)
        what = "Read marks" if kind == "read" else "Bookmark"
        self.notify(f"{what} not saved: {error}", severity="error", markup=False)

    def reload_user_state(self) -> None:
        """Read the marks again (another paperreader may have changed them): on the
        writer's thread, after the writes asked before."""
        library = self.library
        seq = 0

        def read() -> tuple[set[str], set[str]]:
            return library.read_ids(), library.bookmark_ids()

        def done(state: tuple[set[str], set[str]]) -> None:
            self._from_thread(lambda: self._replace_user_state(seq, *state))

        seq = self.writer.submit((), read, done=done, failed=self._write_error)

    def _replace_user_state(self, seq: int, read: set[str], marks: set[str]) -> None:
        # In place: the paper list holds these very sets. A mark changed since the read
        # keeps what the screen shows (its write is on its way).
        for kind, shown, stored in (
            ("read", self.read_ids, read),
            ("bookmark", self.bookmark_ids, marks),
        ):
            newer = {i for i in shown ^ stored if self.writer.superseded((kind, i), seq)}
            kept = shown & newer
            shown.clear()
            shown.update((stored - newer) | kept)
        self._redraw((self._detail_id and [self._detail_id]) or [])

    # Read marks ----------------------------------------------------------------------
    def action_toggle_read(self) -> None:
        if row := self._current():
            self._set_read(row.id, row.id not in self.read_ids)

    def _set_read(self, paper_id: str, read: bool) -> None:
        if (paper_id in self.read_ids) == read:
            return
        self._apply_read([paper_id], read)
        self.save_read([paper_id], read)

    def _apply_read(self, paper_ids: Sequence[str], read: bool) -> None:
        if read:
            self.read_ids.update(paper_ids)
        else:
            self.read_ids.difference_update(paper_ids)
        self._redraw(paper_ids)

    def save_read(self, paper_ids: list[str], read: bool, undo: str | None = None) -> None:
        library = self.library

        def done(changed: object) -> None:
            if undo is not None:
                self._from_thread(self._bulk_done, undo, changed)

        write = lambda: library.set_read(paper_ids, read)  # noqa: E731
        self._write_marks("read", paper_ids, read, write, done)

    def action_mark_all_read(self) -> None:
        rows = self.paper_list.rows
        unread = [row.id for row in rows if row.id not in self.read_ids]
        if not unread:
            self.notify("Every paper in this view is already read.")
            return
        self._apply_read(unread, True)
        self.save_read(unread, True, undo=view_name(self.view))

    _undo: tuple[str, list[str]] | None = None

    def _bulk_done(self, what: str, changed: list[str]) -> None:
        self._undo = (what, changed)
        key = key_label(self.key_for("paper.undo"))
        self.notify(f"Marked {plural(len(changed), 'paper')} read in {what}. Press {key} to undo.")

    def action_undo(self) -> None:
        if self._undo is None:
            self.notify("Nothing to undo.", severity="warning")
            return
        what, changed = self._undo
        self._undo = None
        self._apply_read(changed, False)
        self.save_read(changed, False)
        are = "is" if len(changed) == 1 else "are"
        self.notify(f"Undone: {plural(len(changed), 'paper')} in {what} {are} unread again.")

    # Bookmarks -----------------------------------------------------------------------
    def action_toggle_bookmark(self) -> None:
        if row := self._current():
            on = row.id not in self.bookmark_ids
            (self.bookmark_ids.add if on else self.bookmark_ids.discard)(row.id)
            self._redraw([row.id])
            self.save_bookmark(row.id, on)

    def save_bookmark(self, paper_id: str, on: bool) -> None:
        library = self.library

        def write() -> Paper:
            return library.set_bookmark(paper_id, on)

        def done(paper: object) -> None:
            assert isinstance(paper, Paper)
            message = bookmark_changed(paper.title, on)
            self._from_thread(self.notify, message, markup=False, timeout=3)

        self._write_marks("bookmark", [paper_id], on, write, done)

    # Notes and tags ------------------------------------------------------------------
    def action_edit_note(self) -> None:
        if row := self._current():
            self.edit_annotation(row.id, "note")

    def action_edit_tags(self) -> None:
        if row := self._current():
            self.edit_annotation(row.id, "tags")

    @work(thread=True, group="annotate")
    def edit_annotation(self, paper_id: str, what: str) -> None:
        library = self.library
        try:
            paper = library.paper(paper_id)
            note, tags = library.annotations(paper_id)
            known = library.known_tags()
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        if paper is None:
            return
        self.app.call_from_thread(self._open_annotation, paper, what, note, tags, known)

    def _open_annotation(
        self, paper: Paper, what: str, note: str, tags: tuple[str, ...], known: list[str]
    ) -> None:
        from paperreader.ui.screens.annotate import NoteScreen, TagScreen

        if what == "note":

            def saved_note(text: str | None) -> None:
                if text is not None and text != note:
                    self.save_annotation(paper, note=text)

            self.app.push_screen(NoteScreen(paper.title, note), saved_note)
        else:

            def saved_tags(chosen: tuple[str, ...] | None) -> None:
                if chosen is not None and chosen != tags:
                    self.save_annotation(paper, tags=chosen)

            self.app.push_screen(TagScreen(paper.title, tags, known), saved_tags)

    def save_annotation(
        self, paper: Paper, *, note: str | None = None, tags: tuple[str, ...] | None = None
    ) -> None:
        library = self.library

        def write() -> tuple[str, tuple[str, ...]]:
            return library.annotate(paper, note=note, tags=tags)

        def done(annotations: object) -> None:
            self._from_thread(self._annotated, paper.id, annotations, note, tags)

        def failed(error: Exception) -> None:
            # The text is not lost: it is in the notice, to copy from.
            self._write_error(error, "Not saved: ", f"\n{note}" if note else "")

        keys = [("note", paper.id)] if note is not None else []
        keys += [("tags", paper.id)] if tags is not None else []
        self.writer.submit(keys, write, done=done, failed=failed)

    def _annotated(
        self,
        paper_id: str,
        annotations: tuple[str, tuple[str, ...]],
        note: str | None,
        tags: tuple[str, ...] | None,
    ) -> None:
        """A note or tags saved: ``note`` / ``tags`` the parts edited (None: not)."""
        if any(annotations):
            self.noted_ids.add(paper_id)
        else:
            self.noted_ids.discard(paper_id)
        if self._detail_id == paper_id:
            self._detail_notes = annotations
        self._redraw([paper_id])
        self.notify(annotation_saved(note, tags), timeout=3, markup=False)
