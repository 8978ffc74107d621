"""How long `import osint_kit` takes (goal: under 0.3 s).

Runs a fresh interpreter N times and reports the median wall time of the
import alone, next to the time of `import pandas` (which the kit's modules use,
but the top-level import does not load) as a baseline from the same run.

    python benchmarks/bench_import.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys

N = 15
CODE = "import time; t = time.perf_counter(); import {mod}; print(time.perf_counter() - t)"


def median_import(mod: str) -> float:
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", CODE.format(mod=mod)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(N)
    ]
    return statistics.median(times)


if __name__ == "__main__":
    kit = median_import("osint_kit")
    pandas = median_import("pandas")
    print(f"import osint_kit: {kit * 1000:.1f} ms (median of {N}; goal < 300 ms)")
    print(f"import pandas:    {pandas * 1000:.1f} ms (baseline, same run)")
    print(f"ratio osint_kit / pandas: {kit / pandas:.3f}")
