"""The export formats by name, apart from the exporters: the command line lists them in
its help without importing ``export`` (and its csv, unicodedata...) at every start."""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("json", "markdown", "bibtex", "csv")

_EXTENSIONS = {"json": "json", "markdown": "md", "bibtex": "bib", "csv": "csv"}


def unknown_format(fmt: object) -> ValueError:
    return ValueError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")


def file_extension(fmt: str) -> str:
    """The usual file name extension (without the dot) for a format of ``FORMATS``."""
    try:
        return _EXTENSIONS[fmt.strip().lower()]
    except KeyError:
        raise unknown_format(fmt) from None
