"""Tests for osint_kit.analysis.corroboration: matrix, summary, relay drift, problems."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osint_kit.analysis import corroboration as co
from osint_kit.errors import CaseError, CycleError

# --------------------------------------------------------------------------- a small literal case
#
#   wire (A) ── copy1 (C) ── copy2 (F)        indep (B)        [two independent origins]
#
SOURCES = pd.DataFrame(
    {
        "source_id": ["copy2", "wire", "indep", "copy1"],
        "derived_from": ["copy1", None, None, "wire"],
        "reliability": ["F", "A", "B", "C"],
    },
    dtype="string",
)
CLAIMS = pd.DataFrame(
    {
        "claim_id": [f"K{i}" for i in range(1, 10)],
        "text": [f"claim {i}" for i in range(1, 10)],
        "credibility": ["1", "9", None, None, None, None, None, None, None],
    },
    dtype="string",
)
ASSERTIONS = pd.DataFrame(
    [
        ("wire", "K1", "supports"),
        ("copy1", "K1", " Supports "),  # spacing and case variant: normalised
        ("copy2", "K1", "SUPPORTS"),
        ("wire", "K2", "supports"),
        ("indep", "K2", "supports"),
        ("wire", "K3", "supports"),
        ("indep", "K3", "contradicts"),
        ("wire", "K4", "supports"),
        ("copy1", "K4", "contradicts"),  # a relay contradicting its own origin: drift, not contest
        ("copy1", "K5", "qualifies"),
        ("indep", "K7", "contradicts"),
        ("copy2", "K8", "omits"),
        ("copy1", "K9", "supports"),  # added by copy1 ...
        ("copy2", "K9", "supports"),  # ... and merely repeated by copy2
        ("copy2", "K4", "omits"),
        ("ghost", "K1", "supports"),  # unknown source
        ("wire", "K99", "supports"),  # unknown claim
        ("indep", "K1", "maybe"),  # unknown stance word
        ("indep", "K5", "  "),  # empty stance
        ("wire", "K1", "qualifies"),  # repeats the (wire, K1) pair
    ],
    columns=["source_id", "claim_id", "stance"],
    dtype="string",
)


@pytest.fixture
def small():
    return co.frames(SOURCES, CLAIMS, ASSERTIONS)


def test_normalise_stance():
    code, word = co.normalise_stance(
        pd.Series([" Supports ", "QUALIFIES", "omits", "maybe", None, "  "], dtype="string")
    )
    assert code.tolist() == [0, 2, 3, -1, -1, -1]
    assert word.tolist()[:4] == ["supports", "qualifies", "omits", "maybe"]
    assert word.isna().tolist()[4:] == [True, True]


def test_matrix_order_groups_relays_after_their_parent(small):
    r = co.corroborate(small)
    m = r.matrix
    # wire's family is larger (3 sources) so it comes first; copy1 right after wire, copy2 after copy1
    assert list(m.columns) == ["wire", "copy1", "copy2", "indep"]
    assert list(m.index) == [f"K{i}" for i in range(1, 10)]  # every claim, file order
    assert m.loc["K1", "copy1"] == "supports"  # " Supports " normalised
    assert m.loc["K4", "copy1"] == "contradicts"
    assert m.loc["K6"].isna().all()  # no assertions: a blank row, not an error
    order = r.source_order
    assert order[["source_id", "group", "parent_id", "depth"]].astype(object).values.tolist() == [
        ["wire", "wire", pd.NA, 0],
        ["copy1", "wire", "wire", 1],
        ["copy2", "wire", "copy1", 2],
        ["indep", "indep", pd.NA, 0],
    ]
    codes = r.code_matrix
    assert codes.dtypes.unique().tolist() == [np.dtype("int8")]
    assert codes.loc["K4", "copy1"] == 1 and codes.loc["K6", "wire"] == -1


def test_rows_in_equal_cells_plus_problems(small):
    r = co.corroborate(small)
    rejected = r.problems[
        (r.problems["file"] == "assertions.csv") & (r.problems["action"] == "rejected")
    ]
    # 20 assertion rows = 15 placed in the matrix + 5 rejected (ghost, K99, maybe, empty, repeat)
    assert r.n_assertions == 20
    assert r.n_cells == 15
    assert len(rejected) == 5
    by_col = dict(
        zip(rejected["value"].fillna("").tolist(), rejected["problem"].tolist(), strict=True)
    )
    assert by_col["ghost"] == "names a source that is not in sources.csv"
    assert by_col["K99"] == "names a claim that is not in claims.csv"
    assert by_col["maybe"] == "is not a stance word"
    assert by_col["  "] == "is empty"
    assert "repeats an earlier (source_id, claim_id) pair" in by_col["K1"]
    # row numbers as a spreadsheet shows them: data row k (0-based) is row k + 2
    assert rejected["row"].tolist() == [17, 18, 19, 20, 21]


def test_counts_and_check(small):
    r = co.corroborate(small)
    # 20 assertion rows = 15 placed + 5 rejected (as above); 9 claims, 4 sources, origins wire
    # and indep; 4 drift rows (test_relay_drift_small); 6 problems = the 5 rejected rows +
    # K2's credibility "9" (kept)
    assert r.counts() == {
        "assertions": 20,
        "placed": 15,
        "from_events": 0,  # no claim names an event
        "rejected": 5,
        "claims": 9,
        "sources": 4,
        "origins": 2,
        "drift_rows": 4,
        "problems": 6,
    }
    assert r.check() is r
    # check() sees a lost row, a claim missing from the summary, counts that do not add up
    lost = dataclasses.replace(r, problems=r.problems.iloc[1:])
    with pytest.raises(CaseError, match=r"20 assertion rows in, 15 in the matrix \+ 4 rejected"):
        lost.check()
    with pytest.raises(CaseError, match="one row per claim"):
        dataclasses.replace(r, claim_summary=r.claim_summary.iloc[1:]).check()
    bad_counts = r.claim_summary.assign(n_omits=r.claim_summary["n_omits"] + 1)
    with pytest.raises(CaseError, match="n_sources"):
        dataclasses.replace(r, claim_summary=bad_counts).check()


def test_a_case_with_no_rows_gives_empty_tables():
    # a new case: no source, claim or assertion -> a 0 x 0 matrix, no summary row, no problem
    r = co.corroborate(co.frames(SOURCES.iloc[:0], CLAIMS.iloc[:0], ASSERTIONS.iloc[:0]))
    assert r.matrix.shape == (0, 0) and len(r.claim_summary) == 0 and len(r.problems) == 0
    assert r.counts()["assertions"] == 0


def test_summary_statuses_and_credibility(small):
    r = co.corroborate(small)
    s = r.claim_summary.set_index("claim_id")
    assert s.loc["K1", "status"] == "single origin"  # three sources, one origin (wire)
    assert s.loc["K1", "n_supports"] == 3 and s.loc["K1", "n_origins_support"] == 1
    assert s.loc["K1", "best_grade_support"] == "A"
    assert s.loc["K2", "status"] == "corroborated" and s.loc["K2", "n_origins_support"] == 2
    assert s.loc["K2", "origins_support"] == "indep;wire"
    # K3: supported by wire (A), contradicted by the independent origin indep (B) ->
    # contested; one judged origin on each side: neither outweighs the other -> 4 (doubtful;
    # the rule is the same both ways, so a tie favours neither side)
    assert s.loc["K3", "status"] == "contested"
    assert s.loc["K3", "n_independent_contradict"] == 1
    assert (s.loc["K3", "n_judged_support"], s.loc["K3", "n_judged_contradict"]) == (1, 1)
    assert s.loc["K3", "best_grade_contradict"] == "B"
    assert s.loc["K3", "credibility_suggested"] == 4
    # K4: copy1 contradicts, but copy1's origin is wire, which supports: relay drift, still single origin
    assert s.loc["K4", "status"] == "single origin"
    assert s.loc["K4", "n_origins_contradict"] == 1 and s.loc["K4", "n_independent_contradict"] == 0
    assert s.loc["K5", "status"] == "only qualified"
    assert s.loc["K6", "status"] == "no source in this case" and s.loc["K6", "n_sources"] == 0
    assert s.loc["K7", "status"] == "contradicted only"
    assert s.loc["K8", "status"] == "no source in this case"  # only an omission
    # K9 enters at copy1 (grade C): its origin is copy1 (the entry point), not copy1's root
    # wire, which does not carry it; graded from copy1: C -> 3 (possibly true), although
    # copy2 repeats it too (F: adds nothing)
    assert s.loc["K9", "entry_ids"] == "copy1" and s.loc["K9", "origins_support"] == "copy1"
    assert s.loc["K9", "best_grade_support"] == "C"
    assert s["credibility_suggested"].tolist() == [2, 1, 4, 2, 6, 6, 5, 6, 3]
    # analyst override on K1 (1) is shown as such; K2's "9" is not a grade: suggested kept, problem reported
    assert (s.loc["K1", "credibility"], s.loc["K1", "credibility_source"]) == (1, "analyst")
    assert (s.loc["K2", "credibility"], s.loc["K2", "credibility_source"]) == (1, "suggested")
    assert s.loc["K1", "admiralty"] == "A1" and s.loc["K6", "admiralty"] == "-6"
    assert s.loc["K4", "credibility_label"] == "probably true"
    p = r.problems
    warn = p[p["file"] == "claims.csv"]
    assert warn[["row", "column", "value", "action"]].astype(object).values.tolist() == [
        [3, "credibility", "9", "kept"]
    ]


def test_best_grade_f_ranks_below_e():
    # a (F) and b (E) are independent origins; c (ungraded) repeats a
    src = pd.DataFrame(
        {
            "source_id": ["a", "b", "c"],
            "derived_from": [None, None, "a"],
            "reliability": ["F", "E", None],
        },
        dtype="string",
    )
    cl = pd.DataFrame({"claim_id": ["X", "Y"]}, dtype="string")
    a = pd.DataFrame(
        {
            "source_id": ["a", "b", "a", "c"],
            "claim_id": ["X", "X", "Y", "Y"],
            "stance": ["supports"] * 4,
        },
        dtype="string",
    )
    s = co.corroborate(co.frames(src, cl, a)).claim_summary.set_index("claim_id")
    # X: two independent origins, but a (F) weighs nothing: one judged origin (b, E), not
    # corroborated; best grade E (E beats F) -> single origin, 4
    assert s.loc["X", "best_grade_support"] == "E"
    assert (s.loc["X", "n_origins_support"], s.loc["X", "n_judged_support"]) == (2, 1)
    assert s.loc["X", "status"] == "single origin"
    assert s.loc["X", "credibility_suggested"] == 4
    assert s.loc["Y", "best_grade_support"] == "F"  # only F (and ungraded) supporters
    assert s.loc["Y", "credibility_suggested"] == 6


def test_a_relay_copying_an_addition_does_not_raise_its_grade():
    # wire (B) -> poor (E) adds K, good (C) copies poor. The best *supporter* is C, but K
    # rests on poor alone: graded from its origin, E -> 4 (main graded C -> 3)
    src = pd.DataFrame(
        {
            "source_id": ["wire", "poor", "good"],
            "derived_from": [None, "wire", "poor"],
            "reliability": ["B", "E", "C"],
        },
        dtype="string",
    )
    a = pd.DataFrame(
        {"source_id": ["poor", "good"], "claim_id": ["K", "K"], "stance": ["supports"] * 2},
        dtype="string",
    )
    cl = pd.DataFrame({"claim_id": ["K"]}, dtype="string")
    s = co.corroborate(co.frames(src, cl, a)).claim_summary.iloc[0]
    assert (s["origins_support"], s["best_grade_support"], s["credibility_suggested"]) == (
        "poor",
        "E",
        4,
    )


def test_support_and_contradiction_weigh_by_one_rule():
    # rep (B) reports K; denier (F) denies it; echo (F) repeats it independently.
    # Each F origin weighs nothing, whichever side it is on: the claim stays what rep
    # alone makes it (single origin B -> 2), not "contested, improbable" (main: 5)
    src = pd.DataFrame(
        {
            "source_id": ["rep", "denier", "echo", "judge"],
            "derived_from": [None, None, None, None],
            "reliability": ["B", "F", "F", "C"],
        },
        dtype="string",
    )
    cl = pd.DataFrame({"claim_id": ["DENIED", "ECHOED", "BOTH", "JUDGED"]}, dtype="string")
    a = pd.DataFrame(
        [
            ("rep", "DENIED", "supports"),
            ("denier", "DENIED", "contradicts"),
            ("rep", "ECHOED", "supports"),
            ("echo", "ECHOED", "supports"),
            ("rep", "BOTH", "supports"),
            ("echo", "BOTH", "supports"),
            ("denier", "BOTH", "contradicts"),
            ("rep", "JUDGED", "supports"),
            ("judge", "JUDGED", "contradicts"),
        ],
        columns=["source_id", "claim_id", "stance"],
        dtype="string",
    )
    s = co.corroborate(co.frames(src, cl, a)).claim_summary.set_index("claim_id")
    # the F denial and the F echo change nothing, alike
    for cid in ("DENIED", "ECHOED", "BOTH"):
        assert (s.loc[cid, "status"], s.loc[cid, "credibility_suggested"]) == (
            "single origin",
            2,
        ), cid
    assert s.loc["DENIED", "n_independent_contradict"] == 1  # still counted and shown
    assert s.loc["DENIED", "n_judged_contradict"] == 0
    # a judged (C) denial does contest it: one judged origin on each side -> 4
    assert (s.loc["JUDGED", "status"], s.loc["JUDGED", "credibility_suggested"]) == (
        "contested",
        4,
    )
    # the rules say so
    rules = co.CREDIBILITY_RULES
    assert "weighs **nothing, on either side**" in co.__doc__
    assert "an F contradictor does not contest it" in co.__doc__.replace("\n    ", " ")
    assert rules.loc[rules["status"] == "contested", "credibility"].tolist() == [3, 4, 5]


def test_conflicting_claims_demote_the_less_supported():
    # wire (B) says P; blog (E) says Q; P and Q exclude each other (declared on Q only).
    # R and T are both single-origin B claims that exclude each other: neither wins.
    src = pd.DataFrame(
        {
            "source_id": ["wire", "blog", "other"],
            "derived_from": [None, None, None],
            "reliability": ["B", "E", "B"],
        },
        dtype="string",
    )
    cl = pd.DataFrame(
        {
            "claim_id": ["P", "Q", "R", "T", "U"],
            "excludes": [None, "P", "T", None, "P; nowhere;U"],
        },
        dtype="string",
    )
    a = pd.DataFrame(
        [
            ("wire", "P", "supports"),
            ("blog", "Q", "supports"),
            ("wire", "R", "supports"),
            ("other", "T", "supports"),
        ],
        columns=["source_id", "claim_id", "stance"],
        dtype="string",
    )
    r = co.corroborate(co.frames(src, cl, a))
    s = r.claim_summary.set_index("claim_id")
    # Q: E -> 4 before; it excludes P (2, better) -> 5 improbable; P keeps 2
    assert s.loc["Q", "credibility_suggested"] == 5 and s.loc["Q", "excluded_by"] == "P"
    assert s.loc["P", "credibility_suggested"] == 2 and pd.isna(s.loc["P", "excluded_by"])
    # the relation is symmetric: P lists Q (and U) although only Q and U declare it
    assert s.loc["P", "conflicts_with"] == "Q;U"
    # R and T: both 2, equally supported -> each at most 3 (possibly true)
    assert s.loc["R", "credibility_suggested"] == 3 and s.loc["T", "credibility_suggested"] == 3
    # U has no source (6); it excludes P (2, better) -> 5; "nowhere" and itself are reported
    assert s.loc["U", "credibility_suggested"] == 5
    p = r.problems[r.problems["column"] == "excludes"]
    assert p[["row", "value", "action"]].astype(object).values.tolist() == [
        [6, "P; nowhere;U", "kept"],
        [6, "P; nowhere;U", "kept"],
    ]
    assert p["problem"].tolist() == [
        "names a claim that is not in claims.csv (ignored) (nowhere)",
        "names the claim itself (ignored) (U)",
    ]


def test_events_back_claims_with_their_own_sources():
    # wire reports K1 and K2; events E1 (cited to an outlet not in sources.csv) backs K1,
    # E2 (cited to copy, a relay of wire) backs K2, E3 has no URL, E9 does not exist
    src = pd.DataFrame(
        {
            "source_id": ["wire", "copy"],
            "derived_from": [None, "wire"],
            "reliability": ["C", "F"],
            "url": ["https://wire.example/a", "https://copy.example/b"],
        },
        dtype="string",
    )
    cl = pd.DataFrame(
        {"claim_id": ["K1", "K2", "K3"], "event_ids": ["E1", "E2", "E3;E9"]}, dtype="string"
    )
    a = pd.DataFrame(
        {"source_id": ["wire", "wire"], "claim_id": ["K1", "K2"], "stance": ["supports"] * 2},
        dtype="string",
    )
    ev = pd.DataFrame(
        {
            "event_id": ["E1", "E2", "E3"],
            "title": ["treaty signed", "flight", "no url"],
            "source_url": ["https://news.example/x ", "https://copy.example/b/", None],
        },
        dtype="string",
    )
    graded = co.corroborate(
        co.frames(src, cl, a, events=ev, meta={"corroboration": {"event_source_reliability": "c"}})
    )
    s = graded.claim_summary.set_index("claim_id")
    # K1: wire (C) + the event's own source (C, as case.toml grades it): two judged
    # independent origins -> corroborated, 1 (without the link: single origin C, 3)
    assert (s.loc["K1", "status"], s.loc["K1", "credibility_suggested"]) == ("corroborated", 1)
    assert s.loc["K1", "origins_support"] == "event:E1;wire"
    # K2: E2 is cited to copy, a relay of wire: the same source (URL matched without the
    # trailing '/'), no new origin -> still single origin C, 3
    assert (s.loc["K2", "n_origins_support"], s.loc["K2", "credibility_suggested"]) == (1, 3)
    e = graded.event_sources
    assert e[["source_id", "event_ids", "claim_ids", "reliability", "listed"]].astype(
        object
    ).values.tolist() == [["event:E1", "E1", "K1", "C", False], ["copy", "E2", "K2", "F", True]]
    # two cells from events (event:E1 on K1, copy on K2); assertions.csv rows unchanged
    c = graded.counts()
    assert (c["assertions"], c["placed"], c["from_events"], c["sources"]) == (2, 2, 2, 3)
    assert graded.matrix.loc["K2", "copy"] == "supports"
    # E3 without URL and the unknown E9: reported on claims.csv row 4, kept
    p = graded.problems[graded.problems["column"] == "event_ids"]
    assert p["problem"].tolist() == [
        "names an event that is not in events.csv (the link is ignored) (E9)",
        "names an event without a source_url (the link adds no source) (E3)",
    ]
    assert p["row"].tolist() == [4, 4]
    # not graded by the case: the event's source is F and weighs nothing -> K1 stays 3
    ungraded = co.corroborate(co.frames(src, cl, a, events=ev)).claim_summary
    assert ungraded.set_index("claim_id").loc["K1", "credibility_suggested"] == 3


def test_hardening_is_a_drift_kind_of_its_own():
    # wire says "booked" (K1) and "15 km west" (K2); relay says "flew" and "near"
    src = pd.DataFrame(
        {"source_id": ["wire", "relay"], "derived_from": [None, "wire"], "reliability": ["B", "C"]},
        dtype="string",
    )
    cl = pd.DataFrame({"claim_id": ["K1", "K2", "K3"]}, dtype="string")
    a = pd.DataFrame(
        [
            ("wire", "K1", "supports", None),
            ("wire", "K2", "supports", None),
            ("wire", "K3", "supports", None),
            ("relay", "K1", "qualifies", "Hardens "),
            ("relay", "K2", "qualifies", "place"),
            ("relay", "K3", "qualifies", "sideways"),
        ],
        columns=["source_id", "claim_id", "stance", "change"],
        dtype="string",
    )
    r = co.corroborate(co.frames(src, cl, a))
    d = r.drift
    # hedge -> assertion is "hardens"; a changed place stays "qualifies"; an unknown change
    # word is reported and the row kept as an unspecified qualification
    assert d[["claim_id", "drift", "change"]].astype(object).values.tolist() == [
        ["K2", "qualifies", "place"],
        ["K3", "qualifies", pd.NA],
        ["K1", "hardens", "hardens"],
    ]
    assert r.problems[["column", "value", "action"]].values.tolist() == [
        ["change", "sideways", "kept"]
    ]
    assert co.DRIFT_KINDS == ("adds", "qualifies", "hardens", "contradicts", "omits")


def test_relay_drift_small(small):
    d = co.corroborate(small).drift
    got = d[["source_id", "claim_id", "drift", "inherited"]].values.tolist()
    assert got == [
        ["copy1", "K5", "adds", False],  # qualifies a claim no ancestor carries: it enters here
        ["copy1", "K9", "adds", False],
        ["copy1", "K4", "contradicts", False],
        ["copy2", "K4", "omits", False],  # wire supports K4, copy2 leaves it out
    ]
    assert d.loc[d["claim_id"] == "K4", "ancestors_supporting"].tolist() == ["wire", "wire"]


def test_ancestors_and_origins(small):
    a = co.ancestors(small.sources)
    assert a.values.tolist() == [["copy1", "wire", 1], ["copy2", "copy1", 1], ["copy2", "wire", 2]]
    o = co.origins(small.sources)
    assert o[o["source_id"] == "copy2"][["origin_id", "depth"]].values.tolist() == [["wire", 2]]


def test_self_derivation_is_a_cycle_naming_the_source():
    src = pd.DataFrame(
        {"source_id": ["a", "b"], "derived_from": ["a", None], "reliability": ["B", "B"]},
        dtype="string",
    )
    with pytest.raises(CycleError, match=r"a -> a"):
        co.corroborate(co.frames(src, CLAIMS, ASSERTIONS.iloc[:0]))


def test_two_source_cycle_names_both():
    src = pd.DataFrame(
        {
            "source_id": ["a", "b", "c"],
            "derived_from": ["b", "a", None],
            "reliability": ["B", "B", "B"],
        },
        dtype="string",
    )
    with pytest.raises(CycleError, match=r"a -> b -> a"):
        co.corroborate(co.frames(src, CLAIMS, ASSERTIONS.iloc[:0]))


def test_multi_parent_source_is_the_origin_of_what_it_adds():
    src = pd.DataFrame(
        {
            "source_id": ["w1", "w2", "mix"],
            "derived_from": [None, None, "w1; w2"],
            "reliability": ["B", "C", "D"],
        },
        dtype="string",
    )
    cl = pd.DataFrame({"claim_id": ["X", "Y"]}, dtype="string")
    a = pd.DataFrame(
        {
            "source_id": ["mix", "w1", "w2", "mix"],
            "claim_id": ["X", "Y", "Y", "Y"],
            "stance": ["supports"] * 4,
        },
        dtype="string",
    )
    r = co.corroborate(co.frames(src, cl, a))
    s = r.claim_summary.set_index("claim_id")
    # X: neither root carries it, so it enters at mix: one origin, mix (D) -> 4. (Main
    # counted mix's two roots, w1 and w2, and called X corroborated.)
    assert (s.loc["X", "origins_support"], s.loc["X", "n_origins_support"]) == ("mix", 1)
    assert (s.loc["X", "status"], s.loc["X", "credibility_suggested"]) == ("single origin", 4)
    # Y: w1 and w2 both report it, mix merely combines them: two origins -> corroborated
    assert (s.loc["Y", "origins_support"], s.loc["Y", "status"]) == ("w1;w2", "corroborated")
    # per source, mix still relays both roots
    assert r.source_order["origin_ids"].tolist() == ["w1", "w1;w2", "w2"]


# --------------------------------------------------------------------------- the bundled case


@pytest.fixture(scope="module")
def bundled():
    from osint_kit import load_case

    return load_case("ru-ir-missile-experts-2024")


def test_bundled_matrix_shape_and_accounting(bundled):
    r = co.corroborate(bundled)
    # 38 claims (the dossier's 36 + C37 headline, C38 lede) x 44 sources: the 38 of the
    # dossier (the three unread relay nodes included), the 3 inputs behind Reuters, and the
    # 3 sources of the events that back C24, C25, C27 (E04 Axios, E13 CNA, E16 Newser);
    # all 404 assertions placed, none rejected, and 3 cells from the event links
    assert r.matrix.shape == (38, 44)
    assert r.n_cells == len(bundled.assertions) + 3 == 407
    assert r.counts()["placed"] == 404 and r.counts()["from_events"] == 3
    assert (r.problems["action"] == "rejected").sum() == 0 and r.problems.empty
    # every outlet descends from the Reuters report, which derives from its three inputs:
    # one relay group under booking_records (its first-listed input) of 39 sources (the
    # dossier's 38 + booking_records itself), the two officials, the three events
    assert r.source_order["group"].value_counts().to_dict() == {
        "booking_records": 39,
        "iran_defence_official": 1,
        "western_defence_official": 1,
        "event:E04": 1,
        "event:E13": 1,
        "event:E16": 1,
    }
    # worldreviewnews copies foxnews, so it sits right after it
    ids = r.source_order["source_id"].tolist()
    assert ids.index("worldreviewnews") == ids.index("foxnews") + 1


def test_bundled_flight_dates_rest_on_one_origin(bundled):
    s = co.corroborate(bundled).claim_summary.set_index("claim_id")
    # C02 (24 April 2024) and C03 (17 September 2024): carried by 16 outlets each
    # (reuters_orig, dailythepatriot, aawsat_en, jns, babel_en, kiransen_blog, pishtaz and,
    # in the full dossier, cnewslive, rmol_id, agents_ru, icma_ru, buzzplus_fr, toi_fr,
    # juif_fr, israelnoticias_es, itongadol_es) + the booking records behind Reuters, every
    # outlet derived from Reuters -> one origin: the records, graded B -> 2
    for cid in ("C02", "C03"):
        assert s.loc[cid, "n_supports"] == 17
        assert s.loc[cid, "n_origins_support"] == 1
        assert s.loc[cid, "origins_support"] == "booking_records"
        assert (s.loc[cid, "status"], s.loc[cid, "admiralty"]) == ("single origin", "B2")
        # i24_fr contradicts (it gives 2023) but is itself a Reuters relay: not an independent contest
        assert s.loc[cid, "n_contradicts"] == 1 and s.loc[cid, "n_independent_contradict"] == 0
    # corroborated are exactly the three context facts backed by events (each: one
    # Reuters-family group + the event's own source, both graded C)
    corroborated = s.index[s["status"] == "corroborated"].tolist()
    assert corroborated == ["C24", "C25", "C27"]
    assert s["status"].value_counts().to_dict() == {"single origin": 35, "corroborated": 3}
    for cid in ("C18", "C20", "C34", "C37", "C38"):
        assert s.loc[cid, "status"] == "single origin"


def test_bundled_origins_are_per_claim(bundled):
    s = co.corroborate(bundled).claim_summary.set_index("claim_id")
    # a detail that first appears in a relay has that relay as its origin (main:
    # reuters_orig for every claim), and is graded from it
    got = s.loc[["C29", "C31", "C32", "C35"], ["origins_support", "admiralty"]]
    assert got.values.tolist() == [
        ["pishtaz", "E4"],  # "at Iran's request"
        ["cnnterkini_id", "E4"],  # "nuclear experts"
        ["cnnterkini_id", "E4"],  # "VIP status"
        ["i24_fr", "C3"],  # the European official on deliveries
    ]
    # what Reuters takes from its inputs is graded from the input (the source behind the
    # channel): the booking records (B) for C01-C06, the two anonymous officials (F, cannot be
    # judged: they weigh nothing) for C09-C13; Reuters' own statements stay B2
    assert set(s.loc[["C01", "C02", "C03", "C04", "C05", "C06"], "origins_support"]) == {
        "booking_records"
    }
    assert s.loc[["C09", "C10", "C11"], "origins_support"].unique().tolist() == [
        "iran_defence_official"
    ]
    assert s.loc[["C12", "C13"], "origins_support"].unique().tolist() == [
        "western_defence_official"
    ]
    assert s.loc[["C09", "C10", "C11", "C12", "C13"], "admiralty"].unique().tolist() == ["F6"]
    assert s.loc[["C07", "C08", "C14", "C37", "C38"], "origins_support"].unique().tolist() == [
        "reuters_orig"
    ]
    assert s.loc[["C07", "C08", "C14", "C37", "C38"], "admiralty"].unique().tolist() == ["B2"]


def test_bundled_conflicts_and_events(bundled):
    r = co.corroborate(bundled)
    s = r.claim_summary.set_index("claim_id")
    # the treaty's real date (C27) is backed by E16 (Newser, graded C in case.toml):
    # corroborated, 1 (main: single origin, 3)
    assert (s.loc["C27", "status"], s.loc["C27", "credibility_suggested"]) == ("corroborated", 1)
    assert s.loc["C27", "origins_support"] == (
        "event:E16;foxnews;isw_iscaninfo;isw_momsy;tutti_it;zazoom_it"
    )
    # the attacks of 13 April (C24, E04 Axios) and 1 October 2024 (C25, E13 CNA): 1 (main: 3)
    assert s.loc[["C24", "C25"], "credibility_suggested"].tolist() == [1, 1]
    # no hand override: C26 (pact January 2024; E4 before) excludes C27 (1) -> 5; C30
    # (flights in 2023; C3 before) excludes C02 and C03 (2) -> 5; C28 (revealed 8 March;
    # E4 before) excludes C22 (4 March, 2) -> 5
    assert "credibility" not in bundled.claims
    for cid, by in (("C26", "C27"), ("C30", "C02;C03"), ("C28", "C22")):
        assert s.loc[cid, "credibility_suggested"] == 5, cid
        assert s.loc[cid, "credibility_label"] == "improbable"
        assert s.loc[cid, "excluded_by"] == by
    assert s.loc["C02", "conflicts_with"] == "C30" and pd.isna(s.loc["C02", "excluded_by"])
    e = r.event_sources
    assert e[["source_id", "claim_ids", "reliability"]].values.tolist() == [
        ["event:E04", "C24", "C"],
        ["event:E13", "C25", "C"],
        ["event:E16", "C27", "C"],
    ]


def test_bundled_hedge_kept_or_dropped(bundled):
    r = co.corroborate(bundled)
    d = r.drift
    # repeating the headline (C37, "flew") or the lede (C38, "have visited") is not drift
    # from Reuters, which says both: no drift row on them
    assert d[d["claim_id"].isin(["C37", "C38"])].empty
    # dropping the hedge on the booking (C01) is "hardens", not a changed number: the 24
    # relays the case README lists as `qualifies`
    h = r.hedge("C01", also=["C37", "C38"]).set_index("source_id")
    dropped = h.index[h["outcome"] == "hardens"].tolist()
    kept = h.index[h["outcome"] == "kept"].tolist()
    assert len(dropped) == 24 and len(kept) == 11
    assert kept == [
        "reuters_orig",
        "dailythepatriot",
        "aawsat_en",
        "jns",
        "rmol_id",
        "toi_fr",
        "juif_fr",
        "israelnoticias_es",
        "itongadol_es",
        "pishtaz",
        "icma_ru",
    ]
    assert h.loc["booking_records", "outcome"] == "origin"
    # the wire copies kept the hedge in the body and repeat headline and lede at the top
    assert h.loc["dailythepatriot", ["C37", "C38"]].tolist() == ["supports", "supports"]
    # Fox News dropped it and its copies inherited that
    assert not h.loc["foxnews", "inherited"] and h.loc["worldreviewnews", "inherited"]
    # one manifest -> "manifests" (C05) and the dropped caveat (C14) harden too, a
    # changed date (i24_fr's 2023 on C02) does not
    assert (d.loc[d["claim_id"] == "C05", "drift"] == "hardens").sum() == 6
    assert (d.loc[d["claim_id"] == "C14", "drift"] == "hardens").sum() == 7
    i24 = d[(d["source_id"] == "i24_fr") & (d["claim_id"] == "C02")]
    assert i24[["drift", "change"]].values.tolist() == [["contradicts", "number"]]
    # the report itself has no drift against its inputs: what it adds is its reporting
    assert d[d["source_id"] == "reuters_orig"].empty
    assert d["drift"].value_counts().to_dict() == {
        "hardens": 56,
        "qualifies": 46,
        "adds": 36,
        "omits": 19,
        "contradicts": 4,
    }


def test_bundled_additions(bundled):
    d = co.corroborate(bundled).drift
    adds = d[d["drift"] == "adds"]
    got = {(a, b) for a, b in zip(adds["source_id"], adds["claim_id"], strict=True)}
    # Derived by reading the dossier: reuters_orig (the only ancestor of every source but
    # worldreviewnews, whose ancestors are foxnews and reuters_orig) carries C01-C17 and C22.
    # A relay "adds" a claim it supports or qualifies that no ancestor supports or qualifies:
    expected = {
        ("jns", "C21"),
        ("jns", "C24"),
        ("jns", "C25"),  # named officer; the two strike dates
        ("jns", "C34"),  # qualifies "around the time of the attacks", a framing Reuters lacks
        ("dailyresearcheditor", "C18"),  # ministries' responses, only in a qualified form
        ("dailyresearcheditor", "C23"),
        ("dailyresearcheditor", "C26"),  # chronology; pact "January 2024"
        ("babel_en", "C19"),  # names the hacker group Hooshyaran-e Vatan
        ("informer365", "C26"),
        ("informer365", "C33"),
        ("informer365", "C36"),  # pact 2024, state flights, purpose
        ("cnnterkini_id", "C19"),
        ("cnnterkini_id", "C31"),
        ("cnnterkini_id", "C32"),  # hacktivists, nuclear, VIP
        ("i24_fr", "C30"),
        ("i24_fr", "C35"),  # 2023 dates; European official on deliveries
        ("foxnews", "C27"),  # the treaty date (correct, but not from Reuters)
        ("pishtaz", "C28"),
        ("pishtaz", "C29"),  # "revealed March 8"; "at Iran's request"
        # the relays of the full dossier (issue 11): details no ancestor carries
        ("agents_ru", "C20"),
        ("agents_ru", "C21"),
        ("rmol_id", "C20"),
        ("rmol_id", "C21"),
        ("cnewslive", "C18"),
        ("cnewslive", "C19"),
        ("cnewslive", "C26"),
        ("buzzplus_fr", "C34"),
        ("tv9hindi", "C34"),
        ("juif_fr", "C23"),
        ("israelnoticias_es", "C23"),
        ("toi_fr", "C24"),
        ("toi_fr", "C25"),
        # the treaty date through the unread relay nodes formiche and isw_update
        ("tutti_it", "C27"),
        ("zazoom_it", "C27"),
        ("isw_iscaninfo", "C27"),
        ("isw_momsy", "C27"),
    }
    assert got == expected
    # worldreviewnews copies foxnews: its only drift is inherited (the flight dates with the
    # day dropped, then the booking hardened into visits)
    w = d[d["source_id"] == "worldreviewnews"]
    assert w["claim_id"].tolist() == ["C02", "C03", "C01"] and w["inherited"].all()
    assert w["drift"].tolist() == ["qualifies", "qualifies", "hardens"]
    # i24_fr contradicts the flight dates it received (2023 instead of 2024) and the ranks;
    # its claims that the records were flight tracking (C04) and that the seven visited the
    # base (C14, the caveat dropped) harden the report
    i24 = d[(d["source_id"] == "i24_fr") & d["stance"].eq("contradicts")]
    assert i24.set_index("claim_id")["drift"].to_dict() == {
        "C02": "contradicts",
        "C03": "contradicts",
        "C15": "contradicts",
        "C04": "hardens",
        "C14": "hardens",
    }


def test_contested_with_broader_support_suggests_3():
    src = pd.DataFrame(
        {
            "source_id": ["a", "b", "x"],
            "derived_from": [None, None, None],
            "reliability": ["B", "B", "B"],
        },
        dtype="string",
    )
    cl = pd.DataFrame({"claim_id": ["K"]}, dtype="string")
    a = pd.DataFrame(
        {
            "source_id": ["a", "b", "x"],
            "claim_id": ["K"] * 3,
            "stance": ["supports", "supports", "contradicts"],
        },
        dtype="string",
    )
    s = co.corroborate(co.frames(src, cl, a)).claim_summary.iloc[0]
    # two supporting origins against one independent contradicting origin: contested, possibly true (3)
    assert (s["status"], s["n_origins_support"], s["n_independent_contradict"]) == (
        "contested",
        2,
        1,
    )
    assert s["credibility_suggested"] == 3


def test_ancestors_match_networkx_on_a_random_dag():
    import networkx as nx

    rng = np.random.default_rng(7)
    n = 60
    derived = [None] * 5
    for i in range(5, n):  # parents are earlier sources: acyclic, with diamonds
        k = int(rng.integers(1, 3))
        derived.append(";".join(f"s{p}" for p in rng.choice(i, size=k, replace=False)))
    src = pd.DataFrame(
        {"source_id": [f"s{i}" for i in range(n)], "derived_from": derived}, dtype="string"
    )
    got = co.ancestors(src)
    g = nx.DiGraph()
    g.add_nodes_from(src["source_id"])
    for sid, d in zip(src["source_id"], derived, strict=True):
        for p in (d or "").split(";"):
            if p:
                g.add_edge(sid, p)
    expected = sorted(
        (s, a, nx.shortest_path_length(g, s, a)) for s in g for a in nx.descendants(g, s)
    )
    assert sorted(map(tuple, got.values.tolist())) == expected


# --------------------------------------------------------------------------- reference implementation


def _reference_summary(sources: pd.DataFrame, assertions: pd.DataFrame, claims: list[str]):
    """A plain Python reading of the module docstring's rules (per claim, per source):
    origins = entry points, grouped when they share a root; F/ungraded groups weigh
    nothing; the status and credibility rules; no conflicts."""
    parents = {
        s: [p for p in (d if isinstance(d, str) else "").split(";") if p]
        for s, d in zip(sources["source_id"], sources["derived_from"].astype(object), strict=True)
    }
    rank = {
        s: ("ABCDEF".index(g) if isinstance(g, str) else 6)
        for s, g in zip(sources["source_id"], sources["reliability"].astype(object), strict=True)
    }

    def ancestors(s):
        out = set()
        for p in parents[s]:
            out |= {p} | ancestors(p)
        return out

    def roots(s):
        return {s} if not parents[s] else set().union(*(roots(p) for p in parents[s]))

    def groups(entries):
        entries, out = list(entries), []
        for e in entries:  # union-find by merging sets of entries that share a root
            merged = [g for g in out if any(roots(e) & roots(x) for x in g)]
            for g in merged:
                out.remove(g)
            out.append(set().union({e}, *merged))
        return out

    rows = {}
    for c in claims:
        here = assertions[assertions["claim_id"] == c]
        stance = dict(zip(here["source_id"], here["stance"], strict=True))
        sup = {s for s, v in stance.items() if v == "supports"}
        con = {s for s, v in stance.items() if v == "contradicts"}
        qua = {s for s, v in stance.items() if v == "qualifies"}
        s_entries = {s for s in sup if not ancestors(s) & sup}
        c_entries = {s for s in con if not ancestors(s) & con}
        sup_roots = set().union(*(roots(s) for s in sup)) if sup else set()
        indep = {s for s in c_entries if not roots(s) & sup_roots}
        sg, cg = groups(s_entries), groups(indep)
        S = sum(min(rank[x] for x in g) <= 4 for g in sg)
        K = sum(min(rank[x] for x in g) <= 4 for g in cg)
        best = min((rank[x] for x in s_entries), default=6)
        if not (sup or con or qua):
            status, cred = "no source in this case", 6
        elif S >= 1 and K >= 1:
            status, cred = "contested", 3 if S > K else 4 if S == K else 5
        elif S >= 2:
            status, cred = "corroborated", 1
        elif sup and K == 0:
            status = "single origin"
            cred = 2 if best <= 1 else 3 if best == 2 else 4 if best <= 4 else 6
        elif con:
            status, cred = "contradicted only", 5 if K >= 1 else 6
        else:
            status, cred = "only qualified", 6
        rows[c] = (len(sg), S, len(cg), K, status, cred, ";".join(sorted(s_entries)) or None)
    return rows


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_summary_agrees_with_the_reference_on_random_cases(seed):
    # the vectorised grouping (min-label propagation over shared roots) against the plain
    # per-claim reading above, on random relay DAGs (diamonds, several roots) and stances
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 14))
    derived = []
    for i in range(n):
        k = int(rng.integers(0, 3)) if i else 0
        ps = rng.choice(i, size=min(k, i), replace=False) if i else []
        derived.append(";".join(f"s{p}" for p in ps) or None)
    grades = rng.choice(list("ABCDEF") + [None], size=n)
    src = pd.DataFrame(
        {"source_id": [f"s{i}" for i in range(n)], "derived_from": derived, "reliability": grades},
        dtype="string",
    )
    claims = [f"K{j}" for j in range(int(rng.integers(1, 6)))]
    pairs = [(f"s{i}", c) for i in range(n) for c in claims if rng.random() < 0.45]
    stances = rng.choice(["supports", "supports", "contradicts", "qualifies", "omits"], len(pairs))
    a = pd.DataFrame(
        [(s, c, v) for (s, c), v in zip(pairs, stances, strict=True)],
        columns=["source_id", "claim_id", "stance"],
    ).astype("string")
    got = co.corroborate(
        co.frames(src, pd.DataFrame({"claim_id": claims}, dtype="string"), a)
    ).claim_summary.set_index("claim_id")
    ref = _reference_summary(src, a, claims)
    for c in claims:
        row = got.loc[c]
        mine = (
            int(row["n_origins_support"]),
            int(row["n_judged_support"]),
            int(row["n_independent_contradict"]),
            int(row["n_judged_contradict"]),
            row["status"],
            int(row["credibility_suggested"]),
            None if pd.isna(row["origins_support"]) else row["origins_support"],
        )
        # origins_support is joined in label order; compare as sets
        assert mine[:6] == ref[c][:6], (c, mine, ref[c])
        assert set((mine[6] or "").split(";")) == set((ref[c][6] or "").split(";")), c
