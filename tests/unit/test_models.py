"""The tolerant parser of API items and the Paper model."""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperreader.core.models import Link, Paper, normalize_id, parse_paper, parse_papers

FIXTURES = Path(__file__).parent.parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


DAILY_ITEM: dict[str, Any] = load("daily-item.json")
SEARCH_LLAMA: list[Any] = load("search-llama.json")
SEARCH_KAZAKH: list[Any] = load("search-kazakh.json")


def daily(**paper_changes: Any) -> dict[str, Any]:
    """A deep copy of the real daily item with fields of ``paper`` replaced (or deleted)."""
    item = copy.deepcopy(DAILY_ITEM)
    for key, value in paper_changes.items():
        if value is _DELETE:
            item["paper"].pop(key, None)
        else:
            item["paper"][key] = value
    return item


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_DELETE = _Missing()


def minimal(**paper: Any) -> dict[str, Any]:
    return {"paper": {"id": "2608.09888", "title": "A title", **paper}}


# The real fixtures ------------------------------------------------------------------------


def test_daily_item_every_kept_field() -> None:
    paper = parse_paper(DAILY_ITEM)
    assert paper is not None
    assert paper.id == "2608.09888"
    assert paper.title == "BDH-CQ: In-Context Learning with Recurrent Latent Reasoning"
    assert paper.authors == (
        "Björn Engdahl",
        "Adrian Kosowski",
        "Jan Chorowski",
        "Zuzanna Stamirowska",
        "Przemysław Uznański",
        "Junlin Jiang",
        "Rohan Phadke",
        "Remigiusz Kinas",
        "Richard Zhong",
    )
    assert paper.listing_day == date(2026, 8, 11)  # from submittedOnDailyAt
    assert paper.published == date(2026, 8, 10)  # paper.publishedAt, not the item's
    assert paper.upvotes == 781
    assert paper.comments == 6
    assert paper.github_repo == "https://github.com/pathwaycom/arc-task-gen"
    assert paper.github_stars == 11184
    assert paper.project_page == (
        "https://pathway.com/blog/pathway-150m-model-breaks-arc-agi-1-cost-efficiency-frontier"
    )
    assert paper.ai_summary == (
        "A 150M-parameter reasoning model using recurrent latent reasoning and in-context "
        "learning achieves a new cost-accuracy frontier on ARC-AGI-1."
    )
    assert paper.ai_keywords == (
        "in-context learning",
        "recurrent latent reasoning",
        "high-dimensional latent space",
        "ARC-AGI-1",
        "cost-accuracy Pareto frontier",
    )
    assert paper.organization == "Pathway"
    assert paper.submitter == "Jan Chorowski"
    assert paper.summary.startswith("We introduce BDH-CQ, a reasoning model")


def test_daily_item_tex_is_kept_as_the_website_shows_it() -> None:
    raw = DAILY_ITEM["paper"]["summary"]
    assert "\\$0.0007" in raw
    paper = parse_paper(DAILY_ITEM)
    assert paper is not None
    assert "\\$0.0007" in paper.summary


def test_daily_item_keeps_handles_thumbnail_and_media() -> None:
    item = json.loads(json.dumps(DAILY_ITEM))
    item["mediaUrls"] = ["https://cdn.example/a.mp4", "", "https://cdn.example/a.mp4", 7]
    item["paper"]["withdrawnAt"] = "2026-08-20T10:00:00.000Z"
    paper = parse_paper(item)
    assert paper is not None
    assert paper.submitter == "Jan Chorowski"
    assert paper.submitter_handle == "janchorowski"
    assert paper.organization == "Pathway"
    assert paper.organization_handle == "pathwaycom"
    assert paper.thumbnail == DAILY_ITEM["thumbnail"]
    assert paper.media == ("https://cdn.example/a.mp4",)
    assert paper.withdrawn == date(2026, 8, 20)
    assert Paper.from_dict(paper.to_dict()) == paper


