"""Tests for osint_kit.views.timeline: what is drawn, labels, scripts, exported images."""

from __future__ import annotations

import re
import warnings
from itertools import combinations
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from osint_kit.readers import events as ev
from osint_kit.views import timeline as tl

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def case_events(case):
    return ev.combine_events(ev.events_from_case(case), ev.events_from_travel(case))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def label_texts(ax):
    """Event labels drawn by plot_timeline (texts in data coordinates)."""
    return [t for t in ax.texts if t.get_transform() == ax.transData]


def test_lanes_points_and_spans(case_events):
    ax = tl.plot_timeline(case_events.events, title="Case events")
    n = len(case_events.events)
    assert (
        ax.get_title(loc="left") == f"Case events (N={n})"
    )  # every case event is dated: all drawn
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    # one lane per category, with its count; travel records are a lane of their own
    assert "travel record (3)" in lanes and "military (8)" in lanes
    assert len(lanes) == case_events.events["category"].nunique()
    # spans: month/range/year events are drawn as one polygon each in a PolyCollection
    from matplotlib.collections import PolyCollection

    polys = [c for c in ax.collections if type(c) is PolyCollection]  # not scatter's subclass
    n_spans = int((~case_events.events["date_precision"].isin(["day", "datetime"])).sum())
    assert sum(len(c.get_paths()) for c in polys) == n_spans


def test_span_width_is_the_uncertainty():
    events = pd.DataFrame(
        {
            "event_id": ["M"],
            "date_start": [pd.Timestamp("2024-09-01", tz="UTC")],
            "date_end": [pd.Timestamp("2024-09-30", tz="UTC")],
            "date_precision": ["month"],
            "title": ["September"],
            "category": ["a"],
            "evidence": ["reported"],
        }
    )
    ax = tl.plot_timeline(events)
    from matplotlib.collections import PolyCollection

    (coll,) = [c for c in ax.collections if type(c) is PolyCollection]
    xs = coll.get_paths()[0].vertices[:, 0]
    # [1 Sept, 30 Sept + 1 day) = 30 days wide
    assert xs.max() - xs.min() == pytest.approx(30.0)
    assert isinstance(coll, PolyCollection)


def test_labels_do_not_overlap_for_the_case(case_events):
    ax = tl.plot_timeline(
        case_events.events,
        xlim=("2024-01-01", "2025-03-31"),
        highlight=[("2024-04-13", "2024-10-01", "window")],
    )
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in label_texts(ax)]
    assert len(boxes) == 23  # 23 events inside the window (8 outside it are counted in the title)
    overlaps = [(i, j) for (i, a), (j, b) in combinations(enumerate(boxes), 2) if a.overlaps(b)]
    assert overlaps == []


def test_many_events_are_not_labelled():
    n = 500
    rng = np.random.default_rng(0)
    start = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 300, n), "D")
    events = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "date_start": start,
            "date_end": start,
            "date_precision": "day",
            "title": "x",
            "category": "c",
        }
    )
    ax = tl.plot_timeline(events, max_labels=60)
    assert label_texts(ax) == []
    assert "labels omitted" in ax.get_title(loc="left")


def test_bad_input_still_draws_the_rest():
    acled = ev.read_events(FIX / "acled_synthetic_small.csv")
    tljs = ev.read_events(FIX / "timelinejs_synthetic_small.csv")
    both = ev.combine_events(acled, tljs)
    assert (
        both.rows_rejected == 6
    )  # unparseable, 30 Feb, Month 13, end < start, Day w/o Month, no Year
    ax = tl.plot_timeline(both.events)
    assert ax.get_title(loc="left") == f"Events (N={len(both.events)})"  # 17 drawn
    assert len(both.events) == 17


def test_undated_rows_are_counted_not_hidden():
    events = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "date_start": pd.to_datetime(["2024-01-02", None], utc=True),
            "date_end": pd.to_datetime(["2024-01-02", None], utc=True),
            "date_precision": ["day", pd.NA],
            "title": ["a", "b"],
            "category": ["c", "c"],
        }
    )
    ax = tl.plot_timeline(events)
    assert ax.get_title(loc="left") == "Events (N=1, not drawn: 1 undated)"


