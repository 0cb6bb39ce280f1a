"""Opening links in the user's browser, safely.

Only ``http``/``https`` links with a host are opened. Text-mode browsers (lynx, w3m, ...)
that ``webbrowser`` would run in the foreground of this very terminal are refused: they
would fight the app for the screen. Over SSH with no graphical browser the user is told
to copy the link instead.

A link is normalised before it is handed to anything (``browser_url``): every character a
shell would treat specially (``$`` ``(`` ``;`` a quote, a space, ``&`` ...) is
percent-encoded. The ``browser`` setting is an argument list, never run through a shell;
even a command that wraps one (``sh -c 'firefox %s'``) gets a link that cannot run a
command.
"""

from __future__ import annotations

import re

from paperreader.core.text import safe_url

# The console browsers webbrowser registers when there is no display.
_CONSOLE_BROWSERS = {"www-browser", "links", "elinks", "lynx", "w3m", "links2"}


#: Characters a link keeps as they are: none of them means anything to a shell inside a
#: word. Everything else is percent-encoded (``&`` too: a query's ``a=1&b=2`` becomes one
#: value, a small price for a link that cannot start a second command).
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@=+,%")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
#: Programs that run their arguments as shell code.
SHELLS = frozenset(
    {"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "busybox"}
    | {"cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "pwsh.exe"}
)


class BrowserError(Exception):
    """The link could not be opened; the message says why."""


def browser_url(url: str) -> str:
    """``url`` with its scheme and host in lower case and every character outside
    ``_SAFE`` percent-encoded (an existing ``%XX`` escape is kept, a stray ``%`` is
    encoded): nothing in it means anything to a shell."""
    scheme, sep, rest = url.partition("://")
    if sep:
        end = min((i for i in (rest.find(c) for c in "/?#") if i != -1), default=len(rest))
        userinfo, at, host = rest[:end].rpartition("@")
        host = userinfo + at + host.lower()
        head = f"{scheme.lower()}://{''.join(_encode(c, '[]') for c in host)}"
        url = rest[end:]
    else:
        head = ""
    out: list[str] = [head]
    index = 0
    while index < len(url):
        char = url[index]
        if char == "%" and _ESCAPE.match(url, index):
            out.append(url[index : index + 3].upper())
            index += 3
            continue
        out.append(_encode(char))
        index += 1
    return "".join(out)


def _encode(char: str, also: str = "") -> str:
    """A character of a link as it stays, or percent-encoded."""
    if (char in _SAFE and char != "%") or char in also:  # in the host, an IPv6 literal
        return char
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def wraps_shell(command: str) -> str | None:
    """The shell a browser command runs (``"sh"`` for ``sh -c '...'``), or None."""
    import shlex

    try:
        words = shlex.split(command)
    except ValueError:
        return None
    for word in words:
        name = word.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if name in SHELLS:
            return name
    return None


def open_url(url: str, command: str = "") -> None:
    """Open ``url`` in a browser in the background, or raise BrowserError.

    ``command`` is the user's browser command from the config (``firefox %s``; the URL is
    appended when there is no ``%s``); empty means the system's default browser.
    """
    if safe_url(url) is None:
        raise BrowserError("Not opened: only http(s) links can be opened")
    url = browser_url(url)
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
