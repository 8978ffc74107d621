"""Places: geodesic distances, relative places, an offline gazetteer.

Everything here works offline.  Distances and offsets are geodesics on the
WGS84 ellipsoid computed by :class:`pyproj.Geod` on whole arrays; names are
resolved against, in priority order,

1. the case's own ``places.csv`` (``gazetteer="case"``),
2. the curated ``data/gazetteer/places.csv`` of this repository, one public
   source per row (``"curated"``),
3. airports by IATA or ICAO code from :mod:`airportsdata`
   (``"airport_iata"`` / ``"airport_icao"``), written in capitals as codes
   are ("the" is not Teresina's THE, the city of Van not its airport VAN; a
   lower-case code gets a hint in its problem),
4. the world's populated places, GeoNames cities500 (``"world"``,
   :mod:`osint_kit.analysis.world`, 234,908 places, read on the first name
   that gets this far -- never by ``import osint_kit`` -- and cached), ids
   ``GN:<geonameid>``.  A name with namesakes resolves only when its context
   narrows them to one -- the text's own country or region ("Tripoli,
   Libya"), the case's countries (those of its places), the record's other
   place (``near=``), a capital far larger than every namesake -- and
   ``match_how`` says which; otherwise it is a problem listing the top
   candidates (country, region, population) and the fix.  Never a silent
   pick of the most populous.  A bare country name ("Russia") is a country,
   never the town named so.

Each step answers only what the earlier ones left: a case's name is never
overridden by the curated file, an airport or GeoNames, and an ambiguity
within a step is a problem, never handed on to the next.  Online geocoding
(:func:`geocode_online`, geopy + Nominatim) is available but runs only when
called explicitly; :func:`compare_online` sets its answers beside the
offline ones for a teacher.

Ids: the kit's own reference data has its own namespaces -- ``curated:P11``,
``IATA:SVO``, ``ICAO:UUEE`` (:data:`RESERVED_ID_PREFIXES`) -- that a case's
place_id may not use, so a case's ``P11`` is never the curated Tehran, and
nothing is ever joined across the two by id.  A curated place is taken as a
case's place only when they share a name *and* lie within their radii of each
other (:meth:`Gazetteer._link_same_places`).

Units: kilometres, degrees (latitude/longitude WGS84, EPSG:4326), bearings
in degrees clockwise from true north.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from osint_kit.analysis import world as world_gazetteer
from osint_kit.datafiles import CHECKOUT_DATA, data_path
from osint_kit.errors import InputFileError, OfflineError, PlaceResolutionError
from osint_kit.io.tabular import RaggedRowError, read_csv_text
from osint_kit.problems import concat_problems, problem_rows
from osint_kit.text import hidden_characters, match_key

__all__ = [
    "PRECISION_RADIUS_KM",
    "RELATIVE_DISTANCE_UNCERTAINTY",
    "MAX_RELATIVE_DISTANCE_KM",
    "RESERVED_ID_PREFIXES",
    "BEARING_WORDS",
    "CURATED_PATH",
    "geod",
    "geodesic_km",
    "geodesic_inverse",
    "destination_point",
    "bearing_to_degrees",
    "relative_radius_km",
    "resolve_relative",
    "name_key",
    "Gazetteer",
    "resolve_places",
    "geocode_online",
    "compare_online",
    "RESOLVED_COLUMNS",
]

#: Default uncertainty radius (km) for each place ``precision``.  One table,
#: used whenever a place has no radius of its own:
#:
#: ``exact`` 0.5 km
#:     a point known to a few hundred metres: an airport reference point
#:     (runways extend 1.5-2 km either side of it, but the point itself is
#:     surveyed), a building.
#: ``approximate`` 5 km
#:     the centre of an area feature read from a map or a bounding box.  The
#:     case's port of Amirabad is the centre of a 11.3 km x 2.2 km box, whose
#:     half-diagonal is 5.8 km; 5 km is the rounded size of such features.
#: ``city`` 15 km
#:     "in Moscow" / "in Tehran": a city-centre point stands for the built-up
#:     area; the Moscow ring road (MKAD) lies 15-18 km from the Kremlin and
#:     Tehran's built-up area is about 30 km across.
#: ``region`` 100 km
#:     a province or oblast (Mazandaran is ~300 km long, ~100 km wide).
#: ``inferred`` 25 km
#:     a place inferred by the analyst without a stated geometry.  A place
#:     given *relative* to another gets a computed radius instead
#:     (:func:`relative_radius_km`).
PRECISION_RADIUS_KM: dict[str, float] = {
    "exact": 0.5,
    "approximate": 5.0,
    "city": 15.0,
    "region": 100.0,
    "inferred": 25.0,
}

#: Relative uncertainty of a stated distance ("about 15 km" -> 12..18 km).
RELATIVE_DISTANCE_UNCERTAINTY = 0.20

#: Longest ``distance_km`` a relative place may state: half the WGS84
#: meridian, pole to pole (``Geod(ellps="WGS84").inv(0, 90, 0, -90)`` =
#: 20,003.931 km), the greatest distance between two points of the
#: ellipsoid.  A longer offset passes the antipode and comes back towards
#: its reference (40,000 km "west" lands 51 km *east*): it can describe no
#: place, so it is a problem, never a point.
MAX_RELATIVE_DISTANCE_KM = 20003.931

#: Namespaces (id prefixes) of the kit's own reference data: the curated
#: gazetteer (``curated:P11``) and airportsdata (``IATA:SVO``,
#: ``ICAO:UUEE``).  A case's place_id may not start with one of them
#: (compared case-insensitively), so an id in a result always says which
#: table it comes from and no case row can stand in for a kit row.
RESERVED_ID_PREFIXES = ("curated:", "IATA:", "ICAO:", "GN:")
CURATED_PREFIX = "curated:"

#: Half-width (degrees) of the bearing sector a compass word stands for: a
#: writer who says "west" means anything nearer west than north or south
#: (4-point rose, +-45 deg); "north-east" an 8-point sector (+-22.5 deg);
#: "NNE" a 16-point sector (+-11.25 deg).  A number in degrees is taken to
#: be rounded to the nearest 10 deg (+-5 deg).
BEARING_TOLERANCE_DEG = {4: 45.0, 8: 22.5, 16: 11.25, "numeric": 5.0}

_POINTS16 = [
    "N",
    "NNE",
    "NE",
    "ENE",
    "E",
    "ESE",
    "SE",
    "SSE",
    "S",
    "SSW",
    "SW",
    "WSW",
    "W",
    "WNW",
    "NW",
    "NNW",
]

#: Compass words and abbreviations -> (degrees, tolerance in degrees).
#: English abbreviations and words, Russian words (север, юг, восток, запад
#: and their compounds).  Keys are matched after casefold and whitespace /
#: hyphen clean-up; "due west", "west of", "to the west" are reduced to
#: "west" first.
BEARING_WORDS: dict[str, tuple[float, float]] = {}
for _i, _p in enumerate(_POINTS16):
    _rose = 4 if len(_p) == 1 else 8 if len(_p) == 2 else 16
    BEARING_WORDS[_p.casefold()] = (_i * 22.5, BEARING_TOLERANCE_DEG[_rose])
_WORDS = {
    "north": "n",
    "east": "e",
    "south": "s",
    "west": "w",
    "northeast": "ne",
    "southeast": "se",
    "southwest": "sw",
    "northwest": "nw",
    "northnortheast": "nne",
    "eastnortheast": "ene",
    "eastsoutheast": "ese",
    "southsoutheast": "sse",
    "southsouthwest": "ssw",
    "westsouthwest": "wsw",
    "westnorthwest": "wnw",
    "northnorthwest": "nnw",
    # Russian
    "север": "n",
    "восток": "e",
    "юг": "s",
    "запад": "w",
    "северовосток": "ne",
    "юговосток": "se",
    "югозапад": "sw",
    "северозапад": "nw",
    # Russian abbreviations (С, В, Ю, З, СВ, ...)
    "с": "n",
    "в": "e",
    "ю": "s",
    "з": "w",
    "св": "ne",
    "юв": "se",
    "юз": "sw",
    "сз": "nw",
}
for _w, _abbr in _WORDS.items():
    BEARING_WORDS[_w] = BEARING_WORDS[_abbr]
del _i, _p, _rose, _w, _abbr

_BEARING_FILLERS = re.compile(
    r"\b(due|of|to|the|towards?|ward|wards|direction|bearing|на|к|от)\b|[-_.\s]+"
)
_RU_ADJ = re.compile(r"(западнее|восточнее|севернее|южнее)")
_RU_ADJ_MAP = {"западнее": "запад", "восточнее": "восток", "севернее": "север", "южнее": "юг"}

CURATED_PATH = CHECKOUT_DATA / "gazetteer" / "places.csv"  # where the checkout keeps it

_GEOD = None


def _geod():
    """The WGS84 :class:`pyproj.Geod` (pyproj imported on first use)."""
    global _GEOD
    if _GEOD is None:
        from pyproj import Geod

        _GEOD = Geod(ellps="WGS84")
    return _GEOD


def geod():
    """The kit's WGS84 ellipsoid as a :class:`pyproj.Geod`, made once (pyproj imported
    on first use): for geodesic work outside this module, such as the great-circle
    points of :mod:`osint_kit.views.maps`."""
    return _geod()


def _as_float_arrays(*values):
    arrays = [
        np.asarray(pd.to_numeric(np.ravel(v), errors="coerce"), dtype="float64") for v in values
    ]
    return np.broadcast_arrays(*arrays)


def _scalar_or_array(result: np.ndarray, scalar: bool):
    return float(result[0]) if scalar else result


def geodesic_inverse(lat1, lon1, lat2, lon2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward azimuth (deg, 0-360), back azimuth (deg) and distance (km).

    Arrays broadcast; any NaN in a pair gives NaN for that pair.
    """
    la1, lo1, la2, lo2 = _as_float_arrays(lat1, lon1, lat2, lon2)
    out_az = np.full(la1.shape, np.nan)
    out_back = np.full(la1.shape, np.nan)
    out_km = np.full(la1.shape, np.nan)
    ok = ~(np.isnan(la1) | np.isnan(lo1) | np.isnan(la2) | np.isnan(lo2))
    if ok.any():
        az, back, m = _geod().inv(lo1[ok], la1[ok], lo2[ok], la2[ok])
        out_az[ok] = np.mod(az, 360.0)
        out_back[ok] = np.mod(back, 360.0)
        out_km[ok] = np.asarray(m) / 1000.0
    return out_az, out_back, out_km


