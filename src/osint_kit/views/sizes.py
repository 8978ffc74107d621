"""Figure sizes for print and slides, one vocabulary for every drawing and export.

Every ``plot_*`` function of :mod:`osint_kit.views` takes ``size=`` and draws a
new figure at that size (with ``ax=`` given, the figure of ``ax`` is set to it);
:func:`osint_kit.report.export.save_figure` takes the same ``size=`` and writes
the file at exactly that size (the caption inside it).  Draw at the size you
will print: labels are placed for the size they are drawn at.

========================  ==================  ======================================
name                      inches (w x h)      what it is
========================  ==================  ======================================
``"a4"``                  6.69 x 9.72         A4 portrait text block: 170 x 247 mm
                                              (210 x 297 mm less 20 mm side and
                                              25 mm top/bottom margins)
``"a4-half"``             6.69 x 4.72         half of it: 170 x 120 mm
``"a4-landscape"``        10.12 x 6.69        A4 landscape text block: 257 x 170 mm
``"slide"``               13.33 x 7.5         a 16:9 slide (PowerPoint's default
                                              widescreen, 33.867 x 19.05 cm)
========================  ==================  ======================================

A ``(width, height)`` pair in inches is accepted too.
"""

from __future__ import annotations

from osint_kit.errors import OsintKitError

__all__ = ["FIGURE_SIZES", "apply_size", "figure_size"]

_MM = 1 / 25.4

#: Named figure sizes, (width, height) in inches.
FIGURE_SIZES: dict[str, tuple[float, float]] = {
    "a4": (170 * _MM, 247 * _MM),
    "a4-half": (170 * _MM, 120 * _MM),
    "a4-landscape": (257 * _MM, 170 * _MM),
    "slide": (40 / 3, 7.5),
}


def figure_size(size, default: tuple[float, float] | None = None) -> tuple[float, float]:
    """``size`` (a name of :data:`FIGURE_SIZES`, a (width, height) pair in inches,
    or None for ``default``) -> (width, height) in inches.

    Raises :class:`~osint_kit.errors.OsintKitError` naming the presets for an
    unknown name or a pair that is not two positive numbers.
    """
    import math

    if size is None:
        if default is None:
            raise OsintKitError("figure_size: no size given and no default")
        return float(default[0]), float(default[1])
    if isinstance(size, str):
        key = size.strip().lower()
        if key not in FIGURE_SIZES:
            raise OsintKitError(
                f"size {size!r} is not a figure size preset; use one of "
                f"{sorted(FIGURE_SIZES)} or a (width, height) pair in inches"
            )
        return FIGURE_SIZES[key]
    try:
        w, h = (float(v) for v in size)
    except (TypeError, ValueError):
        w = h = math.nan
    if not (math.isfinite(w) and math.isfinite(h) and w > 0 and h > 0):
        raise OsintKitError(
            f"size {size!r} is not a (width, height) pair of positive inches; "
            f"use one of {sorted(FIGURE_SIZES)} or e.g. (10, 6)"
        )
    return w, h


def apply_size(ax, size) -> None:
    """Set the figure of ``ax`` to ``size`` (nothing when ``size`` is None)."""
    if size is not None:
        ax.figure.set_size_inches(*figure_size(size))
