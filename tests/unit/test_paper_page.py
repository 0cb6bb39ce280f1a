"""The paper page in the core and the CLI: full texts, linked repositories, comments,
the store's size limit, ``in:text`` search, against the fake hub."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator

import pytest

from paperreader.core.client import HFClient
from paperreader.core.errors import NoFullText, NotFound
from paperreader.core.library import Library
from paperreader.core.models import Paper
from paperreader.core.paperpage import (
    Comment,
    PaperDetails,
    parse_comments,
    parse_details,
    threaded,
)
from paperreader.core.query import parse_query
from paperreader.core.store import Store
from tests.cli_run import run, serve
from tools.fakehub import FakeHub, make_item, paper_markdown

ITEMS = [
    make_item("2608.10001", "Top paper of the day", day="2026-08-21", upvotes=90, comments=4),
    make_item("2608.10002", "Second paper", day="2026-08-21", upvotes=50, comments=0),
    make_item("2608.10003", "Third paper", day="2026-08-21", upvotes=10, comments=2),
]


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    yield from serve(FakeHub(ITEMS), monkeypatch)


# Parsing -------------------------------------------------------------------------------


def test_details_are_parsed_tolerantly_most_liked_first() -> None:
    body = {
        "id": "2608.10001",
        "title": "T",
        "linkedModels": [
            {"id": "a/low", "likes": 1, "downloads": 5, "pipeline_tag": "text-generation"},
            {"id": "a/high", "likes": 99},
            {"id": "javascript:alert(1)", "likes": 1000},
            {"id": "../../etc/passwd"},
            {"likes": 5},
            "junk",
            {"id": "a/odd", "likes": "many", "downloads": -3},
        ],
        "numTotalModels": 40,
        "linkedDatasets": {"not": "a list"},
        "linkedSpaces": [{"id": "s/demo", "sdk": "gradio", "likes": 3}],
        "numTotalSpaces": "two",
    }
    details = parse_details(body)
    assert [r.id for r in details.models] == ["a/high", "a/low", "a/odd"]
    assert details.models[1].downloads == 5 and details.models[2].likes == 0
    assert details.total("model") == 40 and details.total("dataset") == 0
    assert details.total("space") == 1  # at least what is listed
    assert details.spaces[0].url == "https://huggingface.co/spaces/s/demo"
    assert details.paper is not None and details.paper.id == "2608.10001"
    assert details.links[0].url == "https://huggingface.co/a/high"
    assert PaperDetails.from_dict(details.to_dict()).to_dict() == details.to_dict()


def test_comments_are_plain_text_oldest_first_with_replies_under_parents() -> None:
    body = {
        "comments": [
            {
                "id": "b",
                "author": {"name": "bob", "fullname": "Bob \x1b]0;pwned\x07B"},
                "createdAt": "2026-08-12T00:00:00.000Z",
                "data": {
                    "latest": {"raw": "reply \x1b[31mred\x1b[0m [bold]x[/]"},
                    "parentCommentId": "a",
                },
            },
            {
                "id": "a",
                "author": {"name": "ann"},
                "createdAt": "2026-08-10T00:00:00.000Z",
                "data": {"latest": {"raw": "first"}},
            },
            {"id": "c", "createdAt": "2026-08-11T00:00:00Z", "data": {"hidden": True}},
            None,
            "junk",
        ]
    }
    comments = parse_comments(body)
    assert [c.id for c in comments] == ["a", "c", "b"]
    assert comments[2].text == "reply red [bold]x[/]"  # escapes gone, markup as written
    assert comments[2].author == "Bob B" and comments[2].handle == "bob"
    assert comments[1].hidden and comments[1].author == "(unknown)"
    assert [(d, c.id) for d, c in threaded(comments)] == [(0, "a"), (1, "b"), (0, "c")]
    again = Comment.from_dict(comments[2].to_dict())
    assert again == comments[2]


# The client and the library ------------------------------------------------------------


def test_client_reads_the_three_endpoints_and_tells_404_apart(hub: FakeHub) -> None:
    with HFClient(hub.url, max_retries=0) as client:
        text = client.full_text("2608.10001")
        assert text == paper_markdown(ITEMS[0])
        assert text.startswith("# Top paper of the day")
        assert len(client.comments("2608.10001")) == 4  # numComments
        details = client.paper_details("2608.10001")
        assert details.paper is not None
        hub.no_text.add("2608.10002")
        with pytest.raises(NoFullText, match=r"arxiv\.org/abs/2608\.10002"):
            client.full_text("2608.10002")
        with pytest.raises(NotFound):
            client.paper_details("2608.99999")
    assert hub.requests[0] == ("/papers/2608.10001.md", {})
    assert hub.requests[1] == ("/api/papers/2608.10001", {"field": "comments"})


def test_library_stores_then_reads_offline(hub: FakeHub, store: Store) -> None:
    online = Library(store, HFClient(hub.url, max_retries=0))
    first = online.full_text("2608.10001")
    assert first.origin == "network" and first.value
    again = online.full_text("2608.10001")
    assert again.origin == "cache" and again.value == first.value
    requests = len(hub.requests)
    assert len(requests_for(hub, ".md")) == 1  # the second came from the store
    answers = list(online.comments("2608.10001"))
    assert [a.origin for a in answers] == ["network"]
    assert [a.origin for a in online.paper_details("2608.10001")] == ["network"]
    assert len(hub.requests) == requests + 2

    offline = Library(store)
    assert offline.full_text("2608.10001").value == first.value
    (comments,) = offline.comments("2608.10001")
    assert comments.origin == "cache" and comments.value is not None
    assert len(comments.value) == 4
    nothing = offline.full_text("2608.10003")
    assert nothing.value is None and not nothing.missing and "not stored" in nothing.problem


def requests_for(hub: FakeHub, suffix: str) -> list[str]:
    return [path for path, _ in hub.requests if path.endswith(suffix)]


def test_a_404_says_so_and_a_network_failure_keeps_the_stored_text(
    hub: FakeHub, store: Store
) -> None:
    library = Library(store, HFClient(hub.url, max_retries=0, timeout=2))
    hub.no_text.add("2608.10002")
    missing = library.full_text("2608.10002")
    assert (
        missing.missing and missing.value is None and "arxiv.org/abs/2608.10002" in missing.problem
    )
    stored = library.full_text("2608.10001").value
    hub.stop()
    kept = library.full_text("2608.10001", refresh=True)
    assert kept.value == stored and kept.origin == "cache" and kept.offline
    assert "No network" in kept.problem
    failed = library.full_text("2608.10003")
    assert failed.value is None and failed.offline and not failed.missing


def test_texts_are_compressed_and_evicted_least_recently_read_never_bookmarked(
    store: Store,
) -> None:
    text = "word " * 20_000  # 100 KB
    store.set_bookmark(Paper("2608.00001", "Kept"))
    for number in range(1, 5):
        store.save_full_text(f"2608.0000{number}", text + str(number), limit=10**9)
    blob = store._read("SELECT body FROM full_texts WHERE paper_id = '2608.00002'")[0][0]
    assert len(blob) < 2_000 and zlib.decompress(blob).decode().startswith("word")
    store.full_text("2608.00002")  # read now: the most recently read
    dropped = store.save_full_text("2608.00005", text, limit=320_000)
    # 2608.00001 is bookmarked, 2608.00002 was just read: 3 then 4 go first.
    assert dropped == ["2608.00003", "2608.00004"]
    assert store.full_text_ids() == {"2608.00001", "2608.00002", "2608.00005"}
    # Their words left the index too.
    found = store.search(parse_query("word in:text"))
    assert {r.id for r in found} <= {"2608.00001", "2608.00002", "2608.00005"}


def test_in_text_search_finds_words_of_stored_texts_only(store: Store) -> None:
    papers = [Paper(f"2608.0100{i}", f"Paper {i}", summary="about cats") for i in range(3)]
    store.save_papers(papers, complete=True)
    store.save_full_text("2608.01000", "# T\n\nThe zygomorphic flower and cats.")
    store.save_full_text("2608.01001", "# T\n\nNothing special here.")
    assert [r.id for r in store.search(parse_query("zygomorphic in:text"))] == ["2608.01000"]
    assert store.search(parse_query("zygomorphic")) == ()  # normal search: not the texts
    assert [r.id for r in store.search(parse_query("zygo in:text"))] == ["2608.01000"]
    with_text = {r.id for r in store.search(parse_query("in:text"))}
    assert with_text == {"2608.01000", "2608.01001"}
    without = {r.id for r in store.search(parse_query("cats -in:text"))}
    assert without == {"2608.01002"}
    assert [r.id for r in store.search(parse_query("zygomorphic in:text id:2608.01001"))] == []


def test_has_model_filters_papers_whose_details_are_stored(store: Store) -> None:
    papers = [Paper(f"2608.0200{i}", f"Paper {i}") for i in range(2)]
    store.save_papers(papers, complete=True)
    store.save_details(
        "2608.02000", parse_details({"linkedModels": [{"id": "a/b"}], "numTotalModels": 1})
    )
    store.save_details("2608.02001", parse_details({}))
    assert [r.id for r in store.search(parse_query("has:model"))] == ["2608.02000"]
    assert store.search(parse_query("has:space")) == ()


# The CLI -------------------------------------------------------------------------------


def test_read_prints_markdown_then_works_offline(
    hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "read", "2608.10001")
    assert code == 0 and out.startswith("# Top paper of the day\n") and err == ""
    hub.stop()
    code, again, _ = run(capsys, "read", "2608.10001", "--offline")
    assert code == 0 and again == out
    code, out, err = run(capsys, "read", "2608.10002", "--offline")
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert "no stored full text" in err


def test_read_of_a_paper_without_text_suggests_arxiv(
    hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.no_text.add("2608.10002")
    code, out, err = run(capsys, "read", "2608.10002")
    assert code == 1 and out == ""
    assert err.strip() == (
        "paperreader: Hugging Face has no text for 2608.10002; "
        "read it on arXiv: https://arxiv.org/abs/2608.10002"
    )
    code, _, err = run(capsys, "read", "../../etc")
    assert code == 1 and "not an arXiv id" in err


def test_show_json_offline_lists_linked_repos_and_comments(
    hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "list")[0] == 0
    code, out, _ = run(capsys, "show", "2608.10001")
    assert code == 0 and "Linked repositories:" in out and "Comments: 4" in out
    hub.stop()
    code, out, err = run(capsys, "show", "2608.10001", "--json", "--offline")
    assert code == 0, err
    data = json.loads(out)
    assert data["id"] == "2608.10001" and data["title"] == "Top paper of the day"
    assert len(data["comments_list"]) == 4
    assert data["comments_list"][0]["text"].startswith("Comment 1:")
    linked = data["linked"]
    expected = FakeHub(ITEMS)._paper_by_id("2608.10001")
    assert linked["total_models"] == expected["numTotalModels"]
    assert [m["id"] for m in linked["models"]] == [m["id"] for m in expected["linkedModels"]]
    assert data["full_text_stored"] is False


def test_sync_full_text_fetches_bookmarked_papers(
    hub: FakeHub, capsys: pytest.CaptureFixture[str], paths: object
) -> None:
    assert run(capsys, "list")[0] == 0
    with Store.open() as store:
        for paper_id in ("2608.10001", "2608.10002", "2608.10003"):
            paper = store.paper(paper_id)
            assert paper is not None
            store.set_bookmark(paper)
    hub.no_text.add("2608.10003")
    code, out, err = run(capsys, "sync", "--full-text")
    assert code == 0, err
    assert out.strip() == (
        "Full texts of bookmarks: 2 fetched, 0 already stored, 1 not on Hugging Face, 0 failed"
    )
    assert "full texts: 3/3" in err
    code, out, _ = run(capsys, "sync", "--full-text")
    assert "0 fetched, 2 already stored" in out
    with Store.open() as store:
        assert store.full_text_ids() == {"2608.10001", "2608.10002"}


def test_hostile_page_is_cleaned_in_the_core(hub: FakeHub, store: Store) -> None:
    hub.fault = "hostile"
    library = Library(store, HFClient(hub.url, max_retries=0))
    text = library.full_text("2608.10001").value
    assert text is not None and "\x1b" not in text and "\x07" not in text
    assert "[bold]markup[/]" in text  # markup is data, left as written
    (comments,) = library.comments("2608.10001")
    assert comments.value is not None
    assert all("\x1b" not in c.text and "\x1b" not in c.author for c in comments.value)
    (details,) = library.paper_details("2608.10001")
    assert details.value is not None
    assert [r.id for r in details.value.models] == ["ok/model"]
    assert [r.id for r in details.value.spaces] == ["ok/space"]


def _plain(renderable: object) -> str:
    """What the detail pane shows, as plain text (wide: no line wraps)."""
    import io

    from rich.console import Console

    console = Console(width=400, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_detail_shows_linked_repos_comments_and_a_stored_text() -> None:
    from paperreader.ui.widgets.detail import render_paper

    details = parse_details(
        {
            "linkedModels": [{"id": "a/small", "likes": 2}, {"id": "a/big", "likes": 50}],
            "numTotalModels": 9,
            "linkedSpaces": [{"id": "s/[bold]x", "likes": 1}, {"id": "s/demo", "sdk": "[b]"}],
        }
    )
    comments = parse_comments(
        [{"id": "1", "author": {"name": "ann"}, "data": {"latest": {"raw": "[red]hi[/]"}}}]
    )
    paper = Paper("2608.10001", "T")
    text = render_paper(
        paper,
        read=False,
        bookmarked=False,
        details=details,
        comments=comments,
        full_text_stored=True,
    )
    text = _plain(text)
    assert "stored: f reads it" in text
    assert "9 models · 0 datasets · 1 Space" in text
    assert text.index("huggingface.co/a/big") < text.index("huggingface.co/a/small")
    assert "… and 7 more" in text
    assert "https://huggingface.co/spaces/s/demo · [b]" in text  # the tag as written
    assert "Comments (1)" in text and "ann: [red]hi[/]" in text
    plain = _plain(render_paper(paper, read=False, bookmarked=False))
    assert "Linked" not in plain and "Comments (" not in plain and "Full text" not in plain


def test_full_text_cache_mb_is_read_from_the_config(tmp_path: object) -> None:
    from pathlib import Path

    from paperreader.core.config import parse_config

    path = Path("config.toml")
    assert parse_config("full_text_cache_mb = 50\n", path).full_text_cache_mb == 50
    bad = parse_config('full_text_cache_mb = "lots"\n', path)
    assert bad.full_text_cache_mb == 200
    assert bad.problems == (
        "config.toml:1: full_text_cache_mb must be a whole number, not str; using 200",
    )
    negative = parse_config("full_text_cache_mb = -1\n", path)
    assert negative.full_text_cache_mb == 200 and "from 0 to" in negative.problems[0]
