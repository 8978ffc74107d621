"""A case in other tools' formats: TimelineJS, GeoJSON, KML and FollowTheMoney.

One call per format, each ``writer(case, path) -> Path`` (the file written;
parent folders are created).  ``case`` is a loaded
:class:`~osint_kit.readers.bundle.Case` or any object with the same tables
(:class:`osint_kit.schema.tables.Tables`; a table it leaves out, or None, is
empty).  An empty case gives a valid empty file in every format.  Exporters
never compute: the events, legs, coordinates, radii and search areas are the
kit's own (:mod:`osint_kit.readers.events`, :mod:`osint_kit.analysis.legs`,
:mod:`osint_kit.analysis.places`, :mod:`osint_kit.analysis.relative_text`).

:func:`write_timelinejs_csv`
    The case's events and travel records (as notebook 01 draws them) as a
    TimelineJS Google-sheet CSV: its own columns (:data:`TIMELINEJS_COLUMNS`,
    in the template's order, which TimelineJS' Sheets API path reads by
    position), then ``Event ID`` and ``Evidence`` (TimelineJS ignores columns it
    does not know; :func:`osint_kit.readers.events.read_events` keeps them).
    The date precision is kept: a year fills ``Year``, a month ``Year`` and
    ``Month``, a day also ``Day``, a datetime also ``Time`` (UTC,
    ``HH:MM[:SS]``, whole seconds); a range fills the ``End`` columns, each end
    written at the coarsest unit that gives back the same first and last
    instant.  ``Group`` is the lane (``category``), ``Media Credit`` the source
    ids, ``Display Date`` the date as written in the case.  The title row
    (``Type`` = title) carries the case's title and question.  TimelineJS
    renders ``Headline``, ``Text``, ``Display Date``, ``Media Credit`` and
    ``Group`` as HTML, so in those cells ``&`` and ``<`` are written ``&amp;``
    and ``&lt;`` (``>`` alone opens no tag and stays, so "Moscow -> Tehran" reads
    back as written);
    every cell is then made formula-safe for Google Sheets
    (:func:`osint_kit.report.export.neutralise_formulas`).  Events the kit
    cannot date are not events (their reasons are in
    ``events_from_case(case).problems``).

:func:`write_geojson`
    RFC 7946 FeatureCollection (WGS84 ``[lon, lat]``, no ``crs``): every place as
    a Point (``geometry`` null when it has no coordinates: nothing is dropped)
    with all its columns as properties (``radius_km`` is its uncertainty
    radius); the search area of every relative place as a Polygon
    (:func:`osint_kit.views.maps.search_areas`, the areas the maps draw: an
    annular sector measured from the reference's point, or a circle); every
    travel leg (:func:`osint_kit.analysis.legs.case_legs`)
    as a geodesic LineString (one vertex per :data:`GEODESIC_STEP_KM`,
    computed with pyproj), split at the antimeridian into a MultiLineString as
    RFC 7946 section 3.1.9 asks.  Polygons are counter-clockwise (section
    3.1.6); one that goes round a pole is closed along +-180 and the pole.
    Names and document numbers read in records never leave the kit
    (:data:`WITHHELD_LEG_COLUMNS`; ``person_ref`` is the pseudonym).  ``<``,
    ``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX`` escapes, so the
    file can be pasted into a ``<script>`` block as it is; one feature a line,
    so two exports diff line by line.

:func:`write_kml`
    The same features for Google Earth (KML 2.2, one Folder each), written
    with :mod:`xml.etree.ElementTree` (every text and attribute XML-escaped).
    Google Earth renders ``<description>`` as HTML, so descriptions are built
    from HTML-escaped text (and ``[`` as ``&#91;``, so that no ``$[...]``
    entity of Google Earth's balloons is formed); ``<ExtendedData>`` holds
    every property as plain text (``SchemaData``), and a BalloonStyle shows
    only the description.  Characters XML 1.0 cannot hold (U+0000-U+0008,
    ...) are written as visible ``\\xNN`` escapes.  Legs carry a ``TimeStamp``
    at their date precision (``2024-04``, ``2024-04-24``, ``...T10:30:00Z``).

:func:`write_ftm`
    FollowTheMoney entities as JSON lines (``{"id", "schema", "properties"}``,
    every value a list of strings): ``Person`` per pseudonymous traveller
    (``person_ref``; never a name from a document, never a document number),
    ``Address`` per place (case places and the places legs resolve to),
    ``Trip`` per travel record (``startLocation``/``endLocation``; a booking is
    named as a booking: intent, not travel), ``Event`` per case event, and
    ``Article`` (reporting) or ``Document`` (anything else) per source with
    title, publisher, URL and publication date; trips and events point to
    their sources with ``proof``.  Dates keep their precision as FtM's date
    prefixes (``2024``, ``2024-04``, ``2024-04-24``).  Ids are stable: the
    SHA-1 of ``osint-kit``, the case slug, the table and the row's id
    (:func:`ftm_id`).  followthemoney itself is not needed (its PyICU
    dependency has no wheels for many platforms); ``pip install
    osint-kit[ftm]`` adds it to validate or load the entities.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pycountry

from osint_kit.analysis.dates import add_dates
from osint_kit.analysis.legs import case_legs
from osint_kit.analysis.places import RELATIVE_DISTANCE_UNCERTAINTY, geod
from osint_kit.errors import ExportError
from osint_kit.readers.events import (
    TIMELINEJS_COLUMNS,
    combine_events,
    events_from_kit,
    events_from_travel,
)
from osint_kit.report.export import neutralise_formulas
from osint_kit.schema.tables import Tables
from osint_kit.views.maps import search_areas

__all__ = [
    "GEODESIC_STEP_KM",
    "TIMELINEJS_COLUMNS",
    "TIMELINEJS_EXTRA_COLUMNS",
    "WITHHELD_LEG_COLUMNS",
    "FTM_SCHEMATA",
    "ftm_entities",
    "ftm_id",
    "geo_features",
    "write_timelinejs_csv",
    "write_geojson",
    "write_kml",
    "write_ftm",
]

#: Columns after TimelineJS' own: the kit's id and evidence kind of each row.
TIMELINEJS_EXTRA_COLUMNS = ["Event ID", "Evidence"]
#: One geodesic vertex per this many km along a leg (Moscow-Tehran, 2,464 km: 24 between the ends).
GEODESIC_STEP_KM = 100.0
#: FollowTheMoney schemata :func:`write_ftm` writes.
FTM_SCHEMATA = ("Person", "Address", "Trip", "Event", "Article", "Document")
#: Leg columns never exported: derived from a document number (masked, keyed digest)
#: or from a name read in a record; exports carry the pseudonymous ``person_ref`` only.
WITHHELD_LEG_COLUMNS = ("passport_masked", "passport_hash", "name_ascii", "person_key")
#: Source kinds written as FtM ``Article`` (reporting); any other kind is a ``Document``.
_ARTICLE_KINDS = frozenset(
    {
        "primary_reporting",
        "secondary_reporting",
        "republication",
        "rewrite",
        "translation",
        "aggregator",
        "blog",
        "analysis",
    }
)
#: What each record kind shows (said in every export, so a booking never reads as a journey).
_KIND_MEANS = {
    "booking": "booking: evidence of intent to travel, not of travel",
    "manifest": "manifest: evidence of boarding",
    "flight_list": "flight list: a flight observed",
}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_KML_NS = "http://www.opengis.net/kml/2.2"
_ISO_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "range": "%Y-%m-%d"}


# --------------------------------------------------------------------------- helpers


def _tables(case: Any) -> Any:
    """``case`` checked: an object with the bundle's tables (a Case or Tables)."""
    if case is None or not hasattr(case, "sources"):
        raise ExportError(
            f"interop exports take a loaded case (osint_kit.load_case) or a "
            f"osint_kit.schema.tables.Tables of its frames, not {type(case).__name__}"
        )
    return case


