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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from osint_kit.analysis.legs import case_legs
from osint_kit.analysis.places import (
    RELATIVE_DISTANCE_UNCERTAINTY,
    bearing_to_degrees,
    destination_point,
    geod,
    geodesic_km,
)
from osint_kit.analysis.relative_text import search_area
from osint_kit.datafiles import data_path
from osint_kit.errors import CaseFileError, OsintKitError
from osint_kit.views.captions import km_text
from osint_kit.views.htmltext import InertHTML, inert, kit_markup, popup, tooltip
from osint_kit.views.htmltext import popup as make_popup
from osint_kit.views.plain import plain_text, wrap_lines
from osint_kit.views.sizes import apply_size, figure_size

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from osint_kit.readers.bundle import Case

__all__ = [
    "COLORS",
    "EVIDENCE_STYLES",
    "TRAVEL_LINK_COLUMN",
    "inferred_legs",
    "search_areas",
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
    "area": "#762a83",  # search area (annular sector) of a relative place
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


#: The optional claims.csv column that links a claim to the travellers of
#: travel.csv (see :func:`inferred_legs`).
TRAVEL_LINK_COLUMN = "travel_records"

#: How a trip is drawn, by what its best record shows (evidence_by_trip's
#: vocabulary): line style (matplotlib dash tuple; folium dash_array), width.
EVIDENCE_STYLES: dict[str, dict[str, Any]] = {
    "boarding": {
        "label": "trip with a manifest (boarding)",
        "color": "#b2182b",
        "ls": "-",
        "dash_array": None,
        "lw": 2.6,
        "weight": 4,
    },
    "flight": {
        "label": "trip with a flight-tracking record, no manifest (the aircraft flew)",
        "color": "#b2182b",
        "ls": (0, (7, 2, 1, 2)),
        "dash_array": "10 3 2 3",
        "lw": 2.0,
        "weight": 3,
    },
    "intent": {
        "label": "trip with a booking only (intent: no record shows boarding)",
        "color": "#d6604d",
        "ls": (0, (1, 1.6)),
        "dash_array": "1 6",
        "lw": 2.6,
        "weight": 4,
    },
    "other": {
        "label": "trip with another kind of record",
        "color": "#7f7f7f",
        "ls": "-",
        "dash_array": None,
        "lw": 1.4,
        "weight": 2,
    },
}
_EVIDENCE_OF_KIND = {"manifest": "boarding", "flight_list": "flight", "booking": "intent"}
_EVIDENCE_ORDER = ["boarding", "flight", "intent", "other"]
_EVIDENCE_SHORT = {
    "boarding": "manifest (boarding)",
    "flight": "flight-tracking record (no manifest)",
    "intent": "booking only (intent)",
    "other": "another kind of record",
}


def _split_ids(text) -> list[str]:
    if text is None or pd.isna(text):
        return []
    return [t.strip() for t in str(text).split(";") if t.strip()]


def inferred_legs(case: Case, legs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Movements no record shows but a claim of the case states.

    A movement is never made up from "a dated claim has a place": the
    officials' accounts of a site (bundled case: C12/C13 at P02, a base
    about 15 km west of the port of Amirabad) say nothing about *who* the
    visitors were -- Reuters could not establish that they were the booked
    travellers (C14) -- so they are drawn as a place of its own
    (:func:`search_areas`), not as a leg of anyone's journey.

    A case links a claim to the travellers with the optional claims column
    :data:`TRAVEL_LINK_COLUMN` (``travel_records``): the record_ids of
    travel.csv (``;``-separated) whose travellers the claim places at its
    ``place_id``.  Rule: for each such claim, an inferred leg runs from the
    destination of the latest linked leg departing on or before the claim's
    ``date_end`` (any linked leg when the claim is undated) to the claim's
    place, unless a linked leg already ends or starts there.  Claims giving
    the same place and the same start are one leg (``basis`` lists them).
    The bundled case has no such claim: no inferred leg.

    Returns columns from_place_id, from_name, from_lat, from_lon, to_place_id,
    to_name, to_lat, to_lon, basis (claim ids), after_records (record ids),
    distance_km (geodesic, km).

    Raises
    ------
    CaseFileError
        When a linked record_id is not in the legs (naming the claims.csv
        row, the column and the value).
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
    claims = case.claims
    rows: list[dict] = []
    if TRAVEL_LINK_COLUMN in claims.columns:
        linked = claims[claims["place_id"].notna() & claims[TRAVEL_LINK_COLUMN].notna()]
        places = case.places.set_index("place_id")
        known = set(legs["record_id"].dropna().astype(str))
        for row, c in linked.iterrows():  # a few linking claims at most
            ids = _split_ids(c[TRAVEL_LINK_COLUMN])
            unknown = [i for i in ids if i not in known]
            if unknown:
                raise CaseFileError(
                    f"claims.csv row {row}, column {TRAVEL_LINK_COLUMN}: {c[TRAVEL_LINK_COLUMN]!r} "
                    f"names record(s) {unknown} that are not in travel.csv (records: "
                    f"{sorted(known)}); write the record_ids of travel.csv whose travellers "
                    f"claim {c['claim_id']} places at {c['place_id']}, separated by ';'"
                )
            pid = c["place_id"]
            mine = legs[legs["record_id"].astype(str).isin(ids)]
            if pid not in places.index or pd.isna(places.at[pid, "lat"]) or mine.empty:
                continue
            if (mine["destination_place_id"] == pid).any() or (
                mine["origin_place_id"] == pid
            ).any():
                continue  # a record already takes them there
            if pd.notna(c["date_end"]):
                mine = mine[mine["departure_utc"] <= c["date_end"]]
            if mine.empty or mine["departure_utc"].isna().all():
                continue
            last = mine[mine["departure_utc"] == mine["departure_utc"].max()]
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
                    "basis": c["claim_id"],
                    "after_records": ", ".join(sorted(last["record_id"].astype(str))),
                }
            )
    out = pd.DataFrame(rows, columns=cols[:-1])
    if len(out):
        out = out.groupby(
            ["from_place_id", "to_place_id", "after_records"], sort=True, as_index=False
        ).agg(
            {
                **{c: "first" for c in cols[:-1] if c not in ("basis",)},
                "basis": lambda s: ", ".join(sorted(set(s))),
            }
        )[cols[:-1]]
    out["distance_km"] = geodesic_km(
        out["from_lat"].to_numpy(float),
        out["from_lon"].to_numpy(float),
        out["to_lat"].to_numpy(float),
        out["to_lon"].to_numpy(float),
    )
    return out


