"""Benchmark a 20,000-point map: build time, offline HTML size, and that it draws.

Run: python benchmarks/bench_map.py [N_POINTS]

Points are the departures of a synthetic booking export (seeded), resolved
to coordinates by the kit.  Two variants, both written offline-ready with
osint_kit.views.offline.save_offline_html:

* clustered -- folium.plugins.FastMarkerCluster (one data array; clusters by
  the inlined Leaflet.markercluster 1.4.1);
* unclustered -- one canvas CircleMarker per point (folium's own loop).

If Chromium is installed, each file is opened headless with the network cut
and the time to load it and the number of drawn clusters/markers are shown.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from osint_kit.practice.synthetic import write_synthetic_bookings
from osint_kit.readers import exports
from osint_kit.views import maps, offline


def main(n: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="osint-kit-bench-map-"))
    src = tmp / f"points_{n}_synthetic.csv"
    write_synthetic_bookings(src, n, seed=7, bad_fraction=0.0)
    legs = exports.read_bookings(src).legs
    lat = legs["origin_lat"].to_numpy()
    lon = legs["origin_lon"].to_numpy()
    # jitter within each place's uncertainty radius so the points do not coincide
    import numpy as np

    rng = np.random.default_rng(0)
    lat = lat + rng.normal(0, 0.05, n)
    lon = lon + rng.normal(0, 0.05, n)
    probe = (
        "[document.querySelectorAll('.marker-cluster').length, "
        "document.querySelectorAll('path.leaflet-interactive').length]"
    )
    for cluster in (True, False):
        name = "clustered" if cluster else "unclustered"
        t0 = time.perf_counter()
        m = maps.point_map(lat, lon, cluster=cluster)
        path = offline.save_offline_html(m, tmp / f"points_{name}.html")
        t_build = time.perf_counter() - t0
        size = path.stat().st_size
        line = (
            f"{name:12s} {n:,} points: built + saved in {t_build:5.2f} s, HTML {size / 1e6:5.1f} MB"
        )
        if offline.find_chromium():
            t0 = time.perf_counter()
            report = offline.open_in_chromium(path, evaluate=probe, settle_seconds=0.5, timeout=180)
            t_open = time.perf_counter() - t0
            external = [u for u in report["requests"] if not u.startswith(("file:", "data:"))]
            line += (
                f"; Chromium load {t_open:5.1f} s, clusters {report['value'][0]}, "
                f"vector paths {report['value'][1]}, network requests {len(external)}"
            )
        print(line)
    src.unlink()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
