"""Tests for osint_kit.views.maps (folium + matplotlib) and osint_kit.views.offline (self-contained HTML)."""

from __future__ import annotations

import copy
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

from osint_kit.errors import OfflineError
from osint_kit.views import maps, offline

matplotlib.use("Agg")


def test_no_leg_is_made_up_from_a_dated_claim_with_a_place(case):
    # issue 11: C12/C13 (the Western official's account, Sept 2024, at P02) made
    # a dashed Tehran -> P02 leg of the seven's journey, which is exactly the
    # link Reuters said it could not establish (C14); no claim of the bundled
    # case names the travellers, so no leg is inferred
    inf = maps.inferred_legs(case)
    assert len(inf) == 0
    assert list(inf.columns) == [
        "from_place_id",
        "from_name",
        "from_lat",
        "from_lon",
        "to_place_id",
        "to_name",
        "to_lat",
        "to_lon",
        "basis",
        "after_records",
        "distance_km",
    ]


def _with_travel_link(case, claim_id, value):
    linked = copy.copy(case)
    claims = case.claims.copy()
    claims[maps.TRAVEL_LINK_COLUMN] = pd.Series(pd.NA, index=claims.index, dtype="string")
    claims.loc[claims["claim_id"] == claim_id, maps.TRAVEL_LINK_COLUMN] = value
    linked.claims = claims
    return linked


def test_a_claim_that_names_the_travellers_gives_an_inferred_leg(case):
    # a case says "these travellers were there" with claims.travel_records;
    # C12 (September 2024, P02) linked to the manifest T3 (17 Sept, Moscow ->
    # Tehran): the leg starts where T3 ends
    inf = maps.inferred_legs(_with_travel_link(case, "C12", "T3"))
    assert len(inf) == 1
    r = inf.iloc[0]
    assert (r["from_place_id"], r["to_place_id"]) == ("P11", "P02")
    assert r["basis"] == "C12" and r["after_records"] == "T3"
    # geodesic P11 (35.6892, 51.3890) -> P02 (36.853881, 53.202804)
    assert r["distance_km"] == pytest.approx(207.992, abs=0.001)
    # linked to the April booking only: the leg follows T1 (24 April), before Sept 2024
    assert maps.inferred_legs(_with_travel_link(case, "C12", "T1")).iloc[0]["after_records"] == "T1"


def test_a_travel_link_to_an_unknown_record_is_a_case_error(case):
    from osint_kit.errors import CaseFileError

    with pytest.raises(CaseFileError, match=r"claims.csv row 13, column travel_records: 'T3; T9'"):
        maps.inferred_legs(_with_travel_link(case, "C12", "T3; T9"))


def test_search_area_of_p02_is_an_annular_sector(case):
    # P02 = 15 km W of the port P01: the case's +-20 % and +-45 deg (a 4-point
    # compass word) -> 12-18 km, bearings 225-315 deg from P01's point; not a
    # circle round P02 that holds the port itself
    from osint_kit.analysis.places import geodesic_inverse

    areas = maps.search_areas(case)
    assert len(areas) == 1
    a = areas.iloc[0]
    assert (a["place_id"], a["relative_to"], a["kind"]) == ("P02", "P01", "sector")
    assert (a["inner_km"], a["outer_km"]) == pytest.approx((12.0, 18.0))
    assert (a["bearing_from_deg"], a["bearing_to_deg"]) == pytest.approx((225.0, 315.0))
    az, _, km = geodesic_inverse(
        np.full(len(a["lat"]), 36.854),
        np.full(len(a["lat"]), 53.371),
        np.asarray(a["lat"]),
        np.asarray(a["lon"]),
    )
    assert km.min() == pytest.approx(12.0, abs=1e-6) and km.max() == pytest.approx(18.0, abs=1e-6)
    assert np.mod(az, 360).min() == pytest.approx(225.0, abs=1e-6)
    assert np.mod(az, 360).max() == pytest.approx(315.0, abs=1e-6)


