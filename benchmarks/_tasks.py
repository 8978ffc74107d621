"""One measurement per process: the tasks ``python -m benchmarks`` runs.

Each task runs in a fresh interpreter (``python benchmarks/_tasks.py '<json spec>'``)
so that its peak resident memory is its own: the last line it prints is a JSON
object with ``seconds`` (best of ``repeat`` runs, timeit's convention), ``peak_mb``
(``resource.getrusage(RUSAGE_SELF).ru_maxrss`` at the end: the high-water mark of
the whole process -- interpreter, imports, input, the timed calls) and ``info``
(counts that show both sides did the work).  Inputs are written once by the
``*.write`` tasks into the run's temporary folder; the timed tasks read them.

Anchors, each in its own process:

* ``read_csv`` -- ``pandas.read_csv`` of the file alone, every column as text (the
  floor of any reader built on it);
* ``pyarrow`` -- ``pyarrow.csv.read_csv`` of the file alone (Arrow table);
* ``polars`` -- ``polars.read_csv`` alone, and ``polars+norm``: read + the
  normalisation a polars user would write for the same columns (dates or epoch
  seconds to UTC datetimes, airport codes to coordinates by a join, distance and
  speed); it does less than the kit (no place names, no Russian month names, no
  person keys, no problems table), so the ratio flatters polars, never the kit;
* ``loop`` -- the per-row Python loop, the reference line.
"""

from __future__ import annotations

import csv
import json
import math
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import best_of  # noqa: E402

RU_MONTHS = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
).split()
EN_MONTHS = (
    "January February March April May June July August September October November December"
).split()


# ---------------------------------------------------------------- inputs
def write_bookings(spec: dict) -> dict:
    from osint_kit.practice.synthetic import write_synthetic_bookings

    write_synthetic_bookings(spec["path"], spec["rows"], seed=spec.get("seed", 1))
    return {}


def write_opensky(spec: dict) -> dict:
    from synthetic_opensky import synthetic_opensky

    synthetic_opensky(spec["rows"]).to_csv(spec["path"], index=False)
    return {}


def write_acled(spec: dict) -> dict:
    from make_synthetic_events import synthetic_acled

    synthetic_acled(spec["rows"]).to_csv(spec["path"], index=False)
    return {}


# ---------------------------------------------------------------- the kit's readers
def _warm_kit() -> None:
    """Load airportsdata and the gazetteer once, outside the timings (as bench_travel)."""
    import tempfile

    from osint_kit.practice.synthetic import write_synthetic_bookings
    from osint_kit.readers import exports

    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm_synthetic.csv"
        write_synthetic_bookings(warm, 100, seed=0)
        exports.read_bookings(warm)


def kit_bookings(spec: dict):
    from osint_kit.readers import exports

    _warm_kit()
    t, legs = best_of(lambda: exports.read_bookings(spec["path"]).legs, repeat=spec["repeat"])
    return t, {"legs": len(legs), "with a problem": int(legs["problem"].notna().sum())}


def kit_opensky(spec: dict):
    from osint_kit.readers import exports

    _warm_kit()
    t, legs = best_of(lambda: exports.read_opensky(spec["path"]).legs, repeat=spec["repeat"])
    return t, {"legs": len(legs), "with a problem": int(legs["problem"].notna().sum())}


def kit_acled(spec: dict):
    from osint_kit.readers.events import read_events

    t, res = best_of(read_events, spec["path"], repeat=spec["repeat"])
    s = res.counts()
    return t, {"events": int(s["events"]), "rejected": int(s["rejected"])}


# ---------------------------------------------------------------- plain readers
def _sep(spec: dict) -> str:
    return ";" if spec["workload"] == "bookings" else ","


def read_csv(spec: dict):
    import pandas as pd

    def read():
        return pd.read_csv(
            spec["path"], sep=_sep(spec), dtype="string", keep_default_na=False, na_values=[""]
        )

    t, frame = best_of(read, repeat=spec["repeat"])
    return t, {"rows": len(frame)}


def read_pyarrow(spec: dict):
    from pyarrow import csv as pa_csv

    opts = pa_csv.ParseOptions(delimiter=_sep(spec))
    t, table = best_of(pa_csv.read_csv, spec["path"], parse_options=opts, repeat=spec["repeat"])
    return t, {"rows": table.num_rows}


