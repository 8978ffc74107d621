"""Issue 16: the readers on every form the field's tools write, pinned exactly.

The fixtures are synthetic, written by tests/fixtures/make_variant_fixtures.py
the way R/pandas round trips, ACLED's API, TimelineJS, GDELT, pyopensky and
OpenSky's Trino tables write them (see that script); the last test checks
the committed files are what the script writes.  Each variant is compared
with the canonical fixture it was made from, whose values tests/test_events.py
and tests/test_exports.py pin one by one; the values pinned here are the
ones the variant could get wrong.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from osint_kit.errors import InputFileError
from osint_kit.readers import events as ev
from osint_kit.readers import exports

FIX = Path(__file__).parent / "fixtures"
UTC = pd.DatetimeTZDtype(unit="us", tz="UTC")
CANON = ["event_id", "date_start", "date_end", "date_precision", "title", "category", "lat"]
CANON += ["lon", "place_precision", "radius_km", "source_ids", "evidence", "origin_format"]


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def by_id(result) -> pd.DataFrame:
    return result.events.set_index("event_id")


@pytest.fixture(scope="module")
def acled():
    return ev.read_events(FIX / "acled_synthetic_small.csv")


@pytest.fixture(scope="module")
def tljs():
    return ev.read_events(FIX / "timelinejs_synthetic_small.csv")


# --------------------------------------------------------------------------- ACLED codes


def test_acled_codes_written_as_floats_read_as_the_codes(acled):
    r = ev.read_events(FIX / "acled_float_codes_synthetic.csv")
    e = by_id(r)
    # time_precision 1.0 / 2.0 / 3.0 are codes 1 / 2 / 3: the day, +-3 days, the month
    assert (e.loc["SYN1", "date_start"], e.loc["SYN1", "date_precision"]) == (
        ts("2024-04-13"),
        "day",
    )
    assert (e.loc["SYN2", "date_start"], e.loc["SYN2", "date_end"]) == (
        ts("2024-04-10"),
        ts("2024-04-16"),
    )
    assert e.loc["SYN3", "date_precision"] == "month"
    # geo_precision 1.0 / 2.0 / 3.0 -> 5 / 25 / 100 km, as codes 1 / 2 / 3
    assert e.loc[["SYN1", "SYN2", "SYN3"], "radius_km"].tolist() == [5.0, 25.0, 100.0]
    assert e.loc["SYN1", "place_precision"] == "city"
    # the ten rows of the canonical sample give exactly its events
    pd.testing.assert_frame_equal(r.events[CANON].iloc[:8], acled.events[CANON])
    # the problems are the sample's (4.0 and 7.0 are still unknown codes), plus SYN11's
    # empty time_precision (the NA row that made pandas write floats): not 20 wrong ones
    p = r.problems
    assert sorted(zip(p["row"], p["column"], p["value"].fillna("<NA>"), strict=True)) == [
        (5, "time_precision", "4.0"),
        (6, "geo_precision", "7.0"),
        (7, "latitude,longitude", ","),
        (8, "event_date", "not a date"),
        (9, "event_date", "2024-02-30"),
        (11, "latitude,longitude", "0.0,0.0"),
        (12, "geo_precision", "<NA>"),
        (12, "time_precision", "<NA>"),
    ]
    assert r.counts() == {
        "rows_in": 11,
        "events": 9,
        "rejected": 2,
        "kept_with_problem": 5,
        "non_event_rows": 0,
    }


@pytest.mark.parametrize("code", [1, 1.0, "1", "1.0", " 01 ", np.int64(1), np.float64(1.0)])
def test_a_code_is_the_same_code_however_it_is_written(code):
    frame = pd.DataFrame(
        {
            "event_id_cnty": ["X1"],
            "event_date": ["2024-04-13"],
            "time_precision": pd.Series([code], dtype=object),
            "event_type": ["Battles"],
            "latitude": [10.5],
            "longitude": [20.25],
            "geo_precision": pd.Series([code], dtype=object),
        }
    )
    r = ev.events_from_acled(frame)
    # code 1 for both: the day itself, the town (5 km, ACLED module docstring)
    row = r.events.iloc[0]
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (
        ts("2024-04-13"),
        ts("2024-04-13"),
        "day",
    )
    assert (row["radius_km"], row["place_precision"]) == (5.0, "city")
    assert r.problems.empty


# --------------------------------------------------------------------------- headers


def test_acled_headers_matched_ignoring_case_and_spaces_and_reported(acled):
    r = ev.read_events(FIX / "acled_headers_synthetic.csv")
    pd.testing.assert_frame_equal(r.events[CANON], acled.events[CANON])
    # what was taken for what: the header as written, spaces and all
    assert r.matched["event_date"] == " EVENT_DATE "
    assert r.matched["time_precision"] == "Time Precision"
    assert r.matched["assoc_actor_1"] == "ALLY_ACTOR_1"  # ACLED's older name
    assert len(r.matched) == len(ev.ACLED_COLUMNS)  # every header was written otherwise
    # the extras come out under the canonical names
    assert r.events.loc[0, "assoc_actor_1"] == ""  # as written: empty in the sample
    assert r.events.loc[0, "source_scale"] == "National"
    assert "ALLY_ACTOR_1" not in r.events.columns
    # the canonical file needs no match
    assert acled.matched == {}


def test_a_header_already_canonical_wins_over_a_look_alike():
    frame = pd.DataFrame(
        {
            "Event Date": ["2020-01-01"],
            "event_id_cnty": ["X1"],
            "event_date": ["2024-04-13"],
            "time_precision": ["1"],
            "event_type": ["Battles"],
            "latitude": ["10.5"],
            "longitude": ["20.25"],
            "geo_precision": ["1"],
        }
    )
    r = ev.events_from_acled(frame)
    assert r.events.loc[0, "date_start"] == ts("2024-04-13")  # the exact header's value
    assert r.events.loc[0, "Event Date"] == "2020-01-01"  # the other kept as an extra
    assert r.matched == {}


def test_timelinejs_and_kit_headers_matched_too(tljs):
    frame = pd.read_csv(FIX / "timelinejs_synthetic_small.csv", dtype=str, keep_default_na=False)
    frame.columns = [f" {c.upper().replace(' ', '_')} " for c in frame.columns]
    r = ev.read_events(frame)
    pd.testing.assert_frame_equal(r.events[CANON], tljs.events[CANON])
    assert r.matched["End Year"] == " END_YEAR "
    kit = pd.DataFrame(
        {
            "Event ID": ["E1"],
            "DATE": ["2024-04"],
            "Title": ["t"],
            "category": ["c"],
            "place_id": [""],
        }
    )
    k = ev.read_events(kit)
    assert (k.events.loc[0, "event_id"], k.events.loc[0, "date_precision"]) == ("E1", "month")
    assert k.matched == {"event_id": "Event ID", "date": "DATE", "title": "Title"}


def test_bookings_report_the_header_taken_for_each_column():
    r = exports.read_bookings(FIX / "manifest_ru_synthetic.csv")
    assert isinstance(r, exports.ReadLegsResult)
    assert r.matched["surname"] == "Фамилия"
    assert r.matched["origin"] == "Откуда"
    assert r.matched["departure"] == "Дата вылета"


# --------------------------------------------------------------------------- ACLED API JSON


def test_acled_api_json_gives_the_sample_s_events_and_keeps_new_columns(acled):
    r = ev.read_events(FIX / "acled_api_synthetic.json")
    pd.testing.assert_frame_equal(r.events[CANON], acled.events[CANON])
    assert r.counts() == acled.counts()  # the same problems, the same rows (2 = the first record)
    pd.testing.assert_frame_equal(
        r.problems.drop(columns="file"), acled.problems.drop(columns="file")
    )
    # ACLED's newer columns come out as extras, as the API sent them (strings)
    data = json.loads((FIX / "acled_api_synthetic.json").read_text(encoding="utf-8"))["data"]
    first = r.events.iloc[0]
    assert first["population_best"] == data[0]["population_best"]
    assert (first["civilian_targeting"], r.events.iloc[1]["civilian_targeting"]) == (
        "",
        "Civilian targeting",
    )
    assert {"inter1", "inter2", "population_1km", "civilian_targeting"} <= set(r.events.columns)


def test_acled_api_error_answer_is_a_kit_error(tmp_path):
    path = tmp_path / "acled_denied_synthetic.json"
    path.write_text(
        json.dumps({"status": 403, "success": False, "error": {"message": "Access denied"}})
    )
    with pytest.raises(InputFileError) as info:
        ev.read_events(path)
    assert "ACLED's API answered status 403, success False" in str(info.value)
    assert "Access denied" in str(info.value)


def test_an_acled_answer_with_no_event_is_no_events(tmp_path):
    path = tmp_path / "acled_none_synthetic.json"
    path.write_text(json.dumps({"status": 200, "success": True, "count": 0, "data": []}))
    r = ev.read_events(path)
    # the query matched nothing: zero rows in, zero out, nothing wrong
    assert r.counts() == {
        "rows_in": 0,
        "events": 0,
        "rejected": 0,
        "kept_with_problem": 0,
        "non_event_rows": 0,
    }
    assert list(r.events.columns[: len(ev.EVENT_COLUMNS)]) == ev.EVENT_COLUMNS


def test_acled_lists_and_objects_in_fields_stay_data(tmp_path):
    record = {
        "event_id_cnty": "X1",
        "event_date": "2024-04-13",
        "time_precision": 1,
        "event_type": "Battles",
        "latitude": "10.5",
        "longitude": "20.25",
        "geo_precision": 2.0,
        "tags": ["{{7*7}}", "b"],
    }
    path = tmp_path / "acled_fields_synthetic.json"
    path.write_text(json.dumps({"success": True, "data": [record]}))
    e = ev.read_events(path).events
    # numbers as the API might send them are codes 1 and 2; the list is kept as its text
    assert (e.loc[0, "date_precision"], e.loc[0, "radius_km"]) == ("day", 25.0)
    assert e.loc[0, "tags"] == "['{{7*7}}', 'b']"


def test_acled_data_array_saved_alone_is_read(acled, tmp_path):
    answer = json.loads((FIX / "acled_api_synthetic.json").read_text(encoding="utf-8"))
    path = tmp_path / "acled_data_synthetic.txt"  # no telling name
    path.write_text(json.dumps(answer["data"]), encoding="utf-8")
    r = ev.read_events(path)
    pd.testing.assert_frame_equal(r.events[CANON], acled.events[CANON])


# --------------------------------------------------------------------------- TimelineJS


def test_timelinejs_json_reads_as_its_sheet(tljs):
    r = ev.read_events(FIX / "timelinejs_synthetic_small.json")
    assert r.title == "Synthetic test timeline" and r.counts() == tljs.counts()
    # the JSON holds the era in "eras" (after the events), so compare by headline
    cols = ["date_start", "date_end", "date_precision", "category", "evidence", "origin_format"]
    sheet = tljs.events.set_index("title")[cols].sort_index()
    pd.testing.assert_frame_equal(r.events.set_index("title")[cols].sort_index(), sheet)
    e = r.events.set_index("title")
    # hour/minute make the datetime, as the sheet's Time 23:30
    assert e.loc["A time", "date_start"] == ts("2024-04-13 23:30")
    assert e.loc["A time", "date_precision"] == "datetime"
    assert e.loc["Winter era", "Type"] == "era" and e.loc["Winter era", "json_path"] == "eras[0]"
    assert e.loc["A day", "unique_id"] == "syn-1"  # other fields kept
    # the problems say which slide: events[5] is the Month 13 slide
    p = r.problems.set_index("row")
    assert p.loc[8, "column"].startswith("events[5]: Year, Month")
    assert p.loc[8, "problem"].startswith("start not a calendar date '2024-13'")
    assert sorted(r.problems["value"].fillna("")) == sorted(tljs.problems["value"].fillna(""))


def test_timelinejs_json_is_told_from_its_content_not_its_name(tmp_path):
    path = tmp_path / "timeline_synthetic.csv"  # a CSV name on JSON: parsed as CSV before
    shutil.copy(FIX / "timelinejs_synthetic_small.json", path)
    r = ev.read_events(path)
    want = ev.read_events(FIX / "timelinejs_synthetic_small.json")
    pd.testing.assert_frame_equal(r.events, want.events)


def test_timelinejs_json_times_ends_and_media(tmp_path):
    timeline = {
        "events": [
            {
                "start_date": {"year": 2024, "month": 4, "day": 13, "hour": 9, "minute": 5},
                "end_date": {"year": "2024", "month": "4", "day": "15"},
                "text": {"headline": "Three days from 09:05", "text": "<b>bold</b>"},
                "media": {"url": "https://example.invalid/a.jpg", "credit": "Synthetic Wire"},
                "group": "military",
                "background": {"color": "#123456"},
            },
            {
                "start_date": {"year": "2024", "month": "5", "day": "1", "hour": "14"},
                "text": {"headline": "Hour only"},
            },
            {"start_date": {"year": -500}, "text": {"headline": "Before the common era"}},
        ]
    }
    path = tmp_path / "tl_synthetic.json"
    path.write_text(json.dumps(timeline), encoding="utf-8")
    r = ev.read_events(path)
    e = r.events.set_index("title")
    # a start with a time and an end day: a range to the end of 15 April
    assert (e.iloc[0]["date_start"], e.iloc[0]["date_end"], e.iloc[0]["date_precision"]) == (
        ts("2024-04-13 09:05"),
        ts("2024-04-15"),
        "range",
    )
    assert e.iloc[0]["source_ids"] == "Synthetic Wire"  # media.credit, as Media Credit
    assert e.iloc[0]["Background"] == "#123456" and e.iloc[0]["Text"] == "<b>bold</b>"
    assert e.loc["Hour only", "date_start"] == ts("2024-05-01 14:00")  # minute 0
    # a year before the common era is not a date the kit can place: rejected, with its reason
    p = r.problems
    assert p["row"].tolist() == [4] and p["action"].tolist() == ["rejected"]
    assert p["value"].tolist() == ["Year=-500"]
    assert r.counts()["events"] == 2 and r.rows_in == 3


def test_timelinejs_sheet_after_a_pandas_round_trip(tljs):
    r = ev.read_events(FIX / "timelinejs_float_synthetic.csv")
    # Year 2024.0, Month 4.0 ... are 2024 and 4: the same events, ids and problems
    pd.testing.assert_frame_equal(r.events[CANON], tljs.events[CANON])
    assert r.problems["problem"].tolist() == tljs.problems["problem"].tolist()
    # the value shown is as written in the file
    assert r.problems.set_index("row").loc[8, "value"] == "Year=2024 Month=13"


def test_a_timelinejs_slide_that_is_not_an_object_is_a_kit_error(tmp_path):
    path = tmp_path / "tl_synthetic.json"
    path.write_text(json.dumps({"events": [{"start_date": {"year": 2024}}, "oops"]}))
    with pytest.raises(InputFileError, match=r"events\[1\] is str, not a slide"):
        ev.read_events(path)


# --------------------------------------------------------------------------- GDELT


@pytest.fixture(scope="module")
def gdelt():
    return ev.read_events(FIX / "gdelt_synthetic.export.CSV")


def test_gdelt_events_with_their_geo_precision(gdelt):
    e = by_id(gdelt)
    assert (gdelt.events["origin_format"] == "gdelt").all()
    # SQLDATE 20240413: the day
    row = e.loc["1100000001"]
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (
        ts("2024-04-13"),
        ts("2024-04-13"),
        "day",
    )
    # ActionGeo_Type 4 world city -> 5 km city; 1 country -> 500 km; 2 US state -> 200 km;
    # 5 province -> 100 km; 3 US city -> 5 km (GDELT_GEO_RADIUS_KM)
    assert (row["lat"], row["lon"], row["radius_km"], row["place_precision"]) == (
        10.5,
        20.25,
        5.0,
        "city",
    )
    radii = e.loc[["1100000002", "1100000003", "1100000004", "1100000008"], "radius_km"]
    assert radii.tolist() == [500.0, 200.0, 100.0, 5.0]
    assert e.loc["1100000002", "place_precision"] == "region"
    # CAMEO root 14 = Protest; "04" = Consult; the title says who and where
    assert row["category"] == "Protest"
    assert row["title"] == "Protest: SYNTHLAND → POLICE — Synthville, Synth Province, Synthland"
    assert e.loc["1100000002", "category"] == "Consult"
    assert e.loc["1100000007", "title"] == "Assault: ? → SYNTHLAND — Nowhere"
    assert row["source_ids"] == "https://news.example.invalid/synthetic/1"
    # no place (type 0) and (0, 0): NaN, never 0
    assert np.isnan(e.loc["1100000005", "lat"]) and np.isnan(e.loc["1100000007", "lon"])
    # no header: line 1 is the first event
    assert e.loc["1100000001", "source_row"] == 1 and e.loc["1100000008", "source_row"] == 8
    assert e.loc["1100000001", "DATEADDED"] == "20240413151500"  # every field kept


def test_gdelt_problems_and_accounting(gdelt):
    p = gdelt.problems
    assert list(zip(p["row"], p["column"], p["value"], p["action"], strict=True)) == [
        (6, "SQLDATE", "20240230", "rejected"),  # 30 February
        (5, "ActionGeo_Type", "0", "kept"),  # GDELT found no place
        (7, "ActionGeo_Lat,ActionGeo_Long", "0,0", "kept"),
        (8, "EventRootCode", "99", "kept"),  # not CAMEO
    ]
    assert p["problem"].iloc[0] == "SQLDATE is not a calendar date (day or month out of range)"
    assert gdelt.counts() == {
        "rows_in": 8,
        "events": 7,
        "rejected": 1,
        "kept_with_problem": 3,
        "non_event_rows": 0,
    }


def test_gdelt_with_a_header_and_round_tripped_codes(gdelt, tmp_path):
    # a BigQuery export (a header, commas) read and written by pandas: ActionGeo_Type
    # 4 -> 4.0 (the column has a blank), EventRootCode "04" -> 4, SQLDATE 20240413 an int
    frame = pd.read_csv(
        FIX / "gdelt_synthetic.export.CSV", sep="\t", header=None, names=ev.GDELT_COLUMNS
    )
    frame.columns = [c.lower() for c in frame.columns]
    frame.loc[4, "actiongeo_type"] = np.nan
    frame["globaleventid"] = frame["globaleventid"].astype("float64")  # 1100000001.0
    path = tmp_path / "gdelt_bigquery_synthetic.csv"
    frame.to_csv(path, index=False)
    assert "\n1100000002.0,20240413," in path.read_text() and ",4.0," in path.read_text()
    r = ev.read_events(path)
    pd.testing.assert_frame_equal(r.events[CANON], gdelt.events[CANON])
    assert r.events["source_row"].tolist() == [2, 3, 4, 5, 6, 8, 9]  # a header: row 1
    assert r.matched["SQLDATE"] == "sqldate"


def test_gdelt_frame_and_format_argument(gdelt):
    frame = pd.read_csv(
        FIX / "gdelt_synthetic.export.CSV", sep="\t", header=None, names=ev.GDELT_COLUMNS, dtype=str
    )
    r = ev.read_events(frame, format="gdelt")
    assert r.events["event_id"].tolist() == gdelt.events["event_id"].tolist()
    assert ev.detect_format(ev.GDELT_COLUMNS) == "gdelt"


# --------------------------------------------------------------------------- unknown formats


def _error(path: Path) -> str:
    with pytest.raises(InputFileError) as info:
        ev.read_events(path)
    return str(info.value)


def _names_every_format(message: str) -> None:
    assert "Formats tried:" in message
    for what in ("ACLED export", "ACLED's API JSON", "TimelineJS sheet", "TimelineJS JSON"):
        assert what in message
    assert "GDELT 2.0 event file" in message and "the kit's events.csv" in message


def test_a_json_file_of_no_known_format_names_the_formats(tmp_path):
    path = tmp_path / "other_synthetic.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    message = _error(path)
    assert message.startswith(
        f"{path}: cannot tell the events format (a JSON object with the keys ['features', 'type'])"
    )
    _names_every_format(message)


def test_a_text_file_of_no_known_format_is_not_a_parse_error(tmp_path):
    path = tmp_path / "notes_synthetic.csv"
    # a row longer than the header: the CSV reader's error ("row 3 has 4 fields") before
    path.write_text("when,what\n2024-04-13,a\n2024-04-14,b,c,d\n", encoding="utf-8")
    message = _error(path)
    assert message.startswith(
        f"{path}: cannot tell the events format (the first line is ['when', 'what'])"
    )
    _names_every_format(message)
    assert "fields" not in message.split("Formats tried")[0]


def test_a_readable_file_of_no_known_format_gets_the_same_message(tmp_path):
    path = tmp_path / "plain_synthetic.csv"
    path.write_text("when,what\n2024-04-13,a\n", encoding="utf-8")
    message = _error(path)
    assert message.startswith(f"{path}: cannot tell the events format (the header is ['when'")
    _names_every_format(message)


def test_an_opensky_list_given_as_events_says_which_reader(tmp_path):
    path = tmp_path / "flights_synthetic.json"
    shutil.copy(FIX / "opensky_rest_synthetic.json", path)
    assert "read it with osint_kit.readers.exports.read_opensky" in _error(path)


def test_a_broken_json_file_names_line_and_column(tmp_path):
    path = tmp_path / "broken_synthetic.json"
    path.write_text('{"events": [{"start_date": {"year": 2024}},\n', encoding="utf-8")
    message = _error(path)
    assert message.startswith(f"{path}: not valid JSON: Expecting value at line 2, column 1")
    assert "export the events again" in message


# --------------------------------------------------------------------------- OpenSky

LEG_COLS = ["record_id", "record_kind", "flight", "origin", "destination", "departure_utc"]
LEG_COLS += ["arrival_utc", "origin_place_id", "destination_place_id", "duration_h", "problem"]


@pytest.fixture(scope="module")
def opensky():
    return exports.read_opensky(FIX / "opensky_flights_synthetic.csv")


@pytest.mark.parametrize(
    "name, matched",
    [
        (
            "opensky_trino_synthetic.csv",
            {
                "firstSeen": "firstseen",
                "lastSeen": "lastseen",
                "estDepartureAirport": "departure",
                "estArrivalAirport": "arrival",
            },
        ),
        (
            "opensky_flights_data4_synthetic.csv",
            {
                "firstSeen": "firstseen",
                "lastSeen": "lastseen",
                "estDepartureAirport": "estdepartureairport",
                "estArrivalAirport": "estarrivalairport",
            },
        ),
        ("opensky_rest_synthetic.json", {}),
    ],
)
def test_every_opensky_form_gives_the_same_legs(opensky, name, matched):
    r = exports.read_opensky(FIX / name).check()
    pd.testing.assert_frame_equal(r.legs[LEG_COLS], opensky.legs[LEG_COLS])
    assert r.matched == matched
    # the problems name the column as the file does
    columns = r.problems["column"].tolist()
    want = [matched.get(c, c) for c in opensky.problems["column"]]
    assert columns == want


def test_flights_data4_extras_are_kept():
    legs = exports.read_opensky(FIX / "opensky_flights_data4_synthetic.csv").legs
    assert legs.loc[2, "estdepartureairporthorizdistance"] == "1210.0"
    assert legs.loc[2, "day"] == "1713916800"


def test_opensky_json_is_told_from_its_content(opensky, tmp_path):
    path = tmp_path / "opensky_synthetic.csv"
    shutil.copy(FIX / "opensky_rest_synthetic.json", path)
    legs = exports.read_opensky(path).legs
    pd.testing.assert_frame_equal(legs[LEG_COLS], opensky.legs[LEG_COLS])


def _pyopensky_frame() -> pd.DataFrame:
    """A frame as pyopensky's Trino().flightlist() returns it: UTC date-times, departure/arrival."""
    s = pd.read_csv(FIX / "opensky_flights_synthetic.csv", dtype=str, keep_default_na=False)
    seen = {
        c: pd.to_datetime(pd.to_numeric(s[c].replace("", None)), unit="s", utc=True)
        for c in ("firstSeen", "lastSeen")
    }
    return pd.DataFrame(
        {
            "icao24": s["icao24"],
            "firstseen": seen["firstSeen"],
            "departure": s["estDepartureAirport"].replace("", None),
            "lastseen": seen["lastSeen"],
            "arrival": s["estArrivalAirport"].replace("", None),
            "callsign": s["callsign"],
        }
    )


