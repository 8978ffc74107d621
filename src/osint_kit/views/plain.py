"""Text from sources is drawn as text, never as matplotlib mathtext.

Matplotlib reads ``$...$`` in any label as a formula: a claim such as "paid
$5m and $3m" would be typeset as mathematics, and hostile text such as
``$\\frac{1}{0$`` makes the whole figure fail to render.  Every drawing
function of the kit is wrapped in :func:`plain_text`, which creates its
artists with ``text.parse_math`` off (the setting is stored on each Text
when it is created, so it holds when the figure is saved later).
"""

from __future__ import annotations

import functools


def plain_text(draw):
    """Decorator: run ``draw`` with matplotlib's mathtext parsing switched off."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)

    return wrapper


def wrap_lines(text: str, width_inches: float, fontsize: float) -> str:
    """Break ``text`` into lines that fit ``width_inches`` at ``fontsize`` points.

    Used instead of matplotlib's ``wrap=True``, which measures each piece as
    mathtext whenever it holds two ``$`` signs, whatever ``parse_math`` says,
    and so fails on source text such as ``$\\bad$``.  The width of a character
    is taken as 0.55 em (DejaVu Sans averages about that), so lines may end a
    little short, never long.
    """
    import textwrap

    chars = max(20, int(width_inches * 72 / (0.55 * fontsize)))
    return "\n".join(textwrap.fill(p, chars) for p in str(text).split("\n"))