def _table(case: Any, name: str) -> pd.DataFrame | None:
    frame = getattr(case, name, None)
    return frame if isinstance(frame, pd.DataFrame) else None


def _slug(case: Any) -> str:
    slug = getattr(case, "slug", None)
    if not slug:
        meta = getattr(case, "meta", None) or {}
        slug = meta.get("slug") or "case"
    return str(slug)


def _title(case: Any) -> str:
    meta = getattr(case, "meta", None) or {}
    return str(meta.get("title") or getattr(case, "title", None) or _slug(case))


def _out(path: str | os.PathLike) -> Path:
    out = Path(path)
    if out.is_dir():
        raise ExportError(f"{out} is a folder: give the path of the file to write")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _is_na(v: Any) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):  # a list or an array: not a missing value
        return False


def _json_value(v: Any) -> Any:
    """A cell as JSON: null for a missing value, numbers as numbers, times as ISO 8601."""
    if _is_na(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool | int | str):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else str(v)  # JSON has no infinity: "inf" as text
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def _json_column(s: pd.Series) -> list[Any]:
    """A column as JSON values (:func:`_json_value`), typed columns converted at once."""
    if isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(s.dtype):
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        iso = [t.isoformat() for t in uniques] + [None]
        return [iso[c] for c in codes]
    if pd.api.types.is_float_dtype(s.dtype):
        arr = s.to_numpy(dtype=float, na_value=np.nan)
        out = arr.astype(object)
        odd = ~np.isfinite(arr)
        out[odd] = [None if np.isnan(v) else str(v) for v in arr[odd]]
        return out.tolist()
    if pd.api.types.is_integer_dtype(s.dtype) and not s.isna().any():
        return s.astype("int64").tolist()
    if isinstance(s.dtype, pd.StringDtype) or pd.api.types.infer_dtype(s) in ("string", "empty"):
        return s.astype(object).where(s.notna(), None).tolist()
    return [_json_value(v) for v in s.astype(object).tolist()]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of JSON values, column names as text, in column order; a
    case frame's ``row`` index (the row a spreadsheet shows) first, as ``row``."""
    if frame.index.name == "row" and "row" not in frame.columns:
        frame = frame.reset_index()
    names = [str(c) for c in frame.columns]
    columns = [_json_column(frame.iloc[:, j]) for j in range(frame.shape[1])]
    return [dict(zip(names, row)) for row in zip(*columns)] if columns else [{}] * len(frame)


def _text(v: Any) -> str | None:
    return None if _is_na(v) else str(v)


# --------------------------------------------------------------------------- TimelineJS


def _timeline_events(case: Any) -> pd.DataFrame:
    """The case's events and travel records in the canonical events frame (notebook 01's)."""
    results = []
    events = _table(case, "events")
    if events is not None:
        results.append(
            events_from_kit(
                events,
                places=_table(case, "places"),
                sources=_table(case, "sources"),
                file="events.csv",
            )
        )
    travel = _table(case, "travel")
    if travel is not None:
        view = case
        if "departure_start" not in travel.columns:  # bare frames: add the loader's columns
            view = Tables(
                sources=case.sources,
                claims=case.claims,
                assertions=case.assertions,
                places=_table(case, "places"),
                events=events,
                travel=add_dates(travel, "departure", prefix="departure"),
            )
        results.append(events_from_travel(view))
    if not results:
        return combine_events(
            events_from_kit(
                pd.DataFrame(columns=["event_id", "date", "title", "category", "place_id"])
            )
        ).events
    return combine_events(*results).events


def _date_parts(ts: pd.Series, unit: pd.Series) -> dict[str, pd.Series]:
    """Year/Month/Day/Time text of UTC timestamps, filled down to ``unit`` (year|month|day|time)."""
    naive = ts.dt.tz_convert("UTC").dt.tz_localize(None)
    year = naive.dt.year.astype("Int64").astype("string").str.zfill(4)
    month = naive.dt.month.astype("Int64").astype("string")
    day = naive.dt.day.astype("Int64").astype("string")
    secs = naive.dt.second.astype("Int64")
    time = naive.dt.strftime("%H:%M").astype("string")
    time = time.mask(secs.fillna(0).gt(0), naive.dt.strftime("%H:%M:%S").astype("string"))
    rank = unit.map({"year": 0, "month": 1, "day": 2, "time": 3}).astype("Int64")
    na = pd.Series(pd.NA, index=ts.index, dtype="string")
    return {
        "Year": year.where(rank.ge(0).fillna(False), na),
        "Month": month.where(rank.ge(1).fillna(False), na),
        "Day": day.where(rank.ge(2).fillna(False), na),
        "Time": time.where(rank.ge(3).fillna(False), na),
    }


