"""Timelines drawn with their uncertainty (matplotlib).

* :func:`plot_timeline` -- canonical events (see :mod:`osint_kit.readers.events`) in one
  lane per category: day and datetime events as points, month / year / range
  events as spans whose width *is* the uncertainty (``[date_start, date_end + 1
  day)``), highlighted windows, annotations, labels that do not overlap, and a
  caption with sources and the cut-off date.
* :func:`plot_story_spread` -- publication dates of a case's sources grouped by
  origin through ``derived_from``: how one report propagated through relays.

Both take ``ax=`` and return it; they never save (use
:func:`osint_kit.report.export.save_figure`). Matplotlib is imported inside the
functions, so ``import osint_kit`` stays fast.

Scripts: labels use the font fallback list :data:`FONT_FAMILY` (DejaVu Sans
for Latin and Cyrillic, Noto Sans Arabic for Persian/Arabic when installed --
Debian ``fonts-noto-core``). Matplotlib >= 3.11 lays text out with libraqm
(HarfBuzz shaping, FriBiDi ordering), so Persian is joined and right-to-left
without any extra library.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from osint_kit.analysis.corroboration import INPUT_KINDS
from osint_kit.analysis.relays import ancestors, origins, parents
from osint_kit.views.captions import make_caption
from osint_kit.views.plain import plain_text, wrap_lines
from osint_kit.views.sizes import apply_size, figure_size

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.artist import Artist

    from osint_kit.readers.bundle import Case

__all__ = [
    "plot_timeline",
    "plot_story_spread",
    "timeline_caption",
    "FONT_FAMILY",
    "available_font_family",
    "EVIDENCE_MARKERS",
    "relay_date_bounds",
]

#: Font fallback order for labels (only the installed ones are used).
FONT_FAMILY = ["DejaVu Sans", "Noto Sans Arabic", "Noto Sans"]

#: evidence kind -> (marker, filled?) ; a booking is hollow (intent), a manifest filled (boarding)
EVIDENCE_MARKERS = {
    "reported": ("o", True),
    "booking": ("o", False),
    "manifest": ("D", True),
    "flight_list": ("^", True),
    "claim": ("s", True),
}
_POINT_PRECISIONS = ("day", "datetime")
_ONE_DAY = np.timedelta64(1, "D")
_LANE_COLORS = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
]


def available_font_family() -> list[str]:
    """The entries of :data:`FONT_FAMILY` that are installed (never empty)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    found = [f for f in FONT_FAMILY if f in names]
    return found or ["sans-serif"]


def _naive(values: pd.Series) -> np.ndarray:
    """tz-aware UTC Series -> naive datetime64[us] (UTC wall time)."""
    s = pd.Series(values)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    return s.to_numpy(dtype="datetime64[us]")


def _num(values: np.ndarray) -> np.ndarray:
    """datetime64 -> matplotlib date numbers (days since 1970-01-01, the default epoch)."""
    import matplotlib.dates as mdates

    return mdates.date2num(values)


def _utc_datetime64(when, *, add_days: int = 0) -> np.datetime64:
    """A date (text, Timestamp, tz-aware or not) -> naive UTC datetime64[us], plus ``add_days``."""
    t = pd.Timestamp(when)
    if t.tzinfo is not None:
        t = t.tz_convert("UTC").tz_localize(None)
    return np.datetime64(t, "us") + np.timedelta64(add_days, "D")


def _day_num(when, *, add_days: int = 0) -> float:
    """A date -> matplotlib date number (UTC)."""
    return float(_num(np.array([_utc_datetime64(when, add_days=add_days)]))[0])


def _short(text: pd.Series, n: int) -> pd.Series:
    text = text.astype("string").fillna("").str.replace(r"\s+", " ", regex=True).str.strip()
    long = text.str.len() > n
    return text.mask(long, text.str.slice(0, n - 1).str.rstrip() + "…")


def timeline_caption(
    events: pd.DataFrame, cutoff: str | None = None, *, sources=None, note: str | None = None
) -> str:
    """Caption text: where the events come from and the material's cut-off date.

    ``sources`` defaults to the origin formats and counts (``kit events.csv: 28;
    travel records: 3``).
    """
    if sources is None:
        counts = events["origin_format"].value_counts(sort=False)
        names = {
            "kit": "case events.csv",
            "travel": "case travel.csv",
            "claims": "case claims.csv",
            "acled": "ACLED export",
            "timelinejs": "TimelineJS sheet",
        }
        sources = [f"{names.get(k, k)} ({v} rows)" for k, v in counts.items()]
    return make_caption(sources, cutoff, note)


