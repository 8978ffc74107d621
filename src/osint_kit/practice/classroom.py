"""A class compares its judgements: learners' ratings, merged, with spread and consensus.

Each learner grades sources (Admiralty A-F), sets stances or rates ACH cells
in a CSV file of their own, one row per judgement:

=========  ============================================================
learner    the learner's name or pseudonym (one file per learner)
kind       ``source_grade`` | ``stance`` | ``ach_cell``
item_id    ``source_id`` (source_grade); ``source_id;claim_id`` (stance);
           ``hypothesis_id;claim_id`` (ach_cell) -- ``;`` as in derived_from,
           the one separator a case id can never hold
rating     A-F (source_grade); supports, contradicts, qualifies, omits
           (stance); CC, C, N, I, II, NA (ach_cell).  Case and blanks are
           normalised
=========  ============================================================

:func:`merge_class` reads every ``*.csv`` of a folder against a loaded case
and returns a :class:`ClassComparison`:

``ratings``
    the usable rows (learner, kind, item_id, rating, value, file, row);
``problems``
    every row that could not be used, with its reason (the kit's problems
    table): an unreadable or empty file, missing columns, an unknown learner
    (not on the roster; without a roster, a name other than the file's own),
    an unknown kind, an id the case does not have, an unknown or empty rating,
    a judgement given twice (the first counts).  Rows in = rows used + rows
    rejected (:meth:`ClassComparison.check`);
``items``
    per item: n, the mode (the class's most common rating) and the share
    agreeing with it, the normalised Shannon entropy of the ratings (0: all
    agree; 1: spread evenly over every category of the kind), the case's own
    rating and the share agreeing with it; for ordinal kinds (grades: A = 5 ...
    E = 1; ACH: CC = 2 ... II = -2, as :data:`osint_kit.analysis.ach.RATING_VALUE`)
    the mean and the sample standard deviation of the rated values, and
    **Open Synthesis**'s two measures (github.com/twschiller/open-synthesis,
    the board views, ``calc_disagreement`` and
    ``consensus_vote``): ``os_disagreement`` = the larger of the sample
    standard deviation of "not applicable vs rated" (NA for ACH, F = cannot be
    judged for grades) and that of the rated values; ``os_consensus`` = NA/F
    when more learners said so than rated, else the category of the rounded
    mean (Python's ``round``: halves to even, as Open Synthesis);
``rankings``
    per learner (and for ``case`` and the class ``consensus``), the ACH
    ranking of the hypotheses when the learner's ratings replace the case's
    for the cells they rated (:func:`osint_kit.analysis.ach.compare_hypotheses`).

A learner's file never changes the case: every computation runs on copies
of its frames.  :func:`plot_class_disagreement` and :func:`plot_class_rankings`
draw the figures for the class discussion; :func:`synthetic_class` writes a
seeded class of learners with known disagreement (for tests and a first try).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from osint_kit.analysis.ach import RATING_VALUE, RATINGS, compare_hypotheses
from osint_kit.analysis.corroboration import STANCES, frames
from osint_kit.errors import InputFileError, OsintKitError
from osint_kit.io.tabular import read_export
from osint_kit.problems import Problems, concat_problems, empty_problems, rejected_rows

__all__ = [
    "KINDS",
    "LEARNER_COLUMNS",
    "ClassComparison",
    "ClassroomError",
    "merge_class",
    "read_learner_file",
    "plot_class_disagreement",
    "plot_class_rankings",
    "synthetic_class",
]

LEARNER_COLUMNS = ("learner", "kind", "item_id", "rating")
#: kind -> the ratings allowed, in display order
KINDS: dict[str, tuple[str, ...]] = {
    "source_grade": ("A", "B", "C", "D", "E", "F"),
    "stance": tuple(STANCES),
    "ach_cell": tuple(RATINGS),
}
#: ordinal values (the "cannot be judged" category has none)
_VALUES: dict[str, dict[str, float]] = {
    "source_grade": {"A": 5, "B": 4, "C": 3, "D": 2, "E": 1},
    "ach_cell": {k: float(v) for k, v in RATING_VALUE.items()},
}
_NOT_RATED = {"source_grade": "F", "ach_cell": "NA"}
_FIX_ROW = "correct the row, or delete it"


class ClassroomError(OsintKitError):
    """A class folder cannot be compared as asked (no folder, no case, no file)."""


# --------------------------------------------------------------------------- reading


def _case_ids(case: Any) -> dict[str, pd.Index]:
    hyp = getattr(case, "hypotheses", None)
    return {
        "source": pd.Index(case.sources["source_id"].dropna().astype(str)),
        "claim": pd.Index(case.claims["claim_id"].dropna().astype(str)),
        "hypothesis": pd.Index(
            [] if hyp is None else hyp["hypothesis_id"].dropna().astype(str), dtype=object
        ),
    }


def read_learner_file(
    path: str | os.PathLike, case: Any, *, roster: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """One learner's file -> (usable ratings, problems, data rows read).

    Never raises on the file's content: a file that cannot be read, is empty
    or lacks a column gives problems rows (one per data row when the rows
    exist but cannot be used, else one for the file).  See the module
    docstring for the checks."""
    path = Path(path)
    name = path.name
    found = Problems()
    try:
        raw, _, _ = read_export(
            path, what="the ratings", dtype="string", keep_default_na=False, na_values=[""]
        )
    except InputFileError as err:
        found.add(
            name,
            pd.NA,
            "",
            "",
            str(err),
            "give a CSV file with the columns " + ", ".join(LEARNER_COLUMNS),
        )
        return _empty_ratings(), found.table(), 0
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    n = len(raw)
    if n == 0:
        found.add(
            name,
            pd.NA,
            "",
            "",
            "the file has a header but no ratings",
            "add one row per judgement, or remove the file",
            severity="warning",
            action="kept",
        )
        return _empty_ratings(), found.table(), 0
    missing = [c for c in LEARNER_COLUMNS if c not in raw.columns]
    if missing:
        found.add(
            name,
            raw.index.to_numpy(),
            ", ".join(missing),
            "",
            f"the file has no column {', '.join(missing)} (found: "
            f"{', '.join(map(str, raw.columns))})",
            "use the header learner,kind,item_id,rating",
        )
        return _empty_ratings(), found.table(), n
    f = pd.DataFrame(index=raw.index)
    for c in LEARNER_COLUMNS:
        f[c] = raw[c].astype("string").str.strip()
    f["kind"] = f["kind"].str.lower()
    f["rating"] = f["rating"].str.replace(r"\s+", " ", regex=True)
    bad = pd.Series(False, index=f.index)

    def reject(mask: pd.Series, column: str, problem: Any, fix: Any) -> None:
        mask = mask & ~bad
        found.add_where(name, f, mask.to_numpy(), column, problem, fix)
        bad[mask] = True

    reject(f["learner"].isna(), "learner", "no learner named", "write the learner's name")
    allowed = roster if roster is not None else [path.stem]
    reject(
        ~f["learner"].isin(allowed),
        "learner",
        "unknown learner: "
        + (
            "not on the roster"
            if roster is not None
            else f"the file {name} is {path.stem}'s (one file per learner)"
        ),
        "write the learner's name as on the roster"
        if roster is not None
        else f"write {path.stem!r}, or put the rows in that learner's own file",
    )
    reject(
        ~f["kind"].isin(list(KINDS)), "kind", "unknown kind", "use source_grade, stance or ach_cell"
    )
    ids = _case_ids(case)
    item = f["item_id"].fillna("")
    parts = item.str.split(";", n=1, expand=True).reindex(columns=[0, 1])
    first, second = parts[0].fillna("").str.strip(), parts[1].fillna("").str.strip()
    grade = f["kind"] == "source_grade"
    pair = f["kind"].isin(["stance", "ach_cell"])
    reject(
        item.eq(""),
        "item_id",
        "no item_id",
        "name the source, or source;claim, or hypothesis;claim",
    )
    reject(
        grade & (item.str.contains(";") | ~item.isin(ids["source"])),
        "item_id",
        "not a source of the case",
        "use a source_id of sources.csv",
    )
    reject(
        pair & ~item.str.contains(";"),
        "item_id",
        "a stance or ACH cell names two ids",
        "write source_id;claim_id or hypothesis_id;claim_id",
    )
    reject(
        (f["kind"] == "stance") & ~first.isin(ids["source"]),
        "item_id",
        "the source is not in the case",
        "use a source_id of sources.csv before the ';'",
    )
    reject(
        (f["kind"] == "ach_cell") & ~first.isin(ids["hypothesis"]),
        "item_id",
        "the hypothesis is not in the case",
        "use a hypothesis_id of hypotheses.csv before the ';'",
    )
    reject(
        pair & ~second.isin(ids["claim"]),
        "item_id",
        "the claim is not in the case",
        "use a claim_id of claims.csv after the ';'",
    )
    f["item_id"] = np.where(pair, first + ";" + second, item)
    f["item_id"] = f["item_id"].astype("string")
    norm = np.where(f["kind"] == "stance", f["rating"].str.lower(), f["rating"].str.upper())
    f["rating"] = pd.Series(norm, index=f.index, dtype="string")
    reject(f["rating"].isna(), "rating", "no rating", _FIX_ROW)
    for kind, allowed_ratings in KINDS.items():
        reject(
            (f["kind"] == kind) & ~f["rating"].isin(list(allowed_ratings)),
            "rating",
            f"not a {kind} rating",
            "use one of " + ", ".join(allowed_ratings),
        )
    reject(
        f.duplicated(["learner", "kind", "item_id"], keep="first"),
        "item_id",
        "rated twice by this learner: the first rating counts",
        "delete one of the two rows",
    )
    good = f[~bad].copy()
    good["file"] = name
    good["row"] = good.index.astype("int64")
    return good.reset_index(drop=True), found.table(), n


def _empty_ratings() -> pd.DataFrame:
    cols = {c: pd.Series(dtype="string") for c in (*LEARNER_COLUMNS, "file")}
    cols["row"] = pd.Series(dtype="int64")
    return pd.DataFrame(cols)


# --------------------------------------------------------------------------- measures


def _entropy(counts: np.ndarray, k: int) -> float:
    p = counts[counts > 0] / counts.sum()
    return max(0.0, float(-(p * np.log(p)).sum() / math.log(k))) if k > 1 else 0.0


def _item_stats(ratings: pd.DataFrame, case: Any) -> pd.DataFrame:
    case_rating = _case_ratings(case)
    rows = []
    for (kind, item), g in ratings.groupby(["kind", "item_id"], sort=True):
        cats = KINDS[kind]
        counts = g["rating"].value_counts().reindex(list(cats), fill_value=0).to_numpy()
        n = int(counts.sum())
        top = int(np.argmax(counts))  # first of the most common, in category order
        row: dict[str, Any] = {
            "kind": kind,
            "item_id": item,
            "n": n,
            "mode": cats[top],
            "mode_tied": bool((counts == counts[top]).sum() > 1),
            "share_mode": counts[top] / n,
            "entropy": _entropy(counts, len(cats)),
            "ratings": " ".join(f"{c}×{k}" for c, k in zip(cats, counts) if k),
            "case_rating": case_rating.get((kind, item), pd.NA),
        }
        row["share_case"] = (
            float((g["rating"] == row["case_rating"]).mean())
            if not pd.isna(row["case_rating"])
            else np.nan
        )
        values = _VALUES.get(kind)
        if values is not None:
            rated = g["rating"].map(values).dropna().astype(float)
            not_rated = int((g["rating"] == _NOT_RATED[kind]).sum())
            row["mean"] = float(rated.mean()) if len(rated) else np.nan
            row["std"] = float(rated.std(ddof=1)) if len(rated) > 1 else np.nan
            indicator = [0] * not_rated + [1] * len(rated)
            na_dis = float(np.std(indicator, ddof=1)) if len(indicator) > 1 else 0.0
            rated_dis = row["std"] if len(rated) > 1 else 0.0
            row["os_disagreement"] = max(na_dis, rated_dis)
            if not_rated > len(rated):
                row["os_consensus"] = _NOT_RATED[kind]
            else:
                target = round(row["mean"])
                row["os_consensus"] = next(c for c, v in values.items() if v == target)
        rows.append(row)
    cols = [
        "kind", "item_id", "n", "mode", "mode_tied", "share_mode", "entropy", "ratings",
        "case_rating", "share_case", "mean", "std", "os_disagreement", "os_consensus",
    ]  # fmt: skip
    out = pd.DataFrame(rows).reindex(columns=cols)
    for c in ("kind", "item_id", "mode", "ratings", "case_rating", "os_consensus"):
        out[c] = out[c].astype("string")
    for c in ("share_mode", "entropy", "share_case", "mean", "std", "os_disagreement"):
        out[c] = out[c].astype("float64")
    out["n"] = out["n"].astype("int64")
    out["mode_tied"] = out["mode_tied"].astype("bool")
    return out


def _case_ratings(case: Any) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    s = case.sources.dropna(subset=["reliability"])
    out.update({("source_grade", k): v for k, v in zip(s["source_id"], s["reliability"])})
    a = case.assertions
    out.update(
        {("stance", f"{k};{c}"): v for k, c, v in zip(a["source_id"], a["claim_id"], a["stance"])}
    )
    ach = getattr(case, "ach", None)
    if ach is not None:
        out.update(
            {
                ("ach_cell", f"{h};{c}"): str(v).upper()
                for h, c, v in zip(ach["hypothesis_id"], ach["claim_id"], ach["rating"])
            }
        )
    return out


def _ranking(case: Any, cells: pd.DataFrame, who: str) -> pd.DataFrame:
    """The ACH ranking with ``cells`` (hypothesis_id, claim_id, rating) in place of
    the case's ratings for those cells (a copy: the case is not touched)."""
    ach = case.ach.copy()
    key = ach["hypothesis_id"].astype(str) + ";" + ach["claim_id"].astype(str)
    given = dict(zip(cells["hypothesis_id"] + ";" + cells["claim_id"], cells["rating"]))
    ach["rating"] = key.map(given).astype("string").fillna(ach["rating"].astype("string"))
    extra = cells[~(cells["hypothesis_id"] + ";" + cells["claim_id"]).isin(key)]
    if len(extra):
        ach = pd.concat([ach, extra[["hypothesis_id", "claim_id", "rating"]]], ignore_index=True)
    tables = frames(case.sources, case.claims, case.assertions, hypotheses=case.hypotheses, ach=ach)
    s = compare_hypotheses(tables).scores
    return pd.DataFrame(
        {
            "learner": who,
            "hypothesis_id": s["hypothesis_id"].astype("string"),
            "rank": s["rank"].astype("int64"),
            "weighted_inconsistency": s["weighted_inconsistency"].astype("float64"),
            "heuer_inconsistency": s["heuer_inconsistency"].astype("int64"),
        }
    )


