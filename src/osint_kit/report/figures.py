"""One code path per figure, shared by the notebooks and ``osint-kit report``.

Each function takes a case and its :class:`~osint_kit.report.settings.CaseSettings`
(plus, optionally, results already computed) and returns a :class:`Drawn`:
the axes, the caption (sources and cut-off), an alt text for the HTML report
and a stable file name -- or, when the case has nothing to draw (no events, no
places, no hypotheses...), ``ax=None`` and a sentence saying what is missing
and how to add it.  Nothing is drawn empty; nothing here raises on an empty case.

============================  =====================  ===============================
function                      file stem              notebook
============================  =====================  ===============================
:func:`timeline_figure`       ``timeline``           01
:func:`story_spread_figure`   ``story_spread``       01
:func:`route_figure`          ``route_map``          02 (static twin of the map)
:func:`route_html`            ``route_map.html``     02 (offline folium map)
:func:`relay_graph_figure`    ``relay_graph``,       03
                              ``relay_graph_focus``
:func:`claim_matrix_figure`   ``claim_matrix``       03
:func:`ach_figure`            ``ach``                03
============================  =====================  ===============================
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from osint_kit.analysis.ach import AchResult, compare_hypotheses
from osint_kit.analysis.corroboration import Corroboration, corroborate
from osint_kit.analysis.legs import case_legs
from osint_kit.readers import events as ev
from osint_kit.readers.bundle import Case
from osint_kit.report.export import Manifest, make_caption, save_figure
from osint_kit.report.settings import CaseSettings, case_with_map_view
from osint_kit.views import maps
from osint_kit.views import matrix as mx
from osint_kit.views import timeline as tl

__all__ = [
    "Drawn",
    "ach_figure",
    "case_events",
    "claim_matrix_figure",
    "cutoff_text",
    "relay_graph_figure",
    "route_figure",
    "route_html",
    "save_drawn",
    "story_spread_figure",
    "timeline_figure",
]


#: matplotlib settings for print: TrueType (Type 42) fonts in PDF/PS, text as text in SVG.
PRINT_RC: dict[str, Any] = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "none"}


@dataclass
class Drawn:
    """A figure of the report, or the sentence saying why there is none.

    Attributes
    ----------
    name : str
        Stable file stem (``timeline``); the same on every run and every case.
    title : str
        What the figure shows (the report's heading for it).
    ax : matplotlib Axes or None
        None when there is nothing to draw (see ``missing``).
    caption : str
        Sources and material cut-off, as printed under the figure.
    alt : str
        Text alternative for the HTML report: what the figure shows, in words.
    missing : str or None
        Why nothing is drawn and what to add, when ``ax`` is None.
    caption_drawn : bool
        The caption is already part of the figure (drawn by the view).
    """

    name: str
    title: str
    ax: Any
    caption: str
    alt: str
    missing: str | None = None
    caption_drawn: bool = False

    @property
    def figure(self):
        """The matplotlib Figure, or None."""
        return None if self.ax is None else self.ax.figure

    def close(self) -> None:
        """Free the figure (matplotlib keeps every open figure otherwise)."""
        if self.ax is not None:
            import matplotlib.pyplot as plt

            plt.close(self.ax.figure)


def cutoff_text(case: Case) -> str | None:
    """The case's cut-off as an ISO day, or None while case.toml has none."""
    return None if case.cutoff is None else case.cutoff.date().isoformat()


def case_events(case: Case):
    """The case's events and travel records as one events result (``.events``,
    ``.problems``, ``.check()``): what the timeline draws."""
    return ev.combine_events(ev.events_from_case(case), ev.events_from_travel(case))


def _nothing(name: str, title: str, sentence: str) -> Drawn:
    return Drawn(name=name, title=title, ax=None, caption="", alt=sentence, missing=sentence)


def _within(events: pd.DataFrame, window) -> pd.DataFrame:
    if window is None or events.empty:
        return events
    a = pd.Timestamp(window[0], tz="UTC")
    b = pd.Timestamp(window[1], tz="UTC") + pd.Timedelta(days=1)
    return events[(events["date_end"] >= a) & (events["date_start"] < b)]


def timeline_figure(
    case: Case, settings: CaseSettings, *, events: pd.DataFrame | None = None, label_chars: int = 38
) -> Drawn:
    """The lane timeline of the case's events and travel records (notebook 01).

    ``events``: the canonical events frame (:func:`case_events` ``.events``);
    computed when None.  Window, highlights, annotations and title come from
    ``settings``.
    """
    title = settings.timeline_title
    events = case_events(case).events if events is None else events
    dated = events[events["date_start"].notna()]
    if dated.empty:
        return _nothing(
            "timeline",
            title,
            "No timeline: the case has no dated event or travel record yet; add rows with a "
            "date to events.csv or travel.csv.",
        )
    shown = _within(dated, settings.window)
    if shown.empty:
        w = settings.window or ("", "")
        return _nothing(
            "timeline",
            title,
            f"No timeline: none of the case's {len(dated)} dated events falls in the window "
            f"{w[0]} to {w[1]} ([timeline] window in case.toml); "
            f"widen the window or remove it.",
        )
    caption = tl.timeline_caption(
        events,
        cutoff_text(case),
        note="Spans show date uncertainty; hollow circle = booking, diamond = manifest.",
    )
    ax = tl.plot_timeline(
        events,
        xlim=settings.window,
        highlight=settings.highlights or None,
        annotations=settings.annotations or None,
        caption=caption,
        title=title,
        label_chars=label_chars,
    )
    lanes = list(pd.unique(shown["category"].astype("string").fillna("other")))
    first = shown["date_start"].min().date().isoformat()
    last = shown["date_end"].max().date().isoformat()
    alt = (
        f"Timeline of {len(shown)} events in {len(lanes)} lane(s) ({', '.join(map(str, lanes))}) "
        f"from {first} to {last}; bars show dates known only to the month or as a range."
    )
    if settings.highlights:
        alt += " Shaded: " + "; ".join(f"{h[2]} ({h[0]} to {h[1]})" for h in settings.highlights)
        alt += "."
    if settings.annotations:
        alt += " Dashed markers: " + "; ".join(f"{t} ({d})" for d, t in settings.annotations)
        alt += "."
    if len(shown) < len(dated):
        alt += f" {len(dated) - len(shown)} event(s) outside the window are not drawn."
    return Drawn("timeline", title, ax, caption, alt, caption_drawn=True)


def story_spread_figure(case: Case, settings: CaseSettings) -> Drawn:
    """Publication dates of the sources, grouped by origin (notebook 01)."""
    title = "How the story spread"
    src = case.sources
    if src is None or src.empty:
        return _nothing(
            "story_spread",
            title,
            "No story-spread chart: the case has no source yet; add rows to sources.csv.",
        )
    if src["published_start"].isna().all():
        return _nothing(
            "story_spread",
            title,
            f"No story-spread chart: none of the case's {len(src)} sources has a publication "
            f"date; fill in sources.csv's published column.",
        )
    caption = tl.timeline_caption(
        src.assign(origin_format="sources"),
        cutoff_text(case),
        sources=[f"case sources.csv ({len(src)} rows, published dates as recorded)"],
        note="Undated relays are drawn at their nearest dated ancestor's date (on or after it).",
    )
    ax = tl.plot_story_spread(case, caption=caption, title=title)
    n_undated = int(src["published_start"].isna().sum())
    roots = src["derived_from"].astype("string").fillna("").str.strip().eq("").sum()
    alt = (
        f"Publication dates of {len(src)} sources from "
        f"{src['published_start'].min().date().isoformat()} to "
        f"{src['published_start'].max().date().isoformat()}, grouped by origin "
        f"({int(roots)} source(s) relay no other); each relay is joined to the source it copies."
    )
    if n_undated:
        alt += f" {n_undated} undated source(s) are drawn hollow at their nearest dated ancestor."
    return Drawn("story_spread", title, ax, caption, alt, caption_drawn=True)


def _route_caption(case: Case) -> str:
    cited = "; ".join(case.cite(case.travel["source_id"])) or "no source given"
    return make_caption([f"case travel.csv ({cited})", "Natural Earth"], cutoff=cutoff_text(case))


def _mappable(case: Case, legs: pd.DataFrame) -> bool:
    p = case.places
    has_place = p is not None and (p["lat"].notna() & p["lon"].notna()).any()
    has_leg = len(legs) and (legs["origin_lat"].notna() & legs["destination_lat"].notna()).any()
    return bool(has_place or has_leg)


_NO_MAP = (
    "No route map: the case has no place with coordinates and no travel record between "
    "known places; add rows to places.csv (lat, lon) or travel.csv."
)


def route_figure(case: Case, settings: CaseSettings, *, legs: pd.DataFrame | None = None) -> Drawn:
    """Static twin of the route map (notebook 02): legs, inferred legs, places."""
    title = "Route the records support"
    legs = case_legs(case).legs if legs is None else legs
    if not _mappable(case, legs):
        return _nothing("route_map", title, _NO_MAP)
    ax = maps.plot_route(case_with_map_view(case, settings), legs=legs)
    n_rec = int((legs["origin_lat"].notna() & legs["destination_lat"].notna()).sum())
    inferred = maps.inferred_legs(case, legs)
    kinds = ", ".join(
        f"{n} {k}" for k, n in legs["record_kind"].astype("string").value_counts().items()
    )
    alt = (
        f"Map of {n_rec} travel leg(s) between known places ({kinds or 'no record'}) drawn "
        f"solid, {len(inferred)} inferred leg(s) that only claims imply drawn dashed, and "
        f"{int(case.places['lat'].notna().sum())} place(s) with uncertainty circles."
    )
    return Drawn("route_map", title, ax, _route_caption(case), alt)


def route_html(case: Case, settings: CaseSettings, *, legs: pd.DataFrame | None = None):
    """The offline folium route map (notebook 02) and None, or None and the
    sentence saying why there is no map."""
    legs = case_legs(case).legs if legs is None else legs
    if not _mappable(case, legs):
        return None, _NO_MAP
    return maps.route_map(case_with_map_view(case, settings), legs=legs), None


def _matrix_caption(case: Case) -> str:
    return make_caption(
        [f"case bundle {case.slug} ({len(case.sources)} sources; see sources.csv)"],
        cutoff_text(case),
    )


def relay_graph_figure(
    case: Case,
    settings: CaseSettings,
    *,
    result: Corroboration | None = None,
    focus: bool = False,
) -> Drawn:
    """Who relays whom (notebook 03); ``focus=True``: coloured by the stances on
    ``settings.focus_claim`` (file ``relay_graph_focus``)."""
    name = "relay_graph_focus" if focus else "relay_graph"
    claim = settings.focus_claim if focus else None
    title = f"Relay graph, stances on {claim}" if claim else "Relay graph: who relays whom"
    if case.sources is None or case.sources.empty:
        return _nothing(
            name, title, "No relay graph: the case has no source yet; add rows to sources.csv."
        )
    if focus and claim is None:
        return _nothing(
            name,
            title,
            "No focus claim: no claim has a supporting source yet; add assertions, or name one "
            "as [corroboration] focus_claim in case.toml.",
        )
    result = corroborate(case) if result is None else result
    ax = mx.plot_relay_graph(result, claim=claim)
    origins = result.origins["origin_id"].nunique()
    alt = (
        f"Graph of {len(case.sources)} sources, each joined to the source(s) it relays; "
        f"{origins} origin(s) at the roots."
    )
    if claim:
        st = result.matrix.loc[claim].value_counts() if claim in result.matrix.index else {}
        alt += (
            " Coloured by stance on claim "
            + claim
            + ": "
            + (", ".join(f"{n} {s}" for s, n in dict(st).items()) or "no stance")
            + "."
        )
    return Drawn(name, title, ax, _matrix_caption(case), alt)


def claim_matrix_figure(
    case: Case,
    settings: CaseSettings,
    *,
    result: Corroboration | None = None,
    claim_text: int = 48,
) -> Drawn:
    """Claims x sources, coloured by stance (notebook 03)."""
    title = "Who says what: claims × sources"
    result = corroborate(case) if result is None else result
    if result.matrix.empty or result.matrix.notna().sum().sum() == 0:
        return _nothing(
            "claim_matrix",
            title,
            "No claim matrix: the case has no assertion (a source's stance on a claim) yet; "
            "add rows to assertions.csv.",
        )
    ax = mx.plot_matrix(result, claim_text=claim_text)
    n_c, n_s = result.matrix.shape
    single = int((result.claim_summary["n_origins_support"] == 1).sum())
    alt = (
        f"Matrix of {n_c} claims by {n_s} sources, coloured by stance (supports, qualifies, "
        f"contradicts, omits); {single} claim(s) are supported from a single origin."
    )
    return Drawn("claim_matrix", title, ax, _matrix_caption(case), alt)


def ach_figure(case: Case, settings: CaseSettings, *, acr: AchResult | None = None) -> Drawn:
    """Analysis of competing hypotheses: ratings and ranking (notebook 03)."""
    title = "Competing hypotheses"
    if case.hypotheses is None or case.hypotheses.empty:
        return _nothing(
            "ach",
            title,
            "No ACH chart: the case has no hypothesis yet; add rows to "
            "hypotheses.csv and rate the evidence in ach.csv.",
        )
    acr = compare_hypotheses(case) if acr is None else acr
    if case.ach is None or case.ach.empty or acr.scores["n_rated"].fillna(0).sum() == 0:
        return _nothing(
            "ach",
            title,
            f"No ACH chart: the case's {len(case.hypotheses)} hypotheses have no rating yet; "
            f"rate the evidence in ach.csv (hypothesis_id, claim_id, rating).",
        )
    ax = mx.plot_ach(acr, claims=case.claims)
    best = acr.scores.sort_values("rank").iloc[0]
    alt = (
        f"Ratings of the evidence against {len(acr.scores)} hypotheses; the least inconsistent "
        f"is {best['hypothesis_id']}: {best['text']}"
    )
    return Drawn("ach", title, ax, _matrix_caption(case), alt)


def save_drawn(
    drawn: Drawn,
    folder: str | os.PathLike,
    formats: Sequence[str] = ("png", "svg", "pdf"),
    *,
    dpi: int = 200,
    manifest: Manifest | None = None,
) -> list[Path]:
    """Write a :class:`Drawn` as ``folder/<name>.<format>`` (nothing when it has
    no figure); the caption is added unless the view already drew it.  Fonts are
    embedded as TrueType in PDF (Type 42, never Type 3) and kept as text in SVG
    (:data:`PRINT_RC`), in the notebooks as in the report."""
    import matplotlib

    if drawn.ax is None:
        return []
    with matplotlib.rc_context(PRINT_RC):  # type: ignore[arg-type]
        return save_figure(
            drawn.figure,
            Path(folder) / drawn.name,
            formats,
            caption=None if drawn.caption_drawn else drawn.caption,
            dpi=dpi,
            manifest=manifest,
            title=drawn.title,
        )