def read_polars(spec: dict):
    import polars as pl

    t, frame = best_of(
        pl.read_csv, spec["path"], separator=_sep(spec), infer_schema=False, repeat=spec["repeat"]
    )
    return t, {"rows": frame.height}


# ---------------------------------------------------------------- polars read + normalise
def _airport_table():
    """Every IATA and ICAO code of airportsdata -> lat, lon (one polars frame)."""
    import airportsdata
    import polars as pl

    rows = list(airportsdata.load("ICAO").values())
    icao = pl.DataFrame(
        {
            "code": [r["icao"] for r in rows],
            "lat": [r["lat"] for r in rows],
            "lon": [r["lon"] for r in rows],
        }
    )
    iata = icao.with_columns(pl.Series("code", [r["iata"] for r in rows])).filter(
        pl.col("code").str.len_chars() == 3
    )
    return pl.concat([icao, iata]).unique("code", keep="first")


def _haversine_km(lat1, lon1, lat2, lon2):
    import polars as pl

    r = math.pi / 180
    h = ((lat2 - lat1) * r / 2).sin() ** 2 + (lat1 * r).cos() * (lat2 * r).cos() * (
        (lon2 - lon1) * r / 2
    ).sin() ** 2
    return pl.lit(2 * 6371.0) * h.sqrt().arcsin()


def _with_places(frame, origin: str, destination: str, table):
    import polars as pl

    for side, col in (("o", origin), ("d", destination)):
        frame = frame.with_columns(pl.col(col).str.strip_chars().str.to_uppercase().alias("_k"))
        frame = frame.join(
            table.rename({"lat": f"{side}_lat", "lon": f"{side}_lon"}),
            left_on="_k",
            right_on="code",
            how="left",
        ).drop("_k")
    return frame.with_columns(
        _haversine_km(pl.col("o_lat"), pl.col("o_lon"), pl.col("d_lat"), pl.col("d_lon")).alias(
            "km"
        )
    )


def polars_bookings(spec: dict):
    """What a polars user would write: rewrite every date text to one shape
    ("YYYY-MM-DD HH:MM") with vectorised string expressions, parse once."""
    import polars as pl

    table = _airport_table()
    months = {
        n.lower(): f"{i:02d}"
        for names in (RU_MONTHS, EN_MONTHS)
        for i, n in enumerate(names, start=1)
    }

    def when(col: str):
        text = pl.col(col).str.strip_chars()
        iso = text.str.replace(r"^(\d{2})\.(\d{2})\.(\d{4})", "${3}-${2}-${1}").str.replace(
            "T", " ", literal=True
        )
        named = []
        for pattern in (
            r"^(?P<d>\d{1,2}) (?P<m>\w+) (?P<y>\d{4})$",  # 7 января 2024
            r"^(?P<m>\w+) (?P<d>\d{1,2}),? (?P<y>\d{4})$",
        ):  # July 3, 2024
            g = text.str.extract_groups(pattern)
            month = g.struct.field("m").str.to_lowercase().replace_strict(months, default=None)
            named.append(
                pl.concat_str(
                    [g.struct.field("y"), month, g.struct.field("d").str.zfill(2)], separator="-"
                )
            )
        day_only = pl.coalesce(named)
        full = pl.when(iso.str.len_chars() == 10).then(iso + " 00:00").otherwise(iso)
        full = pl.coalesce([day_only + " 00:00", full])
        return full.str.strptime(
            pl.Datetime("us"), "%Y-%m-%d %H:%M", strict=False
        ).dt.replace_time_zone("UTC")

    def run():
        frame = pl.read_csv(spec["path"], separator=";", infer_schema=False)
        frame = frame.with_columns(
            when("Дата вылета").alias("departure_utc"), when("Дата прилета").alias("arrival_utc")
        )
        frame = _with_places(frame, "Откуда", "Куда", table)
        hours = (pl.col("arrival_utc") - pl.col("departure_utc")).dt.total_seconds() / 3600
        return frame.with_columns((pl.col("km") / hours > 1000).alias("too_fast"))

    t, frame = best_of(run, repeat=spec["repeat"])
    return t, {
        "rows": frame.height,
        "dated": int(frame["departure_utc"].is_not_null().sum()),
        "placed": int(frame["km"].is_not_null().sum()),
    }