def test_route_layers(case):
    data = maps.route_layers(case)
    assert data["counts"] == {
        "legs": 3,
        "routes": 1,
        "trips": 2,  # 24 April (T1) and 17 September (T2 + T3)
        "trips_boarding": 1,
        "trips_flight": 0,
        "trips_intent": 1,
        "trips_other": 0,
        "inferred": 0,
        "areas": 1,
        "places": 5,
    }
    route = data["routes"][0]
    assert route["points"][0] == (55.7558, 37.6173) and route["points"][-1] == (35.6892, 51.389)
    assert len(route["points"]) == 66  # endpoints + 64 geodesic points (Geod.npts)
    assert route["records"][2] == "manifest T3 (2024-09-17, reuters_orig)"
    # a booking is intent, a manifest boarding: one trip each
    trips = [(t["date"], t["record_ids"], t["evidence"]) for t in route["trips"]]
    assert trips == [("2024-04-24", ["T1"], "intent"), ("2024-09-17", ["T2", "T3"], "boarding")]
    for t in route["trips"]:  # both trips end on the places themselves
        assert t["points"][0] == pytest.approx(route["points"][0])
        assert t["points"][-1] == pytest.approx(route["points"][-1])
    places = data["places"].set_index("place_id")
    assert set(places.index[places["role"] == "claim"]) == {"P01", "P02", "P08", "P10", "P11"}
    assert set(places.index[places["by_records"]]) == {"P10", "P11"}  # Moscow, Tehran
    assert places.loc["P03", "role"] == "context"  # SVO: no record names it
    popup = places.loc["P02", "popup"]
    assert "C12" in popup and "reuters_orig (B) supports" in popup
    assert (
        "search area: 12\u201318 km, 225\u00b0\u2013315\u00b0 from P01 (distance &plusmn;20 %, "
        "bearing &plusmn;45&deg;, measured from the point of P01)"
    ) in popup
    assert "not a leg of any trip" in popup
    assert "radius 18 km" in popup  # 17.93 km, rounded for people


def test_route_map_structure(case):
    import folium

    m = maps.route_map(case)
    assert isinstance(m, folium.Map)
    names = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert names == ["Context (basemap, airports)", "Flights (records)", "Claims &amp; events"]
    html = m.get_root().render()
    assert "osint-kit-legend" in html and "N=3 travel records, 2 trips" in html
    # the booking-only trip (T1) dotted, the trip with a manifest solid; no inferred leg
    assert html.count('"dashArray": "1 6"') == 1
    assert html.count('"dashArray": "8 6"') == 0
    assert "trip with a booking only (intent: no record shows boarding) (1)" in html
    assert "trip with a manifest (boarding) (1)" in html
    assert "flight shown by records" not in html
    # P02's search area: one polygon of 2 x 33 arc points + the closing vertex
    polygons = re.findall(r"L\.polygon\(\s*(\[\[.*?\]\])", html, flags=re.S)
    assert len(polygons) == 1 and polygons[0].count("[") - 1 == 67
    m2 = folium.Map()
    assert maps.route_map(case, m=m2) is m2  # draws on the map it is given


def test_popups_escape_hostile_text(case):
    hostile = copy.copy(case)
    claims = case.claims.copy()
    claims.loc[claims["claim_id"] == "C12", "text"] = (
        '<script>alert("x")</script><img src=x onerror=1>'
    )
    hostile.claims = claims
    html = maps.route_map(hostile).get_root().render()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_offline_html_is_self_contained(case, tmp_path):
    assert offline.verify_assets() == {
        "leaflet.js": True,
        "leaflet.css": True,
        "jquery.min.js": True,
    }
    path = offline.save_offline_html(maps.route_map(case), tmp_path / "route.html")
    html = path.read_text(encoding="utf-8")
    assert offline.external_urls(html) == []
    assert "Leaflet 1.9.3" in html and "jQuery v3.7.1" in html
    assert "cdn.jsdelivr.net" not in html and "bootstrap" not in html.lower()
    assert "L.Icon.Default.mergeOptions" in html and "data:image/png;base64," in html
    assert "Made with Natural Earth" in html


def test_offline_refuses_network_dependencies(case):
    import folium

    m = folium.Map(tiles="OpenStreetMap")
    with pytest.raises(OfflineError, match="web tiles"):
        offline.offline_html(m)
    assert "tile.openstreetmap.org" in offline.offline_html(m, allow_tiles=True)
    m2 = folium.Map(tiles=None)
    folium.Marker([0, 0], icon=folium.Icon(icon="info-sign")).add_to(m2)
    with pytest.raises(OfflineError, match="awesome-markers"):
        offline.offline_html(m2)


