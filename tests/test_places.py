"""Tests for osint_kit.analysis.places: geodesics, relative places, gazetteer, online geocoding."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from osint_kit.analysis import places as P
from osint_kit.errors import OfflineError, PlaceResolutionError
from osint_kit.problems import PROBLEM_COLUMNS

SVO = (55.972599, 37.4146)  # case P03 (OpenFlights)
IKA = (35.416099548339844, 51.152198791503906)  # case P06 (OpenFlights)
P01 = (36.854, 53.371)  # case P01, port of Amirabad


def case_places() -> pd.DataFrame:
    """The case's places as literal strings (a subset of places.csv), indexed like the loader."""
    rows = [
        # place_id, name, alt_names, lat, lon, precision, relative_to, distance_km, bearing
        (
            "P01",
            "Port of Amirabad (Mazandaran)",
            "Bandar Amirabad;بندر امیرآباد;порт Амирабад",
            "36.854",
            "53.371",
            "approximate",
            None,
            None,
            None,
        ),
        (
            "P02",
            "Search centre: about 15 km west of the port of Amirabad",
            "(derived; no real name)",
            None,
            None,
            "inferred",
            "P01",
            "15",
            "W",
        ),
        (
            "P03",
            "Sheremetyevo International Airport (SVO)",
            "Шереметьево;UUEE;SVO",
            "55.972599",
            "37.4146",
            "exact",
            None,
            None,
            None,
        ),
        (
            "P06",
            "Imam Khomeini International Airport (IKA)",
            "OIIE;IKA",
            "35.416099548339844",
            "51.152198791503906",
            "exact",
            None,
            None,
            None,
        ),
        ("P10", "Moscow", "Москва;Moskva", "55.7558", "37.6173", "city", None, None, None),
        ("P11", "Tehran", "تهران;Тегеран;Teheran", "35.6892", "51.3890", "city", None, None, None),
    ]
    cols = [
        "place_id",
        "name",
        "alt_names",
        "lat",
        "lon",
        "precision",
        "relative_to",
        "distance_km",
        "bearing",
    ]
    frame = pd.DataFrame(rows, columns=cols, dtype="string")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")  # header is row 1
    return frame


# ---------------------------------------------------------------- geodesics


def test_svo_ika_distance_pinned():
    # pyproj Geod WGS84 (Karney's algorithm) between the case's SVO and IKA points:
    # 2512.1206 km; the issue quotes "about 2,512 km".
    assert P.geodesic_km(*SVO, *IKA) == pytest.approx(2512.121, abs=0.001)
    assert isinstance(P.geodesic_km(*SVO, *IKA), float)


@pytest.mark.parametrize(
    "a, b",
    [
        (SVO, IKA),
        ((0.0, 0.0), (0.0, 179.5)),  # long equatorial arc
        ((51.4775, -0.4614), (-33.9461, 151.1772)),  # LHR -> SYD, ~17,000 km
        ((89.9, 0.0), (-89.9, 180.0)),  # pole to pole
        (P01, (36.853881, 53.202804)),  # 15 km offset
    ],
)
def test_geodesic_agrees_with_geopy_within_1m(a, b):
    from geopy.distance import geodesic

    expected = geodesic(a, b).km
    assert abs(P.geodesic_km(*a, *b) - expected) < 0.001  # 1 m


def test_geodesic_arrays_and_nan():
    lat1 = pd.Series([SVO[0], np.nan, SVO[0]])
    out = P.geodesic_km(lat1, [SVO[1]] * 3, [IKA[0], IKA[0], "x"], IKA[1])
    assert isinstance(out, np.ndarray)
    assert out[0] == pytest.approx(2512.121, abs=0.001)
    assert np.isnan(out[1])  # NaN in -> NaN out, never 0
    assert np.isnan(out[2])  # unreadable -> NaN


def test_destination_point_roundtrip():
    lat, lon = P.destination_point(*P01, 270.0, 15.0)
    assert P.geodesic_km(*P01, lat, lon) == pytest.approx(15.0, abs=1e-9)
    lats, lons = P.destination_point([P01[0], np.nan], [P01[1], 0.0], [90, 90], [10, 10])
    assert np.isnan(lats[1]) and np.isnan(lons[1])
    assert P.geodesic_km(P01[0], P01[1], lats[0], lons[0]) == pytest.approx(10.0, abs=1e-9)


# ---------------------------------------------------------------- bearings


def test_bearing_to_degrees_words_codes_numbers():
    values = pd.Series(
        [
            "W",
            "NNE",
            "270",
            "270°",
            "west",
            "due west",
            "запад",
            "северо-запад",
            "SW",
            "bogus",
            None,
            "400",
            " to the West ",
        ],
        index=range(10, 23),
    )
    out = P.bearing_to_degrees(values)
    assert list(out.index) == list(range(10, 23))
    expected = [270, 22.5, 270, 270, 270, 270, 270, 315, 225, np.nan, np.nan, np.nan, 270]
    np.testing.assert_array_equal(out["bearing_deg"].to_numpy(), np.array(expected, float))
    # sector half-widths: cardinal word 45, 16-point 11.25, number 5, intercardinal 22.5
    assert out["bearing_tol_deg"].tolist()[:4] == [45.0, 11.25, 5.0, 5.0]
    assert out.loc[18, "bearing_tol_deg"] == 22.5
    assert "not a compass point" in out.loc[19, "bearing_problem"]
    assert pd.isna(out.loc[20, "bearing_problem"])  # empty: not given, not an error
    assert "outside 0-360" in out.loc[21, "bearing_problem"]


