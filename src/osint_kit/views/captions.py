"""Figure captions: where the material comes from and its cut-off date.

A caption is part of the figure a view draws, so it lives with the views;
:func:`osint_kit.report.export.save_figure` draws one under the axes, and
:func:`osint_kit.views.timeline.timeline_caption` builds the timeline's.
(``osint_kit.report.export.make_caption`` is the same function, re-exported.)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["make_caption"]


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
