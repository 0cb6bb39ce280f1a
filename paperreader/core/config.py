"""The user's settings: a TOML file where platformdirs puts user configuration.

``load_config`` never raises for what is in the file: a missing file gives the defaults,
and a bad one gives the defaults for whatever is wrong plus a list of problems, each
``FILE:LINE: what is wrong``, for the app to show and ``paperreader config check`` to
print. ``default_config_text`` is the commented file ``paperreader config init`` writes.

Key bindings are overridden by command id (``"paper.bookmark" = "B"``); the ids, their
default keys and where they are active come from the command table
(``paperreader.core.commands``), from which the app's bindings are made too. Keys are stored as
Textual key names (``"]"`` becomes ``"right_square_bracket"``), and ``Config.keymap()``
gives them in the form ``App.set_keymap`` takes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from paperreader.core.commands import ACTIONS, BY_ID
from paperreader.core.ordering import ORDERS
from paperreader.core.paths import Paths
from paperreader.core.periods import UNITS

MARK_READ: tuple[str, ...] = ("open", "move", "never")
#: The themes the app has: Textual's built-in ones (the core cannot import Textual; a UI
#: test keeps this list equal to ``textual.theme.BUILTIN_THEMES``).
THEMES: tuple[str, ...] = (
    "ansi-dark",
    "ansi-light",
    "atom-one-dark",
    "atom-one-light",
    "catppuccin-frappe",
    "catppuccin-latte",
    "catppuccin-macchiato",
    "catppuccin-mocha",
    "dracula",
    "flexoki",
    "gruvbox",
    "monokai",
    "nord",
    "rose-pine",
    "rose-pine-dawn",
    "rose-pine-moon",
    "solarized-dark",
    "solarized-light",
    "textual-dark",
    "textual-light",
    "tokyo-night",
)
CLIPBOARDS: tuple[str, ...] = ("auto", "system", "terminal")

_GLOBAL = "global"


def _context(action: str) -> str:
    """Where an action's keys are active (its scope in the command table): the reader,
    the list, the detail or a pop-up screen.

    Keys of the reader collide with those of the list and the detail (a focused widget's
    key hides the reader's), the list's and the detail's never meet, and a pop-up screen's
    keys only meet each other (it shadows the reader's while it is open).
    """
    scope = BY_ID[action].scope
    return _GLOBAL if scope == "app" else scope


def _collide(first: str, second: str) -> bool:
    if first == second:
        return True
    return _GLOBAL in (first, second) and {first, second} <= {_GLOBAL, "list", "detail"}


# Key names --------------------------------------------------------------------------

# Textual's names for keys that are not characters (textual.keys.Keys).
_NAMED_KEYS = frozenset(
    {
        "backspace",
        "delete",
        "down",
        "end",
        "enter",
        "escape",
        "home",
        "insert",
        "left",
        "pagedown",
        "pageup",
        "right",
        "space",
        "tab",
        "up",
        *(f"f{n}" for n in range(1, 25)),
    }
)
_ALIASES = {
    "esc": "escape",
    "return": "enter",
    "page_down": "pagedown",
    "pgdn": "pagedown",
    "page_up": "pageup",
    "pgup": "pageup",
    "del": "delete",
}
_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# As in textual.keys.KEY_NAME_REPLACEMENTS: friendlier names than Unicode's.
_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def character_to_key(character: str) -> str | None:
    """Textual's name for the key of one character (``"]"`` → ``"right_square_bracket"``).

    The same rule as ``textual.keys._character_to_key``; None for a character no key
    produces (a control character).
    """
    if character.isalnum():
        return character
    if character == "\t":
        return "tab"
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return None
    if not character.isprintable():
        return None
    return _REPLACEMENTS.get(name, name)


_CHARACTER_NAMES = {str(character_to_key(c)): c for c in _PUNCTUATION}


def _is_character_name(name: str) -> bool:
    """Whether ``name`` is Textual's name for some character's key (``"section_sign"``)."""
    if name in _CHARACTER_NAMES:
        return True
    for candidate in {name.replace("_", " "), name.replace("_", "-")}:
        try:
            character = unicodedata.lookup(candidate)
        except KeyError:
            continue
        if len(character) == 1 and character_to_key(character) == name:
            return True
    return False


class KeyNameError(ValueError):
    """A key the config cannot bind; the message says why."""


def key_name(text: str) -> str:
    """The Textual key name for a key as people write it, or raise ``KeyNameError``.

    ``"]"`` → ``"right_square_bracket"``, ``"B"`` → ``"B"``, ``"Enter"`` → ``"enter"``,
    ``"ctrl+/"`` → ``"ctrl+slash"``, ``"shift+tab"`` stays.
    """
    if text == "":
        raise KeyNameError("an empty key")
    if len(text) == 1:
        key = character_to_key(text)
        if key is None:
            raise KeyNameError(f"{text!r} is not a key")
        return key
    if text.endswith("++"):  # "ctrl++"
        modifiers, base = text[:-2].split("+"), "+"
    else:
        *modifiers, base = text.split("+")
    bad = next((m for m in modifiers if m.lower() not in _MODIFIERS), None)
    if bad is not None or not base:
        if "," in text:
            raise KeyNameError(f'{text!r} is not a key (for two keys write a list: ["j", "down"])')
        if bad is not None:
            raise KeyNameError(
                f"{text!r} is not a key: {bad!r} is not one of {', '.join(_MODIFIERS)}"
            )
        raise KeyNameError(f"{text!r} is not a key")
    prefix = "".join(f"{modifier.lower()}+" for modifier in modifiers)
    if len(base) == 1:
        key = character_to_key(base)
        if key is None or (base == " " and modifiers):
            raise KeyNameError(f"{text!r} is not a key")
        return prefix + key
    name = _ALIASES.get(base.lower(), base.lower())
    if name in _NAMED_KEYS or _is_character_name(name):
        return prefix + name
    if "," in base:
        raise KeyNameError(f'{text!r} is not a key (for two keys write a list: ["j", "down"])')
    known = sorted(_NAMED_KEYS | set(_CHARACTER_NAMES) | set(_ALIASES))
    close = _close_matches(name, known)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    raise KeyNameError(f"{text!r} is not a key name{hint}")


def _display(key: str) -> str:
    """A key as people write it in the file: ``"]"`` rather than ``right_square_bracket``."""
    return _CHARACTER_NAMES.get(key, key)


# The configuration ------------------------------------------------------------------


class Config(NamedTuple):
    """The settings, each valid: whatever was wrong in the file has its default here.
    (A NamedTuple, not a dataclass: it is defined before the first frame, in a quarter
    of the time.)"""

    theme: str | None = None  # None: the app's default theme
    default_listing: str = "day"
    default_sort: str = "upvotes"
    mark_read: str = "open"
    browser: str = ""
    clipboard: str = "auto"
    #: Run with a one-line summary when a sync or digest finds new papers for a watch
    #: (an argument list, never run through a shell); empty: nothing is run.
    notify_command: tuple[str, ...] = ()
    #: Megabytes of full texts kept for offline reading (bookmarked papers' are kept).
    full_text_cache_mb: int = 200
    #: The overridden actions only, as Textual key names; none bound twice.
    keys: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    #: Every problem found in the file, each "FILE:LINE: what is wrong".
    problems: tuple[str, ...] = ()

    def keymap(self) -> dict[str, str]:
        """Binding id → keys joined by commas: what ``App.set_keymap`` takes."""
        return {action: ",".join(keys) for action, keys in self.keys.items()}

    def keys_for(self, action: str) -> tuple[str, ...]:
        """The keys an action has: its override, else its default."""
        return self.keys.get(action, ACTIONS[action])


_CHOICES: dict[str, tuple[str, ...]] = {
    "default_listing": tuple(UNITS),
    "default_sort": ORDERS,
    "mark_read": MARK_READ,
    "clipboard": CLIPBOARDS,
}
_OPTIONS = (
    "theme",
    "default_listing",
    "default_sort",
    "mark_read",
    "browser",
    "clipboard",
    "full_text_cache_mb",
)
#: The largest full_text_cache_mb accepted (1 TB).
MAX_CACHE_MB = 1_000_000
_TOP_LEVEL = (*_OPTIONS, "notify_command", "keys")


#: A config file bigger than this is not read (it is a few kilobytes when written by hand).
MAX_CONFIG_BYTES = 1024 * 1024
#: Arrays and inline tables nested deeper than this are refused before parsing (tomllib
#: recurses for each level and would hit Python's recursion limit at a few hundred).
MAX_NESTING = 100
#: Problems listed at most; past that, one line says how many more there were.
MAX_PROBLEMS = 50
#: Misspelt names get "did you mean" suggestions for the first this many only.
MAX_SUGGESTIONS = 20

_HEADER_LINE = re.compile(r"\s*\[\[?\s*([^\]]*?)\s*\]")
_ASSIGNMENT_LINE = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.-]+))\s*=""")


class _Report:
    """Collects problems with the file's name and, found by scanning its text, lines."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.problems: list[tuple[int, int, str]] = []
        self.suggestions = 0
        self._index: tuple[dict[tuple[str | None, str], int], dict[str, int]] | None = None

    def add(self, message: str, line: int | None = None) -> None:
        where = f"{self.path}:{line}" if line else f"{self.path}"
        self.problems.append((line or 0, len(self.problems), f"{where}: {message}"))

    def close_matches(self, word: str, known: Sequence[str], cutoff: float = 0.6) -> list[str]:
        """Suggestions for a misspelt name, for the first few only (a file of thousands of
        unknown names must not cost a difflib search each)."""
        self.suggestions += 1
        if self.suggestions > MAX_SUGGESTIONS or len(word) > 100:
            return []
        return _close_matches(word, known, cutoff)

    def _lines(self) -> tuple[dict[tuple[str | None, str], int], dict[str, int]]:
        """One pass over the text: the first line of each (table, key) assignment and of
        each ``[table]`` header, and the first line assigning each key anywhere."""
        if self._index is None:
            first: dict[tuple[str | None, str], int] = {}
            anywhere: dict[str, int] = {}
            section: str | None = None
            for number, line in enumerate(self.text.splitlines(), 1):
                if match := _HEADER_LINE.match(line):
                    section = match.group(1).strip("\"'")
                    first.setdefault((_HEADER, section), number)
                    continue
                if match := _ASSIGNMENT_LINE.match(line):
                    key = next(group for group in match.groups() if group is not None)
                    first.setdefault((section, key), number)
                    anywhere.setdefault(key, number)
            self._index = (first, anywhere)
        return self._index

    def line_of(self, key: str, table: str | None = None) -> int | None:
        """The line defining ``key`` (in ``[table]``, or at the top), or of ``[key]``."""
        first, anywhere = self._lines()
        found = [first.get((table, key))]
        if table is None:
            found.append(first.get((_HEADER, key)))
        lines = [line for line in found if line is not None]
        return min(lines) if lines else anywhere.get(key)

    def sorted(self) -> tuple[str, ...]:
        problems = [message for _, _, message in sorted(self.problems)]
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS + 1
            problems[MAX_PROBLEMS - 1 :] = [f"{self.path}: … and {more:,} more problems"]
        return tuple(problems)


# A table name no key has: where the index keeps the lines of ``[table]`` headers.
_HEADER = "\x00header"


def load_config(path: Path | None = None) -> Config:
    """Read the config file (by default the user's); never raises for what it contains."""
    path = Paths.default().config_file if path is None else path
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
        # Universal newlines, as reading in text mode would give.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as error:
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return Config(problems=(f"{path}: cannot read the file: {why}",))
    if len(raw) > MAX_CONFIG_BYTES:
        return Config(
            problems=(
                f"{path}: larger than {MAX_CONFIG_BYTES >> 20} MB, not a settings file; "
                "using the defaults",
            )
        )
    return parse_config(text, path)


_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _close_matches(word: str, known: Sequence[str], cutoff: float = 0.6) -> list[str]:
    """Up to three suggestions for a misspelt name (difflib: imported only for errors)."""
    import difflib

    return difflib.get_close_matches(word, known, n=3, cutoff=cutoff)


def parse_config(text: str, path: Path) -> Config:
    """The settings in ``text``, the contents of the file at ``path``."""
    import tomllib  # here: a start without a config file does not need it

    report = _Report(path, text)
    deep = _too_deep(text)
    if deep is not None:
        report.add(
            f"arrays or inline tables nested more than {MAX_NESTING} deep; using the defaults",
            deep,
        )
        return Config(problems=report.sorted())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _AT_LINE.search(message)
        line = int(match.group(1)) if match else max(text.count("\n"), 1)
        report.add(f"not valid TOML: {message}; using the defaults", line)
        return Config(problems=report.sorted())
    except (RecursionError, MemoryError):
        report.add("nested too deeply or too large to read; using the defaults")
        return Config(problems=report.sorted())

    for key in data:
        if key not in _TOP_LEVEL:
            close = report.close_matches(key, _TOP_LEVEL)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            report.add(f"unknown setting {_name(key)}{hint}; ignored", report.line_of(key))

    values: dict[str, Any] = {}
    for option in _OPTIONS:
        if option not in data:
            continue
        value = _option(option, data[option], report)
        if value is not None:
            values[option] = value

    if "notify_command" in data:
        command = _notify_command(data["notify_command"], report)
        if command is not None:
            values["notify_command"] = command

    keys: dict[str, tuple[str, ...]] = {}
    if "keys" in data:
        table = data["keys"]
        if isinstance(table, dict):
            keys = _keys(table, report)
        else:
            report.add(
                '\'keys\' must be a table ([keys] with lines like "paper.bookmark" = "B"); ignored',
                report.line_of("keys"),
            )
    return Config(**values, keys=MappingProxyType(keys), problems=report.sorted())


def _option(option: str, value: object, report: _Report) -> str | int | None:
    """A valid value of a top-level option, or None after reporting why it is not."""
    line = report.line_of(option)
    default = getattr(Config(), option)
    if option == "full_text_cache_mb":
        if isinstance(value, bool) or not isinstance(value, int):
            report.add(
                f"{option} must be a whole number, not {_toml_type(value)}; using {default}", line
            )
            return None
        if not 0 <= value <= MAX_CACHE_MB:
            report.add(
                f"{option} must be from 0 to {MAX_CACHE_MB:,}, not {value}; using {default}", line
            )
            return None
        return value
    using = "the default theme" if default is None else repr(default)
    if not isinstance(value, str):
        report.add(f"{option} must be a string, not {_toml_type(value)}; using {using}", line)
        return None
    if option in _CHOICES:
        choice = value.strip().lower()
        if choice not in _CHOICES[option]:
            allowed = ", ".join(repr(c) for c in _CHOICES[option])
            report.add(
                f"{option} must be one of {allowed}, not {_name(value)}; using {default!r}", line
            )
            return None
        return choice
    if option == "theme":
        if not value.strip():
            report.add("theme is empty; using the default theme", line)
            return None
        if value.strip() not in THEMES:
            near = [t for t in THEMES if t.startswith(value.strip().lower()[:3])]
            hint = f" (did you mean {', '.join(repr(t) for t in near[:3])}?)" if near else ""
            report.add(
                f"theme {_name(value)} is not a theme of the app{hint}; using the default "
                f"theme. The themes: {', '.join(THEMES)}",
                line,
            )
            return None
        return value.strip()
    command = value.strip()  # browser: a command, or "" for the system's default
    if command:
        from paperreader.core.browser import wraps_shell

        shell = wraps_shell(command)
        if shell is not None:
            report.add(
                f"browser runs a shell ({shell}): it is meant to be the browser itself, "
                'like "firefox %s" (an argument list, never run through a shell); '
                "kept, with links percent-encoded so they cannot run commands",
                line,
            )
    return command


def _notify_command(value: object, report: _Report) -> tuple[str, ...] | None:
    """``notify_command``: a list of strings (the program, then its arguments)."""
    line = report.line_of("notify_command")
    if isinstance(value, str):
        report.add(
            'notify_command must be a list, like ["notify-send", "paperreader"] '
            "(it is never run through a shell); ignored",
            line,
        )
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report.add(
            f"notify_command must be a list of strings, not {_toml_type(value)}; ignored", line
        )
        return None
    if value and not value[0].strip():
        report.add("notify_command starts with an empty program name; ignored", line)
        return None
    return tuple(value)


def _name(key: str) -> str:
    """A name from the file as a message shows it: quoted, and cut if very long."""
    return repr(key if len(key) <= 60 else key[:59] + "…")


def _too_deep(text: str) -> int | None:
    """The line where arrays or inline tables nest deeper than ``MAX_NESTING``, or None.

    One pass that skips strings and comments; files with few brackets skip it.
    """
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None
    depth = 0
    line = 1
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return line
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "\n":
            line += 1
        elif char == "#":
            end = text.find("\n", index)
            index = length if end == -1 else end
            continue
        elif char in "\"'":
            quote = text[index : index + 3] if text.startswith(char * 3, index) else char
            end = index + len(quote)
            while True:
                end = text.find(quote, end)
                if end == -1 or char == "'" or text[end - 1] != "\\" or _escaped_twice(text, end):
                    break
                end += 1
            stop = length if end == -1 else end + len(quote)
            line += text.count("\n", index, stop)
            index = stop
            continue
        index += 1
    return None


def _escaped_twice(text: str, end: int) -> bool:
    """Whether the backslashes just before ``end`` are an even number (the quote at
    ``end`` is not escaped)."""
    count = 0
    while end - count - 1 >= 0 and text[end - count - 1] == "\\":
        count += 1
    return count % 2 == 0


def _toml_type(value: object) -> str:
    names: dict[type, str] = {bool: "a boolean", int: "a number", float: "a number"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _flatten(table: Mapping[str, object]) -> Iterable[tuple[str, object]]:
    """``paper.bookmark = "B"`` unquoted is a nested table in TOML: take it as the id.

    Without recursion: a dotted key thousands of names long is thousands of tables deep.
    """
    stack: list[Iterator[tuple[str, object]]] = [iter(table.items())]
    prefixes = [""]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            prefixes.pop()
            continue
        key, value = item
        name = f"{prefixes[-1]}{key}"
        if isinstance(value, dict) and name not in ACTIONS:
            stack.append(iter(value.items()))
            prefixes.append(f"{name}.")
        else:
            yield name, value


def _keys(table: Mapping[str, object], report: _Report) -> dict[str, tuple[str, ...]]:
    """The valid overrides of ``[keys]``, none bound twice, in the file's order."""
    wanted: dict[str, tuple[str, ...]] = {}
    lines: dict[str, int | None] = {}
    for action, value in _flatten(table):
        line = report.line_of(action, "keys")
        lines[action] = line
        if action not in ACTIONS:
            close = report.close_matches(action, list(ACTIONS), cutoff=0.5)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            report.add(f"unknown action {_name(action)} in [keys]{hint} (ignored)", line)
            continue
        given: list[object] = value if isinstance(value, list) else [value]
        if not given:
            report.add(f"no keys given for {action!r}; it keeps its default keys", line)
            continue
        names: dict[str, None] = {}  # a dict: in order, and linear for thousands of keys
        for item in given:
            if not isinstance(item, str):
                report.add(
                    f"a key for {action!r} must be a string, not {_toml_type(item)}; ignored",
                    line,
                )
                continue
            try:
                name = key_name(item)
            except KeyNameError as error:
                report.add(f"{error} (for {action!r}); ignored", line)
                continue
            names.setdefault(name)
        if names:
            wanted[action] = tuple(names)
        else:
            report.add(f"no valid key for {action!r}; it keeps its default keys", line)

    # A key bound twice: keep the first, drop the later. An action left with no key keeps
    # its defaults (Textual cannot unbind through a keymap), which may in turn take a key
    # from a later override, so go again until nothing changes.
    dropped: list[tuple[str, int | None]] = []
    while True:
        accepted, clashes = _resolve(wanted, lines)
        emptied = [action for action in wanted if action not in accepted]
        if not emptied:
            break
        action = emptied[0]
        dropped.extend((message, line) for message, line, who in clashes if who == action)
        defaults = ", ".join(repr(_display(key)) for key in ACTIONS[action])
        dropped.append((f"{action!r} keeps its default keys ({defaults})", lines[action]))
        del wanted[action]
    for message, line in dropped:
        report.add(message, line)
    for message, line, _ in clashes:
        report.add(message, line)
    return accepted


def _resolve(
    wanted: Mapping[str, tuple[str, ...]], lines: Mapping[str, int | None]
) -> tuple[dict[str, tuple[str, ...]], list[tuple[str, int | None, str]]]:
    """The overrides with every key already taken dropped, and a message for each."""
    # key -> who has it, in order: (context, action, is a default)
    taken: dict[str, list[tuple[str, str, bool]]] = {}
    for action, keys in ACTIONS.items():
        if action not in wanted:
            for key in keys:
                taken.setdefault(key, []).append((_context(action), action, True))
    accepted: dict[str, tuple[str, ...]] = {}
    clashes: list[tuple[str, int | None, str]] = []
    for action, keys in wanted.items():
        context = _context(action)
        kept: list[str] = []
        for key in keys:
            owner = next(
                (
                    (other, default)
                    for other_context, other, default in taken.get(key, ())
                    if _collide(context, other_context)
                ),
                None,
            )
            if owner is None:
                kept.append(key)
                continue
            other, default = owner
            whose = f"{other!r} (its default key)" if default else f"{other!r}"
            clashes.append(
                (
                    f"key {_display(key)!r} for {action!r} is already bound to {whose}; "
                    f"ignored for {action!r}",
                    lines.get(action),
                    action,
                )
            )
        for key in kept:
            taken.setdefault(key, []).append((context, action, False))
        if kept:
            accepted[action] = tuple(kept)
    return accepted, clashes


# The file `paperreader config init` writes ------------------------------------------

_HEADER = """\
# paperreader settings.
#
# Every setting is commented out and shows its default: remove the "#" and change it.
# `paperreader config check` reports mistakes. A bad file never stops the app: it starts
# on the defaults for whatever is wrong and says what that was.

# The colour theme: any Textual theme name (textual-dark, textual-light, nord, gruvbox,
# dracula, tokyo-night, monokai, ...).
# theme = "textual-dark"

# The listing the reader opens on: "day", "week" or "month".
# default_listing = "day"

# The order of a listing: "upvotes", "newest" or "stars" (GitHub stars).
# default_sort = "upvotes"

# When a paper becomes read: "open" (opening it with enter), "move" (moving the cursor
# onto it) or "never" (only when marked by hand).
# mark_read = "open"

# The command that opens links, with %s for the link, like "firefox %s"; "" for the
# system's default browser. It is an argument list, never run through a shell.
# browser = ""

# Where links are copied: "system" (the system clipboard), "terminal" (the terminal's
# clipboard, OSC 52, which also works over SSH) or "auto" (the system's, else the
# terminal's).
# clipboard = "auto"

# A command run when `paperreader sync` or `paperreader digest` finds new papers for a
# watch, with a one-line summary as its last argument (or in place of %s): an argument
# list, never run through a shell.
# notify_command = ["notify-send", "paperreader"]
# Megabytes of full texts kept for reading offline (counted uncompressed; about what the
# texts and their search index take on disk). Past it the least recently read are
# forgotten, never those of bookmarked papers (nor the one just fetched).
# full_text_cache_mb = 200

# Keys: an action and a key or a list of keys, which replace that action's keys.
# A key is a character ("b", "B", "]", "?") or a key name ("enter", "escape", "tab",
# "space", "pageup", "pagedown", "home", "end", "up", "f1", "ctrl+x", "shift+tab").
# One key cannot do two things at once: the app's keys must differ from each other and
# from those of the list and of the detail pane (the list and the detail pane may share
# keys); each pop-up screen only needs keys of its own.
[keys]
"""

_SECTIONS = {
    "move.switch": "# The app",
    "move.next": "# The paper list",
    "detail.down": "# The detail pane",
    "text.down": "# The full text of a paper",
    "help.close": "# The pop-up screens",
}


def default_config_text() -> str:
    """The commented file of every setting and every action with its default keys."""
    parts = [_HEADER]
    width = max(len(action) for action in ACTIONS) + 2
    for action, keys in ACTIONS.items():
        if action in _SECTIONS:
            parts.append(f"\n{_SECTIONS[action]}\n")
        shown = [_toml_string(_display(key)) for key in keys]
        value = shown[0] if len(shown) == 1 else f"[{', '.join(shown)}]"
        parts.append(f"# {_toml_string(action):<{width}} = {value}\n")
    return "".join(parts)


def _toml_string(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