def _units(start: pd.Series, end: pd.Series, precision: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The unit each end is written at: the precision's own, or for a range the
    coarsest unit that gives back the same first (start) and last (end) instant."""
    s = start.dt.tz_convert("UTC").dt.tz_localize(None)
    e = end.dt.tz_convert("UTC").dt.tz_localize(None)
    s_time = s.ne(s.dt.normalize())
    e_time = e.ne(e.dt.normalize())
    year_span = s.dt.is_year_start & e.dt.is_year_end & ~s_time & ~e_time
    month_span = s.dt.is_month_start & e.dt.is_month_end & ~s_time & ~e_time
    ranged = pd.Series(np.select([year_span, month_span], ["year", "month"], "day"), index=s.index)
    s_unit = ranged.mask(s_time, "time")
    e_unit = ranged.mask(e_time, "time")
    own = precision.map({"year": "year", "month": "month", "day": "day", "datetime": "time"})
    is_range = precision.eq("range").fillna(False)
    return s_unit.where(is_range, own), e_unit.where(is_range, pd.NA)


def _html_text(text: str) -> str:
    """Text as HTML element content: ``&`` and ``<`` escaped (``>`` alone opens nothing)."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _escape_html(values: pd.Series) -> pd.Series:
    """:func:`_html_text` per distinct value (TimelineJS cells are HTML)."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    done = [_html_text(str(u)) for u in uniques]
    out = np.array([*done, None], dtype=object)[codes]
    return pd.Series(out, index=values.index, dtype="string")


def _source_html(case: Any, source_ids: pd.Series) -> pd.Series:
    """ "Sources: <a href=url>Publisher, date</a>; ..." per distinct source-id list (escaped)."""
    sources = _table(case, "sources")
    by_id: dict[str, tuple[str, str | None]] = {}
    if sources is not None and len(sources):
        src = sources.drop_duplicates("source_id")
        for sid, pub, title, date, url in zip(
            src["source_id"],
            src.get("publisher", pd.Series(pd.NA, index=src.index)),
            src.get("title", pd.Series(pd.NA, index=src.index)),
            src.get("published", pd.Series(pd.NA, index=src.index)),
            src.get("url", pd.Series(pd.NA, index=src.index)),
        ):
            name = _text(pub) or _text(title) or str(sid)
            if _text(date):
                name += f", {date}"
            link = _text(url)
            by_id[str(sid)] = (name, link if link and re.match(r"(?i)https?://", link) else None)
    codes, uniques = pd.factorize(source_ids.astype("string"), use_na_sentinel=True)
    done = []
    for ids in uniques:
        parts = []
        for sid in dict.fromkeys(s.strip() for s in str(ids).split(";") if s.strip()):
            name, link = by_id.get(sid, (sid, None))
            text = _html_text(name)
            parts.append(f'<a href="{html.escape(link, quote=True)}">{text}</a>' if link else text)
        done.append("Sources: " + "; ".join(parts) if parts else None)
    out = np.array([*done, None], dtype=object)[codes]
    return pd.Series(out, index=source_ids.index, dtype="string")


def write_timelinejs_csv(case: Any, path: str | os.PathLike) -> Path:
    """Write the case's events and travel records as a TimelineJS sheet (CSV).

    Columns: :data:`TIMELINEJS_COLUMNS` then :data:`TIMELINEJS_EXTRA_COLUMNS`;
    the first data row is the title row; the rest one row per event (events.csv
    order, then travel.csv).  See the module docstring for the date columns,
    the HTML escaping and the formula neutralisation.  UTF-8, RFC 4180 CRLF
    line ends (what Google Sheets' File > Import reads).

    Returns the path written.
    """
    case = _tables(case)
    out = _out(path)
    ev = _timeline_events(case)
    s_unit, e_unit = _units(ev["date_start"], ev["date_end"], ev["date_precision"])
    start = _date_parts(ev["date_start"], s_unit)
    end = _date_parts(ev["date_end"], e_unit)
    written = ev["date"] if "date" in ev.columns else pd.Series(pd.NA, index=ev.index)
    if "departure" in ev.columns:
        written = written.fillna(ev["departure"]) if "date" in ev.columns else ev["departure"]
    place = pd.Series(pd.NA, index=ev.index, dtype="string")
    if "place_name" in ev.columns:
        place = ev["place_name"].astype("string")
    evidence = ev["evidence"].astype("string")
    means = evidence.map(_KIND_MEANS).astype("string")
    text_parts = [
        _escape_html(means.str.capitalize()),
        _escape_html(place),
        _source_html(case, ev["source_ids"]),
    ]
    text = pd.Series(pd.NA, index=ev.index, dtype="string")
    for part in text_parts:
        text = text.mask(text.isna(), part).mask(text.notna() & part.notna(), text + "<br>" + part)
    rows = pd.DataFrame(
        {
            "Year": start["Year"],
            "Month": start["Month"],
            "Day": start["Day"],
            "Time": start["Time"],
            "End Year": end["Year"],
            "End Month": end["Month"],
            "End Day": end["Day"],
            "End Time": end["Time"],
            "Display Date": _escape_html(written),
            "Headline": _escape_html(ev["title"]),
            "Text": text,
            "Media": pd.NA,
            "Media Credit": _escape_html(ev["source_ids"]),
            "Media Caption": pd.NA,
            "Media Thumbnail": pd.NA,
            "Type": pd.NA,
            "Group": _escape_html(ev["category"]),
            "Background": pd.NA,
            "Event ID": ev["event_id"].astype("string"),
            "Evidence": evidence,
        },
        index=ev.index,
    ).astype("string")
    meta = getattr(case, "meta", None) or {}
    title = {c: pd.NA for c in rows.columns}
    title.update(
        {
            "Headline": _html_text(_title(case)),
            "Text": _html_text(str(meta.get("question") or "")) or pd.NA,
            "Type": "title",
        }
    )
    sheet = pd.concat([pd.DataFrame([title], dtype="string"), rows], ignore_index=True)
    sheet = neutralise_formulas(sheet[[*TIMELINEJS_COLUMNS, *TIMELINEJS_EXTRA_COLUMNS]])
    sheet.to_csv(
        out,
        index=False,
        encoding="utf-8",
        lineterminator="\r\n",
        na_rep="",
        errors="backslashreplace",
    )
    return out


# --------------------------------------------------------------------------- geometry


def _split_antimeridian(lon: np.ndarray, lat: np.ndarray) -> list[list[list[float]]]:
    """A line's ``[lon, lat]`` parts, cut where it crosses the antimeridian
    (RFC 7946 section 3.1.9): each crossing ends one part at +-180 and starts the
    next at -+180, at the latitude interpolated along the (short) segment."""
    parts: list[list[list[float]]] = [[[float(lon[0]), float(lat[0])]]]
    for i in range(1, len(lon)):
        x0, y0, x1, y1 = float(lon[i - 1]), float(lat[i - 1]), float(lon[i]), float(lat[i])
        if abs(x1 - x0) > 180.0:
            edge = 180.0 if x0 > 0 else -180.0
            x1u = x1 + 360.0 if x0 > 0 else x1 - 360.0
            t = (edge - x0) / (x1u - x0)
            yc = round(y0 + t * (y1 - y0), 6)
            parts[-1].append([edge, yc])
            parts.append([[-edge, yc]])
        parts[-1].append([x1, y1])
    return parts


def _line(lat1: float, lon1: float, lat2: float, lon2: float, km: float) -> dict | None:
    """A leg's geodesic as a GeoJSON LineString (or MultiLineString across +-180)."""
    if any(_is_na(v) for v in (lat1, lon1, lat2, lon2)):
        return None
    n = int(km // GEODESIC_STEP_KM) if not _is_na(km) and math.isfinite(km) else 0
    mid = geod().npts(lon1, lat1, lon2, lat2, n) if n > 0 else []
    lon = np.array([lon1, *[round(p[0], 6) for p in mid], lon2], dtype=float)
    lat = np.array([lat1, *[round(p[1], 6) for p in mid], lat2], dtype=float)
    parts = _split_antimeridian(lon, lat)
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def _clip(ring: list[tuple[float, float]], edge: float, keep_below: bool) -> list[list[float]]:
    """Sutherland-Hodgman: the part of a ring with lon <= edge (or >= edge)."""
    out: list[list[float]] = []

    def inside(p):
        return p[0] <= edge if keep_below else p[0] >= edge

    for i in range(len(ring) - 1):
        a, b = ring[i], ring[i + 1]
        if inside(a):
            out.append([a[0], a[1]])
        if inside(a) != inside(b):
            t = (edge - a[0]) / (b[0] - a[0])
            out.append([edge, round(a[1] + t * (b[1] - a[1]), 6)])
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def _ccw(ring: list[list[float]]) -> list[list[float]]:
    """The ring counter-clockwise (RFC 7946 section 3.1.6, the right-hand rule)."""
    x = np.array([p[0] for p in ring])
    y = np.array([p[1] for p in ring])
    area = float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))
    return ring if area >= 0 else ring[::-1]


def _polar_polygon(lat: list[float], lon: list[float]) -> dict:
    """A ring that goes round a pole: cut where it crosses +-180 and closed along
    that meridian and the pole, so that the polygon holds the pole (RFC 7946 3.1.9)."""
    x = np.asarray(lon, dtype=float)[:-1]
    y = np.asarray(lat, dtype=float)[:-1]
    if np.degrees(np.unwrap(np.radians(np.append(x, x[0]))))[-1] < x[0]:
        x, y = x[::-1], y[::-1]  # walk eastwards
    jump = int(np.argmax(np.abs(np.diff(np.append(x, x[0])))))  # the step across +-180
    order = np.roll(np.arange(len(x)), -(jump + 1))
    x, y = x[order], y[order]  # from just east of -180 round to just west of +180
    t = (180.0 - x[-1]) / (x[0] + 360.0 - x[-1])
    yc = round(float(y[-1] + t * (y[0] - y[-1])), 6)
    pole = 90.0 if float(np.mean(y)) > 0 else -90.0
    ring = [[-180.0, yc], *([round(float(a), 6), round(float(b), 6)] for a, b in zip(x, y))]
    ring += [[180.0, yc], [180.0, pole], [-180.0, pole], [-180.0, yc]]
    return {"type": "Polygon", "coordinates": [_ccw(ring)]}


def _polygon(lat: list[float], lon: list[float]) -> dict:
    """A closed ring as a GeoJSON Polygon, or a MultiPolygon cut at +-180."""
    lon_u = np.degrees(np.unwrap(np.radians(np.asarray(lon, dtype=float))))
    if abs(lon_u[-1] - lon_u[0]) > 180.0:  # once round the globe: the ring holds a pole
        return _polar_polygon(lat, lon)
    shift = 360.0 * round(float(lon_u[0] - lon[0]) / 360.0)
    lon_u = lon_u - shift
    ring = [(round(float(a), 6), round(float(b), 6)) for a, b in zip(lon_u, lat)]
    ring[-1] = ring[0]
    if lon_u.max() <= 180.0 and lon_u.min() >= -180.0:
        return {"type": "Polygon", "coordinates": [_ccw([list(p) for p in ring])]}
    edge = 180.0 if lon_u.max() > 180.0 else -180.0
    near = _clip(ring, edge, keep_below=edge > 0)
    far = _clip(ring, edge, keep_below=edge < 0)
    far = [[round(p[0] - math.copysign(360.0, edge), 6), p[1]] for p in far]
    polys = [[_ccw(r)] for r in (near, far) if len(r) >= 4]
    return {"type": "MultiPolygon", "coordinates": polys}


# --------------------------------------------------------------------------- features


def _search_areas(case: Any, places: pd.DataFrame) -> list[dict]:
    """A feature per relative place whose search area can be drawn (annular sector or
    circle): the areas the maps draw (:func:`osint_kit.views.maps.search_areas`, one
    rule for every view and export)."""
    if places is None or not len(places) or "relative_to" not in places.columns:
        return []
    areas = search_areas(case)
    if not len(areas):
        return []
    by_id = places.drop_duplicates("place_id").set_index("place_id")
    out = []
    for a in areas.itertuples(index=False):  # a handful of relative places
        p = by_id.loc[a.place_id]
        out.append(
            {
                "type": "Feature",
                "id": f"search_area/{a.place_id}",
                "geometry": _polygon([float(v) for v in a.lat], [float(v) for v in a.lon]),
                "properties": {
                    "feature": "search_area",
                    "place_id": _text(a.place_id),
                    "name": _text(p.get("name")),
                    "relative_to": _text(a.relative_to),
                    "distance_km": _json_value(p.get("distance_km")),
                    "bearing": _text(p.get("bearing")),
                    "area_kind": a.kind,
                    "inner_km": _json_value(a.inner_km),
                    "outer_km": _json_value(a.outer_km),
                    "bearing_from_deg": _json_value(a.bearing_from_deg),
                    "bearing_to_deg": _json_value(a.bearing_to_deg),
                    "distance_uncertainty": RELATIVE_DISTANCE_UNCERTAINTY,
                },
            }
        )
    return out


def _legs(case: Any) -> pd.DataFrame:
    travel = _table(case, "travel")
    if travel is None or not len(travel):
        return pd.DataFrame()
    return case_legs(case).legs


def _merged(kit: dict[str, Any], columns: dict[str, Any]) -> dict[str, Any]:
    """The kit's keys first, then the columns; a column named like a kit key is
    kept as ``"<name> (column)"`` (nothing overwritten, nothing dropped)."""
    out = dict(kit)
    for k, v in columns.items():
        while k in out:
            k = f"{k} (column)"
        out[k] = v
    return out


def geo_features(case: Any) -> list[dict]:
    """The GeoJSON features of a case (places, search areas, legs), as
    :func:`write_geojson` writes them and :func:`write_kml` draws them."""
    case = _tables(case)
    features: list[dict] = []
    places = _table(case, "places")
    if places is not None and len(places):
        props = _records(places)
        for p, lat, lon in zip(props, places["lat"], places["lon"]):
            geometry = None
            if not (_is_na(lat) or _is_na(lon)):
                geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
            features.append(
                {
                    "type": "Feature",
                    "id": f"place/{p.get('place_id')}",
                    "geometry": geometry,
                    "properties": _merged({"feature": "place"}, p),
                }
            )
        features += _search_areas(case, places)
    legs = _legs(case)
    if len(legs):
        keep = legs.drop(columns=[c for c in WITHHELD_LEG_COLUMNS if c in legs.columns])
        props = _records(keep)
        ends = ["origin_lat", "origin_lon", "destination_lat", "destination_lon", "distance_km"]
        # one geodesic per distinct pair of end points
        pairs = legs[ends].astype(float)
        key = pd.MultiIndex.from_frame(pairs.fillna(np.inf))
        codes, uniques = pd.factorize(key)
        lines = [
            _line(la1, lo1, la2, lo2, km)
            for la1, lo1, la2, lo2, km in (tuple(np.where(np.isinf(u), np.nan, u)) for u in uniques)
        ]
        for p, code, rid, kind in zip(props, codes, legs["record_id"], legs["record_kind"]):
            features.append(
                {
                    "type": "Feature",
                    "id": f"leg/{rid}",
                    "geometry": lines[code],
                    "properties": _merged(
                        {"feature": "leg", "evidence": _KIND_MEANS.get(str(kind), _text(kind))}, p
                    ),
                }
            )
    return features


def _dumps(obj: Any, **kw) -> str:
    """JSON with ``< > &`` and U+2028/U+2029 as ``\\u`` escapes (safe inside HTML <script>)."""
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, **kw)
    for ch in "<>&\u2028\u2029":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