def test_cyrillic_and_persian_labels_render_without_missing_glyphs():
    tljs = ev.read_events(FIX / "timelinejs_synthetic_small.csv")
    if "Noto Sans Arabic" not in tl.available_font_family():
        pytest.skip("fonts-noto-core not installed (Debian); .ci/run installs it")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = tl.plot_timeline(tljs.events)
        ax.figure.canvas.draw()
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    texts = {t.get_text() for t in ax.texts}
    assert any("حمله موشکی" in t for t in texts) and any("Подписание" in t for t in texts)


def test_dollar_in_title_is_text_not_mathtext():
    events = pd.DataFrame(
        {
            "event_id": ["a"],
            "date_start": [pd.Timestamp("2024-01-02", tz="UTC")],
            "date_end": [pd.Timestamp("2024-01-02", tz="UTC")],
            "date_precision": ["day"],
            "title": ["$5 $bn deal_"],
            "category": ["c"],
        }
    )
    ax = tl.plot_timeline(events)
    ax.figure.canvas.draw()  # would raise a mathtext ParseError if "$...$" were parsed
    assert label_texts(ax)[0].get_text() == "a $5 $bn deal_"


def test_story_spread_keeps_every_source(case):
    ax = tl.plot_story_spread(case)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ids = {s.split(" · ")[0] for s in labels}
    # every publication, dated or not; the three inputs behind Reuters (booking records, two
    # officials: kind document/official) are sources but were never published, so they are
    # not rows, and Reuters is again the one origin of the 38 outlets
    inputs = {"booking_records", "iran_defence_official", "western_defence_official"}
    assert ids == set(case.sources["source_id"]) - inputs
    assert len(ids) == 38
    published = case.sources[~case.sources["source_id"].isin(list(inputs))]
    n_undated = int(published["published_start"].isna().sum())
    assert ax.get_title(loc="left") == (
        f"How the story spread (N=38 sources, 1 origin, {n_undated} undated)"
    )
    # worldreviewnews relays foxnews (5 March 2025) and has no date: drawn "on or after foxnews"
    notes = [t.get_text() for t in ax.texts]
    assert "undated: on or after foxnews" in notes


def _png_stats(path: Path) -> tuple[tuple[int, int], int, float]:
    from PIL import Image

    img = np.asarray(Image.open(path).convert("RGB"))
    colours = len(np.unique(img.reshape(-1, 3), axis=0))
    non_white = float((img < 250).any(axis=2).mean())
    return img.shape[:2], colours, non_white


def test_exported_png_has_expected_size_and_is_not_blank(case_events, tmp_path):
    ax = tl.plot_timeline(case_events.events, xlim=("2024-01-01", "2025-03-31"))
    fig = ax.figure
    fig.set_size_inches(10, 6)
    out = tmp_path / "timeline.png"
    fig.savefig(out, dpi=100)  # no tight bbox: exactly 10 x 6 inches at 100 dpi
    (h, w), colours, non_white = _png_stats(out)
    assert (w, h) == (1000, 600)
    assert colours > 50  # lanes, markers, spans, anti-aliased text
    assert 0.02 < non_white < 0.9


def test_save_figure_exports_all_formats(case, tmp_path):
    from osint_kit.report.export import save_figure

    ax = tl.plot_story_spread(
        case, caption="Sources: case sources.csv. Material cut-off: 2025-10-02."
    )
    paths = save_figure(ax.figure, tmp_path / "spread")
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    assert all(p.stat().st_size > 5_000 for p in paths)
    (h, w), colours, non_white = _png_stats(paths[0])
    assert w > 1500 and h > 800  # 10-inch-wide figure at 200 dpi, trimmed to its content
    assert colours > 50 and non_white > 0.02