@pytest.mark.parametrize("name", ["../x", "a b", "x/y", "\x1b[31m", "", ".hidden", "a..b"])
def test_a_handle_that_cannot_be_a_url_path_is_dropped(name: str) -> None:
    paper = parse_paper({"id": "2608.00001", "title": "T", "organization": {"name": name}})
    assert paper is not None and paper.organization_handle is None


@pytest.mark.parametrize("items", [SEARCH_LLAMA, SEARCH_KAZAKH], ids=["llama", "kazakh"])
def test_search_fixtures_parse_completely(items: list[Any]) -> None:
    result = parse_papers(items)
    assert result.skipped == 0
    assert result.duplicates == 0
    assert len(result.papers) == len(items)
    assert [p.id for p in result.papers] == [item["paper"]["id"] for item in items]
    for paper in result.papers:
        assert paper.title
        assert paper.authors
        # Search results carry no listing day; nothing must be invented.
        assert paper.listing_day is None
        assert paper.submitter is None


def test_search_summary_hard_line_breaks_are_joined() -> None:
    raw = SEARCH_LLAMA[0]["paper"]["summary"]
    assert "\n" in raw
    paper = parse_paper(SEARCH_LLAMA[0])
    assert paper is not None
    assert "\n" not in paper.summary
    assert "  " not in paper.summary
    assert paper.summary.startswith(
        "Modern artificial intelligence (AI) systems are powered by foundation models. "
        "This paper presents a"
    )


# Authors and white space -----------------------------------------------------------------


def test_hidden_authors_are_left_out() -> None:
    authors = [
        {"name": "Shown One", "hidden": False},
        {"name": "Hidden", "hidden": True},
        {"name": "Shown Two"},
        "Plain String",
        {"name": None},
        {"name": "   "},
        42,
        None,
    ]
    paper = parse_paper(minimal(authors=authors))
    assert paper is not None
    assert paper.authors == ("Shown One", "Shown Two", "Plain String")


def test_white_space_is_collapsed() -> None:
    paper = parse_paper(
        minimal(
            title="  A\n  title \t with\r\nbreaks ",
            summary="First  line\nwrapped\n\nSecond   paragraph\n",
            ai_summary=" one\n two ",
            authors=[{"name": " Ada \n Lovelace "}],
        )
    )
    assert paper is not None
    assert paper.title == "A title with breaks"
    assert paper.summary == "First line wrapped\n\nSecond paragraph"
    assert paper.ai_summary == "one two"
    assert paper.authors == ("Ada Lovelace",)


def test_title_falls_back_to_the_item_title() -> None:
    item = {"paper": {"id": "2608.09888"}, "title": "Outer title", "summary": "Outer summary"}
    paper = parse_paper(item)
    assert paper is not None
    assert paper.title == "Outer title"
    assert paper.summary == "Outer summary"


def test_bare_paper_object_parses() -> None:
    paper = parse_paper(copy.deepcopy(DAILY_ITEM["paper"]))
    assert paper is not None
    assert paper.id == "2608.09888"
    assert paper.comments is None  # numComments lives on the outer item only
    assert paper.submitter == "Jan Chorowski"  # from submittedOnDailyBy


# Optional fields: missing, null, wrong type ----------------------------------------------

OPTIONAL_FIELDS = [
    "summary",
    "authors",
    "submittedOnDailyAt",
    "publishedAt",
    "upvotes",
    "githubRepo",
    "githubStars",
    "projectPage",
    "ai_summary",
    "ai_keywords",
    "organization",
    "submittedOnDailyBy",
]

WRONG_VALUES = [
    None,
    True,
    -7,
    3.5,
    "",
    "nonsense",
    [1, "two", None],
    {"a": 1},
    {"name": 5, "fullname": ["x"]},
]


