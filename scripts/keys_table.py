"""Print (or write into README.md) the key table, generated from the default bindings.

    python scripts/keys_table.py           # print it
    python scripts/keys_table.py --write   # replace the table in README.md

tests/unit/test_readme.py fails when the README's table and the bindings differ.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- keys:begin -->", "<!-- keys:end -->"


def keys_table() -> str:
    from textual.binding import Binding

    from paperreader.ui.app import PaperReaderApp
    from paperreader.ui.screens.help import help_rows
    from paperreader.ui.widgets.detail import DetailPane
    from paperreader.ui.widgets.paper_list import PaperList

    pairs: list[tuple[str, Binding]] = []
    for cls in (PaperReaderApp, PaperList, DetailPane):
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            text = PaperReaderApp.ACTION_HELP.get(binding.id or "", binding.tooltip)
            described = replace(binding, tooltip=text)
            pairs.extend((key.strip(), described) for key in binding.key.split(","))
    lines = ["| keys | what they do |", "|---|---|"]
    for heading, rows in help_rows(pairs).items():
        lines.append(f"| **{heading}** | |")
        for keys, description in rows:
            shown = ", ".join(f"`{k}`" for k in keys.split(", "))
            lines.append(f"| {shown} | {description.replace('|', '/')} |")
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
