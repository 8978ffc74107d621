"""Seeded synthetic event data for the events/timeline benchmarks (never real events).

* :func:`synthetic_acled` -- rows with ACLED's codebook columns: invented places
  ("Synthtown-17", country "Synthland", ISO 999), dates 2018-2024 with ACLED's
  mix of time_precision codes, geo_precision 1-3, a little bad input (empty
  coordinates, unknown codes) as real exports have.
* :func:`synthetic_events` -- a canonical events frame (see osint_kit.readers.events)
  with days, months and ranges in a few categories.

Run as a script to write ``acled_synthetic_<rows>.csv`` into a folder:

    python benchmarks/make_synthetic_events.py --rows 1000000 --out /tmp/bench
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

EVENT_TYPES = np.array(
    [
        "Battles",
        "Protests",
        "Riots",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Strategic developments",
    ]
)
SUB_TYPES = np.array(
    ["Armed clash", "Peaceful protest", "Mob violence", "Air/drone strike", "Attack", "Agreement"]
)


def synthetic_acled(n_rows: int, seed: int = 7) -> pd.DataFrame:
    """``n_rows`` synthetic ACLED-format rows (all text, as read from a CSV)."""
    rng = np.random.default_rng(seed)
    day = np.datetime64("2018-01-01") + rng.integers(0, 7 * 365, n_rows).astype("timedelta64[D]")
    kind = rng.integers(0, len(EVENT_TYPES), n_rows)
    town = rng.integers(0, 5_000, n_rows)
    lat = np.round(rng.uniform(-30, 50, 5_000), 4)[town]
    lon = np.round(rng.uniform(-20, 60, 5_000), 4)[town]
    tp = rng.choice(["1", "2", "3", "4"], n_rows, p=[0.80, 0.14, 0.0599, 0.0001])
    gp = rng.choice(["1", "2", "3", ""], n_rows, p=[0.70, 0.22, 0.0799, 0.0001])
    no_xy = rng.random(n_rows) < 0.0002
    towns = pd.Series(np.char.add("Synthtown-", np.arange(5_000).astype(str)))
    frame = pd.DataFrame(
        {
            "event_id_cnty": np.char.add("SYN", np.arange(n_rows).astype(str)),
            "event_date": pd.Series(day).dt.strftime("%Y-%m-%d"),
            "year": pd.Series(day).dt.year.astype(str),
            "time_precision": tp,
            "disorder_type": "Synthetic",
            "event_type": EVENT_TYPES[kind],
            "sub_event_type": SUB_TYPES[kind],
            "actor1": np.char.add("Synthetic actor ", rng.integers(0, 300, n_rows).astype(str)),
            "assoc_actor_1": "",
            "actor2": "",
            "assoc_actor_2": "",
            "interaction": rng.integers(10, 80, n_rows).astype(str),
            "iso": "999",
            "region": "Synthetic region",
            "country": "Synthland",
            "admin1": np.char.add("Synth Province ", (town % 40).astype(str)),
            "admin2": "",
            "admin3": "",
            "location": towns.to_numpy()[town],
            "latitude": np.where(no_xy, "", lat.astype(str)),
            "longitude": np.where(no_xy, "", lon.astype(str)),
            "geo_precision": gp,
            "source": np.array(["Synthetic Wire", "Synthetic Daily", "Synthetic Radio"])[town % 3],
            "source_scale": "National",
            "notes": "synthetic benchmark row",
            "fatalities": rng.poisson(0.7, n_rows).astype(str),
            "tags": "",
            "timestamp": "1718000000",
        }
    )
    return frame


def synthetic_events(n_events: int, seed: int = 11) -> pd.DataFrame:
    """A canonical events frame of ``n_events`` synthetic events over 2020-2024."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2020-01-01") + rng.integers(0, 5 * 365, n_events).astype(
        "timedelta64[D]"
    )
    precision = rng.choice(["day", "month", "range", "year"], n_events, p=[0.7, 0.15, 0.13, 0.02])
    month = start.astype("datetime64[M]")
    month_start = month.astype("datetime64[D]")
    month_end = (month + 1).astype("datetime64[D]") - 1
    year_start = start.astype("datetime64[Y]").astype("datetime64[D]")
    year_end = (start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    length = rng.integers(1, 21, n_events).astype("timedelta64[D]")
    s = np.select([precision == "month", precision == "year"], [month_start, year_start], start)
    e = np.select(
        [precision == "month", precision == "year", precision == "range"],
        [month_end, year_end, start + length],
        start,
    )
    utc = pd.DatetimeTZDtype(unit="us", tz="UTC")
    return pd.DataFrame(
        {
            "event_id": np.char.add("S", np.arange(n_events).astype(str)),
            "date_start": pd.Series(s.astype("datetime64[us]")).dt.tz_localize("UTC").astype(utc),
            "date_end": pd.Series(e.astype("datetime64[us]")).dt.tz_localize("UTC").astype(utc),
            "date_precision": pd.Series(precision, dtype="string"),
            "title": "synthetic event",
            "category": pd.Series(
                EVENT_TYPES[rng.integers(0, len(EVENT_TYPES), n_events)], dtype="string"
            ),
            "evidence": "reported",
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"acled_synthetic_{args.rows}.csv"
    synthetic_acled(args.rows, seed=args.seed).to_csv(path, index=False)
    print(path)


if __name__ == "__main__":
    main()
