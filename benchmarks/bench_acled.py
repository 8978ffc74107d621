"""Benchmark: normalising an ACLED export with osint_kit.readers.events vs reading it alone.

A seeded synthetic ACLED-format CSV (benchmarks/make_synthetic_events.py; never
committed) is written to a temporary folder, then timed in the same run:

* baseline: ``pandas.read_csv(path)`` alone (default options);
* ``osint_kit.readers.events.read_events(path)``: read (every column as text, as the
  kit reads all inputs) + dates to intervals by time_precision + coordinates
  and radii by geo_precision + problems + canonical frame.

Run:  python benchmarks/bench_acled.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd
from _timing import best_of
from make_synthetic_events import synthetic_acled

from osint_kit.readers.events import read_events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="write the CSV here instead of a temporary folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"acled_synthetic_{args.rows}.csv"
        t0 = time.perf_counter()
        synthetic_acled(args.rows).to_csv(path, index=False)
        print(
            f"wrote {path.name}: {args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        t_read, raw = best_of(pd.read_csv, path, repeat=args.repeat)
        t_kit, result = best_of(read_events, path, repeat=args.repeat)
        s = result.counts()
        print(f"  pandas.read_csv alone           {t_read:7.2f} s  ({len(raw):,} rows)")
        print(
            f"  osint_kit read_events (normalised) {t_kit:7.2f} s  ratio {t_kit / t_read:.2f}x read_csv"
        )
        print(
            f"  rows in {s['rows_in']:,} = events {s['events']:,} + rejected {s['rejected']:,}; "
            f"kept with a problem {s['kept_with_problem']:,}"
        )
        print("  precision:", result.events["date_precision"].value_counts().to_dict())


if __name__ == "__main__":
    main()
