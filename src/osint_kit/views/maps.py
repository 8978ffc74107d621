"""Route maps: what the travel records show, what is only inferred.

:func:`route_map` draws a case on a folium map; :func:`plot_route` draws the
same thing with matplotlib for PNG/PDF reports.  Both use one vocabulary:

* **flights (records)** -- a solid geodesic arc (great-circle points from
  :meth:`pyproj.Geod.npts`) for each distinct route in the legs table; its
  popup lists the records (kind, date, source) behind it;
* **inferred** -- a dashed arc labelled "inferred" for a movement no record
  shows (:func:`inferred_legs`: in the bundled case, Tehran -> the search
  centre about 15 km west of Amirabad);
* **claims** -- a circle marker for each place that claims, events or legs
  refer to, whose popup lists the claims (with the sources asserting them,
  their stance and Admiralty grade), events and records about that place;
  every text from a source, an export or the case is made inert for HTML,
  folium's JavaScript template strings and its Jinja2 templates
  (:func:`osint_kit.views.htmltext.inert`; popups and tooltips are built only by
  :func:`osint_kit.views.htmltext.popup` / :func:`~osint_kit.views.htmltext.tooltip`);
* **uncertainty** -- a circle of the place's ``radius_km`` for every place
  that is not an exact point (P02: 17.9 km; cities: 15 km);
* **context** -- the Natural Earth country layer (offline basemap, no tiles
  by default) and airports that no record names (grey).

Functions that draw take ``m=`` / ``ax=`` and return it; they never save.
Use :func:`osint_kit.views.offline.save_offline_html` to write a map that works
with no network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from osint_kit.analysis.legs import case_legs
from osint_kit.analysis.places import destination_point, geod, geodesic_km
from osint_kit.datafiles import data_path
from osint_kit.errors import CaseFileError, OsintKitError
from osint_kit.views.htmltext import InertHTML, inert, kit_markup, popup, tooltip
from osint_kit.views.htmltext import popup as make_popup
from osint_kit.views.plain import plain_text

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from osint_kit.readers.bundle import Case

__all__ = [
    "COLORS",
    "inferred_legs",
    "route_layers",
    "route_map",
    "plot_route",
    "point_map",
    "load_basemap",
]

#: One palette for the HTML map and the PNG (colour-blind safe ColorBrewer RdBu ends).
COLORS = {
    "flight": "#b2182b",  # evidenced route (records)
    "inferred": "#b2182b",  # same route colour, dashed
    "claim": "#2166ac",  # places with claims/events
    "context": "#7f7f7f",  # airports no record names
    "uncertainty": "#2166ac",
    "land": "#f2efe9",
    "border": "#b9b4aa",
    "sea": "#dfe9f2",
}
BASEMAP_CREDIT = "Basemap: Made with Natural Earth (public domain)"


@lru_cache(maxsize=1)
def load_basemap() -> dict:
    """The Natural Earth 1:110m countries GeoJSON shipped in data/basemap."""
    path = data_path("basemap", "naturalearth_110m_countries.geojson")
    return json.loads(path.read_text(encoding="utf-8"))


def _arc(lat1, lon1, lat2, lon2, n=64) -> list[tuple[float, float]]:

    mid = geod().npts(lon1, lat1, lon2, lat2, n)
    return [(lat1, lon1), *[(la, lo) for lo, la in mid], (lat2, lon2)]


def _circle(lat, lon, radius_km, n=72) -> tuple[np.ndarray, np.ndarray]:

    az = np.linspace(0, 360, n + 1)
    la, lo = destination_point(
        np.full(n + 1, lat), np.full(n + 1, lon), az, np.full(n + 1, radius_km)
    )
    return la, lo


def inferred_legs(case: Case, legs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Movements no record shows but the claims imply.

    Rule: for every place that dated claims refer to and that no leg starts
    or ends at, an inferred leg runs from the destination of the latest
    evidenced leg departing on or before the latest ``date_end`` of those
    claims.  (Bundled case: claims C12/C13 place Russian missile experts at
    P02 in September 2024; the latest leg by then is T2/T3, 17 September,
    to Tehran -> an inferred leg Tehran -> P02.)

    Returns columns from_place_id, from_name, from_lat, from_lon, to_place_id,
    to_name, to_lat, to_lon, basis (claim ids), after_records (record ids),
    distance_km.
    """

    legs = case_legs(case).legs if legs is None else legs
    cols = [
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
    ends = set(legs["origin_place_id"].dropna()) | set(legs["destination_place_id"].dropna())
    claims = case.claims
    claims = claims[claims["place_id"].notna() & ~claims["place_id"].isin(list(ends))]
    places = case.places.set_index("place_id")
    rows = []
    for pid, group in claims.groupby("place_id"):
        latest = group["date_end"].max()
        if pd.isna(latest) or pid not in places.index:
            continue
        before = legs[legs["departure_utc"] <= latest]
        if before.empty:
            continue
        last_day = before["departure_utc"].max()
        last = before[before["departure_utc"] == last_day]
        src = last.iloc[0]
        to = places.loc[pid]
        rows.append(
            {
                "from_place_id": src["destination_place_id"],
                "from_name": src["destination_name"],
                "from_lat": src["destination_lat"],
                "from_lon": src["destination_lon"],
                "to_place_id": pid,
                "to_name": to["name"],
                "to_lat": to["lat"],
                "to_lon": to["lon"],
                "basis": ", ".join(sorted(group["claim_id"])),
                "after_records": ", ".join(sorted(last["record_id"])),
            }
        )
    out = pd.DataFrame(rows, columns=cols[:-1])
    out["distance_km"] = geodesic_km(
        out["from_lat"].to_numpy(float),
        out["from_lon"].to_numpy(float),
        out["to_lat"].to_numpy(float),
        out["to_lon"].to_numpy(float),
    )
    return out


def route_layers(case: Case, legs: pd.DataFrame | None = None) -> dict:
    """Everything both drawings need, computed once.

    Returns a dict: ``routes`` (one row per distinct evidenced route: points,
    records text, kinds), ``inferred`` (:func:`inferred_legs`), ``places``
    (places to mark: lat, lon, radius_km, precision, role claim|context, and
    the popup HTML, escaped), ``counts``.
    """

    legs = case_legs(case).legs if legs is None else legs
    ok = legs.dropna(subset=["origin_lat", "origin_lon", "destination_lat", "destination_lon"])
    routes = []
    for (_o, _d), g in ok.groupby(["origin_place_id", "destination_place_id"], sort=True):
        r = g.iloc[0]
        recs = [
            f"{k} {i} ({t:%Y-%m-%d}, {s})" if pd.notna(t) else f"{k} {i} ({s})"
            for i, k, t, s in zip(
                g["record_id"],
                g["record_kind"],
                g["departure_local"],
                g["source_id"].fillna("no source"),
            )
        ]
        routes.append(
            {
                "origin": r["origin_name"],
                "destination": r["destination_name"],
                "points": _arc(
                    r["origin_lat"], r["origin_lon"], r["destination_lat"], r["destination_lon"]
                ),
                "distance_km": float(r["distance_km"]),
                "records": recs,
                "kinds": sorted(set(g["record_kind"].dropna())),
                "n": len(g),
                "precision": f"{r['origin_precision']} -> {r['destination_precision']}",
            }
        )
    inferred = inferred_legs(case, legs)
    inferred["points"] = [
        _arc(a, b, c, d, 16)
        for a, b, c, d in zip(
            inferred["from_lat"], inferred["from_lon"], inferred["to_lat"], inferred["to_lon"]
        )
    ]

    places = case.places.set_index("place_id")
    claims = case.claims
    events = case.events
    sources = case.sources.set_index("source_id")
    assertions = case.assertions
    used = (
        set(claims["place_id"].dropna())
        | set(events["place_id"].dropna())
        | set(legs["origin_place_id"].dropna())
        | set(legs["destination_place_id"].dropna())
        | set(inferred["to_place_id"])
        | set(inferred["from_place_id"])
    )
    build = InertHTML.build
    rows = []
    for pid, p in places.iterrows():
        if pd.isna(p["lat"]):
            continue
        role = "claim" if pid in used else "context"
        parts = [
            build("<b>{name}</b> ({pid})", name=str(p["name"]), pid=pid),
            build(
                "<br><i>precision {precision}, radius {radius:.1f} km, coordinates {origin}</i>",
                precision=str(p["precision"]),
                radius=p["radius_km"],
                origin=str(p["coord_origin"]),
            ),
        ]
        if "source_url" in p and pd.notna(p.get("source_url")):
            parts.append(build("<br>coordinates: {url}", url=str(p["source_url"])))
        for _, c in claims[claims["place_id"] == pid].iterrows():
            a = assertions[assertions["claim_id"] == c["claim_id"]]
            who = InertHTML("; ").join(
                build(
                    "{s} ({grade}) {stance}",
                    s=s,
                    grade=str(sources.at[s, "reliability"]) if s in sources.index else "?",
                    stance=str(st),
                )
                for s, st in zip(a["source_id"], a["stance"])
            )
            parts.append(
                build(
                    "<br><b>{cid}</b> {date}: {text}<br><small>sources: {who}</small>",
                    cid=c["claim_id"],
                    date=str(c["date"]) if pd.notna(c["date"]) else "undated",
                    text=str(c["text"]),
                    who=who or InertHTML("none"),
                )
            )
        for _, e in events[events["place_id"] == pid].iterrows():
            parts.append(
                build(
                    "<br><b>{eid}</b> {date}: {title}",
                    eid=e["event_id"],
                    date=str(e["date"]),
                    title=str(e["title"]),
                )
            )
        touching = legs[(legs["origin_place_id"] == pid) | (legs["destination_place_id"] == pid)]
        for _, lg in touching.iterrows():
            parts.append(
                build(
                    "<br>record {rid} ({kind}, {src}): {o} &rarr; {d}",
                    rid=str(lg["record_id"]),
                    kind=str(lg["record_kind"]),
                    src=str(lg["source_id"]),
                    o=str(lg["origin"]),
                    d=str(lg["destination"]),
                )
            )
        if role == "context":
            parts.append(
                InertHTML(
                    "<br>Not named in any record or claim read (shown for "
                    "context; no airport is guessed for a city)."
                )
            )
        rows.append(
            {
                "place_id": pid,
                "name": p["name"],
                "lat": p["lat"],
                "lon": p["lon"],
                "radius_km": p["radius_km"],
                "precision": p["precision"],
                "role": role,
                "popup": InertHTML("").join(parts),
            }
        )
    place_frame = pd.DataFrame(
        rows, columns=["place_id", "name", "lat", "lon", "radius_km", "precision", "role", "popup"]
    )
    counts = {
        "legs": len(legs),
        "routes": len(routes),
        "inferred": len(inferred),
        "places": int((place_frame["role"] == "claim").sum()) if len(place_frame) else 0,
    }
    return {
        "routes": routes,
        "inferred": inferred,
        "places": place_frame,
        "counts": counts,
        "legs": legs,
    }


def _legend_html(n_legs: int) -> str:
    """The legend: the kit's own markup, with one number in it (no source text)."""
    c = COLORS
    return f"""
<div id="osint-kit-legend" style="position: fixed; bottom: 44px; left: 12px; z-index: 9999;
 background: rgba(255,255,255,0.92); padding: 8px 10px; border: 1px solid #999; border-radius: 4px;
 font: 12px/1.5 'DejaVu Sans', Arial, sans-serif;">
<b>Route map</b> (N={int(n_legs)} travel records)<br>
<svg width="34" height="10"><line x1="0" y1="5" x2="34" y2="5" stroke="{c["flight"]}" stroke-width="3"/></svg>
 flight shown by records (booking / manifest)<br>
<svg width="34" height="10"><line x1="0" y1="5" x2="34" y2="5" stroke="{c["inferred"]}" stroke-width="3" stroke-dasharray="6 4"/></svg>
 inferred: no record shows it<br>
<svg width="34" height="12"><circle cx="17" cy="6" r="5" fill="{c["claim"]}" stroke="white"/></svg>
 place in claims / events / records<br>
<svg width="34" height="12"><circle cx="17" cy="6" r="4" fill="{c["context"]}" stroke="white"/></svg>
 context: place no record or claim names<br>
<svg width="34" height="14"><circle cx="17" cy="7" r="6" fill="{c["uncertainty"]}" fill-opacity="0.12" stroke="{c["uncertainty"]}" stroke-dasharray="2 2"/></svg>
 uncertainty radius<br>
<span style="color:#555">{BASEMAP_CREDIT}</span>
</div>"""


def _map_view(case: Case) -> tuple[list[float], int | float]:
    """``[map] center`` and ``zoom`` of case.toml, checked as numbers.

    Only numbers reach folium: the map's options are written into a script
    that folium compiles again as a Jinja2 template, so ``zoom = "{{ 7*7 }}"``
    would be evaluated (it became 49) and ``center = ["x", 1]`` crashed in
    folium.  Defaults (no ``[map]``): centre [45, 47], zoom 4.
    """
    import math
    import numbers

    where = f"{getattr(case, 'path', 'the case')}/case.toml [map]"
    view = (case.meta or {}).get("map", {})
    if not isinstance(view, dict):
        raise CaseFileError(
            f"{where}: must be a table (center = [lat, lon], zoom = number), "
            f"not {view!r}; fix case.toml"
        )

    def number(v, lo, hi):
        return (
            isinstance(v, numbers.Real)
            and not isinstance(v, bool)
            and math.isfinite(v)
            and lo <= v <= hi
        )

    center = view.get("center", [45, 47])
    if not (
        isinstance(center, (list, tuple))
        and len(center) == 2
        and number(center[0], -90, 90)
        and number(center[1], -180, 180)
    ):
        raise CaseFileError(
            f"{where}: center = {center!r} is not [latitude, longitude] in "
            "degrees (-90..90, -180..180); fix case.toml, e.g. center = [45, 47]"
        )
    zoom = view.get("zoom", 4)
    if not number(zoom, 0, 18):
        raise CaseFileError(
            f"{where}: zoom = {zoom!r} is not a number from 0 to 18; fix case.toml, e.g. zoom = 4"
        )
    return [float(center[0]), float(center[1])], zoom


def route_map(
    case: Case,
    m=None,
    *,
    legs: pd.DataFrame | None = None,
    tiles: str | None = None,
    basemap: bool = True,
    width: str | int = "100%",
    height: str | int = "100%",
):
    """A folium map of the case's travel legs, inferred legs, claims and places.

    Parameters
    ----------
    case : Case
        From :func:`osint_kit.load_case`.
    m : folium.Map, optional
        Draw on this map (default: a new map at the case's ``[map]`` view).
    legs : DataFrame, optional
        Canonical legs (default :func:`osint_kit.analysis.legs.case_legs` of the case);
        pass legs read from exports to draw them instead.
    tiles : str, optional
        None (default) -- no web tiles: the offline Natural Earth basemap.
        "OpenStreetMap" (or any folium tiles name) -- online tiles underneath.
    basemap : bool
        Draw the Natural Earth country layer.

    Returns
    -------
    folium.Map
        With feature groups "Flights (records)", "Claims & events" and
        "Context", a layer control and a legend.
    """
    import folium

    data = route_layers(case, legs)
    center, zoom = _map_view(case)
    if m is None:
        m = folium.Map(
            location=center,
            zoom_start=zoom,  # type: ignore[arg-type]
            tiles=tiles,
            width=width,
            height=height,
            prefer_canvas=False,
            control_scale=True,
        )
        m.options["maxZoom"] = 18  # no tile layer sets one; Leaflet plugins need it
        if tiles is None:
            m.get_root().header.add_child(
                kit_markup(
                    f"<style>.leaflet-container {{ background: {COLORS['sea']} !important; }}</style>"
                )
            )
    flights = folium.FeatureGroup(name="Flights (records)", show=True)
    claims = folium.FeatureGroup(name="Claims &amp; events", show=True)
    context = folium.FeatureGroup(name="Context (basemap, airports)", show=True)
    if basemap:
        folium.GeoJson(
            load_basemap(),
            name="Natural Earth countries",
            style_function=lambda _: {
                "fillColor": COLORS["land"],
                "color": COLORS["border"],
                "weight": 0.8,
                "fillOpacity": 1.0,
            },
            interactive=False,
            control=False,
            attr=BASEMAP_CREDIT,
        ).add_to(context)
    build = InertHTML.build
    for r in data["routes"]:
        label = build(
            "{o} &rarr; {d}: {km:,.0f} km ({precision} precision)",
            o=r["origin"],
            d=r["destination"],
            km=r["distance_km"],
            precision=r["precision"],
        )
        text = build(
            "<b>{o} &rarr; {d}</b><br>{km:,.0f} km geodesic<br>{records}",
            o=r["origin"],
            d=r["destination"],
            km=r["distance_km"],
            records=InertHTML("<br>").join(r["records"]),
        )
        folium.PolyLine(
            r["points"],
            color=COLORS["flight"],
            weight=4,
            opacity=0.9,
            tooltip=tooltip(label),
            popup=popup(text),
        ).add_to(flights)
    for _, r in data["inferred"].iterrows():
        text = build(
            "inferred: {o} &rarr; {d} ({km:,.0f} km); no record shows this leg "
            "(basis: {basis}; after {after})",
            o=r["from_name"],
            d=r["to_name"],
            km=r["distance_km"],
            basis=r["basis"],
            after=r["after_records"],
        )
        folium.PolyLine(
            r["points"],
            color=COLORS["inferred"],
            weight=3,
            opacity=0.9,
            dash_array="8 6",
            tooltip=tooltip(
                InertHTML("inferred"),
                permanent=True,
                direction="right",
                style="font-size: 11px; padding: 1px 4px;",
            ),
            popup=popup(text),
        ).add_to(flights)
    for _, p in data["places"].iterrows():
        group = claims if p["role"] == "claim" else context
        color = COLORS["claim"] if p["role"] == "claim" else COLORS["context"]
        if p["precision"] != "exact" and pd.notna(p["radius_km"]):
            folium.Circle(
                [p["lat"], p["lon"]],
                radius=float(p["radius_km"]) * 1000,
                color=COLORS["uncertainty"],
                weight=1,
                dash_array="3 3",
                fill=True,
                fill_opacity=0.08,
                tooltip=tooltip(
                    build(
                        "{pid}: uncertainty radius {r:.1f} km", pid=p["place_id"], r=p["radius_km"]
                    )
                ),
            ).add_to(group)
        folium.CircleMarker(
            [p["lat"], p["lon"]],
            radius=7 if p["role"] == "claim" else 5,
            color="white",
            weight=1.5,
            fill=True,
            fill_color=color,
            fill_opacity=1.0,
            tooltip=tooltip(build("{pid}: {name}", pid=p["place_id"], name=p["name"])),
            popup=popup(p["popup"], max_width=420),
        ).add_to(group)
    context.add_to(m)
    flights.add_to(m)
    claims.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().html.add_child(kit_markup(_legend_html(int(data["counts"]["legs"]))))
    pts = [pt for r in data["routes"] for pt in (r["points"][0], r["points"][-1])]
    pts += list(
        zip(
            data["places"].query("role == 'claim'")["lat"],
            data["places"].query("role == 'claim'")["lon"],
        )
    )
    if pts:
        lats, lons = zip(*pts)
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30))
    return m