# --------------------------------------------------------------------------- the result


@dataclass
class ClassComparison:
    """A class's merged ratings and what they show (see the module docstring)."""

    ratings: pd.DataFrame
    problems: pd.DataFrame
    items: pd.DataFrame
    rankings: pd.DataFrame
    learners: list[str]
    rows_in: int

    def most_disagreement(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` items the class disagrees on most: highest entropy, then the
        largest Open Synthesis disagreement, then the smallest share agreeing
        with the mode."""
        order = self.items.assign(_d=self.items["os_disagreement"].fillna(-1.0))
        return (
            order.sort_values(
                ["entropy", "_d", "share_mode", "kind", "item_id"],
                ascending=[False, False, True, True, True],
            )
            .drop(columns="_d")
            .head(n)
            .reset_index(drop=True)
        )

    def ranking_table(self) -> pd.DataFrame:
        """Rank of each hypothesis (columns) per learner (rows), ``case`` and
        ``consensus`` first."""
        if self.rankings.empty:
            return pd.DataFrame()
        t = self.rankings.pivot(index="learner", columns="hypothesis_id", values="rank")
        order = [w for w in ("case", "consensus") if w in t.index] + [
            w for w in t.index if w not in ("case", "consensus")
        ]
        return t.loc[order]

    def top_hypothesis(self) -> pd.Series:
        """The hypothesis each learner's ratings rank first."""
        r = self.rankings[self.rankings["rank"] == 1]
        return pd.Series(r["hypothesis_id"].to_numpy(), index=r["learner"].to_numpy(), name="top")

    def counts(self) -> dict[str, int]:
        return {
            "learners": len(self.learners),
            "rows_in": self.rows_in,
            "used": len(self.ratings),
            # data rows rejected (a file that could not be read at all has no rows)
            "rejected": rejected_rows(self.problems.dropna(subset=["row"])),
            "items": len(self.items),
        }

    def check(self) -> ClassComparison:
        """Raise unless rows in = rows used + rows rejected, each item's counts
        add up, and every share and entropy is in [0, 1]."""
        c = self.counts()
        if c["rows_in"] != c["used"] + c["rejected"]:
            raise ClassroomError(
                f"rows lost: {c['rows_in']} read, {c['used']} used, {c['rejected']} rejected"
            )
        if int(self.items["n"].sum()) != c["used"]:
            raise ClassroomError("the per-item counts do not add up to the ratings used")
        for col in ("share_mode", "entropy"):
            v = self.items[col]
            if ((v < -1e-12) | (v > 1 + 1e-12)).any():
                raise ClassroomError(f"{col} outside [0, 1]")
        return self


def merge_class(
    folder: str | os.PathLike, case: Any, *, roster: list[str] | None = None
) -> ClassComparison:
    """Merge every ``*.csv`` learner file in ``folder`` (sorted by name) against
    ``case`` (a loaded case).  ``roster``: the learners expected; without it,
    each file's name (without ``.csv``) is its learner's name.

    Raises :class:`ClassroomError` when ``folder`` is not a folder or holds no
    CSV file, or when ``case`` is not a loaded case.  Everything wrong inside
    the files is a problems row."""
    folder = Path(folder)
    if not all(hasattr(case, t) for t in ("sources", "claims", "assertions")):
        raise ClassroomError(
            f"case must be a loaded case (osint_kit.load_case(...)), not {type(case).__name__}"
        )
    if not folder.is_dir():
        raise ClassroomError(
            f"{folder} is not a folder: give the folder that holds the learners' CSV files"
        )
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        raise ClassroomError(
            f"{folder} holds no .csv file: put one file per learner there "
            f"(columns {', '.join(LEARNER_COLUMNS)})"
        )
    if roster is not None:
        roster = [str(r).strip() for r in roster]
    parts, problems, rows_in = [], [], 0
    for p in files:
        good, found, n = read_learner_file(p, case, roster=roster)
        parts.append(good)
        problems.append(found)
        rows_in += n
    ratings = pd.concat(parts, ignore_index=True) if parts else _empty_ratings()
    ratings["value"] = [
        _VALUES.get(k, {}).get(r, np.nan) for k, r in zip(ratings["kind"], ratings["rating"])
    ]
    ratings["value"] = ratings["value"].astype("float64")
    problem_table = concat_problems(problems) if problems else empty_problems()
    items = _item_stats(ratings, case)
    learners = sorted(pd.unique(ratings["learner"]).tolist()) if len(ratings) else []
    rankings = _rankings(case, ratings, items, learners)
    return ClassComparison(ratings, problem_table, items, rankings, learners, rows_in)


def _rankings(case: Any, ratings: pd.DataFrame, items: pd.DataFrame, learners: list[str]):
    hyp, ach = getattr(case, "hypotheses", None), getattr(case, "ach", None)
    cells = ratings[ratings["kind"] == "ach_cell"]
    if hyp is None or ach is None or hyp.empty or cells.empty:
        return pd.DataFrame(
            columns=[
                "learner",
                "hypothesis_id",
                "rank",
                "weighted_inconsistency",
                "heuer_inconsistency",
            ]
        )

    def split(frame: pd.DataFrame, rating: str) -> pd.DataFrame:
        hc = frame["item_id"].str.split(";", n=1, expand=True)
        return pd.DataFrame(
            {"hypothesis_id": hc[0], "claim_id": hc[1], "rating": frame[rating]}
        ).astype("string")

    empty = pd.DataFrame(columns=["hypothesis_id", "claim_id", "rating"], dtype="string")
    consensus = items[items["kind"] == "ach_cell"]
    out = [
        _ranking(case, empty, "case"),
        _ranking(case, split(consensus, "os_consensus"), "consensus"),
    ]
    for who in learners:
        mine = cells[cells["learner"] == who]
        if len(mine):
            out.append(_ranking(case, split(mine, "rating"), who))
    return pd.concat(out, ignore_index=True)


# --------------------------------------------------------------------------- figures


def _plain(text: Any) -> str:
    """``text`` as matplotlib shows it literally (a ``$`` would start mathtext)."""
    return str(text).replace("$", r"\$")


def plot_class_disagreement(result: ClassComparison, ax=None, *, n: int = 12):
    """Horizontal bars: the normalised entropy of the ``n`` items the class
    disagrees on most, each labelled with its ratings (``CC×2 I×3``) and the
    share agreeing with the mode.  Returns the Axes."""
    import matplotlib.pyplot as plt

    if not isinstance(result, ClassComparison):
        raise ClassroomError(
            "plot_class_disagreement takes the result of merge_class(folder, case), "
            f"not {type(result).__name__}"
        )
    top = result.most_disagreement(n)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.45 * max(len(top), 2) + 1.2))
    labels = [_plain(t) for t in top["kind"] + "  " + top["item_id"]]
    y = np.arange(len(top))[::-1]
    ax.barh(y, top["entropy"], color="#c0504d", alpha=0.8)
    for yi, (_, row) in zip(y, top.iterrows()):
        ax.text(
            row["entropy"] + 0.01,
            yi,
            f"{row['ratings']}  (mode {row['mode']}: {row['share_mode']:.0%})",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, 1.6)
    ax.set_xlabel("disagreement: normalised entropy (0 all agree, 1 evenly spread)")
    ax.set_title(f"Where the class disagrees most ({len(result.learners)} learners)")
    if top.empty:
        ax.text(0.5, 0.5, "no ratings to compare", ha="center", transform=ax.transAxes)
    return ax


def plot_class_rankings(result: ClassComparison, ax=None):
    """A grid of ACH ranks: one row per learner (``case`` and ``consensus``
    first), one column per hypothesis, the rank written in each cell (1 = least
    inconsistent).  Returns the Axes."""
    import matplotlib.pyplot as plt

    if not isinstance(result, ClassComparison):
        raise ClassroomError(
            "plot_class_rankings takes the result of merge_class(folder, case), "
            f"not {type(result).__name__}"
        )
    t = result.ranking_table()
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 * max(len(t.columns), 2) + 2, 0.4 * max(len(t), 2) + 1))
    if t.empty:
        ax.text(0.5, 0.5, "no ACH ratings to rank", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    values = t.to_numpy(dtype=float)
    ax.imshow(values, cmap="RdYlGn_r", aspect="auto", vmin=1, vmax=max(values.max(), 2))
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=9)
    ax.set_xticks(range(len(t.columns)), [_plain(c) for c in t.columns])
    ax.set_yticks(range(len(t.index)), [_plain(w) for w in t.index], fontsize=8)
    ax.set_title("ACH rank of each hypothesis, learner by learner (1 = least inconsistent)")
    return ax


# --------------------------------------------------------------------------- a synthetic class

#: Rating patterns of the contested items, learner k taking pattern[k % len(pattern)].
PATTERNS: dict[str, list[tuple[str, ...]]] = {
    "source_grade": [("A", "B", "C", "D", "E", "F"), ("B", "B", "B", "C", "C", "D")],
    "stance": [("supports", "supports", "qualifies", "qualifies", "contradicts", "omits")],
    "ach_cell": [("CC", "C", "N", "I", "II", "NA"), ("C", "C", "C", "II", "II", "II")],
}


def synthetic_class(
    folder: str | os.PathLike, case: Any, *, n_learners: int = 6, seed: int = 0
) -> pd.DataFrame:
    """Write ``n_learners`` learner files (``learner01.csv`` ...) into ``folder``
    with known disagreement, and return the plan (kind, item_id, pattern).

    Every learner grades 6 sources, sets 6 stances and rates every ACH cell of
    the case.  All learners give the case's own rating, except on the
    contested items, chosen with ``seed``: for each pattern in
    :data:`PATTERNS`, one item, learner k giving ``pattern[k % 6]``.  The
    contested ACH cells are cells of the hypothesis the case ranks first, so
    the learners' rankings differ.  Names are synthetic (``learnerNN``)."""
    if isinstance(n_learners, bool) or not isinstance(n_learners, int) or n_learners < 1:
        raise ClassroomError(f"n_learners must be a whole number, 1 or more (got {n_learners!r})")
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    truth = _case_ratings(case)
    graded = sorted(k[1] for k in truth if k[0] == "source_grade")
    stances = sorted(k[1] for k in truth if k[0] == "stance")
    cells = sorted(k[1] for k in truth if k[0] == "ach_cell")
    sources = list(rng.choice(graded, size=min(6, len(graded)), replace=False))
    stance_items = list(rng.choice(stances, size=min(6, len(stances)), replace=False))
    items = [("source_grade", s) for s in sources] + [("stance", s) for s in stance_items]
    items += [("ach_cell", c) for c in cells]
    plan = []
    if cells:
        top = compare_hypotheses(case).scores.iloc[0]["hypothesis_id"]
        top_cells = [c for c in cells if c.split(";")[0] == top]
    else:
        top_cells = []
    pools = {"source_grade": sources, "stance": stance_items, "ach_cell": top_cells or cells}
    for kind, patterns in PATTERNS.items():
        pool = list(pools[kind])
        for pattern in patterns:
            if not pool:
                break
            item = pool.pop(int(rng.integers(len(pool))))
            plan.append({"kind": kind, "item_id": item, "pattern": " ".join(pattern)})
    contested = {(p["kind"], p["item_id"]): p["pattern"].split() for p in plan}
    for k in range(n_learners):
        who = f"learner{k + 1:02d}"
        rows = []
        for kind, item in items:
            given = contested.get((kind, item))
            rating = given[k % len(given)] if given else truth[(kind, item)]
            rows.append((who, kind, item, rating))
        pd.DataFrame(rows, columns=list(LEARNER_COLUMNS)).to_csv(
            folder / f"{who}.csv", index=False, lineterminator="\n"
        )
    return pd.DataFrame(plan, columns=["kind", "item_id", "pattern"]).astype("string")
