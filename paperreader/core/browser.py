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


def open_url(url: str, command: str = "") -> None:
    """Open ``url`` in a browser in the background, or raise BrowserError.

    ``command`` is the user's browser command from the config (``firefox %s``; the URL is
    appended when there is no ``%s``); empty means the system's default browser.
    """
    if safe_url(url) is None:
        raise BrowserError("Not opened: only http(s) links can be opened")
    if command.strip():
        _run_command(command, url)
        return
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


def _run_command(command: str, url: str) -> None:
    import shlex
    import subprocess

    try:
        words = shlex.split(command)
    except ValueError as error:
        raise BrowserError(f"The browser command {command!r} cannot be read: {error}") from None
    if not words:
        raise BrowserError("The browser command is empty")
    # The URL is one argument of its own: never passed through a shell.
    args = [url if word == "%s" else word.replace("%s", url) for word in words]
    if "%s" not in command:
        args.append(url)
    try:
        subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        raise BrowserError(f"The browser command failed: {error.strerror or error}") from None
