"""The ``paperreader`` command: the command line, with no garbage collection while it
and the reader start.

Importing the core and Textual and building the first screen make nothing cyclic worth
collecting, and collections in the middle cost milliseconds of the first frame. The
collector is turned back on by the command line for every command but the reader, and
by the reader after its first frame.
"""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    from paperreader.cli import main as run

    return run()