#: Columns of :func:`search_areas`.
SEARCH_AREA_COLUMNS = [
    "place_id",
    "relative_to",
    "kind",
    "inner_km",
    "outer_km",
    "bearing_from_deg",
    "bearing_to_deg",
    "distance_km",
    "distance_uncertainty",
    "bearing_tol_deg",
    "lat",
    "lon",
]


def search_areas(case: Case) -> pd.DataFrame:
    """The search area of every place the case gives relative to another.

    For each place with ``relative_to``, ``distance_km`` (and perhaps a
    ``bearing``) whose coordinates the kit computed: the area of
    :func:`osint_kit.analysis.relative_text.search_area`, measured from the
    reference's point with the case's rule -- distance +-
    :data:`~osint_kit.analysis.places.RELATIVE_DISTANCE_UNCERTAINTY` (20 %),
    bearing +- the compass word's half-width
    (:func:`~osint_kit.analysis.places.bearing_to_degrees`: +-45 deg for W).
    The reference's own uncertainty is its own circle on the map, so it is
    not added here.  Bundled case, P02 (15 km W of the port P01): the
    annular sector 12-18 km, 225-315 deg from P01.  No bearing: the disc of
    the outer distance (kind "circle").

    Returns columns :data:`SEARCH_AREA_COLUMNS`: ``kind`` "sector"|"circle",
    km, degrees clockwise from north, and ``lat``/``lon`` the closed ring
    (lists of degrees WGS84).  A place whose area cannot be drawn (its
    reference has no coordinates) is left out: its resolution problem is in
    the case's problems.
    """
    places = case.places
    if "relative_to" not in places.columns or "distance_km" not in places.columns:
        return pd.DataFrame(columns=SEARCH_AREA_COLUMNS)
    origin = places["coord_origin"] if "coord_origin" in places.columns else None
    rel = places[
        places["relative_to"].notna()
        & places["lat"].notna()
        & (origin.eq("computed").fillna(False) if origin is not None else True)
    ]
    if rel.empty:
        return pd.DataFrame(columns=SEARCH_AREA_COLUMNS)
    ref = places.drop_duplicates("place_id").set_index("place_id")
    dist = pd.to_numeric(rel["distance_km"], errors="coerce")
    if "bearing" in rel.columns:
        bearing = bearing_to_degrees(rel["bearing"])
    else:
        bearing = pd.DataFrame({"bearing_deg": np.nan, "bearing_tol_deg": np.nan}, index=rel.index)
    rows = []
    for (idx, p), d in zip(rel.iterrows(), dist):  # a handful of relative places
        r = str(p["relative_to"]).strip()
        if r not in ref.index or pd.isna(ref.at[r, "lat"]) or pd.isna(d):
            continue
        b, t = bearing.at[idx, "bearing_deg"], bearing.at[idx, "bearing_tol_deg"]
        try:
            area = search_area(
                ref.at[r, "lat"], ref.at[r, "lon"], 0.0, d, RELATIVE_DISTANCE_UNCERTAINTY, b, t
            )
        except OsintKitError:
            continue  # out of range: resolve_relative reported it
        rows.append(
            {
                "place_id": p["place_id"],
                "relative_to": r,
                "kind": area.kind,
                "inner_km": area.inner_km,
                "outer_km": area.outer_km,
                "bearing_from_deg": area.bearing_from_deg,
                "bearing_to_deg": area.bearing_to_deg,
                "distance_km": float(d),
                "distance_uncertainty": RELATIVE_DISTANCE_UNCERTAINTY,
                "bearing_tol_deg": float(t),
                "lat": area.lat,
                "lon": area.lon,
            }
        )
    return pd.DataFrame(rows, columns=SEARCH_AREA_COLUMNS)


def _area_text(a) -> str:
    """ "12-18 km, 225°-315° from P01" (kit text, numbers rounded for people)."""
    if a["kind"] == "sector":
        return (
            f"{a['inner_km']:.0f}\u2013{km_text(a['outer_km'])}, "
            f"{a['bearing_from_deg']:.0f}\u00b0\u2013{a['bearing_to_deg']:.0f}\u00b0 "
            f"from {a['relative_to']}"
        )
    return f"within {km_text(a['outer_km'])} of {a['relative_to']}"