def polars_opensky(spec: dict):
    import polars as pl

    table = _airport_table()

    def run():
        frame = pl.read_csv(spec["path"], infer_schema=False)
        frame = frame.with_columns(
            pl.from_epoch(pl.col("firstSeen").cast(pl.Int64, strict=False), time_unit="s")
            .dt.replace_time_zone("UTC")
            .alias("departure_utc"),
            pl.from_epoch(pl.col("lastSeen").cast(pl.Int64, strict=False), time_unit="s")
            .dt.replace_time_zone("UTC")
            .alias("arrival_utc"),
        )
        return _with_places(frame, "estDepartureAirport", "estArrivalAirport", table)

    t, frame = best_of(run, repeat=spec["repeat"])
    return t, {"rows": frame.height, "placed": int(frame["km"].is_not_null().sum())}


def polars_acled(spec: dict):
    import polars as pl

    def run():
        frame = pl.read_csv(spec["path"], infer_schema=False)
        day = pl.col("event_date").str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        tp = pl.col("time_precision")
        return frame.with_columns(
            day.alias("date_start"),
            pl.when(tp == "3")
            .then(day.dt.month_end())
            .when(tp == "2")
            .then(day.dt.offset_by("6d"))
            .otherwise(day)
            .alias("date_end"),
            pl.col("latitude").cast(pl.Float64, strict=False),
            pl.col("longitude").cast(pl.Float64, strict=False),
        )

    t, frame = best_of(run, repeat=spec["repeat"])
    return t, {"rows": frame.height, "dated": int(frame["date_start"].is_not_null().sum())}


# ---------------------------------------------------------------- per-row loops
def loop_bookings(spec: dict):
    from bench_travel import per_row_baseline

    t, flagged = best_of(per_row_baseline, Path(spec["path"]), repeat=spec["repeat"])
    return t, {"flagged": flagged}