def geodesic_km(lat1, lon1, lat2, lon2):
    """Geodesic distance on the WGS84 ellipsoid, in kilometres.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float or array-like
        Degrees (WGS84).  Arrays (numpy, pandas, lists) broadcast together.

    Returns
    -------
    float or numpy.ndarray
        Kilometres; a float when every input is a scalar.  A pair with a NaN
        (or a non-numeric value) gives NaN, never 0.

    Examples
    --------
    >>> round(geodesic_km(55.972599, 37.4146, 35.416099548339844, 51.152198791503906), 3)
    2512.121
    """
    scalar = all(np.ndim(v) == 0 for v in (lat1, lon1, lat2, lon2))
    _, _, km = geodesic_inverse(lat1, lon1, lat2, lon2)
    return _scalar_or_array(km, scalar)


def destination_point(lat, lon, bearing_deg, distance_km):
    """Point reached from (lat, lon) along a geodesic.

    Parameters
    ----------
    lat, lon : float or array-like
        Start, degrees WGS84.
    bearing_deg : float or array-like
        Initial bearing, degrees clockwise from true north.
    distance_km : float or array-like
        Kilometres.

    Returns
    -------
    (lat, lon) : tuple of float or of numpy.ndarray
        Degrees; NaN wherever an input is NaN.
    """
    scalar = all(np.ndim(v) == 0 for v in (lat, lon, bearing_deg, distance_km))
    la, lo, az, km = _as_float_arrays(lat, lon, bearing_deg, distance_km)
    out_lat = np.full(la.shape, np.nan)
    out_lon = np.full(la.shape, np.nan)
    ok = ~(np.isnan(la) | np.isnan(lo) | np.isnan(az) | np.isnan(km))
    if ok.any():
        lo2, la2, _ = _geod().fwd(lo[ok], la[ok], az[ok], km[ok] * 1000.0)
        out_lat[ok] = la2
        out_lon[ok] = lo2
    return _scalar_or_array(out_lat, scalar), _scalar_or_array(out_lon, scalar)


def _parse_bearing(text: str) -> tuple[float, float, str | None]:
    """One distinct bearing text -> (degrees, tolerance, problem)."""
    s = unicodedata.normalize("NFKC", text).casefold().strip()
    s = s.replace("°", " ").replace("deg", " ").replace("ё", "е")
    if not s:
        return math.nan, math.nan, None
    try:
        value = float(s.replace(",", "."))
    except ValueError:
        pass
    else:
        if not math.isfinite(value):
            return math.nan, math.nan, f"bearing {text!r} is not a number of degrees"
        if 0.0 <= value <= 360.0:
            return value % 360.0, BEARING_TOLERANCE_DEG["numeric"], None
        return math.nan, math.nan, f"bearing {text!r} is outside 0-360 degrees"
    s = _RU_ADJ.sub(lambda m: _RU_ADJ_MAP[m.group(1)], s)
    s = _BEARING_FILLERS.sub("", s)
    s = re.sub(r"(ern|erly|ward)$", "", s)  # western, westerly, westward
    if s in BEARING_WORDS:
        deg, tol = BEARING_WORDS[s]
        return deg, tol, None
    return (
        math.nan,
        math.nan,
        f"bearing {text!r} is not a compass point (N, NNE, ..., 'west', 'запад') "
        "or a number of degrees",
    )


def bearing_to_degrees(values) -> pd.DataFrame:
    """Compass points, words or degree numbers -> degrees clockwise from north.

    Parameters
    ----------
    values : pandas.Series, sequence or scalar
        ``"W"``, ``"NNE"``, ``"west"``, ``"due west"``, ``"запад"``,
        ``"270"``, ``"270°"``, ``270.0``.  Empty / NaN means "not given".

    Returns
    -------
    pandas.DataFrame
        Same index as ``values`` (a RangeIndex for non-Series input) with
        ``bearing_deg`` (float64, 0 <= deg < 360), ``bearing_tol_deg``
        (float64, half-width of the sector the text stands for, see
        :data:`BEARING_TOLERANCE_DEG`) and ``bearing_problem`` (string, <NA>
        when fine or empty).  Each distinct text is parsed once.
    """
    if isinstance(values, pd.Series):
        series = values
    else:
        series = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)))
    text = series.astype("string").str.strip()
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    parsed = [_parse_bearing(str(u)) for u in uniques]
    deg = np.array([p[0] for p in parsed] + [math.nan], dtype="float64")
    tol = np.array([p[1] for p in parsed] + [math.nan], dtype="float64")
    prob = pd.array([p[2] for p in parsed] + [None], dtype="string")
    take = np.where(codes < 0, len(parsed), codes)
    return pd.DataFrame(
        {
            "bearing_deg": deg[take],
            "bearing_tol_deg": tol[take],
            "bearing_problem": prob.take(take),
        },
        index=series.index,
    )


def relative_radius_km(
    distance_km,
    bearing_tol_deg,
    ref_radius_km=0.0,
    distance_uncertainty: float = RELATIVE_DISTANCE_UNCERTAINTY,
):
    """Uncertainty radius (km) of a place given as "d km <bearing> of a reference".

    The rule: the true place lies in the annular sector of distances
    ``d * (1 +- distance_uncertainty)`` and bearings ``nominal +- tol``.  The
    radius is the smallest circle *centred on the computed point* that holds
    that whole sector -- its farthest corner, at distance
    ``sqrt(d^2 + r^2 - 2 d r cos(tol))`` for ``r = d(1 +- u)`` (law of
    cosines; flat-earth, fine for offsets of tens of km) -- plus the
    reference place's own radius.

    "about 15 km W" of a place with radius 5 km: u = 0.2, tol = 45 deg
    (a 4-point word) -> corner at 18 km, 45 deg off -> 12.93 km; + 5 = 17.93 km.
    """
    d, tol, ref = _as_float_arrays(distance_km, bearing_tol_deg, ref_radius_km)
    ref = np.where(np.isnan(ref), 0.0, ref)
    t = np.radians(tol)
    corners = []
    for r in (d * (1 + distance_uncertainty), d * (1 - distance_uncertainty)):
        corners.append(np.sqrt(np.maximum(d**2 + r**2 - 2 * d * r * np.cos(t), 0.0)))
    return np.maximum(*corners) + ref


# "15", "15 km", "about 15 km", "~15км", "1,5 km": one number, in km, perhaps hedged
_DISTANCE = re.compile(
    r"(?:(?:about|approx(?:imately|\.)?|around|roughly|some|circa|ca\.|c\.|~|≈|"
    r"около|примерно|приблизительно|порядка)\s*)?"
    r"(?P<num>\d+(?:[.,]\d+)?)\s*"
    r"(?:km|kms|kilomet(?:re|er)s?|км|километр(?:а|ов)?)?\.?",
    re.IGNORECASE,
)


