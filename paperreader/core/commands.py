"""The command table: every command of the reader, written once.

A command is an id (what users' config files name: ``"paper.bookmark" = "B"``), its
default keys (Textual key names), the action it runs, a short label (footer, palette),
the help text (``?``, the palette, the README's key table), where its keys are active
(its scope) and whether the footer shows it. The app's bindings, the config file's key
section and its checks, the help screen, the command palette and the README's table are
all generated from ``COMMANDS``; this module imports nothing of Textual.

Scopes: ``app`` (active everywhere on the reader), ``list`` and ``detail`` (while that
pane has the focus; their keys hide the app's), and one scope per pop-up screen (its keys
only meet each other's).
"""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    id: str
    keys: tuple[str, ...]
    action: str
    label: str
    help: str
    scope: str = "app"
    show: bool = False  # in the footer
    priority: bool = False  # before the focused widget's own keys (a text box's ctrl+d)


#: The first part of a command id -> its heading on the help screen, in display order.
GROUPS: dict[str, str] = {
    "move": "Moving",
    "paper": "Reading",
    "link": "Links and clipboard",
    "listing": "Listings",
    "view": "Views and search",
    "watches": "The watches screen",
    "detail": "In the detail pane",
    "text": "In the full text",
    "app": "App",
}

#: The scopes of pop-up screens (each shadows the reader's keys while it is open).
SCREEN_SCOPES: tuple[str, ...] = (
    "help",
    "links",
    "jump",
    "note",
    "tags",
    "export",
    "watches",
    "watch_name",
    "confirm",
    "paper_text",
    "contents",
    "text_links",
)

_ = Command  # short lines below