def _span_of(ax, source_id):
    """(start, end) dates of the month span drawn on the row of ``source_id``."""
    import matplotlib.dates as mdates
    from matplotlib.collections import PolyCollection

    ticks = {t.get_text().split(" · ")[0]: y for t, y in zip(ax.get_yticklabels(), ax.get_yticks())}
    (spans,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    for path in spans.get_paths():
        v = path.vertices
        if abs(v[:4, 1].mean() - ticks[source_id]) < 1e-9:
            return tuple(
                mdates.num2date(x).strftime("%Y-%m-%d") for x in (v[:4, 0].min(), v[:4, 0].max())
            )
    raise AssertionError(f"no span on the row of {source_id}")


def test_story_spread_month_relay_never_starts_before_what_it_relays(case):
    # issue 11: kiransen_blog ("2025-03") relays the Reuters report of 4 March
    # 2025 and was drawn from 1 March, before the report it copies; formiche
    # ("2025-03") is relayed by tutti_it (6 March), so it appeared by 6 March
    ax = tl.plot_story_spread(case, caption="Sources: case sources.csv.")
    # spans are drawn [start, end + 1 day)
    assert _span_of(ax, "kiransen_blog") == ("2025-03-04", "2025-04-01")
    assert _span_of(ax, "i24_fr") == ("2025-03-04", "2025-04-01")
    assert _span_of(ax, "formiche") == ("2025-03-04", "2025-03-07")
    # the caption as drawn, its line breaks undone (textwrap breaks after a hyphen too)
    caption = re.sub(r"-\n", "-", ax.texts[-1].get_text()).replace("\n", " ")
    assert caption == (
        "Sources: case sources.csv. A relay never starts before the source it relays (nor ends "
        "after a dated source relaying it): month-precision spans are clipped to those dates: "
        "formiche (2025-03) 2025-03-04 to 2025-03-06, not before reuters_orig and not after "
        "tutti_it; i24_fr (2025-03) 2025-03-04 to 2025-03-31, not before reuters_orig; "
        "kiransen_blog (2025-03) 2025-03-04 to 2025-03-31, not before reuters_orig."
    )


def test_relay_date_bounds_follow_the_whole_chain():
    # a (day, 4 March) -> b (month, March) -> c (month, March) -> d (day, 10 March):
    # c cannot predate a (two links up) nor postdate d
    sources = pd.DataFrame(
        {
            "source_id": pd.array(["a", "b", "c", "d"], dtype="string"),
            "derived_from": pd.array([None, "a", "b", "c"], dtype="string"),
            "published_start": pd.to_datetime(
                ["2025-03-04", "2025-03-01", "2025-03-01", "2025-03-10"]
            ).tz_localize("UTC"),
            "published_end": pd.to_datetime(
                ["2025-03-04", "2025-03-31", "2025-03-31", "2025-03-10"]
            ).tz_localize("UTC"),
        }
    )
    b = tl.relay_date_bounds(sources).set_index("source_id")
    assert b.loc["c", "not_before"] == pd.Timestamp("2025-03-04")
    assert b.loc["c", "not_before_id"] == "a"
    assert b.loc["b", "not_after"] == pd.Timestamp("2025-03-10")  # d, two links down
    assert b.loc["b", "not_after_id"] == "d"
    assert pd.isna(b.loc["a", "not_before"]) and pd.isna(b.loc["d", "not_after"])


@pytest.mark.parametrize("size, inches", [("a4-half", (170 / 25.4, 120 / 25.4)), ((8, 5), (8, 5))])
def test_timeline_and_story_spread_draw_at_a_size_preset(case, case_events, size, inches):
    import matplotlib.pyplot as plt

    ax = tl.plot_timeline(case_events.events, size=size)
    assert tuple(ax.figure.get_size_inches()) == pytest.approx(inches)
    ax = tl.plot_story_spread(case, size=size)
    assert tuple(ax.figure.get_size_inches()) == pytest.approx(inches)
    plt.close("all")


def test_publications_leave_out_a_reports_inputs():
    # the inputs behind a report (kind document/official) are not publications: dropped,
    # and their ids removed from derived_from (an empty cell and a blank one stay blank)
    sources = pd.DataFrame(
        {
            "source_id": ["docs", "official", "wire", "copy", "blog"],
            "kind": ["document", "official", "primary_reporting", "republication", "blog"],
            "derived_from": [None, None, "docs;official", "wire", None],
        },
        dtype="string",
    )
    got = tl.publications(sources)
    assert got["source_id"].tolist() == ["wire", "copy", "blog"]
    assert got["derived_from"].isna().tolist() == [True, False, True]
    assert got["derived_from"].iloc[1] == "wire"
