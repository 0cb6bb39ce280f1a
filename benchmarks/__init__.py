"""paperreader's benchmarks, kept out of the wheel: ``python -m benchmarks.bench`` from the
repository's root (see ``benchmarks/bench.py`` and the README's Performance section).

* ``bench``: the command line, the run over sizes, the table and the targets;
* ``synthetic``: synthetic papers and the stores built from them;
* ``paint``: first paint of every way in, under a pseudo-terminal;
* ``search``: search per keystroke; ``cursor``: cursor and page-down latency in the app;
* ``sync``: ``sync_archive`` from a local FakeHub (``tools/fakehub.py``);
* ``common``: what they share (the screen size, statistics, the children's environment).
"""
