"""Drawing the corroboration analysis: stance matrix, ACH matrix, relay graph.

Every function takes ``ax=`` (a matplotlib Axes; one is created when None),
draws, and returns the Axes; nothing is saved here (use
:func:`osint_kit.report.export.save_figure`).  Matplotlib and networkx are imported
inside the functions, so ``import osint_kit`` stays fast.

Colours are from the Okabe–Ito colour-blind-safe palette, and every matrix
cell also carries a letter (S, C, Q, O; or the ACH rating), so nothing depends
on colour alone.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from osint_kit.analysis.ach import RATINGS, AchResult
from osint_kit.analysis.corroboration import STANCES, Corroboration
from osint_kit.views.plain import plain_text
from osint_kit.views.sizes import apply_size, figure_size

__all__ = [
    "STANCE_COLOURS",
    "STATUS_COLOURS",
    "RATING_COLOURS",
    "plot_matrix",
    "plot_ach",
    "plot_relay_graph",
]

#: Okabe–Ito colours per stance (and blank).
STANCE_COLOURS = {
    "supports": "#0072B2",  # blue
    "qualifies": "#E69F00",  # orange
    "contradicts": "#D55E00",  # vermillion
    "omits": "#BBBBBB",  # grey
    "blank": "#FFFFFF",
}
_STANCE_LETTER = {"supports": "S", "contradicts": "C", "qualifies": "Q", "omits": "O"}
STATUS_COLOURS = {
    "corroborated": "#009E73",  # bluish green
    "single origin": "#56B4E9",  # sky blue
    "contested": "#D55E00",
    "contradicted only": "#CC79A7",  # reddish purple
    "only qualified": "#F0E442",  # yellow
    "no source in this case": "#EEEEEE",
}
#: ACH ratings on a diverging scale (consistent = blue, inconsistent = vermillion).
RATING_COLOURS = {
    "CC": "#0072B2",
    "C": "#8EC3E6",
    "N": "#EEEEEE",
    "I": "#F2A97E",
    "II": "#D55E00",
    "NA": "#FFFFFF",
}
_GRADE_COLOURS = {
    "A": "#009E73",
    "B": "#56B4E9",
    "C": "#F0E442",
    "D": "#E69F00",
    "E": "#D55E00",
    "F": "#999999",
}


def _check_result(result, kind: type, analysis: str, view: str):
    """The one input convention of the claim views: the analysis result, computed once."""
    if not isinstance(result, kind):
        raise TypeError(
            f"{view} draws the result of {analysis}(case), not a {type(result).__name__}: "
            f"compute it once with `result = osint_kit.{analysis}(case)` and pass `result`"
        )
    return result


def _new_ax(width: float, height: float, size=None):
    """A new constrained-layout Axes: ``size`` (a preset of :mod:`osint_kit.views.sizes`
    or (w, h) inches) when given, else ``width`` x ``height`` inches."""
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figure_size(size, (width, height)), layout="constrained")
    return ax


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever reads better on the fill (WCAG relative luminance)."""
    from matplotlib.colors import to_rgb

    r, g, b = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(hex_colour)
    )
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.3 else "white"


def _short(text, width: int) -> str:
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    return textwrap.shorten(str(text), width=width, placeholder="…")