@pytest.mark.parametrize("form", ["utc", "naive", "moscow", "rest"])
def test_pyopensky_frames_passed_directly(opensky, form):
    frame = _pyopensky_frame()
    if form == "naive":  # naive date-times are UTC
        frame = frame.assign(firstseen=frame["firstseen"].dt.tz_localize(None))
    elif form == "moscow":  # another zone is the same instant
        frame = frame.assign(lastseen=frame["lastseen"].dt.tz_convert("Europe/Moscow"))
    elif form == "rest":  # REST().departure(): camelCase names, date-times
        frame = frame.rename(
            columns={
                "firstseen": "firstSeen",
                "lastseen": "lastSeen",
                "departure": "estDepartureAirport",
                "arrival": "estArrivalAirport",
            }
        )
    legs = exports.read_opensky(frame).check().legs
    pd.testing.assert_frame_equal(
        legs[LEG_COLS].reset_index(drop=True), opensky.legs[LEG_COLS].reset_index(drop=True)
    )
    # firstSeen 2024-04-24T07:20Z = Unix 1713943200: the record id of every form
    assert legs["record_id"].iloc[0] == "0a1b2c@1713943200"


@pytest.mark.parametrize(
    "value, why",
    [
        ("1999-12-31 23:59:59+00:00", "is before 2000-01-01"),
        ("2999-01-01T00:00:00Z", "is later than the time of reading"),
        ("24/04/2024 07:20", "is neither Unix seconds nor an ISO 8601 date-time"),
    ],
)
def test_opensky_date_time_text_is_checked_like_seconds(value, why):
    frame = pd.DataFrame(
        {
            "icao24": ["0a1b2c"],
            "firstseen": [value],
            "lastseen": [""],
            "departure": ["UUEE"],
            "arrival": ["OIIE"],
        }
    )
    legs = exports.read_opensky(frame).legs
    assert pd.isna(legs.loc[2, "departure_utc"])
    assert legs.loc[2, "problem"].startswith(f"firstseen '{value}' {why}")


