"""Text from sources is drawn as text: mathtext never breaks or alters a figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from osint_kit import load_case
from osint_kit.report.export import save_figure
from osint_kit.views.plain import wrap_lines

# `$\frac{1}{0$` is not valid mathtext: if matplotlib parsed it, saving would raise
HOSTILE = r"Paid $\frac{1}{0$ and $\undefined$"


@pytest.fixture
def hostile_case(case_copy):
    def put(name, old, new):
        p = case_copy / name
        text = p.read_text(encoding="utf-8")
        assert old in text
        p.write_text(text.replace(old, new, 1), encoding="utf-8")

    put("claims.csv", "Seven Russian weapons/missile", HOSTILE + " Seven Russian")
    put("places.csv", "Behshahr (town)", "Behshahr $\\bad$ (town)")
    put("sources.csv", "Daily The Patriot", "Daily $\\bad$ Patriot")
    put("events.csv", "First booked Moscow", "First $\\x$ booked Moscow")
    return load_case(case_copy)


def _drawers(case):
    from osint_kit.analysis.ach import compare_hypotheses
    from osint_kit.analysis.corroboration import corroborate
    from osint_kit.readers import events
    from osint_kit.views import maps, matrix, timeline

    ev, _ = events.events_from_case(case)
    return {
        "plot_matrix": lambda: matrix.plot_matrix(corroborate(case)),
        "plot_ach": lambda: matrix.plot_ach(compare_hypotheses(case), claims=case.claims),
        "plot_relay_graph": lambda: matrix.plot_relay_graph(corroborate(case)),
        "plot_route": lambda: maps.plot_route(case),
        "plot_story_spread": lambda: timeline.plot_story_spread(case, caption=HOSTILE),
        "plot_timeline": lambda: timeline.plot_timeline(ev, caption=HOSTILE),
    }


@pytest.mark.parametrize(
    "name",
    [
        "plot_matrix",
        "plot_ach",
        "plot_relay_graph",
        "plot_route",
        "plot_story_spread",
        "plot_timeline",
    ],
)
def test_hostile_labels_render_as_text(hostile_case, name, tmp_path):
    ax = _drawers(hostile_case)[name]()
    paths = save_figure(ax.figure, tmp_path / name, formats=("png", "svg"), caption=HOSTILE)
    svg = paths[1].read_text(encoding="utf-8")
    # drawn literally (SVG keeps text as glyph paths, so look at the PNG too): no exception,
    # and no artist of the figure is set to parse mathtext
    texts = ax.figure.findobj(lambda a: hasattr(a, "get_parse_math"))
    assert texts and not any(t.get_parse_math() for t in texts)
    assert paths[0].stat().st_size > 10_000 and svg.startswith("<?xml")
    plt.close(ax.figure)


def test_wrap_lines_never_exceeds_the_width():
    text = "word " * 200
    lines = wrap_lines(text, width_inches=4, fontsize=8).split("\n")
    # 4 in * 72 pt / (0.55 * 8 pt) = 65 characters per line at most
    assert max(len(line) for line in lines) <= 65
    assert " ".join(lines).split() == text.split()  # nothing lost