def _draw_basemap(ax, extent):
    from matplotlib.collections import PolyCollection

    lon0, lon1, lat0, lat1 = extent
    polys = []
    for feat in load_basemap()["features"]:
        geom = feat["geometry"]
        rings = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in rings:
            for ring in poly[:1]:  # outer ring; 110m lakes are not holes worth drawing
                arr = np.asarray(ring)
                if (
                    arr[:, 0].max() < lon0
                    or arr[:, 0].min() > lon1
                    or arr[:, 1].max() < lat0
                    or arr[:, 1].min() > lat1
                ):
                    continue
                polys.append(arr)
    ax.add_collection(
        PolyCollection(
            polys, facecolor=COLORS["land"], edgecolor=COLORS["border"], linewidth=0.6, zorder=0
        )
    )
    ax.set_facecolor(COLORS["sea"])


def _draw_places(
    ax, places, extent, *, labels, skip_box=None, fontsize=7.5, left=(), alternate=False
):
    lon0, lon1, lat0, lat1 = extent
    for k, (_, p) in enumerate(places.sort_values("lon").iterrows()):
        if not (lon0 <= p["lon"] <= lon1 and lat0 <= p["lat"] <= lat1):
            continue
        claim = p["role"] == "claim"
        if p["precision"] != "exact" and pd.notna(p["radius_km"]):
            cla, clo = _circle(p["lat"], p["lon"], float(p["radius_km"]))
            ax.fill(clo, cla, color=COLORS["uncertainty"], alpha=0.12, zorder=2, lw=0)
            ax.plot(clo, cla, color=COLORS["uncertainty"], lw=0.8, ls=(0, (2, 2)), zorder=2)
        ax.scatter(
            [p["lon"]],
            [p["lat"]],
            s=46 if claim else 22,
            color=COLORS["claim"] if claim else COLORS["context"],
            edgecolor="white",
            linewidth=1,
            zorder=5,
        )
        inside_box = skip_box is not None and (
            skip_box[0] <= p["lon"] <= skip_box[1] and skip_box[2] <= p["lat"] <= skip_box[3]
        )
        if labels and (claim or alternate) and not inside_box:
            name = (
                str(p["name"])
                .split(" (")[0]
                .split(":")[0]
                .replace(" International Airport", " airport")[:40]
            )
            on_left = p["place_id"] in left
            dy = (10 if k % 2 else -6) if alternate else -4
            ax.annotate(
                f"{p['place_id']} {name}",
                (p["lon"], p["lat"]),
                xytext=(-6 if on_left else 6, dy),
                textcoords="offset points",
                fontsize=fontsize,
                zorder=6,
                color="#222222",
                va="bottom" if dy > 0 else "top",
                ha="right" if on_left else "left",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
            )


