"""Print (or write into README.md) the key table, generated from the command table.

    python scripts/keys_table.py           # print it
    python scripts/keys_table.py --write   # replace the table in README.md

tests/unit/test_readme.py fails when the README's table and the command table differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- keys:begin -->", "<!-- keys:end -->"


def keys_table() -> str:
    """The reader's commands (the reader, the list, the detail, the full text) from the
    command table."""
    from paperreader.core.commands import COMMANDS, GROUPS, group_of
    from paperreader.ui.bindings import key_label

    groups: dict[str, list[tuple[str, str]]] = {heading: [] for heading in GROUPS.values()}
    for command in COMMANDS:
        if command.scope in ("app", "list", "detail", "paper_text"):
            keys = ", ".join(f"`{key_label(key)}`" for key in command.keys)
            groups[group_of(command.id)].append((keys, command.help))
    lines = ["| keys | what they do |", "|---|---|"]
    for heading, rows in groups.items():
        if rows:
            lines.append(f"| **{heading}** | |")
            lines.extend(f"| {keys} | {what.replace('|', '/')} |" for keys, what in rows)
    return "\n".join(lines)


def replace_in_readme(text: str, table: str) -> str:
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{table}\n{END}{tail}"


if __name__ == "__main__":
    table = keys_table()
    if "--write" in sys.argv:
        README.write_text(replace_in_readme(README.read_text(), table))
    else:
        print(table)
