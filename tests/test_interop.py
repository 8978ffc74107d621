"""Tests for osint_kit.report.interop: TimelineJS CSV, GeoJSON, KML, FollowTheMoney."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from osint_kit import load_case
from osint_kit.analysis.dates import parse_dates
from osint_kit.analysis.relative_text import search_area
from osint_kit.errors import ExportError
from osint_kit.readers.bundle import new_case
from osint_kit.readers.events import (
    TIMELINEJS_COLUMNS,
    combine_events,
    events_from_case,
    events_from_travel,
    read_events,
)
from osint_kit.report import interop
from osint_kit.report.interop import (
    TIMELINEJS_EXTRA_COLUMNS,
    WITHHELD_LEG_COLUMNS,
    ftm_entities,
    ftm_id,
    geo_features,
    write_ftm,
    write_geojson,
    write_kml,
    write_timelinejs_csv,
)
from osint_kit.schema.tables import Tables

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ftm"
KML = "{http://www.opengis.net/kml/2.2}"
SLUG = "ru-ir-missile-experts-2024"

# hostile text: markup, a CDATA end, an entity already escaped, a DOCTYPE with an
# external entity, template syntax (Jinja2, Google Earth's $[...]), spreadsheet formulas
SCRIPT = "<script>alert(1)</script>"
CDATA = "]]><script>alert(2)</script>"
ENTITY = "&lt;img src=x onerror=alert(3)&gt; AT&T"
DOCTYPE = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;'
TEMPLATE = "$[name] {{ 7*7 }} {% raw %}"
FORMULA = '=HYPERLINK("http://x")'
SVG = "<svg onload=alert(4)>"
PASSPORT = "4510 123456"
REAL_NAME = "Ivanov Ivan Ivanovich"


def _write(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> object:
    """A small case of another story, full of hostile text, across the antimeridian."""
    d = new_case(tmp_path_factory.mktemp("cases") / "pacific-hostile", title=f"Pacific {SCRIPT}")
    _write(
        d / "sources.csv",
        [
            dict(
                source_id="s1",
                title=SCRIPT,
                publisher="-2+3",
                url="javascript:alert(1)",
                published="2024-05",
                kind="official",
                derived_from="",
                reliability="C",
                language="ru",
            ),
            dict(
                source_id="s2",
                title=CDATA,
                publisher=FORMULA,
                url="https://example.org/a?b=1&c=2",
                published="2024-05-02",
                kind="rewrite",
                derived_from="s1",
                reliability="F",
                language="en",
            ),
        ],
    )
    _write(
        d / "places.csv",
        [
            dict(
                place_id="H1",
                name=f"Suva {SCRIPT}",
                alt_names=f"Suva;{TEMPLATE}",
                lat="-18.1416",
                lon="178.4419",
                precision="city",
                relative_to="",
                distance_km="",
                bearing="",
                notes="bell \x07 here",
                feature=SVG,
            ),
            dict(
                place_id="H2",
                name=f"Apia {CDATA}",
                alt_names="Apia",
                lat="-13.8333",
                lon="-171.7667",
                precision="exact",
                relative_to="",
                distance_km="",
                bearing="",
                notes=DOCTYPE,
            ),
            dict(
                place_id="H3",
                name=f"150 km east of Suva {ENTITY}",
                alt_names="",
                lat="",
                lon="",
                precision="inferred",
                relative_to="H1",
                distance_km="150",
                bearing="E",
                notes="",
            ),
        ],
    )
    _write(
        d / "claims.csv",
        [dict(claim_id="C1", text=SCRIPT, date="2024-05", place_id="H1")],
    )
    _write(d / "assertions.csv", [dict(source_id="s1", claim_id="C1", stance="supports")])
    _write(
        d / "events.csv",
        [
            dict(
                event_id="E1",
                date="2024-04",
                title=FORMULA,
                category="lane <i>1</i>",
                place_id="H1",
                source_url="javascript:alert(1)",
            ),
            dict(
                event_id="E2",
                date="2024-04-13/2024-04-14",
                title=CDATA,
                category="x",
                place_id="",
                source_url="https://example.org/a?b=1&c=2",
            ),
            dict(
                event_id="E3",
                date="2024-05-01T10:30",
                title=ENTITY,
                category="x",
                place_id="H2",
                source_url="",
            ),
            dict(
                event_id="E4", date="2024", title=DOCTYPE, category="x", place_id="", source_url=""
            ),
            dict(
                event_id="E5",
                date="2024-04/2024-06",
                title=TEMPLATE,
                category="x",
                place_id="",
                source_url="",
            ),
            dict(
                event_id="E6",
                date="sometime",
                title="undated",
                category="x",
                place_id="",
                source_url="",
            ),
        ],
    )
    _write(
        d / "travel.csv",
        [
            dict(
                record_id="X1",
                record_kind="manifest",
                origin="Suva",
                destination="Apia",
                departure="2024-05-01",
                source_id="s2",
                person_ref=f"<b>P-1</b> {FORMULA}",
                passport=PASSPORT,
                full_name=REAL_NAME,
            ),
            dict(
                record_id="X2",
                record_kind="booking",
                origin="Suva",
                destination="Nowhere Atoll",
                departure="2024-04",
                source_id="s1",
                person_ref="P-2 (a group)",
                passport=PASSPORT,
                full_name=REAL_NAME,
            ),
        ],
    )
    return load_case(d)


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    return load_case(new_case(tmp_path_factory.mktemp("cases") / "empty-case"))


# --------------------------------------------------------------------------- TimelineJS


def _kit_events(case) -> pd.DataFrame:
    return combine_events(events_from_case(case), events_from_travel(case)).events


def test_timelinejs_round_trip_bundled_case(case, tmp_path):
    path = write_timelinejs_csv(case, tmp_path / "timeline.csv")
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    # TimelineJS' own template columns, in its order (its Sheets API path reads Year, Month,
    # Day and Time by position A-D), then the kit's two
    assert header == TIMELINEJS_COLUMNS + TIMELINEJS_EXTRA_COLUMNS
    back = read_events(path)
    kit = _kit_events(case)
    # 28 events + 3 travel records, plus the title row (not an event)
    assert back.counts() == {
        "rows_in": 32,
        "events": 31,
        "rejected": 0,
        "kept_with_problem": 0,
        "non_event_rows": 1,
    }
    assert back.title == "Russian missile specialists booked to fly Moscow to Tehran, 2024"
    ev = back.events
    for col in ("date_start", "date_end", "date_precision", "title", "category", "source_ids"):
        pd.testing.assert_series_equal(ev[col], kit[col], check_names=False)
    assert ev["Event ID"].tolist() == kit["event_id"].tolist()
    assert ev["Evidence"].tolist() == kit["evidence"].tolist()
    # E04, "2024-04-13/2024-04-14": a two-day range, day precision at both ends
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    e04 = next(r for r in rows if r["Event ID"] == "E04")
    assert [e04[c] for c in ("Year", "Month", "Day", "End Year", "End Month", "End Day")] == [
        "2024",
        "4",
        "13",
        "2024",
        "4",
        "14",
    ]
    assert e04["Display Date"] == "2024-04-13/2024-04-14"
    # E01 "2022-08": a month, so no Day
    e01 = next(r for r in rows if r["Event ID"] == "E01")
    assert (e01["Year"], e01["Month"], e01["Day"]) == ("2022", "8", "")
    # T1 is a booking: the text says what a booking shows, and links its source
    t1 = next(r for r in rows if r["Event ID"] == "T1")
    assert t1["Evidence"] == "booking"
    assert t1["Text"].startswith(
        "Booking: evidence of intent to travel, not of travel<br>Sources: "
    )
    assert '<a href="https://www.reuters.com/world/europe/russian-missile-experts' in t1["Text"]


def test_timelinejs_every_precision_round_trips(tmp_path):
    texts = [
        "2024",
        "2024-04",
        "2024-04-24",
        "2024-04-24T10:30",
        "2024-04-24T10:30:15",
        "2024-04-13/2024-04-14",
        "2024-04/2024-06",
        "2023/2024",
        "2024-04-24T10:00/2024-04-24T12:00",
        "2024-04-24/2024-04-25T06:00",
        "0900",
    ]
    events = pd.DataFrame(
        {
            "event_id": [f"E{i}" for i in range(len(texts))],
            "date": texts,
            "title": [f"event {i}" for i in range(len(texts))],
            "category": "lane",
            "place_id": pd.NA,
        }
    )
    empty = pd.DataFrame({c: [] for c in ("source_id", "title", "url")}, dtype="string")
    frames = Tables(sources=empty, claims=pd.DataFrame(), assertions=pd.DataFrame(), events=events)
    path = write_timelinejs_csv(frames, tmp_path / "t.csv")
    back = read_events(path).events
    want = parse_dates(pd.Series(texts))
    for col in ("date_start", "date_end", "date_precision"):
        pd.testing.assert_series_equal(back[col], want[col], check_names=False)
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))[1:]
    cells = [
        tuple(
            r[c]
            for c in (
                "Year",
                "Month",
                "Day",
                "Time",
                "End Year",
                "End Month",
                "End Day",
                "End Time",
            )
        )
        for r in rows
    ]
    assert cells == [
        ("2024", "", "", "", "", "", "", ""),
        ("2024", "4", "", "", "", "", "", ""),
        ("2024", "4", "24", "", "", "", "", ""),
        ("2024", "4", "24", "10:30", "", "", "", ""),
        ("2024", "4", "24", "10:30:15", "", "", "", ""),
        ("2024", "4", "13", "", "2024", "4", "14", ""),
        # a range of months is written as months, a range of years as years
        ("2024", "4", "", "", "2024", "6", "", ""),
        ("2023", "", "", "", "2024", "", "", ""),
        ("2024", "4", "24", "10:00", "2024", "4", "24", "12:00"),
        ("2024", "4", "24", "", "2024", "4", "25", "06:00"),
        # a year before 1000 keeps four digits (TimelineJS and the kit's reader both read it)
        ("0900", "", "", "", "", "", "", ""),
    ]


def test_timelinejs_hostile_text_is_inert(hostile, tmp_path):
    path = write_timelinejs_csv(hostile, tmp_path / "t.csv")
    raw = path.read_text(encoding="utf-8")
    assert "<script" not in raw and "<!DOCTYPE" not in raw and "<b>" not in raw
    rows = {r["Event ID"]: r for r in csv.DictReader(path.open(encoding="utf-8", newline=""))}
    # TimelineJS renders Headline as HTML: & and < escaped; Google Sheets evaluates =: apostrophe
    assert rows["E1"]["Headline"] == "'" + FORMULA
    assert rows["E2"]["Headline"] == "]]>&lt;script>alert(2)&lt;/script>"
    assert rows["E3"]["Headline"] == "&amp;lt;img src=x onerror=alert(3)&amp;gt; AT&amp;T"
    assert rows["E1"]["Group"] == "lane &lt;i>1&lt;/i>"
    assert html.unescape(rows["E5"]["Headline"]) == TEMPLATE
    # the undated E6 is not an event (events_from_case rejects it, saying why)
    assert "E6" not in rows
    assert set(rows) == {"", "E1", "E2", "E3", "E4", "E5", "X1", "X2"}
    # only http(s) links are made, and their attribute is escaped
    assert "javascript:" not in raw
    assert rows["E2"]["Text"] == (
        'Sources: <a href="https://example.org/a?b=1&amp;c=2">=HYPERLINK("http://x"), '
        "2024-05-02</a>"
    )
    # the source of E1 has a javascript: URL: cited without a link
    assert rows["E1"]["Text"] == "Sources: -2+3, 2024-05"
    assert PASSPORT not in raw and "ivanov" not in raw.lower() and "45****" not in raw
    back = read_events(path)
    assert back.title == "Pacific &lt;script>alert(1)&lt;/script>"
    titles = dict(zip(back.events["Event ID"], back.events["title"]))
    # what the kit reads back is the HTML cell: unescaped it is the text as written
    assert html.unescape(titles["E4"]) == DOCTYPE
    assert html.unescape(titles["E3"]) == ENTITY


def test_timelinejs_empty_case(empty, tmp_path):
    path = write_timelinejs_csv(empty, tmp_path / "t.csv")
    lines = path.read_bytes().split(b"\r\n")
    assert lines[0].decode() == ",".join(TIMELINEJS_COLUMNS + TIMELINEJS_EXTRA_COLUMNS)
    assert lines[1:] == [b",,,,,,,,,empty-case,,,,,,title,,,,", b""]
    back = read_events(path)
    assert back.counts()["events"] == 0 and back.title == "empty-case"


def test_writers_refuse_what_is_not_a_case(tmp_path):
    for writer in (write_timelinejs_csv, write_geojson, write_kml, write_ftm):
        with pytest.raises(ExportError, match="load_case"):
            writer(pd.DataFrame(), tmp_path / "x")
    with pytest.raises(ExportError, match="is a folder"):
        write_geojson(Tables(pd.DataFrame(), pd.DataFrame(), pd.DataFrame()), tmp_path)


# --------------------------------------------------------------------------- GeoJSON


def _ring_area(ring) -> float:
    x = np.array([p[0] for p in ring])
    y = np.array([p[1] for p in ring])
    return float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1])) / 2


def test_geojson_bundled_case(case, tmp_path):
    path = write_geojson(case, tmp_path / "case.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data  # RFC 7946: no crs
    assert data["case"] == {"slug": SLUG, "title": case.title}
    feats = data["features"]
    kinds = Counter(f["properties"]["feature"] for f in feats)
    assert kinds == {"place": 11, "search_area": 1, "leg": 3}  # places.csv, P02, travel.csv
    by_id = {f["id"]: f for f in feats}
    # [lon, lat] order: the port of Amirabad is at 36.854 N, 53.371 E (places.csv)
    assert by_id["place/P01"]["geometry"] == {"type": "Point", "coordinates": [53.371, 36.854]}
    p02 = by_id["place/P02"]["properties"]
    # every column kept; radius: 12.93 km for "about 15 km W" + the port's own 5 km
    assert p02["radius_km"] == pytest.approx(17.929128, abs=1e-6)
    assert p02["coord_origin"] == "computed" and p02["relative_to"] == "P01"
    assert p02["row"] == 3 and p02["bearing"] == "W" and p02["distance_km"] == 15.0
    assert set(p02) == {"feature", "row", *case.places.columns}
    area = by_id["search_area/P02"]
    props = area["properties"]
    # 15 km +-20 % from a port of radius 5 km: 12-5 = 7 to 18+5 = 23 km; W +-45 deg,
    # widened by asin(5/12) = 24.62 deg for the port's radius
    assert (props["area_kind"], props["inner_km"], props["outer_km"]) == ("sector", 7.0, 23.0)
    assert props["bearing_from_deg"] == pytest.approx(270 - 45 - math.degrees(math.asin(5 / 12)))
    assert props["bearing_to_deg"] == pytest.approx(270 + 45 + math.degrees(math.asin(5 / 12)))
    ring = area["geometry"]["coordinates"][0]
    assert area["geometry"]["type"] == "Polygon"
    assert len(ring) == 67 and ring[0] == ring[-1]  # 33 points on each arc, closed
    assert _ring_area(ring) > 0  # counter-clockwise (RFC 7946 3.1.6)
    g = Geod(ellps="WGS84")
    for lon, lat in ring[:-1]:  # every vertex 7 or 23 km from the port
        d = g.inv(53.371, 36.854, lon, lat)[2] / 1000
        assert min(abs(d - 7), abs(d - 23)) < 0.001
    leg = by_id["leg/T1"]
    coords = leg["geometry"]["coordinates"]
    # Moscow -> Tehran, 2,464 km: one vertex per 100 km, 24 between the two ends
    assert leg["geometry"]["type"] == "LineString" and len(coords) == 26
    assert coords[0] == [37.6173, 55.7558] and coords[-1] == [51.389, 35.6892]
    mid = g.npts(37.6173, 55.7558, 51.389, 35.6892, 24)
    assert coords[1:-1] == [[round(x, 6), round(y, 6)] for x, y in mid]
    lp = leg["properties"]
    assert lp["record_kind"] == "booking" and lp["evidence"].startswith(
        "booking: evidence of intent"
    )
    assert lp["departure_utc"] == "2024-04-24T00:00:00+00:00" and lp["row"] == 2
    assert lp["distance_km"] == pytest.approx(2464.069468, abs=1e-6)
    assert not set(WITHHELD_LEG_COLUMNS) & set(lp)


def test_geojson_antimeridian_and_hostile_text(hostile, tmp_path):
    path = write_geojson(hostile, tmp_path / "h.geojson")
    raw = path.read_text(encoding="utf-8")
    # < > & only as \u escapes: the file can sit in an HTML <script> block as it is
    assert not set("<>&") & set(raw)
    # a name or document number read in a record never reaches an export (person_ref does)
    assert (
        PASSPORT not in raw
        and "4510123456" not in raw
        and "ivanov" not in raw.lower()
        and "45****" not in raw
    )
    data = json.loads(raw)
    by_id = {f["id"]: f for f in data["features"]}
    assert by_id["place/H1"]["properties"]["name"] == f"Suva {SCRIPT}"
    assert by_id["place/H1"]["properties"]["alt_names"] == f"Suva;{TEMPLATE}"
    assert by_id["place/H2"]["properties"]["notes"] == DOCTYPE
    # a column named like the kit's own key is kept beside it, not over it
    assert by_id["place/H1"]["properties"]["feature"] == "place"
    assert by_id["place/H1"]["properties"]["feature (column)"] == SVG
    assert by_id["place/H2"]["properties"]["feature (column)"] is None
    # Suva (178.44 E) -> Apia (171.77 W) crosses 180: two parts meeting at +-180, same latitude
    geom = by_id["leg/X1"]["geometry"]
    assert geom["type"] == "MultiLineString" and len(geom["coordinates"]) == 2
    west, east = geom["coordinates"]
    assert west[0] == [178.4419, -18.1416] and east[-1] == [-171.7667, -13.8333]
    assert west[-1][0] == 180.0 and east[0][0] == -180.0 and west[-1][1] == east[0][1]
    assert -18.1416 < west[-1][1] < -13.8333
    # the leg to a place no gazetteer knows has no line (geometry null), and is kept
    assert by_id["leg/X2"]["geometry"] is None
    assert by_id["leg/X2"]["properties"]["destination"] == "Nowhere Atoll"
    # 150 km E of Suva +-20 %, radius 15 km (a city): out to 195 km, past 180 E
    area = by_id["search_area/H3"]["geometry"]
    assert area["type"] == "MultiPolygon" and len(area["coordinates"]) == 2
    for poly in area["coordinates"]:
        ring = poly[0]
        assert ring[0] == ring[-1] and _ring_area(ring) > 0
        assert all(-180 <= x <= 180 for x, _ in ring)
    lons = [x for poly in area["coordinates"] for x, _ in poly[0]]
    assert max(lons) == 180.0 and min(lons) == -180.0
    assert by_id["place/H3"]["properties"]["name"] == f"150 km east of Suva {ENTITY}"


def test_geojson_empty_case(empty, tmp_path):
    data = json.loads(write_geojson(empty, tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert data == {
        "type": "FeatureCollection",
        "case": {"slug": "empty-case", "title": "empty-case"},
        "features": [],
    }


# --------------------------------------------------------------------------- KML


def _placemarks(path: Path) -> dict[str, ET.Element]:
    root = ET.parse(path).getroot()
    return {p.get("id"): p for p in root.iter(f"{KML}Placemark")}


def _data(mark: ET.Element) -> dict[str, str]:
    return {d.get("name"): d.text or "" for d in mark.iter(f"{KML}SimpleData")}


def test_kml_bundled_case(case, tmp_path):
    path = write_kml(case, tmp_path / "case.kml")
    marks = _placemarks(path)
    assert len(marks) == 15  # the GeoJSON features, one Placemark each
    assert list(marks)[:2] == ["place-P01", "place-P02"]
    p01 = marks["place-P01"]
    assert p01.findtext(f"{KML}name") == "Port of Amirabad (Mazandaran)"
    assert p01.findtext(f"{KML}Point/{KML}coordinates") == "53.371,36.854"  # lon,lat
    assert _data(p01)["radius_km"] == "5.0" and _data(p01)["precision"] == "approximate"
    t1 = marks["leg-T1"]
    coords = t1.findtext(f"{KML}LineString/{KML}coordinates").split()
    assert len(coords) == 26 and coords[0] == "37.6173,55.7558" and coords[-1] == "51.389,35.6892"
    assert t1.findtext(f"{KML}TimeStamp/{KML}when") == "2024-04-24"  # day precision
    assert t1.findtext(f"{KML}styleUrl") == "#leg-booking"
    ring = marks["search_area-P02"].findtext(
        f"{KML}Polygon/{KML}outerBoundaryIs/{KML}LinearRing/{KML}coordinates"
    )
    assert len(ring.split()) == 67
    root = ET.parse(path).getroot()
    assert [f.get("id") for f in root.iter(f"{KML}Folder")] == ["places", "search_areas", "legs"]


def test_kml_hostile_text_is_data(hostile, tmp_path):
    path = write_kml(hostile, tmp_path / "h.kml")
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<kml ")
    assert "<!DOCTYPE" not in raw and "<script" not in raw and "]]>" not in raw
    assert "\x07" not in raw and "bell \\x07 here" in raw  # XML 1.0 cannot hold U+0007
    assert PASSPORT not in raw and "ivanov" not in raw.lower() and "45****" not in raw
    marks = _placemarks(path)
    h1 = marks["place-H1"]
    assert h1.findtext(f"{KML}name") == f"Suva {SCRIPT}"
    assert _data(h1)["alt_names"] == f"Suva;{TEMPLATE}" and _data(h1)["notes"] == "bell \\x07 here"
    assert _data(marks["place-H2"])["notes"] == DOCTYPE
    assert _data(marks["place-H3"])["name"] == f"150 km east of Suva {ENTITY}"
    # the balloon (HTML) holds the text escaped, '[' as &#91; so no $[...] entity forms
    desc = h1.findtext(f"{KML}description")
    assert "<script" not in desc and "$[" not in desc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in desc and "$&#91;name]" in desc
    assert html.unescape(desc).count(SCRIPT) == 1
    # across 180: the leg is a MultiGeometry of two lines
    x1 = marks["leg-X1"]
    assert len(list(x1.iter(f"{KML}LineString"))) == 2
    assert len(list(marks["search_area-H3"].iter(f"{KML}Polygon"))) == 2
    assert x1.findtext(f"{KML}name") == "manifest X1: Suva -> Apia"


def test_kml_empty_case(empty, tmp_path):
    path = write_kml(empty, tmp_path / "e.kml")
    root = ET.parse(path).getroot()
    assert root.tag == f"{KML}kml" and not list(root.iter(f"{KML}Placemark"))
    assert root.findtext(f"{KML}Document/{KML}name") == "empty-case"


# --------------------------------------------------------------------------- FollowTheMoney


def _validate_ftm(entities: list[dict]) -> None:
    """Check entities against the vendored FtM schemata (tests/fixtures/ftm): known
    schema, known properties, required ones present, values valid for their type,
    entity references resolving to an entity of the property's range."""
    spec = json.loads((FIXTURES / "schemata.json").read_text(encoding="utf-8"))
    schemata, languages = spec["schemata"], set(spec["types"]["language"])
    id_re = re.compile(spec["types"]["entity_id_regex"])
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities), "ids repeat"
    date_re = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?)?)?)?$")
    for e in entities:
        assert set(e) == {"id", "schema", "properties"} and id_re.match(e["id"])
        s = schemata[e["schema"]]
        assert not s["abstract"]
        for r in s["required"]:
            assert e["properties"].get(r), (e["schema"], r, e)
        for name, values in e["properties"].items():
            prop = s["properties"][name]  # KeyError: not a property of the schema
            assert isinstance(values, list) and values
            for v in values:
                assert isinstance(v, str) and v == v.strip() and v, (name, v)
                t = prop["type"]
                if t == "date":
                    assert date_re.match(v) and int(v[:4]) >= 1000, v
                elif t == "url":
                    assert re.match(r"https?://\S+$", v), v
                elif t == "number":
                    float(v)
                elif t == "language":
                    assert v in languages, v
                elif t == "entity":
                    assert v in by_id, (name, v)
                    assert prop["range"] in schemata[by_id[v]["schema"]]["schemata"], (name, v)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_ftm_bundled_case(case, tmp_path):
    path = write_ftm(case, tmp_path / "case.ftm.json")
    entities = _lines(path)
    _validate_ftm(entities)
    # 2 pseudonyms (group A, group B), 11 places, 38 sources (all reporting kinds:
    # Article), 28 events, 3 travel records
    assert Counter(e["schema"] for e in entities) == {
        "Person": 2,
        "Address": 11,
        "Article": 38,
        "Event": 28,
        "Trip": 3,
    }
    by_id = {e["id"]: e for e in entities}
    t1 = by_id[ftm_id(SLUG, "travel", "T1")]["properties"]
    assert t1["name"] == ["booking: Moscow -> Tehran (group A)"]
    assert t1["summary"] == ["booking: evidence of intent to travel, not of travel"]
    assert t1["date"] == ["2024-04-24"] and t1["recordId"] == ["T1"]
    assert t1["startLocation"] == [ftm_id(SLUG, "places", "P10")]  # Moscow (city)
    assert t1["endLocation"] == [ftm_id(SLUG, "places", "P11")]  # Tehran (city)
    assert t1["proof"] == [ftm_id(SLUG, "sources", "reuters_orig")]
    group_a = by_id[t1["involved"][0]]
    assert group_a["schema"] == "Person"
    assert group_a["properties"]["name"] == ["group A"]
    assert group_a["properties"]["weakAlias"] == ["group A (size not stated by Reuters)"]
    # group B: T2 and T3 name the same pseudonym
    t2, t3 = (by_id[ftm_id(SLUG, "travel", t)]["properties"] for t in ("T2", "T3"))
    assert t2["involved"] == t3["involved"] and t3["summary"] == ["manifest: evidence of boarding"]
    p01 = by_id[ftm_id(SLUG, "places", "P01")]["properties"]
    assert (p01["latitude"], p01["longitude"]) == (["36.854"], ["53.371"])
    assert p01["summary"] == ["precision approximate, uncertainty radius 5.000 km"]
    reuters = by_id[ftm_id(SLUG, "sources", "reuters_orig")]
    assert reuters["schema"] == "Article"
    assert reuters["properties"]["publisher"] == ["Reuters"]
    assert reuters["properties"]["publishedAt"] == ["2025-03-04"]
    assert reuters["properties"]["language"] == ["eng"]
    assert reuters["properties"]["sourceUrl"][0].startswith("https://www.reuters.com/")
    e04 = by_id[ftm_id(SLUG, "events", "E04")]["properties"]
    assert (e04["startDate"], e04["endDate"]) == (["2024-04-13"], ["2024-04-14"])
    assert "date" not in e04
    e01 = by_id[ftm_id(SLUG, "events", "E01")]["properties"]
    assert e01["date"] == ["2022-08"]  # a month stays a month
    # stable: the same bytes on a second run
    assert write_ftm(case, tmp_path / "again.json").read_bytes() == path.read_bytes()


