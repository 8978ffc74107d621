"""Figure captions: where the material comes from and its cut-off date.

A caption is part of the figure a view draws, so it lives with the views;
:func:`osint_kit.report.export.save_figure` draws one under the axes, and
:func:`osint_kit.views.timeline.timeline_caption` builds the timeline's.
(``osint_kit.report.export.make_caption`` is the same function, re-exported.)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["km_text", "make_caption"]


def make_caption(
    sources: Sequence[str] | str | None = None, cutoff: str | None = None, note: str | None = None
) -> str:
    """Build a report caption: ``"Sources: a; b. Material cut-off: 2025-03-31."``.

    Parameters
    ----------
    sources : list of str or str, optional
        Source names (publishers, dataset titles) shown in the figure.
    cutoff : str, optional
        Cut-off date of the material (the case's ``cutoff``).
    note : str, optional
        Anything else the reader must know (appended last).
    """
    parts = []
    if sources:
        if isinstance(sources, str):
            sources = [sources]
        parts.append("Sources: " + "; ".join(str(s) for s in sources) + ".")
    if cutoff:
        parts.append(f"Material cut-off: {cutoff}.")
    if note:
        parts.append(str(note))
    return " ".join(parts)


def km_text(km) -> str:
    """A distance for people: ``2464.069468`` -> ``"2,464 km"``.

    Whole kilometres (with a thousands separator) from 10 km up, one decimal
    below (``5.04`` -> ``"5 km"``, ``0.42`` -> ``"0.4 km"``: a trailing
    ``.0`` is dropped), and ``"unknown distance"`` for a missing value.
    Labels, captions and popups show this; tables keep the full number.
    """
    import math

    try:
        x = float(km)
    except (TypeError, ValueError):
        return "unknown distance"
    if math.isnan(x):
        return "unknown distance"
    if abs(x) >= 10:
        return f"{x:,.0f} km"
    text = f"{x:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + " km"