def test_point_map_clusters_offline():
    import numpy as np

    rng = np.random.default_rng(0)
    m = maps.point_map(rng.uniform(30, 60, 500), rng.uniform(30, 60, 500))
    html = offline.offline_html(m)
    assert offline.external_urls(html) == []
    assert "L.MarkerClusterGroup" in html and "markerClusterGroup" in html


def test_plot_route_static_twin(case):
    import matplotlib.pyplot as plt

    ax = maps.plot_route(case)
    assert ax.get_title() == (
        "Route the records support (N=3 travel records, 2 trips: 1 with a manifest, 1 booking only)"
    )
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "trip with a manifest (boarding)",
        "trip with a booking only (intent: no record shows boarding)",
        "place a travel record names",
        "place only claims or events name (no record takes anyone there)",
        "context: place no record or claim names",
        "uncertainty radius",
        "search area of a place given relative to another",
    ]
    trips = [ln for ln in ax.lines if ln.get_color() in ("#b2182b", "#d6604d")]
    styles = sorted((ln.get_color(), ln.get_linestyle()) for ln in trips)
    # the manifest's trip solid; the booking-only trip in a dash pattern (matplotlib
    # reports any custom pattern as "--"), its pattern being dots: 1-pt on, 1.6 off
    assert styles == [("#b2182b", "-"), ("#d6604d", "--")]
    assert maps.EVIDENCE_STYLES["intent"]["ls"] == (0, (1, 1.6))
    texts = [t.get_text() for t in ax.texts]
    route = next(t for t in texts if t.startswith("Moscow"))
    assert route == (
        "Moscow \u2192 Tehran: 2,464 km\n"
        "2024-04-24: booking T1 (reuters_orig) \u2013 booking only (intent)\n"
        "2024-09-17: booking T2 + manifest T3 (reuters_orig) \u2013 manifest (boarding)"
    )
    assert not any(t.startswith("inferred") for t in texts)
    (inset,) = ax.child_axes
    assert (
        inset.get_title()
        == "inset: search area (P02: 12\u201318 km, 225\u00b0\u2013315\u00b0 from P01)"
    )
    _fig, ax2 = plt.subplots()
    assert maps.plot_route(case, ax=ax2) is ax2
    plt.close("all")


def _tiny_case(tmp_path, *, relative=False):
    """Three places: P1 far north-east, P2 and P3 a quarter degree apart in the
    lower left (where a lower-left legend sat), a booking P1 -> P2 and an
    undated claim at P3."""
    from osint_kit import load_case

    d = tmp_path / "tiny"
    d.mkdir()
    (d / "case.toml").write_text('slug = "tiny"\ntitle = "Three places"\nquestion = "?"\n')
    files = {
        "sources.csv": "source_id,title,publisher,url,published,kind,derived_from,reliability\n"
        "s1,Report,Outlet,https://example.org/r,2024-05-01,primary_reporting,,B\n",
        "claims.csv": "claim_id,text,date,place_id\nc1,A site by the harbour,,P3\n",
        "assertions.csv": "source_id,claim_id,stance\ns1,c1,supports\n",
        "events.csv": "event_id,date,title,category,place_id\n",
        "travel.csv": "record_id,record_kind,origin,destination,departure,source_id\n"
        "T1,booking,Alpha,Bravo,2024-04-01,s1\n",
    }
    if relative:
        files["places.csv"] = (
            "place_id,name,alt_names,lat,lon,precision,relative_to,distance_km,bearing\n"
            "P1,Alpha,,56.0,50.0,exact,,,\nP2,Bravo,,44.0,30.0,exact,,,\n"
            "P3,Charlie,,,,inferred,P2,20,E\n"
        )
    else:
        files["places.csv"] = (
            "place_id,name,alt_names,lat,lon,precision\n"
            "P1,Alpha,,56.0,50.0,exact\nP2,Bravo,,44.0,30.0,exact\nP3,Charlie,,44.0,30.25,exact\n"
        )
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return load_case(d)