def test_bearing_numbers_and_scalar_input():
    out = P.bearing_to_degrees([270.0, 0, 360])
    assert out["bearing_deg"].tolist() == [270.0, 0.0, 0.0]


# ---------------------------------------------------------------- radius table


def test_precision_radius_table():
    # the documented defaults (see PRECISION_RADIUS_KM's docstring for the reasons)
    assert P.PRECISION_RADIUS_KM == {
        "exact": 0.5,
        "approximate": 5.0,
        "city": 15.0,
        "region": 100.0,
        "inferred": 25.0,
    }


def test_relative_radius_rule():
    # "about 15 km W" of a place with radius 5: outer corner of the sector
    # (18 km, 45 deg off) is sqrt(15^2 + 18^2 - 2*15*18*cos 45deg) = 12.929 km from
    # the computed point; plus the reference's 5 km.
    r = P.relative_radius_km(15.0, 45.0, 5.0)
    assert r[0] == pytest.approx(np.sqrt(15**2 + 18**2 - 2 * 15 * 18 * np.cos(np.pi / 4)) + 5)
    assert r[0] == pytest.approx(17.929128, abs=1e-6)
    # no bearing uncertainty: only the +-20 % distance error remains
    assert P.relative_radius_km(10.0, 0.0)[0] == pytest.approx(2.0)


# ---------------------------------------------------------------- relative places


def test_resolve_relative_p02_is_15_km_west_of_p01():
    frame, problems = P.resolve_relative(case_places())
    assert problems.empty
    assert frame.index.name == "row" and list(frame.index) == list(range(2, 8))
    assert frame["lat"].dtype == "float64" and frame["radius_km"].dtype == "float64"
    p02 = frame.loc[3]
    # geodesic 15 km along azimuth 270 from (36.854, 53.371) on WGS84: the longitude
    # shrinks by 0.168196 deg (15 km / (111.32 km * cos 36.85 deg)), and a westward
    # geodesic bends slightly south of the parallel (latitude -0.000119 deg).
    assert round(p02["lat"], 6) == 36.853881
    assert round(p02["lon"], 6) == 53.202804
    az, _, km = P.geodesic_inverse(*P01, p02["lat"], p02["lon"])
    assert km[0] == pytest.approx(15.000, abs=1e-6)
    assert az[0] == pytest.approx(270.0, abs=1e-6)
    assert p02["coord_origin"] == "computed"
    assert p02["radius_km"] == pytest.approx(17.929128, abs=1e-6)  # see test_relative_radius_rule
    assert frame.loc[2, "coord_origin"] == "given"
    assert frame.loc[2, "radius_km"] == 5.0  # approximate
    assert frame.loc[6, "radius_km"] == 15.0  # city


def test_resolve_relative_chain_unknown_cycle():
    extra = pd.DataFrame(
        {
            "place_id": ["X1", "X2", "X3", "X4", "X5", "X6"],
            "name": ["chain 2", "chain 1", "orphan", "cyc a", "cyc b", "bad bearing"],
            "precision": ["inferred"] * 6,
            "relative_to": ["X2", "P02", "P99", "X5", "X4", "P01"],
            "distance_km": ["5", "10", "3", "1", "1", "2"],
            "bearing": ["N", "S", "E", "E", "W", "sideways"],
        },
        dtype="string",
    )
    places = pd.concat([case_places(), extra.set_axis(range(8, 14))])
    places.index.name = "row"
    frame, problems = P.resolve_relative(places)
    assert len(frame) == len(places)  # rows in = rows out
    # X2 = 10 km S of P02, X1 = 5 km N of X2: a chain resolved in order
    lat2, lon2 = P.destination_point(frame.loc[3, "lat"], frame.loc[3, "lon"], 180, 10)
    assert frame.loc[9, "lat"] == pytest.approx(lat2) and frame.loc[9, "lon"] == pytest.approx(lon2)
    lat1, _ = P.destination_point(lat2, lon2, 0, 5)
    assert frame.loc[8, "lat"] == pytest.approx(lat1)
    assert frame.loc[8, "coord_origin"] == "computed"
    # chained radius grows: X2's includes P02's
    assert frame.loc[9, "radius_km"] > frame.loc[3, "radius_km"]
    for row in (10, 11, 12, 13):
        assert np.isnan(frame.loc[row, "lat"]) and np.isnan(frame.loc[row, "lon"])  # never (0, 0)
        assert pd.isna(frame.loc[row, "coord_origin"])
    # the kit's long-form problems table; row = the place's row (X3 is row 10, X4 11, X6 13)
    by_row = problems.set_index("row")
    assert "'P99' is not a place_id" in by_row.loc[10, "problem"]
    assert "cycle among places X4, X5" in by_row.loc[11, "problem"]
    assert by_row.loc[13, "column"] == "bearing"
    assert list(problems.columns) == list(PROBLEM_COLUMNS)
    assert set(problems["row"]) == {10, 11, 12, 13}
    assert set(problems["file"]) == {"places.csv"}
    # resolve_relative keeps the rows (without coordinates); the loader rejects them
    assert set(problems["action"]) == {"kept"} and set(problems["severity"]) == {"error"}


