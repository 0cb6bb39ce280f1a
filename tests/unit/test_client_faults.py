"""The client under faults: cancelling from another thread, bad HF_ENDPOINT values,
credentials in the address, and answers that are not JSON."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from paperreader.core.client import (
    BadEndpoint,
    Cancelled,
    HFClient,
    HFError,
    InvalidJSON,
    NetworkError,
)
from paperreader.core.endpoint import endpoint, redact
from tools.fakehub import make_item

ITEM = make_item("2608.00001", "A paper", day="2026-08-17")


def run_in_thread(work: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, errors


@pytest.fixture
def silent_server() -> Iterator[tuple[str, threading.Event]]:
    """A server that accepts connections and never answers; the event: one was made."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            held.append(connection)
            accepted.set()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    finally:
        server.close()
        for connection in held:
            connection.close()


# Cancelling -----------------------------------------------------------------------------


def test_close_from_another_thread_ends_a_retry_wait_at_once() -> None:
    asked = threading.Event()

    def rate_limited(request: httpx.Request) -> httpx.Response:
        asked.set()
        return httpx.Response(429, headers={"Retry-After": "30"})

    # The real sleep (no ``sleep=``): the client waits 30 s before trying again.
    client = HFClient("https://hf.test", transport=httpx.MockTransport(rate_limited))
    thread, errors = run_in_thread(client.daily_papers)
    assert asked.wait(5)
    time.sleep(0.1)  # into the wait
    started = time.monotonic()
    client.close()
    thread.join(5)
    assert not thread.is_alive()
    assert time.monotonic() - started < 1.0
    assert len(errors) == 1 and isinstance(errors[0], Cancelled), errors


def test_close_from_another_thread_wakes_a_request_waiting_for_an_answer(
    silent_server: tuple[str, threading.Event],
) -> None:
    url, accepted = silent_server
    client = HFClient(url, timeout=30)
    thread, errors = run_in_thread(client.daily_papers)
    assert accepted.wait(5)
    time.sleep(0.2)  # the request is sent and the client reads, waiting for an answer
    started = time.monotonic()
    client.close()
    thread.join(5)
    assert not thread.is_alive()
    assert time.monotonic() - started < 1.0
    # Cancelled, not "connection dropped" after retrying on a connection that was shut.
    assert len(errors) == 1 and isinstance(errors[0], Cancelled), errors


def test_a_closed_client_sends_nothing() -> None:
    sent: list[httpx.Request] = []
    client = HFClient(
        "https://hf.test", transport=httpx.MockTransport(lambda r: sent.append(r) or None)
    )
    client.close()
    with pytest.raises(Cancelled):
        client.search("anything")
    assert sent == []


def test_timeouts_are_short() -> None:
    with HFClient() as client:
        timeout = client._http.timeout
    assert timeout.connect is not None and timeout.connect <= 5
    assert timeout.read is not None and timeout.read <= 10


# HF_ENDPOINT ----------------------------------------------------------------------------

BAD_ENDPOINTS = {
    "http://[::1": "cannot be read",
    "http://127.0.0.1:abc": "port",
    "http://127.0.0.1:99999": "port",
    "http://127.0.0.1:0": "port",
    "http://exa\x1b[31mmple.com": "control",
    "http://host\x07": "control",
    "ftp://x": "http",
    "http://": "no host",
    "http://user:pw@": "no host",
    "https://:443": "no host",
    "huggingface.co": "http",
    "http://a..b": "host",
    "http://host name": "spaces",
    "http://host/?q=1": "query",
}