def _offset_arcs(points: list[tuple[float, float]], n: int) -> list[list[tuple[float, float]]]:
    """``n`` copies of an arc bowed apart sideways so that trips on one route stay visible.

    The ends stay on the places; the middle of copy ``k`` is moved
    ``(k - (n - 1) / 2) * 6 %`` of the route's length perpendicular to it
    (a drawing offset, not a path: the records name no route).
    """
    if n <= 1:
        return [points]
    pts = np.asarray(points, dtype=float)
    lat, lon = pts[:, 0], pts[:, 1]
    c = np.cos(np.radians(lat.mean()))
    x, y = lon * c, lat
    dx, dy = x[-1] - x[0], y[-1] - y[0]
    length = float(np.hypot(dx, dy)) or 1.0
    nx, ny = -dy / length, dx / length
    bump = np.sin(np.pi * np.linspace(0.0, 1.0, len(pts)))
    out = []
    for k in range(n):
        off = (k - (n - 1) / 2) * 0.06 * length * bump
        out.append(list(zip((y + off * ny).tolist(), ((x + off * nx) / c).tolist())))
    return out


def _trips(g: pd.DataFrame) -> list[dict]:
    """The trips of one route (legs of one origin/destination pair), by departure day."""
    day = g["departure_local"].dt.strftime("%Y-%m-%d").fillna("undated")
    trips = []
    for d, t in g.groupby(day, sort=True):
        kinds = set(t["record_kind"].dropna().astype(str))
        evidence = next(
            (_EVIDENCE_OF_KIND[k] for k in ("manifest", "flight_list", "booking") if k in kinds),
            "other",
        )
        trips.append(
            {
                "date": d,
                "records": [
                    f"{k} {i} ({s})"
                    for i, k, s in zip(
                        t["record_id"], t["record_kind"], t["source_id"].fillna("no source")
                    )
                ],
                "record_ids": list(t["record_id"].astype(str)),
                "kinds": sorted(kinds),
                "evidence": evidence,
                "n": len(t),
            }
        )
    return trips