@plain_text
def plot_route(
    case: Case,
    ax=None,
    *,
    legs: pd.DataFrame | None = None,
    labels: bool = True,
    inset: bool = True,
):
    """Static twin of :func:`route_map` (matplotlib), same legend and colours.

    Equirectangular axes (degrees; aspect 1/cos(mean latitude)), Natural
    Earth countries drawn from the GeoJSON without geopandas.  With
    ``inset=True`` an inset zooms on the end of the inferred leg (bundled
    case: the search centre P02 west of the port of Amirabad, its 17.9 km
    uncertainty circle, P01 and Behshahr).  Returns the main axes; the
    caller saves the figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    data = route_layers(case, legs)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 7.5))
    places = data["places"]
    shown = places[places["role"] == "claim"]
    lats = list(shown["lat"]) + [p[0] for r in data["routes"] for p in r["points"]]
    lons = list(shown["lon"]) + [p[1] for r in data["routes"] for p in r["points"]]
    if not lats:  # nothing located yet: the case's map view, and say so
        center, _ = _map_view(case)
        lats, lons = [center[0] - 8, center[0] + 8], [center[1] - 8, center[1] + 8]
        ax.text(
            0.5,
            0.5,
            "no located place or travel record in this case yet",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=11,
            color="#555",
            zorder=10,
            bbox={"facecolor": "white", "edgecolor": "#999", "alpha": 0.9},
        )
    lat0, lat1 = min(lats) - 3, max(lats) + 3
    mid_lat = (lat0 + lat1) / 2
    # widen to a landscape frame (width = 1.35 x height on the ground)
    need = 1.35 * (lat1 - lat0) / np.cos(np.radians(mid_lat))
    lon_c = (min(lons) + max(lons)) / 2
    half = max(need, max(lons) - min(lons) + 8) / 2
    lon0, lon1 = lon_c - half, lon_c + half
    extent = (lon0, lon1, lat0, lat1)
    _draw_basemap(ax, extent)
    for r in data["routes"]:
        la, lo = zip(*r["points"])
        ax.plot(lo, la, color=COLORS["flight"], lw=2.6, zorder=3, solid_capstyle="round")
        mid = len(la) // 2
        ax.annotate(
            f"{r['origin']} \u2192 {r['destination']}: {r['distance_km']:,.0f} km\n"
            + "\n".join(r["records"]),
            (lo[mid], la[mid]),
            xytext=(-10, 0),
            textcoords="offset points",
            fontsize=7.5,
            color=COLORS["flight"],
            va="center",
            ha="right",
            zorder=6,
            bbox={
                "boxstyle": "round,pad=0.3",
                "fc": "white",
                "ec": COLORS["flight"],
                "lw": 0.5,
                "alpha": 0.9,
            },
        )
    box = None
    inferred = data["inferred"]
    for _, r in inferred.iterrows():
        la, lo = zip(*r["points"])
        ax.plot(lo, la, color=COLORS["inferred"], lw=2.2, ls=(0, (4, 3)), zorder=3)
    if inset and len(inferred):
        t = inferred.iloc[0]
        box = (t["to_lon"] - 0.75, t["to_lon"] + 0.95, t["to_lat"] - 0.55, t["to_lat"] + 0.45)
    _draw_places(
        ax, places, extent, labels=labels, skip_box=box, left=set(inferred["from_place_id"])
    )
    for _, r in inferred.iterrows():
        ax.annotate(
            f"inferred \u2192 {r['to_place_id']}\n({r['distance_km']:,.0f} km; basis {r['basis']})",
            (r["to_lon"], r["to_lat"]),
            xytext=(14, -12),
            textcoords="offset points",
            fontsize=7.5,
            color=COLORS["inferred"],
            zorder=6,
            ha="left",
            va="top",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1 / np.cos(np.radians(mid_lat)))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    c = data["counts"]
    ax.set_title(
        f"Route the records support (N={c['legs']} travel records, {c['inferred']} inferred leg)",
        fontsize=11,
    )
    handles = [
        Line2D(
            [],
            [],
            color=COLORS["flight"],
            lw=2.6,
            label="flight shown by records (booking / manifest)",
        ),
        Line2D(
            [],
            [],
            color=COLORS["inferred"],
            lw=2.2,
            ls=(0, (4, 3)),
            label="inferred: no record shows it",
        ),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color=COLORS["claim"],
            markeredgecolor="white",
            label="place in claims / events / records",
        ),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color=COLORS["context"],
            markeredgecolor="white",
            markersize=5,
            label="context: place no record or claim names",
        ),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markersize=11,
            markerfacecolor=(0.13, 0.4, 0.67, 0.15),
            markeredgecolor=COLORS["uncertainty"],
            label="uncertainty radius",
        ),
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.92)
    ax.annotate(
        BASEMAP_CREDIT + " (1:110m coast, approximate); records: case travel.csv",
        (1, -0.09),
        xycoords="axes fraction",
        ha="right",
        fontsize=7,
        color="#555555",
    )
    if box is not None:
        ax.add_patch(
            Rectangle(
                (box[0], box[2]),
                box[1] - box[0],
                box[3] - box[2],
                fill=False,
                ec="#333333",
                lw=0.8,
                zorder=7,
            )
        )
        ins = ax.inset_axes([0.60, 0.58, 0.39, 0.40])
        _draw_basemap(ins, box)
        for _, r in inferred.iterrows():
            la, lo = zip(*r["points"])
            ins.plot(lo, la, color=COLORS["inferred"], lw=2, ls=(0, (4, 3)), zorder=3)
        _draw_places(ins, places, box, labels=labels, fontsize=7, alternate=True)
        ins.set_xlim(box[0], box[1])
        ins.set_ylim(box[2], box[3])
        ins.set_aspect(1 / np.cos(np.radians((box[2] + box[3]) / 2)))
        ins.tick_params(labelsize=6)
        ins.set_title("inset: end of the inferred leg (circles = uncertainty)", fontsize=7.5, pad=3)
    return ax


def point_map(lat, lon, m=None, *, cluster: bool = True, popup: pd.Series | None = None):
    """Many points on a folium map (e.g. 20,000 synthetic departures).

    ``cluster=True`` uses :class:`folium.plugins.FastMarkerCluster` (one
    data array in the HTML, clusters drawn by Leaflet.markercluster, circle
    markers for single points; inlined offline by
    :mod:`osint_kit.views.offline`); ``cluster=False`` draws every point as a
    canvas circle marker.  ``popup`` (optional, one text per point, same
    length and order as ``lat``; missing = no popup) is shown when a point
    is clicked, made inert by :func:`osint_kit.views.htmltext.inert` (each
    distinct text once).
    """
    import folium
    from folium.plugins import FastMarkerCluster

    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    texts = raw = None
    if popup is not None:
        popup = pd.Series(popup).reset_index(drop=True).astype("string")
        if len(popup) != len(lat):
            raise OsintKitError(
                f"point_map: {len(popup)} popup texts for {len(lat)} points; "
                "pass one text (or a missing value) per point, in order"
            )
        codes, distinct = pd.factorize(popup)  # missing -> -1 -> None (no popup)
        raw = np.array([*distinct, None], dtype=object)[codes][ok]
        texts = np.array([inert(t) for t in distinct] + [None], dtype=object)[codes][ok]
    if m is None:
        m = folium.Map(
            location=[float(np.nanmean(lat)), float(np.nanmean(lon))],
            zoom_start=3,
            tiles=None,
            prefer_canvas=not cluster,
        )
        m.options["maxZoom"] = 18  # markercluster needs a maxZoom; no tile layer sets one
        folium.GeoJson(
            load_basemap(),
            style_function=lambda _: {
                "fillColor": COLORS["land"],
                "color": COLORS["border"],
                "weight": 0.8,
                "fillOpacity": 1.0,
            },
            interactive=False,
            control=False,
        ).add_to(m)
    if cluster:
        callback = (
            "function (row) { var marker = L.circleMarker(new L.LatLng(row[0], row[1]), "
            f"{{radius: 4, color: '{COLORS['flight']}', fillOpacity: 0.8}}); "
            # row[2]: an inert HTML string (no tag, entity-encoded)
            "if (row.length > 2 && row[2] !== null) { marker.bindPopup(row[2]); } "
            "return marker; }"
        )
        rows = np.column_stack([lat[ok], lon[ok]]).round(5).tolist()
        if texts is not None:  # [lat, lon, inert text or null]
            rows = [[la, lo, t] for (la, lo), t in zip(rows, texts.tolist())]
        FastMarkerCluster(rows, callback=callback).add_to(m)
    else:
        for k, (la, lo) in enumerate(zip(lat[ok], lon[ok])):  # one call per point: folium's API
            text = None if raw is None else raw[k]
            folium.CircleMarker(
                [la, lo],
                radius=3,
                color=COLORS["flight"],
                weight=1,
                popup=None if text is None else make_popup(InertHTML.build("{t}", t=text)),
            ).add_to(m)
    return m
