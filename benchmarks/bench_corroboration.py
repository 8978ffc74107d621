"""Benchmark: corroboration (origins + matrix + summary + drift) at scale.

Goal (issue 5): 10,000 sources with relay chains up to 6 links, 2,000 claims,
200,000 assertions in <= 2 s, measured against a per-claim Python-loop
baseline in the same run, on the same synthetic data (seeded; see
``synthetic_corroboration.py``).  Both implementations must agree on every
claim's counts, independent origins and status, and on the drift rows,
before any time is reported.

    python benchmarks/bench_corroboration.py                 # full size
    python benchmarks/bench_corroboration.py --scale 0.1     # quick look

Not a test: timings depend on the machine; the suite never asserts them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of
from synthetic_corroboration import generate

from osint_kit.analysis import corroboration as co
from osint_kit.analysis import relays

STANCES = ("supports", "contradicts", "qualifies", "omits")
GRADES = "ABCDEF"


def baseline(case) -> dict:
    """A straightforward per-claim / per-source Python implementation of the same analysis.

    What a careful analyst would write without vectorising: dictionaries of
    parents, a memoised walk for origins and ancestors, assertions grouped by
    claim once, then a Python loop per claim (summary) and per assertion
    (matrix cells, drift).
    """
    src = case.sources
    parents = {}
    for sid, d in zip(src["source_id"], src["derived_from"], strict=True):
        parents[sid] = [p.strip() for p in str(d).split(";") if p.strip()] if not pd.isna(d) else []
    grade = dict(zip(src["source_id"], src["reliability"], strict=True))
    memo_o: dict[str, frozenset] = {}
    memo_a: dict[str, frozenset] = {}

    def origins_of(s):
        if s not in memo_o:
            ps = parents[s]
            memo_o[s] = (
                frozenset([s]) if not ps else frozenset().union(*(origins_of(p) for p in ps))
            )
        return memo_o[s]

    def ancestors_of(s):
        if s not in memo_a:
            out = set()
            for p in parents[s]:
                out.add(p)
                out |= ancestors_of(p)
            memo_a[s] = frozenset(out)
        return memo_a[s]

    sys.setrecursionlimit(10_000)
    for s in parents:
        origins_of(s)
        ancestors_of(s)

    src_pos = {s: i for i, s in enumerate(src["source_id"])}
    claim_pos = {c: i for i, c in enumerate(case.claims["claim_id"])}
    matrix = np.full((len(claim_pos), len(src_pos)), -1, dtype=np.int8)
    stance_of: dict[tuple[str, str], str] = {}
    by_claim: dict[str, list[tuple[str, str]]] = {c: [] for c in claim_pos}
    for s, c, st in zip(
        case.assertions["source_id"],
        case.assertions["claim_id"],
        case.assertions["stance"],
        strict=True,
    ):
        st = " ".join(str(st).split()).lower()
        if s not in src_pos or c not in claim_pos or st not in STANCES or (s, c) in stance_of:
            continue
        stance_of[(s, c)] = st
        by_claim[c].append((s, st))
        matrix[claim_pos[c], src_pos[s]] = STANCES.index(st)

    rows = []
    for c in claim_pos:  # the per-claim loop
        counts = dict.fromkeys(STANCES, 0)
        sup_o, con_o, best = set(), set(), None
        for s, st in by_claim[c]:
            counts[st] += 1
            if st == "supports":
                sup_o |= origins_of(s)
                g = grade.get(s)
                if (
                    isinstance(g, str)
                    and g in GRADES
                    and (best is None or GRADES.index(g) < GRADES.index(best))
                ):
                    best = g
            elif st == "contradicts":
                con_o |= origins_of(s)
        indep = con_o - sup_o
        if counts["supports"] + counts["contradicts"] + counts["qualifies"] == 0:
            status = "no source in this case"
        elif counts["supports"] and indep:
            status = "contested"
        elif len(sup_o) >= 2:
            status = "corroborated"
        elif len(sup_o) == 1:
            status = "single origin"
        elif counts["contradicts"]:
            status = "contradicted only"
        else:
            status = "only qualified"
        rows.append(
            (
                c,
                counts["supports"],
                counts["contradicts"],
                counts["qualifies"],
                counts["omits"],
                len(sup_o),
                len(con_o),
                len(indep),
                best,
                status,
            )
        )
    summary = pd.DataFrame(
        rows,
        columns=[
            "claim_id",
            "n_supports",
            "n_contradicts",
            "n_qualifies",
            "n_omits",
            "n_origins_support",
            "n_origins_contradict",
            "n_independent_contradict",
            "best_grade_support",
            "status",
        ],
    )

    drift = []
    for (s, c), st in stance_of.items():  # per assertion
        anc = ancestors_of(s)
        if not anc:
            continue
        anc_st = {stance_of.get((a, c)) for a in anc}
        if st in ("supports", "qualifies") and not anc_st & {"supports", "qualifies"}:
            drift.append((s, c, "adds"))
        elif st == "qualifies" and "supports" in anc_st:
            drift.append((s, c, "qualifies"))
        elif st == "contradicts" and anc_st & {"supports", "qualifies"}:
            drift.append((s, c, "contradicts"))
        elif st == "omits" and "supports" in anc_st:
            drift.append((s, c, "omits"))
    return {
        "matrix": matrix,
        "summary": summary,
        "drift": pd.DataFrame(drift, columns=["source_id", "claim_id", "drift"]),
    }


def check_agree(fast: co.Corroboration, slow: dict) -> None:
    cols = [
        "claim_id",
        "n_supports",
        "n_contradicts",
        "n_qualifies",
        "n_omits",
        "n_origins_support",
        "n_origins_contradict",
        "n_independent_contradict",
        "status",
    ]
    a = fast.claim_summary[cols].astype(str).reset_index(drop=True)
    b = slow["summary"][cols].astype(str).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    ga = fast.claim_summary["best_grade_support"].fillna("").tolist()
    gb = slow["summary"]["best_grade_support"].fillna("").tolist()
    assert ga == gb, "best grades differ"
    key = ["source_id", "claim_id", "drift"]
    da = fast.drift[key].astype(str).sort_values(key).reset_index(drop=True)
    db = slow["drift"][key].astype(str).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(da, db)
    # same cells: reorder the baseline's columns (file order) to the fast matrix order
    order = pd.Index(fast.source_order["source_id"])
    file_pos = pd.Index(slow_sources).get_indexer(order)
    assert np.array_equal(fast.codes, slow["matrix"][:, file_pos]), "matrix cells differ"


def main() -> None:
    global slow_sources
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the full size (default 1.0)"
    )
    ap.add_argument(
        "--repeat", type=int, default=3, help="runs of the vectorised path; the best is reported"
    )
    a = ap.parse_args()
    n_s, n_c, n_a = int(10_000 * a.scale), int(2_000 * a.scale), int(200_000 * a.scale)
    case = generate(n_s, n_c, n_a, max_depth=6)
    slow_sources = case.sources["source_id"].tolist()
    print(
        f"synthetic case: {n_s:,} sources (max relay depth {case.max_depth}), {n_c:,} claims, "
        f"{len(case.assertions):,} assertions"
    )

    t_orig, _ = best_of(relays.origins, case.sources, repeat=a.repeat)
    t_fast, fast = best_of(co.corroborate, case, repeat=a.repeat)
    t_lab, _ = best_of(co.stance_words, fast.code_matrix)
    t0 = time.perf_counter()
    slow = baseline(case)
    t_slow = time.perf_counter() - t0
    check_agree(fast, slow)

    print("results agree: summary (counts, origins, status, best grade), drift rows, matrix cells")
    print(f"  relays.origins alone                          {t_orig:8.3f} s")
    print(f"  corroborate (origins+matrix+summary+drift)    {t_fast:8.3f} s   <- goal <= 2 s")
    print(
        f"  + stance words for the {n_c:,} x {n_s:,} matrix   {t_lab:8.3f} s   (Corroboration.matrix)"
    )
    print(f"  per-claim Python-loop baseline                {t_slow:8.3f} s")
    print(f"  speed-up                                      {t_slow / t_fast:8.1f} x")
    print(f"statuses: {fast.claim_summary['status'].value_counts().to_dict()}")
    print(f"drift rows: {fast.drift['drift'].value_counts().to_dict()}")


slow_sources: list[str] = []

if __name__ == "__main__":
    main()