def route_layers(case: Case, legs: pd.DataFrame | None = None) -> dict:
    """Everything both drawings need, computed once.

    Returns a dict:

    * ``routes`` -- one per distinct evidenced route: origin, destination,
      points (geodesic arc), distance_km, records (texts), kinds, n,
      precision, and ``trips``: one per departure day, each with date,
      records, record_ids, kinds, ``evidence`` (what the best record shows:
      "boarding" manifest, "flight" flight list, "intent" booking only,
      "other"; :data:`EVIDENCE_STYLES`) and its own ``points`` (trips on one
      route are bowed apart so each stays visible);
    * ``inferred`` -- :func:`inferred_legs`;
    * ``areas`` -- :func:`search_areas`;
    * ``places`` -- places to mark: lat, lon, radius_km, precision, role
      claim|context, ``by_records`` (a travel record starts or ends there),
      the popup HTML (inert);
    * ``counts`` -- legs, routes, trips, trips per evidence, inferred, areas,
      places;
    * ``legs``.
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
        points = _arc(r["origin_lat"], r["origin_lon"], r["destination_lat"], r["destination_lon"])
        trips = _trips(g)
        for trip, pts in zip(trips, _offset_arcs(points, len(trips))):
            trip["points"] = pts
        routes.append(
            {
                "origin": r["origin_name"],
                "destination": r["destination_name"],
                "points": points,
                "distance_km": float(r["distance_km"]),
                "records": recs,
                "kinds": sorted(set(g["record_kind"].dropna())),
                "n": len(g),
                "precision": f"{r['origin_precision']} -> {r['destination_precision']}",
                "trips": trips,
            }
        )
    inferred = inferred_legs(case, legs)
    inferred["points"] = [
        _arc(a, b, c, d, 16)
        for a, b, c, d in zip(
            inferred["from_lat"], inferred["from_lon"], inferred["to_lat"], inferred["to_lon"]
        )
    ]
    areas = search_areas(case)
    area_of = areas.set_index("place_id") if len(areas) else None

    places = case.places.set_index("place_id")
    claims = case.claims
    events = case.events
    sources = case.sources.set_index("source_id")
    assertions = case.assertions
    by_records = set(legs["origin_place_id"].dropna()) | set(legs["destination_place_id"].dropna())
    used = (
        set(claims["place_id"].dropna())
        | set(events["place_id"].dropna())
        | by_records
        | set(inferred["to_place_id"])
        | set(inferred["from_place_id"])
        | set(areas["relative_to"])
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
                "<br><i>precision {precision}, radius {radius}, coordinates {origin}</i>",
                precision=str(p["precision"]),
                radius=km_text(p["radius_km"]),
                origin=str(p["coord_origin"]),
            ),
        ]
        if area_of is not None and pid in area_of.index:
            a = area_of.loc[pid]
            parts.append(
                build(
                    "<br>search area: {area} (distance &plusmn;{u:.0f} %, bearing "
                    "&plusmn;{t:.0f}&deg;, measured from the point of {ref})",
                    area=_area_text(a),
                    u=100 * a["distance_uncertainty"],
                    t=a["bearing_tol_deg"],
                    ref=a["relative_to"],
                )
            )
        if "source_url" in p and pd.notna(p.get("source_url")):
            parts.append(build("<br>coordinates: {url}", url=str(p["source_url"])))
        here = claims[claims["place_id"] == pid]
        for _, c in here.iterrows():
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
        if len(here) and pid not in by_records and pid not in set(inferred["to_place_id"]):
            parts.append(
                InertHTML(
                    "<br><i>An account of this place, not a leg of any trip: no travel "
                    "record goes here and no claim of the case links the travellers to it.</i>"
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
                "by_records": pid in by_records,
                "popup": InertHTML("").join(parts),
            }
        )
    place_frame = pd.DataFrame(
        rows,
        columns=[
            "place_id",
            "name",
            "lat",
            "lon",
            "radius_km",
            "precision",
            "role",
            "by_records",
            "popup",
        ],
    )
    # object dtype: an Arrow-backed string column (pandas 3 with pyarrow) would turn each
    # InertHTML back into a plain str, which htmltext.popup rightly refuses
    place_frame["popup"] = pd.Series(
        [r["popup"] for r in rows], index=place_frame.index, dtype=object
    )
    evidence = [t["evidence"] for r in routes for t in r["trips"]]
    counts = {
        "legs": len(legs),
        "routes": len(routes),
        "trips": len(evidence),
        **{f"trips_{e}": evidence.count(e) for e in _EVIDENCE_ORDER},
        "inferred": len(inferred),
        "areas": len(areas),
        "places": int((place_frame["role"] == "claim").sum()) if len(place_frame) else 0,
    }
    return {
        "routes": routes,
        "inferred": inferred,
        "areas": areas,
        "places": place_frame,
        "counts": counts,
        "legs": legs,
    }


def _present(counts: dict) -> list[str]:
    """Evidence classes drawn on this map, strongest first."""
    return [e for e in _EVIDENCE_ORDER if counts.get(f"trips_{e}", 0)]


def _legend_html(counts: dict) -> str:
    """The legend: the kit's own markup, with numbers in it (no source text)."""
    c = COLORS
    lines = []
    for e in _present(counts):
        st = EVIDENCE_STYLES[e]
        dash = f' stroke-dasharray="{st["dash_array"]}"' if st["dash_array"] else ""
        lines.append(
            f'<svg width="34" height="10"><line x1="0" y1="5" x2="34" y2="5" '
            f'stroke="{st["color"]}" stroke-width="3"{dash}/></svg> '
            f"{st['label']} ({int(counts[f'trips_{e}'])})<br>"
        )
    if counts.get("inferred"):
        lines.append(
            f'<svg width="34" height="10"><line x1="0" y1="5" x2="34" y2="5" '
            f'stroke="{c["inferred"]}" stroke-width="3" stroke-dasharray="8 6"/></svg> '
            "inferred from a claim that names the travellers: no record shows it<br>"
        )
    lines.append(
        f'<svg width="34" height="12"><circle cx="17" cy="6" r="5" fill="{c["claim"]}" '
        'stroke="white"/></svg> place a travel record names<br>'
    )
    lines.append(
        f'<svg width="34" height="12"><circle cx="17" cy="6" r="4.5" fill="white" '
        f'stroke="{c["claim"]}" stroke-width="2"/></svg> place only claims or events name '
        "(no record takes anyone there)<br>"
    )
    lines.append(
        f'<svg width="34" height="12"><circle cx="17" cy="6" r="4" fill="{c["context"]}" '
        'stroke="white"/></svg> context: place no record or claim names<br>'
    )
    lines.append(
        f'<svg width="34" height="14"><circle cx="17" cy="7" r="6" fill="{c["uncertainty"]}" '
        f'fill-opacity="0.12" stroke="{c["uncertainty"]}" stroke-dasharray="2 2"/></svg> '
        "uncertainty radius<br>"
    )
    if counts.get("areas"):
        lines.append(
            f'<svg width="34" height="14"><path d="M4 13 L10 2 A14 14 0 0 1 30 6 L24 13 Z" '
            f'fill="{c["area"]}" fill-opacity="0.25" stroke="{c["area"]}"/></svg> '
            "search area of a place given relative to another<br>"
        )
    return f"""
<div id="osint-kit-legend" style="position: fixed; bottom: 44px; left: 12px; z-index: 9999;
 background: rgba(255,255,255,0.92); padding: 8px 10px; border: 1px solid #999; border-radius: 4px;
 font: 12px/1.5 'DejaVu Sans', Arial, sans-serif;">
<b>Route map</b> (N={int(counts["legs"])} travel records, {int(counts["trips"])} trips)<br>
{"".join(lines)}<span style="color:#555">{BASEMAP_CREDIT}</span>
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
        for trip in r["trips"]:
            st = EVIDENCE_STYLES[trip["evidence"]]
            label = build(
                "{o} &rarr; {d}, {day}: {what} ({km}, {precision} precision)",
                o=r["origin"],
                d=r["destination"],
                day=trip["date"],
                what=_EVIDENCE_SHORT[trip["evidence"]],
                km=km_text(r["distance_km"]),
                precision=r["precision"],
            )
            text = build(
                "<b>{o} &rarr; {d}</b>, {day}<br>{what}<br>{km} geodesic<br>{records}",
                o=r["origin"],
                d=r["destination"],
                day=trip["date"],
                what=st["label"],
                km=km_text(r["distance_km"]),
                records=InertHTML("<br>").join(trip["records"]),
            )
            folium.PolyLine(
                trip["points"],
                color=st["color"],
                weight=st["weight"],
                opacity=0.9,
                dash_array=st["dash_array"],
                tooltip=tooltip(label),
                popup=popup(text),
            ).add_to(flights)
    for _, r in data["inferred"].iterrows():
        text = build(
            "inferred: {o} &rarr; {d} ({km}); no record shows this leg "
            "(basis: {basis}; after {after})",
            o=r["from_name"],
            d=r["to_name"],
            km=km_text(r["distance_km"]),
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
    areas = data["areas"].set_index("place_id") if len(data["areas"]) else None
    for _, p in data["places"].iterrows():
        group = claims if p["role"] == "claim" else context
        color = COLORS["claim"] if p["role"] == "claim" else COLORS["context"]
        if areas is not None and p["place_id"] in areas.index:
            a = areas.loc[p["place_id"]]
            folium.Polygon(
                list(zip(a["lat"], a["lon"])),
                color=COLORS["area"],
                weight=1.5,
                fill=True,
                fill_color=COLORS["area"],
                fill_opacity=0.18,
                tooltip=tooltip(
                    build("{pid}: search area {area}", pid=p["place_id"], area=_area_text(a))
                ),
            ).add_to(group)
        elif p["precision"] != "exact" and pd.notna(p["radius_km"]):
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
                        "{pid}: uncertainty radius {r}",
                        pid=p["place_id"],
                        r=km_text(p["radius_km"]),
                    )
                ),
            ).add_to(group)
        hollow = p["role"] == "claim" and not p["by_records"]
        folium.CircleMarker(
            [p["lat"], p["lon"]],
            radius=7 if p["role"] == "claim" else 5,
            color=color if hollow else "white",
            weight=2.5 if hollow else 1.5,
            fill=True,
            fill_color="white" if hollow else color,
            fill_opacity=1.0,
            tooltip=tooltip(build("{pid}: {name}", pid=p["place_id"], name=p["name"])),
            popup=popup(p["popup"], max_width=420),
        ).add_to(group)
    context.add_to(m)
    flights.add_to(m)
    claims.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().html.add_child(kit_markup(_legend_html(data["counts"])))
    pts = [pt for r in data["routes"] for pt in (r["points"][0], r["points"][-1])]
    pts += list(
        zip(
            data["places"].query("role == 'claim'")["lat"],
            data["places"].query("role == 'claim'")["lon"],
        )
    )
    if pts:
        lats, lons = zip(*pts)
        # the legend sits in the lower left, the layer control in the upper right: keep
        # the places clear of both when the map opens
        m.fit_bounds(
            [[min(lats), min(lons)], [max(lats), max(lons)]],
            padding_top_left=(30, 110),
            padding_bottom_right=(30, 230),
        )
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


def _draw_places(ax, places, extent, areas=None, *, zorder=5):
    """Uncertainty circles (or search areas), then markers; returns the markers drawn.

    Returns a frame of the places drawn (place_id, name, lat, lon, role,
    by_records): the caller labels them (:func:`_place_labels`).
    """
    lon0, lon1, lat0, lat1 = extent
    inside = places[
        places["lon"].between(lon0, lon1) & places["lat"].between(lat0, lat1)
    ].sort_values("lon")
    area_of = areas.set_index("place_id") if areas is not None and len(areas) else None
    for _, p in inside.iterrows():
        if area_of is not None and p["place_id"] in area_of.index:
            a = area_of.loc[p["place_id"]]
            ax.fill(a["lon"], a["lat"], color=COLORS["area"], alpha=0.22, zorder=2, lw=0)
            ax.plot(a["lon"], a["lat"], color=COLORS["area"], lw=1.0, zorder=2)
        elif p["precision"] != "exact" and pd.notna(p["radius_km"]):
            cla, clo = _circle(p["lat"], p["lon"], float(p["radius_km"]))
            ax.fill(clo, cla, color=COLORS["uncertainty"], alpha=0.12, zorder=2, lw=0)
            ax.plot(clo, cla, color=COLORS["uncertainty"], lw=0.8, ls=(0, (2, 2)), zorder=2)
    for kind, sel in (
        ("record", (inside["role"] == "claim") & inside["by_records"].astype(bool)),
        ("account", (inside["role"] == "claim") & ~inside["by_records"].astype(bool)),
        ("context", inside["role"] != "claim"),
    ):
        q = inside[sel]
        if q.empty:
            continue
        ax.scatter(
            q["lon"],
            q["lat"],
            s=22 if kind == "context" else 46,
            facecolors="white"
            if kind == "account"
            else COLORS["context" if kind == "context" else "claim"],
            edgecolors=COLORS["claim"] if kind == "account" else "white",
            linewidths=1.8 if kind == "account" else 1,
            zorder=zorder,
        )
    return inside


def _short_name(name) -> str:
    return str(name).split(" (")[0].split(":")[0].replace(" International Airport", " airport")[:40]


#: Label positions tried, in order: (dx, dy) in points, ha, va.
_LABEL_SPOTS: list[tuple[float, float, str, str]] = [
    (7, 0, "left", "center"),
    (-7, 0, "right", "center"),
    (5, 6, "left", "bottom"),
    (5, -6, "left", "top"),
    (-5, 6, "right", "bottom"),
    (-5, -6, "right", "top"),
    (0, 9, "center", "bottom"),
    (0, -9, "center", "top"),
]
_LABEL_SPOTS = _LABEL_SPOTS + [(2.4 * dx, 2.4 * dy, ha, va) for dx, dy, ha, va in _LABEL_SPOTS]


def _marker_boxes(ax, lon, lat, radius_pt: float = 4.5):
    """Display-space boxes of the markers at (lon, lat) (matplotlib Bbox list)."""
    from matplotlib.transforms import Bbox

    r = radius_pt * ax.figure.dpi / 72
    xy = ax.transData.transform(np.column_stack([np.asarray(lon, float), np.asarray(lat, float)]))
    return [Bbox([[x - r, y - r], [x + r, y + r]]) for x, y in xy]


def _overlap(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _box_distance(bb, points) -> np.ndarray:
    """Distance (display px) from a box to each point (0 inside)."""
    p = np.asarray(points, float)
    dx = np.maximum(np.maximum(bb.x0 - p[:, 0], 0), p[:, 0] - bb.x1)
    dy = np.maximum(np.maximum(bb.y0 - p[:, 1], 0), p[:, 1] - bb.y1)
    return np.hypot(dx, dy)


def _place_labels(ax, items, obstacles, *, spots=None, anchors=None):
    """Put each label at the first spot where it overlaps no obstacle and stays in the axes.

    ``items``: dicts with ``text``, ``xy`` (data), ``fontsize``, ``color`` and
    optionally ``bbox`` (patch properties).  Measured with the renderer
    (``get_window_extent``), so any script and font is measured as drawn.
    Where no spot is free, the one with the least overlap.  With ``anchors``
    (display positions of the markers), a spot nearer another marker than the
    label's own is avoided too (it would read as that marker's label).  Each
    label placed becomes an obstacle for the next.  Returns the annotations.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed = []
    for it in items:
        ann = ax.annotate(
            it["text"],
            it["xy"],
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=it.get("fontsize", 7.5),
            color=it.get("color", "#222222"),
            zorder=it.get("zorder", 6),
            bbox=it.get(
                "bbox", {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}
            ),
        )
        ann.set_parse_math(False)
        best = None
        for dx, dy, ha, va in it.get("spots", spots or _LABEL_SPOTS):
            ann.set_position((dx, dy))
            ann.set_ha(ha)
            ann.set_va(va)
            bb = ann.get_window_extent(renderer).expanded(1.0, 1.0).padded(2.0)
            out = (
                0.0
                if (
                    bb.x0 >= frame.x0
                    and bb.x1 <= frame.x1
                    and bb.y0 >= frame.y0
                    and bb.y1 <= frame.y1
                )
                else bb.width * bb.height
            )
            cost = out + sum(_overlap(bb, o) for o in obstacles)
            if anchors is not None and len(anchors) > 1:
                # a label nearer another marker than its own reads as that marker's
                own = ax.transData.transform([it["xy"]])[0]
                d = _box_distance(bb, anchors)
                if (d < _box_distance(bb, own[None, :])[0] + 3).sum() > 1:
                    cost += 120.0
            if best is None or cost < best[0]:
                best = (cost, dx, dy, ha, va, bb)
            if cost == 0:
                break
        _, dx, dy, ha, va, bb = best
        ann.set_position((dx, dy))
        ann.set_ha(ha)
        ann.set_va(va)
        obstacles.append(bb)
        placed.append(ann)
    return placed


