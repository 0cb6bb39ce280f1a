"""Searching the store: ranking, filters, typing, and the index kept in step with papers."""

from __future__ import annotations

from datetime import date

import pytest

from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.query import parse_query
from paperreader.core.store import Store
from paperreader.core.store.search import Planner

CORPUS = (
    Paper(
        "2608.00001",
        "Llama Goes Latent: Reasoning Without Words",
        summary="We study latent reasoning in large language models.",
        authors=("Jan Chorowski", "Ann Lee"),
        listing_day=date(2026, 8, 17),
        upvotes=120,
        github_repo="https://github.com/a/latent",
        github_stars=900,
        ai_keywords=("latent reasoning",),
        organization="Meta AI",
        organization_handle="facebook",
    ),
    Paper(
        "2608.00002",
        "A Survey of Diffusion Models",
        summary="Diffusion models are reviewed. We also discuss llama based text encoders.",
        authors=("Björn Ommer", "Wei Chen"),
        listing_day=date(2026, 8, 16),
        upvotes=40,
        organization="LMU Munich",
    ),
    Paper(
        "2608.00003",
        "Scaling Agents with Reinforcement Learning",
        summary="Agents trained with reinforcement learning at scale.",
        authors=("Zhichen Wang", "Li Na", "Third Person"),
        listing_day=date(2026, 8, 10),
        upvotes=75,
        github_repo="https://github.com/a/agents",
        github_stars=50,
        project_page="https://agents.example",
    ),
    Paper(
        "2608.00004",
        "Video Generation in Context",
        summary="In-context learning for video generation with diffusion transformers.",
        authors=("María José García",),
        listing_day=date(2026, 7, 31),
        upvotes=10,
        ai_summary="A video model that learns in context.",
    ),
    Paper(
        "2608.00005",
        "Efficient Attention for Long Documents",
        summary="A survey-free study of sparse attention; it beats the llama baseline.",
        authors=("Ann Leeds",),
        listing_day=date(2026, 8, 3),
        upvotes=51,
        organization="NVIDIA",
    ),
    Paper(
        "2608.00006",
        "Position: Benchmarks Are Broken",
        summary="We argue that benchmarks for agents are broken.",
        authors=("Sam Smith", "Jan Kowalski"),
        listing_day=date(2026, 8, 17),
        upvotes=50,
        project_page="https://broken.example",
    ),
    Paper(
        "2608.00007",
        "Multimodal Llamas See Better",
        summary="Vision language models from llama checkpoints.",
        authors=("Chen Li",),
        listing_day=date(2026, 6, 30),
        upvotes=5,
        ai_keywords=("vision language model", "llama"),
    ),
    Paper(
        "2608.00008",
        "Untitled Work on Nothing in Particular",
        summary="No matching words at all.",
        listing_day=None,
        upvotes=0,
    ),
)