@pytest.mark.parametrize("value", BAD_ENDPOINTS)
def test_a_bad_endpoint_is_one_line_that_says_why(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", value)
    for make in (endpoint, HFClient):
        with pytest.raises(BadEndpoint) as caught:
            make()
        message = str(caught.value)
        assert message.startswith("HF_ENDPOINT ")
        assert BAD_ENDPOINTS[value] in message
        assert "\n" not in message and "\x1b" not in message and "\x07" not in message
        assert "pw@" not in message


@pytest.mark.parametrize(
    ("value", "base"),
    [
        ("", "https://huggingface.co"),
        ("  https://mirror.example/hf/ ", "https://mirror.example/hf"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://user:s3cret@proxy.example:3128", "http://user:s3cret@proxy.example:3128"),
    ],
)
def test_good_endpoints(monkeypatch: pytest.MonkeyPatch, value: str, base: str) -> None:
    monkeypatch.setenv("HF_ENDPOINT", value)
    assert endpoint() == base


def test_redact() -> None:
    assert redact("http://u:p@h:1/x?y=a@b") == "http://h:1/x?y=a@b"
    assert redact("http://h/x@y") == "http://h/x@y"
    assert redact("https://huggingface.co") == "https://huggingface.co"


SECRET_BASE = "https://user:s3cret@hf.test"


def _secret_client(handler: Callable[[httpx.Request], httpx.Response]) -> HFClient:
    return HFClient(
        SECRET_BASE, transport=httpx.MockTransport(handler), sleep=lambda s: None, max_retries=1
    )


def _raises(request: httpx.Request, error: type[httpx.HTTPError], text: str) -> httpx.Response:
    raise error(text, request=request)


@pytest.mark.parametrize(
    "handler",
    [
        lambda r: httpx.Response(500),
        lambda r: httpx.Response(404),
        lambda r: httpx.Response(400, json={"error": "no"}),
        lambda r: httpx.Response(429, headers={"Retry-After": "9999"}),
        lambda r: httpx.Response(200, content=b"<html>"),
        lambda r: httpx.Response(200, json={"odd": 1}),
        lambda r: _raises(r, httpx.ConnectError, f"cannot reach {SECRET_BASE}"),
        lambda r: _raises(r, httpx.ReadTimeout, "timed out"),
        lambda r: _raises(r, httpx.RemoteProtocolError, "dropped"),
        lambda r: _raises(r, httpx.ProxyError, f"proxy said no to {SECRET_BASE}"),
    ],
)
def test_credentials_never_appear_in_a_message(
    handler: Callable[[httpx.Request], httpx.Response],
) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return handler(request)

    client = _secret_client(record)
    with pytest.raises(HFError) as caught:
        client.daily_papers()
    assert "s3cret" not in str(caught.value)
    # ...but they are used: httpx sends them as basic authentication.
    assert sent[0].headers["Authorization"].startswith("Basic ")
    client.close()
    cancelled = pytest.raises(Cancelled)
    with cancelled:
        client.search("x")
    assert "s3cret" not in str(cancelled.excinfo.value)


# Answers that are not JSON --------------------------------------------------------------


def test_invalid_json_is_retried_then_said_so_not_offline() -> None:
    sent: list[httpx.Request] = []

    def html(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=b"<html>Bad gateway</html>")

    waits: list[float] = []
    client = HFClient("https://hf.test", transport=httpx.MockTransport(html), sleep=waits.append)
    with pytest.raises(InvalidJSON) as caught:
        client.daily_papers()
    assert not isinstance(caught.value, NetworkError)
    message = str(caught.value)
    assert "hf.test sent something that is not valid JSON (3 tries)" in message
    assert "offline" not in message.lower() and "network" not in message.lower()
    assert len(sent) == 3 and waits == [0.5, 1.0]


def test_invalid_json_once_is_retried_and_the_answer_used() -> None:
    answers = [b'[{"paper": {"id": "2608.0', json.dumps([ITEM]).encode()]

    def flaky(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=answers.pop(0))

    client = HFClient("https://hf.test", transport=httpx.MockTransport(flaky), sleep=lambda s: 0)
    assert [p.id for p in client.daily_papers().papers] == ["2608.00001"]


def test_no_retries_means_no_retry_for_invalid_json() -> None:
    sent: list[Any] = []

    def not_json(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=b"x")

    client = HFClient("https://hf.test", transport=httpx.MockTransport(not_json), max_retries=0)
    with pytest.raises(InvalidJSON, match=r"\(1 try\)"):
        client.search("q")
    assert len(sent) == 1