def _route_text(r) -> str:
    lines = [f"{r['origin']} \u2192 {r['destination']}: {km_text(r['distance_km'])}"]
    for t in r["trips"]:
        recs = " + ".join(x.split(" (")[0] for x in t["records"])
        srcs = sorted({x.split(" (", 1)[1].rstrip(")") for x in t["records"] if " (" in x})
        lines.append(
            f"{t['date']}: {recs} ({', '.join(srcs)}) \u2013 {_EVIDENCE_SHORT[t['evidence']]}"
        )
    return "\n".join(lines)


def _inset_box(data) -> tuple[tuple[float, float, float, float], str] | None:
    """Where the inset zooms: the search areas (with their references), else the inferred ends."""
    areas, inferred, places = data["areas"], data["inferred"], data["places"]
    if len(areas):
        lon = np.concatenate([np.asarray(v, float) for v in areas["lon"]])
        lat = np.concatenate([np.asarray(v, float) for v in areas["lat"]])
        ids = ", ".join(areas["place_id"])
        what = "; ".join(f"{a['place_id']}: {_area_text(a)}" for _, a in areas.iterrows())
        title = f"inset: search area{'s' if len(areas) > 1 else ''} ({what})"
        del ids
    elif len(inferred):
        t = inferred.iloc[0]
        return (
            (t["to_lon"] - 0.75, t["to_lon"] + 0.95, t["to_lat"] - 0.55, t["to_lat"] + 0.45),
            "inset: end of the inferred leg (circles = uncertainty)",
        )
    else:
        return None
    shown = places[places["role"] == "claim"]
    near = shown[
        shown["lon"].between(lon.min() - 0.3, lon.max() + 0.3)
        & shown["lat"].between(lat.min() - 0.3, lat.max() + 0.3)
    ]
    lon = np.concatenate([lon, near["lon"].to_numpy(float)])
    lat = np.concatenate([lat, near["lat"].to_numpy(float)])
    c = np.cos(np.radians(lat.mean()))
    w, h = (lon.max() - lon.min()) * c, lat.max() - lat.min()
    half = max(w / 1.4, h) / 2 * 2.6 + 0.05  # as wide as the inset (1.4 : 1), room to label
    lo_c, la_c = (lon.max() + lon.min()) / 2, (lat.max() + lat.min()) / 2
    return (
        (lo_c - 1.4 * half / c, lo_c + 1.4 * half / c, la_c - half, la_c + half),
        title,
    )


