"""Opening links in the user's browser, safely.

Only ``http``/``https`` links with a host are opened. Text-mode browsers (lynx, w3m, ...)
that ``webbrowser`` would run in the foreground of this very terminal are refused: they
would fight the app for the screen. Over SSH with no graphical browser the user is told
to copy the link instead.
"""

from __future__ import annotations

from paperreader.core.text import safe_url

# The console browsers webbrowser registers when there is no display.
_CONSOLE_BROWSERS = {"www-browser", "links", "elinks", "lynx", "w3m", "links2"}


class BrowserError(Exception):
    """The link could not be opened; the message says why."""


def open_url(url: str) -> None:
    """Open ``url`` in a browser in the background, or raise BrowserError."""
    if safe_url(url) is None:
        raise BrowserError("Not opened: only http(s) links can be opened")
    import webbrowser  # here, not at start-up: it looks for browsers when imported

    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        raise BrowserError("No browser found here; copy the link instead (y)") from None
    if getattr(browser, "name", "") in _CONSOLE_BROWSERS and not getattr(
        browser, "background", False
    ):
        raise BrowserError("Only a text-mode browser is available here; copy the link instead (y)")
    try:
        opened = browser.open(url, new=2)
    except Exception as error:
        raise BrowserError(f"The browser failed: {error}") from None
    if not opened:
        raise BrowserError("The browser did not open the link; copy it instead (y)")
