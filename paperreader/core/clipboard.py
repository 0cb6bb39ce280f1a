"""Copying text to the system clipboard through pyperclip.

pyperclip needs a mechanism (pbcopy, wl-copy, xclip, xsel, the Windows API); on a headless
machine or over SSH it has none and raises. ``copy_system`` turns every such failure into
``ClipboardUnavailable`` so that the UI can fall back to the terminal's own clipboard
escape (OSC 52), which travels through SSH and tmux.
"""

from __future__ import annotations


class ClipboardUnavailable(Exception):
    """No system clipboard mechanism could take the text; the message says why."""


def copy_system(text: str) -> None:
    """Put ``text`` on the system clipboard, or raise ClipboardUnavailable."""
    import pyperclip  # type: ignore[import-untyped]  # here, not at start-up: it probes for mechanisms when imported

    try:
        pyperclip.copy(text)
    except Exception as error:  # pyperclip raises its own and OS errors alike
        raise ClipboardUnavailable(str(error).splitlines()[0] if str(error) else "failed") from None
