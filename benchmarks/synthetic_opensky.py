"""Seeded synthetic OpenSky flight lists for the benchmarks (never real flights).

:func:`synthetic_opensky` gives the columns of OpenSky's ``/flights/*`` CSV
export: ``icao24`` (invented 24-bit hex addresses), ``callsign``,
``firstSeen``/``lastSeen`` (Unix seconds, 2024), ``estDepartureAirport`` /
``estArrivalAirport`` (real ICAO codes of large airports, from airportsdata; 8 %
empty, as OpenSky leaves them), and the two horizontal-distance columns.  Flight
times follow the great-circle distance at 750 km/h, so the kit's speed check has
little to flag; 0.1 % of ``lastSeen`` are empty.

    python benchmarks/synthetic_opensky.py --rows 1000000 --out /tmp/bench
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd


def airports(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """``n`` airports with an IATA code (the larger ones), columns icao, lat, lon."""
    import airportsdata

    table = pd.DataFrame(airportsdata.load("ICAO").values())
    table = table[table["iata"].str.len() == 3].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(table), size=min(n, len(table)), replace=False)
    return table.iloc[np.sort(pick)][["icao", "lat", "lon"]].reset_index(drop=True)


def synthetic_opensky(n_rows: int, seed: int = 5) -> pd.DataFrame:
    """``n_rows`` synthetic OpenSky flights (all text, as read from the CSV export)."""
    rng = np.random.default_rng(seed)
    ap = airports()
    a = rng.integers(0, len(ap), n_rows)
    b = (a + rng.integers(1, len(ap), n_rows)) % len(ap)  # never the same airport
    lat1, lon1 = np.radians(ap["lat"].to_numpy()[a]), np.radians(ap["lon"].to_numpy()[a])
    lat2, lon2 = np.radians(ap["lat"].to_numpy()[b]), np.radians(ap["lon"].to_numpy()[b])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * 6371.0 * np.arcsin(np.sqrt(h))
    first = 1_704_067_200 + rng.integers(0, 366 * 86400, n_rows)  # 2024 (UTC)
    last = first + (km / 750 * 3600).astype(np.int64) + 1200
    no_dep = rng.random(n_rows) < 0.08
    no_arr = rng.random(n_rows) < 0.08
    no_last = rng.random(n_rows) < 0.001
    icao = ap["icao"].to_numpy()
    fleet = np.char.mod("%06x", rng.integers(0x100000, 0xFFFFFF, 5_000))
    plane = rng.integers(0, len(fleet), n_rows)
    return pd.DataFrame(
        {
            "icao24": fleet[plane],
            "firstSeen": first.astype(str),
            "estDepartureAirport": np.where(no_dep, "", icao[a]),
            "lastSeen": np.where(no_last, "", last.astype(str)),
            "estArrivalAirport": np.where(no_arr, "", icao[b]),
            "callsign": np.char.add("SYN", (plane % 9000 + 1000).astype(str)),
            "estDepartureAirportHorizDistance": rng.integers(0, 5000, n_rows).astype(str),
            "estArrivalAirportHorizDistance": rng.integers(0, 5000, n_rows).astype(str),
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"opensky_synthetic_{args.rows}.csv"
    synthetic_opensky(args.rows).to_csv(path, index=False)
    print(path)


if __name__ == "__main__":
    main()
