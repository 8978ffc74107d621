"""Tests for osint_kit.views.maps (folium + matplotlib) and osint_kit.views.offline (self-contained HTML)."""

from __future__ import annotations

import copy
import re

import matplotlib
import pytest

from osint_kit.errors import OfflineError
from osint_kit.views import maps, offline

matplotlib.use("Agg")


def test_inferred_leg_tehran_to_p02(case):
    inf = maps.inferred_legs(case)
    assert len(inf) == 1
    r = inf.iloc[0]
    # C12 (Sept 2024) and C13 place experts at P02; the latest leg by then (T2/T3,
    # 17 Sept) ends in Tehran (P11) -> an inferred leg no record shows
    assert (r["from_place_id"], r["to_place_id"]) == ("P11", "P02")
    assert r["basis"] == "C12, C13" and r["after_records"] == "T2, T3"
    # geodesic P11 (35.6892, 51.3890) -> P02 (36.853881, 53.202804)
    assert r["distance_km"] == pytest.approx(207.992, abs=0.001)


def test_route_layers(case):
    data = maps.route_layers(case)
    assert data["counts"] == {"legs": 3, "routes": 1, "inferred": 1, "places": 5}
    route = data["routes"][0]
    assert route["points"][0] == (55.7558, 37.6173) and route["points"][-1] == (35.6892, 51.389)
    assert len(route["points"]) == 66  # endpoints + 64 geodesic points (Geod.npts)
    assert route["records"][2] == "manifest T3 (2024-09-17, reuters_orig)"
    places = data["places"].set_index("place_id")
    assert set(places.index[places["role"] == "claim"]) == {"P01", "P02", "P08", "P10", "P11"}
    assert places.loc["P03", "role"] == "context"  # SVO: no record names it
    assert (
        "C12" in places.loc["P02", "popup"]
        and "reuters_orig (B) supports" in places.loc["P02", "popup"]
    )


def test_route_map_structure(case):
    import folium

    m = maps.route_map(case)
    assert isinstance(m, folium.Map)
    names = [c.layer_name for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert names == ["Context (basemap, airports)", "Flights (records)", "Claims &amp; events"]
    html = m.get_root().render()
    assert "osint-kit-legend" in html and "N=3 travel records" in html
    assert html.count('"dashArray": "8 6"') == 1  # the inferred leg only
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
    assert ax.get_title() == "Route the records support (N=3 travel records, 1 inferred leg)"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "flight shown by records (booking / manifest)",
        "inferred: no record shows it",
        "place in claims / events / records",
        "context: place no record or claim names",
        "uncertainty radius",
    ]
    dashed = [
        ln
        for ln in ax.lines
        if ln.get_linestyle() not in ("-", "None") and ln.get_color() == maps.COLORS["inferred"]
    ]
    assert len(dashed) == 1
    _fig, ax2 = plt.subplots()
    assert maps.plot_route(case, ax=ax2) is ax2
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
    # the name, inert, in the P02 popup (bold), its marker tooltip and the popup
    # of the inferred leg Tehran -> P02
    assert text.count("Site &#123;&#123; 7*7 &#125;&#125;") == 3
    assert _html.unescape("Site &#123;&#123; 7*7 &#125;&#125;") == "Site {{ 7*7 }}"


def test_invalid_jinja_in_a_source_does_not_stop_the_map(case):
    # an unbalanced "{{" raised jinja2.TemplateSyntaxError from route_map
    text = offline.offline_html(maps.route_map(_with_place_name(case, "Site {{ x"), basemap=False))
    assert text.count("Site &#123;&#123; x") == 3  # as above: popup, tooltip, inferred leg


def test_record_id_from_an_export_is_not_evaluated(case):
    # issue 9: a record id "{{ 7*7 }}" in a booking export drawn with
    # route_map(case, legs=...) showed as 49
    import html as _html

    from osint_kit.analysis.legs import case_legs

    legs = case_legs(case).legs
    legs.loc[legs["record_id"] == "T3", "record_id"] = "{{ 7*7 }}"
    text = maps.route_map(case, legs=legs, basemap=False).get_root().render()
    assert "manifest 49" not in _html.unescape(text) and "record 49" not in _html.unescape(text)
    # the route popup ("manifest {{ 7*7 }} (2024-09-17, reuters_orig)") and the
    # popups of both ends of T3 (P10 Moscow airport, P11 Tehran airport), and the
    # inferred leg Tehran -> P02 ("after T2, {{ 7*7 }}": it follows T2/T3)
    assert text.count("&#123;&#123; 7*7 &#125;&#125;") == 4


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