def test_resolve_relative_bad_coordinates():
    places = case_places().iloc[:1].copy()
    places.loc[2, "lat"] = "95"
    frame, problems = P.resolve_relative(places)
    assert np.isnan(frame.loc[2, "lat"])
    assert "outside -90..90" in problems.set_index("row").loc[2, "problem"]


# ---------------------------------------------------------------- gazetteer


@pytest.fixture(scope="module")
def gaz():
    return P.Gazetteer(case_places())


def test_resolve_places_scripts_and_codes(gaz):
    names = pd.Series(
        [
            "Москва",
            "Moskva",
            "Moscow",
            "تهران",
            "Teheran",
            "TEHRAN ",
            "SVO",
            "UUEE",
            "KJFK",
            "DME",
            "Moskau",
        ],
        index=list("abcdefghijk"),
    )
    out = P.resolve_places(names, gaz)
    assert list(out.index) == list("abcdefghijk")
    assert out.loc[list("abc"), "place_id"].tolist() == ["P10"] * 3
    assert out.loc["a", "precision"] == "city"  # Moscow is the city, never one airport
    assert out.loc[list("def"), "place_id"].tolist() == ["P11"] * 3
    assert out.loc["g", "gazetteer"] == "case" and out.loc["g", "place_id"] == "P03"
    assert out.loc["h", "place_id"] == "P03"  # UUEE is an alt name of P03 in the case
    # JFK is in no case or curated file: airportsdata's ICAO table answers
    assert out.loc["i", "gazetteer"] == "airport_icao" and out.loc["i", "place_id"] == "ICAO:KJFK"
    assert out.loc["i", "tz"] == "America/New_York"
    # DME: the case subset here lacks P05, the curated gazetteer has it (OpenFlights value)
    assert out.loc["j", "gazetteer"] == "curated" and out.loc["j", "lat"] == pytest.approx(
        55.40879821777344
    )
    # Moskau only exists in the curated file, but P10 is the case's: the case's point wins
    assert out.loc["k", "gazetteer"] == "curated" and out.loc["k", "lat"] == 55.7558
    assert out["problem"].isna().all()


def test_resolve_places_unknown_and_empty(gaz):
    # "Qzxatlantis" is in no gazetteer, the world's either (Atlantis is: two towns)
    out = P.resolve_places(pd.Series(["Qzxatlantis", None, "", "ZZZZ"]), gaz)
    assert out["lat"].isna().all() and out["lon"].isna().all()  # never (0, 0)
    assert out.loc[0, "problem"] == (
        "unknown place 'Qzxatlantis': not in the case, the curated gazetteer, the airports "
        "or the world gazetteer (GeoNames cities500); add it to data/gazetteer/places.csv "
        "or the case's places.csv with a source"
    )
    assert pd.isna(out.loc[1, "problem"]) and pd.isna(out.loc[2, "problem"])
    assert "unknown place 'ZZZZ'" in out.loc[3, "problem"]
    with pytest.raises(PlaceResolutionError, match="Qzxatlantis"):
        P.resolve_places(["Qzxatlantis"], gaz, strict=True)


def test_airport_codes_only_in_capitals(gaz):
    # "the" is an English word, not Teresina's airport THE; "Van" is a Turkish
    # city, not its airport VAN (a city never becomes one of its airports)
    out = P.resolve_places(pd.Series(["the", "Van", "VAN", "KJFK", "kjfk"]), gaz)
    assert out.loc[0, "problem"] == (
        "unknown place 'the': not in the case, the curated gazetteer, the airports or the "
        "world gazetteer (GeoNames cities500); add it to data/gazetteer/places.csv or the "
        "case's places.csv with a source (airport codes are matched in capitals only: write 'THE' if Senador "
        "Petronio Portela Airport is meant)"
    )
    assert (
        pd.isna(out.loc[1, "lat"])
        and "write 'VAN' if Van Ferit Melen Airport" in out.loc[1, "problem"]
    )
    assert out.loc[2, "place_id"] == "IATA:VAN" and out.loc[3, "place_id"] == "ICAO:KJFK"
    assert pd.isna(out.loc[4, "lat"])
    # names in the case and curated files (codes listed as alt names among them)
    # still match in any case: the analyst wrote them there on purpose
    assert P.resolve_places(pd.Series(["svo", "ika"]), gaz)["place_id"].tolist() == ["P03", "P06"]