def loop_opensky(spec: dict):
    import airportsdata
    from geopy.distance import geodesic

    table = airportsdata.load("ICAO")  # what a per-row script would look codes up in

    def run():
        flagged = 0
        with open(spec["path"], encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                a = table.get(row["estDepartureAirport"])
                b = table.get(row["estArrivalAirport"])
                try:
                    dep = datetime.fromtimestamp(int(row["firstSeen"]), UTC)
                    arr = datetime.fromtimestamp(int(row["lastSeen"]), UTC)
                except ValueError:
                    flagged += 1
                    continue
                if a is None or b is None:
                    flagged += 1
                    continue
                hours = (arr - dep).total_seconds() / 3600
                km = geodesic((a["lat"], a["lon"]), (b["lat"], b["lon"])).km
                if hours <= 0 or km / hours > 1000:
                    flagged += 1
        return flagged

    t, flagged = best_of(run, repeat=spec["repeat"])
    return t, {"flagged": flagged}


def loop_acled(spec: dict):
    def run():
        out = []
        with open(spec["path"], encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                try:
                    day = datetime.strptime(row["event_date"], "%Y-%m-%d").replace(tzinfo=UTC)
                except ValueError:
                    continue
                span = {"2": 6, "3": 30}.get(row["time_precision"], 0)
                try:
                    xy = (float(row["latitude"]), float(row["longitude"]))
                except ValueError:
                    xy = None
                out.append((row["event_id_cnty"], day, day + timedelta(days=span), xy))
        return out

    t, rows = best_of(run, repeat=spec["repeat"])
    return t, {"rows": len(rows)}


# ---------------------------------------------------------------- dates
def kit_dates(spec: dict):
    from bench_dates import synthetic_date_texts

    from osint_kit.analysis.dates import parse_dates

    values = synthetic_date_texts(spec["rows"])
    t, got = best_of(parse_dates, values, repeat=spec["repeat"])
    return t, {"parsed": int(got["date_start"].notna().sum())}


def mixed_dates(spec: dict):
    import warnings

    import pandas as pd
    from bench_dates import synthetic_date_texts

    values = synthetic_date_texts(spec["rows"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t, got = best_of(
            pd.to_datetime,
            values,
            format="mixed",
            errors="coerce",
            utc=True,
            repeat=spec["repeat"],
        )
    return t, {"parsed": int(got.notna().sum())}


# ---------------------------------------------------------------- analyses
def _corroboration_case(spec: dict):
    from synthetic_corroboration import generate

    k = spec["scale"]
    return generate(int(10_000 * k), int(2_000 * k), int(200_000 * k), max_depth=6)


def kit_corroboration(spec: dict):
    from osint_kit.analysis import corroboration as co

    case = _corroboration_case(spec)
    t, _ = best_of(co.corroborate, case, repeat=spec["repeat"])
    return t, {"sources": len(case.sources), "assertions": len(case.assertions)}


def loop_corroboration(spec: dict):
    import bench_corroboration as bc

    from osint_kit.analysis import corroboration as co

    case = _corroboration_case(spec)
    bc.slow_sources = case.sources["source_id"].tolist()
    t, slow = best_of(bc.baseline, case, repeat=spec["repeat"])
    bc.check_agree(co.corroborate(case), slow)  # raises if the two disagree
    return t, {"agree": True}


def kit_ach(spec: dict):
    from bench_ach import synthetic_ach

    from osint_kit.analysis.ach import compare_hypotheses

    case = synthetic_ach(spec["rows"])
    t, res = best_of(compare_hypotheses, case, repeat=spec["repeat"])
    return t, {"ratings": len(res.ratings), "hypotheses": len(res.scores)}


def loop_ach(spec: dict):
    from bench_ach import check_agree, per_row_scores, synthetic_ach

    from osint_kit.analysis.ach import compare_hypotheses

    case = synthetic_ach(spec["rows"])
    t, slow = best_of(per_row_scores, case, repeat=spec["repeat"])
    check_agree(compare_hypotheses(case), slow)  # raises if the two disagree
    return t, {"agree": True}


def _timeline_events(spec: dict):
    import matplotlib

    matplotlib.use("Agg")
    from make_synthetic_events import synthetic_events

    return synthetic_events(spec["rows"])


def kit_timeline(spec: dict):
    import tempfile

    from bench_timeline import kit

    events = _timeline_events(spec)
    with tempfile.TemporaryDirectory() as tmp:
        kit(events.head(50), Path(tmp) / "warmup.png")  # fonts and imports outside the timing
        t, _ = best_of(kit, events, Path(tmp) / "kit.png", repeat=spec["repeat"])
        size = (Path(tmp) / "kit.png").stat().st_size
    return t, {"png_kb": round(size / 1e3)}


def loop_timeline(spec: dict):
    import tempfile

    from bench_timeline import kit, per_event_loop

    events = _timeline_events(spec)
    with tempfile.TemporaryDirectory() as tmp:
        kit(events.head(50), Path(tmp) / "warmup.png")
        t, _ = best_of(per_event_loop, events, Path(tmp) / "loop.png", repeat=spec["repeat"])
    return t, {}


def _map(spec: dict, cluster: bool):
    """Build + save the offline HTML (timed); then, if asked and Chromium is
    there, open it headless with the network cut (render time, not in ``seconds``)."""
    import tempfile

    import numpy as np

    from osint_kit.practice.synthetic import write_synthetic_bookings
    from osint_kit.readers import exports
    from osint_kit.views import maps, offline

    n = spec["rows"]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"points_{n}_synthetic.csv"
        write_synthetic_bookings(src, n, seed=7, bad_fraction=0.0)
        legs = exports.read_bookings(src).legs
        rng = np.random.default_rng(0)
        lat = legs["origin_lat"].to_numpy() + rng.normal(0, 0.05, n)
        lon = legs["origin_lon"].to_numpy() + rng.normal(0, 0.05, n)
        path = Path(tmp) / "points.html"

        def build():
            return offline.save_offline_html(maps.point_map(lat, lon, cluster=cluster), path)

        t, _ = best_of(build, repeat=spec["repeat"])
        info: dict = {"html_mb": round(path.stat().st_size / 1e6, 1)}
        if spec.get("browser") and offline.find_chromium():
            probe = "document.querySelectorAll('.marker-cluster, path.leaflet-interactive').length"
            t0 = time.perf_counter()
            report = offline.open_in_chromium(path, evaluate=probe, settle_seconds=0.5, timeout=300)
            info["chromium_s"] = round(time.perf_counter() - t0, 2)
            info["drawn"] = report["value"]
            info["requests"] = len(
                [u for u in report["requests"] if not u.startswith(("file:", "data:"))]
            )
    return t, info


def kit_map(spec: dict):
    return _map(spec, cluster=True)


def loop_map(spec: dict):
    return _map(spec, cluster=False)


def kit_report(spec: dict):
    """The bundled case end to end: load (every check), corroboration, ACH, the
    claim summary table and the timeline figure written to a folder."""
    import tempfile

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from osint_kit.analysis.ach import compare_hypotheses
    from osint_kit.analysis.corroboration import corroborate
    from osint_kit.cli import DEFAULT_CASE
    from osint_kit.readers.bundle import load_case
    from osint_kit.report.export import save_table

    def run(out: Path):
        case = load_case(DEFAULT_CASE)
        co = corroborate(case)
        ach = compare_hypotheses(case)
        save_table(co.claim_summary, out / "claims", formats=("csv",))
        fig, ax = plt.subplots()
        ax.plot(range(len(ach.scores)))
        fig.savefig(out / "fig.png")
        plt.close(fig)
        return case

    with tempfile.TemporaryDirectory() as tmp:
        t, case = best_of(run, Path(tmp), repeat=spec["repeat"])
    return t, {"sources": len(case.sources), "claims": len(case.claims)}


def _median_import(spec: dict, module: str):
    import bench_import

    bench_import.N = spec.get("n", bench_import.N)
    return bench_import.median_import(module), {"median of": bench_import.N}


def kit_import(spec: dict):
    return _median_import(spec, "osint_kit")


def loop_import(spec: dict):
    return _median_import(spec, "pandas")


def kit_notebook(spec: dict):
    """Execute one notebook with nbclient (as tests/test_notebooks.py does)."""
    import os
    import tempfile

    import nbformat
    from nbclient import NotebookClient

    path = Path(spec["path"])
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["OSINT_KIT_OUTPUT_DIR"] = tmp
        os.environ["MPLBACKEND"] = "Agg"

        def run():
            nb = nbformat.read(path, as_version=4)
            NotebookClient(
                nb,
                timeout=600,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.parent)}},
            ).execute()
            return nb

        t, nb = best_of(run, repeat=spec["repeat"])
    return t, {"cells": len(nb.cells)}


TASKS = {
    "bookings.write": write_bookings,
    "opensky.write": write_opensky,
    "acled.write": write_acled,
    "bookings.kit": kit_bookings,
    "opensky.kit": kit_opensky,
    "acled.kit": kit_acled,
    "bookings.read_csv": read_csv,
    "opensky.read_csv": read_csv,
    "acled.read_csv": read_csv,
    "bookings.pyarrow": read_pyarrow,
    "opensky.pyarrow": read_pyarrow,
    "acled.pyarrow": read_pyarrow,
    "bookings.polars": read_polars,
    "opensky.polars": read_polars,
    "acled.polars": read_polars,
    "bookings.polars+norm": polars_bookings,
    "opensky.polars+norm": polars_opensky,
    "acled.polars+norm": polars_acled,
    "bookings.loop": loop_bookings,
    "opensky.loop": loop_opensky,
    "acled.loop": loop_acled,
    "dates.kit": kit_dates,
    "dates.mixed": mixed_dates,
    "corroboration.kit": kit_corroboration,
    "corroboration.loop": loop_corroboration,
    "ach.kit": kit_ach,
    "ach.loop": loop_ach,
    "timeline.kit": kit_timeline,
    "timeline.loop": loop_timeline,
    "map.kit": kit_map,
    "map.loop": loop_map,
    "report.kit": kit_report,
    "import.kit": kit_import,
    "import.loop": loop_import,
    "notebook.kit": kit_notebook,
}


def main(argv: list[str]) -> None:
    spec = json.loads(argv[0])
    out = TASKS[spec["task"]](spec)
    seconds, info = out if isinstance(out, tuple) else (None, out)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "info": info}))


if __name__ == "__main__":
    main(sys.argv[1:])