#: Inset positions tried (axes fraction: x, y, width, height), upper right first.
_INSET_SPOTS = [
    (0.60, 0.56, 0.39, 0.37),
    (0.01, 0.56, 0.39, 0.37),
    (0.60, 0.02, 0.39, 0.37),
    (0.01, 0.02, 0.39, 0.37),
]


def _inset_spot(ax, lon, lat, route_lon, route_lat):
    """The first inset position holding no marker and the fewest route points."""

    def frac(x, y):
        xy = (
            ax.transAxes.inverted().transform(
                ax.transData.transform(
                    np.column_stack([np.asarray(x, float), np.asarray(y, float)])
                )
            )
            if len(x)
            else np.zeros((0, 2))
        )
        return xy

    pm, pr = frac(lon, lat), frac(route_lon, route_lat)
    best = None
    for spot in _INSET_SPOTS:
        x, y, w, h = spot
        pad = 0.03  # room for a label beside a marker
        inside_m = (
            (pm[:, 0] > x - pad)
            & (pm[:, 0] < x + w + pad)
            & (pm[:, 1] > y - pad)
            & (pm[:, 1] < y + h + pad)
        ).sum()
        inside_r = (
            ((pr[:, 0] > x) & (pr[:, 0] < x + w) & (pr[:, 1] > y) & (pr[:, 1] < y + h)).mean()
            if len(pr)
            else 0.0
        )
        score = (int(inside_m), float(inside_r))
        if best is None or score < best[0]:
            best = (score, spot)
    return best[1]