@pytest.fixture(params=["small", "big"])
def corpus(request: pytest.FixtureRequest, store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The corpus, searched as is ("small": everything ranked) and as if it were a big
    archive ("big": every match set too big to rank, every filter leaving too many,
    every set of marks too big to look up one by one), which takes the other paths."""
    if request.param == "big":
        monkeypatch.setattr(Planner, "_RANK_AT_MOST", 1)
        monkeypatch.setattr(Planner, "_LOOK_UP_AT_MOST", 0)
    store.save_papers(CORPUS)
    return store


def ids(store: Store, text: str, *, prefix_last: bool = True) -> list[str]:
    query = parse_query(text)
    assert query.errors == (), query.errors
    return [row.id[-1] for row in store.search(query, prefix_last=prefix_last)]


# Ranking -----------------------------------------------------------------------------------


def test_a_title_match_ranks_above_an_abstract_match(corpus: Store) -> None:
    # 1 has "Llama" in its title; 2 and 5 only mention llama in the abstract.
    found = ids(corpus, "llama", prefix_last=False)
    assert found[0] == "1"
    assert set(found) == {"1", "2", "5", "7"}
    assert found.index("1") < found.index("2")
    assert found.index("1") < found.index("5")
    assert ids(corpus, "diffusion")[0] == "2"  # title beats 4's abstract


def test_all_words_must_match(corpus: Store) -> None:
    assert ids(corpus, "reinforcement agents") == ["3"]
    assert ids(corpus, "reinforcement llama") == []


def test_rows_are_complete(corpus: Store) -> None:
    (row,) = corpus.search(parse_query("reinforcement"))
    assert row.id == "2608.00003"
    assert row.title == "Scaling Agents with Reinforcement Learning"
    assert row.upvotes == 75
    assert row.github_stars == 50
    assert row.authors == "Zhichen Wang et al."
    assert row.listing_day == "2026-08-10"


def test_phrases_keep_word_order(corpus: Store) -> None:
    assert ids(corpus, '"latent reasoning"') == ["1"]
    assert ids(corpus, '"reasoning latent"') == []


def test_hyphenated_words_are_phrases(corpus: Store) -> None:
    assert ids(corpus, "in-context") == ["4"]
    assert ids(corpus, "context-in") == []


def test_fields_searched(corpus: Store) -> None:
    assert ids(corpus, "Kowalski") == ["6"]  # authors
    assert ids(corpus, "nvidia") == ["5"]  # organization
    assert ids(corpus, "checkpoints") == ["7"]  # abstract
    assert ids(corpus, "learns") == ["4"]  # AI summary
    assert "7" in ids(corpus, '"vision language model"')  # keywords


def test_limit(corpus: Store) -> None:
    assert len(corpus.search(parse_query("llama"), limit=2)) == 2


def test_excluded_words(corpus: Store) -> None:
    assert set(ids(corpus, "llama -survey")) == {"1", "7"}  # 2 has it in the title, 5 in text
    assert set(ids(corpus, "diffusion -video")) == {"2"}
    assert set(ids(corpus, '-"latent reasoning" is:unread')) == {"2", "3", "4", "5", "6", "7", "8"}


def test_only_excluded_words(corpus: Store) -> None:
    found = ids(corpus, "-llama -agents")
    assert set(found) == {"4", "8"}
    assert found == ["4", "8"]  # newest first; no listing day last


def test_prefix_while_typing(corpus: Store) -> None:
    assert set(ids(corpus, "lla")) == {"1", "2", "5", "7"}
    assert set(ids(corpus, "multimodal lla")) == {"7"}
    assert ids(corpus, "lla", prefix_last=False) == []
    assert ids(corpus, "reinforcement lea") == ["3"]


def test_a_one_letter_word_is_a_whole_word(corpus: Store) -> None:
    assert ids(corpus, "l") == []
    assert ids(corpus, "a") != []


def test_diacritics_and_case_are_folded(corpus: Store) -> None:
    assert ids(corpus, "Bjorn") == ["2"]
    assert ids(corpus, "björn") == ["2"]
    assert ids(corpus, "BJÖRN") == ["2"]
    assert ids(corpus, "garcia") == ["4"]


# Filters -----------------------------------------------------------------------------------


def test_filters_only_are_newest_first(corpus: Store) -> None:
    assert ids(corpus, "has:project") == ["6", "3"]
    assert ids(corpus, "upvotes:>=0") == ["1", "6", "2", "3", "5", "4", "7", "8"]


def test_empty_query_is_the_archive(corpus: Store) -> None:
    assert ids(corpus, "") == ["1", "6", "2", "3", "5", "4", "7", "8"]


def test_author_filter(corpus: Store) -> None:
    assert set(ids(corpus, "author:chen")) == {"2", "3", "7"}  # Zhichen counts: a substring
    assert ids(corpus, 'author:"Jan Chorowski"') == ["1"]
    assert set(ids(corpus, "author:jan")) == {"1", "6"}
    assert set(ids(corpus, "author:ann")) == {"1", "5"}
    assert ids(corpus, "author:bjorn") == ["2"]  # diacritics folded
    assert ids(corpus, "author:BJÖRN") == ["2"]
    assert ids(corpus, "author:Garcia") == ["4"]
    assert ids(corpus, "author:,") == []  # JSON punctuation is not in a name
    assert ids(corpus, "author:[") == []
    assert ids(corpus, "author:%") == []
    assert ids(corpus, "author:_") == []
    assert ids(corpus, "author:Chorowski latent") == ["1"]
    assert set(ids(corpus, "-author:chen author:an")) == {"1", "5", "6"}


def test_org_filter(corpus: Store) -> None:
    assert ids(corpus, "org:meta") == ["1"]
    assert ids(corpus, 'org:"meta ai"') == ["1"]
    assert ids(corpus, "org:munich diffusion") == ["2"]
    assert ids(corpus, "org:nothing") == []
    # The handle matches as well as the display name.
    assert ids(corpus, "org:facebook") == ["1"]


def test_read_and_bookmark_filters(corpus: Store) -> None:
    corpus.set_read(["2608.00001", "2608.00003"])
    corpus.set_bookmark(CORPUS[2])
    corpus.set_bookmark(CORPUS[6])
    assert set(ids(corpus, "is:read")) == {"1", "3"}
    assert set(ids(corpus, "is:unread")) == {"2", "4", "5", "6", "7", "8"}
    assert set(ids(corpus, "is:unread llama")) == {"2", "5", "7"}
    assert set(ids(corpus, "-is:read")) == set(ids(corpus, "is:unread"))
    assert set(ids(corpus, "is:bookmarked")) == {"3", "7"}
    assert ids(corpus, "is:bookmarked is:read") == ["3"]
    corpus.set_read(["2608.00001"], read=False)
    assert ids(corpus, "is:read") == ["3"]


def test_has_filters(corpus: Store) -> None:
    assert set(ids(corpus, "has:code")) == {"1", "3"}
    assert set(ids(corpus, "-has:code")) == {"2", "4", "5", "6", "7", "8"}
    assert set(ids(corpus, "has:project")) == {"3", "6"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("upvotes:>50", {"1", "3", "5"}),
        ("upvotes:50", {"1", "3", "5", "6"}),
        ("upvotes:>=50", {"1", "3", "5", "6"}),
        ("upvotes:<50", {"2", "4", "7", "8"}),
        ("upvotes:<=50", {"2", "4", "6", "7", "8"}),
        ("upvotes:=50", {"6"}),
        ("-upvotes:>50", {"2", "4", "6", "7", "8"}),
        ("stars:>100", {"1"}),
        ("stars:<100", {"3"}),  # papers without stars never match
        ("-stars:>100", {"2", "3", "4", "5", "6", "7", "8"}),
        ("upvotes:>50 agents", {"3"}),
    ],
)
def test_number_filters(corpus: Store, text: str, expected: set[str]) -> None:
    assert set(ids(corpus, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("day:2026-08-17", ["1", "6"]),
        ("day:2026-08-18", []),
        ("week:2026-W33", ["2", "3"]),  # Monday Aug 10 to Sunday Aug 16
        ("week:2026-W34", ["1", "6"]),
        ("month:2026-08", ["1", "6", "2", "3", "5"]),
        ("month:2026-07", ["4"]),
        ("month:2026-06 llama", ["7"]),
        ("id:2608.00005", ["5"]),
        ("id:2608.00005v3", ["5"]),
        ("id:2608.09999", []),
    ],
)
def test_period_and_id_filters(corpus: Store, text: str, expected: list[str]) -> None:
    assert ids(corpus, text) == expected


def test_a_query_with_errors_still_uses_the_rest(corpus: Store) -> None:
    query = parse_query("foo:bar upvotes:lots diffusion")
    assert len(query.errors) == 2
    assert {r.id[-1] for r in corpus.search(query)} == {"2", "4"}


# The index follows the papers ----------------------------------------------------------------


def test_a_resaved_paper_is_found_once_under_its_new_title(corpus: Store) -> None:
    renamed = Paper(
        "2608.00003",
        "Quokka Agents",
        summary="Agents trained with reinforcement learning at scale.",
        listing_day=date(2026, 8, 10),
        upvotes=80,
    )
    corpus.save_papers([renamed])
    corpus.save_papers([renamed])
    assert ids(corpus, "quokka") == ["3"]
    assert ids(corpus, "scaling") == []
    assert ids(corpus, "reinforcement") == ["3"]
    assert corpus.search(parse_query("quokka"))[0].upvotes == 80
    assert ids(corpus, "Zhichen") == ["3"]  # authors kept by the merge, still indexed


def test_search_after_reopening(paths: Paths) -> None:
    with Store.open(paths) as first:
        first.save_papers(CORPUS)
        first.set_read(["2608.00007"])
    with Store.open(paths) as again:
        assert [r.id for r in again.search(parse_query("multimodal lla"))] == ["2608.00007"]
        assert [r.id for r in again.search(parse_query("is:read"))] == ["2608.00007"]


def test_search_in_a_memory_store() -> None:
    with Store.open_memory() as memory:
        memory.save_papers(CORPUS)
        assert [r.id for r in memory.search(parse_query("quokka OR llama -survey"))] == []
        assert memory.search(parse_query("bjorn"))[0].id == "2608.00002"


# Big match sets: title matches first, then the rest ----------------------------------------


def test_many_matches_put_title_matches_first(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Planner, "_RANK_AT_MOST", 3)
    papers = [
        Paper(f"2608.{n:05d}", f"Paper {n}", summary="about agents", listing_day=date(2026, 8, n))
        for n in range(1, 8)
    ] + [
        Paper("2608.00010", "Agents One", listing_day=date(2026, 7, 1), upvotes=3),
        Paper("2608.00011", "Agents Two", listing_day=date(2026, 7, 2), upvotes=1),
    ]
    store.save_papers(papers)
    found = [r.id[-2:] for r in store.search(parse_query("agents"))]
    # Two title matches (ranked), then seven abstract matches, too many to rank: newest first.
    assert found[:2] in (["10", "11"], ["11", "10"])
    assert found[2:] == ["07", "06", "05", "04", "03", "02", "01"]
    assert [r.id[-2:] for r in store.search(parse_query("agents"), limit=4)][2:] == ["07", "06"]
    assert [r.id[-2:] for r in store.search(parse_query("agents upvotes:>=2"))] == ["10"]


PREFIX_INDEX = (
    "DROP TABLE papers_fts",
    """CREATE VIRTUAL TABLE papers_fts USING fts5 (
        title, authors, summary, ai_summary, ai_keywords, organization,
        content = 'papers', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    )""",
    """INSERT INTO papers_fts (
            rowid, title, authors, summary, ai_summary, ai_keywords, organization
        ) SELECT rowid, title, authors, summary, ai_summary, ai_keywords,
            coalesce(organization, '') FROM papers""",
)


def test_two_letters_are_a_prefix_only_with_a_prefix_index(store: Store) -> None:
    store.save_papers(CORPUS)
    if Planner(store._read)._shortest_prefix() > 2:
        assert ids(store, "ll") == []  # a whole word: too many words start with 2 letters
        with store._write("the index") as db:
            for statement in PREFIX_INDEX:
                db.execute(statement)
    assert Planner(store._read)._shortest_prefix() == 2
    assert set(ids(store, "ll")) == {"1", "2", "5", "7"}
    assert ids(store, "l") == []
    assert ids(store, "author:bj") == ["2"]
    store.save_papers([Paper("2608.00009", "Llamacorn", listing_day=date(2026, 8, 1))])
    assert "9" in ids(store, "ll")  # the triggers still feed the new index


def test_tags_and_notes_are_searchable(store: Store) -> None:
    from paperreader.core.models import Paper as _Paper

    first = _Paper("2608.70001", "Plain title one", summary="nothing here")
    second = _Paper("2608.70002", "Plain title two", summary="nothing either")
    store.save_papers([first, second])
    store.set_tags(first, ["to-read", "rl"])
    store.set_note(second, "Compare with the 100% baseline_v2 of section 3")
    assert [r.id for r in store.search(parse_query("tag:to-read"))] == [first.id]
    assert [r.id for r in store.search(parse_query("tag:#RL"))] == [first.id]
    assert store.search(parse_query("tag:nothing")) == ()
    assert [r.id for r in store.search(parse_query("baseline_v2"))] == [second.id]
    assert [r.id for r in store.search(parse_query("100% section"))] == [second.id]
    assert [r.id for r in store.search(parse_query("has:note"))] == [second.id]
    assert [r.id for r in store.search(parse_query("plain -has:note"))] == [first.id]
    assert store.search(parse_query("baseline tag:rl")) == ()
