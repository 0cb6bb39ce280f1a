"""Limits on what users store."""

MAX_NOTE_CHARS = 1_000_000