def _parse_distance(text: str) -> tuple[float, str | None]:
    """One distinct ``distance_km`` text -> (km, problem)."""
    s = unicodedata.normalize("NFKC", text).strip()
    m = _DISTANCE.fullmatch(s)
    if m is None and s[:1] in "-−" and _DISTANCE.fullmatch(s[1:].strip()):
        return math.nan, (
            f"distance {text!r} is negative: a distance is never below 0 "
            "(the direction goes into bearing)"
        )
    if m is None:
        return math.nan, (
            f"distance {text!r} is not a number of km (one non-negative number, "
            "optionally 'km' or 'about')"
        )
    num = m.group("num")
    if re.fullmatch(r"\d{1,3},\d{3}", num):
        return math.nan, (
            f"distance {text!r} is ambiguous: a thousands separator "
            f"({num.replace(',', '')} km) or a decimal comma "
            f"({num.replace(',', '.')} km)?"
        )
    km = float(num.replace(",", "."))
    if km > MAX_RELATIVE_DISTANCE_KM:
        return math.nan, (
            f"distance {text!r} is longer than any distance on the Earth "
            f"({MAX_RELATIVE_DISTANCE_KM:,.0f} km, pole to pole): an offset that "
            "long passes the antipode and comes back"
        )
    return km, None


