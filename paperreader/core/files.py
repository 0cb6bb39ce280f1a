"""Writing files so that a failure never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file beside ``path``, then rename it into place.

    Raises OSError (with the temporary file removed) when the folder is missing,
    read-only or full.
    """
    folder = path.expanduser().resolve().parent
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path.expanduser())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
