"""Seeded generator of a SYNTHETIC corroboration case (for benchmarks only).

Nothing here is real: ids are ``S00001``/``K0001``, titles say "synthetic".
The relay graph has roots (origins) and relays whose chains go down to
``max_depth`` links; a share of relays lists two parents.  Stance words come
with case and spacing variants, so normalisation is exercised.

    python benchmarks/synthetic_corroboration.py --out /tmp/synthetic_case   # write CSVs
"""

from __future__ import annotations

import argparse
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd


def generate(
    n_sources: int = 10_000,
    n_claims: int = 2_000,
    n_assertions: int = 200_000,
    *,
    max_depth: int = 6,
    root_share: float = 0.1,
    two_parent_share: float = 0.05,
    seed: int = 20250304,
) -> SimpleNamespace:
    """Return ``SimpleNamespace(sources, claims, assertions)`` frames (all text columns).

    sources: source_id, title, derived_from, reliability (A–F);
    claims: claim_id, text; assertions: source_id, claim_id, stance, summary.
    Every (source, claim) pair appears at most once; 5 % of stance words are
    upper-cased with a leading blank (normalisation must undo that).
    """
    rng = np.random.default_rng(seed)
    ids = np.array([f"S{i:05d}" for i in range(n_sources)], dtype=object)
    n_roots = max(1, int(n_sources * root_share))
    depth = np.zeros(n_sources, dtype=np.int64)
    parent1 = np.full(n_sources, -1, dtype=np.int64)
    parent2 = np.full(n_sources, -1, dtype=np.int64)
    # relays pick an earlier source whose depth < max_depth (so chains reach max_depth, never more)
    for i in range(n_roots, n_sources):
        for _ in range(20):
            p = int(rng.integers(0, i))
            if depth[p] < max_depth:
                break
        else:  # fall back to a root
            p = int(rng.integers(0, n_roots))
        parent1[i] = p
        depth[i] = depth[p] + 1
        if rng.random() < two_parent_share:
            q = int(rng.integers(0, i))
            if q != p and depth[q] < max_depth:
                parent2[i] = q
                depth[i] = max(depth[i], depth[q] + 1)
    derived = np.full(n_sources, None, dtype=object)
    has1 = parent1 >= 0
    derived[has1] = ids[parent1[has1]]
    has2 = parent2 >= 0
    derived[has2] = derived[has2] + ";" + ids[parent2[has2]]
    sources = pd.DataFrame(
        {
            "source_id": ids,
            "title": [f"synthetic source {i}" for i in range(n_sources)],
            "derived_from": derived,
            "reliability": rng.choice(
                np.array(list("ABCDEF"), dtype=object),
                n_sources,
                p=[0.05, 0.2, 0.3, 0.2, 0.15, 0.1],
            ),
        }
    ).astype("string")
    claim_ids = np.array([f"K{i:04d}" for i in range(n_claims)], dtype=object)
    claims = pd.DataFrame(
        {"claim_id": claim_ids, "text": [f"synthetic claim {i}" for i in range(n_claims)]}
    ).astype("string")
    # Roots assert claims of their own; relays copy most of their (first) parent's
    # assertions, changing some (supports -> qualifies/omits/contradicts) and adding a few.
    per_source = n_assertions / n_sources
    root_k = int(per_source * 3)
    add_k = max(1, int(per_source / 8))
    got_c: list[np.ndarray] = []
    got_s: list[np.ndarray] = []
    # claim popularity is skewed (Zipf-like): a few claims are everywhere, most are rare,
    # so statuses range from corroborated to single origin and no source
    popularity = 1.0 / (1.0 + rng.permutation(n_claims)) ** 1.1
    popularity /= popularity.sum()
    for i in range(n_sources):
        if parent1[i] < 0:
            cl = rng.choice(n_claims, size=min(root_k, n_claims), replace=False, p=popularity)
            st = rng.choice(4, size=len(cl), p=[0.93, 0.03, 0.03, 0.01])
        else:
            pc, ps = got_c[parent1[i]], got_s[parent1[i]]
            keep = rng.random(len(pc)) < 0.8
            cl, st = pc[keep], ps[keep].copy()
            change = rng.random(len(st))
            sup = st == 0
            st[sup & (change < 0.12)] = 2
            st[sup & (change >= 0.12) & (change < 0.16)] = 3
            st[sup & (change >= 0.16) & (change < 0.18)] = 1
            new_c = rng.choice(n_claims, size=add_k, replace=False, p=popularity)
            new_c = new_c[~np.isin(new_c, cl)]
            cl = np.concatenate([cl, new_c])
            st = np.concatenate([st, np.zeros(len(new_c), dtype=st.dtype)])
        got_c.append(cl)
        got_s.append(st)
    lens = np.array([len(x) for x in got_c])
    s = np.repeat(np.arange(n_sources), lens)
    c = np.concatenate(got_c)
    st = np.concatenate(got_s)
    if len(s) > n_assertions:  # trim to the size asked for
        pick = np.sort(rng.choice(len(s), size=n_assertions, replace=False))
        s, c, st = s[pick], c[pick], st[pick]
    # stance words with case/spacing variants for a share of rows
    words = np.array(["supports", "contradicts", "qualifies", "omits"], dtype=object)[st]
    variant = rng.random(len(words)) < 0.05
    words[variant] = np.char.add(" ", np.char.upper(words[variant].astype(str))).astype(object)
    assertions = pd.DataFrame(
        {
            "source_id": ids[s],
            "claim_id": claim_ids[c],
            "stance": words,
            "summary": "synthetic",
        }
    ).astype("string")
    return SimpleNamespace(
        sources=sources,
        claims=claims,
        assertions=assertions,
        hypotheses=None,
        ach=None,
        max_depth=int(depth.max()),
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, required=True, help="folder for synthetic_*.csv")
    ap.add_argument("--sources", type=int, default=10_000)
    ap.add_argument("--claims", type=int, default=2_000)
    ap.add_argument("--assertions", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=20250304)
    a = ap.parse_args()
    case = generate(a.sources, a.claims, a.assertions, seed=a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    for name in ("sources", "claims", "assertions"):
        getattr(case, name).to_csv(a.out / f"synthetic_{name}.csv", index=False)
    print(
        f"wrote synthetic_{{sources,claims,assertions}}.csv to {a.out} (max relay depth {case.max_depth})"
    )


if __name__ == "__main__":
    main()
