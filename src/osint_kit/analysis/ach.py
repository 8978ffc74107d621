"""Analysis of Competing Hypotheses (ACH): scores, ranking and diagnosticity.

Input: a case's ``hypotheses`` (hypothesis_id, text) and ``ach`` table (one
row per rated (hypothesis, claim) pair: hypothesis_id, claim_id, rating and
optional credibility / relevance).  The claims are the evidence items.

Ratings (Heuer; the Open Source ACH help "Rate Consistency of Evidence",
github.com/Burton/Analysis-of-Competing-Hypotheses help/rate_consistency.php):
``CC`` very consistent, ``C`` consistent, ``N`` neutral (alternative readings
cancel out), ``I`` inconsistent, ``II`` very inconsistent, ``NA`` not
applicable.  An unrated pair is left out, as the analyst may leave a cell blank.

Scores per hypothesis
---------------------
heuer_inconsistency
    Heuer's Inconsistency Score: I counts 1 point, II counts 2, everything
    else 0 ("because the focus is on refuting hypotheses rather than
    confirming them, only Inconsistent and Very Inconsistent evidence is
    counted", same help page).  Higher = more evidence against.
weighted_inconsistency
    The PARC ACH 2.0 Weighted Inconsistency Score as issue 5 specifies it:
    I = −1, II = −2, each multiplied by credibility weight × relevance weight,
    with Low = 1/√2, Medium = 1, High = √2 (a missing weight counts as
    Medium).  Always ≤ 0; closer to 0 = less inconsistent.  With every weight
    Medium it equals −heuer_inconsistency.  (The PARC 2.0.5 manual itself
    could not be consulted offline; the weights are taken from the issue.)
rank
    1 = least inconsistent: by weighted_inconsistency (descending), then
    heuer_inconsistency, then hypothesis_id.  ACH ranks by disproof: the
    hypothesis with the least evidence *against* it, not the most for it.
drivers
    The items that make a hypothesis inconsistent, heaviest first, e.g.
    ``"C05 (I, -2.00); C15 (I, -1.41)"``.

Diagnosticity per evidence item
-------------------------------
"Evidence is diagnostic when it is Inconsistent with one or more hypotheses
and Consistent with others … If an item of evidence is Consistent or
Inconsistent with all hypotheses, it has no diagnostic value" (Heuer, as
quoted in the same help page).  Measured as the spread of an item's ratings
across the hypotheses it was rated for (NA left out), on the scale
CC = 2, C = 1, N = 0, I = −1, II = −2: ``diagnosticity = max − min`` (0 … 4;
0 = rated the same for every hypothesis).  ``inconsistency_spread`` is the
same spread in Heuer points (the part that actually moves the ranking: an
item rated C for one hypothesis and CC for another is diagnostic in the
first sense but cannot change the inconsistency scores).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from osint_kit.analysis.corroboration import join_groups
from osint_kit.errors import CaseError
from osint_kit.problems import Problems, rejected_rows
from osint_kit.schema.tables import CaseTables

__all__ = [
    "RATINGS",
    "RATING_VALUE",
    "HEUER_POINTS",
    "PARC_RATING",
    "WEIGHTS",
    "AchResult",
    "compare_hypotheses",
]

RATINGS = ("CC", "C", "N", "I", "II", "NA")
#: Consistency on a signed scale, for diagnosticity (NA is left out).
RATING_VALUE = {"CC": 2, "C": 1, "N": 0, "I": -1, "II": -2}
#: Heuer's Inconsistency Score points.
HEUER_POINTS = {"I": 1, "II": 2}
#: PARC weighted-score rating values.
PARC_RATING = {"I": -1.0, "II": -2.0}
#: PARC credibility / relevance weights.
WEIGHTS = {"LOW": 1 / math.sqrt(2), "MEDIUM": 1.0, "HIGH": math.sqrt(2)}


@dataclass
class AchResult:
    """ACH tables for one case, computed once by :func:`compare_hypotheses`.

    Attributes
    ----------
    ratings : DataFrame
        One row per usable rating: hypothesis_id, claim_id, rating (upper
        case), credibility, relevance (LOW/MEDIUM/HIGH; empty → MEDIUM),
        weight (credibility weight × relevance weight), heuer (points),
        weighted (PARC contribution, ≤ 0), value (CC 2 … II −2, <NA> for NA).
    matrix : DataFrame
        claims × hypotheses ratings (index claim_id, columns hypothesis_id;
        None = not rated), claims in the order they first appear.
    scores : DataFrame
        One row per hypothesis, ranked (see module docstring): rank,
        hypothesis_id, text, n_rated, n_consistent, n_inconsistent,
        heuer_inconsistency, weighted_inconsistency, drivers.
    diagnosticity : DataFrame
        One row per evidence item, most diagnostic first: claim_id,
        n_hypotheses, diagnosticity, inconsistency_spread, diagnostic (bool),
        inconsistent_with (``;``-joined hypothesis ids), ratings
        (``H1:C H2:I ...``).
    problems : DataFrame
        Rows rejected or adjusted, in the kit's problems table
        (:data:`osint_kit.problems.PROBLEM_COLUMNS`).
    rows_in : int
        Rows of the ach table read (= usable ratings + rows rejected).
    """

    ratings: pd.DataFrame
    matrix: pd.DataFrame
    scores: pd.DataFrame
    diagnosticity: pd.DataFrame
    problems: pd.DataFrame
    rows_in: int

    @property
    def rows_rejected(self) -> int:
        """Rows of ach.csv in ``problems`` with action ``rejected`` (not rated)."""
        return rejected_rows(self.problems[self.problems["file"] == "ach.csv"])

    def counts(self) -> dict:
        """Counts for an integrity check: rows_in, ratings, rejected, hypotheses,
        evidence (items rated), diagnostic (items with diagnosticity > 0), problems."""
        return {
            "rows_in": self.rows_in,
            "ratings": len(self.ratings),
            "rejected": self.rows_rejected,
            "hypotheses": len(self.scores),
            "evidence": len(self.diagnosticity),
            "diagnostic": int(self.diagnosticity["diagnostic"].sum()),
            "problems": len(self.problems),
        }

    def check(self) -> AchResult:
        """Raise :class:`~osint_kit.errors.CaseError` if an invariant is broken; return self.

        * every ach row is a usable rating or rejected in ``problems``;
        * every rating is one cell of ``matrix``, and every item one row of
          ``diagnosticity``;
        * ``scores`` ranks every hypothesis once, 1..n.
        """
        broken = []
        if self.rows_in != len(self.ratings) + self.rows_rejected:
            broken.append(
                f"{self.rows_in} ach rows in, {len(self.ratings)} ratings + "
                f"{self.rows_rejected} rejected"
            )
        if int(self.matrix.notna().to_numpy().sum()) != len(self.ratings):
            broken.append("the matrix cells are not the ratings")
        if sorted(self.diagnosticity["claim_id"]) != sorted(self.matrix.index):
            broken.append("diagnosticity does not have one row per evidence item")
        if (
            self.scores["rank"].tolist() != list(range(1, len(self.scores) + 1))
            or self.scores["hypothesis_id"].duplicated().any()
        ):
            broken.append("scores do not rank each hypothesis once")
        if broken:
            raise CaseError(
                "ACH invariant broken: "
                + "; ".join(broken)
                + ". This is a bug in osint_kit.analysis.ach: please report it with the case"
            )
        return self


def _norm(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.upper().str.replace(r"\s+", "", regex=True)


def compare_hypotheses(case: CaseTables) -> AchResult:
    """Score the case's ACH matrix once (see the module docstring).

    Parameters
    ----------
    case : Case or object with ``hypotheses`` and ``ach`` frames (and ``claims``,
        used to check claim ids when present).  ``None`` tables give empty results.

    Returns
    -------
    AchResult
        ``matrix``, ``scores``, ``diagnosticity``, ``ratings``, ``problems``,
        already checked (:meth:`AchResult.check`).
    """
    hyp = getattr(case, "hypotheses", None)
    table = getattr(case, "ach", None)
    claims = getattr(case, "claims", None)
    if hyp is None:
        hyp = pd.DataFrame(
            {"hypothesis_id": pd.Series(dtype="string"), "text": pd.Series(dtype="string")}
        )
    if table is None:
        table = pd.DataFrame(
            {c: pd.Series(dtype="string") for c in ("hypothesis_id", "claim_id", "rating")}
        )
    hyp_ids = pd.Index(hyp["hypothesis_id"].astype("string"))
    found = Problems()

    h = table["hypothesis_id"].astype("string").str.strip()
    cl = table["claim_id"].astype("string").str.strip()
    rating = _norm(table["rating"])
    bad_h = ~h.isin(hyp_ids).to_numpy()
    bad_c = np.zeros(len(table), dtype=bool)
    if claims is not None:
        bad_c = ~bad_h & ~cl.isin(claims["claim_id"].astype("string")).to_numpy()
    bad_r = ~bad_h & ~bad_c & ~rating.isin(RATINGS).fillna(False).to_numpy()
    found.add_where(
        "ach.csv",
        table,
        bad_h,
        "hypothesis_id",
        "names a hypothesis that is not in hypotheses.csv",
        "add it to hypotheses.csv or correct the id",
    )
    found.add_where(
        "ach.csv",
        table,
        bad_c,
        "claim_id",
        "names a claim that is not in claims.csv",
        "add it to claims.csv or correct the id",
    )
    found.add_where(
        "ach.csv",
        table,
        bad_r,
        "rating",
        "is not an ACH rating",
        "use one of: " + ", ".join(RATINGS),
    )
    ok = ~(bad_h | bad_c | bad_r)
    pair = (h + "\x1f" + cl).to_numpy()
    dup = ok & pd.Series(np.where(ok, pair, None)).duplicated().to_numpy() & ok
    found.add_where(
        "ach.csv",
        table,
        dup,
        "claim_id",
        "repeats an earlier (hypothesis_id, claim_id) pair (the first row is used)",
        "rate each claim once per hypothesis",
    )
    ok &= ~dup

    weights = {}
    for col in ("credibility", "relevance"):
        if col in table:
            w = _norm(table[col])
            given = w.notna().to_numpy() & (w != "").fillna(False).to_numpy()
            bad_w = ok & given & ~w.isin(WEIGHTS).fillna(False).to_numpy()
            found.add_where(
                "ach.csv",
                table,
                bad_w,
                col,
                "is not High, Medium or Low (Medium is used)",
                "use High, Medium or Low, or leave it empty",
                severity="warning",
                action="kept",
            )
            weights[col] = w.where(w.isin(WEIGHTS), "MEDIUM").fillna("MEDIUM")
        else:
            weights[col] = pd.Series("MEDIUM", index=table.index, dtype="string")

    r = pd.DataFrame(
        {
            "hypothesis_id": h[ok].to_numpy(),
            "claim_id": cl[ok].to_numpy(),
            "rating": rating[ok].to_numpy(),
            "credibility": weights["credibility"][ok].to_numpy(),
            "relevance": weights["relevance"][ok].to_numpy(),
        }
    ).astype("string")
    r["weight"] = r["credibility"].map(WEIGHTS).astype("float64") * r["relevance"].map(
        WEIGHTS
    ).astype("float64")
    r["heuer"] = r["rating"].map(HEUER_POINTS).fillna(0).astype("int64")
    r["weighted"] = r["rating"].map(PARC_RATING).fillna(0.0).astype("float64") * r["weight"]
    r["value"] = r["rating"].map(RATING_VALUE).astype("Int64")

    return AchResult(
        ratings=r,
        matrix=_matrix(r, hyp_ids),
        scores=_scores(r, hyp),
        diagnosticity=_diagnosticity(r, hyp_ids),
        problems=found.table(),
        rows_in=len(table),
    ).check()


def _matrix(r: pd.DataFrame, hyp_ids: pd.Index) -> pd.DataFrame:
    claims = pd.Index(pd.unique(r["claim_id"]), name="claim_id")
    m = r.pivot(index="claim_id", columns="hypothesis_id", values="rating")
    m = m.reindex(index=claims, columns=hyp_ids)
    m.columns.name = "hypothesis_id"
    return m


def _scores(r: pd.DataFrame, hyp: pd.DataFrame) -> pd.DataFrame:
    hyp_ids = pd.Index(hyp["hypothesis_id"].astype("string"))
    rated = r[r["rating"] != "NA"]
    g = rated.groupby("hypothesis_id", sort=False)
    out = pd.DataFrame({"hypothesis_id": hyp_ids.astype("string")})
    if "text" in hyp:
        out["text"] = hyp["text"].astype("string").to_numpy()
    n_rated = g.size().reindex(hyp_ids, fill_value=0)
    n_cons = (
        rated["rating"]
        .isin(["C", "CC"])
        .groupby(rated["hypothesis_id"])
        .sum()
        .reindex(hyp_ids, fill_value=0)
    )
    n_inc = (
        (rated["heuer"] > 0).groupby(rated["hypothesis_id"]).sum().reindex(hyp_ids, fill_value=0)
    )
    heuer = g["heuer"].sum().reindex(hyp_ids, fill_value=0)
    weighted = g["weighted"].sum().reindex(hyp_ids, fill_value=0.0)
    out["n_rated"] = n_rated.to_numpy().astype("int64")
    out["n_consistent"] = n_cons.to_numpy().astype("int64")
    out["n_inconsistent"] = n_inc.to_numpy().astype("int64")
    out["heuer_inconsistency"] = heuer.to_numpy().astype("int64")
    # round away float noise (e.g. sqrt(2)**2) so equal scores tie exactly
    out["weighted_inconsistency"] = np.round(weighted.to_numpy().astype("float64"), 9) + 0.0

    inc = rated[rated["heuer"] > 0]
    code = hyp_ids.get_indexer(inc["hypothesis_id"])
    label = (
        inc["claim_id"]
        + " ("
        + inc["rating"]
        + ", "
        + inc["weighted"].map("{:.2f}".format).astype("string")
        + ")"
    ).to_numpy(dtype=object)
    # heaviest first: order by weighted contribution (most negative first), then claim id
    rank_key = np.lexsort(
        (inc["claim_id"].to_numpy(dtype=object).astype(str), inc["weighted"].to_numpy())
    )
    order_key = np.empty(len(inc), dtype=np.int64)
    order_key[rank_key] = np.arange(len(inc))
    out["drivers"] = join_groups(
        code, label, len(hyp_ids), order_key=order_key, sep="; "
    ).to_numpy()
    out["drivers"] = out["drivers"].astype("string")

    out = out.sort_values(
        ["weighted_inconsistency", "heuer_inconsistency", "hypothesis_id"],
        ascending=[False, True, True],
        ignore_index=True,
    )
    out.insert(0, "rank", np.arange(1, len(out) + 1, dtype="int64"))
    return out


def _diagnosticity(r: pd.DataFrame, hyp_ids: pd.Index) -> pd.DataFrame:
    rated = r[r["rating"] != "NA"]
    g = rated.groupby("claim_id", sort=False)
    claims = pd.Index(pd.unique(r["claim_id"]), name="claim_id")
    vmax = g["value"].max().reindex(claims)
    vmin = g["value"].min().reindex(claims)
    hmax = g["heuer"].max().reindex(claims)
    hmin = g["heuer"].min().reindex(claims)
    out = pd.DataFrame({"claim_id": claims.astype("string")})
    out["n_hypotheses"] = g.size().reindex(claims, fill_value=0).to_numpy().astype("int64")
    out["diagnosticity"] = (vmax - vmin).fillna(0).to_numpy().astype("int64")
    out["inconsistency_spread"] = (hmax - hmin).fillna(0).to_numpy().astype("int64")
    out["diagnostic"] = out["diagnosticity"] > 0
    inc = rated[rated["heuer"] > 0]
    ccode = claims.get_indexer(inc["claim_id"])
    hpos = hyp_ids.get_indexer(inc["hypothesis_id"])
    out["inconsistent_with"] = join_groups(
        ccode, inc["hypothesis_id"].to_numpy(dtype=object), len(claims), order_key=hpos
    ).to_numpy()
    out["inconsistent_with"] = out["inconsistent_with"].astype("string")
    lab = (r["hypothesis_id"] + ":" + r["rating"]).to_numpy(dtype=object)
    out["ratings"] = join_groups(
        claims.get_indexer(r["claim_id"]),
        lab,
        len(claims),
        order_key=hyp_ids.get_indexer(r["hypothesis_id"]),
        sep=" ",
    ).to_numpy()
    out["ratings"] = out["ratings"].astype("string")
    pos = pd.Series(np.arange(len(claims)), index=claims)
    out["_p"] = pos.to_numpy()
    out = out.sort_values(
        ["diagnosticity", "inconsistency_spread", "_p"],
        ascending=[False, False, True],
        ignore_index=True,
    ).drop(columns="_p")
    return out