@pytest.mark.parametrize("field", OPTIONAL_FIELDS)
@pytest.mark.parametrize("value", [_DELETE, *WRONG_VALUES], ids=repr)
def test_optional_field_of_any_type_never_raises(field: str, value: Any) -> None:
    paper = parse_paper(daily(**{field: value}))
    assert paper is not None
    assert paper.id == "2608.09888"
    assert isinstance(paper.upvotes, int) and paper.upvotes >= 0
    assert all(isinstance(a, str) and a for a in paper.authors)
    assert all(isinstance(k, str) and k for k in paper.ai_keywords)
    assert paper.github_stars is None or paper.github_stars >= 0
    assert paper.listing_day is None or isinstance(paper.listing_day, date)


def test_wrong_types_give_defaults() -> None:
    item = {
        "paper": {
            "id": "2608.09888",
            "title": "Wrong types",
            "summary": 42,
            "authors": {"name": "A dict, not a list"},
            "upvotes": "lots",
            "githubStars": -5,
            "githubRepo": ["https://github.com/a/b"],
            "projectPage": 7,
            "ai_keywords": {"a": 1},
            "organization": "a string",
            "submittedOnDailyAt": 12345,
            "publishedAt": "not a date at all",
        },
        "numComments": "many",
        "submittedBy": ["nobody"],
    }
    paper = parse_paper(item)
    assert paper is not None
    assert paper.summary == ""
    assert paper.authors == ()
    assert paper.upvotes == 0
    assert paper.github_stars is None
    assert paper.github_repo is None
    assert paper.project_page is None
    assert paper.ai_keywords == ()
    assert paper.organization is None
    assert paper.listing_day is None
    assert paper.published is None
    assert paper.comments is None
    assert paper.submitter is None


def test_numeric_strings_and_floats_are_read() -> None:
    paper = parse_paper({**minimal(upvotes="12", githubStars=3.0), "numComments": " 4 "})
    assert paper is not None
    assert (paper.upvotes, paper.github_stars, paper.comments) == (12, 3, 4)


def test_negative_and_boolean_counts_are_dropped() -> None:
    paper = parse_paper({**minimal(upvotes=-3, githubStars=True), "numComments": False})
    assert paper is not None
    assert paper.upvotes == 0
    assert paper.github_stars is None
    assert paper.comments is None


# Regression: '--1' and '²' once passed an isdigit() check and then crashed int().
@pytest.mark.parametrize("field", ["upvotes", "githubStars"])
@pytest.mark.parametrize("value", ["--1", "²", "①", "٣", "1e3", "12345678901234567890"])
def test_digit_like_count_strings_never_raise(field: str, value: str) -> None:
    paper = parse_paper(minimal(**{field: value}))
    assert paper is not None
    assert paper.upvotes == 0
    assert paper.github_stars is None


def test_digit_like_comment_count_never_raises() -> None:
    result = parse_papers([{**minimal(), "numComments": "--1"}])
    assert len(result.papers) == 1
    assert result.papers[0].comments is None


# Skipping and counting -------------------------------------------------------------------


@pytest.mark.parametrize(
    "item",
    [
        "just a string",
        None,
        42,
        [],
        ["2608.09888"],
        {"paper": {"title": "No id"}},
        {"paper": {"id": None, "title": "Null id"}},
        {"paper": {"id": 2608.09888, "title": "Numeric id"}},
        {"paper": {"id": "../../x", "title": "Traversal"}},
        {"paper": {"id": "2608.09888/../x", "title": "Traversal after an id"}},
        {"paper": {"id": "2608.09888; rm -rf /", "title": "Shell"}},
        {"paper": {"id": "hep-th/9901001", "title": "Old-style id"}},
        {"paper": {"id": "2608.09888", "title": ""}},
        {"paper": {"id": "2608.09888", "title": "   \n\t"}},
        {"paper": {"id": "2608.09888", "title": "\x1b[31m\x1b[0m\u200b"}},
        {"paper": {"id": "2608.09888", "title": ["a", "list"]}},
        {"paper": {"id": "2608.09888"}},
    ],
    ids=repr,
)
def test_unusable_items_are_skipped_and_counted(item: Any) -> None:
    assert parse_paper(item) is None
    good = minimal()
    result = parse_papers([good, item, good | {}])
    assert result.skipped == 1
    assert [p.id for p in result.papers] == ["2608.09888"]
    assert result.duplicates == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2608.09888", "2608.09888"),
        ("2608.09888v2", "2608.09888"),
        (" 2608.09888v12 ", "2608.09888"),
        ("2401.1234", "2401.1234"),
        ("2608.09888v", None),
        ("2608.098888", None),
        ("2608.09888\n/x", None),
        ("../../x", None),
        ("", None),
        (None, None),
        (2608.09888, None),
    ],
)
def test_normalize_id(raw: object, expected: str | None) -> None:
    assert normalize_id(raw) == expected