def _greedy_levels(left: np.ndarray, right: np.ndarray, gap: float) -> np.ndarray:
    """Stack intervals (sorted by left) on the lowest level where they fit; returns levels.

    A loop over the *labelled* events only (a few dozen); large inputs are not labelled.
    """
    ends: list[float] = []
    levels = np.zeros(len(left), dtype=np.int64)
    for i in np.argsort(left, kind="stable"):
        for lv, end in enumerate(ends):
            if left[i] > end + gap:
                ends[lv] = right[i]
                levels[i] = lv
                break
        else:
            ends.append(right[i])
            levels[i] = len(ends) - 1
    return levels


@plain_text
def plot_timeline(
    events: pd.DataFrame,
    ax=None,
    *,
    highlight: Sequence[tuple] | None = None,
    annotations: Sequence[tuple] | None = None,
    caption: str | None = None,
    title: str = "Events",
    lanes: Sequence[str] | None = None,
    xlim: tuple | None = None,
    label_column: str = "title",
    labels: bool | str = "auto",
    max_labels: int = 60,
    label_chars: int = 38,
    fontsize: float = 7.0,
    size=None,
):
    """Draw events in lanes with their date uncertainty.

    Parameters
    ----------
    events : DataFrame
        Canonical events frame: ``date_start``, ``date_end`` (UTC, end inclusive),
        ``date_precision``, ``category`` (the lane), ``title``, optional
        ``evidence`` (marker: booking hollow circle, manifest diamond, claim
        square, reported filled circle) and ``event_id``. Rows without a
        ``date_start`` are not drawn (counted in the title note).
    ax : matplotlib Axes, optional
        Drawn into; a new 11 x (2 + lanes) inch figure when None.
    highlight : list of (start, end, label), optional
        Windows shaded across all lanes, ends inclusive (dates as text or Timestamp).
    annotations : list of (date, text), optional
        Dashed vertical markers with a note at the top.
    caption : str, optional
        Drawn under the axes (see :func:`timeline_caption`).
    title : str
        Axes title; `` (N=<events drawn>)`` is appended.
    lanes : list of str, optional
        Lane order, top to bottom (default: by earliest event). Categories not
        listed get lanes after these.
    xlim : (start, end), optional
        Window shown; events wholly outside it are not drawn and are counted.
    label_column : str
        Column used for labels (shortened to ``label_chars``), prefixed by ``event_id``.
    labels : bool or "auto"
        "auto" labels every drawn event when there are at most ``max_labels``,
        none otherwise (tens of thousands of labels are unreadable and slow).
    fontsize : float
        Label size in points.
    size : str or (float, float), optional
        A figure size preset of :mod:`osint_kit.views.sizes` ("a4", "slide",
        ...) or (width, height) in inches; default 11 in wide, its height
        grown to the lanes and label levels.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    family = available_font_family()
    ev = events[events["date_start"].notna()]
    n_undated = len(events) - len(ev)
    start = _naive(ev["date_start"])
    end_incl = _naive(ev["date_end"].fillna(ev["date_start"]))
    precision = ev["date_precision"].astype("string").fillna("day").to_numpy(dtype=object)
    is_point = np.isin(precision, _POINT_PRECISIONS)
    # the drawn interval: [start, end + 1 day) for days, months, years, ranges; an instant for datetimes
    end_excl = np.where(precision == "datetime", end_incl, end_incl + _ONE_DAY)
    n_outside = 0
    if xlim is not None:
        lo, hi = _utc_datetime64(xlim[0]), _utc_datetime64(xlim[1], add_days=1)
        inside = (end_excl > lo) & (start < hi)
        n_outside = int((~inside).sum())
        ev, start, end_incl, end_excl = (
            ev[inside],
            start[inside],
            end_incl[inside],
            end_excl[inside],
        )
        precision, is_point = precision[inside], is_point[inside]
    n = len(ev)

    category = ev["category"].astype("string").fillna("(no category)")
    order = (
        pd.DataFrame({"c": category.to_numpy(), "t": start})
        .groupby("c", sort=False)["t"]
        .min()
        .sort_values(kind="stable")
        .index.tolist()
    )
    if lanes is not None:
        order = [c for c in lanes if c in set(order)] + [c for c in order if c not in set(lanes)]
    lane_of = pd.Index(order).get_indexer(category.to_numpy())
    counts = np.bincount(lane_of, minlength=len(order)) if n else np.zeros(len(order), int)

    do_labels = (labels is True) or (labels == "auto" and 0 < n <= max_labels)
    if ax is None:
        # first guess of the height (lanes grow with label levels; fixed below)
        fig, ax = plt.subplots(
            figsize=figure_size(size, (11, 2.6 + 0.45 * max(len(order), 1))),
            layout="constrained",
        )
        own_figure = size is None  # a preset keeps its height
    else:
        apply_size(ax, size)
        own_figure = False
    fig = ax.figure

    x0 = _num(start)
    x1 = _num(end_excl)
    xmid = np.where(precision == "datetime", x0, (x0 + x1) / 2)
    if xlim is not None:
        xmin, xmax = _num(np.array([lo, hi]))
    elif n:
        pad = max((x1.max() - x0.min()) * 0.03, 2.0)
        xmin, xmax = x0.min() - pad, x1.max() + pad
    else:
        xmin, xmax = _num(np.array([np.datetime64("2024-01-01"), np.datetime64("2025-01-01")]))
    ax.set_xlim(xmin, xmax)

    # ---- labels: which, how wide (estimated from character count), and their levels per lane
    step = 0.32  # lane units per label level
    levels = np.zeros(n, dtype=np.int64)
    if do_labels:
        text = _short(ev[label_column] if label_column in ev.columns else ev["title"], label_chars)
        if "event_id" in ev.columns:
            text = ev["event_id"].astype("string").fillna("") + " " + text
        text = text.to_numpy(dtype=object)
        from matplotlib.font_manager import FontProperties

        width_px = ax.get_window_extent().width or fig.get_figwidth() * fig.dpi * 0.8
        per_px = (xmax - xmin) / width_px
        # each label's width measured by the renderer (shaped text, any script), a few dozen at most
        renderer = fig.canvas.get_renderer()
        props = FontProperties(family=family, size=fontsize)
        est_w = (
            np.array(
                [renderer.get_text_width_height_descent(t, props, ismath=False)[0] for t in text]
            )
            * 1.04
            * per_px
        )
        to_left = xmid + est_w > xmax  # near the right edge the label runs leftwards
        lab_l = np.where(to_left, xmid - est_w, xmid)
        lab_r = np.where(to_left, xmid, xmid + est_w)
        for lane in range(len(order)):
            sel = np.flatnonzero(lane_of == lane)
            levels[sel] = _greedy_levels(lab_l[sel], lab_r[sel], gap=6 * per_px)
    lane_levels = np.array(
        [
            levels[lane_of == i].max() + 1 if (lane_of == i).any() and do_labels else 0
            for i in range(len(order))
        ]
    )
    lane_height = np.where(lane_levels > 0, 0.75 + lane_levels * step, 0.8)
    lane_top = np.concatenate([[0.0], np.cumsum(lane_height)])
    lane_y = -(lane_top[1:] - 0.3)  # baseline near the bottom of each band; labels stack above it
    y = lane_y[lane_of] if n else np.zeros(0)
    if own_figure:  # 0.45 inch per lane unit keeps a label level (0.32 unit) above 7-pt text
        fig.set_figheight(2.6 + 0.45 * lane_top[-1])
    # events on the same day in the same lane (a booking and a manifest) side by side, not hidden
    dup = pd.DataFrame({"lane": lane_of, "x": np.round(xmid, 3)}).groupby(["lane", "x"]).cumcount()
    y_point = (
        y + np.minimum(dup.to_numpy(), 2) * 0.16
    )  # at most 3 side by side; more would leave the lane
    size = 34 if n <= 2_000 else 10  # points shrink for dense timelines
    # overlapping spans in a lane are stepped down so each stays visible (labelled timelines only:
    # a loop over a few dozen spans; dense timelines overlap by nature and keep one row)
    y_span = y.copy()
    if do_labels and (~is_point).any():
        for lane in range(len(order)):
            sel = np.flatnonzero((lane_of == lane) & ~is_point)
            if len(sel) > 1:
                y_span[sel] -= np.minimum(_greedy_levels(x0[sel], x1[sel], gap=0.0), 2) * 0.1

    # ---- lanes, highlight windows, annotations
    for i in range(len(order)):
        if i % 2 == 1:
            ax.axhspan(-lane_top[i], -lane_top[i + 1], color="#f4f4f4", zorder=0, lw=0)
    for item in highlight or ():
        h0, h1, hlab = item
        a, b = _day_num(h0), _day_num(h1, add_days=1)  # end inclusive: the whole last day
        ax.axvspan(a, b, color="#fff1b8", zorder=0.5, lw=0)
        ax.annotate(
            hlab,
            xy=((a + b) / 2, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=fontsize + 0.5,
            color="#8a6d00",
            family=family,
        )
    for when, note in annotations or ():
        xa = _day_num(when)
        ax.axvline(xa, color="#555555", ls="--", lw=0.8, zorder=1)
        ax.annotate(
            note,
            xy=(xa, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=fontsize,
            color="#333333",
            family=family,
            rotation=90,
        )

    # ---- spans (one PolyCollection) and points (one scatter per marker kind)
    colors = np.array([_LANE_COLORS[i % len(_LANE_COLORS)] for i in range(max(len(order), 1))])
    col = colors[lane_of] if n else np.array([])
    span = ~is_point
    if span.any():
        h = 0.26
        ys = y_span[span]
        verts = np.stack(
            [
                np.column_stack([x0[span], ys - h / 2]),
                np.column_stack([x1[span], ys - h / 2]),
                np.column_stack([x1[span], ys + h / 2]),
                np.column_stack([x0[span], ys + h / 2]),
            ],
            axis=1,
        )
        # an (n, 4, 2) array is a sequence of polygons (matplotlib's stubs want a Sequence)
        ax.add_collection(
            PolyCollection(
                verts,  # type: ignore[arg-type]  # matplotlib stubs: an (n, 4, 2) ndarray is a sequence of polygons
                facecolors=col[span],
                edgecolors=col[span],
                alpha=0.45,
                linewidths=1.0,
                zorder=2,
            )
        )
    evidence = (
        ev["evidence"].astype("string").fillna("reported")
        if "evidence" in ev.columns
        else pd.Series("reported", index=ev.index, dtype="string")
    ).to_numpy(dtype=object)
    marker_kind = np.where(np.isin(evidence, list(EVIDENCE_MARKERS)), evidence, "reported")
    for kind, (marker, filled) in EVIDENCE_MARKERS.items():
        m = is_point & (marker_kind == kind)
        if m.any():
            ax.scatter(
                xmid[m],
                y_point[m],
                s=size,
                marker=marker,
                facecolors=col[m] if filled else "white",
                edgecolors=col[m],
                linewidths=1.4,
                zorder=3,
            )
    # spans that come from claims or bookings also show their evidence at the centre
    m = span & (marker_kind != "reported")
    for kind, (marker, filled) in EVIDENCE_MARKERS.items():
        mk = m & (marker_kind == kind)
        if mk.any():
            ax.scatter(
                xmid[mk],
                y_span[mk],
                s=size * 0.65,
                marker=marker,
                facecolors=col[mk] if filled else "white",
                edgecolors=col[mk],
                linewidths=1.2,
                zorder=3,
            )

    if do_labels:
        label_y = y + 0.22 + levels * step
        for i in range(n):  # a few dozen labels at most (see `labels`)
            ax.plot(
                [xmid[i], xmid[i]],
                [y_point[i] if is_point[i] else y_span[i], label_y[i]],
                color=col[i],
                lw=0.5,
                alpha=0.6,
                zorder=1.5,
            )
            t = ax.text(
                xmid[i],
                label_y[i],
                text[i],
                ha="right" if to_left[i] else "left",
                va="bottom",
                fontsize=fontsize,
                family=family,
                color="#222222",
                zorder=4,
                clip_on=False,
            )
            t.set_parse_math(False)  # "$" in a headline is text, not mathtext

    # ---- axes dressing
    ax.set_ylim(-lane_top[-1] - 0.05, 0.05)
    ax.set_yticks(lane_y)
    ax.set_yticklabels([f"{c} ({k})" for c, k in zip(order, counts)], family=family)
    ax.tick_params(axis="y", length=0)
    locator = mdates.AutoDateLocator(minticks=5, maxticks=14)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#dddddd", lw=0.6, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    note = []
    if n_outside:
        note.append(f"{n_outside} outside the window")
    if n_undated:
        note.append(f"{n_undated} undated")
    omitted = "; labels omitted" if (not do_labels and n > max_labels) else ""
    ax.set_title(
        f"{title} (N={n:,}" + (", not drawn: " + ", ".join(note) if note else "") + omitted + ")",
        loc="left",
        fontsize=fontsize + 4,
        family=family,
        pad=16 if highlight else 6,
    )

    handles: list[Artist] = []
    present = set(marker_kind[is_point]) | set(marker_kind[span & (marker_kind != "reported")])
    for kind, (marker, filled) in EVIDENCE_MARKERS.items():
        if kind in present:
            handles.append(
                Line2D(
                    [],
                    [],
                    ls="",
                    marker=marker,
                    color="#444444",
                    markerfacecolor="#444444" if filled else "white",
                    label={
                        "reported": "day known (reported event)",
                        "booking": "booking (intent to travel)",
                        "manifest": "manifest (boarding)",
                    }.get(kind, kind),
                )
            )
    if span.any():
        handles.append(
            Patch(
                facecolor="#888888",
                alpha=0.45,
                label="span = date uncertainty (month, year or range)",
            )
        )
    if highlight:
        handles.append(Patch(facecolor="#fff1b8", label="highlighted window"))
    _legend_and_caption(ax, handles, caption, ncol=4, fontsize=fontsize, family=family)
    return ax


def _legend_and_caption(ax, handles, caption, *, ncol, fontsize, family, below_pt=24):
    """Legend, then the caption, under the x axis (offsets in points, whatever the axes size)."""
    from matplotlib.transforms import offset_copy

    rows = 0
    if handles:
        ncol = min(len(handles), ncol)
        rows = -(-len(handles) // ncol)
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0, 0),
            bbox_transform=offset_copy(ax.transAxes, fig=ax.figure, y=-below_pt, units="points"),
            ncol=ncol,
            frameon=False,
            borderaxespad=0,
            prop={"family": family, "size": fontsize},
        )
    if caption:
        width = ax.get_position().width * ax.figure.get_figwidth()
        cap = ax.annotate(
            wrap_lines(caption, width, fontsize),
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -below_pt - rows * (fontsize * 1.9) - 6),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=fontsize,
            color="#444444",
            family=family,
        )
        cap.set_parse_math(False)


def _nearest_dated_ancestor(sources: pd.DataFrame) -> pd.DataFrame:
    """For each source: the latest publication start among its nearest dated ancestors.

    From :func:`osint_kit.analysis.relays.ancestors` (one walk of the relay graph): the
    dated ancestors at the fewest links; of those, the latest start (ties: the
    last id).  Returns columns source_id, anchor_start (naive datetime64[us]),
    anchor_id -- typed even when empty.
    """

    anc = ancestors(sources)
    date_of = sources.drop_duplicates("source_id").set_index("source_id")["published_start"]
    # reindex, not map: Series.map with an empty datetime mapper fails in pandas 3.1
    anc["anchor_start"] = date_of.reindex(anc["ancestor_id"].to_numpy()).to_numpy(
        dtype="datetime64[us]"
    )
    anc = anc[anc["anchor_start"].notna()]
    nearest = anc[anc["depth"] == anc.groupby("source_id")["depth"].transform("min")]
    best = nearest.sort_values(["source_id", "anchor_start", "ancestor_id"]).drop_duplicates(
        "source_id", keep="last"
    )
    return best.rename(columns={"ancestor_id": "anchor_id"})[
        ["source_id", "anchor_start", "anchor_id"]
    ].reset_index(drop=True)


def relay_date_bounds(sources: pd.DataFrame) -> pd.DataFrame:
    """What the relay graph says about when each source can have appeared.

    A source cannot predate anything it relays, and cannot postdate what
    relays it.  For each source: ``not_before`` -- the latest
    ``published_start`` among all its dated ancestors (any depth), with
    ``not_before_id``; ``not_after`` -- the earliest ``published_end`` among
    all its dated descendants, with ``not_after_id`` (naive datetime64[us],
    NaT when there is none).  Bundled case: formiche ("March 2025") relays
    reuters_orig (4 March) and is relayed by tutti_it (6 March), so it
    appeared 4-6 March 2025.
    """
    anc = ancestors(sources)
    start = _naive(sources.drop_duplicates("source_id").set_index("source_id")["published_start"])
    end = _naive(sources.drop_duplicates("source_id").set_index("source_id")["published_end"])
    ids = sources.drop_duplicates("source_id")["source_id"].to_numpy()
    start_of = pd.Series(start, index=ids)
    end_of = pd.Series(end, index=ids)
    anc = anc.assign(
        a_start=start_of.reindex(anc["ancestor_id"].to_numpy()).to_numpy(dtype="datetime64[us]"),
        d_end=end_of.reindex(anc["source_id"].to_numpy()).to_numpy(dtype="datetime64[us]"),
    )
    up = anc[anc["a_start"].notna()].sort_values(["source_id", "a_start", "ancestor_id"])
    up = up.drop_duplicates("source_id", keep="last").set_index("source_id")
    down = anc[anc["d_end"].notna()].sort_values(["ancestor_id", "d_end", "source_id"])
    down = down.drop_duplicates("ancestor_id", keep="first").set_index("ancestor_id")
    return pd.DataFrame(
        {
            "source_id": pd.array(ids, dtype="string"),
            "not_before": up["a_start"].reindex(ids).to_numpy(dtype="datetime64[us]"),
            "not_before_id": pd.array(up["ancestor_id"].reindex(ids).to_numpy(), dtype="string"),
            "not_after": down["d_end"].reindex(ids).to_numpy(dtype="datetime64[us]"),
            "not_after_id": pd.array(down["source_id"].reindex(ids).to_numpy(), dtype="string"),
        }
    )


def publications(sources: pd.DataFrame) -> pd.DataFrame:
    """The sources that were published: a report's inputs left out.

    Sources whose ``kind`` is one of the inputs behind a report
    (:data:`osint_kit.analysis.corroboration.INPUT_KINDS`: leaked documents, an
    official speaking to a reporter) are graded like any source but have no
    publication date and no place in a story's spread; they are dropped, and
    their ids are removed from the ``derived_from`` cells of the rest, so the
    report that relays them becomes the origin of its relays again.
    """
    if "kind" not in sources.columns or sources.empty:
        return sources
    is_input = sources["kind"].astype("string").fillna("").isin(list(INPUT_KINDS))
    if not is_input.any():
        return sources
    inputs = set(sources.loc[is_input, "source_id"].astype(str))
    kept = sources[~is_input.to_numpy()].copy()
    if "derived_from" in kept.columns:
        cells = kept["derived_from"].astype("string")
        distinct = cells.dropna().unique()
        cleaned = {
            v: ";".join(p for p in (x.strip() for x in str(v).split(";")) if p and p not in inputs)
            for v in distinct
        }  # per distinct cell: a few dozen values, not one per row
        kept["derived_from"] = cells.map(cleaned, na_action="ignore").replace("", pd.NA)
    return kept.reset_index(drop=True)


@plain_text
def plot_story_spread(
    case: Case,
    ax=None,
    *,
    title: str = "How the story spread",
    caption: str | None = None,
    label_chars: int = 34,
    fontsize: float = 7.5,
    size=None,
):
    """Publication dates of a case's sources, grouped by origin through ``derived_from``.

    One row per (origin, source): each origin (a source with no parent) is
    followed by the sources that derive from it, by depth then date. Thin grey
    lines join a source to the parent it relays. A dated source is a filled
    dot; a month-precision date is a span over the month; a source with no
    known date is drawn hollow (``>``, "on or after") at the date of its
    nearest dated ancestor -- it cannot predate what it copies -- and is never
    dropped. A month span is clipped to what the relay graph allows
    (:func:`relay_date_bounds`): it starts no earlier than the latest dated
    source it relays and ends no later than the earliest dated source that
    relays it (bundled case: kiransen_blog, "March 2025", from 4 March, the
    Reuters report it copies), and the caption says which spans were clipped
    and why. A dashed line marks each origin's publication.

    Parameters
    ----------
    case : Case
        Needs ``sources`` with ``source_id``, ``publisher``, ``derived_from``,
        ``published_start/_end/_precision``.
    ax : matplotlib Axes, optional
    title : str
        `` (N=sources, origins, undated)`` is appended.
    caption : str, optional
        Drawn under the axes; a note on the clipped spans is appended.
    size : str or (float, float), optional
        A figure size preset of :mod:`osint_kit.views.sizes` ("a4", "slide",
        ...) or (width, height) in inches; default 10 in wide, 0.32 in a row.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    family = available_font_family()
    outlets = publications(case.sources)
    src = outlets.copy()
    src["published_start"] = _naive(src["published_start"])
    src["published_end"] = _naive(src["published_end"])
    org = origins(outlets)
    anchors = _nearest_dated_ancestor(src)
    rows = org.merge(src, on="source_id", how="left").merge(anchors, on="source_id", how="left")
    origin_date = src.set_index("source_id")["published_start"]
    rows["origin_start"] = origin_date.reindex(rows["origin_id"].to_numpy()).to_numpy(
        dtype="datetime64[us]"
    )  # (reindex: Series.map fails on an empty datetime mapper)
    dated = rows["published_start"].notna()
    rows["x_start"] = rows["published_start"].where(dated, rows["anchor_start"])
    rows["x_end"] = rows["published_end"]
    rows["undated"] = ~dated
    # a relay never starts before what it relays, nor ends after what relays it:
    # a month-precision date is drawn only over the days the relay graph allows
    rows = rows.merge(relay_date_bounds(src), on="source_id", how="left")
    nb, na = rows["not_before"], rows["not_after"]
    start, end = rows["published_start"], rows["published_end"]
    month_like = dated & ~rows["published_precision"].astype("string").fillna("").isin(
        list(_POINT_PRECISIONS)
    )
    clip_lo = month_like & nb.notna() & (nb > start) & (nb <= end)
    lo_now = start.mask(clip_lo, nb)
    clip_hi = month_like & na.notna() & (na < end) & (na >= lo_now)
    rows["x_start"] = rows["x_start"].mask(clip_lo, nb)
    rows["x_end"] = end.mask(clip_hi, na)
    late = rows["undated"] & nb.notna() & (rows["x_start"].isna() | (nb > rows["x_start"]))
    rows["x_start"] = rows["x_start"].mask(late, nb)
    clipped = rows[clip_lo | clip_hi].drop_duplicates("source_id")
    clipped_lo, clipped_hi = clip_lo[clipped.index], clip_hi[clipped.index]
    rows = rows.sort_values(
        ["origin_start", "origin_id", "depth", "x_start", "source_id"],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    # a gap row between origin groups
    group_break = (
        rows["origin_id"].ne(rows["origin_id"].shift()).fillna(True).astype(int).cumsum() - 1
    )
    rows["y"] = -(np.arange(len(rows)) + group_break.to_numpy() * 0.6)

    if ax is None:
        _fig, ax = plt.subplots(
            figsize=figure_size(size, (10, 1.8 + 0.32 * len(rows))), layout="constrained"
        )
    else:
        apply_size(ax, size)
    n_src = int(src["source_id"].nunique())
    n_org = int(org["origin_id"].nunique())
    und = rows.drop_duplicates("source_id")["undated"]
    n_und = int(und.sum())
    no_anchor = rows["undated"] & rows["x_start"].isna()

    xs = _num(rows["x_start"].to_numpy(dtype="datetime64[us]"))
    xe = _num((rows["x_end"].to_numpy(dtype="datetime64[us]")) + _ONE_DAY)
    finite = xs[np.isfinite(xs)]
    if finite.size:
        lo, hi = finite.min(), np.nanmax(np.concatenate([finite, xe[np.isfinite(xe)]]))
    else:
        lo, hi = _num(np.array([np.datetime64("2025-01-01"), np.datetime64("2025-02-01")]))
    pad = max((hi - lo) * 0.06, 2.0)
    unknown_x = hi + pad * 0.6  # sources with no dated ancestor at all sit at the right edge
    xs = np.where(no_anchor, unknown_x, xs)
    precision = rows["published_precision"].astype("string").fillna("").to_numpy(dtype=object)
    is_span = ~rows["undated"].to_numpy() & ~np.isin(precision, _POINT_PRECISIONS)
    depth = rows["depth"].to_numpy()
    palette = np.array(["#b2182b", "#2166ac", "#67a9cf", "#91bfdb", "#bbbbbb"])
    col = palette[np.minimum(depth, len(palette) - 1)]
    y = rows["y"].to_numpy(dtype=float)
    xmid = np.where(is_span, (xs + xe) / 2, xs)

    # relay links: child -> each parent in the same origin group
    links = parents(outlets)
    pos = rows[["origin_id", "source_id"]].assign(x=xmid, y=y)
    seg = links.merge(pos, on="source_id").merge(
        pos.rename(columns={"source_id": "parent_id", "x": "px", "y": "py"}),
        on=["origin_id", "parent_id"],
    )
    if len(seg):
        # a link ends where the child could first have appeared: inside its month span, not before its parent
        span_of = pd.DataFrame(
            {
                "source_id": rows["source_id"],
                "origin_id": rows["origin_id"],
                "xs": xs,
                "xe": xe,
                "is_span": is_span,
            }
        )
        seg = seg.merge(span_of, on=["origin_id", "source_id"])
        seg["x"] = np.where(seg["is_span"], np.clip(seg["px"], seg["xs"], seg["xe"]), seg["x"])
        segs = np.stack(
            [seg[["px", "py"]].to_numpy(float), seg[["x", "y"]].to_numpy(float)], axis=1
        )
        ax.add_collection(
            LineCollection(
                segs,  # type: ignore[arg-type]  # (n, 2, 2) array
                colors="#aaaaaa",
                linewidths=0.8,
                zorder=1,
            )
        )
    for _oid, ostart in rows.drop_duplicates("origin_id")[["origin_id", "origin_start"]].itertuples(
        index=False
    ):
        if pd.notna(ostart):
            ax.axvline(
                _num(np.array([ostart], dtype="datetime64[us]"))[0],
                color=palette[0],
                ls="--",
                lw=0.8,
                alpha=0.7,
                zorder=0.5,
            )
    if is_span.any():
        h = 0.36
        verts = np.stack(
            [
                np.column_stack([xs[is_span], y[is_span] - h / 2]),
                np.column_stack([xe[is_span], y[is_span] - h / 2]),
                np.column_stack([xe[is_span], y[is_span] + h / 2]),
                np.column_stack([xs[is_span], y[is_span] + h / 2]),
            ],
            axis=1,
        )
        ax.add_collection(
            PolyCollection(
                verts,  # type: ignore[arg-type]  # (n, 4, 2) array
                facecolors=col[is_span],
                edgecolors=col[is_span],
                alpha=0.35,
                linewidths=1.0,
                zorder=2,
            )
        )
    undated = rows["undated"].to_numpy()
    day = ~undated & ~is_span
    ax.scatter(xmid[day], y[day], s=40, c=col[day], zorder=3, edgecolors="white", linewidths=0.6)
    ax.scatter(
        xmid[undated],
        y[undated],
        s=46,
        marker=">",
        facecolors="white",
        edgecolors=col[undated],
        linewidths=1.4,
        zorder=3,
    )

    label = rows["source_id"].astype("string") + " · " + _short(rows["publisher"], label_chars)
    label = label.where(rows["depth"] > 0, label + "  [origin]")
    ax.set_yticks(y)
    ax.set_yticklabels(label.to_numpy(dtype=object), family=family, fontsize=fontsize)
    for t in ax.get_yticklabels():
        t.set_parse_math(False)
    for i in np.flatnonzero(undated):  # a handful of notes
        txt = (
            "no date; no dated ancestor"
            if no_anchor[i]
            else f"undated: on or after {rows.loc[i, 'anchor_id']}"
        )
        ax.annotate(
            txt,
            xy=(xmid[i], y[i]),
            xytext=(7, 0),
            textcoords="offset points",
            va="center",
            fontsize=fontsize - 1,
            color="#555555",
            family=family,
        )
    ax.set_xlim(lo - pad, hi + pad * (3.5 if undated.any() else 1))
    ax.set_ylim(y.min() - 0.8 if len(y) else -1, 0.8)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#e0e0e0", lw=0.6, zorder=0)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        f"{title} (N={n_src} sources, {n_org} origin{'s' if n_org != 1 else ''}, {n_und} undated)",
        loc="left",
        fontsize=fontsize + 3.5,
        family=family,
    )
    handles = [
        Line2D([], [], ls="", marker="o", color=palette[0], label="origin (primary report)"),
        Line2D([], [], ls="", marker="o", color=palette[1], label="relay of the origin"),
        Line2D([], [], ls="", marker="o", color=palette[2], label="relay of a relay"),
        Patch(facecolor="#888888", alpha=0.35, label="month-precision date (span)"),
        Line2D(
            [],
            [],
            ls="",
            marker=">",
            color="#444444",
            markerfacecolor="white",
            label="undated: drawn at its nearest dated ancestor",
        ),
        Line2D([], [], color="#aaaaaa", label="derived_from link"),
    ]
    if len(clipped):
        parts = []
        for (_, r), lo_c, hi_c in zip(clipped.iterrows(), clipped_lo, clipped_hi):  # a handful
            why = []
            if lo_c:
                why.append(f"not before {r['not_before_id']}")
            if hi_c:
                why.append(f"not after {r['not_after_id']}")
            parts.append(
                f"{r['source_id']} ({r['published']}) {r['x_start']:%Y-%m-%d} to "
                f"{r['x_end']:%Y-%m-%d}, {' and '.join(why)}"
            )
        note = (
            "A relay never starts before the source it relays (nor ends after a dated source "
            "relaying it): month-precision spans are clipped to those dates: "
            + "; ".join(parts)
            + "."
        )
        caption = f"{caption} {note}" if caption else note
    _legend_and_caption(ax, handles, caption, ncol=3, fontsize=fontsize, family=family, below_pt=36)
    return ax