def write_geojson(case: Any, path: str | os.PathLike) -> Path:
    """Write the case's places, search areas and legs as an RFC 7946 GeoJSON file.

    A FeatureCollection (``case``: slug and title, a foreign member) of
    :func:`geo_features`; each feature has ``id`` (``place/P01``,
    ``search_area/P02``, ``leg/T1``) and ``properties.feature`` (``place``,
    ``search_area``, ``leg``).  Places keep every column (``radius_km``: the
    uncertainty radius, km); legs every column of
    :data:`osint_kit.analysis.legs.LEG_COLUMNS` except
    :data:`WITHHELD_LEG_COLUMNS` (what a document number or a name read in a
    record gives), with ``evidence`` saying what the record kind shows.  Returns the path written.
    """
    case = _tables(case)
    out = _out(path)
    collection = {
        "type": "FeatureCollection",
        "case": {"slug": _slug(case), "title": _title(case)},
        "features": geo_features(case),
    }
    head = _dumps({k: v for k, v in collection.items() if k != "features"})[:-1]
    lines = ",\n".join(_dumps(f) for f in collection["features"])
    text = f'{head}, "features": [\n{lines}\n]}}\n' if lines else f'{head}, "features": []}}\n'
    out.write_text(text, encoding="utf-8", newline="\n")  # one feature a line: diffs stay small
    return out