def test_ambiguous_name_within_one_gazetteer_is_a_problem():
    places = pd.DataFrame(
        {
            "place_id": ["A1", "A2"],
            "name": ["Amirabad", "Amirabad"],
            "alt_names": [None, None],
            "lat": ["36.85", "35.0"],
            "lon": ["53.37", "50.0"],
            "precision": ["city", "city"],
        },
        dtype="string",
    )
    out = P.resolve_places(["amirabad"], P.Gazetteer(places, curated=False, airports=False))
    assert np.isnan(out.loc[0, "lat"])
    assert out.loc[0, "problem"] == (
        "ambiguous place 'amirabad': matches A1, A2 in the case gazetteer; use the place_id instead"
    )


def test_curated_gazetteer_has_a_source_per_row():
    cur = pd.read_csv(P.CURATED_PATH, dtype="string", keep_default_na=False, na_values=[""])
    # the case's eleven places (P01-P11), then Isfahan city from GeoNames, every id in
    # the kit's own namespace (curated:), which a case may not use
    assert cur["place_id"].tolist() == (
        [f"curated:P{i:02d}" for i in range(1, 12)] + ["curated:GN418863"]
    )
    assert cur["source_url"].notna().all() and cur["credit"].notna().all()
    out = P.resolve_places(["Tehran", "Behshahr", "IKA", "OIII"])  # default gazetteer: no case
    assert out["gazetteer"].tolist() == ["curated"] * 4
    assert out.loc[0, "lat"] == 35.69439  # GeoNames 112931
    assert out.loc[3, "place_id"] == "curated:P07"


def test_resolve_places_maps_distinct_values_back(gaz):
    names = pd.Series(["Moscow", "SVO", "nowhere"] * 1000)
    out = P.resolve_places(names, gaz)
    assert len(out) == 3000
    assert out["place_id"].iloc[::3].eq("P10").all()
    assert out["problem"].notna().sum() == 1000


def test_name_key_normalises():
    assert P.name_key("Москва") == P.name_key("Moskva") == "moskva"
    assert P.name_key("  TEHRAN ") == "tehran"


# ---------------------------------------------------------------- online (simulated)


class _Loc:
    def __init__(self, lat, lon, address):
        self.latitude, self.longitude, self.address = lat, lon, address


def test_geocode_online_caches_and_reports_offline(tmp_path, monkeypatch):
    import geopy.geocoders
    from geopy.exc import GeocoderUnavailable

    calls = []

    class FakeNominatim:
        def __init__(self, user_agent, timeout):
            assert "osint-kit" in user_agent

        def geocode(self, query):
            calls.append(query)
            return _Loc(35.7, 51.4, "Tehran, Iran") if query == "Tehran" else None

    monkeypatch.setattr(geopy.geocoders, "Nominatim", FakeNominatim)
    out = P.geocode_online(["Tehran", "Tehran", "Nowhere"], cache_dir=tmp_path, min_delay_seconds=0)
    assert calls == ["Tehran", "Nowhere"]  # each distinct query asked once
    assert out["lat"].tolist()[:2] == [35.7, 35.7] and np.isnan(out.loc[2, "lat"])
    assert out.loc[2, "problem"] == "not found"
    cache = json.loads((tmp_path / "nominatim.json").read_text(encoding="utf-8"))
    assert cache["Tehran"]["lat"] == 35.7 and cache["Nowhere"] is None

    class OfflineNominatim(FakeNominatim):
        def geocode(self, query):
            raise GeocoderUnavailable("Network is unreachable")

    monkeypatch.setattr(geopy.geocoders, "Nominatim", OfflineNominatim)
    again = P.geocode_online(["Tehran", "Nowhere"], cache_dir=tmp_path)  # cache only: no network
    assert again["from_cache"].all() and again.loc[0, "lat"] == 35.7
    with pytest.raises(OfflineError, match="Nominatim could not be reached"):
        P.geocode_online(["Isfahan"], cache_dir=tmp_path)


# ---------------------------------------------------------------- kit ids never a case's (issue 9)


