"""``python -m benchmarks``: every workload of issue 13 against its anchors, one table.

Run from the repository root::

    python -m benchmarks                  # full sizes (1M-row readers: ~15-30 min)
    python -m benchmarks --quick          # tiny sizes, a smoke test (~1 min)
    python -m benchmarks --only bookings,acled --also-python /path/to/other/python

and it writes ``benchmarks/RESULTS.md`` (``--out`` to write elsewhere): the machine,
the date, the command, then one table -- workload, size, the kit's time, each
anchor (named) with its time, the ratio kit ÷ anchor (above 1: the kit is
slower), and the peak resident memory of the kit's and the anchor's process --
and the goals of issue 13, each met or not with the measured numbers.

Every measurement runs in its own interpreter (``benchmarks/_tasks.py``), one
after another, so each peak RSS is that process's own and no run warms another's
caches.  Times are the best of ``--repeat`` runs (3; 1 with ``--quick``), the
per-row loops' too.  An anchor whose library is not installed (pyarrow, polars:
``pip install -e .[bench]``) is listed as such, never silently left out; a task
that fails is listed with its error.  ``--also-python`` times the kit's readers
under a second interpreter as well (e.g. one without pyarrow, for goal 1's
"never slower with pyarrow").  Nothing here is a test: the suite runs
``--quick`` only to check the table is written (tests/test_benchmarks.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TASKS = HERE / "_tasks.py"

READERS = ("bookings", "opensky", "acled")
WORKLOADS = (
    *READERS,
    "dates",
    "corroboration",
    "ach",
    "timeline",
    "map",
    "report",
    "import",
    "notebooks",
)

#: Sizes per workload: rows (corroboration: the fraction of 10,000 sources / 2,000
#: claims / 200,000 assertions); ``loop`` is the size the per-row reader loops run at.
FULL = {
    "bookings": 1_000_000,
    "opensky": 1_000_000,
    "acled": 1_000_000,
    "loop": 100_000,
    "dates": 1_000_000,
    "corroboration": 1.0,
    "ach": 200_000,
    "timeline": 20_000,
    "map": 20_000,
}
QUICK = {
    "bookings": 2_000,
    "opensky": 2_000,
    "acled": 2_000,
    "loop": 500,
    "dates": 5_000,
    "corroboration": 0.01,
    "ach": 2_000,
    "timeline": 200,
    "map": 200,
}

READER_ANCHORS = (
    ("read_csv", "pandas.read_csv alone"),
    ("pyarrow", "pyarrow.csv.read_csv alone"),
    ("polars", "polars.read_csv alone"),
    ("polars+norm", "polars read + normalise"),
)
KIT_NAME = {
    "bookings": "read_bookings",
    "opensky": "read_opensky",
    "acled": "read_events",
    "dates": "parse_dates",
    "corroboration": "corroborate",
    "ach": "compare_hypotheses",
    "timeline": "plot_timeline + PNG",
    "map": "point_map (clustered) + offline HTML",
    "report": "load_case + corroborate + ACH + exports",
    "import": "import osint_kit",
}


@dataclass
class Result:
    seconds: float | None = None
    peak_mb: float | None = None
    info: dict = field(default_factory=dict)
    error: str | None = None

    def time(self) -> str:
        if self.error:
            return self.error
        return "—" if self.seconds is None else _sec(self.seconds)


@dataclass
class Row:
    workload: str
    size: str
    kit: Result
    anchor: str
    other: Result | None
    file_mb: float | None = None
    note: str = ""


def _sec(s: float) -> str:
    return f"{s:.3f} s" if s < 10 else f"{s:.1f} s"


def run(python: str, spec: dict, timeout: float) -> Result:
    """One task in a fresh interpreter; its last stdout line is the JSON result."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p
    )
    env.setdefault("MPLBACKEND", "Agg")
    try:
        done = subprocess.run(
            [python, str(TASKS), json.dumps(spec)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        return Result(error=f"timed out after {timeout:.0f} s")
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no message"]
        if "ModuleNotFoundError" in tail[0]:
            return Result(error="not installed (" + tail[0].split("'")[-2] + ")")
        return Result(error=f"failed: {tail[0][:160]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return Result(out["seconds"], out["peak_mb"], out["info"])


class Runner:
    def __init__(self, args, sizes: dict, tmp: Path):
        self.args, self.sizes, self.tmp = args, sizes, tmp
        self.rows: list[Row] = []

    def task(self, name: str, python: str | None = None, **spec) -> Result:
        spec = {"task": name, "repeat": self.args.repeat, **spec}
        t0 = time.perf_counter()
        res = run(python or self.args.python, spec, self.args.timeout)
        took = time.perf_counter() - t0
        print(f"  {name:22s} {res.time():>28s}   ({took:5.1f} s in all)", flush=True)
        return res

    def reader(self, w: str) -> None:
        n, n_loop = self.sizes[w], self.sizes["loop"]
        paths = {}
        for size in (n, n_loop):
            path = self.tmp / f"{w}_{size}_synthetic.csv"
            if not path.exists():
                made = self.task(f"{w}.write", path=str(path), rows=size, repeat=1)
                if made.error:
                    self.rows.append(Row(w, f"{size:,}", made, "(input)", None))
                    return
            paths[size] = path
        mb = paths[n].stat().st_size / 1e6
        kit = self.task(f"{w}.kit", path=str(paths[n]), workload=w)
        for key, label in READER_ANCHORS:
            other = self.task(f"{w}.{key}", path=str(paths[n]), workload=w)
            self.rows.append(Row(w, f"{n:,} rows, {mb:.0f} MB", kit, label, other, mb))
        for py in self.args.also_python:
            other = self.task(f"{w}.kit", python=py, path=str(paths[n]), workload=w)
            label = f"the kit under {py} ({_pyarrow_label(py)})"
            self.rows.append(Row(w, f"{n:,} rows, {mb:.0f} MB", kit, label, other, mb))
        mb_loop = paths[n_loop].stat().st_size / 1e6
        kit_small = self.task(f"{w}.kit", path=str(paths[n_loop]), workload=w)
        loop = self.task(f"{w}.loop", path=str(paths[n_loop]), workload=w, repeat=1)
        self.rows.append(
            Row(w, f"{n_loop:,} rows, {mb_loop:.0f} MB", kit_small, "per-row loop", loop, mb_loop)
        )

    def pair(self, w: str, anchor: str, size_label: str, anchor_task: str = "", **spec) -> None:
        """The kit's task ``w.kit`` and, when ``anchor`` names one, its anchor
        (task ``anchor_task``, by default ``w.loop``), on the same input."""
        kit = self.task(f"{w}.kit", **spec)
        other = self.task(anchor_task or f"{w}.loop", **spec) if anchor else None
        self.rows.append(Row(w, size_label, kit, anchor or "—", other))

    def notebooks(self) -> None:
        for path in sorted((REPO / "notebooks").glob("*.ipynb")):
            res = self.task("notebook.kit", path=str(path), repeat=1)
            self.rows.append(Row(f"notebook {path.stem}", "bundled case", res, "—", None))


def _pyarrow_label(python: str) -> str:
    code = "import importlib.util as u; print(bool(u.find_spec('pyarrow')))"
    got = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return "with pyarrow" if got.stdout.strip() == "True" else "without pyarrow"


def versions(python: str) -> str:
    code = (
        "import importlib.metadata as m\n"
        "out = []\n"
        "for p in ('pandas', 'numpy', 'pyarrow', 'polars', 'matplotlib', 'folium'):\n"
        "    try: out.append(p + ' ' + m.version(p))\n"
        "    except m.PackageNotFoundError: out.append(p + ' not installed')\n"
        "print(', '.join(out))"
    )
    got = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return got.stdout.strip() or got.stderr.strip()[-200:]


def _load() -> str:
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(x.split()[1])
            for x in Path("/proc/meminfo").read_text().splitlines()
            if x.startswith("MemTotal")
        )
        mem = f"{mem_kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        mem = "RAM unknown"
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, {mem}"


# ---------------------------------------------------------------- the report
def _mb(r: Result | None, file_mb: float | None) -> str:
    if r is None or r.peak_mb is None:
        return "—"
    text = f"{r.peak_mb:,.0f}"
    return text + (f" ({r.peak_mb / file_mb:.1f}× file)" if file_mb else "")


def table(rows: list[Row]) -> list[str]:
    out = [
        "| workload | size | kit | kit time | anchor | anchor time | kit ÷ anchor "
        "| peak RSS kit, MB | peak RSS anchor, MB | notes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        kit_name = KIT_NAME.get(r.workload, "nbclient, every cell")
        ratio = "—"
        if r.other and r.other.seconds and r.kit.seconds is not None and not r.other.error:
            ratio = f"{r.kit.seconds / r.other.seconds:.2f}"
        extra = _info(r)
        out.append(
            f"| {r.workload} | {r.size} | {kit_name} | {r.kit.time()} | {r.anchor} "
            f"| {r.other.time() if r.other else '—'} | {ratio} | {_mb(r.kit, r.file_mb)} "
            f"| {_mb(r.other, r.file_mb)} | {extra} |"
        )
    return out


def _info(r: Row) -> str:
    """What the two sides produced (counts, HTML size, Chromium render), briefly."""
    parts = []
    for side, res in (("kit", r.kit), ("anchor", r.other)):
        if res is not None and res.info:
            parts.append(side + ": " + ", ".join(f"{k} {_fmt(v)}" for k, v in res.info.items()))
    return "; ".join(parts)


def _fmt(v) -> str:
    return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v)


def goals(rows: list[Row], sizes: dict) -> list[str]:
    """Issue 13's goals, each met or not, from the rows measured."""

    def find(w: str, anchor: str) -> Row | None:
        return next((r for r in rows if r.workload == w and r.anchor.startswith(anchor)), None)

    lines = ["## Goals of issue 13", ""]
    g1 = []
    for w in READERS:
        r = find(w, "polars read + normalise")
        if r is None:
            continue
        if r.other is None or r.other.seconds is None or r.kit.seconds is None:
            g1.append(f"{w}: not measured ({r.other.time() if r.other else 'no anchor'})")
            continue
        ratio = r.kit.seconds / r.other.seconds
        verdict = "met" if ratio <= 1.0 else "**not met**"
        g1.append(
            f"{w} ({r.size}): {KIT_NAME[w]} {_sec(r.kit.seconds)} vs polars read + normalise "
            f"{_sec(r.other.seconds)}: {ratio:.2f}× (goal ≤ 1.0×): {verdict}"
        )
        for other in (x for x in rows if x.workload == w and x.anchor.startswith("the kit under")):
            if other.other and other.other.seconds and r.kit.seconds:
                q = r.kit.seconds / other.other.seconds
                g1.append(
                    f"{w}: this interpreter ({_pyarrow_label(sys.executable)}) ÷ "
                    f"{other.anchor[len('the kit under ') :]}: {q:.2f}×"
                )
    lines.append("1. **Readers ≤ 1.0× polars' read + normalise, with and without pyarrow.**")
    lines += [f"   - {x}" for x in g1] or ["   - not measured in this run"]
    lines.append("2. **Peak RSS ≤ 3× the file size, every reader at 1M rows.**")
    g2 = []
    for w in READERS:
        r = find(w, "pandas.read_csv")
        if r and r.kit.peak_mb and r.file_mb:
            x = r.kit.peak_mb / r.file_mb
            g2.append(
                f"{w} ({r.size}): {r.kit.peak_mb:,.0f} MB = {x:.1f}× the file: "
                + ("met" if x <= 3 else "**not met**")
            )
    lines += [f"   - {x}" for x in g2] or ["   - not measured in this run"]
    if sizes is QUICK:
        lines.append(
            "   - (quick sizes: the interpreter and libraries dominate; not the goal's size)"
        )
    lines.append(
        "3. **Dask past one machine: not met** -- the readers do not accept a dask DataFrame "
        "or a glob yet, and there is no `[scale]` extra; nothing here runs out of core."
    )
    present = {r.workload.split(" ")[0] for r in rows}
    missing = [
        w
        for w in WORKLOADS
        if w not in present and not (w == "notebooks" and "notebook" in present)
    ]
    lines.append(
        "4. **This file, written by one command**: "
        + (
            "every workload is in the table."
            if not missing
            else "workloads not in this run: " + ", ".join(missing) + "."
        )
    )
    return lines


def write(
    path: Path, rows: list[Row], args, sizes: dict, started: datetime, took: float, done: bool
) -> None:
    cmd = "python -m benchmarks" + ("" if not args.argv else " " + shlex.join(args.argv))
    text = [
        "# Benchmark results",
        "",
        f"Written by `{cmd}` (benchmarks/__main__.py) on {started:%Y-%m-%d %H:%M} UTC, "
        f"in {took / 60:.1f} min" + ("." if done else " so far (the run did not finish)."),
        "",
        f"- machine: {machine()}; {args.load_at_start} at the start, {_load()} when written "
        "(a machine shared with other jobs: compare ratios, not times)",
        f"- python: {platform.python_version()} ({args.python}); {versions(args.python)}",
    ]
    for py in args.also_python:
        text.append(f"- also timed under: {py}; {versions(py)}")
    text += [
        f"- sizes: {'quick (a smoke test, not the goals)' if sizes is QUICK else 'full'}; "
        f"times are the best of {args.repeat} run(s) in a fresh process per measurement; "
        "peak RSS is that process's high-water mark (interpreter, imports and input "
        "included), from `resource.getrusage`",
        "- kit ÷ anchor: the kit's time divided by the anchor's (above 1, the kit is slower); "
        "the per-row loops are the reference line, at a smaller size",
        "- polars read + normalise: read, dates or epoch seconds to UTC datetimes, airport "
        "codes joined to coordinates, distance (and a speed flag for bookings); it reads no "
        "place names, no Russian month names, keeps no problems table: less work than the kit",
        "",
        *table(rows),
        "",
        *goals(rows, sizes),
        "",
    ]
    path.write_text("\n".join(text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    ap.add_argument("--only", help="comma-separated workloads: " + ",".join(WORKLOADS))
    ap.add_argument("--skip", default="", help="comma-separated workloads to leave out")
    ap.add_argument("--repeat", type=int, help="timed runs per measurement (default 3; quick 1)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the tasks")
    ap.add_argument(
        "--also-python",
        action="append",
        default=[],
        help="time the kit's readers under this interpreter too",
    )
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--tmp", type=Path, help="folder for the synthetic inputs (kept)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per task")
    ap.add_argument("--no-browser", action="store_true", help="do not open the map in Chromium")
    args = ap.parse_args(argv)
    args.argv = argv
    sizes = QUICK if args.quick else FULL
    args.repeat = args.repeat or (1 if args.quick else 3)
    chosen = args.only.split(",") if args.only else list(WORKLOADS)
    unknown = [w for w in chosen + [s for s in args.skip.split(",") if s] if w not in WORKLOADS]
    if unknown:
        ap.error(f"unknown workload(s) {', '.join(unknown)}; choose from {', '.join(WORKLOADS)}")
    chosen = [w for w in chosen if w not in args.skip.split(",")]
    tmp = args.tmp or Path(tempfile.mkdtemp(prefix="osint-kit-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    started, t0 = datetime.now(UTC), time.perf_counter()
    args.load_at_start = _load()
    r = Runner(args, sizes, tmp)
    try:
        for w in chosen:
            print(f"{w}:", flush=True)
            if w in READERS:
                r.reader(w)
            elif w == "dates":
                n = sizes["dates"]
                r.pair(
                    w,
                    "pandas.to_datetime(format='mixed')",
                    f"{n:,} texts",
                    anchor_task="dates.mixed",
                    rows=n,
                )
            elif w == "corroboration":
                k = sizes["corroboration"]
                label = f"{int(10_000 * k):,} sources, {int(200_000 * k):,} assertions"
                r.pair(w, "per-claim Python loop (agrees)", label, scale=k)
            elif w == "ach":
                n = sizes["ach"]
                r.pair(w, "per-rating Python loop (agrees)", f"{n:,} ratings", rows=n)
            elif w == "timeline":
                n = sizes["timeline"]
                r.pair(w, "per-event ax.plot/barh + PNG", f"{n:,} events", rows=n)
            elif w == "map":
                n = sizes["map"]
                r.pair(
                    w,
                    "unclustered CircleMarkers + offline HTML",
                    f"{n:,} points",
                    rows=n,
                    browser=not args.no_browser,
                )
            elif w == "report":
                r.pair(w, "", "bundled case")
            elif w == "import":
                k = 3 if args.quick else 15
                r.pair(w, "import pandas", f"fresh interpreter, median of {k}", n=k)
            elif w == "notebooks":
                r.notebooks()
            # after each workload, so that a stopped run still leaves its numbers
            write(args.out, r.rows, args, sizes, started, time.perf_counter() - t0, done=False)
    finally:
        if not args.tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    write(args.out, r.rows, args, sizes, started, time.perf_counter() - t0, done=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