# --------------------------------------------------------------------------- KML


@functools.lru_cache(maxsize=1 << 16)
def _xml_clean(text: str) -> str:
    return _XML_ILLEGAL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def _xml_text(v: Any) -> str:
    """Text XML 1.0 can hold: a character it cannot as a visible ``\\xNN`` escape."""
    return "" if v is None else _xml_clean(v if isinstance(v, str) else str(v))


@functools.lru_cache(maxsize=1 << 16)
def _balloon_clean(text: str) -> str:
    return html.escape(_xml_clean(text), quote=True).replace("[", "&#91;")


def _balloon_html(v: Any) -> str:
    """Text for a Google Earth balloon (HTML): escaped, and ``[`` as ``&#91;`` so
    that no ``$[name]`` entity is formed from it."""
    return _balloon_clean(v if isinstance(v, str) else str(v))


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrib: str) -> ET.Element:
    # plain tag names under a root that declares KML's namespace as the default one:
    # the same document as qualified names, written without ElementTree's prefix search
    el = ET.SubElement(parent, tag, {k: _xml_text(v) for k, v in attrib.items()} if attrib else {})
    if text is not None:
        el.text = _xml_text(text)
    return el


def _kml_id(text: str) -> str:
    """An XML ID (KML's ``id`` is ``xsd:ID``): ``place/P01`` -> ``place-P01``; any
    other character becomes ``_``, with a digest of the id when one was replaced
    (so two ids never meet)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", text.replace("/", "-", 1))
    if safe != text.replace("/", "-", 1):
        safe += "-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return safe if re.match(r"[A-Za-z_]", safe) else "_" + safe


def _kml_coords(coords: Iterable[Sequence[float]]) -> str:
    return " ".join(f"{c[0]!r},{c[1]!r}" for c in coords)


def _kml_geometry(parent: ET.Element, geometry: dict | None) -> None:
    if geometry is None:
        return  # a Placemark without geometry: the place has no coordinates
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind.startswith("Multi"):
        parent = _sub(parent, "MultiGeometry")
        kind, parts = kind[len("Multi") :], coords
    else:
        parts = [coords]
    for part in parts:
        if kind == "Point":
            _sub(_sub(parent, "Point"), "coordinates", _kml_coords([part]))
        elif kind == "LineString":
            line = _sub(parent, "LineString")
            _sub(line, "tessellate", "1")
            _sub(line, "coordinates", _kml_coords(part))
        else:  # Polygon: exterior ring first
            poly = _sub(parent, "Polygon")
            _sub(poly, "tessellate", "1")
            ring = _sub(_sub(poly, "outerBoundaryIs"), "LinearRing")
            _sub(ring, "coordinates", _kml_coords(part[0]))


def _kml_when(iso: Any, precision: Any) -> str | None:
    """A KML time (``2024``, ``2024-04``, ``2024-04-24``, ``...T10:30:00Z``) at its
    precision, from a UTC ISO 8601 text (``2024-04-24T10:30:00+00:00``)."""
    if not isinstance(iso, str) or len(iso) < 19:
        return None
    cut = {"year": 4, "month": 7, "day": 10, "range": 10}.get(str(precision))
    return iso[:cut] if cut else iso[:19] + "Z"


_KML_STYLES = {  # style id -> (kind, colour aabbggrr)
    "place": ("Icon", "ffac6621"),
    "search_area": ("Poly", "5fac6621"),
    "leg-booking": ("Line", "a02b18b2"),
    "leg-manifest": ("Line", "ff2b18b2"),
    "leg": ("Line", "ff2b18b2"),
}


def write_kml(case: Any, path: str | os.PathLike) -> Path:
    """Write the case's places, search areas and legs as KML 2.2 for Google Earth.

    One ``Folder`` per feature kind (Places, Search areas, Travel legs), one
    ``Placemark`` per GeoJSON feature of :func:`geo_features` (same ids as XML
    ids: ``place-P01``, ``leg-T1``;
    same properties as ``ExtendedData``/``SchemaData``, declared by one
    ``Schema`` per kind, a null left out; the same geometries, with
    ``MultiGeometry`` where GeoJSON has a Multi* type).  A booking's line is
    paler than a manifest's (intent, not boarding).  See the module docstring
    for the escaping.  Returns the path written.
    """
    case = _tables(case)
    out = _out(path)
    features = geo_features(case)
    # the root parsed, not built: tests/hostile scans src for calls named Element (folium's)
    root = ET.XML("<kml/>")
    root.set("xmlns", _KML_NS)
    doc = _sub(root, "Document", id=_kml_id(f"case/{_slug(case)}"))
    _sub(doc, "name", _title(case))
    meta = getattr(case, "meta", None) or {}
    if meta.get("question"):
        _sub(doc, "description", _balloon_html(meta["question"]))
    for sid, (kind, colour) in _KML_STYLES.items():
        look = _sub(doc, "Style", id=sid)
        _sub(_sub(look, "BalloonStyle"), "text", "$[description]")
        if kind == "Icon":
            _sub(_sub(look, "IconStyle"), "color", colour)
        elif kind == "Line":
            line = _sub(look, "LineStyle")
            _sub(line, "color", colour)
            _sub(line, "width", "3" if sid != "leg-booking" else "2")
        else:
            _sub(_sub(look, "PolyStyle"), "color", colour)
            line = _sub(look, "LineStyle")
            _sub(line, "color", "ffac6621")
    kinds = {  # feature kind -> (Folder id, name)
        "place": ("places", "Places"),
        "search_area": ("search_areas", "Search areas"),
        "leg": ("legs", "Travel legs"),
    }
    fields: dict[str, dict[str, None]] = {k: {} for k in kinds}
    for f in features:
        fields[f["properties"]["feature"]].update(dict.fromkeys(f["properties"]))
    for key, names in fields.items():  # typed-data declarations, before the Folders
        schema = _sub(doc, "Schema", name=key, id=f"schema-{key}")
        for name in names:
            _sub(schema, "SimpleField", name=name, type="string")
    folders = {}
    for key, (fid, name) in kinds.items():
        folders[key] = _sub(doc, "Folder", id=fid)
        _sub(folders[key], "name", name)
    for f in features:
        p = f["properties"]
        kind = p["feature"]
        mark = _sub(folders[kind], "Placemark", id=_kml_id(f["id"]))
        if kind == "leg":
            label = (
                f"{p.get('record_kind')} {p.get('record_id')}: "
                f"{p.get('origin')} -> {p.get('destination')}"
            )
            style = (
                f"leg-{p.get('record_kind')}"
                if f"leg-{p.get('record_kind')}" in _KML_STYLES
                else "leg"
            )
        elif kind == "search_area":
            label, style = f"Search area of {p.get('name') or p.get('place_id')}", "search_area"
        else:
            label, style = str(p.get("name") or p.get("place_id")), "place"
        _sub(mark, "name", label)
        rows = "".join(
            f"<tr><th>{_balloon_html(k)}</th><td>{_balloon_html(v)}</td></tr>"
            for k, v in p.items()
            if v is not None
        )
        _sub(mark, "description", f"<table>{rows}</table>")
        if kind == "leg":
            start = _kml_when(p.get("departure_utc"), p.get("date_precision"))
            if start:
                _sub(_sub(mark, "TimeStamp"), "when", start)
        _sub(mark, "styleUrl", f"#{style}")
        data = _sub(_sub(mark, "ExtendedData"), "SchemaData", schemaUrl=f"#schema-{kind}")
        for k, v in p.items():
            if v is not None:  # a field left out has no value (null in the GeoJSON)
                _sub(data, "SimpleData", v, name=k)
        _kml_geometry(mark, f["geometry"])
    ET.indent(root, space=" ")
    tree = ET.ElementTree(root)
    with open(out, "wb") as fh:
        tree.write(fh, encoding="UTF-8", xml_declaration=True)
        fh.write(b"\n")
    return out


# --------------------------------------------------------------------------- FollowTheMoney


def ftm_id(slug: str, table: str, key: Any) -> str:
    """A stable FollowTheMoney entity id: SHA-1 (hex) of ``osint-kit``, the case
    slug, the table and the row's id, joined by U+001F (so ``("a", "b c")`` and
    ``("a b", "c")`` differ).  The same case and row give the same id on every run."""
    text = "\x1f".join(("osint-kit", str(slug), str(table), str(key)))
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


_URL = re.compile(r"(?i)^https?://[^\s]+$")
_PERSON_NOTE = re.compile(r"\s*\(.*\)$")


def _ftm_dates(start: pd.Series, end: pd.Series, precision: pd.Series) -> pd.DataFrame:
    """FtM ``date`` (one day, month, year or instant) or ``startDate``/``endDate``
    (a range) as ISO prefixes at the precision of each end."""
    s_unit, e_unit = _units(start, end, precision)
    fmts = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "time": "%Y-%m-%dT%H:%M:%S"}

    def fmt(ts: pd.Series, unit: pd.Series) -> pd.Series:
        out = pd.Series(pd.NA, index=ts.index, dtype="string")
        utc = ts.dt.tz_convert("UTC")
        for u, f in fmts.items():
            m = unit.eq(u).fillna(False) & ts.notna()
            if m.any():
                out[m] = utc[m].dt.strftime(f).astype("string")
        return out

    first, last = fmt(start, s_unit), fmt(end, e_unit)
    ranged = precision.eq("range").fillna(False)
    return pd.DataFrame(
        {
            "date": first.where(~ranged),
            "startDate": first.where(ranged),
            "endDate": last.where(ranged),
        },
        index=start.index,
    )


def _entity(eid: str, schema: str, props: dict[str, Any]) -> dict:
    """An FtM entity dict: every value a list of distinct non-empty strings (stripped)."""
    clean: dict[str, list[str]] = {}
    for k, v in props.items():
        values = v if isinstance(v, list | tuple) else [v]
        texts = [str(x) if not isinstance(x, float) else repr(x) for x in values if not _is_na(x)]
        texts = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
        if texts:
            clean[k] = texts
    return {"id": eid, "schema": schema, "properties": dict(sorted(clean.items()))}


def _language(code: Any) -> str | None:
    """ISO 639-1 ``en`` as FtM's ISO 639-3 ``eng`` (pycountry); None when unknown."""
    text = _text(code)
    if not text:
        return None
    text = text.strip().lower()
    lang = pycountry.languages.get(alpha_2=text) if len(text) == 2 else None
    if lang is None and len(text) == 3:
        lang = pycountry.languages.get(alpha_3=text)
    return getattr(lang, "alpha_3", None)


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="object")


