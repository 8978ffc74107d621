"""The saved offline route map, opened in a real headless Chromium with the network cut.

:func:`osint_kit.views.offline.open_in_chromium` starts Chromium with a dead proxy
(127.0.0.1:9), background networking off and a fresh profile, and drives it
over the DevTools protocol, which reports every request the *page* makes
(Network.requestWillBeSent).  The test asserts that the map drew (Leaflet SVG
paths for the trips -- a manifest solid, a booking only dotted -- P02's search
area and the markers, the legend clear of every marker, the layer control, a
screenshot containing the route colour) and that every request the
page made was to file: or data: URLs -- none to the network.
"""

from __future__ import annotations

import io

import pytest

from osint_kit.views.offline import find_chromium

pytestmark = pytest.mark.browser

ROUTE_RGB = (0xB2, 0x18, 0x2B)  # osint_kit.views.maps.COLORS["flight"]
PROBE = """({
    paths: document.querySelectorAll('path.leaflet-interactive').length,
    route: document.querySelectorAll('path[stroke="#b2182b"]').length,
    dashed: document.querySelectorAll('path[stroke="#b2182b"][stroke-dasharray]').length,
    booking: document.querySelectorAll('path[stroke="#d6604d"][stroke-dasharray="1 6"]').length,
    area: document.querySelectorAll('path.leaflet-interactive[stroke="#762a83"]').length,
    covered: (() => {  // place markers (small blue paths) under the legend or the layer control
        const boxes = [document.getElementById('osint-kit-legend'),
                       document.querySelector('.leaflet-control-layers')]
            .filter(e => e).map(e => e.getBoundingClientRect());
        const marks = Array.from(document.querySelectorAll('path.leaflet-interactive'))
            .filter(p => (p.getAttribute('fill') === '#2166ac' || p.getAttribute('stroke') === '#2166ac'))
            .map(p => p.getBoundingClientRect()).filter(r => r.width > 0 && r.width < 24);
        return {markers: marks.length, covered: marks.filter(m => boxes.some(b =>
            m.left < b.right && m.right > b.left && m.top < b.bottom && m.bottom > b.top)).length};
    })(),
    legend: !!document.getElementById('osint-kit-legend'),
    tooltips: Array.from(document.querySelectorAll('.leaflet-tooltip')).map(t => t.textContent.trim()),
    layers: Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
                 .map(l => l.textContent.trim()),
    leaflet: typeof L !== 'undefined' && L.version,
    jquery: typeof jQuery !== 'undefined' && jQuery.fn.jquery,
})"""


@pytest.fixture(scope="module")
def offline_map(tmp_path_factory):
    import osint_kit
    from osint_kit.views.maps import route_map
    from osint_kit.views.offline import save_offline_html

    case = osint_kit.load_case("ru-ir-missile-experts-2024")
    path = tmp_path_factory.mktemp("map") / "route_map_offline.html"
    return save_offline_html(route_map(case), path)


