"""Benchmark osint_kit.readers.exports.read_bookings on synthetic booking exports.

Run: python benchmarks/bench_travel.py [N_BIG] [N_LOOP] [--dir DIR] [--repeat K]

1. N_BIG (default 1,000,000) synthetic booking rows (mixed date formats,
   IATA/ICAO codes and city names in three scripts, Cyrillic and Latin
   names, 2 % broken rows) written once to a ';'-separated UTF-8 file, then:
   pandas.read_csv of that file alone (the floor) vs
   exports.read_bookings (read + normalise to canonical legs).  Goal: <= 3x.
2. N_LOOP (default 100,000) rows: read_bookings vs an honest per-row
   baseline -- csv.DictReader, dateutil.parser for both times, a dict of
   airport/city coordinates for the places, geopy's geodesic per row and a
   speed check.  Goal: >= 100x.  Also printed: read_csv alone on that file,
   the ceiling of any normaliser that reads with pandas.read_csv.

Each side is timed K times (default 3) and its best run is reported.
The files are written to DIR (default: a temporary folder) with
"synthetic" in their names and deleted afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from pathlib import Path

import pandas as pd
from _timing import best_of

from osint_kit.analysis import legs as L
from osint_kit.practice.synthetic import write_synthetic_bookings
from osint_kit.readers import exports


def read_legs(path: Path) -> pd.DataFrame:
    """The kit's side: read + normalise, the legs frame."""
    return exports.read_bookings(path).legs


def per_row_baseline(path: Path) -> int:
    """One row at a time: what a first script would do."""
    from dateutil import parser
    from geopy.distance import geodesic

    from osint_kit.analysis.places import Gazetteer

    gaz = Gazetteer()
    coords: dict[str, tuple[float, float] | None] = {}
    flagged = 0
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            pts = []
            for key in ("Откуда", "Куда"):
                name = row[key]
                if name not in coords:  # a per-row script still caches its look-ups
                    hit = gaz.lookup([name]).iloc[0]
                    coords[name] = None if pd.isna(hit["lat"]) else (hit["lat"], hit["lon"])
                pts.append(coords[name])
            try:
                dep = parser.parse(row["Дата вылета"], dayfirst=True)
                arr = parser.parse(row["Дата прилета"], dayfirst=True)
            except (ValueError, OverflowError):
                flagged += 1
                continue
            if None in pts:
                flagged += 1
                continue
            km = geodesic(pts[0], pts[1]).km
            hours = (arr - dep).total_seconds() / 3600
            if hours <= 0 or km / hours > L.MAX_SPEED_KMH:
                flagged += 1
    return flagged


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n_big", nargs="?", type=int, default=1_000_000)
    ap.add_argument("n_loop", nargs="?", type=int, default=100_000)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timed runs per side; the best is reported (default 3)",
    )
    args = ap.parse_args()
    tmp = Path(args.dir or tempfile.mkdtemp(prefix="osint-kit-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)

    big = tmp / f"bookings_{args.n_big}_synthetic.csv"
    t_write, _ = best_of(write_synthetic_bookings, big, args.n_big, seed=1)
    print(
        f"wrote {args.n_big:,} synthetic rows ({big.stat().st_size / 1e6:.0f} MB) "
        f"in {t_write:.1f} s"
    )
    warm = tmp / "warm_synthetic.csv"
    write_synthetic_bookings(warm, 100, seed=0)
    exports.read_bookings(warm)  # load airportsdata and the gazetteer once, outside the timings
    warm.unlink()
    t_csv, _ = best_of(
        pd.read_csv,
        big,
        sep=";",
        dtype="string",
        keep_default_na=False,
        na_values=[""],
        repeat=args.repeat,
    )
    t_kit, legs = best_of(read_legs, big, repeat=args.repeat)
    print(f"best of {args.repeat} runs per side")
    print(f"pandas.read_csv alone:   {t_csv:6.2f} s")
    print(
        f"exports.read_bookings:   {t_kit:6.2f} s  ({t_kit / t_csv:.2f}x read_csv; goal <= 3x); "
        f"{len(legs):,} legs, {legs['problem'].notna().sum():,} with a problem"
    )

    small = tmp / f"bookings_{args.n_loop}_synthetic.csv"
    write_synthetic_bookings(small, args.n_loop, seed=2)
    # both sides start warm (airportsdata tables and the gazetteer are cached)
    t_kit_small, legs_small = best_of(read_legs, small, repeat=args.repeat)
    t_loop, flagged = best_of(per_row_baseline, small, repeat=args.repeat)
    print(
        f"{args.n_loop:,} rows: read_bookings {t_kit_small:.2f} s vs per-row loop "
        f"{t_loop:.2f} s -> {t_loop / t_kit_small:.0f}x faster (goal >= 100x); "
        f"flagged: kit {legs_small['problem'].notna().sum():,}, loop {flagged:,}"
    )
    # the ceiling for any reader built on pandas.read_csv: reading alone, no normalising
    t_csv_small, _ = best_of(
        pd.read_csv,
        small,
        sep=";",
        dtype="string",
        keep_default_na=False,
        na_values=[""],
        repeat=args.repeat,
    )
    print(
        f"  ceiling: pandas.read_csv alone takes {t_csv_small:.3f} s -> at most "
        f"{t_loop / t_csv_small:.0f}x the loop even with a free normalisation; 100x needs "
        f"everything in {t_loop / 100:.3f} s"
    )
    if not args.keep:
        big.unlink()
        small.unlink()


if __name__ == "__main__":
    main()