def test_opensky_datetime_column_out_of_range_is_a_problem():
    frame = _pyopensky_frame().iloc[:1]
    frame = frame.assign(firstseen=pd.Series([pd.Timestamp("1990-01-01", tz="UTC")]))
    legs = exports.read_opensky(frame).legs
    assert legs.loc[2, "problem"].startswith("firstseen '1990-01-01 00:00:00+00:00' is before 2000")


def test_an_all_digit_icao24_survives_a_round_trip():
    # 400001 and 040a0b: a pandas round trip of a column of all-digit addresses with a blank
    # writes 400001.0, and one that read "040001" as a number writes 40001
    frame = pd.DataFrame(
        {
            "icao24": pd.Series([400001.0, 40001, "0A1B2C"], dtype=object),
            "firstSeen": [1713943200, 1713943300, 1713943400],
            "lastSeen": [1713956400, None, None],
            "estDepartureAirport": ["UUEE"] * 3,
            "estArrivalAirport": ["OIIE"] * 3,
        }
    )
    legs = exports.read_opensky(frame).legs
    assert legs["icao24"].tolist() == ["400001", "040001", "0a1b2c"]
    assert legs["record_id"].tolist()[:2] == ["400001@1713943200", "040001@1713943300"]


def test_opensky_state_vectors_are_not_a_flight_list(tmp_path):
    path = tmp_path / "states_synthetic.json"
    path.write_text(json.dumps({"time": 1713943200, "states": [["0a1b2c", "SYN101 "]]}))
    with pytest.raises(InputFileError, match=r"OpenSky state vectors \(/states/\*"):
        exports.read_opensky(path)


def test_missing_opensky_columns_list_every_naming():
    with pytest.raises(InputFileError) as info:
        exports.read_opensky(_pyopensky_frame().drop(columns="lastseen"))
    message = str(info.value)
    assert message.startswith("<frame>: not an OpenSky flight list, missing lastSeen")
    assert "its Trino tables firstseen, lastseen" in message


# --------------------------------------------------------------------------- fixtures


def test_the_fixtures_are_what_the_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_variant_fixtures", FIX / "make_variant_fixtures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(
        [
            "acled_api_synthetic.json",
            "acled_float_codes_synthetic.csv",
            "acled_headers_synthetic.csv",
            "gdelt_synthetic.export.CSV",
            "opensky_flights_data4_synthetic.csv",
            "opensky_rest_synthetic.json",
            "opensky_trino_synthetic.csv",
            "timelinejs_float_synthetic.csv",
            "timelinejs_synthetic_small.json",
        ]
    )
    for name in written:
        assert (tmp_path / name).read_bytes() == (FIX / name).read_bytes(), name
