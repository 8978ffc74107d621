"""Benchmark: 20,000 events drawn and saved to PNG (goal <= 3 s) vs a per-event loop.

Same seeded synthetic events (benchmarks/make_synthetic_events.py), same figure
size (11 x 5 in) and resolution (100 dpi), same run:

* ``osint_kit.views.timeline.plot_timeline`` (one PolyCollection for all spans, one
  scatter per marker kind; no labels above ``max_labels``) + ``savefig(png)``;
* baseline: a per-event loop, ``ax.barh`` for each span and ``ax.plot`` for
  each point, in the same lanes, + ``savefig(png)``.

Run:  python benchmarks/bench_timeline.py [--events 20000] [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from _timing import best_of
from make_synthetic_events import synthetic_events

from osint_kit.views.timeline import plot_timeline


def kit(events: pd.DataFrame, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(11, 5), layout="constrained")
    plot_timeline(events, ax=ax, title="Synthetic events")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def per_event_loop(events: pd.DataFrame, path: Path) -> None:
    import matplotlib.dates as mdates

    fig, ax = plt.subplots(figsize=(11, 5), layout="constrained")
    lanes = {c: i for i, c in enumerate(pd.unique(events["category"]))}
    for row in events.itertuples(index=False):
        y = -lanes[row.category]
        x0 = mdates.date2num(row.date_start.tz_localize(None))
        if row.date_precision == "day":
            ax.plot([x0 + 0.5], [y], "o", color="C0", ms=4)
        else:
            x1 = mdates.date2num(row.date_end.tz_localize(None)) + 1
            ax.barh(y, x1 - x0, left=x0, height=0.26, color="C1", alpha=0.45)
    ax.xaxis_date()
    ax.set_title(f"Synthetic events (N={len(events)})")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--out", type=Path, help="keep the PNGs here")
    args = ap.parse_args()
    events = synthetic_events(args.events)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        kit(
            events.head(50), out / "warmup.png"
        )  # first-use costs (fonts, imports) out of the timing
        t_kit, _ = best_of(kit, events, out / "kit.png", repeat=2)
        t_loop, _ = best_of(per_event_loop, events, out / "loop.png")
        print(f"events={len(events):,}  ({events['date_precision'].value_counts().to_dict()})")
        print(
            f"  osint_kit plot_timeline + PNG   {t_kit:6.2f} s   goal <= 3 s: "
            f"{'met' if t_kit <= 3 else 'MISSED'}"
        )
        print(f"  per-event ax.plot/barh + PNG    {t_loop:6.2f} s   ratio {t_loop / t_kit:5.1f}x")


if __name__ == "__main__":
    main()