def edit(path, old: str, new: str) -> None:
    """Replace one fixture text in a file of a case copy (as tests/test_case.py does)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rows_balance(case) -> None:
    """Rows in = rows loaded + rows rejected, for every table."""
    c = case.counts()
    assert (c["read"] == c["loaded"] + c["rejected"]).all(), c


TEHRAN_GN = (35.69439, 51.42151)  # curated:P11, GeoNames 112931


def lagos_case() -> pd.DataFrame:
    """A case whose P11 is not Tehran: the id the curated Tehran had before it got its own
    namespace (issue 9: Tehran was sent to Lagos with Tehran's time zone)."""
    frame = case_places()
    frame.loc[7, ["name", "alt_names", "lat", "lon", "precision"]] = [
        "Warehouse in Lagos",
        pd.NA,
        "6.45",
        "3.39",
        "exact",
    ]
    return frame


def test_a_case_id_never_borrows_a_curated_place():
    out = P.resolve_places(["Tehran", "Warehouse in Lagos", "Teheran"], P.Gazetteer(lagos_case()))
    # "Tehran" is no longer a name in the case: the curated Tehran answers, at Tehran
    assert (out.loc[0, "lat"], out.loc[0, "lon"]) == TEHRAN_GN
    assert (out.loc[0, "place_id"], out.loc[0, "gazetteer"]) == ("curated:P11", "curated")
    assert (out.loc[0, "tz"], out.loc[0, "country"]) == ("Asia/Tehran", "IR")
    assert out.loc[2, "place_id"] == "curated:P11"
    # the case's P11 is the warehouse, and gets no time zone or country of Tehran's
    assert (out.loc[1, "lat"], out.loc[1, "lon"], out.loc[1, "place_id"]) == (6.45, 3.39, "P11")
    assert pd.isna(out.loc[1, "tz"]) and pd.isna(out.loc[1, "country"])
    assert out["problem"].isna().all()


def test_travel_to_tehran_stays_in_tehran_whatever_the_case_calls_p11(case_copy):
    from osint_kit import load_case
    from osint_kit.analysis.legs import case_legs

    edit(
        case_copy / "places.csv",
        "P11,Tehran,تهران;Тегеран;Teheran,35.6892,51.3890,city",
        "P11,Warehouse in Lagos,,6.45,3.39,exact",
    )
    legs = case_legs(load_case(case_copy)).legs
    assert legs["destination_place_id"].tolist() == ["curated:P11"] * 3
    assert legs["destination_lat"].tolist() == [TEHRAN_GN[0]] * 3
    assert legs["destination_tz"].astype(str).tolist() == ["Asia/Tehran"] * 3
    # the case's P10 (55.7558, 37.6173) -> GeoNames Tehran: 2464.581 km (pyproj WGS84,
    # checked against geopy below); it was 6,247.957 km to Lagos before the fix
    assert legs["distance_km"].round(3).tolist() == [2464.581] * 3
    from geopy.distance import geodesic

    assert geodesic((55.7558, 37.6173), TEHRAN_GN).km == pytest.approx(2464.581, abs=1e-3)
    assert legs["problem"].isna().all()


def test_same_name_far_apart_stays_two_places():
    # the case puts "Tehran" at Lagos: its own names lead there (the case comes first), but
    # names only the curated file knows lead to the curated Tehran, and it is reported
    frame = lagos_case()
    frame.loc[7, ["name", "precision"]] = ["Tehran", "city"]
    gaz = P.Gazetteer(frame)
    out = P.resolve_places(["Tehran", "Тегеран"], gaz)
    assert (out.loc[0, "lat"], out.loc[0, "place_id"]) == (6.45, "P11")
    assert pd.isna(out.loc[0, "tz"])  # not Asia/Tehran: nothing says the warehouse is there
    assert (out.loc[1, "lat"], out.loc[1, "place_id"]) == (TEHRAN_GN[0], "curated:P11")
    note = gaz.problems[gaz.problems["column"] == "name"]
    assert note["row"].tolist() == [7] and note["value"].tolist() == ["Tehran"]  # P11's row
    assert note["file"].tolist() == ["places.csv"]  # the case's file
    # 5,865.3 km between (6.45, 3.39) and GeoNames Tehran (geopy agrees); two city radii
    # allow 15 + 15 = 30 km
    from geopy.distance import geodesic

    assert geodesic((6.45, 3.39), TEHRAN_GN).km == pytest.approx(5865.28, abs=0.01)
    assert note["problem"].iloc[0] == (
        "case place P11 'Tehran' shares a name with the curated place curated:P11 'Tehran' but "
        "lies 5,865.3 km from it (their radii allow 30.0 km): taken as two places, so the "
        "case's names lead to the case's point and names only the curated file lists to the "
        "curated one"
    )


def test_curated_place_is_the_case_place_by_name_and_distance_not_by_id():
    # the case calls Moscow "M1": the curated Moscow (same name, 0.42 km away, inside the
    # 15 km radii) is that place, so its other names lead to M1 and M1 takes its time zone
    frame = case_places()
    frame.loc[6, "place_id"] = "M1"
    out = P.resolve_places(["Moskau", "Moscow"], P.Gazetteer(frame))
    assert out["place_id"].tolist() == ["M1", "M1"]
    assert out["lat"].tolist() == [55.7558, 55.7558]  # the case's point
    assert out["gazetteer"].tolist() == ["curated", "case"]  # where each name was found
    assert out["tz"].tolist() == ["Europe/Moscow"] * 2 and out["country"].tolist() == ["RU"] * 2


def test_a_case_may_not_use_a_kit_id():
    frame = case_places()
    frame.loc[4, "place_id"] = "IATA:SVO"
    frame.loc[7, "place_id"] = "Curated:P11"  # any letter case
    resolved, problems = P.resolve_relative(frame)
    assert problems["row"].tolist() == [4, 7]
    assert problems["column"].tolist() == ["place_id"] * 2
    assert problems["problem"].iloc[0] == (
        "place_id 'IATA:SVO' is in a namespace the kit keeps for its own reference data "
        "(curated:, IATA:, ICAO:, GN:): a case place cannot stand in for a curated place, an "
        "airport or a world (GeoNames) place"
    )
    assert resolved.loc[[4, 7], "lat"].isna().all()  # never (0, 0), never the given point
    # in the gazetteer its names find a place without coordinates, said so
    out = P.resolve_places(["Шереметьево"], P.Gazetteer(frame))
    assert np.isnan(out.loc[0, "lat"])
    assert "has no coordinates: see the places problems" in out.loc[0, "problem"]


def test_load_case_rejects_a_kit_id(case_copy):
    from osint_kit import load_case

    with open(case_copy / "places.csv", "a", encoding="utf-8") as fh:
        fh.write("curated:P11,My Tehran,,35.7,51.4,city,,,,,\n")
    c = load_case(case_copy)
    bad = c.problems[(c.problems["file"] == "places.csv") & (c.problems["column"] == "place_id")]
    assert bad["row"].tolist() == [13] and bad["value"].tolist() == ["curated:P11"]
    assert "curated:P11" not in set(c.places["place_id"])
    rows_balance(c)


# ---------------------------------------------------------------- relative places out of range

WRAPS = (
    "distance '{}' is longer than any distance on the Earth (20,004 km, pole to pole): "
    "an offset that long passes the antipode and comes back"
)
NOT_KM = "distance '{}' is not a number of km (one non-negative number, optionally 'km' or 'about')"


@pytest.mark.parametrize(
    "distance, bearing, problem",
    [
        # wraps round the Earth: 40,000 km "west" of the port is 51 km east of it
        ("40000", "W", WRAPS.format("40000")),
        ("20010", "N", WRAPS.format("20010")),
        ("1e3", "W", NOT_KM.format("1e3")),  # was read as 13 km
        ("15 miles", "W", NOT_KM.format("15 miles")),  # was read as 15 km
        (
            "1,500",
            "W",
            (
                "distance '1,500' is ambiguous: a thousands separator (1500 km) or a "
                "decimal comma (1.500 km)?"
            ),
        ),  # was read as 1.5 km
        ("1e400", "W", NOT_KM.format("1e400")),  # was read as 1,400 km
        (
            "-5",
            "W",
            (
                "distance '-5' is negative: a distance is never below 0 (the direction "
                "goes into bearing)"
            ),
        ),
        ("NaN", "W", NOT_KM.format("NaN")),
        (None, "W", "distance_km is empty"),
        (
            "15",
            "westish",
            (
                "bearing 'westish' is not a compass point (N, NNE, ..., 'west', "
                "'запад') or a number of degrees"
            ),
        ),
        ("15", "NaN", "bearing 'NaN' is not a number of degrees"),
        ("15", "-90", "bearing '-90' is outside 0-360 degrees"),
    ],
)
def test_out_of_range_relative_place_is_a_problem(distance, bearing, problem):
    frame = case_places()
    frame.loc[3, ["distance_km", "bearing"]] = [distance, bearing]  # P02, relative to P01
    resolved, problems = P.resolve_relative(frame)
    assert len(resolved) == len(frame)  # rows in = rows out
    assert np.isnan(resolved.loc[3, "lat"]) and np.isnan(resolved.loc[3, "lon"])
    assert pd.isna(resolved.loc[3, "coord_origin"])
    assert problems["row"].tolist() == [3]
    assert problems["problem"].tolist() == [problem]


def test_distance_km_forms_still_read_and_the_limit():
    # the limit is the WGS84 pole-to-pole geodesic, the longest distance on the ellipsoid
    assert P.MAX_RELATIVE_DISTANCE_KM == round(P.geodesic_km(90, 0, -90, 0), 3) == 20003.931
    forms = ["15", "15 km", "about 15 km", "~15км", "15.0", "15,0", " 15km "]
    frame = pd.concat([case_places()] * 1)
    rows = []
    for i, text in enumerate(forms):
        rows.append(
            {
                "place_id": f"R{i}",
                "name": f"r{i}",
                "precision": "inferred",
                "relative_to": "P01",
                "distance_km": text,
                "bearing": "W",
            }
        )
    frame = pd.concat(
        [frame, pd.DataFrame(rows, dtype="string").set_axis(range(8, 8 + len(forms)))]
    )
    resolved, problems = P.resolve_relative(frame)
    assert problems.empty
    # each is P02's point, 15 km west of P01 (test_resolve_relative_p02_is_15_km_west_of_p01)
    assert resolved.loc[8:, "lat"].round(6).tolist() == [36.853881] * len(forms)
    assert resolved.loc[8:, "lon"].round(6).tolist() == [53.202804] * len(forms)
    # at the limit itself a place is still computed (it is the antipode, give or take)
    frame.loc[8, "distance_km"] = "20003.931"
    resolved, problems = P.resolve_relative(frame)
    assert problems.empty and resolved.loc[8, "coord_origin"] == "computed"


def test_case_with_a_wrapping_distance_rejects_the_place(case_copy):
    from osint_kit import load_case

    edit(case_copy / "places.csv", ",inferred,P01,15,W,", ",inferred,P01,40000,W,")
    c = load_case(case_copy)
    bad = c.problems[(c.problems["file"] == "places.csv")]
    # (the loader has typed distance_km as a float: 40000.0)
    assert bad[["row", "column", "value"]].values.tolist() == [[3, "distance_km", "40000.0"]]
    assert bad["problem"].str.startswith("distance '40000.0' is longer than any distance").all()
    assert "P02" not in set(c.places["place_id"])  # no point 51 km east of the port
    rows_balance(c)


def test_resolve_places_hidden_character_is_a_problem():
    # "SVO\u202e" (a right-to-left override after the code) resolved silently to SVO:
    # it looks like SVO but is another text, so it is a problem with no coordinates
    out = P.resolve_places(pd.Series(["SVO\u202e", "SVO", "\ufeffMoscow"]))
    assert out["lat"].isna().tolist() == [True, False, True]
    assert out["problem"].iloc[0] == (
        "place name 'SVO\\u202e' holds an invisible character (U+202E RIGHT-TO-LEFT OVERRIDE "
        "at character 4): it is not the name it looks like; remove the character (copy the "
        "name from the source as plain text)"
    )
    assert (
        out["problem"]
        .iloc[2]
        .startswith(
            "place name '\\ufeffMoscow' holds an invisible "
            "character (U+FEFF ZERO WIDTH NO-BREAK SPACE"
        )
    )
    assert pd.isna(out["problem"].iloc[1])


# --------------------------------------------------------------------------- the world step


def test_order_of_preference_case_curated_airports_world():
    """case -> curated -> airports -> world: the first step that knows a name answers."""
    gaz = P.Gazetteer(case_places())
    out = P.resolve_places(pd.Series(["Москва", "Moskau", "KJFK", "Penza", "Tehran"]), gaz)
    # Москва: the case's P10 (55.7558, 37.6173), not the curated point nor GeoNames 524901
    assert out.loc[0, ["place_id", "gazetteer", "match_how"]].tolist() == [
        "P10",
        "case",
        "case name",
    ]
    assert out.loc[0, "lat"] == 55.7558
    # Moskau is only in the curated file, which links it to the case's P10 (same place)
    assert out.loc[1, ["place_id", "gazetteer"]].tolist() == ["P10", "curated"]
    assert out.loc[2, ["place_id", "match_how"]].tolist() == ["ICAO:KJFK", "ICAO code"]
    # Penza is in none of them: GeoNames 511565, the only Penza of cities500
    assert out.loc[3, ["candidates", "problem"]].isna().all()
    assert out.loc[3].drop(["candidates", "problem"]).to_dict() | {"lat": 0, "lon": 0} == {
        "lat": 0,
        "lon": 0,
        "precision": "city",
        "radius_km": 15.0,
        "matched_name": "Penza",
        "place_id": "GN:511565",
        "tz": "Europe/Moscow",
        "country": "RU",
        "gazetteer": "world",
        "match_how": "world: only candidate",
    }
    assert (out.loc[3, "lat"], out.loc[3, "lon"]) == (53.19568, 45.01075)  # GeoNames 511565
    # a world name never overrides a case name: Tehran is the case's P11
    assert out.loc[4, "place_id"] == "P11"
    assert list(out.columns) == P.RESOLVED_COLUMNS


def test_world_ambiguity_is_a_problem_listing_candidates():
    out = P.resolve_places(["Kazan"], P.Gazetteer(curated=False, airports=False))
    assert np.isnan(out.loc[0, "lat"]) and pd.isna(out.loc[0, "place_id"])
    # GeoNames cities500 has three places with that name or alternate name
    assert out.loc[0, "candidates"] == (
        "Kazan (Russia, region 73, pop. 1,243,500); Kazan (Turkey, region 68, pop. 23,889); "
        "Kotel (Bulgaria, region 56, pop. 6,421)"
    )
    assert out.loc[0, "problem"] == (
        "ambiguous place 'Kazan': 3 candidates in the world gazetteer; none is chosen "
        "without context: " + out.loc[0, "candidates"] + "; add the place to the case, or "
        "write 'Kazan, Russia' or 'Kazan, Turkey'"
    )


def test_case_countries_narrow_the_world_step(case):
    gaz = P.Gazetteer(case)
    # the case's places are in Iran and Russia (their curated twins say so)
    assert gaz.countries == ("IR", "RU")
    out = P.resolve_places(["Kazan", "Kazan, Turkey", "Tripoli"], gaz)
    assert out.loc[0, ["place_id", "match_how"]].tolist() == [
        "GN:551487",
        "world: country (the case's: IR, RU)",
    ]
    assert (out.loc[0, "lat"], out.loc[0, "lon"]) == (55.78874, 49.12214)  # GeoNames 551487
    # the text's own country wins over the case's (Kazan, Turkey: 23,889 people)
    assert out.loc[1, "match_how"] == "world: country in text"
    assert out.loc[1, "country"] == "TR"
    # no Tripoli in Iran or Russia: the case's countries narrow nothing, said so
    assert out.loc[2, "problem"].startswith("ambiguous place 'Tripoli': 4 candidates")
    # countries= overrides the case's
    assert P.resolve_places(["Kazan"], gaz, countries=["TR"]).loc[0, "country"] == "TR"


def test_qualifier_before_comma_in_the_case_and_the_world(case):
    gaz = P.Gazetteer(case)
    out = P.resolve_places(
        ["Amirabad, Iran", "Tehran, Iran", "Tehran, Russia", "Tripoli, Libya", "Damascus, Syria"],
        gaz,
    )
    # the case's P01 has the alt name Amirabad and is in IR (its curated twin)
    assert out.loc[0, ["place_id", "match_how"]].tolist() == [
        "P01",
        "case name before the comma ('Amirabad'); the text after it names its country (IR)",
    ]
    assert out.loc[1, "place_id"] == "P11"
    # "Russia" is not P11's country: not the case's Tehran; the world has no Tehran in Russia
    assert pd.isna(out.loc[2, "place_id"])
    assert out.loc[2, "problem"].startswith(
        "'Russia' after the comma names neither the country nor the region of any of the "
    )
    assert out.loc[3, ["place_id", "match_how"]].tolist() == [
        "GN:2210247",
        "world: country in text",
    ]
    assert out.loc[4, "place_id"] == "GN:170654"  # Damascus, Syria


def test_a_country_name_is_not_a_town():
    out = P.resolve_places(["Russia", "Israel", "ایران", "Russia, United States"])
    # GeoNames has Russia, Ohio (pop. 552): never taken for the country
    assert out.loc[:2, "lat"].isna().all()
    assert out.loc[0, "problem"] == (
        "'Russia' names a country, not a place: a country has no point to draw; name the "
        "city or site the record is about, or add it to the case; for the town of that "
        "name write its country after a comma, e.g. 'Russia, United States'"
    )
    assert out.loc[2, "problem"].startswith("'ایران' names a country")
    assert out.loc[3, "place_id"] == "GN:5168839"  # the town, asked for by its country


def test_near_picks_a_namesake_next_to_the_record():
    gaz = P.Gazetteer(curated=False, airports=False)
    # two Amirabads of Iran (GeoNames 143615 near Qazvin, 143648 'Kāftar' in Fars)
    # and one in Pakistan: a point 10 km from 143615 picks it
    near = pd.DataFrame({"lat": [35.80, np.nan], "lon": [50.05, np.nan]})
    out = P.resolve_places(pd.Series(["Amirabad", "Amirabad"]), gaz, near=near)
    assert out.loc[0, "place_id"] == "GN:143615"
    assert out.loc[0, "match_how"].startswith("world: nearest to (35.8000, 50.0500): ")
    # without a point, the same name stays a problem
    assert pd.isna(out.loc[1, "place_id"]) and out.loc[1, "problem"].startswith("ambiguous")


def test_world_is_read_only_when_a_name_needs_it(monkeypatch):
    from osint_kit.analysis import world

    def boom():
        raise AssertionError("the world gazetteer was read")

    monkeypatch.setattr(world, "load", boom)
    out = P.resolve_places(["Tehran", "SVO", "Москва"])  # the curated file and airports
    assert out["problem"].isna().all()
    out = P.resolve_places(["Penza"], P.Gazetteer(world=False))
    assert out.loc[0, "problem"].startswith("unknown place 'Penza': add it")


def test_world_step_keeps_the_lowercase_code_hint():
    out = P.resolve_places(["kjfk"])
    assert np.isnan(out.loc[0, "lat"])
    assert out.loc[0, "problem"].endswith(
        "(airport codes are matched in capitals only: write 'KJFK' if John F Kennedy "
        "International Airport is meant)"
    )


def test_compare_online_from_a_cache_without_network(tmp_path, case):
    # what Nominatim answered once (the cache a teacher copies with the notebook);
    # no network is asked: every name is cached
    cache = {
        "Astrakhan, Russia": {"lat": 46.3497, "lon": 48.0408, "name": "Астрахань, Россия"},
        "Kazan": {"lat": 55.7823, "lon": 49.1242, "name": "Казань, Россия"},
        "Tripoli": {"lat": 32.8967, "lon": 13.1778, "name": "طرابلس, ليبيا"},
        "Qzxatlantis": None,
    }
    (tmp_path / "nominatim.json").write_text(json.dumps(cache), encoding="utf-8")
    out = P.compare_online(list(cache), case=case, cache_dir=tmp_path)
    assert out["from_cache"].all()
    # Astrakhan: GeoNames 580497 (46.34968, 48.04076) vs the cached point, 4 m apart
    assert out.loc[0, "offline_id"] == "GN:580497"
    assert round(out.loc[0, "distance_km"], 3) == round(
        P.geodesic_km(46.34968, 48.04076, 46.3497, 48.0408), 3
    )
    assert out.loc[0, "distance_km"] < 0.01 and bool(out.loc[0, "agree"])
    assert out.loc[1, "offline_id"] == "GN:551487" and bool(out.loc[1, "agree"])
    # Tripoli is ambiguous offline: no point, so no distance -- Nominatim's pick is its own
    assert np.isnan(out.loc[2, "distance_km"]) and pd.isna(out.loc[2, "agree"])
    assert out.loc[2, "offline_problem"].startswith("ambiguous place 'Tripoli'")
    assert out.loc[3, "online_problem"] == "not found"