def test_ftm_id_is_namespaced_and_stable():
    # sha1 of "osint-kit␟<slug>␟<table>␟<id>": fixed for a case and row
    want = hashlib.sha1(b"osint-kit\x1fcase-a\x1ftravel\x1fT1").hexdigest()
    assert ftm_id("case-a", "travel", "T1") == want
    assert ftm_id("case-a", "travel", "T1") != ftm_id("case-b", "travel", "T1")
    assert ftm_id("a", "b c", "d") != ftm_id("a b", "c", "d")


def test_ftm_hostile_case_pseudonyms_only(hostile, tmp_path):
    path = write_ftm(hostile, tmp_path / "h.json")
    raw = path.read_text(encoding="utf-8")
    assert PASSPORT not in raw and "4510123456" not in raw and "123456" not in raw
    assert "ivanov" not in raw.lower() and "45****" not in raw
    assert not set("<>&") & set(raw)  # escaped as \u003c ... (JSON lines safe in HTML)
    entities = _lines(path)
    _validate_ftm(entities)
    by_id = {e["id"]: e for e in entities}
    assert Counter(e["schema"] for e in entities) == {
        # P-1 and P-2; H1-H3 and the unknown "Nowhere Atoll" as written; s1 (an
        # official: Document), s2 (a rewrite: Article); E1-E6; X1, X2
        "Person": 2,
        "Address": 4,
        "Document": 1,
        "Article": 1,
        "Event": 6,
        "Trip": 2,
    }
    people = [e for e in entities if e["schema"] == "Person"]
    # the pseudonym without a trailing "(...)" note (as events_from_travel titles it);
    # the reference as written is kept as a weak alias
    assert sorted(
        (p["properties"]["name"][0], p["properties"]["weakAlias"][0]) for p in people
    ) == [
        ("<b>P-1</b> =HYPERLINK", f"<b>P-1</b> {FORMULA}"),
        ("P-2", "P-2 (a group)"),
    ]
    for p in people:  # a pseudonym and a note, nothing else a person could be found by
        assert set(p["properties"]) <= {"name", "weakAlias", "description"}
    s1 = by_id[ftm_id("pacific-hostile", "sources", "s1")]
    assert s1["schema"] == "Document" and s1["properties"]["fileName"] == ["s1"]
    assert "sourceUrl" not in s1["properties"]  # javascript: is no URL
    assert s1["properties"]["notes"] == [
        "URL as written (not an http(s) address): javascript:alert(1)"
    ]
    assert s1["properties"]["language"] == ["rus"] and s1["properties"]["title"] == [SCRIPT]
    e6 = by_id[ftm_id("pacific-hostile", "events", "E6")]["properties"]
    assert "date" not in e6 and e6["notes"] == [
        "date as written: sometime (the kit could not read it as a date)"
    ]
    e3 = by_id[ftm_id("pacific-hostile", "events", "E3")]["properties"]
    assert e3["date"] == ["2024-05-01T10:30:00"] and e3["name"] == [ENTITY]
    x2 = by_id[ftm_id("pacific-hostile", "travel", "X2")]["properties"]
    atoll = by_id[x2["endLocation"][0]]["properties"]
    assert atoll["full"] == ["Nowhere Atoll"] and "latitude" not in atoll
    assert x2["date"] == ["2024-04"]  # a booking for "April 2024": a month