def _distances_km(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``distance_km`` texts -> (km as float64, problem as string), parsed once per
    distinct text; empty gives NaN and the problem "distance_km is empty"."""
    text = values.astype("string").str.strip()
    text = text.where(text != "")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    parsed = [_parse_distance(str(u)) for u in uniques]
    km = np.array([p[0] for p in parsed] + [math.nan], dtype="float64")
    prob = pd.array([p[1] for p in parsed] + ["distance_km is empty"], dtype="string")
    take = np.where(codes < 0, len(parsed), codes)
    return (pd.Series(km[take], index=values.index), pd.Series(prob.take(take), index=values.index))


def _reserved_ids(ids: pd.Series) -> pd.Series:
    """True where a place_id starts with a namespace the kit keeps for its own
    reference data (:data:`RESERVED_ID_PREFIXES`, any letter case)."""
    pattern = r"\s*(?i:" + "|".join(re.escape(p) for p in RESERVED_ID_PREFIXES) + ")"
    return ids.astype("string").str.match(pattern).fillna(False).astype(bool)


_RESERVED_PROBLEM = (
    "place_id {v!r} is in a namespace the kit keeps for its own reference "
    "data (" + ", ".join(RESERVED_ID_PREFIXES) + "): a case place cannot "
    "stand in for a curated place, an airport or a world (GeoNames) place"
)
_RESERVED_FIX = (
    "rename the place (e.g. P12) and every reference to it; to use the kit's "
    "place, refer to it by name or code instead"
)


#: ``file`` of the places problems of each gazetteer (:class:`Gazetteer`).
_PROBLEM_FILES = {"case": "places.csv", "curated": "gazetteer/places.csv"}


def _problems_frame(rows: list[dict], file: str = "places.csv") -> pd.DataFrame:
    """Places problems in the kit's long form (:mod:`osint_kit.problems`): one
    row per (place row, reason), from dicts with row, column, value, problem,
    fix.  Severity ``error``; action ``kept``: the place stays in the frame,
    without coordinates (the bundle loader sets such a place aside)."""

    def col(name):
        return [r[name] for r in rows]

    return problem_rows(
        file,
        col("row"),
        col("column"),
        col("value"),
        col("problem"),
        col("fix"),
        severity="error",
        action="kept",
    )


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="string")


def resolve_relative(
    places: pd.DataFrame, *, kit_table: bool = False, file: str = "places.csv"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give every place float coordinates, a radius and where they came from.

    Parameters
    ----------
    places : pandas.DataFrame
        The case's places (columns ``place_id, name, alt_names, lat, lon,
        precision`` and optionally ``relative_to, distance_km, bearing,
        distance_uncertainty, radius_km``; values may be strings).
        ``distance_uncertainty`` is the stated distance's relative
        uncertainty (a fraction, default :data:`RELATIVE_DISTANCE_UNCERTAINTY`
        0.20; 0.30 for a writer's "about", as
        :func:`osint_kit.analysis.relative_text.places_from_text` fills it).  The index is kept (the case
        frames use the file's row number, index name ``row``).
    file : str
        The ``file`` named in the problems (``"places.csv"``).
    kit_table : bool
        The table is the kit's own reference data (the curated gazetteer,
        ids ``curated:...``).  Otherwise -- a case's places -- a place_id in
        a reserved namespace (:data:`RESERVED_ID_PREFIXES`) is a problem and
        that place gets no coordinates.

    Returns
    -------
    (frame, problems)
        ``frame``: a copy of ``places`` with ``lat``, ``lon`` (float64,
        degrees WGS84), ``radius_km`` (float64, km) and ``coord_origin``
        (``"given"`` | ``"computed"`` | <NA> when no coordinates could be
        found).  Rows with ``relative_to`` and no given lat/lon are placed
        ``distance_km`` along ``bearing`` from the referenced place
        (geodesic); chains (A relative to B relative to C) resolve in
        dependency order.  Radius: a given ``radius_km``, else
        :func:`relative_radius_km` for computed places, else
        :data:`PRECISION_RADIUS_KM` by precision.

        ``problems``: the long-form problems table (:mod:`osint_kit.problems`:
        file = ``file``, row = the place's index value, column, value,
        problem, fix, severity ``error``, action ``kept``).  A missing or unknown
        reference, a cycle, an unreadable distance/bearing or coordinate,
        lat = lon = 0 (a missing value written as 0), a
        distance beyond :data:`MAX_RELATIVE_DISTANCE_KM` or a reserved
        place_id leaves lat/lon NaN (never 0, 0) and is reported here.
    """
    frame = places.copy()
    problems: list[dict] = []
    ids = _column(frame, "place_id").astype("string").str.strip()

    def report(mask, column, values, problem, fix):
        # problem: a text, a function of the value, or a Series of texts (one per row)
        if not mask.any():
            return
        per_row = problem[mask] if isinstance(problem, pd.Series) else [problem] * int(mask.sum())
        for row, value, why in zip(frame.index[mask], values[mask], per_row):
            problems.append(
                {
                    "row": row,
                    "column": column,
                    "value": None if pd.isna(value) else str(value),
                    "problem": why(value) if callable(why) else why,
                    "fix": fix,
                }
            )

    lat_text = _column(frame, "lat")
    lon_text = _column(frame, "lon")
    lat = pd.to_numeric(lat_text, errors="coerce").astype("float64")
    lon = pd.to_numeric(lon_text, errors="coerce").astype("float64")
    for name, text, num, limit in (("lat", lat_text, lat, 90.0), ("lon", lon_text, lon, 180.0)):
        unreadable = text.notna() & num.isna()
        report(
            unreadable,
            name,
            text,
            lambda v, n=name: f"{n} {v!r} is not a number",
            "write decimal degrees with a dot, e.g. 36.854",
        )
        out = num.abs() > limit
        report(
            out,
            name,
            num,
            lambda v, n=name, L=limit: f"{n} {v} is outside -{L:g}..{L:g}",
            f"check the sign and order of lat/lon ({name} must be within +-{limit:g})",
        )
    bad = (lat.abs() > 90) | (lon.abs() > 180)
    null_island = (lat == 0) & (lon == 0)
    report(
        null_island,
        "lat,lon",
        lat_text.astype("string") + ", " + lon_text.astype("string"),
        "(0, 0) is not a place: it is the usual sign of a missing coordinate",
        "(0, 0) is almost always a missing value written as 0; give the real coordinates "
        "or leave lat/lon empty",
    )
    bad |= null_island
    if not kit_table:
        reserved = _reserved_ids(ids)
        report(reserved, "place_id", ids, lambda v: _RESERVED_PROBLEM.format(v=v), _RESERVED_FIX)
        bad |= reserved
    lat[bad] = np.nan
    lon[bad] = np.nan
    has_coords = lat.notna() & lon.notna()
    half = lat.notna() ^ lon.notna()
    report(
        half,
        "lat",
        lat_text.where(lat_text.notna(), lon_text),
        "only one of lat/lon is given",
        "give both lat and lon, or neither",
    )

    precision = _column(frame, "precision").astype("string").str.strip().str.casefold()
    default_radius = precision.map(PRECISION_RADIUS_KM).astype("float64")
    given_radius = pd.to_numeric(_column(frame, "radius_km"), errors="coerce").astype("float64")
    radius = given_radius.where(given_radius.notna(), default_radius)
    origin = pd.Series(pd.NA, index=frame.index, dtype="string")
    origin[has_coords] = "given"

    ref = _column(frame, "relative_to").astype("string").str.strip()
    relative = ref.notna() & (ref != "") & ~has_coords
    if not kit_table:
        relative &= ~reserved  # reported above; nothing computed for it
    dist_text = _column(frame, "distance_km")
    dist, dist_problem = _distances_km(dist_text)
    bearing = bearing_to_degrees(_column(frame, "bearing"))
    bad_dist = relative & dist.isna()
    report(
        bad_dist,
        "distance_km",
        dist_text,
        dist_problem,
        f"write the distance in km as one number from 0 to {MAX_RELATIVE_DISTANCE_KM:,.0f}, "
        "e.g. 15 (convert miles: 1 mi = 1.609 km, 1 nautical mile = 1.852 km)",
    )
    bad_bearing = relative & bearing["bearing_deg"].isna()
    report(
        bad_bearing,
        "bearing",
        _column(frame, "bearing"),
        bearing["bearing_problem"].fillna("bearing is empty"),
        "write a compass point (N, NNE, ..., W), a word (west, запад) or degrees (270)",
    )
    # how loose the stated distance is (0.20 unless the row says): "about" in a
    # source's text is 0.30 (osint_kit.analysis.relative_text)
    u_text = _column(frame, "distance_uncertainty")
    u_given = pd.to_numeric(u_text, errors="coerce").astype("float64")
    bad_u = relative & u_text.notna() & ~((u_given >= 0) & (u_given < 1)).fillna(False)
    bad_u &= (u_text.astype("string").str.strip() != "").fillna(False)
    report(
        bad_u,
        "distance_uncertainty",
        u_text,
        lambda v: f"distance_uncertainty {v!r} is not a fraction from 0 to below 1",
        f"write the distance's relative uncertainty as a fraction, e.g. 0.3 for +-30 % "
        f"(empty: {RELATIVE_DISTANCE_UNCERTAINTY:g})",
    )
    u_row = u_given.where((u_given >= 0) & (u_given < 1), RELATIVE_DISTANCE_UNCERTAINTY)
    u_row = u_row.fillna(RELATIVE_DISTANCE_UNCERTAINTY).to_numpy(dtype="float64")
    computable = relative & ~bad_dist & ~bad_bearing & ~bad_u

    id_to_pos = pd.Series(np.arange(len(frame)), index=ids.to_numpy())
    id_to_pos = id_to_pos[~id_to_pos.index.duplicated(keep="first")]
    known = ref.isin(id_to_pos.index.dropna())
    unknown = relative & ~known
    report(
        unknown,
        "relative_to",
        ref,
        lambda v: f"relative_to {v!r} is not a place_id in this table",
        "use the place_id of a place listed in places.csv",
    )
    pending = (computable & known).to_numpy().copy()
    ref_pos = np.where(
        known, id_to_pos.reindex(ref.to_numpy()).to_numpy(dtype="float64", na_value=np.nan), -1
    )
    ref_pos = np.nan_to_num(ref_pos, nan=-1).astype(int)
    lat_a, lon_a, rad_a = lat.to_numpy().copy(), lon.to_numpy().copy(), radius.to_numpy().copy()
    done = has_coords.to_numpy().copy()
    failed = ~done & ~pending
    # Resolve generation by generation: a row is ready once its reference is done.
    while pending.any():
        ready = pending & done[np.clip(ref_pos, 0, None)] & (ref_pos >= 0)
        blocked = pending & failed[np.clip(ref_pos, 0, None)]
        if blocked.any():
            report(
                pd.Series(blocked, index=frame.index),
                "relative_to",
                ref,
                lambda v: f"reference {v!r} has no coordinates itself",
                f"fix the coordinates of {'the referenced place'} first",
            )
            pending &= ~blocked
            failed |= blocked
        if not ready.any():
            if pending.any():
                cyc = pending.copy()
                names = ", ".join(ids[cyc].astype(str))
                report(
                    pd.Series(cyc, index=frame.index),
                    "relative_to",
                    ref,
                    f"relative_to forms a cycle among places {names}",
                    "make one of these places absolute (give lat/lon)",
                )
                failed |= cyc
            break
        src = ref_pos[ready]
        new_lat, new_lon = destination_point(
            lat_a[src], lon_a[src], bearing["bearing_deg"].to_numpy()[ready], dist.to_numpy()[ready]
        )
        lat_a[ready], lon_a[ready] = new_lat, new_lon
        own = relative_radius_km(
            dist.to_numpy()[ready],
            bearing["bearing_tol_deg"].to_numpy()[ready],
            rad_a[src],
            distance_uncertainty=u_row[ready],
        )
        given = given_radius.to_numpy()[ready]
        rad_a[ready] = np.where(np.isnan(given), own, given)
        done |= ready
        pending &= ~ready

    computed = pd.Series(done & ~has_coords.to_numpy(), index=frame.index)
    origin[computed] = "computed"
    nothing = lat_text.isna() & lon_text.isna() & ~(ref.notna() & (ref != ""))
    report(
        nothing,
        "lat",
        lat_text,
        "no coordinates and no relative_to",
        "give lat/lon, or relative_to + distance_km + bearing",
    )
    frame["lat"] = pd.Series(lat_a, index=frame.index, dtype="float64")
    frame["lon"] = pd.Series(lon_a, index=frame.index, dtype="float64")
    no_coords = frame["lat"].isna()
    frame["radius_km"] = pd.Series(
        np.where(no_coords, np.nan, rad_a), index=frame.index, dtype="float64"
    )
    frame["coord_origin"] = origin
    return frame, _problems_frame(problems, file)


# --------------------------------------------------------------------------- names


@functools.lru_cache(maxsize=200_000)
def name_key(text: str) -> str | None:
    """Matching key of a place name: Unicode-normalised, transliterated to
    ASCII, case-folded, punctuation and extra spaces removed
    (:func:`osint_kit.text.match_key`).

    "Москва" and "Moskva" -> "moskva"; "TEHRAN " -> "tehran"; "تهران" and
    "تهران" (with a different Unicode form) -> the same key.
    """

    return match_key(text) or None


def _curated_namespace(curated: pd.DataFrame) -> pd.DataFrame:
    """The curated table with every place_id and relative_to in the ``curated:``
    namespace (the bundled file is written so; a table passed in with bare ids
    gets the prefix), so that no curated id can equal a case's."""
    out = curated.copy()
    for col in ("place_id", "relative_to"):
        if col not in out.columns:
            continue
        v = out[col].astype("string").str.strip()
        keep = (
            v.isna()
            | v.eq("").fillna(False)
            | v.str.casefold().str.startswith(CURATED_PREFIX).fillna(False)
        ).astype(bool)
        out[col] = v.where(keep, CURATED_PREFIX + v)
    return out


def _split_names(names: pd.Series, alt_names: pd.Series) -> pd.DataFrame:
    """Long frame (pos, name) of a place's name and its ';'-separated alt names."""
    alts = alt_names.astype("string").fillna("").str.split(";")
    long = pd.DataFrame({"pos": np.arange(len(names)), "name": names.astype("string")})
    extra = pd.DataFrame({"pos": np.arange(len(names)), "name": alts}).explode("name")
    # "Behshahr (town)" is also found as "Behshahr"
    bare = long.assign(name=long["name"].str.replace(r"\s*[(\[][^)\]]*[)\]]", "", regex=True))
    out = pd.concat([long, bare, extra], ignore_index=True)
    out["name"] = out["name"].astype("string").str.strip()
    return out[out["name"].notna() & (out["name"] != "")]


_LOOKUP_COLUMNS = [
    "lat",
    "lon",
    "precision",
    "radius_km",
    "matched_name",
    "place_id",
    "tz",
    "country",
]

#: Columns of :meth:`Gazetteer.lookup` and :func:`resolve_places`, in order.
RESOLVED_COLUMNS = [*_LOOKUP_COLUMNS, "gazetteer", "match_how", "candidates", "problem"]

#: ``match_how`` of the first three steps (the world step says how it chose).
_MATCH_HOW = {"case": "case name", "curated": "curated name"}


def _names_table(places: pd.DataFrame, label: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """One gazetteer's long name table (one row per name key and place) and its
    places problems (None when there are none)."""
    found: list[pd.DataFrame] = []
    if (
        "radius_km" in places.columns
        and "coord_origin" in places.columns
        and pd.api.types.is_float_dtype(places["lat"])
    ):
        frame = places
        if label == "case":  # resolved elsewhere: still no kit ids in a case
            reserved = _reserved_ids(_column(frame, "place_id"))
            if reserved.any():
                frame = frame.copy()
                frame.loc[reserved, ["lat", "lon", "radius_km"]] = np.nan
                found.append(
                    _problems_frame(
                        [
                            {
                                "row": row,
                                "column": "place_id",
                                "value": pid,
                                "problem": _RESERVED_PROBLEM.format(v=pid),
                                "fix": _RESERVED_FIX,
                            }
                            for row, pid in frame.loc[reserved, "place_id"].items()
                        ],
                        _PROBLEM_FILES[label],
                    )
                )
    else:
        frame, problems = resolve_relative(
            places, kit_table=label == "curated", file=_PROBLEM_FILES[label]
        )
        if len(problems):
            found.append(problems)
    long = _split_names(frame["name"], _column(frame, "alt_names"))
    long["key"] = [name_key(n) for n in long["name"]]
    long = long[long["key"].notna()]
    rows = frame.reset_index(drop=True).iloc[long["pos"].to_numpy()]
    table = pd.DataFrame(
        {
            "key": long["key"].to_numpy(),
            "lat": rows["lat"].to_numpy(dtype="float64"),
            "lon": rows["lon"].to_numpy(dtype="float64"),
            "precision": rows["precision"].astype("string").to_numpy(),
            "radius_km": rows["radius_km"].to_numpy(dtype="float64"),
            "matched_name": rows["name"].astype("string").to_numpy(),
            "place_id": rows["place_id"].astype("string").to_numpy(),
            "tz": _column(rows, "tz").astype("string").to_numpy(),
            "country": _column(rows, "country").astype("string").to_numpy(),
        }
    )
    table["gazetteer"] = label
    table["priority"] = 0 if label == "case" else 1
    table["row"] = frame.index.to_numpy(dtype=object)[long["pos"].to_numpy()]
    table = table.drop_duplicates(["key", "place_id"]).reset_index(drop=True)
    return table, (concat_problems(found) if found else None)


@functools.lru_cache(maxsize=4)
def _curated_tables(path: str, mtime_ns: int, size: int):
    """A curated gazetteer file, read, namespaced and turned into a name table once
    per version of the file (mtime and size are the cache key): (frame, table,
    problems).  Callers copy what they edit."""
    try:
        curated = read_csv_text(path, dtype="string", keep_default_na=False, na_values=[""])
    except RaggedRowError as exc:
        raise InputFileError(exc.advice(str(path), other_delimiter=False)) from exc
    frame = _curated_namespace(curated)
    table, problems = _names_table(frame, "curated")
    return frame, table, problems


class Gazetteer:
    """Offline place look-up: case places, curated places, airports.

    Parameters
    ----------
    case_places : DataFrame, Case or None
        The case's places (a :class:`osint_kit.readers.bundle.Case` or its ``places``
        frame).  Relative rows are resolved with :func:`resolve_relative`.
    curated : path, DataFrame or None
        The curated gazetteer; default ``data/gazetteer/places.csv``.  Pass
        ``False`` to leave it out.
    airports : bool
        Look up IATA (3 letters) and ICAO (4 letters) codes in airportsdata
        (loaded on first use and cached).

    world : bool
        Ask the world gazetteer (GeoNames cities500) for names nothing else
        knows (read on first use).  ``False`` leaves it out.
    countries : str or iterable of str, optional
        Countries the world step prefers among namesakes (ISO alpha-2 or
        names).  Default: the case's countries, those of its places (a
        ``country`` column or the curated place it is linked to); none
        without a case.

    Notes
    -----
    A name is matched on :func:`name_key`.  Priority: case > curated >
    airport codes > world (:meth:`lookup`).  Curated ids are put in the ``curated:`` namespace (a
    table passed with bare ids gets the prefix); a case place whose id is in
    a kit namespace gets no coordinates and a problem.  A curated place that
    shares a name with a case place lying within their two radii *is* that
    place: its other names lead to the case's id and point, and the case
    place takes the curated time zone and country.  Sharing a name but lying
    farther apart, they stay two places (a row in :attr:`problems`).
    A key that names two different places *within one*
    gazetteer is ambiguous: it resolves to nothing, with a problem listing
    the candidates, rather than to a guess.  Airports are matched by code
    only, never by city: "Moscow" is the city (precision ``city``), never
    one of its three airports.
    """

    def __init__(
        self,
        case_places=None,
        *,
        curated: Any = None,
        airports: bool = True,
        world: bool = True,
        countries: Iterable[str] | str | None = None,
    ):
        if case_places is not None and hasattr(case_places, "places"):
            case_places = case_places.places
        self.airports = airports
        self.world = world
        tables = []
        self.problems = []
        if case_places is not None:
            table, problems = _names_table(case_places, "case")
            if problems is not None:
                self.problems.append(problems)
            tables.append(table)
        if curated is not False:
            if curated is None or not isinstance(curated, pd.DataFrame):
                # a file: read and prepared once per version of it (the link edits a copy)
                path = Path(
                    curated if curated is not None else data_path("gazetteer", "places.csv")
                )
                try:
                    info = path.stat()
                except OSError as exc:
                    raise InputFileError(
                        f"curated gazetteer {path} cannot be read "
                        f"({type(exc).__name__}); give the path of a places "
                        "CSV, or curated=False to leave it out"
                    ) from None
                frame, table, problems = _curated_tables(str(path), info.st_mtime_ns, info.st_size)
                self.curated = frame.copy()
                table = table.copy()
            else:
                self.curated = _curated_namespace(curated)
                table, problems = _names_table(self.curated, "curated")
            if problems is not None:
                self.problems.append(problems)
            tables.append(table)
        else:
            self.curated = None
        if len(tables) == 2 and len(tables[0]) and len(tables[1]):
            self._link_same_places(tables[0], tables[1])
        if tables:
            names = pd.concat(tables, ignore_index=True)
        else:
            names = pd.DataFrame(columns=["key", *_LOOKUP_COLUMNS, "gazetteer", "priority", "row"])
        self.names = names
        self.problems = concat_problems(self.problems)
        #: the case's countries (ISO alpha-2): the world step keeps the candidates
        #: in them when any is.  Given, or those of the case's places (a
        #: ``country`` column, or the curated place a case place is linked to).
        self.countries: tuple[str, ...] | None = None
        if countries is not None:
            self.countries = (countries,) if isinstance(countries, str) else tuple(countries)
        elif case_places is not None and len(tables) and len(tables[0]):
            found = tables[0]["country"].dropna().astype(str).str.strip().str.upper()
            found = found[found.str.fullmatch(r"[A-Z]{2}")]
            self.countries = tuple(sorted(set(found))) or None

    def _link_same_places(self, case: pd.DataFrame, cur: pd.DataFrame) -> None:
        """Take a curated place and a case place as one place when they share a
        name *and* their points lie within the sum of their radii (their
        uncertainty circles overlap): the curated names then lead to the case's
        place (its id, point, precision, radius) and the case's place takes the
        curated time zone and country when it has none.  Ids play no part: a
        case's ``P11`` is never the curated ``curated:P11``.  Places that share
        a name but lie farther apart stay two places, reported in
        :attr:`problems`.  Edits both name tables in place."""
        pairs = cur[["key", "place_id", "lat", "lon", "radius_km", "matched_name"]].merge(
            case[["key", "place_id", "lat", "lon", "radius_km", "matched_name", "row"]],
            on="key",
            suffixes=("_cur", "_case"),
        )
        pairs = pairs.drop_duplicates(["place_id_cur", "place_id_case"])
        if pairs.empty:
            return
        km = np.asarray(
            geodesic_km(
                pairs["lat_cur"].to_numpy(float),
                pairs["lon_cur"].to_numpy(float),
                pairs["lat_case"].to_numpy(float),
                pairs["lon_case"].to_numpy(float),
            ),
            dtype="float64",
        )
        tol = pairs["radius_km_cur"].fillna(0.0).to_numpy(float) + pairs["radius_km_case"].fillna(
            0.0
        ).to_numpy(float)
        same = km <= tol  # NaN (a place without coordinates) is never the same
        apart = pairs[~same & ~np.isnan(km)]
        if len(apart):
            far, lim = km[~same & ~np.isnan(km)], tol[~same & ~np.isnan(km)]
            self.problems.append(
                _problems_frame(
                    [
                        {
                            "row": r["row"],
                            "column": "name",
                            "value": r["matched_name_case"],
                            "problem": (
                                f"case place {r['place_id_case']} {r['matched_name_case']!r} shares a "
                                f"name with the curated place {r['place_id_cur']} "
                                f"{r['matched_name_cur']!r} but lies {d:,.1f} km from it (their radii "
                                f"allow {t:,.1f} km): taken as two places, so the case's names lead "
                                "to the case's point and names only the curated file lists to the "
                                "curated one"
                            ),
                            "fix": (
                                "if they are the same place, check the case's coordinates; if not, "
                                "give the case's place a name of its own"
                            ),
                        }
                        for (_, r), d, t in zip(apart.iterrows(), far, lim)
                    ],
                    _PROBLEM_FILES["case"],
                )
            )
        linked = pairs[same]
        n_case = linked.groupby("place_id_cur")["place_id_case"].transform("nunique")
        link = (
            linked[n_case == 1]
            .drop_duplicates("place_id_cur")
            .set_index("place_id_cur")["place_id_case"]
        )
        if link.empty:
            return
        case_rows = case.drop_duplicates("place_id").set_index("place_id")
        cur_rows = cur.drop_duplicates("place_id").set_index("place_id")
        # the case place takes tz/country from the curated place(s) it is, when they agree
        for col in ("tz", "country"):
            given = pd.DataFrame(
                {"case": link.to_numpy(), "value": link.index.map(cur_rows[col]).astype("string")}
            )
            given = given.dropna()
            agree = given.groupby("case")["value"].nunique() == 1
            fill = given.drop_duplicates("case").set_index("case")["value"][agree]
            case[col] = case[col].fillna(case["place_id"].map(fill)).astype("string")
        case_rows = case.drop_duplicates("place_id").set_index("place_id")
        hit = cur["place_id"].isin(link.index).to_numpy()
        target = cur.loc[hit, "place_id"].map(link)
        for col in ("lat", "lon", "precision", "radius_km", "matched_name"):
            cur.loc[hit, col] = target.map(case_rows[col]).to_numpy()
        for col in ("tz", "country"):
            cur.loc[hit, col] = target.map(case_rows[col]).fillna(cur.loc[hit, col]).to_numpy()
        cur.loc[hit, "row"] = target.map(case_rows["row"]).to_numpy()
        cur.loc[hit, "place_id"] = target.to_numpy()

    @staticmethod
    @functools.lru_cache(maxsize=2)
    def airport_table(kind: Literal["IATA", "ICAO"]) -> pd.DataFrame:
        """airportsdata as a frame indexed by code (``kind`` "IATA" or "ICAO").

        Columns: lat, lon (degrees), name, city, country, tz (IANA), icao, iata.
        """
        import airportsdata

        data = airportsdata.load(kind)
        frame = pd.DataFrame.from_dict(data, orient="index")
        frame.index = frame.index.astype("string")
        frame.index.name = "code"
        for col in ("lat", "lon"):
            frame[col] = frame[col].astype("float64")
        for col in ("name", "city", "country", "tz", "icao", "iata"):
            frame[col] = frame[col].astype("string")
        return frame[["lat", "lon", "name", "city", "country", "tz", "icao", "iata"]]

    def lookup(
        self, values: Iterable[str], *, countries: Iterable[str] | str | None = None
    ) -> pd.DataFrame:
        """Resolve *distinct* names; one output row per input value.

        The steps, in order of preference (a step answers only the names the
        earlier ones left; an ambiguity in a step is a problem, never passed on):

        1. ``case``: the name (its :func:`name_key`) is a name or alt name of
           one of the case's places;
        2. ``curated``: the same in ``data/gazetteer/places.csv``;
           (1-2 also match the part before a comma, "Amirabad, Iran", when every
           part after it names that place's country: ``match_how`` says so);
        3. ``airport_iata`` / ``airport_icao``: a code written in capitals;
        4. ``world``: GeoNames cities500 (:mod:`osint_kit.analysis.world`, read
           on the first name that gets this far), resolved only when one
           candidate is left after the text's own country or region, the
           case's countries (``countries``, default :attr:`countries`) and a
           capital far larger than its namesakes; otherwise a problem listing
           the candidates (``candidates``) and the fix.  Ids ``GN:<geonameid>``,
           precision ``city``.

        Returns a frame indexed by the value with columns
        :data:`RESOLVED_COLUMNS`: lat, lon, precision, radius_km,
        matched_name, place_id, tz, country, gazetteer, match_how (how the
        place was chosen: "case name", "curated name", "IATA code", "ICAO
        code", "world: only candidate", "world: country in text", "world:
        country (the case's: IR, RU)", ...), candidates (<NA> unless
        ambiguous in the world step) and problem.
        """
        distinct = pd.Index(pd.unique(pd.Series(list(values), dtype="string").dropna()))
        keys = pd.Series(
            [name_key(v) for v in distinct.to_numpy(dtype=object)], index=distinct, dtype="string"
        )
        # text columns are filled as Python objects (a str column validates every
        # value set into it) and become "string" at the end
        result = pd.DataFrame(
            {
                c: pd.Series(None, index=distinct, dtype=object)
                for c in RESOLVED_COLUMNS
                if c not in ("lat", "lon", "radius_km")
            }
        )
        for c in ("lat", "lon", "radius_km"):
            result[c] = np.nan
        result = result[RESOLVED_COLUMNS]
        answered = pd.Series(False, index=distinct)
        firsts_of: dict[str, pd.DataFrame] = {}
        if len(self.names):
            names = self.names
            # distinct keys on both sides: a hash look-up (get_indexer), fast whether
            # the strings are stored as Python objects or in Arrow
            wanted = pd.Index(keys.dropna().unique().astype(object))
            cand = names[wanted.get_indexer(names["key"].to_numpy(dtype=object)) >= 0]
            # count distinct places per (key, gazetteer): >1 is ambiguous
            n_places = cand.groupby(["key", "gazetteer"])["place_id"].transform("nunique")
            cand = cand.assign(ambiguous=n_places > 1)
            all_n = names.groupby(["key", "gazetteer"])["place_id"].transform("nunique")
            every = names.assign(ambiguous=all_n > 1)
            for label in ("case", "curated"):
                firsts_of[label] = (
                    every[every["gazetteer"] == label].drop_duplicates("key").set_index("key")
                )
                part = cand[cand["gazetteer"] == label]
                if part.empty:
                    continue
                firsts = part.drop_duplicates("key").set_index("key")
                hit = keys.map(firsts["place_id"]).notna() & ~answered
                if not hit.any():
                    continue
                k = keys[hit]
                amb = k.map(firsts["ambiguous"]).astype(bool)
                good = k[~amb]
                for col in (*_LOOKUP_COLUMNS, "gazetteer"):
                    result.loc[good.index, col] = good.map(firsts[col]).to_numpy()
                result.loc[good.index, "match_how"] = _MATCH_HOW[label]
                if amb.any():
                    choices = part.groupby("key")["place_id"].agg(
                        lambda s: ", ".join(sorted(set(s.astype(str))))
                    )
                    for v, key in k[amb].items():
                        result.loc[v, "problem"] = (
                            f"ambiguous place {v!r}: matches {choices[key]} in the {label} "
                            "gazetteer; use the place_id instead"
                        )
                answered |= hit
        lowercase_code: dict[
            str, tuple[str, str]
        ] = {}  # value -> (code, airport name): a hint for its problem
        if self.airports:
            # airport codes only as codes are written, in capitals: "the" is not
            # Teresina (THE) and the city of Van is not its airport (VAN)
            code = pd.Series(distinct, index=distinct, dtype="string").str.strip()
            upper = code.str.upper()
            kinds: tuple[tuple[Literal["IATA", "ICAO"], int], ...] = (("IATA", 3), ("ICAO", 4))
            for kind, length in kinds:
                shaped = upper.str.fullmatch(rf"[A-Z0-9]{{{length}}}").fillna(False)
                ask = ~answered & shaped & (code == upper).fillna(False)
                near = ~answered & shaped & ~ask
                if not (ask.any() or near.any()):
                    continue  # airportsdata is read only when a code-shaped name needs it
                table = self.airport_table(kind)
                # the ~30k codes as a hash index, asked with Python strings: pandas'
                # isin on Arrow-stored strings against them is slow (issue 13)
                index = _code_index(kind)
                near_at = index.get_indexer(upper[near].to_numpy(dtype=object))
                for (v, c), at in zip(upper[near].items(), near_at):
                    if at >= 0:
                        lowercase_code.setdefault(v, (c, table["name"].iat[at]))
                if not ask.any():
                    continue
                at = index.get_indexer(code[ask].to_numpy(dtype=object))
                found = code[ask][at >= 0]
                if found.empty:
                    continue
                rows = table.iloc[at[at >= 0]]
                idx = found.index
                result.loc[idx, "lat"] = rows["lat"].to_numpy()
                result.loc[idx, "lon"] = rows["lon"].to_numpy()
                result.loc[idx, "precision"] = "exact"
                result.loc[idx, "radius_km"] = PRECISION_RADIUS_KM["exact"]
                result.loc[idx, "matched_name"] = rows["name"].to_numpy()
                result.loc[idx, "place_id"] = (kind + ":" + found).to_numpy()
                result.loc[idx, "tz"] = rows["tz"].to_numpy()
                result.loc[idx, "country"] = rows["country"].to_numpy()
                result.loc[idx, "gazetteer"] = "airport_" + kind.lower()
                result.loc[idx, "match_how"] = f"{kind} code"
                answered[idx] = True
        missing = ~answered & result["problem"].isna()
        if missing.any() and firsts_of:
            took = self._head_step(distinct[missing.to_numpy()], firsts_of, result)
            answered[took] = True
            missing = ~answered & result["problem"].isna()
        if missing.any() and self.world:
            wanted_countries = self.countries if countries is None else countries
            took = _world_step(distinct[missing.to_numpy()], wanted_countries, result)
            answered[took] = True
            missing = ~answered & result["problem"].isna()
        for v in distinct[missing.to_numpy()]:
            hint = ""
            if v in lowercase_code:
                c, airport = lowercase_code[v]
                hint = (
                    f" (airport codes are matched in capitals only: write {c!r} if "
                    f"{airport} is meant)"
                )
            result.loc[v, "problem"] = (
                f"unknown place {v!r}: add it to data/gazetteer/places.csv or the case's "
                f"places.csv with a source{hint}"
            )
        # the world step's problems, with the airport-code hint where one applies
        for v, (c, airport) in lowercase_code.items():
            if pd.isna(result.loc[v, "gazetteer"]) and not str(result.loc[v, "problem"]).endswith(
                "is meant)"
            ):
                result.loc[v, "problem"] = (
                    f"{result.loc[v, 'problem']} (airport codes are matched in capitals "
                    f"only: write {c!r} if {airport} is meant)"
                )
        no_coord = answered & result["lat"].isna() & result["problem"].isna()
        for v in distinct[no_coord.to_numpy()]:
            result.loc[v, "problem"] = (
                f"place {v!r} ({result.loc[v, 'place_id']}) has no "
                "coordinates: see the places problems"
            )
        for c in RESOLVED_COLUMNS:
            is_float = c in ("lat", "lon", "radius_km")
            result[c] = result[c].astype("float64" if is_float else "string")
        out = result
        out.index.name = "value"
        return out

    def _head_step(
        self, values: pd.Index, firsts_of: dict[str, pd.DataFrame], result: pd.DataFrame
    ) -> pd.Index:
        """Names with a comma whose part before it is a case (then curated) place
        and whose every part after it names that place's country ("Amirabad, Iran"
        is the case's port of Amirabad when the case has it in IR).  Fills
        ``result``; returns the values answered."""
        has_comma = pd.Series(values, dtype="string").str.contains(r"[,\u060c]", regex=True)
        values = values[has_comma.fillna(False).to_numpy(dtype=bool)]
        if not len(values):
            return values
        parts = pd.Series(values, index=values, dtype="string").str.split(r"\s*[,\u060c]\s*")
        head = parts.str[0].str.strip()
        quals = parts.str[1:].explode().astype("string").str.strip()
        quals = quals[quals.notna() & (quals != "")]
        named = world_gazetteer.countries_named(quals)  # ISO alpha-2, <NA> for no country
        took: list[str] = []
        for label in ("case", "curated"):
            firsts = firsts_of.get(label)
            if firsts is None or firsts.empty:
                continue
            hkey = pd.Series(
                [name_key(h) if isinstance(h, str) else None for h in head],
                index=values,
                dtype="string",
            )
            country = hkey.map(firsts["country"])
            place = hkey.map(firsts["place_id"])
            amb = hkey.map(firsts["ambiguous"]).eq(True)  # NaN (no such key) is not True
            q_country = pd.Series(named.to_numpy(), index=quals.index, dtype="string")
            per_q = q_country.eq(country.reindex(quals.index).to_numpy()).fillna(False)
            all_named = per_q.groupby(level=0).all().reindex(values, fill_value=False)
            ok = place.notna() & ~amb & all_named.astype(bool) & ~pd.Index(values).isin(took)
            for v in values[ok.to_numpy(dtype=bool)]:
                row = firsts.loc[hkey[v]]
                for col in (*_LOOKUP_COLUMNS, "gazetteer"):
                    result.loc[v, col] = row[col]
                result.loc[v, "match_how"] = (
                    f"{_MATCH_HOW[label]} before the comma ({head[v]!r}); "
                    f"the text after it names its country ({row['country']})"
                )
                took.append(v)
        return pd.Index(took, dtype="string")


@functools.lru_cache(maxsize=2)
def _code_index(kind: Literal["IATA", "ICAO"]) -> pd.Index:
    """The airport codes of ``kind`` as a hash index of Python strings (built once)."""
    return pd.Index(Gazetteer.airport_table(kind).index.to_numpy(dtype=object))


def _world_answers(values: pd.Index, got: pd.DataFrame, result: pd.DataFrame) -> pd.Index:
    """Write :func:`osint_kit.analysis.world.resolve`'s answers ``got`` (indexed
    like ``values``) into ``result``; returns the values resolved."""
    ok = got["lat"].notna().to_numpy(dtype=bool)
    idx = values[ok]
    at = result.index.get_indexer(values)  # positions, found once (labels are distinct)

    def put(mask, col, value):
        result.iloc[at[mask], result.columns.get_loc(col)] = value

    if ok.any():
        g = got[ok]
        put(ok, "lat", g["lat"].to_numpy(dtype="float64"))
        put(ok, "lon", g["lon"].to_numpy(dtype="float64"))
        put(ok, "precision", "city")
        put(ok, "radius_km", PRECISION_RADIUS_KM["city"])
        put(ok, "matched_name", g["place"].to_numpy(dtype=object))
        put(ok, "place_id", ("GN:" + g["geonameid"].astype("string")).to_numpy(dtype=object))
        put(ok, "tz", g["tz"].to_numpy(dtype=object))
        put(ok, "country", g["country_code"].to_numpy(dtype=object))
        put(ok, "gazetteer", "world")
        put(ok, "match_how", ("world: " + g["resolved_by"]).to_numpy(dtype=object))
    bad = ~ok
    if bad.any():
        g = got[bad]
        unknown = (g["n_candidates"] == 0) & g["problem"].str.startswith("unknown place").fillna(
            False
        )
        text = g["problem"] + "; " + g["fix"]
        has_list = g["candidates"].notna()
        text = text.where(~has_list, g["problem"] + ": " + g["candidates"] + "; " + g["fix"])
        text = text.where(
            ~unknown,
            "unknown place "
            + pd.Series([repr(v) for v in values[bad]], index=g.index, dtype="string")
            + ": not in the case, the curated gazetteer, the airports or the world gazetteer "
            "(GeoNames cities500); add it to data/gazetteer/places.csv or the case's "
            "places.csv with a source",
        )
        put(bad, "problem", text.to_numpy(dtype=object))
        put(bad, "candidates", g["candidates"].to_numpy(dtype=object))
    return idx


def _world_step(values: pd.Index, countries, result: pd.DataFrame) -> pd.Index:
    """The last step of :meth:`Gazetteer.lookup`: the world gazetteer."""
    got = world_gazetteer.resolve(pd.Series(values, dtype="string"), countries=countries)
    got.index = values
    return _world_answers(values, _say_countries(got, countries), result)


def _say_countries(got: pd.DataFrame, countries) -> pd.DataFrame:
    """``resolved_by`` "country" names the countries it kept ("country (the case's: IR, RU)")."""
    if countries is None:
        return got
    listed = ", ".join(sorted([countries] if isinstance(countries, str) else countries))
    by = got["resolved_by"].mask(got["resolved_by"] == "country", f"country (the case's: {listed})")
    return got.assign(resolved_by=by)


@functools.lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer()


def resolve_places(
    names,
    gazetteer: Gazetteer | None = None,
    *,
    case=None,
    strict: bool = False,
    countries: Iterable[str] | str | None = None,
    near=None,
) -> pd.DataFrame:
    """Resolve place names or codes to coordinates, offline.

    Parameters
    ----------
    names : pandas.Series or sequence of str
        Place names in any script ("Москва", "Teheran", "تهران"), place_ids
        of the case are *not* special-cased (use names), IATA or ICAO codes.
    gazetteer : Gazetteer, optional
        Default: one built from ``case`` (if given) + the curated file +
        airports.
    case : Case or places DataFrame, optional
        The case whose places take priority.
    strict : bool
        Raise :class:`~osint_kit.errors.PlaceResolutionError` listing every
        unresolved name instead of returning problems.
    countries : str or iterable of str, optional
        The countries (ISO alpha-2 or names) the world step prefers among
        namesakes; default the gazetteer's (the case's) countries.
    near : DataFrame with lat, lon (aligned with ``names``), or (lat, lon), optional
        Another place of the same record: a name the world step finds
        ambiguous resolves to its one candidate within
        :data:`osint_kit.analysis.world.NEAR_KM` km of it (``match_how``
        "world: nearest to ...").  Names answered by an earlier step are not
        affected.

    Returns
    -------
    pandas.DataFrame
        Same index as ``names``; columns ``lat``, ``lon`` (float64, degrees),
        ``precision`` (exact|approximate|city|region|inferred), ``radius_km``
        (float64, km), ``matched_name``, ``place_id`` (the case's id, a
        curated ``curated:P07``, or ``IATA:SVO`` / ``ICAO:UUEE`` for
        airports; never a case id for a kit place), ``tz`` (IANA zone
        when known), ``country`` (ISO 3166 alpha-2 when known),
        ``gazetteer`` (case|curated|airport_iata|airport_icao|world),
        ``match_how`` (how the place was chosen, see :meth:`Gazetteer.lookup`),
        ``candidates`` (the top namesakes of a world-ambiguous name: name,
        country, region, population) and ``problem`` (reason and fix, or
        <NA>).  Unknown and ambiguous names get NaN coordinates and a problem
        -- never (0, 0).  Empty names give NaN and
        no problem (nothing to resolve).  Each distinct value is resolved
        once and mapped back.
    """
    series = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype="string")
    if gazetteer is None:
        gazetteer = Gazetteer(case) if case is not None else _default_gazetteer()
    raw_codes, raw = pd.factorize(series, use_na_sentinel=True)
    stripped = pd.Series(raw, dtype="string").str.strip()
    stripped = stripped.where(stripped != "")
    # distinct raw texts -> distinct stripped texts -> one look-up each
    scodes, uniques = pd.factorize(stripped, use_na_sentinel=True)
    codes = np.where(raw_codes < 0, -1, np.append(scodes, -1)[raw_codes])
    table = gazetteer.lookup(uniques, countries=countries)
    table = table.reindex(pd.Index(uniques, dtype="string"))
    # a name with an invisible character ("SVO\u202e") looks like a known name but is
    # another text: a problem, never the place it looks like (words: Persian's U+200C)
    hidden = {
        u: why
        for u in pd.Index(uniques).to_numpy(dtype=object)
        if (why := hidden_characters(u, words=True))
    }
    if hidden:
        at = pd.Index(list(hidden), dtype="string")
        table.loc[at, :] = None
        table.loc[at, "problem"] = [
            f"place name {u!r} holds an invisible character ({why}): it is not the name it "
            "looks like; remove the character (copy the name from the source as plain text)"
            for u, why in hidden.items()
        ]
    # codes == -1 (empty name) is not a label of the RangeIndex -> an all-NA row
    out = table.reset_index(drop=True).reindex(codes)
    out.index = series.index
    if near is not None:
        out = _near_step(out, series, gazetteer, countries, near)
    if strict and out["problem"].notna().any():
        bad = out["problem"].dropna().unique()
        raise PlaceResolutionError(
            f"{len(bad)} place name(s) could not be resolved:\n"
            + "\n".join(f"  - {b}" for b in bad)
        )
    return out


def _near_step(out: pd.DataFrame, series: pd.Series, gazetteer: Gazetteer, countries, near):
    """Rows the world step left ambiguous, asked again with the record's other
    place (``near``) as context."""
    if isinstance(near, pd.DataFrame):
        point = near.reindex(series.index)[["lat", "lon"]].to_numpy(dtype="float64")
    else:
        point = np.broadcast_to(np.asarray(near, dtype="float64"), (len(series), 2))
    ask = (out["candidates"].notna() & ~np.isnan(point).any(axis=1)).to_numpy(dtype=bool)
    if not ask.any():
        return out
    text = series.astype("string").str.strip()[ask]
    wanted = gazetteer.countries if countries is None else countries
    got = world_gazetteer.resolve(text, countries=wanted, near=point[ask])
    got = _say_countries(got, wanted)
    ok = got["lat"].notna().to_numpy(dtype=bool)
    if not ok.any():
        return out
    rows = out.index[ask][ok]
    part = out.loc[rows].copy()
    part.index = pd.Index([str(i) for i in range(len(part))], dtype="string")  # unique labels
    part["problem"] = pd.NA
    part["candidates"] = pd.NA
    done = _world_answers(part.index, got[ok].set_axis(part.index), part)
    assert len(done) == len(part)
    out = out.copy()
    out.loc[rows, :] = part.to_numpy()
    for c in ("lat", "lon", "radius_km"):
        out[c] = out[c].astype("float64")
    return out


# --------------------------------------------------------------------------- online


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "osint-kit"


def geocode_online(
    queries: Sequence[str] | pd.Series,
    *,
    cache_dir: str | os.PathLike | None = None,
    user_agent: str = "osint-kit (offline-first investigation notebooks)",
    min_delay_seconds: float = 1.0,
    timeout: float = 10.0,
) -> pd.DataFrame:
    """Geocode free-text queries with OpenStreetMap Nominatim -- *online*, opt-in.

    Never called by any default path of the kit.  Each distinct query is
    asked once, rate-limited to one request per ``min_delay_seconds``
    (Nominatim's usage policy: max 1 request/s, an identifying user agent),
    and the answer is cached in ``cache_dir/nominatim.json`` (default
    ``~/.cache/osint-kit``) so a later run -- or an offline machine with the
    cache copied over -- does not ask again.  A query with no result is
    cached too (as not found).

    Returns
    -------
    pandas.DataFrame
        Same index as ``queries``: ``lat``, ``lon`` (float64), ``matched_name``
        (Nominatim's display name), ``gazetteer`` ("nominatim"),
        ``from_cache`` (bool), ``problem`` (<NA> or "not found").
        Nominatim results are © OpenStreetMap contributors (ODbL): credit them.

    Raises
    ------
    OfflineError
        When a query is not cached and Nominatim cannot be reached.
    """
    series = queries if isinstance(queries, pd.Series) else pd.Series(list(queries), dtype="string")
    cache_dir = Path(cache_dir) if cache_dir is not None else _default_cache_dir()
    cache_file = cache_dir / "nominatim.json"
    cache: dict[str, Any] = {}
    if cache_file.exists():
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    text = series.astype("string").str.strip()
    uniques = [u for u in pd.unique(text.dropna()) if u]
    todo = [u for u in uniques if u not in cache]
    fresh = set(todo)
    if todo:
        from geopy.exc import GeocoderServiceError, GeopyError
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        geolocator = Nominatim(user_agent=user_agent, timeout=timeout)
        geocode = RateLimiter(
            geolocator.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=1,
            swallow_exceptions=False,
        )
        for query in todo:  # network-bound and rate-limited: one request per distinct query
            try:
                loc = geocode(query)
            except (GeocoderServiceError, GeopyError, OSError) as exc:
                _write_cache(cache_file, cache)
                raise OfflineError(
                    f"online geocoding of {query!r} failed: Nominatim could not be reached "
                    f"({type(exc).__name__}: {exc}). Work offline with the gazetteer "
                    "(resolve_places), or retry when the network is available; "
                    f"{len(cache)} answers are cached in {cache_file}"
                ) from exc
            cache[query] = (
                None
                if loc is None
                else {"lat": loc.latitude, "lon": loc.longitude, "name": loc.address}
            )
        _write_cache(cache_file, cache)
    rows: dict[str, Any] = {u: cache.get(u) for u in uniques}
    lat = text.map(lambda u: rows[u]["lat"] if rows.get(u) else np.nan)
    lon = text.map(lambda u: rows[u]["lon"] if rows.get(u) else np.nan)
    name = text.map(lambda u: rows[u]["name"] if rows.get(u) else None)
    out = pd.DataFrame(
        {
            "lat": lat.astype("float64"),
            "lon": lon.astype("float64"),
            "matched_name": name.astype("string"),
            "gazetteer": pd.Series("nominatim", index=series.index, dtype="string"),
            "from_cache": text.map(lambda u: u not in fresh).astype(bool),
            "problem": pd.Series(
                np.where(text.notna() & lat.isna(), "not found", None),  # type: ignore[call-overload]  # numpy stubs: no overload takes None as a value
                index=series.index,
                dtype="string",
            ),
        },
        index=series.index,
    )
    return out


def compare_online(
    names,
    gazetteer: Gazetteer | None = None,
    *,
    case=None,
    cache_dir: str | os.PathLike | None = None,
    **online: Any,
) -> pd.DataFrame:
    """The offline answer and the online one side by side -- *online*, opt-in.

    For a teacher: each name resolved offline (:func:`resolve_places`: case ->
    curated -> airports -> world) and by Nominatim (:func:`geocode_online`,
    cached in ``cache_dir``, rate-limited; ``online`` is passed to it), and how
    far apart the two points are.  A notebook cell::

        from osint_kit.analysis.places import compare_online
        compare_online(["Astrakhan, Russia", "Penza", "Kazan", "Amirabad"], case=case)

    Returns
    -------
    pandas.DataFrame
        Same index as ``names``: ``name``; ``offline_lat``, ``offline_lon``
        (float64, degrees), ``offline_name``, ``offline_id``, ``offline_how``
        (``match_how``), ``offline_radius_km``, ``offline_problem`` (with the
        candidates of an ambiguous name); ``online_lat``, ``online_lon``,
        ``online_name`` (Nominatim's display name, © OpenStreetMap
        contributors, ODbL), ``online_problem``, ``from_cache``;
        ``distance_km`` (float64, geodesic between the two points; NaN when
        either is missing) and ``agree`` (boolean: the online point lies within
        the offline radius; <NA> when either is missing).

    Raises
    ------
    OfflineError
        When a name is not cached and Nominatim cannot be reached (as
        :func:`geocode_online`): nothing offline is hidden by it.
    """
    series = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype="string")
    off = resolve_places(series, gazetteer, case=case)
    on = geocode_online(series, cache_dir=cache_dir, **online)
    km = np.asarray(
        geodesic_km(off["lat"], off["lon"], on["lat"], on["lon"]), dtype="float64"
    ).reshape(-1)
    agree = pd.array(km <= off["radius_km"].to_numpy(dtype="float64"), dtype="boolean")
    agree[np.isnan(km)] = pd.NA
    return pd.DataFrame(
        {
            "name": series.astype("string"),
            "offline_lat": off["lat"],
            "offline_lon": off["lon"],
            "offline_name": off["matched_name"],
            "offline_id": off["place_id"],
            "offline_how": off["match_how"],
            "offline_radius_km": off["radius_km"],
            "offline_problem": off["problem"],
            "online_lat": on["lat"],
            "online_lon": on["lon"],
            "online_name": on["matched_name"],
            "online_problem": on["problem"],
            "from_cache": on["from_cache"],
            "distance_km": pd.Series(km, index=series.index),
            "agree": pd.Series(agree, index=series.index),
        },
        index=series.index,
    )


def _write_cache(path: Path, cache: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(cache, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