@pytest.mark.skipif(
    find_chromium() is None,
    reason="no Chromium binary (install the Debian package 'chromium'); cannot open the map",
)
def test_offline_map_draws_in_chromium_without_network(offline_map):
    pytest.importorskip("websocket", reason="websocket-client is needed to drive Chromium")
    from PIL import Image

    from osint_kit.views.offline import open_in_chromium

    report = open_in_chromium(offline_map, evaluate=PROBE)
    counts = report["value"]
    assert counts["leaflet"] == "1.9.3" and counts["jquery"] == "3.7.1"
    # issue 11: the September trip (a manifest) solid in the route colour, the April
    # trip (a booking only) dotted in the lighter red; no inferred leg to P02, whose
    # search area (the annular sector) is drawn instead
    assert counts["route"] == 1 and counts["dashed"] == 0
    assert counts["booking"] == 1 and counts["area"] == 1
    assert counts["paths"] >= 2 + 8  # arcs + place markers (+ uncertainty circles)
    assert counts["legend"]
    assert "inferred" not in counts["tooltips"]
    # the map opens with every place clear of the legend and the layer control:
    # 5 place markers (P01, P02, P08, P10, P11) and, at the opening zoom, the 4
    # uncertainty circles smaller than a marker (P01 5 km, P09, P10, P11 15 km)
    assert counts["covered"] == {"markers": 9, "covered": 0}
    assert counts["layers"] == [
        "Context (basemap, airports)",
        "Flights (records)",
        "Claims & events",
    ]
    # no request left the machine
    assert report["requests"][0] == offline_map.as_uri()
    offline = [
        u for u in report["requests"] if not u.startswith(("file:", "data:", "blob:", "about:"))
    ]
    assert offline == [], f"the page requested {offline}"
    assert report["failed"] == []
    assert report["errors"] == []  # no uncaught script error
    # a non-blank screenshot with the route colour in it
    img = Image.open(io.BytesIO(report["screenshot"])).convert("RGB")
    colours = img.getcolors(maxcolors=1_000_000)
    assert len(colours) > 20  # not a blank page
    near_route = sum(
        n
        for n, (r, g, b) in colours
        if abs(r - ROUTE_RGB[0]) < 25 and abs(g - ROUTE_RGB[1]) < 25 and abs(b - ROUTE_RGB[2]) < 25
    )
    assert near_route > 200  # pixels of the drawn arcs


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium binary")
def test_clustered_point_map_works_offline(tmp_path):
    pytest.importorskip("websocket")
    import numpy as np

    from osint_kit.views.maps import point_map
    from osint_kit.views.offline import open_in_chromium, save_offline_html

    rng = np.random.default_rng(1)
    path = save_offline_html(
        point_map(rng.uniform(35, 56, 2000), rng.uniform(37, 53, 2000)), tmp_path / "points.html"
    )
    report = open_in_chromium(path, evaluate="document.querySelectorAll('.marker-cluster').length")
    assert report["value"] > 0  # Leaflet.markercluster ran from the inlined copy
    assert [u for u in report["requests"] if not u.startswith(("file:", "data:"))] == []


HOSTILE = (
    '${window.__pwned = 1} C:\\users\\x `tick` <img src=x onerror="window.__pwned=2">'
    " </script><script>window.__pwned=3</script>"
)
POPUPS = """(() => {
    const texts = [];
    for (const k of Object.keys(window)) {
        const v = window[k];
        if (v instanceof L.Layer && v.getPopup && v.getPopup()) {
            const c = v.getPopup().getContent();
            texts.push(typeof c === 'string' ? c : c.textContent);
        }
    }
    return {pwned: typeof window.__pwned,
            paths: document.querySelectorAll('path.leaflet-interactive').length, texts};
})()"""


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium binary")
def test_hostile_source_text_stays_text_in_the_map(case_copy, tmp_path):
    # folium puts popups and tooltips inside JavaScript template strings (`...`):
    # unescaped, "${...}" in a claim would run as code and "\u" in "C:\users"
    # would be a syntax error that stops the whole map from drawing
    pytest.importorskip("websocket")
    import csv

    import osint_kit
    from osint_kit.views.maps import route_map
    from osint_kit.views.offline import open_in_chromium, save_offline_html

    claims = case_copy / "claims.csv"
    rows = list(csv.DictReader(claims.open(encoding="utf-8")))
    c12 = next(r for r in rows if r["claim_id"] == "C12")  # a claim placed at P02
    c12["text"] = HOSTILE
    with claims.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    case = osint_kit.load_case(case_copy)
    assert case.claims.set_index("claim_id").at["C12", "text"] == HOSTILE
    path = save_offline_html(route_map(case), tmp_path / "route_map_hostile.html")
    report = open_in_chromium(path, evaluate=POPUPS)
    assert report["errors"] == []  # no script error: the page ran to the end
    got = report["value"]
    assert got["pwned"] == "undefined"  # nothing in the text ran
    assert got["paths"] >= 10  # the map drew, as in the clean case
    # the text arrives as written, shown as characters in the popup of P02
    assert any(HOSTILE in t for t in got["texts"])