def test_ftm_empty_case(empty, tmp_path):
    assert write_ftm(empty, tmp_path / "e.json").read_bytes() == b""
    assert ftm_entities(empty) == []


def test_ftm_valid_for_followthemoney(case, hostile, tmp_path):
    """The entities load in followthemoney itself (the optional [ftm] extra)."""
    ftm = pytest.importorskip(
        "followthemoney", reason="followthemoney (pip install osint-kit[ftm]) is not installed"
    )
    for c in (case, hostile):
        for e in ftm_entities(c):
            schema = ftm.model.get(e["schema"])
            schema.validate(e)
            proxy = ftm.model.get_proxy(e, cleaned=False)
            assert proxy.id == e["id"]
            for name, values in e["properties"].items():
                prop = schema.get(name)
                assert all(prop.type.validate(v) for v in values), (e["schema"], name, values)
            for r in schema.required:
                assert e["properties"].get(r), (e["schema"], r)


def test_vendored_schema_is_followthemoneys():
    pytest.importorskip(
        "followthemoney", reason="followthemoney (pip install osint-kit[ftm]) is not installed"
    )
    import importlib.util

    spec = importlib.util.spec_from_file_location("ftm_extract", FIXTURES / "extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    vendored = json.loads((FIXTURES / "schemata.json").read_text(encoding="utf-8"))
    fresh = module.extract()
    assert fresh["schemata"] == vendored["schemata"] and fresh["types"] == vendored["types"]


def test_geo_features_are_shared_by_geojson_and_kml(case, tmp_path):
    # one code path: the KML has a Placemark per GeoJSON feature, with the same properties
    feats = geo_features(case)
    marks = _placemarks(write_kml(case, tmp_path / "c.kml"))
    assert len(marks) == len(feats)
    leg = next(f for f in feats if f["id"] == "leg/T3")
    data = _data(marks["leg-T3"])
    assert data == {k: str(v) for k, v in leg["properties"].items() if v is not None}
    # each kind's fields are declared once, in a Schema the SchemaData points to
    root = ET.parse(tmp_path / "c.kml").getroot()
    schema = root.find(f"{KML}Document/{KML}Schema[@id='schema-leg']")
    declared = [f.get("name") for f in schema.iter(f"{KML}SimpleField")]
    assert declared == list(leg["properties"])
    assert marks["leg-T3"].find(f".//{KML}SchemaData").get("schemaUrl") == "#schema-leg"


@pytest.mark.parametrize("lat, pole", [(89.9, 90.0), (-89.95, -90.0)])
def test_search_area_round_a_pole_holds_the_pole(lat, pole):
    # "near" a point 11 (5.6) km from a pole: a 25 km circle (relative_text.NEAR_RADIUS_KM)
    # holds the pole; as GeoJSON it is one polygon closed along +-180 and the pole
    nan = float("nan")
    area = search_area(lat, 10.0, 0.0, nan, nan, nan, nan)
    assert (area.kind, area.outer_km) == ("circle", 25.0)
    geom = interop._polygon(area.lat, area.lon)
    ring = geom["coordinates"][0]
    assert geom["type"] == "Polygon" and ring[0] == ring[-1] and _ring_area(ring) > 0
    assert [180.0, pole] in ring and [-180.0, pole] in ring
    assert min(x for x, _ in ring) == -180.0 and max(x for x, _ in ring) == 180.0
    # 128 circle vertices + 2 on the antimeridian + 2 at the pole + the closing one
    assert len(ring) == 133
