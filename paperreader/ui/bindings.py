"""Textual bindings made from the core's command table (``paperreader.core.commands``)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from paperreader.core.commands import BY_ID, scoped

#: How keys are written for people (help, palette, README), by Textual key name.
_KEY_NAMES = {
    "down": "↓",
    "up": "↑",
    "left": "←",
    "right": "→",
    "question_mark": "?",
    "slash": "/",
    "colon": ":",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "pagedown": "PgDn",
    "pageup": "PgUp",
}


def key_label(key: str) -> str:
    return _KEY_NAMES.get(key, key)


def keys_of(command_id: str, keymap: dict[str, str] | None = None) -> str:
    """A command's keys as people write them (``ctrl+s or esc``), after the user's keymap:
    for the hint lines of the dialogs."""
    command = BY_ID.get(command_id)
    if command is None:
        return ""
    keys: tuple[str, ...] = command.keys
    if keymap and command_id in keymap:
        keys = tuple(k.strip() for k in keymap[command_id].split(",") if k.strip())
    labels = ["esc" if key == "escape" else key_label(key) for key in keys]
    return " or ".join(labels)


def bindings(scope: str) -> list[BindingType]:
    """The bindings of every command of ``scope``, with their ids (so users' keymaps
    apply) and their help text as the tooltip."""
    return [
        Binding(
            ",".join(command.keys),
            command.action,
            command.label,
            show=command.show,
            id=command.id,
            tooltip=command.help,
            priority=command.priority,
        )
        for command in scoped(scope)
    ]


def help_text(command_id: str) -> str:
    command = BY_ID.get(command_id)
    return command.help if command else ""