# Every HTML file the kit writes (save_offline_html of route_map and of
# point_map, clustered or not, and the notebook_display iframe page), with
# script, event-handler, javascript: and template payloads in every text field.
# Each payload that ran would set window.__pwned or open a dialog.
PAYLOADS = (
    '<img src=x onerror="window.__pwned=1"> ${window.__pwned=2} '
    "`+(window.__pwned=3)+` </script><script>window.__pwned=4;alert(4)</script> "
    'javascript:window.__pwned=5 "\'><svg onload="window.__pwned=6"> '
    "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} {# c #} {{ C:\\users\\x"
)
DOM = """(() => {
    const texts = [];
    const read = (c) => typeof c === 'string' ? (() => { const d = document.createElement('div');
        d.innerHTML = c; return d.textContent; })() : c.textContent;
    const visit = (v) => {
        if (v.getPopup && v.getPopup()) {
            v.openPopup && v.openPopup();  // draws the popup into the DOM
            texts.push(read(v.getPopup().getContent()));
        }
        if (v.getTooltip && v.getTooltip()) texts.push(read(v.getTooltip().getContent()));
    };
    for (const k of Object.keys(window)) {
        const v = window[k];
        if (!(v instanceof L.Layer)) continue;
        visit(v);
        if (v.getLayers) v.getLayers().forEach(visit);
    }
    const panes = Array.from(document.querySelectorAll('.leaflet-popup-content, .leaflet-tooltip'))
        .map(e => e.textContent);
    return {pwned: typeof window.__pwned, texts, panes,
            scripts: document.querySelectorAll('script').length,
            imgs: document.querySelectorAll('img[src="x"], svg[onload]').length};
})()"""


def _no_network(report):
    return [
        u for u in report["requests"] if not u.startswith(("file:", "data:", "blob:", "about:"))
    ]


def _hostile_case(case):
    import copy

    from osint_kit.analysis.legs import case_legs

    t = PAYLOADS
    c = copy.copy(case)
    places, claims, events = case.places.copy(), case.claims.copy(), case.events.copy()
    assertions, sources = case.assertions.copy(), case.sources.copy()
    p02 = places["place_id"] == "P02"
    places.loc[p02, ["name", "coord_origin", "source_url", "alt_names"]] = [
        f"name {t}",
        f"origin {t}",
        f"url {t}",
        f"alt {t}",
    ]
    pid = f"pid {t}"
    places.loc[p02, "place_id"] = pid
    claims.loc[claims["place_id"] == "P02", "place_id"] = pid
    c12 = claims["claim_id"] == "C12"
    claims.loc[c12, ["text", "date"]] = [f"text {t}", f"date {t}"]
    claims.loc[c12, "claim_id"] = assertions.loc[assertions["claim_id"] == "C12", "claim_id"] = (
        f"cid {t}"
    )
    assertions.loc[assertions["claim_id"] == f"cid {t}", "stance"] = f"stance {t}"
    sources.loc[sources["source_id"] == "reuters_orig", "reliability"] = f"grade {t}"
    first = events.index[events["place_id"].notna()][0]
    events.loc[first, ["event_id", "date", "title"]] = [f"eid {t}", f"edate {t}", f"title {t}"]
    legs = case_legs(case).legs
    t3 = legs["record_id"] == "T3"
    legs.loc[t3, ["record_id", "record_kind", "origin", "destination", "source_id"]] = [
        f"rid {t}",
        f"kind {t}",
        f"from {t}",
        f"to {t}",
        f"src {t}",
    ]
    legs["origin_name"], legs["destination_name"] = f"oname {t}", f"dname {t}"
    c.places, c.claims, c.events, c.assertions, c.sources = (
        places,
        claims,
        events,
        assertions,
        sources,
    )
    return c, legs


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium binary")
def test_every_html_the_kit_writes_keeps_hostile_text_as_text(case, tmp_path):
    pytest.importorskip("websocket")
    import numpy as np
    import pandas as pd

    from osint_kit.views.maps import point_map, route_map
    from osint_kit.views.offline import notebook_display, open_in_chromium, save_offline_html

    hostile, legs = _hostile_case(case)
    fields = [
        "name",
        "pid",
        "origin",
        "url",
        "text",
        "date",
        "cid",
        "stance",
        "grade",
        "eid",
        "edate",
        "title",
        "rid",
        "kind",
        "from",
        "to",
        "src",
        "oname",
        "dname",
    ]
    texts = pd.Series([f"{k} {PAYLOADS}" for k in ("p0", "p1", "p2")], dtype="string")
    pages = {
        "route": (
            save_offline_html(route_map(hostile, legs=legs), tmp_path / "route.html"),
            [f"{k} {PAYLOADS}" for k in fields],
        ),
        "points": (
            save_offline_html(
                point_map(np.array([40.0, 41, 42]), np.array([50.0, 51, 52]), popup=texts),
                tmp_path / "points.html",
            ),
            list(texts),
        ),
        "points_flat": (
            save_offline_html(
                point_map([40.0, 41, 42], [50.0, 51, 52], cluster=False, popup=texts),
                tmp_path / "points_flat.html",
            ),
            list(texts),
        ),
    }
    for name, (path, expected) in pages.items():
        report = open_in_chromium(path, evaluate=DOM)
        got = report["value"]
        assert report["errors"] == [], name  # the page ran to the end
        assert report["dialogs"] == [], name  # no alert()
        assert got["pwned"] == "undefined", name  # no payload ran
        assert got["imgs"] == 0, name  # no element made from the text
        assert _no_network(report) == [], name
        joined = "\n".join(got["texts"])
        for text in expected:  # every field, as written, in a popup or tooltip
            assert text in joined, (name, text)
        if name != "points":  # (clustered markers are not on the map until zoomed in)
            assert any(PAYLOADS in p for p in got["panes"]), name  # drawn into the DOM
    # the notebook's iframe page (srcdoc, sandboxed): nothing runs, nothing loads
    frame = tmp_path / "notebook.html"
    frame.write_text(notebook_display(route_map(hostile, legs=legs)).data, encoding="utf-8")
    report = open_in_chromium(frame, evaluate="typeof window.__pwned", settle_seconds=2.0)
    assert report["value"] == "undefined" and report["dialogs"] == []
    assert _no_network(report) == []