def test_version_suffix_is_dropped_when_parsing() -> None:
    paper = parse_paper(minimal(id="2608.09888v2"))
    assert paper is not None
    assert paper.id == "2608.09888"
    assert paper.hf_url == "https://huggingface.co/papers/2608.09888"


# Regression: \\d once let fullwidth and Arabic-Indic digits through into URLs.
@pytest.mark.parametrize("raw", ["２６０８.０９８８８", "٢٦٠٨.٠٩٨٨٨", "2608.09888v٢"])
def test_non_ascii_digit_ids_are_rejected(raw: str) -> None:
    assert normalize_id(raw) is None


def test_duplicates_are_counted_and_the_first_copy_kept() -> None:
    first = minimal(title="First copy")
    second = minimal(id="2608.09888v3", title="Second copy")
    other = minimal(id="2608.00001", title="Other")
    result = parse_papers([first, other, second, first])
    assert [p.title for p in result.papers] == ["First copy", "Other"]
    assert result.duplicates == 2
    assert result.skipped == 0


@pytest.mark.parametrize("body", [None, {}, {"papers": [DAILY_ITEM]}, "[]", 42, DAILY_ITEM])
def test_parse_papers_of_a_non_list_is_empty(body: object) -> None:
    result = parse_papers(body)
    assert result.papers == ()
    assert result.skipped == 0
    assert result.duplicates == 0


# Links -----------------------------------------------------------------------------------


def test_links_derived_from_the_id() -> None:
    paper = parse_paper(DAILY_ITEM)
    assert paper is not None
    assert paper.hf_url == "https://huggingface.co/papers/2608.09888"
    assert paper.arxiv_url == "https://arxiv.org/abs/2608.09888"
    assert paper.pdf_url == "https://arxiv.org/pdf/2608.09888"
    assert paper.links == (
        Link("Hugging Face", "https://huggingface.co/papers/2608.09888"),
        Link("arXiv", "https://arxiv.org/abs/2608.09888"),
        Link("PDF", "https://arxiv.org/pdf/2608.09888"),
        Link("Code", "https://github.com/pathwaycom/arc-task-gen"),
        Link("Project page", DAILY_ITEM["paper"]["projectPage"]),
        Link("Organization", "https://huggingface.co/pathwaycom"),
        Link("Submitter", "https://huggingface.co/janchorowski"),
        Link("Thumbnail", DAILY_ITEM["thumbnail"]),
    )
    assert all(link.safe for link in paper.links)


def test_no_code_or_project_link_when_absent() -> None:
    paper = parse_paper(minimal())
    assert paper is not None
    assert [link.label for link in paper.links] == ["Hugging Face", "arXiv", "PDF"]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "http://", "data:text/html,<b>x</b>"],
)
def test_unsafe_links_are_kept_but_marked(url: str) -> None:
    paper = parse_paper(minimal(githubRepo=url, projectPage=url))
    assert paper is not None
    extra = [link for link in paper.links if link.label in ("Code", "Project page")]
    assert [link.url for link in extra] == [url, url]
    assert [link.safe for link in extra] == [False, False]