COMMANDS: tuple[Command, ...] = (
    # The reader (active everywhere on the main screen).
    _("move.switch", ("tab",), "switch_pane", "List ⇄ detail",
      "Switch between the list and the detail"),
    _("paper.toggle_read", ("r",), "toggle_read", "Read/unread",
      "Mark the paper read or unread", show=True),
    _("paper.bookmark", ("b",), "toggle_bookmark", "Bookmark",
      "Bookmark the paper, or remove the bookmark", show=True),
    _("paper.all_read", ("A",), "mark_all_read", "All read", "Mark every paper in this view read"),
    _("paper.undo", ("U",), "undo", "Undo", "Undo the last mark-all-read"),
    _("paper.note", ("n",), "edit_note", "Note",
      "Write a note on the paper (saved when you leave it)"),
    _("paper.tags", ("T",), "edit_tags", "Tags", "Tag the paper"),
    _("paper.full_text", ("f",), "full_text", "Full text",
      "Read the whole paper, its comments and links (kept for reading offline)", show=True),
    _("link.open", ("o",), "open_link('hf')", "Open",
      "Open the Hugging Face page in the browser", show=True),
    _("link.pdf", ("p",), "open_link('pdf')", "PDF", "Open the PDF in the browser"),
    _("link.copy", ("y",), "copy_link('hf')", "Copy link", "Copy the Hugging Face link", show=True),
    _("link.copy_arxiv", ("Y",), "copy_link('arxiv')", "Copy arXiv link", "Copy the arXiv link"),
    _("link.choose", ("c",), "choose_link", "Copy a link…",
      "Choose any link of the paper and copy it"),
    _("listing.previous", ("left_square_bracket",), "shift_period(-1)", "Prev",
      "Previous day (week, month); skips empty days", show=True),
    _("listing.next", ("right_square_bracket",), "shift_period(1)", "Next",
      "Next day (week, month); skips empty days", show=True),
    _("listing.cycle", ("v",), "cycle_period", "Day/week/month",
      "Switch between day, week and month listings"),
    _("listing.latest", ("t",), "latest", "Latest day", "Back to the latest day"),
    _("listing.jump", ("colon",), "jump", "Go to…",
      "Go to a day, week or month (2026-08-17, 2026-W33, 2026-08, today)"),
    _("listing.sort", ("s",), "cycle_order", "Sort", "Sort by upvotes, newest or GitHub stars"),
    _("listing.trending", ("H",), "toggle_trending", "Trending",
      "The global trending list (again: back)"),
    _("listing.refresh", ("R",), "refresh", "Refresh", "Refresh from the network"),
    _("view.search", ("slash",), "search", "Search",
      "Search everything stored (enter: also search Hugging Face)", show=True),
    _("view.unread", ("u",), "toggle_unread", "Unread only", "Show only unread papers"),
    _("view.bookmarks", ("B",), "toggle_view('bookmarks')", "Bookmarks",
      "Bookmarks, newest first (again: back)"),
    _("view.archive", ("a",), "toggle_view('archive')", "Archive",
      "Every stored paper, newest first (again: back)"),
    _("view.export", ("E",), "export('view')", "Export",
      "Export this view: BibTeX, Markdown, CSV or JSON"),
    _("view.watches", ("w",), "watches", "Watches",
      "Your watches (saved searches) with their new papers"),
    _("view.save_watch", ("W",), "save_watch", "Save as watch",
      "Save the current search as a watch (asks for a name)"),
    _("view.for_you", ("F",), "for_you", "For you",
      "Recent papers closest to your bookmarks, tags and notes"),
    _("paper.similar", ("m",), "similar", "More like this",
      "More like this: the stored papers closest to this one"),
    _("view.back", ("escape",), "leave", "Back", "Leave the search or view"),
    _("app.help", ("question_mark",), "help", "Help", "This help", show=True),
    _("app.quit", ("q",), "app.quit", "Quit", "Quit", show=True),
    # The paper list (when it has the focus).
    _("move.next", ("j", "down"), "cursor_down", "Next", "Next", "list"),
    _("move.previous", ("k", "up"), "cursor_up", "Previous", "Previous", "list"),
    _("move.first", ("g", "home"), "first", "First", "First", "list"),
    _("move.last", ("G", "end"), "last", "Last", "Last", "list"),
    _("move.page_down", ("pagedown", "space"), "page_down", "Page down", "Page down", "list"),
    _("move.page_up", ("pageup",), "page_up", "Page up", "Page up", "list"),
    _("paper.read", ("enter",), "select", "Read", "Read: show the detail and mark it read",
      "list", show=True),
    _("move.next_unread", ("N",), "next_unread", "Next unread",
      "Next unread paper (from the cursor down)", "list"),
    _("move.previous_unread", ("P",), "previous_unread", "Previous unread",
      "Previous unread paper (from the cursor up)", "list"),
    # The detail pane (when it has the focus).
    _("detail.down", ("j",), "scroll_down", "Scroll down", "Scroll down", "detail"),
    _("detail.up", ("k",), "scroll_up", "Scroll up", "Scroll up", "detail"),
    _("detail.top", ("g",), "scroll_home", "Top", "Top", "detail"),
    _("detail.bottom", ("G",), "scroll_end", "Bottom", "Bottom", "detail"),
    _("detail.page_down", ("space",), "page_down", "Page down", "Page down", "detail"),
    # The full text of a paper (its own screen).
    _("text.down", ("j", "down"), "scroll_down", "Down", "Scroll down a line", "paper_text"),
    _("text.up", ("k", "up"), "scroll_up", "Up", "Scroll up a line", "paper_text"),
    _("text.top", ("g", "home"), "scroll_top", "Top", "To the top", "paper_text"),
    _("text.bottom", ("G", "end"), "scroll_bottom", "Bottom", "To the end", "paper_text"),
    _("text.page_down", ("space", "pagedown"), "page_down", "Page down", "Page down",
      "paper_text"),
    _("text.page_up", ("pageup",), "page_up", "Page up", "Page up", "paper_text"),
    _("text.contents", ("t",), "contents", "Contents",
      "Table of contents: go to a section", "paper_text", show=True),
    _("text.find", ("slash",), "find", "Find", "Find in the text (enter: go, esc: close)",
      "paper_text", show=True),
    _("text.next", ("n",), "find_next", "Next match", "Next match of the find", "paper_text"),
    _("text.previous", ("N",), "find_previous", "Previous match",
      "Previous match of the find", "paper_text"),
    _("text.open_link", ("o",), "open_link", "Open link",
      "Open a numbered link of the text (http and https only; arXiv when there is no text)",
      "paper_text", show=True),
    _("text.copy_link", ("y",), "copy_link", "Copy link", "Copy a numbered link of the text",
      "paper_text"),
    _("text.comments", ("c",), "toggle_comments", "Comments",
      "Show the comments (again: the text)", "paper_text", show=True),
    _("text.back", ("escape",), "back", "Back",
      "Back to the text from the comments, else to the list (the place is remembered)",
      "paper_text", show=True),
    _("contents.cancel", ("escape", "q"), "dismiss(None)", "Cancel", "Close the contents",
      "contents"),
    _("text_links.cancel", ("escape", "q"), "dismiss(None)", "Cancel",
      "Close the links of the text", "text_links"),
    # The pop-up screens. One rule for all of them: ctrl+s saves an editor (enter too in
    # one-line ones), ctrl+d discards it (asking first if anything changed), and esc
    # leaves: the note editor keeps what was typed, the tags editor asks about changed
    # tags, the other dialogs (choices) close.
    _("help.close", ("escape", "q", "question_mark"), "dismiss", "Close", "Close the help",
      "help"),
    _("links.cancel", ("escape", "q"), "cancel", "Close", "Close the link menu", "links"),
    _("jump.cancel", ("escape",), "cancel", "Close", "Close without going", "jump"),
    _("note.save", ("ctrl+s", "escape"), "save", "Save",
      "Save the note and close (esc too: it keeps what you typed)", "note"),
    _("note.discard", ("ctrl+d",), "discard", "Discard",
      "Close without saving the note (asks first if you changed it)", "note", priority=True),
    _("tags.save", ("ctrl+s",), "save", "Save", "Save the tags and close (enter too)", "tags"),
    _("tags.discard", ("ctrl+d",), "discard", "Discard",
      "Close without changing the tags (asks first if you changed them)", "tags",
      priority=True),
    _("tags.cancel", ("escape",), "cancel", "Close",
      "Close; asks whether to save tags you changed", "tags"),
    _("export.cancel", ("escape",), "cancel", "Close", "Close without exporting", "export"),
    _("confirm.yes", ("y",), "answer(True)", "Yes", "Answer yes", "confirm"),
    _("confirm.no", ("n",), "answer(False)", "No", "Answer no", "confirm"),
    _("confirm.cancel", ("escape",), "cancel", "Back", "Back, changing nothing", "confirm"),
    _("watches.rename", ("r",), "rename", "Rename", "Rename the watch", "watches"),
    _("watches.delete", ("d",), "delete", "Delete", "Delete the watch (asks first)", "watches"),
    _("watches.close", ("escape", "q"), "dismiss(None)", "Close", "Close the watches",
      "watches"),
    _("watches.name_cancel", ("escape",), "dismiss(None)", "Cancel",
      "Close without naming the watch", "watch_name"),
)  # fmt: skip

#: Every command by id.
BY_ID: dict[str, Command] = {command.id: command for command in COMMANDS}

#: Every command id with its default keys (what the config file's [keys] section overrides).
ACTIONS: dict[str, tuple[str, ...]] = {command.id: command.keys for command in COMMANDS}


def scoped(scope: str) -> tuple[Command, ...]:
    """The commands whose keys are active in ``scope``, in table order."""
    return tuple(command for command in COMMANDS if command.scope == scope)


def group_of(command_id: str) -> str:
    """The help screen's heading of a command."""
    command = BY_ID.get(command_id)
    if command is not None and command.scope == "detail":
        return GROUPS["detail"]
    if command is not None and command.scope == "paper_text":
        return GROUPS["text"]
    return GROUPS.get(command_id.split(".")[0], "Other")
