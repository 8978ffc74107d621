"""Tests for osint_kit.practice.classroom: a class compares its judgements (issue 12).

Pinned to ``synthetic_class(..., n_learners=6, seed=0)`` on the practice case:
every learner gives the case's own rating except on five contested items, where
learner k gives ``pattern[k]`` (classroom.PATTERNS), so each measure can be
worked out by hand.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from osint_kit.practice import classroom as cl
from osint_kit.practice.case import PRACTICE_SLUG
from osint_kit.readers.bundle import load_case

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def practice():
    return load_case(PRACTICE_SLUG)


@pytest.fixture(scope="module")
def klass(practice, tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    plan = cl.synthetic_class(folder, practice, n_learners=6, seed=0)
    return folder, plan, cl.merge_class(folder, practice).check()


def test_generator_plan_is_seeded(klass, practice, tmp_path):
    folder, plan, _ = klass
    # seed 0 picks these five contested items (the ACH ones among H1's cells: H1 ranks first)
    assert list(zip(plan["kind"], plan["item_id"])) == [
        ("source_grade", "booking_leak"),
        ("source_grade", "harbour_daily"),
        ("stance", "radio_costa;C07"),
        ("ach_cell", "H1;C10"),
        ("ach_cell", "H1;C06"),
    ]
    again = cl.synthetic_class(tmp_path, practice, n_learners=6, seed=0)
    pd.testing.assert_frame_equal(plan, again)
    for name in [f"learner{k:02d}.csv" for k in range(1, 7)]:
        assert (folder / name).read_bytes() == (tmp_path / name).read_bytes()
    assert not plan.equals(cl.synthetic_class(tmp_path / "s1", practice, seed=1))


def test_counts_add_up(klass):
    _, _, r = klass
    # 6 learners x (6 grades + 6 stances + 32 ACH cells) = 264 rows, none rejected
    assert r.counts() == {"learners": 6, "rows_in": 264, "used": 264, "rejected": 0, "items": 44}
    assert r.learners == [f"learner{k:02d}" for k in range(1, 7)]


def test_per_item_spread_and_consensus(klass):
    _, _, r = klass
    it = r.items.set_index(["kind", "item_id"])
    # H1;C10 rated CC C N I II NA: six categories once each -> entropy exactly 1;
    # values 2 1 0 -1 -2 (NA left out): mean 0, sample std sqrt(10/4) = 1.5811
    a = it.loc[("ach_cell", "H1;C10")]
    assert a["entropy"] == pytest.approx(1.0)
    assert a["mean"] == 0 and a["std"] == pytest.approx(math.sqrt(2.5))
    # Open Synthesis: max(std of NA-vs-rated [0,1,1,1,1,1] = 0.408, std of values 1.581)
    assert a["os_disagreement"] == pytest.approx(math.sqrt(2.5))
    assert a["os_consensus"] == "N"  # round(mean 0) = 0 = N
    assert a["share_mode"] == pytest.approx(1 / 6) and a["mode_tied"]
    # H1;C06 rated C C C II II II: two categories of six -> ln 2 / ln 6 = 0.3869;
    # mean (3 - 6) / 6 = -0.5, round(-0.5) = 0 (halves to even, as Open Synthesis) -> N
    b = it.loc[("ach_cell", "H1;C06")]
    assert b["entropy"] == pytest.approx(math.log(2) / math.log(6))
    assert b["mean"] == -0.5 and b["os_consensus"] == "N"
    assert b["share_case"] == 0.5  # the case says C
    # booking_leak graded A B C D E F: F (cannot be judged) is left out of the mean:
    # A..E = 5..1, mean 3 (C), std 1.5811; one F of six is not a majority
    g = it.loc[("source_grade", "booking_leak")]
    assert g["mean"] == 3 and g["os_consensus"] == "C" and g["entropy"] == pytest.approx(1.0)
    assert g["share_case"] == pytest.approx(1 / 6)  # the case grades it F
    # harbour_daily graded B B B C C D: mode B at 50 %; the case's F: nobody agrees
    h = it.loc[("source_grade", "harbour_daily")]
    assert h["mode"] == "B" and h["share_mode"] == 0.5 and h["share_case"] == 0
    # stance radio_costa;C07: supports 2, qualifies 2, contradicts 1, omits 1 over 4 stances
    s = it.loc[("stance", "radio_costa;C07")]
    expected = -(2 * (1 / 3) * math.log(1 / 3) + 2 * (1 / 6) * math.log(1 / 6)) / math.log(4)
    assert s["entropy"] == pytest.approx(expected)  # 0.9591
    assert pd.isna(s["mean"]) and pd.isna(s["os_disagreement"])  # a stance is not ordinal
    # every other item: all six agree with the case
    rest = r.items[r.items["entropy"] == 0]
    assert len(rest) == 39 and (rest["share_mode"] == 1).all() and (rest["share_case"] == 1).all()


def test_items_of_most_disagreement(klass):
    _, _, r = klass
    top = r.most_disagreement(5)
    # entropy 1, 1, 0.959, 0.564, 0.387; the two at 1 ordered by Open Synthesis disagreement
    # (equal, 1.581) then kind
    assert list(top["item_id"]) == [
        "H1;C10",
        "booking_leak",
        "radio_costa;C07",
        "harbour_daily",
        "H1;C06",
    ]


def test_rankings_change_per_learner(klass):
    _, _, r = klass
    t = r.ranking_table()
    # the case ranks H1 H3 H4 H2; learners 1-3 rate H1's contested cells CC/C/N and C,
    # learners 4-6 give I/II/NA and II on C06, which costs H1 its first place
    assert t.loc["case"].to_dict() == {"H1": 1, "H2": 4, "H3": 2, "H4": 3}
    assert t.loc["consensus"].to_dict() == {"H1": 1, "H2": 4, "H3": 2, "H4": 3}
    assert r.top_hypothesis().to_dict() == {
        "case": "H1",
        "consensus": "H1",
        "learner01": "H1",
        "learner02": "H1",
        "learner03": "H1",
        "learner04": "H3",
        "learner05": "H3",
        "learner06": "H3",
    }
    # learner05 rates H1;C10 II (weight Medium x Medium = 1: -2) and H1;C06 II (High x
    # Medium = sqrt 2: -2.83) on top of C09 (-1.41): H1 falls to third
    assert t.loc["learner05", "H1"] == 3


def test_figures(klass):
    _, _, r = klass
    ax = cl.plot_class_disagreement(r, n=6)
    assert len(ax.patches) == 6
    assert ax.get_yticklabels()[0].get_text() == "ach_cell  H1;C10"
    ax2 = cl.plot_class_rankings(r)
    assert len(ax2.get_yticklabels()) == 8  # case, consensus, six learners
    with pytest.raises(cl.ClassroomError, match="result of merge_class"):
        cl.plot_class_disagreement(r.items)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        if p.is_file():
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def test_a_learners_file_never_changes_the_case(practice, tmp_path):
    before_files = _digest(practice.path)
    before = {t: practice.table(t).copy() for t in ("sources", "assertions", "ach")}
    cl.synthetic_class(tmp_path, practice, n_learners=5, seed=3)
    # a learner who regrades everything and rates every cell II
    (tmp_path / "learner01.csv").write_text(
        "learner,kind,item_id,rating\n"
        + "".join(f"learner01,source_grade,{s},E\n" for s in practice.sources["source_id"])
        + "".join(
            f"learner01,ach_cell,{h};{c},II\n"
            for h, c in zip(practice.ach["hypothesis_id"], practice.ach["claim_id"])
        ),
        encoding="utf-8",
    )
    r = cl.merge_class(tmp_path, practice).check()
    assert r.top_hypothesis()["case"] == "H1"
    for t, frame in before.items():
        pd.testing.assert_frame_equal(practice.table(t), frame)
    assert _digest(practice.path) == before_files


BAD = (
    "learner,kind,item_id,rating\n"
    "learner01,source_grade,ledger_orig,b\n"  # 2: fine (case normalised)
    "learner01,source_grade,nobody,B\n"  # 3: unknown source
    "learner01,source_grade,ledger_orig,A\n"  # 4: rated twice
    "learner01,stance,ledger_orig;C99,supports\n"  # 5: unknown claim
    "learner01,stance,ledger_orig,supports\n"  # 6: one id where two are needed
    "learner01,ach_cell,H9;C01,C\n"  # 7: unknown hypothesis
    "learner01,ach_cell,H1;C01,maybe\n"  # 8: unknown rating
    "learner01,ach_cell,H1;C04,\n"  # 9: no rating
    "somebody,ach_cell,H1;C05,CC\n"  # 10: not this file's learner
    "learner01,vote,H1;C05,CC\n"  # 11: unknown kind
    "learner01,ach_cell,H1;C05,=HYPERLINK(1)\n"  # 12: hostile text is only a bad rating
    "learner01,stance, ledger_orig ; C01 ,Supports\n"  # 13: fine (blanks stripped)
)


def test_bad_rows_become_problems(practice, tmp_path):
    cl.synthetic_class(tmp_path, practice, n_learners=5, seed=0)
    (tmp_path / "learner01.csv").write_text(BAD, encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "header_only.csv").write_text("learner,kind,item_id,rating\n", encoding="utf-8")
    (tmp_path / "wrong_columns.csv").write_text("name,score\nx,1\ny,2\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a ratings file", encoding="utf-8")  # not .csv: ignored
    r = cl.merge_class(tmp_path, practice).check()
    p = r.problems
    mine = p[p["file"] == "learner01.csv"].set_index("row")
    assert sorted(mine.index) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert mine.loc[3, "problem"] == "not a source of the case"
    assert mine.loc[4, "problem"] == "rated twice by this learner: the first rating counts"
    assert mine.loc[5, "problem"] == "the claim is not in the case"
    assert mine.loc[6, "problem"] == "a stance or ACH cell names two ids"
    assert mine.loc[7, "problem"] == "the hypothesis is not in the case"
    assert mine.loc[8, "problem"] == "not a ach_cell rating"
    assert mine.loc[9, "problem"] == "no rating"
    assert mine.loc[10, "problem"].startswith("unknown learner")
    assert mine.loc[11, "problem"] == "unknown kind"
    assert mine.loc[12, "value"] == "=HYPERLINK(1)"
    used = r.ratings[r.ratings["file"] == "learner01.csv"]
    assert used["row"].tolist() == [2, 13]
    assert (
        used["rating"].tolist() == ["B", "supports"]
        and used["item_id"].iloc[1] == "ledger_orig;C01"
    )
    # whole files: empty (an error, no rows), header only (a warning), wrong columns (each row)
    assert p.loc[p["file"] == "empty.csv", "problem"].str.contains("empty").all()
    assert p.loc[p["file"] == "header_only.csv", "severity"].tolist() == ["warning"]
    wrong = p[p["file"] == "wrong_columns.csv"]
    assert wrong["row"].tolist() == [2, 3] and (wrong["action"] == "rejected").all()
    # rows in = rows used + rows rejected: 4 learners x 44 + 12 + 0 + 0 + 2
    c = r.counts()
    assert c["rows_in"] == 4 * 44 + 12 + 2 and c["used"] == 4 * 44 + 2 and c["rejected"] == 12


def test_roster(practice, tmp_path):
    cl.synthetic_class(tmp_path, practice, n_learners=5, seed=0)
    r = cl.merge_class(tmp_path, practice, roster=["learner01", "learner02"])
    # the other three learners' rows are rejected as not on the roster, none lost
    assert r.learners == ["learner01", "learner02"]
    assert r.counts()["rejected"] == 3 * 44
    assert set(r.problems["problem"]) == {"unknown learner: not on the roster"}


def test_clear_errors(practice, tmp_path):
    with pytest.raises(cl.ClassroomError, match="is not a folder"):
        cl.merge_class(tmp_path / "missing", practice)
    with pytest.raises(cl.ClassroomError, match="holds no .csv file"):
        cl.merge_class(tmp_path, practice)
    with pytest.raises(cl.ClassroomError, match="must be a loaded case"):
        cl.merge_class(tmp_path, "practice-synthetic-ferry-2023")
    with pytest.raises(cl.ClassroomError, match="n_learners must be"):
        cl.synthetic_class(tmp_path, practice, n_learners=0)


def test_hostile_names_stay_text_in_figures(practice, tmp_path):
    # a learner called "$\\alpha$" (the file's name is the learner's): matplotlib would
    # render it as math; the figure shows the characters as typed
    name = "$\\alpha$"
    (tmp_path / f"{name}.csv").write_text(
        f"learner,kind,item_id,rating\n{name},ach_cell,H1;C01,II\n", encoding="utf-8"
    )
    r = cl.merge_class(tmp_path, practice).check()
    assert r.learners == [name]
    ax = cl.plot_class_rankings(r)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["case", "consensus", "\\$\\alpha\\$"]
    ax.figure.canvas.draw()  # renders without a mathtext parse