@plain_text
def plot_matrix(
    result: Corroboration,
    ax=None,
    *,
    claims=None,
    claim_text: int = 48,
    show_status: bool = True,
    letters: bool | None = None,
    title: str | None = None,
    size=None,
):
    """Heatmap of claims × sources coloured by stance, sources grouped by origin.

    Parameters
    ----------
    result : Corroboration
        The result of :func:`~osint_kit.analysis.corroboration.corroborate`.
    ax : matplotlib Axes, optional
        Where to draw; a figure sized to the matrix is created when None.
    claims : list of str, optional
        Claim ids to show, in this order (default: all, file order).
    claim_text : int
        Characters of claim text after the id in row labels (0 = id only).
    show_status : bool
        Add a status column: status colour, independent origins supporting,
        and the Admiralty code (best supporter grade + credibility; ``*`` = set
        by the analyst).
    letters : bool, optional
        Write S/C/Q/O in the cells (default: when the matrix has ≤ 3,000 cells).
    title : str, optional
        Default: "Who says what: N claims × M sources (K assertions, G origins)".
    size : str or (float, float), optional
        A figure size preset of :mod:`osint_kit.views.sizes` ("a4", "slide", ...)
        or (width, height) in inches for the new figure (with ``ax``, its
        figure is set to it); default: sized to the content.

    Notes
    -----
    Columns follow ``Corroboration.source_order``: each relay
    group (sources sharing a primary origin) is bracketed under the matrix and
    separated from the next by a thick line; the grade in brackets after a
    source is its Admiralty reliability; relays are labelled with ``↳`` once per link
    from their origin, so ``↳↳ worldreviewnews`` copies a relay.

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch, Rectangle

    r = _check_result(result, Corroboration, "corroborate", "plot_matrix")
    codes = r.codes
    claim_ids = r.claim_ids
    summ = r.claim_summary.set_index("claim_id")
    if claims is not None:
        pos = claim_ids.get_indexer(pd.Index(claims))
        if (pos < 0).any():
            missing = [c for c, p in zip(claims, pos, strict=True) if p < 0]
            raise KeyError(f"plot_matrix: claims not in the case: {missing}")
        codes, claim_ids = codes[pos], claim_ids[pos]
    n_c, n_s = codes.shape
    extra = 2 if show_status else 0  # a gap column + the status column
    if ax is None:
        ax = _new_ax(
            min(2.0 + 0.32 * (n_s + extra * 2.5) + claim_text * 0.075, 40),
            min(2.6 + 0.26 * n_c, 60),
            size,
        )
    else:
        apply_size(ax, size)
    if letters is None:
        letters = n_c * n_s <= 3000

    palette = [STANCE_COLOURS[s] for s in STANCES] + [STANCE_COLOURS["blank"]]
    cmap = ListedColormap(palette)
    shown = np.where(codes < 0, len(STANCES), codes)
    ax.imshow(
        shown,
        cmap=cmap,
        vmin=-0.5,
        vmax=len(palette) - 0.5,
        aspect="auto",
        interpolation="nearest",
        extent=(-0.5, n_s - 0.5, n_c - 0.5, -0.5),
    )
    # cell grid
    ax.set_xticks(np.arange(-0.5, n_s, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_c, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    if letters:
        rows, cols = np.nonzero(codes >= 0)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            word = STANCES[codes[i, j]]
            ax.text(
                j,
                i,
                _STANCE_LETTER[word],
                ha="center",
                va="center",
                fontsize=7,
                color=_text_colour(STANCE_COLOURS[word]),
            )

    # source labels: relays indented with one arrow per link
    order = r.source_order
    depth = order["depth"].to_numpy()
    xlabels = [
        ("↳" * int(d) + " " if d else "") + str(s)
        for s, d in zip(order["source_id"], depth, strict=True)
    ]
    grade = order["reliability"].fillna("–").tolist()
    xlabels = [f"{lab} [{g}]" for lab, g in zip(xlabels, grade, strict=True)]
    xfont = 8 if n_s <= 60 else max(3.0, 480 / n_s)  # points; shrink labels for wide matrices
    yfont = 8 if n_c <= 60 else max(3.0, 480 / n_c)
    ax.set_xticks(np.arange(n_s), labels=xlabels, rotation=90, fontsize=xfont)
    ax.xaxis.tick_top()
    ylabels = [
        f"{cid}  {_short(summ.loc[cid, 'text'], claim_text)}"
        if claim_text and "text" in summ
        else str(cid)
        for cid in claim_ids
    ]
    ax.set_yticks(np.arange(n_c), labels=ylabels, fontsize=yfont)

    # relay groups (group = primary origin): a thick separator between groups, and a
    # bracket under each group naming its origin
    groups = order["group"].tolist()
    starts = [0] + [k for k in range(1, n_s) if groups[k] != groups[k - 1]]
    ends = starts[1:] + [n_s]
    # brackets hang a fixed number of points under the matrix (x in data, y in axes
    # + points), so the legend below can be placed clear of them whatever the row height
    from matplotlib.transforms import blended_transform_factory, offset_copy

    under = blended_transform_factory(ax.transData, ax.transAxes)
    named = False
    for a, b in zip(starts, ends, strict=True):
        if a > 0:
            ax.axvline(a - 0.5, color="black", linewidth=1.6)
        if b - a > 1:
            low = offset_copy(under, fig=ax.figure, y=-6, units="points")
            top = offset_copy(under, fig=ax.figure, y=-1, units="points")
            ax.plot(
                [a - 0.4, b - 0.6], [0, 0], color="#333333", lw=1.0, clip_on=False, transform=low
            )
            for x in (a - 0.4, b - 0.6):  # the bracket's ends
                ax.annotate(
                    "",
                    xy=(x, 0),
                    xycoords=top,
                    xytext=(x, 0),
                    textcoords=low,
                    arrowprops={
                        "arrowstyle": "-",
                        "shrinkA": 0,
                        "shrinkB": 0,
                        "lw": 1.0,
                        "color": "#333333",
                    },
                    annotation_clip=False,
                )
            if b - a >= max(3, n_s / 25):  # name the group where there is room for it
                named = True
                ax.text(
                    (a + b - 1) / 2,
                    0,
                    f"relay group of {groups[a]} ({b - a} sources)",
                    ha="center",
                    va="top",
                    fontsize=8,
                    clip_on=False,
                    transform=offset_copy(under, fig=ax.figure, y=-8, units="points"),
                )
    n_groups = len(starts)

    width = n_s - 0.5
    if show_status:
        x0, w = n_s + 0.2, 3.6
        short = {"no source in this case": "no source", "contradicted only": "contradicted"}
        for i, cid in enumerate(claim_ids):
            st = str(summ.loc[cid, "status"])
            colour = STATUS_COLOURS.get(st, "#FFFFFF")
            ax.add_patch(
                Rectangle((x0, i - 0.5), w, 1, facecolor=colour, edgecolor="white", linewidth=0.8)
            )
            n_org = int(summ.loc[cid, "n_origins_support"])
            label = {"corroborated": f"{n_org} origins", "single origin": "1 origin"}.get(
                st, short.get(st, st)
            )
            star = "*" if summ.loc[cid, "credibility_source"] == "analyst" else ""
            ax.text(
                x0 + 0.15,
                i,
                f"{label}  {summ.loc[cid, 'admiralty']}{star}",
                ha="left",
                va="center",
                fontsize=7,
                color=_text_colour(colour),
            )
        ax.text(x0 + w / 2, -0.7, "status · grade", ha="center", va="bottom", fontsize=8)
        width = x0 + w
    ax.set_xlim(-0.5, width)
    ax.set_ylim(n_c - 0.5, -0.5)
    for side in ("right", "bottom"):
        ax.spines[side].set_visible(False)

    n_assert = int((codes >= 0).sum())
    if title is None:
        title = (
            f"Who says what: {n_c} claims × {n_s} sources "
            f"(N={n_assert} assertions, {n_groups} origin group{'s' if n_groups != 1 else ''})"
        )
    ax.set_title(title, fontsize=11, pad=12)
    handles = [
        Patch(facecolor=STANCE_COLOURS[s], edgecolor="#999999", label=f"{_STANCE_LETTER[s]} {s}")
        for s in STANCES
    ]
    handles.append(Patch(facecolor="white", edgecolor="#999999", label="blank: not covered"))
    if show_status:
        present = summ.loc[list(claim_ids), "status"].unique().tolist()
        handles += [
            Patch(facecolor=STATUS_COLOURS[s], edgecolor="#999999", label=f"status: {s}")
            for s in STATUS_COLOURS
            if s in present
        ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, 0),
        # under the brackets (6 pt) and their group names (8-pt text from 8 pt down)
        bbox_transform=offset_copy(
            ax.transAxes, fig=ax.figure, y=-(22 if named else 10), units="points"
        ),
        ncol=min(4, len(handles)),
        fontsize=8,
        frameon=False,
    )
    return ax


@plain_text
def plot_ach(
    result: AchResult,
    ax=None,
    *,
    claims: pd.DataFrame | None = None,
    title: str | None = None,
    claim_text: int = 40,
    size=None,
):
    """ACH matrix: evidence (rows, most diagnostic first) × hypotheses (least inconsistent first).

    Cells are coloured by rating on a diverging scale (CC dark blue … II
    vermillion) and carry the rating; column headers give the rank, the Heuer
    inconsistency and the PARC weighted score; a right-hand column gives each
    item's diagnosticity.

    Parameters
    ----------
    result : AchResult
        From :func:`osint_kit.analysis.ach.compare_hypotheses`.
    ax : matplotlib Axes, optional
    claims : DataFrame, optional
        claims table (claim_id, text) for row labels when passing an AchResult.
    title : str, optional
        Default: "ACH: H hypotheses × E evidence items (least inconsistent first)".
    claim_text : int
        Characters of claim text in row labels, when the case has claims (0 = ids only).
    size : str or (float, float), optional
        A figure size preset of :mod:`osint_kit.views.sizes` ("a4", "slide", ...)
        or (width, height) in inches for the new figure (with ``ax``, its
        figure is set to it); default: sized to the content.

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    res = _check_result(result, AchResult, "compare_hypotheses", "plot_ach")
    texts = {}
    if claims is not None and "text" in claims:
        texts = dict(zip(claims["claim_id"], claims["text"], strict=True))
    scores, diag = res.scores, res.diagnosticity
    hyp_order = scores["hypothesis_id"].tolist()
    ev_order = diag["claim_id"].tolist()
    m = res.matrix.reindex(index=ev_order, columns=hyp_order)
    n_e, n_h = m.shape
    if ax is None:
        ax = _new_ax(3.5 + 1.3 * n_h + claim_text * 0.07, 2.2 + 0.38 * n_e, size)
    else:
        apply_size(ax, size)
    idx = {r: k for k, r in enumerate(RATINGS)}
    grid = (
        np.array(
            [
                [idx.get(v, len(RATINGS)) if isinstance(v, str) else len(RATINGS) for v in row]
                for row in m.to_numpy(dtype=object)
            ],
            dtype=int,
        )
        if n_e
        else np.zeros((0, n_h), int)
    )
    palette = [RATING_COLOURS[r] for r in RATINGS] + ["#FFFFFF"]
    ax.imshow(
        grid,
        cmap=ListedColormap(palette),
        vmin=-0.5,
        vmax=len(palette) - 0.5,
        aspect="auto",
        interpolation="nearest",
        extent=(-0.5, n_h - 0.5, n_e - 0.5, -0.5),
    )
    ax.set_xticks(np.arange(-0.5, n_h, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_e, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    for i in range(n_e):
        for j in range(n_h):
            v = m.iat[i, j]
            if isinstance(v, str):
                ax.text(
                    j,
                    i,
                    v,
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=_text_colour(RATING_COLOURS[v]),
                )
    heads = [
        f"{h}\nrank {rk}\nHeuer {hs}\nweighted {ws:.2f}"
        for h, rk, hs, ws in zip(
            scores["hypothesis_id"],
            scores["rank"],
            scores["heuer_inconsistency"],
            scores["weighted_inconsistency"],
            strict=True,
        )
    ]
    ax.set_xticks(np.arange(n_h), labels=heads, fontsize=8)
    ax.xaxis.tick_top()
    ylab = [f"{c}  {_short(texts.get(c), claim_text)}".rstrip() for c in ev_order]
    ax.set_yticks(np.arange(n_e), labels=ylab, fontsize=8)
    for i, d in enumerate(diag["diagnosticity"]):
        ax.text(
            n_h - 0.5 + 0.15,
            i,
            f"diag. {d}",
            ha="left",
            va="center",
            fontsize=8,
            color="#222222" if d else "#999999",
            clip_on=False,
        )
    ax.set_xlim(-0.5, n_h - 0.5 + 0.55)
    ax.set_ylim(n_e - 0.5, -0.5)
    for side in ("right", "bottom"):
        ax.spines[side].set_visible(False)
    if title is None:
        title = (
            f"ACH: {n_h} hypotheses × {n_e} evidence items (N={len(res.ratings)} ratings; "
            "least inconsistent first)"
        )
    ax.set_title(title, fontsize=11, pad=10)
    names = {
        "CC": "very consistent",
        "C": "consistent",
        "N": "neutral",
        "I": "inconsistent",
        "II": "very inconsistent",
        "NA": "not applicable",
    }
    handles = [
        Patch(facecolor=RATING_COLOURS[r], edgecolor="#999999", label=f"{r} {names[r]}")
        for r in RATINGS
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, -0.01),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    return ax


@plain_text
def plot_relay_graph(
    result: Corroboration,
    ax=None,
    *,
    claim: str | None = None,
    title: str | None = None,
    node_size: float = 900,
    size=None,
):
    """Sources as nodes, derived_from as arrows (from the source copied to the relay).

    Layout: one column per depth (origins on the left, relays of relays to
    the right); the letter in a node is the source's Admiralty reliability
    grade.  Nodes are coloured by that grade, or — when
    ``claim`` is given — by that source's stance on the claim, showing how one
    claim travels (and changes) along the relay chains.

    Parameters
    ----------
    result : Corroboration
        The result of :func:`~osint_kit.analysis.corroboration.corroborate`.
    ax : matplotlib Axes, optional
    claim : str, optional
        A claim_id whose stances colour the nodes.
    title : str, optional
        Default gives the counts of sources, origins and links.
    node_size : float
        Marker area in points².
    size : str or (float, float), optional
        A figure size preset of :mod:`osint_kit.views.sizes` ("a4", "slide", ...)
        or (width, height) in inches for the new figure (with ``ax``, its
        figure is set to it); default: sized to the content.

    Returns
    -------
    matplotlib Axes
    """
    import networkx as nx
    from matplotlib.patches import Patch

    r = _check_result(result, Corroboration, "corroborate", "plot_relay_graph")
    order = r.source_order
    if ax is None:
        ax = _new_ax(
            4.5 + 3.0 * (int(order["depth"].max()) + 1 if len(order) else 1),
            max(4.5, 0.42 * len(order) + 1.5),
            size,
        )
    else:
        apply_size(ax, size)
    g = nx.DiGraph()
    for sid, d in zip(order["source_id"], order["depth"], strict=True):
        g.add_node(sid, depth=int(d))
    links = r.ancestors[r.ancestors["depth"] == 1]
    g.add_edges_from(zip(links["ancestor_id"], links["source_id"], strict=True))
    pos = nx.multipartite_layout(g, subset_key="depth", align="vertical")
    # keep matrix order top-to-bottom within each column
    rank = {s: k for k, s in enumerate(order["source_id"])}
    for d in set(nx.get_node_attributes(g, "depth").values()):
        members = sorted([n for n in g if g.nodes[n]["depth"] == d], key=rank.__getitem__)
        ys = np.linspace(1, -1, len(members)) if len(members) > 1 else [0.0]
        for n, y in zip(members, ys, strict=True):
            pos[n] = np.array([float(d), float(y)])

    if claim is not None:
        if claim not in r.claim_ids:
            raise KeyError(f"plot_relay_graph: claim {claim!r} is not in the case")
        row = r.codes[r.claim_ids.get_loc(claim)]
        by_source = dict(zip(r.source_ids, row, strict=True))
        colours = [
            STANCE_COLOURS[STANCES[by_source[n]]] if by_source[n] >= 0 else STANCE_COLOURS["blank"]
            for n in g
        ]
        legend = [Patch(facecolor=STANCE_COLOURS[s], edgecolor="#555555", label=s) for s in STANCES]
        legend.append(Patch(facecolor="white", edgecolor="#555555", label="does not mention it"))
        legend.append(Patch(facecolor="none", edgecolor="none", label="letter: reliability A–F"))
    else:
        grade = dict(zip(order["source_id"], order["reliability"].fillna("F"), strict=True))
        colours = [_GRADE_COLOURS.get(grade[n], "#999999") for n in g]
        legend = [
            Patch(facecolor=c, edgecolor="#555555", label=f"{k}: reliability")
            for k, c in _GRADE_COLOURS.items()
        ]
    nx.draw_networkx_edges(
        g,
        pos,
        ax=ax,
        arrows=True,
        arrowstyle="-|>",
        arrowsize=12,
        edge_color="#666666",
        node_size=node_size,
        width=1.0,
        connectionstyle="arc3,rad=0.05",
    )
    nx.draw_networkx_nodes(
        g, pos, ax=ax, node_color=colours, edgecolors="#333333", linewidths=0.8, node_size=node_size
    )
    radius_pt = np.sqrt(node_size / np.pi)
    grade = dict(zip(order["source_id"], order["reliability"].fillna("–"), strict=True))
    for n, (x, y), colour in zip(g.nodes, (pos[n] for n in g.nodes), colours, strict=True):
        ax.annotate(
            n,
            (x, y),
            xytext=(radius_pt + 3, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8,
            bbox={
                "boxstyle": "round,pad=0.15",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.85,
            },
        )
        ax.text(x, y, grade[n], ha="center", va="center", fontsize=8, color=_text_colour(colour))
    max_d = max((g.nodes[n]["depth"] for n in g), default=0)
    ax.tick_params(axis="x", which="both", bottom=True, labelbottom=True)
    ax.set_xlim(-0.3, max_d + 0.95)
    ax.set_ylim(-1.15, 1.15)
    ax.set_xticks(
        range(max_d + 1),
        labels=[
            "origin" if d == 0 else f"{d} link{'s' if d > 1 else ''} down" for d in range(max_d + 1)
        ],
    )
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    n_origins = int((order["depth"] == 0).sum())
    if title is None:
        title = (
            f"Relay graph: {len(order)} sources, {n_origins} origin{'s' if n_origins != 1 else ''}, "
            f"{g.number_of_edges()} derived_from links"
        )
        if claim is not None:
            n_on = int((r.codes[r.claim_ids.get_loc(claim)] >= 0).sum())
            title += f"\nstances on {claim} (N={n_on} sources)"
    ax.set_title(title, fontsize=11)
    ax.legend(
        handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
    )
    return ax
