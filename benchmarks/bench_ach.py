"""Benchmark: ACH scoring (osint_kit.analysis.ach.compare_hypotheses) at 200,000 ratings.

A seeded synthetic matrix (20 hypotheses x 10,000 claims, ratings drawn from
CC/C/N/I/II/NA, credibility and relevance High/Medium/Low/empty) is scored by the
kit and by a per-rating Python loop that computes the same numbers (per
hypothesis: rated, consistent, inconsistent, Heuer and weighted inconsistency;
per claim: diagnosticity and inconsistency spread).  Both must agree before a
time is reported.

    python benchmarks/bench_ach.py [--ratings 200000]

Not a test: timings depend on the machine; the suite never asserts them.
"""

from __future__ import annotations

import argparse
from types import SimpleNamespace

import numpy as np
import pandas as pd
from _timing import best_of

from osint_kit.analysis import ach

N_HYPOTHESES = 20


def synthetic_ach(n_ratings: int, seed: int = 13) -> SimpleNamespace:
    """``hypotheses``, ``claims`` and ``ach`` frames (all text) with ``n_ratings`` ratings."""
    rng = np.random.default_rng(seed)
    n_h = min(N_HYPOTHESES, max(2, n_ratings))
    n_c = max(1, n_ratings // n_h)
    hyp = [f"H{i:02d}" for i in range(1, n_h + 1)]
    claims = [f"C{i:06d}" for i in range(1, n_c + 1)]
    pairs = n_h * n_c
    rating = rng.choice(list(ach.RATINGS), pairs, p=[0.1, 0.3, 0.25, 0.2, 0.1, 0.05])
    weight = np.array(["High", "Medium", "Low", ""])
    return SimpleNamespace(
        hypotheses=pd.DataFrame(
            {"hypothesis_id": hyp, "text": [f"synthetic hypothesis {h}" for h in hyp]},
            dtype="string",
        ),
        claims=pd.DataFrame({"claim_id": claims}, dtype="string"),
        ach=pd.DataFrame(
            {
                "hypothesis_id": np.repeat(hyp, n_c),
                "claim_id": np.tile(claims, n_h),
                "rating": rating,
                "credibility": weight[rng.integers(0, 4, pairs)],
                "relevance": weight[rng.integers(0, 4, pairs)],
            },
            dtype="string",
        ),
    )


def per_row_scores(case) -> dict:
    """The same scores, one rating at a time (what a first script would do)."""
    hyp = {h: [0, 0, 0, 0, 0.0] for h in case.hypotheses["hypothesis_id"]}
    spread: dict[str, list] = {}
    for h, c, r, cr, rel in zip(
        case.ach["hypothesis_id"],
        case.ach["claim_id"],
        case.ach["rating"],
        case.ach["credibility"],
        case.ach["relevance"],
        strict=True,
    ):
        r = r.strip().upper()
        if r == "NA":
            spread.setdefault(c, [])
            continue
        w = ach.WEIGHTS.get(str(cr).strip().upper(), 1.0) * ach.WEIGHTS.get(
            str(rel).strip().upper(), 1.0
        )
        s = hyp[h]
        s[0] += 1
        s[1] += r in ("C", "CC")
        points = ach.HEUER_POINTS.get(r, 0)
        s[2] += points > 0
        s[3] += points
        s[4] += ach.PARC_RATING.get(r, 0.0) * w
        spread.setdefault(c, []).append((ach.RATING_VALUE[r], points))
    diag = {
        c: (
            max(v for v, _ in x) - min(v for v, _ in x),
            max(p for _, p in x) - min(p for _, p in x),
        )
        if x
        else (0, 0)
        for c, x in spread.items()
    }
    return {"scores": hyp, "diagnosticity": diag}


def check_agree(fast: ach.AchResult, slow: dict) -> None:
    s = fast.scores.set_index("hypothesis_id")
    for h, (n, cons, inc, heuer, weighted) in slow["scores"].items():
        row = s.loc[h]
        got = (row["n_rated"], row["n_consistent"], row["n_inconsistent"])
        assert got == (n, cons, inc), (h, got, (n, cons, inc))
        assert row["heuer_inconsistency"] == heuer, h
        assert abs(row["weighted_inconsistency"] - weighted) < 1e-6, h
    d = fast.diagnosticity.set_index("claim_id")
    for c, (dg, sp) in slow["diagnosticity"].items():
        assert (d.loc[c, "diagnosticity"], d.loc[c, "inconsistency_spread"]) == (dg, sp), c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ratings", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    case = synthetic_ach(args.ratings)
    t_kit, fast = best_of(ach.compare_hypotheses, case, repeat=args.repeat)
    t_loop, slow = best_of(per_row_scores, case)
    check_agree(fast, slow)
    print(f"{len(case.ach):,} ratings ({len(case.hypotheses)} hypotheses); results agree")
    print(f"  compare_hypotheses   {t_kit:7.3f} s")
    print(f"  per-rating loop      {t_loop:7.3f} s   ({t_loop / t_kit:.1f}x the kit)")


if __name__ == "__main__":
    main()
