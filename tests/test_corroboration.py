"""Tests for osint_kit.analysis.corroboration: matrix, summary, relay drift, problems."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

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
    # K3: supported by wire, contradicted by the independent origin -> contested; 1 vs 1 origin -> 5
    assert s.loc["K3", "status"] == "contested"
    assert s.loc["K3", "n_independent_contradict"] == 1
    assert s.loc["K3", "credibility_suggested"] == 5
    # K4: copy1 contradicts, but copy1's origin is wire, which supports: relay drift, still single origin
    assert s.loc["K4", "status"] == "single origin"
    assert s.loc["K4", "n_origins_contradict"] == 1 and s.loc["K4", "n_independent_contradict"] == 0
    assert s.loc["K5", "status"] == "only qualified"
    assert s.loc["K6", "status"] == "no source in this case" and s.loc["K6", "n_sources"] == 0
    assert s.loc["K7", "status"] == "contradicted only"
    assert s.loc["K8", "status"] == "no source in this case"  # only an omission
    # K9 enters at copy1 (grade C): single origin wire, entry point copy1, suggested 3 (C -> possibly true)
    assert s.loc["K9", "entry_ids"] == "copy1" and s.loc["K9", "origins_support"] == "wire"
    assert s.loc["K9", "best_grade_support"] == "C"
    assert s["credibility_suggested"].tolist() == [2, 1, 5, 2, 6, 6, 5, 6, 3]
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
    src = pd.DataFrame(
        {
            "source_id": ["a", "b", "c"],
            "derived_from": [None, "a", "a"],
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
    assert s.loc["X", "best_grade_support"] == "E"  # E beats F (F adds nothing)
    assert s.loc["X", "credibility_suggested"] == 4
    assert s.loc["Y", "best_grade_support"] == "F"  # only F (and ungraded) supporters
    assert s.loc["Y", "credibility_suggested"] == 6


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


def test_multi_parent_source_counts_both_origins():
    src = pd.DataFrame(
        {
            "source_id": ["w1", "w2", "mix"],
            "derived_from": [None, None, "w1; w2"],
            "reliability": ["B", "C", "D"],
        },
        dtype="string",
    )
    cl = pd.DataFrame({"claim_id": ["X"]}, dtype="string")
    a = pd.DataFrame(
        {"source_id": ["mix"], "claim_id": ["X"], "stance": ["supports"]}, dtype="string"
    )
    s = co.corroborate(co.frames(src, cl, a)).claim_summary
    # a source relaying two origins carries both: it is not itself independent confirmation,
    # but its claim rests on two roots
    assert s.loc[0, "n_origins_support"] == 2 and s.loc[0, "status"] == "corroborated"
    assert co.corroborate(co.frames(src, cl, a)).source_order["origin_ids"].tolist() == [
        "w1",
        "w1;w2",
        "w2",
    ]


# --------------------------------------------------------------------------- the bundled case


@pytest.fixture(scope="module")
def bundled():
    from osint_kit import load_case

    return load_case("ru-ir-missile-experts-2024")


def test_bundled_matrix_shape_and_accounting(bundled):
    r = co.corroborate(bundled)
    # 38 claims (the dossier's 36 + C37 headline, C38 lede) x 38 sources (the full dossier,
    # the three unread relay nodes included); all 393 assertions placed, none rejected
    assert r.matrix.shape == (38, 38)
    assert r.n_cells == len(bundled.assertions) == 393
    assert (r.problems["action"] == "rejected").sum() == 0
    # every source descends from the reconstructed Reuters report: one relay group
    assert r.source_order["group"].unique().tolist() == ["reuters_orig"]
    # worldreviewnews copies foxnews, so it sits right after it
    ids = r.source_order["source_id"].tolist()
    assert ids.index("worldreviewnews") == ids.index("foxnews") + 1


def test_bundled_flight_dates_rest_on_one_origin(bundled):
    s = co.corroborate(bundled).claim_summary.set_index("claim_id")
    # C02 (24 April 2024) and C03 (17 September 2024): carried by 16 outlets each
    # (reuters_orig, dailythepatriot, aawsat_en, jns, babel_en, kiransen_blog, pishtaz and,
    # in the full dossier, cnewslive, rmol_id, agents_ru, icma_ru, buzzplus_fr, toi_fr,
    # juif_fr, israelnoticias_es, itongadol_es), every one of them derived from Reuters ->
    # exactly one independent origin.
    for cid in ("C02", "C03"):
        assert s.loc[cid, "n_supports"] == 16
        assert s.loc[cid, "n_origins_support"] == 1
        assert s.loc[cid, "origins_support"] == "reuters_orig"
        assert s.loc[cid, "status"] == "single origin"
        # i24_fr contradicts (it gives 2023) but is itself a Reuters relay: not an independent contest
        assert s.loc[cid, "n_contradicts"] == 1 and s.loc[cid, "n_independent_contradict"] == 0
    # nothing in this case is corroborated: every source has the single origin reuters_orig
    assert (s["n_origins_support"] <= 1).all()
    # all 38 claims rest on the one origin: in the full dossier C18 (ministries' responses)
    # is supported by cnewslive, C34 ("around the time of the attacks") by buzzplus_fr and
    # tv9hindi, C20 (per-flight group composition) by rmol_id and agents_ru, and the
    # headline C37 and lede C38 by Reuters itself
    assert s["status"].value_counts().to_dict() == {"single origin": 38}
    for cid in ("C18", "C20", "C34", "C37", "C38"):
        assert s.loc[cid, "status"] == "single origin"


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
    # worldreviewnews copies foxnews: its only drift is inherited (the qualified flight claims)
    w = d[d["source_id"] == "worldreviewnews"]
    assert w["claim_id"].tolist() == ["C01", "C02", "C03"] and w["inherited"].all()
    # i24_fr contradicts the flight dates it received (2023 instead of 2024)
    i24 = d[(d["source_id"] == "i24_fr") & (d["drift"] == "contradicts")]
    assert set(i24["claim_id"]) == {"C02", "C03", "C04", "C14", "C15"}


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
