"""Tests for osint_kit.readers.events: readers pinned with exact intervals, radii and accounting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from osint_kit.errors import InputFileError
from osint_kit.problems import PROBLEM_COLUMNS, empty_problems
from osint_kit.readers import events as ev

FIX = Path(__file__).parent / "fixtures"
ACLED = FIX / "acled_synthetic_small.csv"
TLJS = FIX / "timelinejs_synthetic_small.csv"
UTC = pd.DatetimeTZDtype(unit="us", tz="UTC")


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def by_id(result: ev.EventsResult) -> pd.DataFrame:
    return result.events.set_index("event_id")


def interval(row) -> tuple:
    return row["date_start"], row["date_end"], row["date_precision"]


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("path,fmt", [(ACLED, "acled"), (TLJS, "timelinejs")])
def test_format_detected_from_header(path, fmt):
    assert ev.detect_format(pd.read_csv(path, nrows=0).columns) == fmt


def test_kit_header_detected_and_unknown_header_explained():
    assert ev.detect_format(["event_id", "date", "title", "category", "place_id"]) == "kit"
    with pytest.raises(InputFileError, match="pass format="):
        ev.detect_format(["when", "what"])


# --------------------------------------------------------------------------- ACLED


@pytest.fixture(scope="module")
def acled():
    return ev.read_events(ACLED)


def test_acled_time_precision_intervals(acled):
    e = by_id(acled)
    # time_precision 1: the day itself
    assert interval(e.loc["SYN1"]) == (ts("2024-04-13"), ts("2024-04-13"), "day")
    # time_precision 2: about a week -> event_date +- 3 days, inclusive: 10..16 April
    assert interval(e.loc["SYN2"]) == (ts("2024-04-10"), ts("2024-04-16"), "range")
    # time_precision 3: only the month -> all of April (30 days)
    assert interval(e.loc["SYN3"]) == (ts("2024-04-01"), ts("2024-04-30"), "month")
    # a week window may cross the year: 30 Dec 2024 +- 3 days
    assert interval(e.loc["SYN9"]) == (ts("2024-12-27"), ts("2025-01-02"), "range")
    # unknown code 4: kept, widest ACLED window (the month), with a problem
    assert interval(e.loc["SYN4"]) == (ts("2024-04-01"), ts("2024-04-30"), "month")
    # the older export style "13 April 2024" reads the same as 2024-04-13
    assert interval(e.loc["SYN10"]) == (ts("2024-04-13"), ts("2024-04-13"), "day")


def test_acled_geo_precision_radii(acled):
    e = by_id(acled)
    # geo_precision 1 town -> 5 km; 2 near a town -> 25 km; 3 larger region -> 100 km (module docstring)
    assert (e.loc["SYN1", "radius_km"], e.loc["SYN1", "place_precision"]) == (5.0, "city")
    assert (e.loc["SYN2", "radius_km"], e.loc["SYN2", "place_precision"]) == (25.0, "approximate")
    assert (e.loc["SYN3", "radius_km"], e.loc["SYN3", "place_precision"]) == (100.0, "region")
    assert (e.loc["SYN1", "lat"], e.loc["SYN1", "lon"]) == (10.5, 20.25)
    # unknown geo_precision 7: coordinates kept, radius unknown
    assert np.isnan(e.loc["SYN5", "radius_km"]) and e.loc["SYN5", "lat"] == 10.5


def test_acled_empty_and_zero_coordinates_are_nan_never_zero(acled):
    e = by_id(acled)
    for eid in ("SYN6", "SYN10"):  # empty cells; the (0, 0) "null island" placeholder
        assert np.isnan(e.loc[eid, "lat"]) and np.isnan(e.loc[eid, "lon"])
        assert np.isnan(e.loc[eid, "radius_km"])
    assert not ((acled.events["lat"] == 0) & (acled.events["lon"] == 0)).any()


def test_acled_problems_and_accounting(acled):
    p = acled.problems.set_index("row")
    # rows as a spreadsheet shows them: header = 1, SYN1 = 2
    assert p.loc[8, "column"] == "event_date" and p.loc[8, "action"] == "rejected"  # "not a date"
    assert p.loc[9, "problem"].startswith("not a calendar date '2024-02-30'")  # 30 February
    assert p.loc[5, "column"] == "time_precision" and p.loc[5, "value"] == "4"
    assert p.loc[6, "column"] == "geo_precision" and p.loc[6, "value"] == "7"
    assert p.loc[7, "column"] == "latitude,longitude" and p.loc[11, "value"] == "0,0"
    assert set(acled.problems.columns) == set(PROBLEM_COLUMNS)
    # the kit's one problems table (osint_kit.problems): ``row`` is Int64, the rest string,
    # the same dtypes as case.problems, so the tables concatenate without a cast
    assert acled.problems.dtypes.to_dict() == empty_problems().dtypes.to_dict()
    assert acled.problems["fix"].notna().all()
    # 10 rows in = 8 events out + 2 rejected; the 4 kept with a problem are among the events
    assert acled.counts() == {
        "rows_in": 10,
        "events": 8,
        "rejected": 2,
        "kept_with_problem": 4,
        "non_event_rows": 0,
    }


def test_acled_canonical_columns_and_extras(acled):
    e = acled.events
    assert list(e.columns[: len(ev.EVENT_COLUMNS)]) == ev.EVENT_COLUMNS
    assert e["date_start"].dtype == UTC and e["date_end"].dtype == UTC
    assert e["lat"].dtype == "float64" and e["radius_km"].dtype == "float64"
    # every ACLED column is kept alongside the canonical ones
    assert set(ev.ACLED_COLUMNS) <= set(e.columns)
    assert e.loc[0, "title"] == "Armed clash — Synthville" and e.loc[0, "category"] == "Battles"
    assert (e["origin_format"] == "acled").all() and (e["evidence"] == "reported").all()


def test_acled_missing_required_column_names_it():
    frame = pd.read_csv(ACLED, dtype=str).drop(columns=["geo_precision"])
    with pytest.raises(InputFileError, match=r"need the column\(s\) \['geo_precision'\]"):
        ev.events_from_acled(frame, file="x.csv")


# --------------------------------------------------------------------------- TimelineJS


@pytest.fixture(scope="module")
def tljs():
    return ev.read_events(TLJS)


def test_timelinejs_intervals_per_precision(tljs):
    e = by_id(tljs)  # event ids are TL-<spreadsheet row>
    assert interval(e.loc["TL-3"]) == (ts("2024-04-13"), ts("2024-04-13"), "day")  # Y+M+D
    assert interval(e.loc["TL-4"]) == (ts("2024-09-01"), ts("2024-09-30"), "month")  # no Day
    assert interval(e.loc["TL-5"]) == (ts("2024-01-01"), ts("2024-12-31"), "year")  # no Month
    # End fields make a range, end inclusive
    assert interval(e.loc["TL-6"]) == (ts("2024-04-13"), ts("2024-04-14"), "range")
    # End Month 6 with End Year taken from Year: to the end of June
    assert interval(e.loc["TL-7"]) == (ts("2024-04-01"), ts("2024-06-30"), "range")
    # Time (taken as UTC) makes a datetime: start == end == the instant
    assert interval(e.loc["TL-10"]) == (ts("2024-04-13 23:30"), ts("2024-04-13 23:30"), "datetime")


def test_timelinejs_title_row_is_not_an_event(tljs):
    assert tljs.title == "Synthetic test timeline"
    assert "Synthetic test timeline" not in set(tljs.events["title"])
    assert tljs.non_event_rows == 1


def test_timelinejs_bad_rows_reported(tljs):
    p = tljs.problems.set_index("row")
    assert p.loc[8, "problem"].startswith("start not a calendar date '2024-13'")  # Month 13
    assert p.loc[8, "value"] == "Year=2024 Month=13"
    assert p.loc[9, "problem"] == "the End date is before the start date"
    assert p.loc[11, "problem"] == "Day given without Month"
    assert p.loc[13, "problem"] == "no Year: an event needs at least a Year"
    assert (tljs.problems["action"] == "rejected").all()
    # 14 rows = 9 events + 4 rejected + 1 title row
    assert tljs.counts() == {
        "rows_in": 14,
        "events": 9,
        "rejected": 4,
        "kept_with_problem": 0,
        "non_event_rows": 1,
    }


def test_timelinejs_scripts_and_extras_kept(tljs):
    e = by_id(tljs)
    assert e.loc["TL-14", "title"] == "حمله موشکی ایران به اسرائیل"
    assert e.loc["TL-15", "category"] == "дипломатия"
    assert e.loc["TL-12", "Type"] == "era"  # original columns are kept


def test_format_argument_overrides_detection():
    frame = pd.read_csv(TLJS, dtype=str, keep_default_na=False)
    assert ev.read_events(frame, format="timelinejs").rows_in == 14


# --------------------------------------------------------------------------- kit, claims, travel


def test_kit_events_from_case_resolve_places(case):
    r = ev.events_from_case(case)
    e = by_id(r)
    assert r.rows_in == len(case.events) == len(r.events)  # all 28 case events dated
    # E11 is placed at P11 (Tehran, city centre; radius 15 km from places.csv)
    assert (e.loc["E11", "lat"], e.loc["E11", "lon"], e.loc["E11", "place_precision"]) == (
        35.6892,
        51.389,
        "city",
    )
    assert e.loc["E11", "radius_km"] == 15.0
    # E12 "2024-09" is the whole of September
    assert interval(e.loc["E12"]) == (ts("2024-09-01"), ts("2024-09-30"), "month")
    # E19's URL is the Reuters source's URL -> its source id
    assert e.loc["E19", "source_ids"] == "reuters_orig"
    assert np.isnan(e.loc["E01", "lat"])  # no place_id: not located, not (0, 0)


def test_kit_events_bad_dates_rejected_with_reason():
    frame = pd.DataFrame(
        {
            "event_id": ["A", "B", "C", "D"],
            "date": ["2024-04-13", "03/04/2024", "", "2024-13"],
            "title": ["ok", "ambiguous", "undated", "month 13"],
            "category": ["x"] * 4,
            "place_id": [None, None, None, "P99"],
        }
    )
    r = ev.events_from_kit(frame, file="events.csv")
    assert r.events["event_id"].tolist() == ["A"]
    p = r.problems.set_index("row")
    assert p.loc[3, "problem"].startswith("ambiguous slashed date '03/04/2024'")
    assert p.loc[4, "severity"] == "warning"  # empty date: unknown, not wrong
    assert p.loc[5, "problem"].startswith("not a calendar date '2024-13'")
    assert r.rows_in == 4 == len(r.events) + r.rows_rejected


def test_travel_records_carry_their_evidence(case):
    r = ev.events_from_travel(case)
    e = by_id(r)
    # T1, T2 are group bookings (intent), T3 the manifest (boarding) of the 17 September flight
    assert e["evidence"].to_dict() == {"T1": "booking", "T2": "booking", "T3": "manifest"}
    assert (
        interval(e.loc["T2"])
        == interval(e.loc["T3"])
        == (ts("2024-09-17"), ts("2024-09-17"), "day")
    )
    assert e.loc["T1", "title"] == "booking: Moscow → Tehran (group A)"
    assert e.loc["T1", "source_ids"] == "reuters_orig"
    assert (e.loc["T1", "lat"], e.loc["T1", "lon"]) == (55.7558, 37.6173)  # Moscow (P10)


def test_claims_dated_ones_become_events(case):
    r = ev.events_from_claims(case)
    n_dated = int(case.claims["date_start"].notna().sum())
    assert len(r.events) == n_dated
    assert r.rows_in == len(case.claims) == len(r.events) + r.rows_rejected
    e = by_id(r)
    assert interval(e.loc["C02"]) == (
        ts("2024-04-24"),
        ts("2024-04-24"),
        "day",
    )  # first booked flight
    assert "reuters_orig" in e.loc["C02", "source_ids"].split(";")
    assert (r.events["evidence"] == "claim").all()


def test_combine_adds_up(case, acled, tljs):
    r = ev.combine_events(ev.events_from_case(case), acled, tljs)
    assert r.rows_in == 28 + 10 + 14
    assert len(r.events) == 28 + 8 + 9
    assert r.rows_rejected == 6 and r.non_event_rows == 1
    assert r.title == "Synthetic test timeline"


def test_unpacks_as_events_and_problems(acled):
    events, problems = acled
    assert events is acled.events and problems is acled.problems


def test_timelinejs_unreadable_time_keeps_the_day():
    frame = pd.DataFrame(
        {
            "Year": ["2024"],
            "Month": ["4"],
            "Day": ["13"],
            "Time": ["2:30 PM"],
            "Headline": ["afternoon"],
        }
    )
    r = ev.events_from_timelinejs(frame)
    # the day is certain even if the time is not readable: day precision, and a warning
    assert interval(r.events.iloc[0]) == (ts("2024-04-13"), ts("2024-04-13"), "day")
    p = r.problems.iloc[0]
    assert (p["column"], p["value"], p["action"]) == ("Time", "2:30 PM", "kept")


def test_duplicate_index_labels_do_not_break_a_reader():
    frame = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    frame.index = [0] * len(frame)  # e.g. a frame concatenated without ignore_index
    r = ev.events_from_acled(frame)
    assert r.rows_in == 10 and len(r.events) == 8  # same as from the file


def test_unquoted_comma_in_an_export_names_the_row(tmp_path):
    # a TimelineJS sheet has 18 columns; "A day, again" unquoted makes row 3 19
    fixture = Path(__file__).parent / "fixtures" / "timelinejs_synthetic_small.csv"
    lines = fixture.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace("A day", "A day, again")
    bad = tmp_path / "timeline_synthetic.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputFileError, match="row 3 has 19 fields where the header has 18"):
        ev.read_events(bad)


@pytest.mark.parametrize("fixture", ["acled_synthetic_small", "timelinejs_synthetic_small"])
def test_an_excel_export_gives_the_same_events_as_its_csv(fixture, tmp_path):
    csv_path = Path(__file__).parent / "fixtures" / f"{fixture}.csv"
    xlsx_path = tmp_path / f"{fixture}.xlsx"
    pd.read_csv(csv_path, dtype=str, keep_default_na=False).to_excel(xlsx_path, index=False)
    a, b = ev.read_events(csv_path), ev.read_events(xlsx_path)
    assert a.counts() == b.counts()
    # everything but the file name is the same, row numbers included
    same = [c for c in a.events.columns if "file" not in c]
    pd.testing.assert_frame_equal(a.events[same], b.events[same])


# --------------------------------------------------------------------------- hostile exports
# Each test below fails on the code before issue 9 (a raw exception, or a silent answer).


@pytest.mark.parametrize(
    "encoding, plain, written",
    [
        ("utf-16", "Synthville", "Синтвиль"),  # a BOM: the byte order is known
        ("cp1251", "synthetic test row", "синтетическая тестовая строка"),
        ("latin-1", "synthetic test row", "ligne de test synthétique: événement à part"),
    ],
)
def test_acled_in_another_encoding_gives_the_same_events(tmp_path, encoding, plain, written):
    # the same export written as UTF-8 and in the legacy encoding: same events, same text
    text = ACLED.read_text(encoding="utf-8").replace(plain, written)
    utf8, legacy = tmp_path / "acled_utf8_synthetic.csv", tmp_path / "acled_legacy_synthetic.csv"
    utf8.write_bytes(text.encode("utf-8"))
    legacy.write_bytes(text.encode(encoding))
    a, b = ev.read_events(utf8), ev.read_events(legacy)
    assert a.counts() == b.counts()
    same = [c for c in a.events.columns if "file" not in c]
    pd.testing.assert_frame_equal(a.events[same], b.events[same])
    assert written in set(b.events["notes"]) | set(b.events["location"])


@pytest.mark.parametrize(
    "data, message",
    [
        (
            __import__("gzip").compress(ACLED.read_bytes()),
            (
                "the file is gzip-compressed, not a text table. Decompress it (gunzip, or 7-Zip on "
                "Windows) and pass the file inside; the kit does not expand archives itself (a small "
                "hostile archive can expand to many GB)"
            ),
        ),
        (b"", "the file is empty (no header row); export the events again"),
        (
            ACLED.read_bytes().replace(b"SYN2,", b'"SYN2,', 1),
            (
                'a quote (") opens in row 3 and is never closed, so the rest of the file would be one '
                'text. Close the quote, or remove the stray " character'
            ),
        ),
        (
            b"PK\x03\x04" + b"garbage" * 50,
            (
                "starts like an Excel workbook (a zip file) but is not one (File is not a zip file); open "
                "it in Excel or LibreOffice and save it again as .xlsx, or export the events as CSV"
            ),
        ),
    ],
)
def test_unreadable_events_files_are_kit_errors(tmp_path, data, message):
    path = tmp_path / "events_bad_synthetic.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError) as info:
        ev.read_events(path)
    assert str(info.value) == f"{path}: {message}"


def test_a_field_over_the_csv_module_limit_is_read(tmp_path):
    lines = ACLED.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("synthetic test row", "n" * 140_000)
    path = tmp_path / "acled_long_synthetic.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = ev.read_events(path)
    assert r.rows_in == 10 and len(r.events.loc[0, "notes"]) == 140_000


def _acled_dates(dates, precisions):
    frame = pd.read_csv(ACLED, dtype=str, keep_default_na=False).iloc[: len(dates)].copy()
    frame["event_date"], frame["time_precision"] = dates, precisions
    return ev.events_from_acled(frame)


def test_acled_month_date_is_the_month_never_its_first_day():
    # "April 2024" has no day: read as 1 April before, whatever time_precision said
    r = _acled_dates(["April 2024", "April 2024", "2024"], ["3", "1", "3"])
    e = r.events
    assert interval(e.iloc[0]) == (ts("2024-04-01"), ts("2024-04-30"), "month")
    assert interval(e.iloc[1]) == (ts("2024-04-01"), ts("2024-04-30"), "month")
    assert interval(e.iloc[2]) == (ts("2024-01-01"), ts("2024-12-31"), "year")
    # a month with time_precision 3 (only the month is known) agrees; the others do not
    p = r.problems
    assert p["row"].tolist() == [3, 4] and (p["action"] == "kept").all()
    assert p["problem"].tolist() == [
        (
            "event_date gives a month, not a day, while time_precision 1 says the day is known: "
            "drawn as written (the whole month), never narrower"
        ),
        (
            "event_date gives a year, not a day, while time_precision 3 says only the month is "
            "known: drawn as written (the whole year), never narrower"
        ),
    ]
    assert r.counts()["rejected"] == 0 and len(e) == 3  # rows in = events out


def test_look_alike_event_ids_are_reported_and_kept():
    frame = pd.read_csv(ACLED, dtype=str, keep_default_na=False).iloc[:3].copy()
    frame["event_id_cnty"] = ["SYN1\u200b", "\u202eSYN2", "SYN3"]
    r = ev.events_from_acled(frame)
    assert len(r.events) == 3 and r.events["event_id"].tolist() == [
        "SYN1\u200b",
        "\u202eSYN2",
        "SYN3",
    ]
    p = r.problems
    assert p["row"].tolist() == [2, 3] and (p["action"] == "kept").all()
    assert p["problem"].tolist()[0] == (
        "event_id_cnty 'SYN1\\u200b' holds U+200B ZERO WIDTH SPACE at character 5: it looks "
        "like 'SYN1' but does not match it; remove the character (or ask the source which id "
        "is meant)"
    )
    assert "U+202E RIGHT-TO-LEFT OVERRIDE at character 1" in p["problem"].tolist()[1]


def test_two_acled_exports_joined_with_cat_reject_the_second_header(tmp_path):
    text = ACLED.read_text(encoding="utf-8")
    path = tmp_path / "acled_joined_synthetic.csv"
    path.write_bytes(("\ufeff" + text + "\ufeff" + text).encode("utf-8"))
    r = ev.read_events(path)
    one = ev.read_events(ACLED)
    # 10 + 1 header + 10 rows in; the header row is rejected, every event twice
    assert r.rows_in == 21 and len(r.events) == 2 * len(one.events)
    head = r.problems[r.problems["row"] == 12]
    assert head[["column", "value", "severity", "action"]].values.tolist() == [
        ["event_id_cnty", "event_id_cnty", "error", "rejected"]
    ]
    assert head["problem"].iloc[0] == (
        "row 12 repeats the header and begins with a byte-order mark: two files were probably "
        "joined (cat a.csv b.csv): the rows after it come from the second file; delete this "
        "row, or read the files one by one"
    )
    # the second file's rows are numbered as the joined file shows them
    assert r.events["source_row"].tolist()[len(one.events)] == 13
