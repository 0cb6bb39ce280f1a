"""Following what matters (#13): watches, similar papers, "for you", the digest, notify."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from paperreader.core.backup import make_backup, restore_backup
from paperreader.core.config import parse_config
from paperreader.core.digest import build_digest, remember, render
from paperreader.core.follow import WatchError, announce, run_notify
from paperreader.core.library import Library, Source
from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.query import parse_query
from paperreader.core.store import Store, StoreError

TOPICS = {
    "robot": "Robot manipulation with dexterous grasping policies for humanoid robot arms",
    "speech": "Speech recognition and spoken dialogue with streaming audio tokenizers",
    "diffusion": "Diffusion image generation with denoising samplers and latent guidance",
}


def paper(n: int, topic: str, day: int = 17, **changes: object) -> Paper:
    fields: dict[str, object] = {
        "id": f"2608.{n:05d}",
        "title": f"{TOPICS[topic].split(' with ')[0]} study {n}",
        "summary": f"{TOPICS[topic]}. Variant {n} of the {topic} line of work.",
        "authors": (f"Author {n}",),
        "listing_day": date(2026, 8, day),
        "upvotes": n,
        "ai_keywords": (topic,),
    }
    fields.update(changes)
    return Paper(**fields)  # type: ignore[arg-type]


@pytest.fixture
def library() -> Library:
    store = Store.open_memory()
    papers = [paper(n, topic) for n, topic in enumerate(list(TOPICS) * 10, start=1)]
    store.save_papers(papers, complete=True)
    return Library(store)


def test_a_watch_counts_its_papers_unread_and_new(library: Library) -> None:
    library.add_watch("Robots", "robot")
    library.store.set_read(["2608.00001", "2608.00004"])
    (watch,) = library.watches()
    assert (watch.name, watch.query, watch.total, watch.unread, watch.new) == (
        "Robots",
        "robot",
        10,
        8,
        0,
    )
    library.store.save_papers([paper(100, "robot", day=18), paper(101, "speech", day=18)])
    assert library.watches()[0].new == 1  # stored after the watch was made
    rows = library.watch_rows("robots")  # names are case-insensitive
    assert rows[0].id == "2608.00100"  # newest listing first
    assert all("Robot" in row.title for row in rows) and len(rows) == 11
    library.mark_watch_opened("Robots")
    assert library.watches()[0].new == 0


def test_a_watch_with_filters_and_exclusions(library: Library) -> None:
    library.add_watch("big diffusion", 'diffusion upvotes:>20 -"variant 24"')
    rows = library.watch_rows("big diffusion")
    assert [r.id for r in rows] == ["2608.00030", "2608.00027", "2608.00021"]
    counts = library.store.watch_counts([(parse_query("upvotes:>28"), 0)])
    assert counts[0].total == 2


def test_bad_watches_are_refused_with_the_search_message(library: Library) -> None:
    with pytest.raises(WatchError) as error:
        library.add_watch("x", "robot foo:bar")
    assert str(error.value) == parse_query("robot foo:bar").errors[0]
    with pytest.raises(WatchError, match="bad value"):
        library.add_watch("x", "upvotes:lots")
    with pytest.raises(WatchError, match="needs a name"):
        library.add_watch("  ", "robot")
    with pytest.raises(WatchError, match="words or filters"):
        library.add_watch("x", "   ")
    library.add_watch("x", "robot")
    with pytest.raises(StoreError, match="exists"):
        library.add_watch("X", "speech")


def test_rename_and_remove(library: Library) -> None:
    library.add_watch("a", "robot")
    library.add_watch("b", "speech")
    with pytest.raises(StoreError, match="exists"):
        library.rename_watch("a", "B")
    library.rename_watch("a", "robots")
    assert [w.name for w in library.watches()] == ["robots", "b"]
    library.remove_watch("b")
    with pytest.raises(WatchError, match="no watch named"):
        library.remove_watch("b")
    assert library.load_final(Source("watch", key="b")).problem.startswith("no watch")


def test_the_watch_source_loads_like_any_view(library: Library) -> None:
    library.add_watch("robots", "robot")
    (loaded,) = library.load(Source("watch", key="robots"))
    assert loaded.origin == "store" and len(loaded.rows) == 10
    assert not Source("watch", key="robots").accepts(Source("watch", key="other"))


def test_a_watch_has_a_first_screen_and_then_the_rest(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like the archive: the first page of a watch is read before the app starts, newest
    first, and the load then brings the rest, not the first page again."""
    import paperreader.core.library as core

    monkeypatch.setattr(core, "FIRST_PAGE", 4)
    library.add_watch("robots", "robot")
    source = Source("watch", key="robots")
    first = library.first_screen(source)
    assert first is not None and first.partial and len(first.rows) == 4
    days = [row.listing_day for row in first.rows]
    assert days == sorted(days, reverse=True)
    rest = list(library.load(source, known=first))
    assert [len(loaded.rows) for loaded in rest] == [10]
    assert [len(loaded.rows) for loaded in library.load(source)] == [4, 10]
    with pytest.raises(WatchError, match="no watch named"):
        library.first_screen(Source("watch", key="nope"))


