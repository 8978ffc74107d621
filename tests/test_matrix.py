"""Tests for osint_kit.views.matrix: the drawing functions take ax=, return it, and draw what they say."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from osint_kit.analysis import corroboration as co
from osint_kit.analysis.ach import compare_hypotheses
from osint_kit.views import matrix as mx

SOURCES = pd.DataFrame(
    {
        "source_id": ["wire", "copy", "indep"],
        "derived_from": [None, "wire", None],
        "reliability": ["A", "E", "B"],
    },
    dtype="string",
)
CLAIMS = pd.DataFrame(
    {"claim_id": ["K1", "K2"], "text": ["first claim", "second claim"]}, dtype="string"
)
ASSERTIONS = pd.DataFrame(
    {
        "source_id": ["wire", "copy", "indep", "copy"],
        "claim_id": ["K1", "K1", "K1", "K2"],
        "stance": ["supports", "qualifies", "supports", "contradicts"],
    },
    dtype="string",
)


@pytest.fixture
def small():
    # the views draw the analysis result, computed once
    return co.corroborate(co.frames(SOURCES, CLAIMS, ASSERTIONS))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_plot_matrix_uses_given_ax_and_draws_cells(small):
    _fig, ax = plt.subplots()
    out = mx.plot_matrix(small, ax=ax)
    assert out is ax
    # columns in relay order with depth arrows and grades
    assert [t.get_text() for t in ax.get_xticklabels()] == ["wire [A]", "↳ copy [E]", "indep [B]"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["K1  first claim", "K2  second claim"]
    # one letter per assertion (S, Q, S, C) plus the status column texts
    letters = [t for t in _texts(ax) if t in {"S", "C", "Q", "O"}]
    assert sorted(letters) == ["C", "Q", "S", "S"]
    # K1: wire and indep are two independent origins; K2: contradicted only
    assert "2 origins  A1" in _texts(ax)
    assert "contradicted  -5" in _texts(ax)
    assert ax.get_title() == "Who says what: 2 claims × 3 sources (N=4 assertions, 2 origin groups)"


def test_plot_matrix_subset_and_unknown_claim(small):
    ax = mx.plot_matrix(small, claims=["K2"], show_status=False, claim_text=0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["K2"]
    assert ax.get_title().startswith("Who says what: 1 claims × 3 sources (N=1 assertions")
    with pytest.raises(KeyError, match="K9"):
        mx.plot_matrix(small, claims=["K9"])


def test_plot_ach_orders_by_rank_and_diagnosticity():
    hyp = pd.DataFrame({"hypothesis_id": ["H1", "H2"], "text": ["a", "b"]}, dtype="string")
    t = pd.DataFrame(
        {
            "hypothesis_id": ["H1", "H2", "H1", "H2"],
            "claim_id": ["K1", "K1", "K2", "K2"],
            "rating": ["I", "C", "N", "N"],
        },
        dtype="string",
    )
    case = co.frames(SOURCES, CLAIMS, ASSERTIONS, hyp, t)
    ax = mx.plot_ach(compare_hypotheses(case), claims=case.claims)
    heads = [x.get_text() for x in ax.get_xticklabels()]
    # H2 has no inconsistent evidence: ranked first
    assert heads[0].startswith("H2\nrank 1") and heads[1].startswith("H1\nrank 2")
    assert [x.get_text() for x in ax.get_yticklabels()] == ["K1  first claim", "K2  second claim"]
    assert "diag. 2" in _texts(ax) and "diag. 0" in _texts(ax)
    assert "N=4 ratings" in ax.get_title()
    ax2 = mx.plot_ach(compare_hypotheses(case), ax=plt.subplots()[1])
    assert [x.get_text() for x in ax2.get_yticklabels()] == [
        "K1",
        "K2",
    ]  # no claim texts in an AchResult
    ax3 = mx.plot_ach(compare_hypotheses(case), ax=plt.subplots()[1], claims=CLAIMS)
    assert [x.get_text() for x in ax3.get_yticklabels()] == ["K1  first claim", "K2  second claim"]


def test_plot_relay_graph(small):
    _fig, ax = plt.subplots()
    out = mx.plot_relay_graph(small, ax=ax, claim="K1")
    assert out is ax
    assert (
        ax.get_title()
        == "Relay graph: 3 sources, 2 origins, 1 derived_from links\nstances on K1 (N=3 sources)"
    )
    labels = [a.get_text() for a in ax.texts]
    assert {"wire", "copy", "indep"} <= set(labels)
    with pytest.raises(KeyError, match="K7"):
        mx.plot_relay_graph(small, claim="K7")


def test_figures_export(tmp_path, small):
    from osint_kit.report.export import save_figure

    ax = mx.plot_matrix(small)
    paths = save_figure(ax.figure, tmp_path / "matrix", formats=("png", "svg"))
    assert all(p.stat().st_size > 1000 for p in paths)


def test_views_take_the_result_not_a_case():
    # one input convention per view: the analysis result, computed once (issue 10)
    raw = co.frames(SOURCES, CLAIMS, ASSERTIONS)
    with pytest.raises(TypeError, match=r"plot_matrix draws the result of corroborate\(case\)"):
        mx.plot_matrix(raw)
    with pytest.raises(TypeError, match=r"compute it once with `result = osint_kit.corroborate"):
        mx.plot_relay_graph(raw)
    with pytest.raises(TypeError, match=r"plot_ach draws the result of compare_hypotheses"):
        mx.plot_ach(raw)


@pytest.mark.parametrize("size, inches", [("slide", (40 / 3, 7.5)), ((6, 4), (6, 4))])
def test_claim_views_draw_at_a_size_preset(small, size, inches):
    # issue 15: every plot_* takes the print/slide presets of views.sizes
    from osint_kit.analysis.ach import compare_hypotheses

    for ax in (
        mx.plot_matrix(small, size=size),
        mx.plot_relay_graph(small, size=size),
        mx.plot_ach(compare_hypotheses(_ach_case()), size=size),
    ):
        assert tuple(ax.figure.get_size_inches()) == pytest.approx(inches)
    _fig, given = plt.subplots(figsize=(3, 3))
    assert mx.plot_matrix(small, ax=given, size=size) is given
    assert tuple(given.figure.get_size_inches()) == pytest.approx(inches)
    plt.close("all")


def _ach_case():
    hyp = pd.DataFrame({"hypothesis_id": ["H1", "H2"], "text": ["a", "b"]}, dtype="string")
    t = pd.DataFrame(
        {
            "hypothesis_id": ["H1", "H2", "H1", "H2"],
            "claim_id": ["K1", "K1", "K2", "K2"],
            "rating": ["I", "C", "N", "N"],
        },
        dtype="string",
    )
    return co.frames(SOURCES, CLAIMS, ASSERTIONS, hyp, t)


def test_matrix_legend_sits_under_the_relay_brackets_on_a_small_case(small):
    # issue 15: on a two-claim matrix the bracket under the relay group (drawn
    # 0.1 row below the matrix, in data units) ran through the legend, which
    # was anchored at a fixed 3.5 % of the axes height
    ax = mx.plot_matrix(small)
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(r)
    frame = ax.get_window_extent(r)
    brackets = [ln.get_window_extent(r) for ln in ax.lines if ln.get_color() == "#333333"]
    brackets += [
        t.arrow_patch.get_window_extent(r) for t in ax.texts if getattr(t, "arrow_patch", None)
    ]
    for bb in brackets:
        assert bb.y0 < frame.y0  # under the matrix
        assert legend.y1 < bb.y0  # and the legend wholly under it
    assert len(brackets) == 3  # one group of two sources (wire <- copy): bottom and two ends
