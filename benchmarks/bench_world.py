"""Benchmark osint_kit.analysis.world.resolve against a plain dict look-up (the floor).

Run: python benchmarks/bench_world.py [--rows 1000000] [--distinct 100000] [--repeat 3]

Input (synthetic, seeded, made here and not saved): ``--distinct`` names
drawn from the gazetteer's own names -- 60 % a place's GeoNames name as it
is, 10 % the same in capitals, 15 % an alternate name in its stored
(case-folded) form (Latin, Cyrillic, Greek, Arabic), 10 % a name with its
country after a comma ("Tripoli, Libya"), 5 % unknown ("Synthetic place
12345") -- then ``--rows`` rows drawn from those with replacement.

The floor does the least any resolver must do for the same rows: factorize
the rows, look each distinct name up in a Python dict prepared beforehand
(name -> lat, lon of the most populous place of that name; not timed), and
take the answers back to the rows.  ``resolve`` does that and matches
written forms and transliterations, splits qualifiers, counts and narrows
candidates and writes problems.  Each side: best of ``--repeat`` runs; the
first-load time of the file is reported apart (``load`` is cached).

A third line times the same rows through the kit's resolver
(``places.resolve_places`` with the default gazetteer: curated -> airports ->
world, the world step last), the path the readers use.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from _timing import best_of

from osint_kit.analysis import places as P
from osint_kit.analysis import world as W
from osint_kit.datafiles import data_path


def synthetic_names(n_distinct: int, seed: int = 14) -> np.ndarray:
    rng = np.random.default_rng(seed)
    places = W.load().places
    names = pd.read_csv(
        data_path("gazetteer", "world_names.csv.gz"),
        keep_default_na=False,
        na_values=[],
        usecols=["written"],
    )["written"].to_numpy(dtype=object)
    parts = []
    k = {"name": 0.60, "upper": 0.10, "alt": 0.15, "country": 0.10}

    def pick(n):
        return places.iloc[rng.integers(0, len(places), n)]

    parts.append(pick(int(n_distinct * k["name"]))["name"].to_numpy(dtype=object))
    parts.append(pick(int(n_distinct * k["upper"]))["name"].str.upper().to_numpy(dtype=object))
    parts.append(names[rng.integers(0, len(names), int(n_distinct * k["alt"]))])
    p = pick(int(n_distinct * k["country"]))
    parts.append((p["name"] + ", " + p["country"]).to_numpy(dtype=object))
    out = pd.unique(np.concatenate(parts))
    unknown = np.array([f"Synthetic place {i}" for i in range(n_distinct - len(out))], dtype=object)
    return np.concatenate([out, unknown])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--distinct", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    t0 = time.perf_counter()
    W.load()
    print(f"first load of the world gazetteer: {time.perf_counter() - t0:.2f} s")
    distinct = synthetic_names(args.distinct)
    rng = np.random.default_rng(7)
    rows = pd.Series(distinct[rng.integers(0, len(distinct), args.rows)], dtype="string")
    n_distinct = rows.nunique()

    places = W.load().places.sort_values("population", ascending=False)
    table = dict(zip(places["name"], zip(places["lat"], places["lon"])))
    table = {k: table[k] for k in reversed(list(table))}  # most populous wins (built, not timed)
    nan = (np.nan, np.nan)

    def floor():
        codes, uniques = pd.factorize(rows)
        found = np.array([table.get(u, nan) for u in uniques] + [nan], dtype="float64")
        got = found[codes]  # code -1 -> the last row (NaN)
        return pd.DataFrame({"lat": got[:, 0], "lon": got[:, 1]}, index=rows.index)

    t_floor, base = best_of(floor, repeat=args.repeat)
    W.resolve(rows.iloc[:1000])  # warm the per-process caches (country names, regions)
    t_kit, out = best_of(W.resolve, rows, repeat=args.repeat)
    resolved = out["lat"].notna().sum()
    print(f"{args.rows:,} rows, {n_distinct:,} distinct names")
    print(
        f"dict look-up (floor): {t_floor:.3f} s; {base['lat'].notna().sum():,} rows answered "
        "(the most populous namesake, silently)"
    )
    print(
        f"world.resolve:        {t_kit:.3f} s; {resolved:,} rows resolved, "
        f"{out['problem'].notna().sum():,} problem rows "
        f"({(out['problem'].str.startswith('ambiguous')).sum():,} ambiguous)"
    )
    print(f"ratio: {t_kit / t_floor:.2f}x (goal <= 3x)")
    gaz = P.Gazetteer()
    P.resolve_places(rows.iloc[:1000], gaz)  # warm: the curated file, airport codes
    t_all, full = best_of(P.resolve_places, rows, gaz, repeat=args.repeat)
    print(
        f"places.resolve_places: {t_all:.3f} s; {full['lat'].notna().sum():,} rows resolved; "
        f"ratio to the floor {t_all / t_floor:.2f}x"
    )


if __name__ == "__main__":
    main()
