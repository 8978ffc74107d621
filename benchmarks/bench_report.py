"""Benchmark: ``osint-kit report`` of the bundled case (all formats) vs the four
notebooks executed headless, in the same run (goal: <= 0.5x their time).

Both sides start from nothing and draw the same figures through the same code
(:mod:`osint_kit.report.figures`):

* kit: ``python -m osint_kit.cli report --out DIR`` in a fresh interpreter
  (imports, analyses, 7 figures as PNG/SVG/PDF, the offline map, 12 tables as
  CSV + one workbook, index.html, report.md, report.pdf, the manifest);
* baseline: notebooks 00-03 executed one after the other with nbclient, each in
  a fresh kernel, exports into a temporary folder (what a user runs in Jupyter
  to get the same figures and tables).

Run:  python benchmarks/bench_report.py [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import best_of

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-3]_*.ipynb"))


def report(out: Path) -> None:
    env = dict(os.environ, MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, "-m", "osint_kit.cli", "report", "--out", str(out), "--force"],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode:
        raise SystemExit(done.stderr)


def notebooks(out: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    os.environ["MPLBACKEND"] = "Agg"
    for path in NOTEBOOKS:
        os.environ["OSINT_KIT_OUTPUT_DIR"] = str(out / path.stem)
        nb = nbformat.read(path, as_version=4)
        NotebookClient(
            nb,
            timeout=1200,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs per side")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t_nb, _ = best_of(notebooks, Path(tmp) / "notebooks", repeat=args.repeat)
        t_rep, _ = best_of(report, Path(tmp) / "report", repeat=args.repeat)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"notebooks 00-03 headless : {t_nb:7.1f} s")
    print(f"osint-kit report (all)   : {t_rep:7.1f} s")
    ratio = t_rep / t_nb
    print(
        f"ratio                    : {ratio:7.2f}x  (goal <= 0.5x: {'met' if ratio <= 0.5 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