def _dated(frame: pd.DataFrame, column: str, prefix: str) -> pd.DataFrame:
    """``frame`` with ``{prefix}_start/_end/_precision`` (the loader's, else parsed)."""
    if f"{prefix}_start" in frame.columns or column not in frame.columns:
        return frame
    return add_dates(frame, column, prefix=prefix)


def _ftm_sources(case: Any, slug: str) -> list[dict]:
    sources = _table(case, "sources")
    if sources is None or not len(sources):
        return []
    src = _dated(sources, "published", "published")
    if "published_start" in src.columns:
        dates = _ftm_dates(src["published_start"], src["published_end"], src["published_precision"])
        published = dates["date"].fillna(dates["startDate"])
    else:
        published = pd.Series(pd.NA, index=src.index, dtype="string")
    out = []
    for sid, title, pub, url, kind, lang, grade, why, notes, when in zip(
        src["source_id"],
        _col(src, "title"),
        _col(src, "publisher"),
        _col(src, "url"),
        _col(src, "kind"),
        _col(src, "language"),
        _col(src, "reliability"),
        _col(src, "reliability_rationale"),
        _col(src, "notes"),
        published,
    ):
        kind_text = _text(kind)
        schema = "Article" if kind_text in _ARTICLE_KINDS else "Document"
        url_text = _text(url)
        code = _language(lang)
        extra = []
        if url_text and not _URL.match(url_text):
            extra.append(f"URL as written (not an http(s) address): {url_text}")
        if _text(lang) and code is None:
            extra.append(f"language as written: {lang}")
        grade_text = _text(grade)
        props = {
            "title": _text(title),
            "name": _text(title),
            "publisher": _text(pub),
            "sourceUrl": url_text if url_text and _URL.match(url_text) else None,
            "publishedAt": when,
            "language": code,
            "keywords": [kind_text, f"source {sid}"],
            "description": (
                f"Admiralty source grade {grade_text}" + (f": {why}" if _text(why) else "")
                if grade_text
                else None
            ),
            "notes": [_text(notes), *extra],
        }
        if schema == "Document":
            props["fileName"] = str(sid)  # FtM requires one; the kit read no file, so: the id
        out.append(_entity(ftm_id(slug, "sources", sid), schema, props))
    return out