def test_a_watchs_first_rows_are_the_first_of_all_its_rows(library: Library) -> None:
    """A first page is walked down the day index (many matches) or looked up and sorted
    (few): either way it is the start of the whole list, in its order."""
    library.store.save_papers(
        [paper(n, "robot", day=1 + n % 20) for n in range(40, 60)], complete=True
    )
    library.add_watch("robots", "robot")
    whole = library.watch_rows("robots")
    assert len(whole) == 30
    keys = [(row.listing_day, row.upvotes) for row in whole]
    assert keys == sorted(keys, reverse=True)
    for limit in (1, 3, 7, 29, 30, 31):  # walked for the small ones, looked up for the rest
        assert library.watch_rows("robots", limit=limit) == whole[:limit], limit


def test_a_filtered_watchs_first_page_looks_at_the_newest_days_first(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watch with a filter scans the papers: its first page is looked for among the
    newest days, then (when they hold too few) in the older ones; either way it is the
    start of the whole list."""
    from datetime import timedelta

    import paperreader.core.store.follow as planning

    monkeypatch.setattr(planning, "WINDOW_DAYS", 10)
    first_day = date(2026, 3, 1)
    library.store.save_papers(
        [
            paper(n, "robot", listing_day=first_day + timedelta(days=3 * n), upvotes=n % 7,
                  github_repo="https://github.com/a/b" if n % 2 else None)
            for n in range(100, 160)
        ]
        + [paper(200, "robot", listing_day=None, github_repo="https://github.com/c/d")],
        complete=True,
    )  # fmt: skip
    library.add_watch("robots with code", "robot has:code")
    whole = library.watch_rows("robots with code")
    assert len(whole) == 31 and whole[-1].id == "2608.00200"  # no day: last
    assert all(int(row.id[-3:]) % 2 for row in whole[:-1])
    days = [row.listing_day for row in whole[:-1]]
    assert days == sorted(days, reverse=True)
    for limit in (1, 2, 5, 30, 31, 40):  # within the 10 newest days, then beyond
        assert library.watch_rows("robots with code", limit=limit) == whole[:limit], limit


def test_watches_survive_deleting_the_cache_and_travel_in_backups(paths: Paths) -> None:
    with Store.open(paths) as store:
        store.save_papers([paper(1, "robot")])
        Library(store).add_watch("robots", "robot")
    paths.cache_db.unlink()
    with Store.open(paths) as store:
        assert [w.name for w in store.watch_records()] == ["robots"]
        backup = make_backup(store)
    assert backup["watches"][0]["name"] == "robots"
    elsewhere = Store.open_memory()
    elsewhere.add_watch("robots", "something else")  # kept as it is
    result = restore_backup(elsewhere, json.loads(json.dumps(backup)))
    assert result.watches == 0
    backup["watches"].append({"name": "speech", "query": "speech"})
    backup["watches"].append({"name": "bad", "query": "foo:bar"})
    result = restore_backup(elsewhere, backup)
    assert result.watches == 1 and "watch 3" in result.problems[0]
    assert {r.name: r.query for r in elsewhere.watch_records()} == {
        "robots": "something else",
        "speech": "speech",
    }
    del backup["watches"]  # a backup of before watches
    assert restore_backup(Store.open_memory(), backup).watches == 0


def test_similar_papers_share_the_topic_and_never_the_paper(library: Library) -> None:
    rows = library.similar("2608.00001", 5)
    assert rows and "2608.00001" not in {r.id for r in rows}
    assert all(r.title.startswith("Robot manipulation") for r in rows)
    assert library.similar("2608.99999") == ()
    (loaded,) = library.load(Source("similar", key="2608.00002"))
    assert all(r.title.startswith("Speech") for r in loaded.rows[:5])


def test_for_you_ranks_by_what_the_user_kept(library: Library) -> None:
    kept = library.store.paper("2608.00002")
    assert kept is not None
    library.store.set_bookmark(kept)
    ranked = library.for_you()
    assert "2608.00002" not in {s.row.id for s in ranked}
    assert all(s.row.title.startswith("Speech") for s in ranked[:9])
    assert ranked[0].reason == f"like: {kept.title}"
    assert ranked[-1].reason == "" and ranked[-1].score == 0.0
    given = library.store.archive_rows(6)
    assert len(library.for_you(given)) == len([r for r in given if r.id != "2608.00002"])


def test_the_digest_lists_days_and_watches(library: Library) -> None:
    store = library.store
    library.add_watch("robots", "robot")
    store.save_papers([paper(200, "robot", day=18, title="<script>alert(1)</script> robot")])
    digest = build_digest(store, date(2026, 8, 18))
    data = json.loads(render(digest, "json"))
    assert [d["day"] for d in data["days"]] == ["2026-08-18"]
    assert data["watches"][0]["name"] == "robots"
    assert [p["id"] for p in data["watches"][0]["papers"]] == ["2608.00200"]
    assert data["watches"][0]["papers"][0]["links"]["arxiv"] == "https://arxiv.org/abs/2608.00200"
    markdown = render(digest, "markdown")
    assert "### robots: 1 new paper" in markdown and "\\<script\\>" in markdown
    page = render(digest, "html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    remember(store, digest)
    assert build_digest(store, None).days == []  # nothing since the last one
    store.save_papers([paper(201, "speech", day=18)])  # late for a covered day
    assert [d for d, _, _ in build_digest(store, None).days] == ["2026-08-18"]


def test_notify_runs_an_argument_list_with_the_summary(tmp_path: Path, library: Library) -> None:
    out = tmp_path / "argv.json"
    script = tmp_path / "record.py"
    script.write_text(
        f"import json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    command = (sys.executable, str(script), "--title", "papers; rm -rf /")
    library.add_watch("robots", "robot")
    assert announce(library.store, command) == ("", None)  # nothing new yet
    library.store.save_papers([paper(300, "robot", day=19), paper(301, "robot", day=19)])
    line, problem = announce(library.store, command)
    assert problem is None and line == "paperreader sync: 2 new papers for robots"
    assert json.loads(out.read_text()) == ["--title", "papers; rm -rf /", line]
    assert announce(library.store, command) == ("", None)  # told once
    assert run_notify((sys.executable, str(script), "say %s!"), "hi") is None
    assert json.loads(out.read_text()) == ["say hi!"]
    assert "could not run" in (run_notify(("/no/such/program",), "x") or "")


def test_notify_command_in_the_config(tmp_path: Path) -> None:
    config = parse_config('notify_command = ["notify-send", "paperreader"]\n', tmp_path / "c")
    assert config.notify_command == ("notify-send", "paperreader") and not config.problems
    config = parse_config('notify_command = "notify-send x"\n', tmp_path / "c")
    assert config.notify_command == () and "must be a list" in config.problems[0]


def test_counts_on_two_connections_are_the_counts_on_one(store: Store) -> None:
    """Watches counted half on a second, read-only connection (two cores) give exactly
    what counting them all on the store's own connection gives."""
    from paperreader.core.query import parse_query

    topics = list(TOPICS)
    papers = [
        paper(n, topics[n % 3], day=1 + n % 28, upvotes=n % 30, github_repo=None)
        if n % 2
        else paper(n, topics[n % 3], day=1 + n % 28, upvotes=n % 30, github_repo="https://g/x")
        for n in range(1, 200)
    ]
    store.save_listing("month", "2026-08", papers)
    store.set_read([p.id for p in papers[::5]])
    queries = [
        (parse_query(text), seen)
        for text, seen in [
            (topics[0], 0),
            (f"{topics[1]} has:code", 40),
            (f"{topics[-1]} upvotes:>10", 0),
            (f"study -{topics[0]}", 100),
            ("study", 0),
            ("variant has:code", 0),
        ]
    ]
    assert store._reader() is not None  # on disk: the second connection is used
    alone = store.follow(lambda planner: planner.counts(queries))
    assert store.watch_counts(queries) == alone
    assert all(c.total > 0 for c in alone) and any(c.unread < c.total for c in alone)
    # In memory there is no second connection: the same counts, on one.
    memory = Store.open_memory()
    memory.save_listing("month", "2026-08", papers)
    assert memory._reader() is None
    assert memory.watch_counts(queries) == memory.follow(lambda p: p.counts(queries))
