"""Tests for osint_kit.analysis.relays: the derived_from graph."""

import pandas as pd
import pytest

from osint_kit.analysis import relays
from osint_kit.errors import CaseError, CycleError


def frame(**links):
    return pd.DataFrame({"source_id": list(links), "derived_from": list(links.values())})


def test_parents_splits_strips_and_drops_empty_pieces():
    s = frame(a=None, b="a", c=" a ; b ;", d="")
    got = relays.parents(s).to_dict("records")
    # c lists a and b (spaces and the trailing ';' are noise); d's empty cell is no link
    assert got == [
        {"source_id": "b", "parent_id": "a"},
        {"source_id": "c", "parent_id": "a"},
        {"source_id": "c", "parent_id": "b"},
    ]


def test_origins_follow_chains_to_the_root():
    s = frame(wire=None, fox="wire", copy_of_fox="fox", blog="copy_of_fox", own=None)
    got = relays.origins(s).set_index("source_id")
    # every member of the chain wire <- fox <- copy_of_fox <- blog has the one origin 'wire'
    assert got.loc[["wire", "fox", "copy_of_fox", "blog"], "origin_id"].tolist() == ["wire"] * 4
    # depth counts links: blog is three relays from the wire
    assert got.loc["blog", "depth"] == 3
    # a source with no parents is its own origin at depth 0
    assert (got.loc["own", "origin_id"], got.loc["own", "depth"]) == ("own", 0)


def test_origins_of_a_source_with_two_independent_roots():
    s = frame(r1=None, r2=None, mix="r1;r2", diamond="mix;r1")
    got = relays.origins(s)
    # mix relays both roots, so it has two origins
    assert got[got.source_id == "mix"].origin_id.tolist() == ["r1", "r2"]
    # diamond reaches r1 directly (depth 1) and through mix (depth 2): the shortest path is kept, once
    d = got[got.source_id == "diamond"]
    assert d[["origin_id", "depth"]].values.tolist() == [["r1", 1], ["r2", 2]]


def test_cycle_error_names_every_cycle():
    s = frame(a="b", b="c", c="a", d=None, e="e")
    with pytest.raises(CycleError) as info:
        relays.origins(s)
    # both cycles are named, each from its alphabetically first member, closed back on itself
    assert str(info.value) == (
        "derived_from cycle in sources.csv: a -> b -> c -> a; e -> e. A source cannot "
        "(even indirectly) relay itself; remove one of these links."
    )
    assert info.value.cycles == [["a", "b", "c"], ["e"]]
    assert isinstance(info.value, CaseError)  # one exception family


def test_no_cycle_below_a_cycle_is_blamed():
    # x relays a member of the cycle but is not on it: only the cycle is named
    s = frame(a="b", b="a", x="a")
    assert relays.find_cycles(s) == [["a", "b"]]


def test_acyclic_graph_has_no_cycles():
    assert relays.find_cycles(frame(a=None, b="a", c="b;a")) == []
