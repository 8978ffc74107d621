"""Tests for osint_kit.analysis.ach: Heuer and PARC weighted inconsistency, ranking, diagnosticity."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from osint_kit.analysis.ach import WEIGHTS, compare_hypotheses
from osint_kit.errors import CaseError

R2 = math.sqrt(2)

HYP = pd.DataFrame(
    {"hypothesis_id": ["H1", "H2", "H3"], "text": ["one", "two", "three"]}, dtype="string"
)
CLAIMS = pd.DataFrame({"claim_id": ["K1", "K2", "K3", "K4"]}, dtype="string")
# Hand-built matrix (credibility, relevance per row; empty = Medium):
#        H1        H2         H3      weights
#   K1   C         I          II      High, High     -> weight sqrt2*sqrt2 = 2
#   K2   I         C          N       Low, Medium    -> weight 1/sqrt2
#   K3   NA        II         C       Medium, Low    -> weight 1/sqrt2
#   K4   N         N          N       (empty)        -> weight 1
ROWS = [
    ("H1", "K1", "C", "High", "High"),
    ("H2", "K1", "I", "High", "High"),
    ("H3", "K1", "II", "High", "High"),
    ("H1", "K2", "I", "Low", "Medium"),
    ("H2", "K2", "C", "Low", "Medium"),
    ("H3", "K2", "N", "Low", "Medium"),
    ("H1", "K3", "NA", "Medium", "Low"),
    ("H2", "K3", " ii ", "Medium", "Low"),
    ("H3", "K3", "C", "Medium", "Low"),
    ("H1", "K4", "N", None, None),
    ("H2", "K4", "N", None, None),
    ("H3", "K4", "N", None, None),
]
BAD = [
    ("H9", "K1", "C", None, None),  # unknown hypothesis
    ("H1", "K9", "C", None, None),  # unknown claim
    ("H2", "K2", "maybe", None, None),  # not a rating
    ("H1", "K1", "II", None, None),  # repeats (H1, K1)
]


def make(rows, with_weights=True):
    t = pd.DataFrame(
        rows,
        columns=["hypothesis_id", "claim_id", "rating", "credibility", "relevance"],
        dtype="string",
    )
    if not with_weights:
        t = t.drop(columns=["credibility", "relevance"])
    return type("C", (), {"hypotheses": HYP, "ach": t, "claims": CLAIMS})()


def test_weights_are_parc():
    assert WEIGHTS == {"LOW": 1 / R2, "MEDIUM": 1.0, "HIGH": R2}


def test_scores_by_hand():
    s = compare_hypotheses(make(ROWS)).scores.set_index("hypothesis_id")
    # Heuer: H1 = K2 I (1); H2 = K1 I (1) + K3 II (2) = 3; H3 = K1 II (2)
    assert s["heuer_inconsistency"].to_dict() == {"H1": 1, "H2": 3, "H3": 2}
    # PARC: H1 = -1 * (1/sqrt2 * 1); H2 = -1 * 2 + -2 * (1 * 1/sqrt2); H3 = -2 * 2
    assert s.loc["H1", "weighted_inconsistency"] == pytest.approx(-1 / R2)
    assert s.loc["H2", "weighted_inconsistency"] == pytest.approx(-2 - 2 / R2)  # -3.4142
    assert s.loc["H3", "weighted_inconsistency"] == pytest.approx(-4.0)
    # the weights reorder H2 and H3: by count H3 (2) beats H2 (3), but H3's one II is on
    # high-credibility, high-relevance evidence
    assert s.sort_values("rank").index.tolist() == ["H1", "H2", "H3"]
    assert s.loc["H2", "drivers"] == "K1 (I, -2.00); K3 (II, -1.41)"
    assert s.loc["H3", "drivers"] == "K1 (II, -4.00)"
    # NA is not a rating of consistency: H1 has 3 rated items, not 4
    assert s[["n_rated", "n_consistent", "n_inconsistent"]].loc["H1"].tolist() == [3, 1, 1]


def test_without_weights_weighted_equals_minus_heuer():
    s = compare_hypotheses(make(ROWS, with_weights=False)).scores.set_index("hypothesis_id")
    assert (s["weighted_inconsistency"] == -s["heuer_inconsistency"]).all()
    assert s.sort_values("rank").index.tolist() == ["H1", "H3", "H2"]  # ranked by count alone


def test_diagnosticity_by_hand():
    d = compare_hypotheses(make(ROWS)).diagnosticity.set_index("claim_id")
    # values CC 2, C 1, N 0, I -1, II -2; NA left out
    # K1: C, I, II -> 1 - (-2) = 3; K2: I, C, N -> 2; K3: (NA), II, C -> 3; K4: N, N, N -> 0
    assert d["diagnosticity"].to_dict() == {"K1": 3, "K3": 3, "K2": 2, "K4": 0}
    assert d["inconsistency_spread"].to_dict() == {"K1": 2, "K3": 2, "K2": 1, "K4": 0}
    assert d.loc["K4", "diagnostic"] == False  # noqa: E712 - same rating for every hypothesis
    assert d.loc["K1", "inconsistent_with"] == "H2;H3"
    assert d.loc["K3", "ratings"] == "H1:NA H2:II H3:C"


def test_matrix_and_problems():
    r = compare_hypotheses(make(ROWS + BAD))
    assert r.matrix.loc["K3"].tolist() == ["NA", "II", "C"]
    assert r.matrix.shape == (4, 3)
    p = r.problems
    assert p["problem"].tolist() == [
        "names a hypothesis that is not in hypotheses.csv",
        "names a claim that is not in claims.csv",
        "is not an ACH rating",
        "repeats an earlier (hypothesis_id, claim_id) pair (the first row is used)",
    ]
    # rows 14-17 of the file (12 good rows from row 2)
    assert p["row"].tolist() == [14, 15, 16, 17]
    # rows in = rated + rejected
    assert len(r.ratings) + len(p) == len(ROWS) + len(BAD)


def test_counts_and_check():
    r = compare_hypotheses(make(ROWS + BAD))
    # 16 rows = 12 ratings + 4 rejected (test_matrix_and_problems); 3 hypotheses, 4 items;
    # K4 (N everywhere) is the one item that is not diagnostic
    assert r.counts() == {
        "rows_in": 16,
        "ratings": 12,
        "rejected": 4,
        "hypotheses": 3,
        "evidence": 4,
        "diagnostic": 3,
        "problems": 4,
    }
    assert r.check() is r
    with pytest.raises(CaseError, match=r"16 ach rows in, 12 ratings \+ 3 rejected"):
        dataclasses.replace(r, problems=r.problems.iloc[1:]).check()
    with pytest.raises(CaseError, match="rank each hypothesis once"):
        dataclasses.replace(r, scores=r.scores.iloc[1:]).check()


def test_bad_weight_is_medium_with_warning():
    rows = [("H1", "K1", "I", "Huge", "low")]
    r = compare_hypotheses(make(rows))
    assert r.ratings.loc[0, "credibility"] == "MEDIUM" and r.ratings.loc[0, "relevance"] == "LOW"
    assert r.ratings.loc[0, "weight"] == pytest.approx(1 / R2)
    assert r.problems[["column", "value", "severity", "action"]].values.tolist() == [
        ["credibility", "Huge", "warning", "kept"]
    ]


def test_no_ach_tables_give_empty_results():
    r = compare_hypotheses(type("C", (), {"hypotheses": None, "ach": None, "claims": None})())
    assert len(r.scores) == 0 and len(r.diagnosticity) == 0 and len(r.problems) == 0


def test_bundled_case_ranking():
    from osint_kit import load_case

    r = compare_hypotheses(load_case("ru-ir-missile-experts-2024"))
    s = r.scores.set_index("hypothesis_id")
    # hand check from ach.csv: H2 is inconsistent only with C05 (manifest: at least the
    # September flight was boarded), rated I with High credibility and High relevance -> -2
    assert s.loc["H2", "heuer_inconsistency"] == 1
    assert s.loc["H2", "weighted_inconsistency"] == pytest.approx(-2.0)
    assert s.loc["H2", "drivers"] == "C05 (I, -2.00)"
    # C14 (Reuters' caveat) is rated N for every hypothesis: the non-diagnostic teaching item
    d = r.diagnosticity.set_index("claim_id")
    assert d.loc["C14", "diagnosticity"] == 0
    assert len(r.problems) == 0


# --------------------------------------------------------------------------- the bundled case


def test_bundled_hypotheses_are_exclusive_and_c14_is_respected():
    from osint_kit import load_case

    case = load_case("ru-ir-missile-experts-2024")
    h = case.hypotheses.set_index("hypothesis_id")["text"]
    # mutually exclusive by construction: H4 denies the records, H1-H3 take them as
    # genuine; H2 is the "not all seven flew" branch, H1 and H3 say all seven flew and
    # split on the purpose (H2 no longer says "or none did" next to H1's "travelled")
    assert all("(the records are genuine)" in h[k] for k in ("H1", "H3"))
    assert h["H2"].startswith("The records are genuine, but not all of the seven")
    assert all("All seven travelled as booked" in h[k] for k in ("H1", "H3"))
    r = compare_hypotheses(case)
    ratings = r.ratings.set_index(["hypothesis_id", "claim_id"])
    ach = case.ach.set_index(["hypothesis_id", "claim_id"])
    # C14: Reuters could not establish that the officials' visitors were the seven, so
    # their accounts (C09, C11, C12) cannot speak against another purpose (H3: was I on
    # C09 and C12) nor be very consistent with H1 (C09 was CC, "independently"); and the
    # anonymous officials are graded F (the corroboration's F6): credibility Low
    d = r.diagnosticity.set_index("claim_id")
    assert d.loc["C09", "ratings"] == "H1:C H2:N H3:N H4:N"
    assert d.loc["C12", "ratings"] == "H1:C H2:N H3:N H4:N"
    assert "C14" in ach.loc[("H1", "C09"), "rationale"]
    assert "independently" not in ach.loc[("H1", "C09"), "rationale"]
    assert set(ratings.loc[(slice(None), ["C09", "C11", "C12"]), "credibility"]) == {"LOW"}
    # the scores that follow (Heuer points; PARC weights High = sqrt 2, Medium = 1):
    # H1 nothing against it; H3 C15 I (High x Medium) = -1.41; H2 C05 I (High x High) = -2;
    # H4 C05 I and C15 I (each High x Medium) = -2.83
    s = r.scores.set_index("hypothesis_id")
    assert s.index.tolist() == ["H1", "H3", "H2", "H4"]
    assert s["heuer_inconsistency"].tolist() == [0, 1, 1, 2]
    assert s["weighted_inconsistency"].tolist() == pytest.approx([0.0, -R2, -2.0, -2 * R2])
    # what separates the hypotheses now: the manifest (C05) and the ranks (C15) only
    diag = d[d["inconsistency_spread"] > 0].index.tolist()
    assert diag == ["C05", "C15"]
