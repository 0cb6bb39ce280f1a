"""The benchmark: its synthetic archive, a quick run end to end, and a check that opening
a big archive renders only the rows on screen (nothing here asserts on timings)."""

from __future__ import annotations

import json
import statistics
from datetime import date
from pathlib import Path

import pytest

from benchmarks import bench, common, paint, synthetic
from paperreader.core.models import normalize_id
from paperreader.core.store import Store


def test_synthetic_papers_look_like_an_archive() -> None:
    papers = list(synthetic.synthetic_papers(3_000, seed=3))

    assert len(papers) == 3_000
    ids = [paper.id for paper in papers]
    assert len(set(ids)) == len(ids)
    assert all(normalize_id(paper_id) == paper_id for paper_id in ids)
    # Lengths as on Daily Papers: titles of some 40-120 characters, abstracts of a
    # paragraph or two, a handful of authors.
    assert 50 <= statistics.mean(len(p.title) for p in papers) <= 110
    assert 900 <= statistics.mean(len(p.summary) for p in papers) <= 1_900
    assert all(3 <= len(p.authors) <= 12 for p in papers)
    days = [p.listing_day for p in papers]
    assert all(d is not None and d.weekday() < 5 for d in days)
    assert min(days) >= date(2023, 5, 4)  # type: ignore[type-var]
    assert max(days) <= date(2026, 8, 22)  # type: ignore[type-var]
    assert max(days) >= date(2026, 8, 1)  # type: ignore[type-var]  # spread to the end
    assert min(days) <= date(2023, 9, 1)  # type: ignore[type-var]  # and from the start
    with_code = sum(1 for p in papers if p.github_repo) / len(papers)
    assert 0.3 <= with_code <= 0.5
    upvotes = sorted(p.upvotes for p in papers)
    assert upvotes[len(upvotes) // 2] * 10 < upvotes[-1]  # skewed: a few papers get most
    assert all(p.ai_keywords for p in papers)
    assert any(p.organization for p in papers)


def test_day_counts_add_up_to_n() -> None:
    import random

    for n in (1, 999, 12_345):
        counts = synthetic.day_counts(n, date(2023, 5, 4), date(2026, 8, 22), random.Random(n))
        assert sum(count for _, count in counts) == n
        assert all(count > 0 and day.weekday() < 5 for day, count in counts)


def test_the_store_builder_makes_exactly_n_papers(tmp_path: Path) -> None:
    built = synthetic.build_store(tmp_path, 1_500, batch=400)

    with Store.open(built.paths) as store:
        assert store.paper_count() == 1_500
        top = store.archive_rows(limit=1)[0]
        assert top.title == built.top_title
        assert len(store.read_ids()) > 0  # some papers are read, as in real use
    assert built.size == 1_500 and built.disk_mb > 0


def test_percentile_is_nearest_rank() -> None:
    values = list(range(1, 101))
    assert common.percentile(values, 0.95) == 95
    assert common.percentile(values, 0.5) == 50
    assert common.percentile([7.0], 0.95) == 7.0


def test_a_quick_run_writes_every_metric(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "results.json"

    assert bench.main(["--quick", "--json", str(out)]) == 0

    report = json.loads(out.read_text())
    metrics = report["results"]["1000"]
    expected = [
        "build_s",
        "store_open_s",
        "bare_first_paint_s",
        "first_paint_ratio",
        "peak_rss_mb",
        "bare_peak_rss_mb",
        "search_p50_ms",
        "search_p95_ms",
        "cursor_step_p95_ms",
        "page_down_p95_ms",
        "sync_s",
        "sync_papers_per_s",
        "sync_requests",
        "search_with_texts_p95_ms",
        "search_in_text_p95_ms",
        "text_first_screen_200k_ms",
        "text_first_screen_2m_ms",
        "text_scroll_p95_ms",
    ]
    expected += [
        f"{kind}_{position}_{stat}_ms"
        for kind in ("cursor", "page")
        for position in ("top", "middle", "end")
        for stat in ("p50", "p95")
    ]
    # First paint of every way in, each against the bare app.
    expected += [
        f"{metric}_{way}_{unit}"
        for way in paint.WAYS
        for metric, unit in (("first_paint", "s"), ("first_paint", "ratio"), ("shown", "s"))
    ]
    expected += [f"peak_rss_{way}_mb" for way in paint.WAYS]
    expected += [f"papers_{way}" for way in paint.WAYS]
    for key in expected:
        assert isinstance(metrics.get(key), int | float), key
        assert metrics[key] > 0, key
    assert set(report["results"]) == {"1000"}
    assert set(report["targets"]) == set(bench.TARGETS)
    assert all(check["size"] == 1000 for check in report["targets"].values())
    assert report["environment"]["python"]
    assert metrics["papers_archive"] == 1000
    assert metrics["papers_day"] < metrics["papers_week"] < metrics["papers_month"] < 1000
    assert metrics["args_month"] == "--month 2026-08 --offline"
    worst = max(metrics[f"first_paint_{way}_ratio"] for way in paint.WAYS)
    assert metrics["first_paint_ratio"] == worst
    assert report["targets"]["first_paint_ratio"]["worst"] == metrics["first_paint_worst"]
    printed = capsys.readouterr().out
    assert "Targets at N = 1,000" in printed
    for label in ("the archive", "a day", "a week", "a month"):
        assert f"{label}: first paint ratio" in printed


async def test_opening_a_big_archive_renders_only_the_visible_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperreader.core.library import Library
    from paperreader.ui.app import PaperReaderApp
    from paperreader.ui.widgets.paper_list import PaperList

    n = 20_000
    built = synthetic.build_store(tmp_path, n, abstract=150)  # short abstracts: a quicker build
    calls = 0
    render_line = PaperList.render_line

    def counting(self: PaperList, y: int):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return render_line(self, y)

    monkeypatch.setattr(PaperList, "render_line", counting)
    library = Library(Store.open(built.paths))
    app = PaperReaderApp(library, None, view="archive", restore=False)
    try:
        async with app.run_test(size=common.SCREEN) as pilot:
            for _ in range(600):
                if app.reader.loaded is not None and not app.reader.loaded.partial:
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            assert len(app.paper_list.rows) == n
            height = common.SCREEN[1]
    finally:
        library.close()
    # A few full paints of a screenful (the first rows, then the whole archive), never
    # a line per paper.
    assert 0 < calls <= height * 8, calls


async def test_each_way_in_waits_for_the_top_row_the_app_shows(tmp_path: Path) -> None:
    """The first-paint markers: for each way in, the start of the title of the row the
    app lists first (not the archive's top paper), and the title bar's count."""
    from textual.widgets import Static

    from paperreader.core.library import Library
    from paperreader.core.periods import Period
    from paperreader.ui.app import PaperReaderApp

    built = synthetic.build_store(tmp_path, 1_500, abstract=150)
    plans = {plan.name: plan for plan in paint.plan_ways(built)}

    assert list(plans) == list(paint.WAYS)
    # The newest stored day (Friday 2026-08-21), its ISO week and its month.
    assert plans["archive"].args == ("--archive", "--offline")
    assert plans["day"].args == ("--date", "2026-08-21", "--offline")
    assert plans["week"].args == ("--week", "2026-W34", "--offline")
    assert plans["month"].args == ("--month", "2026-08", "--offline")
    assert plans["watch"].args == ("--watch", paint.WATCH[0], "--offline")
    assert plans["archive"].papers == 1_500
    assert len({plan.marker for plan in plans.values()}) > 1  # not one title for all
    library = Library(Store.open(built.paths))
    try:
        for plan in plans.values():
            period = None if plan.name in ("archive", "watch") else Period.parse(plan.args[1])
            view = {"archive": "archive", "watch": "watch"}.get(plan.name, "listing")
            key = plan.args[1] if plan.name == "watch" else ""
            app = PaperReaderApp(library, period, view=view, key=key, restore=False)
            async with app.run_test(size=common.SCREEN) as pilot:
                for _ in range(200):
                    if app.reader.loaded is not None and not app.reader.loaded.partial:
                        break
                    await pilot.pause(0.05)
                await pilot.pause()
                rows = app.paper_list.rows
                assert len(rows) == plan.papers, plan.name
                assert rows[0].title.startswith(plan.marker), plan.name
                title = str(app.query_one("#title-bar", Static).content)
                assert f" {plan.loaded}, " in title, (plan.name, title)
    finally:
        library.close()


def test_ways_picks_the_ways_in_timed(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    skips = ["--skip", "search", "--skip", "cursor", "--skip", "sync"]

    assert bench.main(["--quick", "--ways", "month,day", *skips, "--json", str(out)]) == 0

    metrics = json.loads(out.read_text())["results"]["1000"]
    assert {key for key in metrics if key.startswith("papers_")} == {"papers_day", "papers_month"}
    assert "first_paint_archive_s" not in metrics
    assert metrics["first_paint_worst"] in ("day", "month")
    with pytest.raises(SystemExit) as exited:
        bench.main(["--ways", "fortnight"])
    assert exited.value.code == 2
