"""The errors of talking to the Hugging Face API.

They live apart from the client so that the app and the CLI can catch them without
importing httpx (which costs start-up time) before the first request.
"""

from __future__ import annotations

__all__ = [
    "BadRequest",
    "BadResponse",
    "Cancelled",
    "HFError",
    "InvalidJSON",
    "InvalidPaperId",
    "NetworkError",
    "NoFullText",
    "NotFound",
    "RateLimited",
    "ServerError",
]


class HFError(Exception):
    """Base of every error the client raises; ``str(e)`` is one line for a person."""


class NetworkError(HFError):
    """The server could not be reached, or the connection timed out or dropped."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        #: Short: "no network", "timed out" or "connection dropped".
        self.reason = reason


class RateLimited(HFError):
    """HTTP 429 that did not go away; ``retry_after`` is the server's wait in seconds."""

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerError(HFError):
    """HTTP 5xx that did not go away."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class BadRequest(HFError):
    """HTTP 400 (or another 4xx but 404/429): the server refused what was asked."""


class InvalidPaperId(BadRequest, ValueError):
    """A paper id that is not an arXiv id; raised before anything is sent."""


class NotFound(HFError):
    """HTTP 404."""


class NoFullText(NotFound):
    """HTTP 404 for a paper's full text: Hugging Face has no text for it."""


class BadResponse(HFError):
    """A body that is not JSON, not of the expected shape, or too large."""


class InvalidJSON(BadResponse):
    """A 2xx answer whose body is not JSON (an error page of a proxy, a cut-off body)."""


class Cancelled(HFError):
    """The client was closed (the app is quitting) while a request or a wait was on."""
