"""Benchmark osint_kit.analysis.places against honest per-row baselines.

Run: python benchmarks/bench_places.py [N_PAIRS] [N_NAMES]

1. geodesic_km on N_PAIRS (default 1,000,000) random pairs (pyproj Geod on
   arrays) vs geopy.distance.geodesic in a Python loop on a 20,000-pair
   sample; the ratio compares time per pair.
2. resolve_places on N_NAMES (default 1,000,000) names drawn from ~1,000
   distinct values (case/curated names in several scripts, airport codes,
   unknown names) vs a per-row loop that resolves every row on its own
   (Gazetteer.lookup per row) on a 300-row sample (the unknown names reach the
   world gazetteer, a fixed cost per call that the per-row loop pays per row).
3. The airport-code step on 100,000 distinct code-shaped texts: ``Series.isin``
   against the ~30k codes (the old path; slow on Arrow-stored strings, issue 13)
   vs the hash index ``get_indexer`` on Python strings (the kit's path), with
   the string storage pandas uses here (python, or pyarrow when installed).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from _timing import best_of

from osint_kit.analysis import places as P


def bench_geodesic(n: int, sample: int = 20_000) -> None:
    from geopy.distance import geodesic

    rng = np.random.default_rng(42)
    lat1, lat2 = rng.uniform(-80, 80, n), rng.uniform(-80, 80, n)
    lon1, lon2 = rng.uniform(-180, 180, n), rng.uniform(-180, 180, n)
    t_vec, km = best_of(P.geodesic_km, lat1, lon1, lat2, lon2)

    def loop():
        return [geodesic((lat1[i], lon1[i]), (lat2[i], lon2[i])).km for i in range(sample)]

    t_loop, ref = best_of(loop)
    err_m = np.max(np.abs(np.array(ref) - km[:sample])) * 1000
    per_vec, per_loop = t_vec / n, t_loop / sample
    print(f"geodesic_km: {n:,} pairs in {t_vec:.3f} s ({per_vec * 1e6:.2f} us/pair)")
    print(f"geopy loop:  {sample:,} pairs in {t_loop:.3f} s ({per_loop * 1e6:.2f} us/pair)")
    print(f"  speed-up per pair: {per_loop / per_vec:.0f}x; max difference {err_m:.6f} m")


def bench_resolve(n: int, sample: int = 300) -> None:
    gaz = P.Gazetteer()
    import airportsdata

    iata = sorted(airportsdata.load("IATA"))[:900]
    known = [
        "Москва",
        "Moscow",
        "MOSCOW ",
        "Tehran",
        "تهران",
        "Teheran",
        "Тегеран",
        "Behshahr",
        "Bandar Amirabad",
        "порт Амирабад",
        "SVO",
        "UUEE",
        "OIIE",
        "IKA",
        "Isfahan",
    ]
    unknown = [f"Nowhere {i}" for i in range(85)]
    distinct = np.array(known + iata + unknown, dtype=object)
    rng = np.random.default_rng(7)
    names = pd.Series(distinct[rng.integers(0, len(distinct), n)], dtype="string")
    t_vec, out = best_of(P.resolve_places, names, gaz)

    def loop():
        return [gaz.lookup([v]) for v in names.iloc[:sample]]

    t_loop, _ = best_of(loop)
    per_vec, per_loop = t_vec / n, t_loop / sample
    print(
        f"resolve_places: {n:,} names ({len(distinct):,} distinct) in {t_vec:.3f} s; "
        f"{out['problem'].notna().sum():,} unresolved rows"
    )
    print(f"per-row lookup: {sample:,} names in {t_loop:.3f} s")
    print(f"  speed-up per name: {per_loop / per_vec:.0f}x")


def bench_codes(n_distinct: int = 100_000) -> None:
    rng = np.random.default_rng(13)
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    codes = pd.Series(
        pd.unique(pd.Series(["".join(x) for x in letters[rng.integers(0, 26, (n_distinct, 3))]])),
        dtype="str",
    )
    table = P.Gazetteer.airport_table("IATA")
    index = P._code_index("IATA")  # built once per process (not timed)

    def old():
        return codes.isin(table.index).to_numpy()

    def new():
        return index.get_indexer(codes.to_numpy(dtype=object)) >= 0

    t_old, a = best_of(old)
    t_new, b = best_of(new)
    assert (a == b).all()  # the same codes are found either way
    print(
        f"airport codes, {len(codes):,} distinct texts, string storage "
        f"{codes.dtype.storage!r} (pandas {pd.__version__}):"
    )
    print(f"  isin:        {t_old:.4f} s ({int(a.sum()):,} found)")
    print(f"  get_indexer: {t_new:.4f} s; {t_old / t_new:.1f}x faster")


if __name__ == "__main__":
    n_pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    n_names = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    bench_geodesic(n_pairs)
    bench_resolve(n_names)
    bench_codes()
