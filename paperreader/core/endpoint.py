"""The address of the Hugging Face API: ``HF_ENDPOINT``, checked once, shown safely.

``endpoint()`` reads ``HF_ENDPOINT`` (or takes a given address) and returns it as a base
URL, or raises ``BadEndpoint`` with one line that says what is wrong: it must be an
http(s) address with a host and, if any, a valid port, and nothing after its path. The
CLI checks it before doing anything else, so a bad value is one line and exit code 2.

An address may carry credentials (``http://user:secret@proxy``): they are used for the
requests but never shown. ``redact()`` removes them from an address for every message.

Kept small and free of httpx: the CLI checks the address before anything is imported.
"""

from __future__ import annotations

import os
import re
from urllib.parse import SplitResult, urlsplit

from paperreader.core.errors import HFError

DEFAULT_BASE_URL = "https://huggingface.co"

# Host names as DNS has them (after IDNA encoding): labels of letters, digits and hyphens.
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)
# Everything that is not printable ASCII (controls, spaces, non-ASCII).
_UNPRINTABLE = re.compile(r"[^!-~]")


class BadEndpoint(HFError):
    """``HF_ENDPOINT`` (or a given address) is not a usable http(s) address."""


def redact(url: str) -> str:
    """``url`` without the ``user:password@`` part of its host, if it has one."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = len(rest)
    for stop in "/?#":
        index = rest.find(stop)
        if index != -1:
            end = min(end, index)
    authority = rest[:end]
    if "@" not in authority:
        return url
    return f"{scheme}://{authority.rpartition('@')[2]}{rest[end:]}"


def endpoint(value: str | None = None) -> str:
    """The API's base URL: ``value``, else ``HF_ENDPOINT``, else huggingface.co.

    Raises ``BadEndpoint`` (one line, credentials and control characters never shown).
    """
    given = value if value is not None else os.environ.get("HF_ENDPOINT")
    name = "HF_ENDPOINT" if value is None else "the API address"
    base = (given or "").strip()
    if not base:
        return DEFAULT_BASE_URL
    problem = _problem(base)
    if problem is not None:
        shown = redact(base)
        if _UNPRINTABLE.search(shown):
            shown = _UNPRINTABLE.sub("?", shown)
        raise BadEndpoint(
            f"{name} {shown[:120]!r} is not usable: {problem} "
            f"(expected an address like {DEFAULT_BASE_URL})"
        )
    return base.rstrip("/")


def _problem(base: str) -> str | None:
    """What is wrong with ``base`` as the API's address; None if nothing."""
    if _UNPRINTABLE.search(base):
        return "it contains spaces, control or non-ASCII characters"
    try:
        parts = urlsplit(base)
    except ValueError as error:  # "Invalid IPv6 URL", a bad bracketed host
        return f"it cannot be read ({str(error).rstrip('.')})"
    if parts.scheme.lower() not in ("http", "https"):
        return "it must start with http:// or https://"
    if parts.query or parts.fragment or base.endswith(("?", "#")):
        return "it must not have a query (?) or a fragment (#)"
    host_problem = _host_problem(parts)
    if host_problem is not None:
        return host_problem
    try:
        port = parts.port
    except ValueError:
        return "the port must be a number from 1 to 65535"
    if port == 0:
        return "the port must be a number from 1 to 65535"
    return None


def _host_problem(parts: SplitResult) -> str | None:
    host = parts.hostname
    if not host:
        return "it has no host"
    if "[" in parts.netloc:  # an IPv6 literal
        import ipaddress  # here: rarely needed, and the CLI imports this module at start

        try:
            ipaddress.IPv6Address(host.split("%")[0])
        except ValueError:
            return "the host is not a valid IPv6 address"
        return None
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in host.split(".")):
        return "the host is not a valid host name"
    return None