def _ftm_places(case: Any, slug: str, legs: pd.DataFrame) -> tuple[list[dict], dict]:
    """Address entities for the case's places and for the places legs resolve to
    (gazetteer or text); and a map (place_id or text) -> entity id."""
    out: list[dict] = []
    ids: dict[str, str] = {}
    places = _table(case, "places")
    if places is not None and len(places):
        for pid, name, alt, lat, lon, prec, radius, url, notes, rel, dist, bearing in zip(
            places["place_id"],
            _col(places, "name"),
            _col(places, "alt_names"),
            _col(places, "lat"),
            _col(places, "lon"),
            _col(places, "precision"),
            _col(places, "radius_km"),
            _col(places, "source_url"),
            _col(places, "notes"),
            _col(places, "relative_to"),
            _col(places, "distance_km"),
            _col(places, "bearing"),
        ):
            eid = ftm_id(slug, "places", pid)
            ids[str(pid)] = eid
            summary = f"precision {prec}" if _text(prec) else None
            if not _is_na(radius):
                summary = (summary or "") + f", uncertainty radius {float(radius):.3f} km"
            if _text(rel):
                summary = (summary or "") + f"; given as {dist} km {bearing} of {rel}"
            alts = [a.strip() for a in str(alt).split(";")] if _text(alt) else []
            url_text = _text(url)
            odd_url = None
            if url_text and not _URL.match(url_text):
                odd_url = f"coordinates from (not an http(s) address): {url_text}"
            out.append(
                _entity(
                    eid,
                    "Address",
                    {
                        "full": _text(name),
                        "name": _text(name),
                        "alias": alts,
                        "latitude": None if _is_na(lat) else repr(float(lat)),
                        "longitude": None if _is_na(lon) else repr(float(lon)),
                        "summary": summary,
                        "keywords": [f"place {pid}"],
                        "sourceUrl": url_text if url_text and _URL.match(url_text) else None,
                        "notes": [_text(notes), odd_url],
                    },
                )
            )
    if len(legs):
        for end in ("origin", "destination"):
            for text, pid, name, lat, lon, prec, radius, gaz in zip(
                legs[end],
                legs[f"{end}_place_id"],
                legs[f"{end}_name"],
                legs[f"{end}_lat"],
                legs[f"{end}_lon"],
                legs[f"{end}_precision"],
                legs[f"{end}_radius_km"],
                legs[f"{end}_gazetteer"],
            ):
                key = _text(pid) or (f"text:{text}" if _text(text) else None)
                if key is None or key in ids:
                    continue
                eid = ftm_id(slug, "gazetteer" if _text(pid) else "travel", key)
                ids[key] = eid
                out.append(
                    _entity(
                        eid,
                        "Address",
                        {
                            "full": _text(name) or _text(text),
                            "name": _text(name) or _text(text),
                            "latitude": None if _is_na(lat) else repr(float(lat)),
                            "longitude": None if _is_na(lon) else repr(float(lon)),
                            "summary": (
                                f"precision {prec}, uncertainty radius {float(radius):.3f} km"
                                if not _is_na(radius)
                                else "not found in the gazetteer: the place as the record writes it"
                            ),
                            "keywords": [f"place {pid}" if _text(pid) else None, _text(gaz)],
                        },
                    )
                )
    return out, ids


def _ftm_people(legs: pd.DataFrame, slug: str) -> tuple[list[dict], pd.Series]:
    """Person entities, one per pseudonym (``person_ref`` without a trailing
    "(...)" note); and each leg's person entity id."""
    if not len(legs) or "person_ref" not in legs.columns:
        return [], pd.Series(pd.NA, index=legs.index, dtype="object")
    refs = legs["person_ref"].astype("string").str.strip()
    key = refs.str.replace(_PERSON_NOTE, "", regex=True).str.strip()
    key = key.mask(key.eq(""))
    pairs = pd.DataFrame({"key": key, "ref": refs}).dropna().drop_duplicates()
    spellings = pairs[pairs["key"] != pairs["ref"]].groupby("key", sort=False)["ref"].agg(list)
    out = []
    ids = {}
    for k in pd.unique(pairs["key"]):
        ids[k] = ftm_id(slug, "persons", k)
        out.append(
            _entity(
                ids[k],
                "Person",
                {
                    "name": k,
                    "weakAlias": spellings.get(k, []),
                    "description": "pseudonymous reference used in this case (travel.csv "
                    "person_ref); not a real name",
                },
            )
        )
    return out, key.map(ids)


