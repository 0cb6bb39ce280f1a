"""Every folder and file paperreader uses, decided in one place.

User data (bookmarks, read marks) lives where platformdirs puts user data; fetched papers
live where it puts cache, so that deleting the cache loses nothing of the user's. On
Linux the XDG variables (``XDG_DATA_HOME``, ``XDG_CACHE_HOME``, ``XDG_CONFIG_HOME``) move
them, and that is how the tests point everything at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import platformdirs

APP_NAME = "paperreader"


class Paths(NamedTuple):
    data_dir: Path
    cache_dir: Path
    config_dir: Path

    @classmethod
    def default(cls) -> Paths:
        """The platform's folders, read afresh (so changed XDG variables take effect)."""
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def under(cls, root: Path) -> Paths:
        """All folders inside ``root`` (for tests and benchmarks)."""
        return cls(root / "data", root / "cache", root / "config")

    @property
    def user_db(self) -> Path:
        """Bookmarks and read marks: the user's own data."""
        return self.data_dir / "user.sqlite3"

    @property
    def cache_db(self) -> Path:
        """Papers and listings fetched from the network: safe to delete."""
        return self.cache_dir / "papers.sqlite3"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"