def test_link_with_escape_sequence_is_marked_and_unsafe() -> None:
    # Stripping the escape would turn it into a different, clean-looking link: instead the
    # hidden part shows as U+FFFD and the link can be neither opened nor copied.
    paper = parse_paper(minimal(projectPage="https://ok.example/\x1b]52;c;aGk=\x07"))
    assert paper is not None
    link = paper.links[-1]
    assert link.url == "https://ok.example/\ufffd"
    assert "\x1b" not in link.url
    assert not link.safe


def test_links_with_hidden_characters_are_unsafe() -> None:
    for url in ("https://github.com/evil/\u202erepo", "https://a.example/\u200bx"):
        paper = parse_paper(minimal(githubRepo=url))
        assert paper is not None
        assert not paper.links[3].safe
        assert "\ufffd" in paper.links[3].url


# Round trip ------------------------------------------------------------------------------


def test_to_dict_from_dict_round_trip() -> None:
    paper = parse_paper(DAILY_ITEM)
    assert paper is not None
    data = paper.to_dict()
    assert data["listing_day"] == "2026-08-11"
    assert data["published"] == "2026-08-10"
    assert isinstance(data["authors"], list)
    back = Paper.from_dict(json.loads(json.dumps(data)))
    assert back == paper


def test_round_trip_of_a_minimal_paper() -> None:
    paper = Paper(id="2608.00001", title="Only a title")
    data = paper.to_dict()
    assert data["listing_day"] is None and data["comments"] is None
    assert Paper.from_dict(data) == paper


# Property: any JSON at all --------------------------------------------------------------

ASCII_ID = re.compile(r"^\d{4}\.\d{4,5}$", re.ASCII)

texts = st.text(max_size=30) | st.sampled_from(["12", "-3", "--1", "²", "٣", " 7 ", "1.5"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
ids = st.one_of(
    st.from_regex(r"\A[0-9]{4}\.[0-9]{4,5}(v[0-9])?\Z"),
    st.from_regex(r"\A\d{4}\.\d{4,5}(v\d)?\Z"),  # any Unicode digits: must be refused
    st.sampled_from(["2608.09888", "../../x", "2608.09888/../x", " 2608.09888v2 "]),
    json_values,
)
paper_fields = st.fixed_dictionaries(
    {"id": ids, "title": st.one_of(texts.filter(str.strip), texts, json_values)},
    optional={
        "summary": json_values,
        "authors": st.lists(
            st.fixed_dictionaries({"name": json_values}, optional={"hidden": json_values})
            | json_values,
            max_size=3,
        )
        | json_values,
        "upvotes": json_values,
        "githubStars": json_values,
        "githubRepo": json_values,
        "projectPage": json_values,
        "submittedOnDailyAt": json_values | st.just("2026-08-11T00:00:00.000Z"),
        "publishedAt": json_values,
        "ai_summary": json_values,
        "ai_keywords": json_values,
        "organization": json_values,
        "submittedOnDailyBy": json_values,
    },
)
item_like = st.fixed_dictionaries(
    {"paper": st.one_of(paper_fields, paper_fields, paper_fields, json_values)},
    optional={
        "numComments": json_values,
        "title": json_values,
        "summary": json_values,
        "submittedBy": json_values,
        "organization": json_values,
    },
)
anything = st.one_of(json_values, item_like, paper_fields, st.lists(item_like, max_size=5))


def _check(paper: Paper) -> None:
    assert ASCII_ID.match(paper.id), paper.id
    assert paper.title and paper.title == paper.title.strip()
    assert not any(unicodedata.category(c) == "Cc" for c in paper.title)
    assert all(isinstance(a, str) for a in paper.authors)
    assert paper.upvotes >= 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_any_json_never_raises(value: Any) -> None:
    result = parse_papers(value)
    for paper in result.papers:
        _check(paper)
    if isinstance(value, list):
        assert len(result.papers) + result.skipped + result.duplicates == len(value)
    single = parse_paper(value)
    if single is not None:
        _check(single)
        assert Paper.from_dict(json.loads(json.dumps(single.to_dict()))) == single
