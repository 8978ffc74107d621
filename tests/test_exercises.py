"""Tests for osint_kit.practice.exercises: self-checking exercises (issue 12).

The right answers live here and in notebooks/05_solutions.ipynb, never in the
package: each value below is what the library computes for the case (the
comment says how), and ``test_the_answers_follow_from_the_library`` recomputes
them so that a change in the analysis that moves an answer fails here.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from osint_kit.analysis import corroboration as co
from osint_kit.analysis.ach import compare_hypotheses
from osint_kit.analysis.places import geodesic_km
from osint_kit.practice import exercises as ex
from osint_kit.practice.case import PRACTICE_SLUG
from osint_kit.readers.bundle import load_case

BUNDLED = ex.BUNDLED_SLUG
ROOT = Path(__file__).resolve().parents[1]

#: The right answers, per case (see the module docstring).
RIGHT = {
    BUNDLED: {
        "E1": 1,  # C05's nine supporters all go back to reuters_orig
        "E2": "B",  # sources.csv: reuters_orig is B
        "E3": "month",  # "2024-01" is the whole of January 2024
        "E4": 38,  # every source of the dossier has reuters_orig as its (only) origin
        "M1": "dailyresearcheditor",  # C26 enters at three relays; only it is dated (2025-03-04)
        "M2": 244,  # IKA (P06) to P02: 243.956 km on the WGS84 ellipsoid
        "M3": "pishtaz",  # C29 enters at pishtaz and nowhere above it
        "M4": 3,  # with reuters_orig at D, C02's best supporter is a C: single origin, C -> 3
        "M5": "only qualified",  # pishtaz was C29's only supporter
        "A1": "C09",  # diagnosticity 3 (H1:CC ... H3:I), the largest
        "A2": "H2",  # H1 x C05 = II costs H1 -4.0 (weight 2): H2 (-2.0) comes first
        "A3": 16,  # sixteen relays change C01 themselves (booked -> flew, visited, ...)
        "A4": 38,  # every claim rests on reuters_orig alone
        "A5": "2024-09-17",  # T2 (booking) and T3 (manifest)
    },
    PRACTICE_SLUG: {
        "E1": 2,  # C05: the Ledger and the ADS-B flight list, independent of each other
        "E2": "F",  # harbour_daily: a verbatim copy from an unknown site
        "E3": "year",  # C01 is dated "2023"
        "E4": 11,  # the Ledger and its ten relays (six documents and datasets are their own)
        "M1": "port_watch",  # C13 enters at port_watch only (newsheap copies it)
        "M2": 265,  # IKA (P04) to the search centre 12 km east of Amirabad: 265.171 km
        "M3": "insider_blog",
        "M4": 3,  # ledger_orig at D: C02's best supporter is then C (shore_times, le_quai, ...)
        "M5": "contested",  # port_notice is an origin the Ledger's relays do not share
        "A1": "C05",  # CC ... II: diagnosticity 4
        "A2": "H3",  # without C14's I, H3's only driver is C07 (-1.00), ahead of H1 (-1.41)
        "A3": 1,  # gulf_brief; brief_mirror and radio_costa inherit its "flew"
        "A4": 12,  # all but C05 and C06
        "A5": "2023-10-03",  # T2 (booking) and T3 (manifest)
    },
}
#: A wrong answer of the right type for every exercise.
WRONG = {
    "E1": 7,
    "E2": "A",
    "E3": "day",
    "E4": 3,
    "M1": "cnewslive",
    "M2": 120,
    "M3": "foxnews",
    "M4": 6,
    "M5": "corroborated",
    "A1": "C14",
    "A2": "H4",
    "A3": 0,
    "A4": 2,
    "A5": "2023-06-12",
}


@pytest.fixture(scope="module")
def cases():
    return {slug: load_case(slug) for slug in RIGHT}


def test_at_least_twelve_exercises_at_three_levels():
    assert len(ex.EXERCISES) == 14
    levels = pd.Series([e.level for e in ex.EXERCISES.values()]).value_counts().to_dict()
    assert levels == {"easy": 4, "medium": 5, "advanced": 5}
    for slug in RIGHT:
        assert set(ex.CASE_PARAMETERS[slug]) == set(ex.EXERCISES)
        assert set(ex.ANSWER_DIGESTS[slug]) == set(ex.EXERCISES)


@pytest.mark.parametrize("slug", list(RIGHT))
@pytest.mark.parametrize("eid", list(ex.EXERCISES))
def test_right_and_wrong_answer(slug, eid, capsys):
    right = ex.check(eid, RIGHT[slug][eid], slug)
    assert right.status == "right" and bool(right)
    assert capsys.readouterr().out.strip() == f"✓ {eid}: right."
    wrong = ex.check(eid, WRONG[eid], slug)
    assert wrong.status == "wrong" and not wrong
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {eid}: not right yet. Hint: ")


def test_the_answers_follow_from_the_library(cases):
    # the same computations as notebooks/05_solutions.ipynb, in short
    for slug, case in cases.items():
        p = ex.CASE_PARAMETERS[slug]
        r = co.corroborate(case)
        s = r.claim_summary.set_index("claim_id")
        assert s.at[p["E1"]["claim"], "n_origins_support"] == RIGHT[slug]["E1"]
        assert (r.origins["origin_id"] == p["E4"]["origin"]).sum() == RIGHT[slug]["E4"]
        pl = case.places.set_index("place_id")
        a, b = pl.loc[p["M2"]["a"]], pl.loc[p["M2"]["b"]]
        assert round(geodesic_km(a["lat"], a["lon"], b["lat"], b["lon"])) == RIGHT[slug]["M2"]
        assert compare_hypotheses(case).diagnosticity.iloc[0]["claim_id"] == RIGHT[slug]["A1"]
        assert (r.claim_summary["status"] == "single origin").sum() == RIGHT[slug]["A4"]


def test_normalised_forms_are_accepted(cases):
    # ids and words: blanks and case do not matter; numbers: int, float, text, numpy
    assert ex.check("M3", "  PISHTAZ ", BUNDLED)
    assert ex.check("M5", "Only  Qualified", BUNDLED)
    for form in (1, 1.0, "1", np.int64(1)):
        assert ex.check("E1", form, BUNDLED), form
    # a distance: any value that rounds to within 1 km of 243.96 (243, 244 or 245)
    for km in (243.96, 242.6, 245.4, "244,0"):
        assert ex.check("M2", km, BUNDLED), km
    for km in (242.4, 245.6):
        assert ex.check("M2", km, BUNDLED).status == "wrong", km
    # a day in any readable form
    for day in (
        "2024-09-17",
        "17 September 2024",
        dt.date(2024, 9, 17),
        pd.Timestamp("2024-09-17"),
    ):
        assert ex.check("A5", day, BUNDLED), day
    # a loaded case, its slug and its folder are the same case
    case = cases[PRACTICE_SLUG]
    assert (
        ex.check("E1", 2, case)
        and ex.check("E1", 2, case.path)
        and ex.check("E1", 2, str(case.path))
    )


@pytest.mark.parametrize(
    "eid, answer, status, words",
    [
        ("E1", None, "empty", "no answer yet"),
        ("E1", "   ", "empty", "no answer yet"),
        ("E1", float("nan"), "empty", "no answer yet"),
        ("E1", [], "empty", "no answer yet"),
        ("E1", pd.Series([], dtype="Int64"), "empty", "no answer yet"),
        ("E1", [1, 2], "invalid", "a list of 2 values"),
        ("E1", pd.DataFrame({"n": [1]}), "invalid", "a DataFrame (1 rows x 1 columns)"),
        ("E1", True, "invalid", "a yes/no"),
        ("E1", 1.5, "invalid", "is not one"),
        ("E1", "one", "invalid", "a whole number"),
        ("M3", 3, "invalid", "one id as text"),
        ("M3", pd.Series(["pishtaz"]), "invalid", "a pandas Series of 1 values"),
        ("E2", "Z", "invalid", "is not one of: A, B, C, D, E, F"),
        ("M2", "far", "invalid", "is not one"),
        ("M2", float("inf"), "invalid", "not finite"),
        ("A5", "2024-02-30", "invalid", "is not one"),
        ("A5", 17, "invalid", "a day as text"),
        ("Z9", 1, "unknown", "the exercises are E1, E2"),
        (None, 1, "unknown", "No exercise None"),
    ],
)
def test_bad_answers_get_a_message_never_a_traceback(eid, answer, status, words, capsys):
    result = ex.check(eid, answer, BUNDLED)
    assert result.status == status and not result
    assert words in result.message
    assert capsys.readouterr().out.strip() == result.message


def test_a_case_without_answers_says_so(tmp_path):
    result = ex.check("E1", 1, tmp_path / "my-case")
    assert result.status == "unknown"
    assert "No stored answers for case 'my-case'" in result.message
    assert ex.check("E1", 1, object()).status == "unknown"  # not a case: a sentence, no raise
    assert ex.parameters("E1", "my-case") == {}
    assert ex.question("E1", "my-case").startswith("No stored answers")


def test_checker_keeps_progress(capsys):
    checker = ex.Checker(PRACTICE_SLUG)
    checker.check("E1", 2)
    checker.check("E2", "A")
    checker.check("E3", None)
    checker.check("nope", 1)  # not an exercise: not in the progress table
    prog = checker.progress().set_index("id")
    assert prog.loc[["E1", "E2", "E3", "E4"], "status"].tolist() == [
        "right",
        "wrong",
        "empty",
        "not tried",
    ]
    assert len(prog) == 14
    checker.show("M2")
    out = capsys.readouterr().out
    assert "M2 (medium) A distance on the ellipsoid" in out and "P04" in out


def test_questions_name_each_cases_ids():
    t = ex.exercises_table(BUNDLED).set_index("id")
    assert "C26" in t.at["E3", "question"] and "'2024-01'" in t.at["E3", "question"]
    t = ex.exercises_table(PRACTICE_SLUG).set_index("id")
    assert "ledger_orig" in t.at["M4", "question"]


def test_no_answer_is_stored_in_the_package():
    # the package holds digests, not answers: no right id or day appears as a string literal
    # in exercises.py (an id the question itself names, e.g. C05, is allowed; a choice
    # exercise lists its choices, the right one among them)
    src = (ROOT / "src" / "osint_kit" / "practice" / "exercises.py").read_text(encoding="utf-8")
    literals = {
        n.value
        for n in ast.walk(ast.parse(src))
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    for slug, answers in RIGHT.items():
        named = {str(v) for p in ex.CASE_PARAMETERS[slug].values() for v in p.values()}
        for eid, value in answers.items():
            kind = ex.EXERCISES[eid].kind
            if isinstance(value, str) and value not in named and kind != "choice":
                assert value not in literals, (slug, eid)
    # and every digest is a SHA-256
    assert all(
        len(d) == 64
        for per_case in ex.ANSWER_DIGESTS.values()
        for ds in per_case.values()
        for d in ds
    )
