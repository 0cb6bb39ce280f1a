"""HFClient against httpx.MockTransport: no network, no real sleeping."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from paperreader import __version__
from paperreader.core.client import (
    BadRequest,
    BadResponse,
    HFClient,
    HFError,
    InvalidPaperId,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
    parse_rate_limit,
    parse_retry_after,
)
from paperreader.core.periods import Period

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE = "https://hf.test"

Handler = Callable[[httpx.Request], httpx.Response]


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


DAILY_ITEM = load("daily-item.json")


def item(n: int) -> dict[str, Any]:
    """A real daily item with its id changed to ``2608.<n>``."""
    data: dict[str, Any] = copy.deepcopy(DAILY_ITEM)
    data["paper"]["id"] = f"2608.{n:05d}"
    return data


def items(start: int, count: int) -> list[dict[str, Any]]:
    return [item(n) for n in range(start, start + count)]


class FakeClock:
    """A clock that only moves when the client sleeps; records every wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


class Server:
    """Serves responses from a handler and records every request it gets."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def params(self, index: int = -1) -> dict[str, str]:
        return dict(self.requests[index].url.params)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make(clock: FakeClock) -> Iterator[Callable[..., tuple[HFClient, Server]]]:
    clients: list[HFClient] = []

    def factory(handler: Handler, **kwargs: Any) -> tuple[HFClient, Server]:
        server = Server(handler)
        options: dict[str, Any] = {"sleep": clock.sleep, "clock": clock.time}
        options.update(kwargs)
        base = options.pop("base_url", BASE)
        client = HFClient(base, transport=httpx.MockTransport(server), **options)
        clients.append(client)
        return client, server

    yield factory
    for client in clients:
        client.close()


def json_response(data: object, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=data, headers=headers)


# Pagination ------------------------------------------------------------------------------


def test_pages_until_a_short_page(make: Any) -> None:
    pages = {0: items(0, 100), 1: items(100, 100), 2: items(200, 37)}
    client, server = make(lambda r: json_response(pages[int(r.url.params["p"])]))

    result = client.daily_papers(Period.day(date(2026, 8, 11)))

    assert [server.params(i)["p"] for i in range(3)] == ["0", "1", "2"]
    assert len(server.requests) == 3
    assert len(result.papers) == 237
    assert result.papers[0].id == "2608.00000"
    assert result.papers[-1].id == "2608.00236"
    assert client.requests_made == 3


def test_exact_multiple_of_limit_ends_with_empty_page(make: Any) -> None:
    pages = {0: items(0, 100), 1: items(100, 100), 2: []}
    client, server = make(lambda r: json_response(pages[int(r.url.params["p"])]))

    result = client.daily_papers(Period.day(date(2026, 8, 11)))

    assert len(server.requests) == 3
    assert len(result.papers) == 200


def test_max_pages_stops_paging(make: Any) -> None:
    client, server = make(lambda r: json_response(items(int(r.url.params["p"]) * 10, 10)))

    result = client.daily_papers(limit=10, max_pages=4)

    assert len(server.requests) == 4
    assert len(result.papers) == 40


def test_server_ignoring_p_does_not_loop(make: Any) -> None:
    client, server = make(lambda r: json_response(items(0, 5)))

    result = client.daily_papers(limit=5)

    assert len(server.requests) == 2
    assert len(result.papers) == 5
    assert result.duplicates == 5


def test_merges_pages_deduplicating_and_counting(make: Any) -> None:
    bad = [{"paper": {"id": "../../x", "title": "evil"}}, {"paper": {"title": "no id"}}, 42]
    pages = {
        0: [*items(0, 3), item(1), bad[0]],  # 5 items: one duplicate, one skipped
        1: [item(2), item(3), *bad[1:]],  # 4 items: one duplicate of page 0, two skipped
    }
    client, _ = make(lambda r: json_response(pages[int(r.url.params["p"])]))

    result = client.daily_papers(limit=5)

    assert [p.id for p in result.papers] == ["2608.00000", "2608.00001", "2608.00002", "2608.00003"]
    assert result.skipped == 3
    assert result.duplicates == 2


@pytest.mark.parametrize(("asked", "sent"), [(500, "100"), (100, "100"), (0, "1"), (-3, "1")])
def test_daily_limit_is_clamped(make: Any, asked: int, sent: str) -> None:
    client, server = make(lambda r: json_response([]))

    client.daily_papers(limit=asked)

    assert server.params()["limit"] == sent


# Parameters and headers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "key", "value"),
    [
        (Period.day(date(2026, 8, 11)), "date", "2026-08-11"),
        (Period.week_of(date(2026, 8, 11)), "week", "2026-W33"),
        (Period.month_of(date(2026, 8, 11)), "month", "2026-08"),
    ],
)
def test_period_params(make: Any, period: Period, key: str, value: str) -> None:
    client, server = make(lambda r: json_response([]))

    client.daily_papers(period)

    request = server.requests[0]
    assert request.url.path == "/api/daily_papers"
    assert server.params() == {key: value, "p": "0", "limit": "100", "sort": "publishedAt"}


def test_trending_still_sends_the_period_and_submitter(make: Any) -> None:
    client, server = make(lambda r: json_response([]))

    client.daily_papers(Period.day(date(2026, 8, 11)), sort="trending", submitter="akhaliq")

    assert server.params() == {
        "date": "2026-08-11",
        "p": "0",
        "limit": "100",
        "sort": "trending",
        "submitter": "akhaliq",
    }


def test_no_period_sends_no_date(make: Any) -> None:
    client, server = make(lambda r: json_response([]))

    client.daily_papers()

    assert set(server.params()) == {"p", "limit", "sort"}


def test_headers(make: Any) -> None:
    client, server = make(lambda r: json_response([]))

    client.search("llama")

    headers = server.requests[0].headers
    assert headers["User-Agent"] == (
        f"paperreader/{__version__} (+https://github.com/paperreader/paperreader)"
    )
    assert headers["Accept"] == "application/json"


def test_hf_endpoint_env_var(monkeypatch: pytest.MonkeyPatch, make: Any) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "https://mirror.example/hf/")
    client, server = make(lambda r: json_response([]), base_url=None)

    client.daily_papers()

    assert client.base_url == "https://mirror.example/hf"
    assert str(server.requests[0].url).startswith("https://mirror.example/hf/api/daily_papers?")


def test_default_base_url_and_argument_beats_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    with HFClient() as client:
        assert client.base_url == "https://huggingface.co"
    monkeypatch.setenv("HF_ENDPOINT", "https://mirror.example")
    with HFClient("https://other.example//") as client:
        assert client.base_url == "https://other.example"


def test_trailing_slash_is_stripped(make: Any) -> None:
    client, server = make(lambda r: json_response([]), base_url="https://hf.test/")

    client.search("x")

    assert client.base_url == "https://hf.test"
    assert server.requests[0].url.path == "/api/papers/search"


@pytest.mark.parametrize("base", ["ftp://hf.test", "huggingface.co", "https://"])
def test_bad_base_url(base: str) -> None:
    with pytest.raises(HFError, match="http"):
        HFClient(base)


def test_context_manager_closes(make: Any) -> None:
    client, _ = make(lambda r: json_response([]))

    with client as entered:
        assert entered is client
    assert client._http.is_closed


# Search and single papers ----------------------------------------------------------------


def test_search_parses_fixture(make: Any) -> None:
    client, server = make(lambda r: json_response(load("search-llama.json")))

    result = client.search("  llama ")

    assert server.params() == {"q": "llama", "limit": "120"}
    assert len(result.papers) == 11
    assert result.papers[0].id == "2407.21783"
    assert result.skipped == 0


@pytest.mark.parametrize(("asked", "sent"), [(1000, "120"), (5, "5"), (0, "1")])
def test_search_limit_is_clamped(make: Any, asked: int, sent: str) -> None:
    client, server = make(lambda r: json_response([]))

    client.search("kazakh", limit=asked)

    assert server.params()["limit"] == sent


def test_empty_search_sends_nothing(make: Any) -> None:
    client, server = make(lambda r: json_response([item(1)]))

    assert client.search("   ").papers == ()
    assert server.requests == []


def test_paper_by_id(make: Any) -> None:
    client, server = make(lambda r: json_response(DAILY_ITEM["paper"]))

    paper = client.paper("2608.09888v2")

    assert server.requests[0].url.path == "/api/papers/2608.09888"
    assert paper.id == "2608.09888"
    assert paper.title


def test_paper_404(make: Any) -> None:
    client, _ = make(lambda r: json_response({"error": "Paper not found"}, 404))

    with pytest.raises(NotFound, match=r"2501\.00001"):
        client.paper("2501.00001")


@pytest.mark.parametrize("bad", ["../../x", "2501.00001/../../api", "", "abc", "2501.1"])
def test_invalid_paper_id_sends_nothing(make: Any, bad: str) -> None:
    client, server = make(lambda r: json_response(DAILY_ITEM["paper"]))

    with pytest.raises(InvalidPaperId) as caught:
        client.paper(bad)

    assert isinstance(caught.value, BadRequest)
    assert isinstance(caught.value, ValueError)
    assert server.requests == []
    assert client.requests_made == 0


@pytest.mark.parametrize("body", [[DAILY_ITEM["paper"]], {"id": "2608.09888"}, "paper"])
def test_paper_bad_shape(make: Any, body: object) -> None:
    client, _ = make(lambda r: json_response(body))

    with pytest.raises(BadResponse):
        client.paper("2608.09888")


# Error statuses --------------------------------------------------------------------------


def test_400_shows_the_server_error(make: Any) -> None:
    error = 'Invalid query: "limit" expected number to be <=100\x1b[31m\n'
    client, server = make(lambda r: json_response({"error": error}, 400))

    with pytest.raises(BadRequest) as caught:
        client.daily_papers()

    message = str(caught.value)
    assert "expected number to be <=100" in message
    assert "HTTP 400" in message
    assert "\x1b" not in message and "\n" not in message
    assert len(server.requests) == 1  # 4xx is not retried


def test_long_error_text_is_truncated(make: Any) -> None:
    client, _ = make(lambda r: json_response({"error": "x" * 5000}, 422))

    with pytest.raises(BadRequest) as caught:
        client.search("q")

    assert 200 <= len(str(caught.value)) < 300


def test_400_without_json_body(make: Any) -> None:
    client, _ = make(lambda r: httpx.Response(400, text="<html>Bad</html>"))

    with pytest.raises(BadRequest, match=r"HTTP 400\)$"):
        client.search("q")


def test_200_with_error_object_is_bad_response(make: Any) -> None:
    client, _ = make(lambda r: json_response({"error": "something odd"}))

    with pytest.raises(BadResponse, match="something odd"):
        client.daily_papers()


def test_503_retried_then_server_error(make: Any, clock: FakeClock) -> None:
    client, server = make(lambda r: httpx.Response(503, text="unavailable"))

    with pytest.raises(ServerError) as caught:
        client.daily_papers()

    assert caught.value.status == 503
    assert len(server.requests) == 4
    assert clock.waits == [0.5, 1.0, 2.0]


def test_5xx_then_success(make: Any, clock: FakeClock) -> None:
    answers = [httpx.Response(502), json_response([item(1)])]
    client, _ = make(lambda r: answers.pop(0))

    result = client.search("q")

    assert [p.id for p in result.papers] == ["2608.00001"]
    assert clock.waits == [0.5]


# Rate limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('"api";r=499;t=300', (499, 300.0)),
        ('"api"; r = 12 ; t = 7', (12, 7.0)),
        ('api;r="3";t="20"', (3, 20.0)),
        ("r=4", (4, None)),
        ('"api";r=100;t=30, "resolvers";r=2;t=10', (2, 10.0)),
        ("garbage", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_rate_limit(header: str | None, expected: tuple[int | None, float | None]) -> None:
    assert parse_rate_limit(header) == expected


def test_parse_retry_after() -> None:
    now = datetime(2026, 8, 11, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=42), usegmt=True)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(later, now) == 42.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None


def test_429_with_ratelimit_header_waits_t(make: Any, clock: FakeClock) -> None:
    answers = [
        json_response({"error": "rate limited"}, 429, RateLimit='"api";r=0;t=12'),
        json_response([item(1)], RateLimit='"api";r=499;t=300'),
    ]
    seen: list[tuple[float, str]] = []
    client, server = make(lambda r: answers.pop(0), on_wait=lambda s, why: seen.append((s, why)))

    result = client.search("q")

    assert len(result.papers) == 1
    assert clock.waits == [12.0]
    assert seen == [(12.0, "rate limited")]
    assert len(server.requests) == 2
    assert client.rate_limit_remaining == 499


def test_429_with_retry_after(make: Any, clock: FakeClock) -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "7"}), json_response([])]
    client, _ = make(lambda r: answers.pop(0))

    client.search("q")

    assert clock.waits == [7.0]


def test_429_without_headers_backs_off_then_raises(make: Any, clock: FakeClock) -> None:
    client, server = make(lambda r: httpx.Response(429))

    with pytest.raises(RateLimited) as caught:
        client.search("q")

    assert clock.waits == [1.0, 2.0, 4.0]
    assert len(server.requests) == 4
    assert caught.value.retry_after is None
    assert "wait" in str(caught.value)


def test_429_exhausted_reports_retry_after(make: Any, clock: FakeClock) -> None:
    client, _ = make(lambda r: httpx.Response(429, headers={"Retry-After": "30"}), max_retries=2)

    with pytest.raises(RateLimited, match="30 s") as caught:
        client.search("q")

    assert caught.value.retry_after == 30.0
    assert clock.waits == [30.0, 30.0]


def test_429_longer_than_max_wait_raises_at_once(make: Any, clock: FakeClock) -> None:
    client, server = make(lambda r: httpx.Response(429, headers={"RateLimit": '"api";r=0;t=250'}))

    with pytest.raises(RateLimited, match="250 s") as caught:
        client.search("q")

    assert caught.value.retry_after == 250.0
    assert clock.waits == []
    assert len(server.requests) == 1


def test_backoff_waits_are_capped(make: Any, clock: FakeClock) -> None:
    client, _ = make(lambda r: httpx.Response(429), max_retries=5, max_wait=3.0)

    with pytest.raises(RateLimited):
        client.search("q")

    assert clock.waits == [1.0, 2.0, 3.0, 3.0, 3.0]


def test_low_remaining_spreads_requests(make: Any, clock: FakeClock) -> None:
    client, _ = make(lambda r: json_response([], RateLimit='"api";r=2;t=10'))

    client.search("a")
    assert clock.waits == []
    client.search("b")
    assert clock.waits == [5.0]


def test_plenty_remaining_does_not_wait(make: Any, clock: FakeClock) -> None:
    client, _ = make(lambda r: json_response([], RateLimit='"api";r=5;t=10'))

    for query in "abc":
        client.search(query)

    assert clock.waits == []
    assert client.rate_limit_remaining == 5


def test_pacing_accounts_for_elapsed_time(make: Any, clock: FakeClock) -> None:
    client, _ = make(lambda r: json_response([], RateLimit='"api";r=1;t=10'))

    client.search("a")
    clock.now += 8
    client.search("b")

    assert clock.waits == [2.0]


def test_used_up_window_longer_than_max_wait_raises_without_sending(
    make: Any, clock: FakeClock
) -> None:
    client, server = make(lambda r: json_response([], RateLimit='"api";r=0;t=200'))

    client.search("a")
    with pytest.raises(RateLimited) as caught:
        client.search("b")

    assert len(server.requests) == 1
    assert caught.value.retry_after == 200.0
    clock.now += 200
    client.search("c")
    assert len(server.requests) == 2


# Network failures ------------------------------------------------------------------------


def test_connect_error_is_network_error_at_once(make: Any, clock: FakeClock) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    client, server = make(refuse)

    with pytest.raises(NetworkError) as caught:
        client.daily_papers()

    assert caught.value.reason == "no network"
    assert str(caught.value) == "No network: could not reach https://hf.test (connection refused)"
    assert len(server.requests) == 1
    assert clock.waits == []


def test_dns_failure(make: Any) -> None:
    def no_dns(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    client, _ = make(no_dns)

    with pytest.raises(NetworkError, match="name lookup failed"):
        client.search("q")


def test_timeout_retried_then_network_error(make: Any, clock: FakeClock) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client, server = make(slow)

    with pytest.raises(NetworkError) as caught:
        client.search("q")

    assert caught.value.reason == "timed out"
    assert "Timed out" in str(caught.value)
    assert len(server.requests) == 4
    assert client.requests_made == 4
    assert clock.waits == [0.5, 1.0, 2.0]


def test_dropped_connection_then_success(make: Any, clock: FakeClock) -> None:
    calls = 0

    def flaky(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        return json_response([item(3)])

    client, _ = make(flaky)

    assert [p.id for p in client.search("q").papers] == ["2608.00003"]
    assert clock.waits == [0.5]


# Bad bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [b"<html>Oops</html>", b'[{"paper": {"id": "2608.0', b"", b"[" * 100_000]
)
def test_non_json_is_bad_response(make: Any, body: bytes) -> None:
    client, _ = make(lambda r: httpx.Response(200, content=body))

    with pytest.raises(BadResponse, match="not valid JSON"):
        client.daily_papers()


def test_json_with_wrong_content_type_is_fine(make: Any) -> None:
    body = json.dumps([item(1)]).encode()
    client, _ = make(
        lambda r: httpx.Response(200, content=body, headers={"Content-Type": "text/html"})
    )

    assert len(client.search("q").papers) == 1


def test_object_instead_of_list(make: Any) -> None:
    client, _ = make(lambda r: json_response({"papers": []}))

    with pytest.raises(BadResponse, match="expected a list"):
        client.daily_papers()


def test_body_above_cap_with_content_length(make: Any) -> None:
    client, _ = make(lambda r: json_response(items(0, 20)), max_body_bytes=1000)

    with pytest.raises(BadResponse, match="too large"):
        client.search("q")


def test_streamed_body_above_cap_stops_reading(make: Any) -> None:
    pulled = 0

    def chunks() -> Iterator[bytes]:
        nonlocal pulled
        yield b"["
        for _ in range(1000):
            pulled += 1
            yield b'"' + b"x" * 510 + b'",'
        yield b'""]'

    client, _ = make(lambda r: httpx.Response(200, content=chunks()), max_body_bytes=4096)

    with pytest.raises(BadResponse, match="too large"):
        client.search("q")

    assert pulled < 20


def test_body_under_cap_is_read(make: Any) -> None:
    body = json.dumps([item(1)]).encode()
    client, _ = make(
        lambda r: httpx.Response(200, content=iter([body[:100], body[100:]])),
        max_body_bytes=len(body),
    )

    assert len(client.search("q").papers) == 1


def test_bad_items_skipped_and_counted(make: Any) -> None:
    page = [
        item(1),
        {"paper": {"id": "2608.00002"}},  # no title
        {"paper": {"id": "not-an-id", "title": "T"}},
        None,
        "string",
        item(2),
        item(1),
    ]
    client, _ = make(lambda r: json_response(page))

    result = client.search("q")

    assert [p.id for p in result.papers] == ["2608.00001", "2608.00002"]
    assert result.skipped == 4
    assert result.duplicates == 1