def _extents(ax):
    renderer = ax.figure.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_text().startswith(("P1 ", "P2 ", "P3 ", "Alpha"))]
    return renderer, {t.get_text(): t.get_window_extent(renderer) for t in texts}


@pytest.mark.parametrize("relative", [False, True])
def test_labels_legend_and_inset_do_not_cover_each_other_on_a_tiny_case(tmp_path, relative):
    # issue 15: on a three-place case "P2 Bravo" ran into P3's marker and label
    # ("PP3"), and the lower-left legend covered the destination P2
    import matplotlib.pyplot as plt

    case = _tiny_case(tmp_path, relative=relative)
    ax = maps.plot_route(case, inset=relative)
    fig = ax.figure
    fig.canvas.draw()
    renderer, boxes = _extents(ax)
    names = sorted(boxes)
    for i, a in enumerate(names):  # no two labels intersect
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), (a, b)
    places = case.places.set_index("place_id")
    xy = ax.transData.transform(places[["lon", "lat"]].to_numpy(float))
    marker = dict(zip(places.index, xy))
    r = 3.4 * fig.dpi / 72  # half the 46 pt^2 marker
    for text, bb in boxes.items():  # no label covers a marker (its own or another's)
        for pid, (x, y) in marker.items():
            if relative and pid == "P3":
                continue  # drawn in the inset
            assert not (bb.x0 - r < x < bb.x1 + r and bb.y0 - r < y < bb.y1 + r), (text, pid)
    legend = ax.get_legend().get_window_extent(renderer)
    for pid, (x, y) in marker.items():  # the legend covers no place
        assert not (legend.x0 < x < legend.x1 and legend.y0 < y < legend.y1), pid
    expected = {
        "P1 Alpha",
        "P2 Bravo",
        "Alpha \u2192 Bravo: 1,946 km\n2024-04-01: booking T1 (s1) \u2013 booking only (intent)",
    }
    if relative:  # P2 and P3 (20 km E of P2, with its search area) are labelled in the inset
        expected.remove("P2 Bravo")
    else:
        expected.add("P3 Charlie")
    assert set(boxes) == expected
    if relative:
        (inset,) = ax.child_axes
        box = inset.get_window_extent(renderer)
        for pid in ("P1", "P2"):  # the inset covers neither P1 nor P2
            x, y = marker[pid]
            assert not (box.x0 < x < box.x1 and box.y0 < y < box.y1), pid
        for text, bb in boxes.items():
            assert not box.overlaps(bb), text
        _, inner = _extents(inset)
        assert set(inner) == {"P2 Bravo", "P3 Charlie"}
        assert not inner["P2 Bravo"].overlaps(inner["P3 Charlie"])
    plt.close("all")


def test_notebook_display_inlines_everything(case):
    import html as _html

    shown = offline.notebook_display(maps.route_map(case), height=400)
    assert shown.data.startswith('<iframe srcdoc="') and "height: 400px" in shown.data
    inner = _html.unescape(shown.data.split('srcdoc="', 1)[1].split('" style=', 1)[0])
    assert offline.external_urls(inner) == [] and "Leaflet 1.9.3" in inner


def test_popup_text_is_inert_in_html_and_in_folium_template_strings():
    from osint_kit.views.htmltext import inert

    # html.escape for <, >, &, quotes; the three characters that mean something
    # inside a JavaScript template literal ($ ` \); and the four that can open
    # or sit in a Jinja2 tag ({ } % #) become character references
    assert inert("a${b}`c\\d<e>&'\"%#") == (
        "a&#36;&#123;b&#125;&#96;c&#92;d&lt;e&gt;&amp;&#x27;&quot;&#37;&#35;"
    )
    # line breaks survive folium's "\n" -> " " and Jinja2's "\r" -> "\n"; NUL and a
    # lone surrogate (which a page cannot carry) are shown as U+FFFD, not dropped
    assert inert("a\nb\rc\x00d\ud800") == "a&#10;b&#13;c&#65533;d&#65533;"


def _with_place_name(case, name):
    hostile = copy.copy(case)
    places = case.places.copy()
    places.loc[places["place_id"] == "P02", "name"] = name
    hostile.places = places
    return hostile


