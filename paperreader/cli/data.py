"""`export`, `backup`, `import` and `config`: the user's data and settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperreader.cli.common import (
    CLIError,
    _library,
    _say_notices,
    _write_atomic,
)

if TYPE_CHECKING:
    pass


def _export(fmt: str, output: str | None) -> int:
    from paperreader.core.export import export

    library = _library(offline=True)
    try:
        entries = library.export_entries()
        _say_notices(library.store)
    finally:
        library.close()
    text = export(entries, fmt)
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    _write_atomic(Path(output), text)
    print(f"Exported {len(entries)} bookmark(s) as {fmt} to {output}", file=sys.stderr)
    return 0


#: A backup smaller than this is read whole then parsed; a bigger one is parsed as it is
#: read (``read_backup``), so it is never held as bytes and as text at once.
READ_WHOLE_BELOW = 64 * 1024 * 1024


def _read_import(source: str) -> Any:
    """The parsed file to import (``-``: stdin), whatever its size; BackupError if it is
    not JSON, OSError if it cannot be read."""
    from paperreader.core.backup import load_backup, read_backup

    if source == "-":
        stream = getattr(sys.stdin, "buffer", None)
        return read_backup(stream) if stream is not None else load_backup(sys.stdin.read())
    with open(source, "rb") as handle:
        if os.fstat(handle.fileno()).st_size < READ_WHOLE_BELOW:
            return load_backup(handle.read())
        return read_backup(handle)


def _backup(output: str | None) -> int:
    from paperreader.core.backup import dump_backup

    library = _library(offline=True)
    try:
        data = library.backup()
        _say_notices(library.store)  # after reading: a damaged text found then is said too
    finally:
        library.close()
    text = dump_backup(data)
    if output is None or output == "-":
        sys.stdout.write(text)
        return 0
    _write_atomic(Path(output), text)
    counts = ", ".join(
        f"{len(data[key])} {word}"
        for key, word in (
            ("bookmarks", "bookmark(s)"),
            ("read", "read mark(s)"),
            ("notes", "note(s)"),
            ("tags", "tagged paper(s)"),
        )
    )
    print(f"Backed up {counts} to {output}", file=sys.stderr)
    return 0


def _import(source: str) -> int:
    from paperreader.core.backup import BackupError

    name = "stdin" if source == "-" else source
    try:
        try:
            data = _read_import(source)
        except OSError as error:
            raise CLIError(f"cannot read {name}: {error.strerror or error}") from None
        library = _library(offline=True)
        try:
            _say_notices(library.store)
            result = library.restore(data)
        finally:
            library.close()
    except BackupError as error:
        raise CLIError(f"cannot import {name}: {error}") from None
    print(result.summary())
    return 0


def _config(action: str, *, force: bool = False) -> int:
    from paperreader.core.config import default_config_text, load_config
    from paperreader.core.paths import Paths

    path = Paths.default().config_file
    if action == "path":
        print(path)
        return 0
    if action == "init":
        if path.exists() and not force:
            raise CLIError(f"{path} already exists (use --force to overwrite it)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CLIError(f"cannot create {path.parent}: {error.strerror or error}") from None
        _write_atomic(path, default_config_text())
        print(f"Wrote {path}")
        return 0
    config = load_config(path)
    for problem in config.problems:
        print(problem)
    if config.problems:
        return 1
    print(f"{path}: OK" if path.exists() else f"{path}: OK (no file: the defaults apply)")
    return 0