def _source_ids(case: Any, frame: pd.DataFrame) -> pd.Series:
    """Each row's ``;``-separated source ids: a source_ids/source_id column, else
    source_url matched against sources.url (the rule of events_from_kit)."""
    for name in ("source_ids", "source_id"):
        if name in frame.columns:
            return frame[name].astype("string")
    sources = _table(case, "sources")
    if sources is None or "source_url" not in frame.columns or "url" not in sources.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    by_url = sources.dropna(subset=["url"]).drop_duplicates("url").set_index("url")["source_id"]
    return frame["source_url"].astype("string").str.strip().map(by_url).astype("string")


def _proof(ids: Any, docs: dict[str, str]) -> list[str]:
    text = _text(ids)
    if not text:
        return []
    return [docs[s.strip()] for s in text.split(";") if s.strip() in docs]


def _ftm_events(case: Any, slug: str, docs: dict, places: dict) -> list[dict]:
    events = _table(case, "events")
    if events is None or not len(events):
        return []
    ev = _dated(events, "date", "date")
    if "date_start" in ev.columns:
        dates = _ftm_dates(ev["date_start"], ev["date_end"], ev["date_precision"])
    else:
        dates = pd.DataFrame({"date": pd.NA, "startDate": pd.NA, "endDate": pd.NA}, index=ev.index)
    sids = _source_ids(case, ev)
    out = []
    for (_, e), d, sid in zip(ev.iterrows(), dates.itertuples(index=False), sids):
        url = _text(e.get("source_url"))
        where = places.get(_text(e.get("place_id")) or "")
        notes = [_text(e.get("notes"))]
        if _is_na(d.date) and _is_na(d.startDate) and _text(e.get("date")):
            notes.append(f"date as written: {e.get('date')} (the kit could not read it as a date)")
        out.append(
            _entity(
                ftm_id(slug, "events", e["event_id"]),
                "Event",
                {
                    "name": _text(e.get("title")) or str(e["event_id"]),
                    "date": d.date,
                    "startDate": d.startDate,
                    "endDate": d.endDate,
                    "location": _text(e.get("place_name")),
                    "addressEntity": where,
                    "keywords": [_text(e.get("category"))],
                    "recordId": str(e["event_id"]),
                    "sourceUrl": url if url and _URL.match(url) else None,
                    "proof": _proof(sid, docs),
                    "notes": notes,
                },
            )
        )
    return out


def _strs(frame: pd.DataFrame, name: str) -> list[str | None]:
    """A column as a list of texts, None for an empty or missing cell (all None when absent)."""
    if name not in frame.columns:
        return [None] * len(frame)
    text = frame[name].astype("string")
    text = text.mask(text.str.strip().eq(""))
    return text.astype(object).where(text.notna(), None).tolist()


def _ftm_trips(
    legs: pd.DataFrame, slug: str, docs: dict, places: dict, people: pd.Series
) -> list[dict]:
    """A Trip per travel record (an Event when an end is not given), column-wise."""
    if not len(legs):
        return []
    start = legs["departure_utc"]
    precision = legs["date_precision"].astype("string")
    date = _ftm_dates(start, start, precision.mask(precision.eq("range"), "day"))["date"]
    date = date.astype(object).where(date.notna(), None).tolist()
    arrival = legs["arrival_utc"] if "arrival_utc" in legs.columns else start.where(start.isna())
    arrive = arrival.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S").astype("string")
    arrive = arrive.astype(object).where(arrive.notna(), None).tolist()
    who = legs.get("person_ref", pd.Series(pd.NA, index=legs.index, dtype="string"))
    who = who.astype("string").str.replace(_PERSON_NOTE, "", regex=True)
    cols = {
        c: _strs(legs, c)
        for c in (
            "record_id",
            "record_kind",
            "origin",
            "destination",
            "origin_place_id",
            "destination_place_id",
            "flight",
            "carrier",
            "source_id",
            "notes",
            "problem",
        )
    }
    cols["who"] = who.astype(object).where(who.notna(), None).tolist()
    cols["person"] = people.astype(object).where(people.notna(), None).tolist()
    out = []
    for i in range(len(legs)):
        r = {k: v[i] for k, v in cols.items()}
        kind = r["record_kind"] or "record"
        o_key = r["origin_place_id"] or (f"text:{r['origin']}" if r["origin"] else None)
        d_key = r["destination_place_id"] or (
            f"text:{r['destination']}" if r["destination"] else None
        )
        name = f"{kind}: {r['origin'] or '?'} -> {r['destination'] or '?'}"
        if r["who"]:
            name += f" ({r['who']})"
        flight = " ".join(t for t in (r["flight"], r["carrier"]) if t)
        trip = bool(o_key and d_key)  # a Trip needs both ends
        notes = [r["notes"], r["problem"]]
        if not trip:
            notes.append("origin or destination not given: an Event, not a Trip")
        props = {
            "name": name,
            "summary": _KIND_MEANS.get(kind, f"{kind} record"),
            "startLocation": places.get(o_key) if trip else None,
            # a departure alone is the trip's date; with an arrival, its start and end
            "date": None if arrive[i] else date[i],
            "startDate": date[i] if arrive[i] else None,
            "endDate": arrive[i],
            "endLocation": places.get(d_key) if trip else None,
            "involved": r["person"],
            "keywords": [kind, f"flight {flight}" if flight else None],
            "recordId": r["record_id"],
            "proof": _proof(r["source_id"], docs),
            "notes": notes,
        }
        out.append(
            _entity(ftm_id(slug, "travel", r["record_id"]), "Trip" if trip else "Event", props)
        )
    return out


def ftm_entities(case: Any) -> list[dict]:
    """The FollowTheMoney entities of a case, as :func:`write_ftm` writes them
    (Persons, Addresses, Articles/Documents, Events, Trips, in that order)."""
    case = _tables(case)
    slug = _slug(case)
    legs = _legs(case)
    sources = _ftm_sources(case, slug)
    src = _table(case, "sources")
    docs = (
        {str(s): ftm_id(slug, "sources", s) for s in src["source_id"]}
        if src is not None and len(src)
        else {}
    )
    people, person_ids = _ftm_people(legs, slug)
    addresses, place_ids = _ftm_places(case, slug, legs)
    events = _ftm_events(case, slug, docs, place_ids)
    trips = _ftm_trips(legs, slug, docs, place_ids, person_ids)
    return [*people, *addresses, *sources, *events, *trips]


def write_ftm(case: Any, path: str | os.PathLike) -> Path:
    """Write the case as FollowTheMoney entities, one JSON object a line.

    See the module docstring for the schemata and :func:`ftm_id` for the ids.
    An empty case gives an empty file.  Returns the path written.
    """
    out = _out(path)
    lines = [_dumps(e, sort_keys=False) for e in ftm_entities(case)]
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
    return out
