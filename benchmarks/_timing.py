"""Wall-clock timing shared by the benchmarks (run as ``python benchmarks/bench_*.py``,
which puts this folder on ``sys.path``)."""

from __future__ import annotations

import time


def best_of(fn, *args, repeat: int = 1, **kwargs) -> tuple[float, object]:
    """Best wall time in seconds of ``repeat`` calls of ``fn(*args, **kwargs)``,
    and the last result.  The minimum is timeit's convention: on a shared
    machine it is the run least disturbed by everything else."""
    best, out = float("inf"), None
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return best, out
