"""The local Hugging Face stand-in answers like the real API, counts, and misbehaves on cue."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from paperreader.core.models import parse_papers
from tools.fakehub import FakeHub, hostile_items, make_item, make_items


class Clock:
    """A clock the test moves by hand, for the rate-limit window."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# 2026-08-17 is a Monday (ISO week 2026-W34); 2026-08-24 starts W35.
SPEC = {"2026-08-17": 7, "2026-08-18": 3, "2026-08-21": 2, "2026-08-24": 4, "2026-09-01": 1}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def hub(clock: Clock) -> Iterator[FakeHub]:
    with FakeHub(make_items(SPEC), quota=20, window=300, clock=clock) as running:
        yield running


@pytest.fixture
def client(hub: FakeHub) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hub.url, timeout=5, verify=False) as http:
        yield http


def strings(value: object) -> Iterator[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def days_of(response: httpx.Response) -> set[str]:
    return {item["paper"]["submittedOnDailyAt"][:10] for item in response.json()}


def test_date_filter_orders_by_upvotes(client: httpx.Client) -> None:
    response = client.get("/api/daily_papers", params={"date": "2026-08-17"})
    assert response.status_code == 200
    assert days_of(response) == {"2026-08-17"}
    votes = [item["paper"]["upvotes"] for item in response.json()]
    assert len(votes) == 7
    assert votes == sorted(votes, reverse=True)


def test_week_month_and_latest_day(client: httpx.Client) -> None:
    week = client.get("/api/daily_papers", params={"week": "2026-W34"})
    assert days_of(week) == {"2026-08-17", "2026-08-18", "2026-08-21"}
    month = client.get("/api/daily_papers", params={"month": "2026-08"})
    assert len(month.json()) == 16
    latest = client.get("/api/daily_papers")
    assert days_of(latest) == {"2026-09-01"}
    weekend = client.get("/api/daily_papers", params={"date": "2026-08-22"})
    assert weekend.status_code == 200
    assert weekend.json() == []


def test_paging_with_link_header(client: httpx.Client) -> None:
    params = {"month": "2026-08", "limit": "6"}
    seen: list[str] = []
    url: str | None = "/api/daily_papers"
    pages = 0
    while url:
        response = client.get(url, params=params if pages == 0 else None)
        pages += 1
        seen += [item["paper"]["id"] for item in response.json()]
        link = response.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
        if link:
            assert link.endswith('; rel="next"')
    assert pages == 3
    assert len(seen) == len(set(seen)) == 16
    past_end = client.get("/api/daily_papers", params={**params, "p": "9"})
    assert past_end.json() == []
    assert "Link" not in past_end.headers


def test_bad_parameters_give_400(client: httpx.Client) -> None:
    response = client.get("/api/daily_papers", params={"limit": "101"})
    assert response.status_code == 400
    assert response.json() == {"error": '"limit" expected number to be <=100'}
    for params in ({"date": "2026-02-30"}, {"date": "yesterday"}, {"week": "2025-W53"}):
        bad = client.get("/api/daily_papers", params=params)
        assert bad.status_code == 400
        assert "error" in bad.json()
    # A day past the newest one published is refused, as the real API does.
    assert client.get("/api/daily_papers", params={"date": "2026-09-02"}).status_code == 400


def test_trending_ignores_the_period(client: httpx.Client) -> None:
    response = client.get("/api/daily_papers", params={"sort": "trending", "date": "2026-08-17"})
    assert len(response.json()) == sum(SPEC.values())
    votes = [item["paper"]["upvotes"] for item in response.json()]
    assert votes == sorted(votes, reverse=True)


def test_submitter_filter() -> None:
    items = [
        make_item("2608.00001", day="2026-08-17", submitter="alice"),
        make_item("2608.00002", day="2026-08-17", submitter="bob"),
    ]
    with FakeHub(items) as hub:
        response = httpx.get(
            f"{hub.url}/api/daily_papers", params={"date": "2026-08-17", "submitter": "bob"}
        )
    assert [item["paper"]["id"] for item in response.json()] == ["2608.00002"]


def test_search_and_paper_by_id() -> None:
    items = [
        make_item("2608.00001", "Llama scaling laws", summary="About llamas."),
        make_item("2608.00002", "Tokenizers", summary="A study of Llama tokenizers.", upvotes=9),
        make_item("2608.00003", "Unrelated", summary="Llamalike but not a word match."),
    ]
    with FakeHub(items) as hub, httpx.Client(base_url=hub.url) as client:
        found = client.get("/api/papers/search", params={"q": "LLAMA", "limit": "10"}).json()
        assert [item["paper"]["id"] for item in found] == ["2608.00001", "2608.00002"]
        assert all("submittedBy" not in item for item in found)
        assert client.get("/api/papers/search", params={"limit": "121"}).status_code == 400

        paper = client.get("/api/papers/2608.00002").json()
        assert paper["id"] == "2608.00002"
        assert "paper" not in paper
        assert parse_papers([paper]).papers[0].title == "Tokenizers"

        missing = client.get("/api/papers/2608.99999")
        assert missing.status_code == 404
        assert missing.json() == {"error": "Not Found"}


def test_requests_are_recorded(hub: FakeHub, client: httpx.Client) -> None:
    client.get("/api/daily_papers", params={"date": "2026-08-17", "limit": "5"})
    assert hub.requests == [("/api/daily_papers", {"date": "2026-08-17", "limit": "5"})]


def test_ratelimit_headers_count_down_and_quota_gives_429(
    hub: FakeHub, client: httpx.Client, clock: Clock
) -> None:
    assert hub.quota == 20
    remaining = []
    for _ in range(20):
        response = client.get("/api/daily_papers")
        assert response.status_code == 200
        assert response.headers["RateLimit-Policy"] == '"fixed window";"api";q=20;w=300'
        remaining.append(int(response.headers["RateLimit"].split("r=")[1].split(";")[0]))
    assert remaining == list(range(19, -1, -1))

    clock.now += 100
    blocked = client.get("/api/daily_papers")
    assert blocked.status_code == 429
    assert blocked.headers["RateLimit"] == '"api";r=0;t=200'

    clock.now += 200  # the window is over: a fresh one starts
    again = client.get("/api/daily_papers")
    assert again.status_code == 200
    assert again.headers["RateLimit"] == '"api";r=19;t=300'


def test_status_and_ratelimit_faults_set_at_runtime(hub: FakeHub, client: httpx.Client) -> None:
    hub.fault = "status:503"
    failed = client.get("/api/daily_papers")
    assert failed.status_code == 503
    assert "error" in failed.json()
    assert "RateLimit" in failed.headers

    hub.fault = "ratelimit:2"
    codes = [client.get("/api/daily_papers").status_code for _ in range(3)]
    assert codes == [429, 429, 200]

    hub.fault = "cdn429"
    cdn = client.get("/api/daily_papers")
    assert cdn.status_code == 429
    assert cdn.headers["Retry-After"] == "1"
    assert "RateLimit" not in cdn.headers

    hub.fault = None
    assert client.get("/api/daily_papers").status_code == 200
    with pytest.raises(ValueError):
        hub.fault = "explode"


def test_body_faults(hub: FakeHub, client: httpx.Client) -> None:
    hub.fault = "notjson"
    response = client.get("/api/daily_papers")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()

    hub.fault = "object"
    assert isinstance(client.get("/api/daily_papers").json(), dict)

    hub.fault = "truncated"
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/api/daily_papers")

    hub.fault = "slow:0.1"
    started = time.monotonic()
    assert client.get("/api/daily_papers").status_code == 200
    assert time.monotonic() - started >= 0.1


def test_hostile_items_reach_the_client_and_are_survivable(
    hub: FakeHub, client: httpx.Client
) -> None:
    hub.fault = "hostile"
    items = client.get("/api/daily_papers", params={"date": "2026-08-17"}).json()
    text = " ".join(strings(items))
    for attack in ("[bold]x[/]", "[link=https://evil]", "\x1b[31m", "\x1b]52;c;", "\u202e"):
        assert attack in text
    result = parse_papers(items)
    ids = {paper.id for paper in result.papers}
    assert {"2699.00001", "2699.00002", "2699.00003"} <= ids
    assert result.skipped > 0
    assert all("\x1b" not in paper.title for paper in result.papers)
    assert len(hostile_items()) > 5


def test_stopped_hub_refuses_connections() -> None:
    hub = FakeHub(make_items({"2026-08-17": 1}))
    url = hub.start()
    with httpx.Client(base_url=url) as client:
        assert client.get("/api/daily_papers").status_code == 200
        hub.stop()
        with pytest.raises(httpx.TransportError):
            client.get("/api/daily_papers")


def test_from_sample_serves_real_papers() -> None:
    with FakeHub.from_sample() as hub:
        latest = httpx.get(f"{hub.url}/api/daily_papers", params={"limit": "100"}).json()
        paper = httpx.get(f"{hub.url}/api/papers/2608.09888").json()
    assert len(latest) >= 10
    assert parse_papers(latest).skipped == 0
    assert paper["title"].startswith("BDH-CQ")