# ---------------------------------------------------------------- the report's index.html (issue 15)

REPORT_DOM = """(() => ({
    pwned: typeof window.__pwned,
    scripts: document.querySelectorAll('script').length,
    hostile: document.querySelectorAll('img[src="x"], svg[onload]').length,
    figures: Array.from(document.querySelectorAll('figure img')).map(i => ({
        src: i.getAttribute('src'), alt: i.alt, ok: i.complete && i.naturalWidth > 100})),
    text: document.body.textContent,
}))()"""


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium binary")
def test_report_index_shows_every_figure_and_runs_nothing(tmp_path):
    # a report of a synthetic case whose sources, claims and events carry script, markup
    # and template payloads, opened in Chromium with the network cut
    pytest.importorskip("websocket")
    import csv

    from test_report import write_other_story

    from osint_kit.report.build import FIGURE_NAMES, build_report
    from osint_kit.views.offline import open_in_chromium

    case = write_other_story(tmp_path / "cases" / "hostile-synthetic")
    for name, column in (("sources.csv", "title"), ("claims.csv", "text"), ("events.csv", "title")):
        with open(case / name, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for r in rows:
            r[column] = f"{r[column]} {PAYLOADS}"
        with open(case / name, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    report = build_report(case, tmp_path / "report", formats=("png",))
    result = open_in_chromium(report.index, evaluate=REPORT_DOM, settle_seconds=1.5)
    got = result["value"]
    assert result["errors"] == [] and result["dialogs"] == []
    assert got["pwned"] == "undefined" and got["scripts"] == 0 and got["hostile"] == 0
    assert _no_network(result) == []
    # every figure shows (loaded, decoded, not a broken-image box), each with its alt text
    assert [f["src"] for f in got["figures"]] == [f"figures/{n}.png" for n in FIGURE_NAMES]
    assert all(f["ok"] and len(f["alt"]) > 40 for f in got["figures"]), got["figures"]
    # the payloads are shown as the text they are
    assert got["text"].count(PAYLOADS) >= 3