@plain_text
def plot_route(
    case: Case,
    ax=None,
    *,
    legs: pd.DataFrame | None = None,
    labels: bool = True,
    inset: bool = True,
    size=None,
):
    """Static twin of :func:`route_map` (matplotlib), same legend and colours.

    Equirectangular axes (degrees; aspect 1/cos(mean latitude)), Natural
    Earth countries drawn from the GeoJSON without geopandas.  One line per
    trip (departure day and route), styled by what its best record shows
    (:data:`EVIDENCE_STYLES`: solid = a manifest, dotted = a booking only);
    trips on one route are bowed apart.  A place given relative to another
    is drawn with its search area (:func:`search_areas`: bundled case, P02,
    the annular sector 12-18 km, 225-315 deg from the port P01), as a place
    of its own: no leg leads there unless a claim links the travellers
    (:func:`inferred_legs`).  With ``inset=True`` an inset zooms on the search
    areas (else on the end of an inferred leg), in the corner of the map that
    covers no place.  Labels are placed where they overlap no other label,
    marker or the inset (measured by the renderer); the legend sits under
    the map, so it never covers a place.

    ``size``: a figure size preset of :mod:`osint_kit.views.sizes` ("a4",
    "slide", ...) or (width, height) in inches; default 10 x 7.5 in.
    Returns the main axes; the caller saves the figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.transforms import offset_copy

    data = route_layers(case, legs)
    if ax is None:
        _, ax = plt.subplots(figsize=figure_size(size, (10, 7.5)), layout="constrained")
    else:
        apply_size(ax, size)
    places = data["places"]
    areas = data["areas"]
    inferred = data["inferred"]
    shown = places[places["role"] == "claim"]
    trip_pts = [p for r in data["routes"] for t in r["trips"] for p in t["points"]]
    lats = list(shown["lat"]) + [p[0] for p in trip_pts]
    lons = list(shown["lon"]) + [p[1] for p in trip_pts]
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
        for t in r["trips"]:
            st = EVIDENCE_STYLES[t["evidence"]]
            la, lo = zip(*t["points"])
            ax.plot(
                lo,
                la,
                color=st["color"],
                lw=st["lw"],
                ls=st["ls"],
                zorder=3,
                solid_capstyle="round",
                dash_capstyle="round",
            )
    for _, r in inferred.iterrows():
        la, lo = zip(*r["points"])
        ax.plot(lo, la, color=COLORS["inferred"], lw=2.2, ls=(0, (4, 3)), zorder=3)
    zoom = _inset_box(data) if inset else None
    box = zoom[0] if zoom else None
    drawn = _draw_places(ax, places, extent, areas)
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1 / np.cos(np.radians(mid_lat)))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    c = data["counts"]
    what = []
    if c["trips_boarding"]:
        what.append(f"{c['trips_boarding']} with a manifest")
    if c["trips_flight"]:
        what.append(f"{c['trips_flight']} with a flight-tracking record")
    if c["trips_intent"]:
        what.append(f"{c['trips_intent']} booking only")
    if c["trips_other"]:
        what.append(f"{c['trips_other']} other")
    title = (
        f"Route the records support (N={c['legs']} travel records, {c['trips']} "
        f"trip{'s' if c['trips'] != 1 else ''}" + (": " + ", ".join(what) if what else "")
    )
    if c["inferred"]:
        title += f"; {c['inferred']} inferred leg{'s' if c['inferred'] != 1 else ''}"
    ax.set_title(title + ")", fontsize=11)
    handles: list[Any] = [
        Line2D(
            [],
            [],
            color=EVIDENCE_STYLES[e]["color"],
            lw=EVIDENCE_STYLES[e]["lw"],
            ls=EVIDENCE_STYLES[e]["ls"],
            label=EVIDENCE_STYLES[e]["label"],
        )
        for e in _present(c)
    ]
    if c["inferred"]:
        handles.append(
            Line2D(
                [],
                [],
                color=COLORS["inferred"],
                lw=2.2,
                ls=(0, (4, 3)),
                label="inferred from a claim that names the travellers",
            )
        )
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color=COLORS["claim"],
            markeredgecolor="white",
            label="place a travel record names",
        ),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markerfacecolor="white",
            markeredgewidth=1.8,
            markeredgecolor=COLORS["claim"],
            label="place only claims or events name (no record takes anyone there)",
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
    if c["areas"]:
        handles.append(
            Patch(
                facecolor=COLORS["area"],
                alpha=0.35,
                edgecolor=COLORS["area"],
                label="search area of a place given relative to another",
            )
        )
    ncol = 2
    below = 30  # points under the axes: the x label sits in between
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        bbox_transform=offset_copy(ax.transAxes, fig=ax.figure, y=-below, units="points"),
        ncol=ncol,
        fontsize=8,
        framealpha=0.92,
    )
    rows = -(-len(handles) // ncol)
    ax.annotate(
        BASEMAP_CREDIT + " (1:110m coast, approximate); records: case travel.csv",
        (1, 0),
        xycoords="axes fraction",
        xytext=(0, -below - rows * 8 * 1.75 - 14),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=7,
        color="#555555",
    )
    fig = ax.figure
    fig.draw_without_rendering()  # layout and aspect fixed: display positions are final
    obstacles = _marker_boxes(ax, drawn["lon"], drawn["lat"])
    ins = None
    if box is not None:
        spot = _inset_spot(
            ax, drawn["lon"], drawn["lat"], [p[1] for p in trip_pts], [p[0] for p in trip_pts]
        )
        ins = ax.inset_axes(list(spot))
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
    if labels:
        items = []
        for r in data["routes"]:
            pts = r["points"]
            mid = pts[len(pts) // 2]
            items.append(
                {
                    "text": _route_text(r),
                    "xy": (mid[1], mid[0]),
                    "fontsize": 7.5,
                    "color": COLORS["flight"],
                    "bbox": {
                        "boxstyle": "round,pad=0.3",
                        "fc": "white",
                        "ec": COLORS["flight"],
                        "lw": 0.5,
                        "alpha": 0.92,
                    },
                    "spots": [
                        (-14, 0, "right", "center"),
                        (14, 0, "left", "center"),
                        (-14, 30, "right", "bottom"),
                        (14, -30, "left", "top"),
                        (-14, -30, "right", "top"),
                        (14, 30, "left", "bottom"),
                    ],
                }
            )
        in_box = (
            drawn["lon"].between(box[0], box[1]) & drawn["lat"].between(box[2], box[3])
            if box is not None
            else pd.Series(False, index=drawn.index)
        )
        for _, p in drawn[(drawn["role"] == "claim") & ~in_box].iterrows():
            items.append(
                {"text": f"{p['place_id']} {_short_name(p['name'])}", "xy": (p["lon"], p["lat"])}
            )
        for _, r in inferred.iterrows():
            items.append(
                {
                    "text": f"inferred \u2192 {r['to_place_id']}\n"
                    f"({km_text(r['distance_km'])}; basis {r['basis']})",
                    "xy": (r["to_lon"], r["to_lat"]),
                    "color": COLORS["inferred"],
                }
            )
        if ins is not None:
            obstacles.append(ins.get_window_extent(fig.canvas.get_renderer()).padded(3))
        _place_labels(
            ax,
            items,
            obstacles,
            anchors=ax.transData.transform(drawn[["lon", "lat"]].to_numpy(float)),
        )
    if ins is not None and box is not None and zoom is not None:
        _draw_basemap(ins, box)
        for _, r in inferred.iterrows():
            la, lo = zip(*r["points"])
            ins.plot(lo, la, color=COLORS["inferred"], lw=2, ls=(0, (4, 3)), zorder=3)
        for r in data["routes"]:
            for t in r["trips"]:
                st = EVIDENCE_STYLES[t["evidence"]]
                la, lo = zip(*t["points"])
                ins.plot(lo, la, color=st["color"], lw=st["lw"], ls=st["ls"], zorder=3)
        in_drawn = _draw_places(ins, places, box, areas)
        ins.set_xlim(box[0], box[1])
        ins.set_ylim(box[2], box[3])
        ins.set_aspect(1 / np.cos(np.radians((box[2] + box[3]) / 2)))
        ins.tick_params(labelsize=6)
        ins.set_title(
            wrap_lines(zoom[1], spot[2] * fig.get_figwidth() * 0.95, 7), fontsize=7, pad=3
        )
        fig.draw_without_rendering()
        if labels:
            _place_labels(
                ins,
                [
                    {
                        "text": f"{p['place_id']} {_short_name(p['name'])}",
                        "xy": (p["lon"], p["lat"]),
                        "fontsize": 7,
                    }
                    for _, p in in_drawn.iterrows()
                ],
                _marker_boxes(ins, in_drawn["lon"], in_drawn["lat"]),
                anchors=ins.transData.transform(in_drawn[["lon", "lat"]].to_numpy(float)),
            )
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
