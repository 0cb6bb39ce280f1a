"""Synthetic papers and the stores built from them.

The papers recombine the bundled sample of real papers (titles, abstract sentences, author
names), so nothing outside the package is read; a store of N of them gets some read marks
and bookmarks, as a user's would.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from paperreader.core.models import Paper
from paperreader.core.paths import Paths
from paperreader.core.sample import load_sample
from paperreader.core.store import Store

#: The span of the synthetic archive's listing days (weekdays only).
FIRST_LISTING_DAY = date(2023, 5, 4)
LAST_LISTING_DAY = date(2026, 8, 22)
BATCH = 5_000


# Synthetic papers -------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_STOPWORDS = frozenset(
    _words(
        "a an and are as at be by can do does for from how in into is it its of on or our over "
        "than that the their this to towards toward under via we what when where which while "
        "who why with without"
    )
)
_NAME_PARTS = _words(
    "Omni Flash Seed Vid Gen Lumo Zero Quant Sparse Mem Agent Vision Reason Think Scale "
    "Star Nova Aria Orca Cosmo Pixel Token Wave Sky Deep Hyper Uni Any Edit Dream Motion "
    "World Code Math Chart Doc Speech Audio Robo Nav Med Geo Fast Long Tiny Mega Poly"
)
_NAME_SUFFIXES = ("", "", "", "", "-R1", "-VL", "2", "-3", "Bench", "++", "-X", "Lite", "LM")
_FIRST_NAMES = _words(
    "Wei Jie Yu Xin Hao Yifan Zhiyuan Jiaqi Mingyu Siyuan Haoran Yuxuan Ziyi Chen Lei Tao "
    "Minjun Jiwoo Seojun Hyunwoo Takeshi Yuki Haruto Aarav Priya Rohan Ananya Arjun Omar "
    "Layla Amir Fatima Daniel Sarah Michael Emily David Laura Thomas Anna Lukas Sophie "
    "Mateo Lucia Giulia Marco Elena Pierre Camille Ivan Olga Noah Maya Ethan Chloe"
)
_LAST_NAMES = _words(
    "Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo "
    "Kim Lee Park Choi Jung Tanaka Sato Suzuki Singh Kumar Sharma Patel Gupta Ahmed Hassan "
    "Smith Johnson Brown Miller Davis Garcia Martinez Rossi Bianchi Müller Schmidt Schneider "
    "Dubois Martin Ivanov Petrov Nguyen Tran Cohen Levi Silva Santos Novak Kowalski"
)
_ORGANIZATIONS = (
    "NVIDIA",
    "Google DeepMind",
    "Google",
    "Meta AI",
    "Microsoft Research",
    "Qwen",
    "ByteDance Seed",
    "Tencent Hunyuan",
    "DeepSeek",
    "Hugging Face",
    "Allen Institute for AI",
    "Shanghai AI Laboratory",
    "Tsinghua University",
    "Peking University",
    "Stanford University",
    "MIT",
    "Carnegie Mellon University",
    "Apple",
    "Amazon",
    "Salesforce AI Research",
    "Mistral AI",
    "KAIST AI",
    "Zhipu AI",
    "Moonshot AI",
    "OpenGVLab",
    "Pathway",
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class _Corpus:
    """Pieces of real papers to recombine."""

    descriptions: tuple[str, ...]  # titles without their "Name:" prefix
    names: tuple[str, ...]  # the "Name" prefixes of real titles
    sentences: tuple[str, ...]  # sentences of real abstracts
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    full_names: tuple[str, ...]


@functools.cache
def _corpus() -> _Corpus:
    papers = load_sample().papers
    descriptions: list[str] = []
    names: list[str] = []
    for paper in papers:
        head, colon, rest = paper.title.partition(": ")
        if colon and len(head) <= 30 and len(rest) >= 20:
            names.append(head)
            descriptions.append(rest)
        else:
            descriptions.append(paper.title)
    sentences = [
        sentence
        for paper in papers
        for sentence in _SENTENCE_END.split(paper.summary)
        if 40 <= len(sentence) <= 400 and "http" not in sentence
    ]
    full_names = sorted({a for p in papers for a in p.authors if " " in a})
    first = {name.split()[0] for name in full_names if name.split()[0].isalpha()}
    last = {name.split()[-1] for name in full_names if name.split()[-1].isalpha()}
    return _Corpus(
        descriptions=tuple(descriptions),
        names=tuple(names),
        sentences=tuple(sentences),
        first_names=tuple(sorted(first | set(_FIRST_NAMES))),
        last_names=tuple(sorted(last | set(_LAST_NAMES))),
        full_names=tuple(full_names),
    )


def weekdays(first: date, last: date) -> list[date]:
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def day_counts(n: int, first: date, last: date, rng: random.Random) -> list[tuple[date, int]]:
    """Spread ``n`` papers over the weekdays of ``first``..``last``, newest days fullest.

    Each day weighs 25 to 120 (growing over the span, as Daily Papers did) with some
    noise; the counts are these weights scaled to add up to exactly ``n``.
    """
    days = weekdays(first, last)
    span = max(len(days) - 1, 1)
    weights = [(25 + 95 * i / span) * rng.uniform(0.75, 1.25) for i in range(len(days))]
    scale = n / sum(weights)
    exact = [w * scale for w in weights]
    counts = [math.floor(x) for x in exact]
    # Largest remainders get the papers rounding left over.
    order = sorted(range(len(days)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return [(day, count) for day, count in zip(days, counts, strict=True) if count]


def _title(corpus: _Corpus, rng: random.Random) -> str:
    description = rng.choice(corpus.descriptions)
    if rng.random() < 0.55:
        if corpus.names and rng.random() < 0.3:
            name = rng.choice(corpus.names)
        else:
            name = rng.choice(_NAME_PARTS) + rng.choice(_NAME_PARTS) + rng.choice(_NAME_SUFFIXES)
        return f"{name}: {description}"
    return description


def _author(corpus: _Corpus, rng: random.Random) -> str:
    if corpus.full_names and rng.random() < 0.15:
        return rng.choice(corpus.full_names)
    return f"{rng.choice(corpus.first_names)} {rng.choice(corpus.last_names)}"


def _keywords(title: str, rng: random.Random) -> tuple[str, ...]:
    words = [
        w.strip(".,:;()?!").lower()
        for w in title.replace(":", " ").split()
        if len(w.strip(".,:;()?!")) >= 4
    ]
    words = [w for w in dict.fromkeys(words) if w not in _STOPWORDS]
    phrases = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    pool = list(dict.fromkeys(phrases + words))
    return tuple(rng.sample(pool, min(len(pool), rng.randint(3, 6))))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "project"


def synthetic_papers(
    n: int,
    *,
    seed: int = 0,
    first: date = FIRST_LISTING_DAY,
    last: date = LAST_LISTING_DAY,
    abstract: int = 1350,
) -> Iterator[Paper]:
    """``n`` papers with realistic lengths and skews, oldest listing day first.

    Titles, abstract sentences and author names come from the bundled sample of real
    papers, recombined; ids are arXiv-style (``YYMM.NNNNN`` of the publication month) and
    unique; upvotes and GitHub stars are heavy-tailed; about 40% have a GitHub repo.
    Abstracts are about ``abstract`` characters long (30% spread), as on Daily Papers.
    """
    rng = random.Random(seed)
    corpus = _corpus()
    serial: dict[str, int] = {}
    for day, count in day_counts(n, first, last, rng):
        for _ in range(count):
            published = day - timedelta(days=rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5, 7)))
            month = f"{published:%y%m}"
            serial[month] = serial.get(month, rng.randint(100, 1500)) + rng.randint(1, 3)
            title = _title(corpus, rng)
            target = min(max(int(rng.gauss(abstract, abstract * 0.3)), abstract // 3), abstract * 2)
            sentences: list[str] = []
            length = 0
            while length < target:
                sentences.append(rng.choice(corpus.sentences))
                length += len(sentences[-1]) + 1
            wanted = rng.choices(range(3, 13), (6, 9, 10, 10, 9, 8, 6, 5, 4, 3))[0]
            names: dict[str, None] = {}
            while len(names) < wanted:
                names[_author(corpus, rng)] = None
            authors = tuple(names)
            has_code = rng.random() < 0.4
            organization = rng.choice(_ORGANIZATIONS) if rng.random() < 0.3 else None
            project = slug(title.partition(":")[0])
            owner = slug(organization or authors[0])
            yield Paper(
                id=f"{month}.{serial[month]:05d}",
                title=title,
                summary=" ".join(sentences),
                authors=authors,
                listing_day=day,
                published=published,
                upvotes=min(int(rng.lognormvariate(1.7, 1.25)), 3000),
                comments=rng.choices((0, 1, 2, 3, 5, 9), (60, 18, 9, 6, 4, 3))[0],
                github_repo=f"https://github.com/{owner}/{project}" if has_code else None,
                github_stars=min(int(rng.lognormvariate(3.5, 1.8)), 60_000) if has_code else None,
                project_page=f"https://{project}.github.io/" if rng.random() < 0.25 else None,
                ai_summary=" ".join(sentences[:2])[:320] if rng.random() < 0.85 else "",
                ai_keywords=_keywords(title, rng),
                organization=organization,
                submitter=slug(authors[-1]).replace("-", "") or None,
            )


# Stores ---------------------------------------------------------------------------------


def xdg_paths(root: Path) -> tuple[Paths, dict[str, str]]:
    """Folders under ``root`` laid out as ``Paths.default()`` finds them with the XDG
    variables returned (so a subprocess with those variables opens the same store)."""
    env = {
        "XDG_DATA_HOME": str(root / "xdg-data"),
        "XDG_CACHE_HOME": str(root / "xdg-cache"),
        "XDG_CONFIG_HOME": str(root / "xdg-config"),
    }
    paths = Paths(
        data_dir=root / "xdg-data" / "paperreader",
        cache_dir=root / "xdg-cache" / "paperreader",
        config_dir=root / "xdg-config" / "paperreader",
    )
    return paths, env


@dataclass(frozen=True, slots=True)
class BuiltStore:
    root: Path
    paths: Paths
    env: dict[str, str]
    size: int
    seconds: float
    top_title: str  # the first row of the archive view
    disk_mb: float


def build_store(
    root: Path, n: int, *, seed: int = 0, batch: int = BATCH, abstract: int = 1350
) -> BuiltStore:
    """A store of ``n`` synthetic papers under ``root``, with some read marks (5%) and
    bookmarks (0.1%, at most 100) as a user's would have."""
    paths, env = xdg_paths(root)
    rng = random.Random(seed + 1)
    started = time.perf_counter()
    read: list[str] = []
    marked: list[Paper] = []
    with Store.open(paths) as store:
        stamp = datetime(2026, 8, 23, tzinfo=UTC)
        pending: list[Paper] = []
        for paper in synthetic_papers(n, seed=seed, abstract=abstract):
            pending.append(paper)
            if rng.random() < 0.05:
                read.append(paper.id)
            if rng.random() < 0.001 and len(marked) < 100:
                marked.append(paper)
            if len(pending) >= batch:
                store.save_papers(pending, fetched_at=stamp)
                pending = []
        if pending:
            store.save_papers(pending, fetched_at=stamp)
        store.set_read(read)
        for paper in marked:
            store.set_bookmark(paper)
        top = store.archive_rows(limit=1)
        with store._lock:  # fold the WAL into the file: the app opens a tidy store
            store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - started
    disk = sum(f.stat().st_size for f in root.rglob("*.sqlite3*") if f.is_file())
    return BuiltStore(root, paths, env, n, seconds, top[0].title if top else "", disk / 1e6)
