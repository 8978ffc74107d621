"""Benchmark: osint_kit.analysis.dates.parse_dates against two honest baselines.

Input: a seeded synthetic mix of date formats (ISO days, months, years,
offset datetimes, dotted, "24 April 2024", "April 24, 2024", "Sept. 2024",
Russian month names, ranges, ambiguous slashed dates, blanks) with realistic
repetition: a pool of distinct texts drawn with a Zipf-like weight, so a few
values are very common and most are rare.

Baselines, timed in the same run on the same values:
* ``pd.to_datetime(values, format="mixed", errors="coerce")`` (parses row by
  row; it reads fewer formats and gives no interval or precision);
* a per-row ``dateutil.parser.parse`` loop (what hand-written code often does).

Run:  python benchmarks/bench_dates.py [--rows 100000 1000000] [--distinct 20000 100000]
      [--no-dateutil-above N]
Times are the best of 3 runs (1 run for the dateutil loop).
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd
from _timing import best_of

from osint_kit.analysis.dates import parse_dates
from osint_kit.practice.synthetic import EN_MONTHS, RU_MONTHS_GENITIVE

# the month names the kit's synthetic exports write (one list, in practice.synthetic)
EN, RU_GEN = EN_MONTHS, RU_MONTHS_GENITIVE


def synthetic_date_texts(n_rows: int, n_distinct: int = 20_000, seed: int = 42) -> pd.Series:
    """Seeded synthetic date texts: ``n_rows`` drawn from ``n_distinct`` distinct ones."""
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 2000, n_distinct), "D")
    y, m, d = days.year.to_numpy(), days.month.to_numpy(), days.day.to_numpy()
    fmt = rng.integers(0, 12, n_distinct)
    pool = np.empty(n_distinct, dtype=object)
    for i in range(n_distinct):  # building the synthetic input, not the measured path
        f, yy, mm, dd = fmt[i], y[i], m[i], d[i]
        pool[i] = [
            f"{yy}-{mm:02d}-{dd:02d}",
            f"{yy}-{mm:02d}",
            f"{yy}",
            f"{yy}-{mm:02d}-{dd:02d}T{dd % 24:02d}:30:00+03:30",
            f"{dd:02d}.{mm:02d}.{yy}",
            f"{dd} {EN[mm - 1]} {yy}",
            f"{EN[mm - 1]} {dd}, {yy}",
            f"{EN[mm - 1][:3]}. {yy}",
            f"{dd} {RU_GEN[mm - 1]} {yy}",
            f"{yy}-{mm:02d}-{dd:02d}/{yy + 1}-{mm:02d}-{dd:02d}",
            f"{mm:02d}/{dd:02d}/{yy}",
            "",
        ][f]
    weights = 1.0 / np.arange(1, n_distinct + 1) ** 0.8
    pick = rng.choice(n_distinct, size=n_rows, p=weights / weights.sum())
    return pd.Series(pool[pick], dtype="string")


def dateutil_loop(values):
    from dateutil import parser

    out = []
    for v in values:
        try:
            out.append(parser.parse(v) if v else None)
        except (ValueError, OverflowError):
            out.append(None)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument(
        "--distinct",
        type=int,
        nargs="+",
        default=[20_000],
        help="size of the pool of distinct texts the rows are drawn from",
    )
    ap.add_argument(
        "--no-dateutil-above",
        type=int,
        default=10**9,
        help="skip the (slow) dateutil loop above this many rows",
    )
    args = ap.parse_args()
    for n, k in ((n, k) for k in args.distinct for n in args.rows):
        values = synthetic_date_texts(n, n_distinct=k)
        plain = values.fillna("").tolist()
        t_kit, got = best_of(parse_dates, values, repeat=3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_mixed, mixed = best_of(
                pd.to_datetime, values, repeat=3, format="mixed", errors="coerce", utc=True
            )
        print(f"rows={n:,} distinct={values.nunique():,}")
        print(
            f"  osint_kit parse_dates          {t_kit:8.3f} s   parsed {got['date_start'].notna().sum():,}"
            f"  problems {got['date_problem'].notna().sum():,}"
        )
        print(
            f"  to_datetime(format='mixed')    {t_mixed:8.3f} s   parsed {mixed.notna().sum():,}"
            f"   ratio {t_mixed / t_kit:6.1f}x"
        )
        if n <= args.no_dateutil_above:
            t_du, du = best_of(dateutil_loop, plain)
            print(
                f"  per-row dateutil loop          {t_du:8.3f} s   parsed {sum(x is not None for x in du):,}"
                f"   ratio {t_du / t_kit:6.1f}x"
            )


if __name__ == "__main__":
    main()
