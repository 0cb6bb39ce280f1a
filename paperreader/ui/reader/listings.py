"""Moving between listings and views: days, weeks, months, trending, bookmarks, the
archive; the order and the unread filter."""

from __future__ import annotations

from textual import work

from paperreader.core.library import Source
from paperreader.core.ordering import ORDER_LABELS, ORDERS
from paperreader.core.periods import UNITS, Period, PeriodError
from paperreader.core.store import StoreError
from paperreader.ui.reader.base import Mixin


class ListingsMixin(Mixin):
    def _listing_only(self) -> None:
        """Back to a day, week or month listing (from a search, a view, trending)."""
        if self.view.searching:
            self._leave_search()
        if self.source.kind != "listing" or self.source.trending:
            self._set(source=self._previous or Source())
            self._previous = None

    def action_shift_period(self, steps: int) -> None:
        self._listing_only()
        period = self.source.period or Period.day(self._today())
        if self.library.online:
            target = period.shift(steps)  # (never overflows: the check says why not)
            try:
                target.check(self._today())
            except PeriodError as error:
                self.notify(str(error), severity="warning", markup=False)
                return
            self._go(target, steps)
        else:
            self.step_to_stored(period, steps)

    def _go(self, target: Period, steps: int, note: str = "") -> None:
        self._skip, self._skipped = steps, []
        self._skip_from = self.source.period
        self.load_source(Source(period=target))
        if note:
            self.notify(note, severity="warning", markup=False)

    @work(thread=True, exclusive=True, group="step")
    def step_to_stored(
        self, period: Period, steps: int, why: str = "", back: Period | None = None
    ) -> None:
        """Go straight to the nearest stored day (week, month): offline, or when the
        network failed for a day that is not stored (then, with none, ``back`` to where
        the step began)."""
        try:
            target = self.library.adjacent(period, steps)
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        if target is None:
            way = "earlier" if steps < 0 else "later"
            where = "offline" if not why else "and the network failed"
            message = f"No {way} {period.unit} is stored ({where})."
            self.app.call_from_thread(self.notify, message, severity="warning")
            if back is not None:
                self.app.call_from_thread(self.load_source, Source(period=back), network=False)
            return
        note = f"Went to the nearest stored {period.unit}: {why}" if why else ""
        self.app.call_from_thread(self._go, target, steps, note)

    def action_cycle_period(self) -> None:
        self._listing_only()
        period = self.source.period or Period.day(self._today())
        unit = UNITS[(UNITS.index(period.unit) + 1) % len(UNITS)]
        day = min(period.start if period.unit == "day" else period.end, self._today())
        self.save_setting("unit", unit)
        self.load_source(Source(period=None if unit == "day" else Period.of(unit, day)))

    def action_latest(self) -> None:
        self._listing_only()
        self.save_setting("unit", "day")
        self.load_source(Source())

    def action_jump(self) -> None:
        from paperreader.ui.screens.jump import JumpScreen

        def chosen(period: Period | None) -> None:
            if period is None:
                return  # (the dialog only returns periods in range: see parse_jump)
            self._listing_only()
            self.save_setting("unit", period.unit)
            self.load_source(Source(period=period))

        self.app.push_screen(JumpScreen(self._today), chosen)

    def action_cycle_order(self) -> None:
        if not self.view.sortable:
            self.notify("Sorting applies to day, week and month listings.", severity="warning")
            return
        order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self.save_setting("order", order)
        self._set(order=order)
        self.notify(f"Sorted {ORDER_LABELS[order]}.", timeout=2)

    def action_toggle_trending(self) -> None:
        if self.view.searching:
            self._leave_search()
        if self.source.trending:
            back, self._previous = self._previous or Source(), None
            self.load_source(back)
        else:
            if self.source.kind == "listing":
                self._previous = self.source
            self.load_source(Source(trending=True))

    def action_toggle_view(self, kind: str) -> None:
        if self.view.searching:
            self._leave_search()
        if self.source.kind == kind:
            back, self._previous = self._previous or Source(), None
            self.load_source(back)
            return
        if self.source.kind == "listing":
            self._previous = self.source
        self.load_source(Source(kind))

    def action_toggle_unread(self) -> None:
        unread_only = not self.unread_only
        self.save_setting("unread_only", "1" if unread_only else "0")
        self._set(unread_only=unread_only)

    def action_refresh(self) -> None:
        self.reload_user_state()  # another paperreader may have changed bookmarks or marks
        if self.source.kind != "listing":
            self.load_source(self.source)
            return
        if not self.library.online:
            self.notify("Offline mode (--offline): the network is not used.", severity="warning")
            return
        self.notify("Refreshing…", timeout=2)
        self._fetch_source(self.source, True)