def test_place_name_is_not_a_jinja_template(case):
    # issue 9: folium compiles popup/tooltip output as a Jinja2 template, so a
    # place named "Site {{ 7*7 }}" showed as "Site 49"
    import html as _html

    text = (
        maps.route_map(_with_place_name(case, "Site {{ 7*7 }}"), basemap=False).get_root().render()
    )
    assert "Site 49" not in _html.unescape(text)
    # the name, inert, in the P02 popup (bold) and its marker tooltip (no
    # inferred leg reaches P02 any more)
    assert text.count("Site &#123;&#123; 7*7 &#125;&#125;") == 2
    assert _html.unescape("Site &#123;&#123; 7*7 &#125;&#125;") == "Site {{ 7*7 }}"


def test_invalid_jinja_in_a_source_does_not_stop_the_map(case):
    # an unbalanced "{{" raised jinja2.TemplateSyntaxError from route_map
    text = offline.offline_html(maps.route_map(_with_place_name(case, "Site {{ x"), basemap=False))
    assert text.count("Site &#123;&#123; x") == 2  # as above: popup, tooltip


def test_record_id_from_an_export_is_not_evaluated(case):
    # issue 9: a record id "{{ 7*7 }}" in a booking export drawn with
    # route_map(case, legs=...) showed as 49
    import html as _html

    from osint_kit.analysis.legs import case_legs

    legs = case_legs(case).legs
    legs.loc[legs["record_id"] == "T3", "record_id"] = "{{ 7*7 }}"
    text = maps.route_map(case, legs=legs, basemap=False).get_root().render()
    assert "manifest 49" not in _html.unescape(text) and "record 49" not in _html.unescape(text)
    # the popup of T3's trip ("manifest {{ 7*7 }} (reuters_orig)") and the popups
    # of both ends of T3 (P10 Moscow, P11 Tehran)
    assert text.count("&#123;&#123; 7*7 &#125;&#125;") == 3


def test_popup_helpers_refuse_raw_text():
    from osint_kit.views.htmltext import InertHTML, kit_markup, popup, tooltip

    with pytest.raises(TypeError, match="InertHTML"):
        popup("<b>raw</b>")
    with pytest.raises(TypeError, match="InertHTML"):
        tooltip("raw")
    # whoever wrote it, a brace cannot reach folium's templates
    with pytest.raises(ValueError, match="'\\{'"):
        popup(InertHTML("{{ 7*7 }}"))
    with pytest.raises(ValueError, match="must not be in a page element"):
        kit_markup("<div>{{ 7*7 }}</div>")
    assert InertHTML.build("<b>{a}</b> {n:,.0f} km", a="<{x}>", n=1234.4) == (
        "<b>&lt;&#123;x&#125;&gt;</b> 1,234 km"
    )


@pytest.mark.parametrize(
    "view, message",
    [
        ({"center": [36, 52], "zoom": "{{ 7*7 }}"}, "zoom = '{{ 7*7 }}' is not a number"),
        ({"center": ["{{ 7*7 }}", 52], "zoom": 4}, "is not [latitude, longitude]"),
        ({"center": [95, 400]}, "center = [95, 400] is not [latitude, longitude]"),
        ("{{ 7*7 }}", "must be a table"),
    ],
)
def test_map_view_from_case_toml_reaches_folium_only_as_numbers(case, view, message):
    # folium writes the map options into a script it compiles again as Jinja2:
    # zoom = "{{ 7*7 }}" in case.toml became "zoom": "49" on the map
    from osint_kit.errors import CaseFileError

    hostile = copy.copy(case)
    hostile.meta = dict(case.meta, map=view)
    with pytest.raises(CaseFileError, match=re.escape(message)):
        maps.route_map(hostile, basemap=False)


def test_map_view_numbers_are_drawn_as_given(case):
    hostile = copy.copy(case)
    hostile.meta = dict(case.meta, map={"center": [36, 52], "zoom": 6})
    page = maps.route_map(hostile, basemap=False).get_root().render()
    assert '"zoom": 6' in page and "[36.0, 52.0]" in page  # folium writes the centre as floats
