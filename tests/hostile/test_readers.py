"""Hostile files through the export readers: bookings, OpenSky, events.

Properties (every generated file):
* only the kit's own errors escape (:class:`~osint_kit.errors.OsintKitError`);
* rows in = rows out (+ rows in problems, for the events readers);
* never a (0, 0) coordinate;
* nothing evaluated: an extra ``notes`` column comes out exactly as written.

The regression tests at the end are the failure classes this suite found on
the code it was written against (issue 9), each failing there: they were
``xfail(strict=True)`` until fixed and now guard the fixes.
"""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (
    HostileFile,
    csv_file,
    examples,
    hostile_text,
    number_text,
)

from osint_kit.analysis import legs as _legs
from osint_kit.errors import OsintKitError
from osint_kit.readers import exports as _exports
from osint_kit.readers.events import read_events


def read_bookings(*a, **k):
    return _exports.read_bookings(*a, **k).check().legs


def read_opensky(*a, **k):
    return _exports.read_opensky(*a, **k).check().legs


def normalise_legs(*a, **k):
    return _legs.normalise_legs(*a, **k).check().legs


def _read(reader, f: HostileFile, name: str = "export.csv", **kwargs):
    """``reader(path)`` on the file's bytes; None when the kit refused it with its own error."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(f.data)
        try:
            return reader(path, **kwargs)
        except OsintKitError:
            return None


def _as_read(text: str, f: HostileFile) -> str:
    # what a correct reader gives back: the text after the encoding's "?" replacement
    return text.encode(f.encoding, errors="replace").decode(f.encoding)


def _no_null_island(frame: pd.DataFrame, pairs) -> None:
    for lat, lon in pairs:
        zero = (frame[lat] == 0) & (frame[lon] == 0)
        assert not zero.fillna(False).any(), f"(0, 0) in {lat}/{lon}"


def _notes_as_written(out: pd.DataFrame, f: HostileFile, column: str = "notes") -> None:
    """The extra column holds each input text as written (nothing evaluated, nothing lost)."""
    if f.n_rows is None or f.damage in ("missing_column", "duplicate_column", "header_only"):
        return
    if f.encoding not in ("utf-8", "utf-8-sig") or f.packing != "plain":
        return  # a guessed single-byte encoding may legitimately read "?" differently
    j = f.header.index(column)
    want = [_as_read(r[j], f) for r in f.rows]
    got = out[column].astype("string").fillna("").tolist()
    assert got == want


ENDPOINTS = st.one_of(
    st.sampled_from(
        [
            "SVO",
            "IKA",
            "UUEE",
            "OIIE",
            "Moscow",
            "Tehran",
            "Москва",
            "تهران",
            "P01",
            "P11",
            "",
            "0",
            "XXX",
        ]
    ),
    hostile_text(),
)
DATES = st.one_of(
    st.sampled_from(
        [
            "2024-04-24",
            "24.04.2024",
            "2024-04-24T25:00",
            "24.04.2024 25:61",
            "April 2024",
            "2024",
            "",
            "0",
            "-1",
            "1e400",
            "9999-12-31",
            "0001-01-01",
        ]
    ),
    hostile_text(),
)
TEXT = hostile_text()
BOOKING_COLUMNS = {
    "surname": TEXT,
    "given_name": TEXT,
    "passport": st.one_of(
        st.sampled_from(["20 1234567", "10 7654321", "751234567", "4510123456"]), TEXT
    ),
    "origin": ENDPOINTS,
    "destination": ENDPOINTS,
    "departure": DATES,
    "departure_time": st.one_of(st.sampled_from(["10:35", "25:00", "23:61", ""]), TEXT),
    "flight": TEXT,
    "notes": TEXT,
}


@settings(max_examples=examples(40))
@given(f=csv_file(BOOKING_COLUMNS, required=["origin", "destination", "departure"]))
def test_read_bookings(f):
    out = _read(read_bookings, f)
    if out is None:
        return
    if f.n_rows is not None:
        assert len(out) == f.n_rows  # one leg per data row, problems on the row
    _no_null_island(out, [("origin_lat", "origin_lon"), ("destination_lat", "destination_lon")])
    _notes_as_written(out, f)


OPENSKY_SECONDS = number_text()  # out of range included (test_opensky_seconds_out_of_range)
OPENSKY_COLUMNS = {
    "icao24": st.one_of(st.sampled_from(["4b1806", "abc123", ""]), TEXT),
    "callsign": TEXT,
    "firstSeen": st.one_of(st.sampled_from(["1713945600"]), OPENSKY_SECONDS),
    "lastSeen": st.one_of(st.sampled_from(["1713960000"]), OPENSKY_SECONDS),
    "estDepartureAirport": ENDPOINTS,
    "estArrivalAirport": ENDPOINTS,
    "notes": TEXT,
}
# every encoding, packing and damage (the readers answer each with rows or a kit error)
TEXT_READER_FILES: dict = {}


@settings(max_examples=examples(40))
@given(
    f=csv_file(
        OPENSKY_COLUMNS,
        required=["icao24", "firstSeen", "lastSeen", "estDepartureAirport", "estArrivalAirport"],
        **TEXT_READER_FILES,
    )
)
def test_read_opensky(f):
    out = _read(read_opensky, f)
    if out is None:
        return
    if f.n_rows is not None:
        assert len(out) == f.n_rows
    assert (out["record_kind"] == "flight_list").all()
    _no_null_island(out, [("origin_lat", "origin_lon"), ("destination_lat", "destination_lon")])
    _notes_as_written(out, f)


@settings(max_examples=examples(30))
@given(
    cells=st.lists(
        st.tuples(ENDPOINTS, ENDPOINTS, DATES, TEXT, TEXT, st.booleans()), min_size=1, max_size=8
    ),
    extra=st.sampled_from(["notes", "{{7*7}}", "=1+1", "\ufeffnotes", "notes\x00"]),
)
def test_normalise_legs(cells, extra):
    frame = pd.DataFrame(
        [(o, d, dep, p, x) for o, d, dep, p, x, _ in cells],
        columns=["origin", "destination", "departure", "passport", extra],
        index=pd.RangeIndex(2, 2 + len(cells), name="row"),
        dtype="string",
    )
    # a missing value where the flag says so (NA, not "")
    frame.loc[[c[5] for c in cells], "departure"] = pd.NA
    try:
        out = normalise_legs(frame, source_file="hostile.csv")
    except OsintKitError:
        return
    assert out.index.equals(frame.index)  # rows in = rows out, same labels
    assert out[extra].equals(frame[extra])  # extras kept as written
    _no_null_island(out, [("origin_lat", "origin_lon"), ("destination_lat", "destination_lon")])
    # a passport number never appears whole in a leg (only masked and keyed)
    for raw, shown in zip(frame["passport"], out["passport_masked"]):
        digits = "".join(ch for ch in str(raw) if ch.isascii() and ch.isdigit())
        if len(digits) >= 9 and pd.notna(shown):
            assert digits not in str(shown)


# --------------------------------------------------------------------------- events

LATLON = st.one_of(st.sampled_from(["35.7", "51.4", "0", "0.0"]), number_text())
ACLED_COLUMNS = {
    "event_id_cnty": st.one_of(st.sampled_from(["IRN1", "IRN1", ""]), TEXT),
    "event_date": st.one_of(
        st.sampled_from(["24 April 2024", "2024-04-24", "April 2024", "2024-02-30", ""]), DATES
    ),
    "time_precision": st.one_of(st.sampled_from(["1", "2", "3", "0", "4", ""]), TEXT),
    "event_type": TEXT,
    "latitude": LATLON,
    "longitude": LATLON,
    "geo_precision": st.one_of(st.sampled_from(["1", "2", "3", "9", ""]), TEXT),
    "notes": TEXT,
}
TIMELINEJS_COLUMNS = {
    "Year": st.one_of(st.sampled_from(["2024", "0", "-1", "99999", ""]), number_text()),
    "Month": st.one_of(st.sampled_from(["4", "13", "0", ""]), number_text()),
    "Day": st.one_of(st.sampled_from(["24", "31", "32", ""]), number_text()),
    "Time": st.one_of(st.sampled_from(["10:35", "25:61", "noon", ""]), TEXT),
    "Headline": TEXT,
    "Text": TEXT,
    "Type": st.one_of(st.sampled_from(["title", "era", "", "TITLE"]), TEXT),
    "Group": TEXT,
}
KIT_EVENT_COLUMNS = {
    "event_id": st.one_of(st.sampled_from(["E01", "E01", ""]), TEXT),
    "date": DATES,
    "title": TEXT,
    "category": TEXT,
    "place_id": st.one_of(st.sampled_from(["P01", ""]), TEXT),
    "notes": TEXT,
}
EVENT_FORMATS = {
    "acled": (
        ACLED_COLUMNS,
        [
            "event_id_cnty",
            "event_date",
            "time_precision",
            "event_type",
            "latitude",
            "longitude",
            "geo_precision",
        ],
    ),
    "timelinejs": (TIMELINEJS_COLUMNS, ["Year", "Headline"]),
    "kit": (KIT_EVENT_COLUMNS, ["event_id", "date", "title", "category", "place_id"]),
}


@pytest.mark.parametrize("fmt", list(EVENT_FORMATS))
@settings(max_examples=examples(25))
@given(data=st.data())
def test_read_events(fmt, data):
    columns, required = EVENT_FORMATS[fmt]
    f = data.draw(csv_file(columns, required=required, **TEXT_READER_FILES), label="file")
    res = _read(read_events, f)
    if res is None:
        return
    if f.n_rows is not None:
        assert res.rows_in == f.n_rows
    # rows in = events out + rows rejected (in problems) + the TimelineJS title row
    assert res.rows_in == len(res.events) + res.rows_rejected + res.non_event_rows
    ev = res.events
    _no_null_island(ev, [("lat", "lon")])
    assert not ((ev["lat"].abs() > 90) | (ev["lon"].abs() > 180)).any()
    assert not np.isinf(ev[["lat", "lon"]].to_numpy(dtype="float64")).any()


# --------------------------------------------------------------------------- regressions

ACLED_HEADER = (
    "event_id_cnty,event_date,time_precision,event_type,latitude,longitude,geo_precision,notes\n"
)
ACLED_ROW = "IRN1,24 April 2024,1,Protests,35.7,51.4,1,Москва é\n"
OPENSKY_HEADER = "icao24,callsign,firstSeen,lastSeen,estDepartureAirport,estArrivalAirport,notes\n"
OPENSKY_ROW = "4b1806,AFL1,1713945600,1713960000,UUEE,OIIE,Москва é\n"


def _kit_error_or(reader, path: Path, check) -> None:
    """The reader answers with the kit's own error, or ``check(result)`` holds."""
    try:
        result = reader(path)
    except OsintKitError:
        return
    check(result)


def _one_row(reader):
    if reader is read_events:
        return lambda r: (r.rows_in, len(r.events) + r.rows_rejected) == (1, 1)
    return lambda r: len(r) == 1


READERS = {
    "events": (read_events, ACLED_HEADER, ACLED_ROW),
    "opensky": (read_opensky, OPENSKY_HEADER, OPENSKY_ROW),
}


def _check(reader):
    def check(result):
        assert _one_row(reader)(result)

    return check


@pytest.mark.parametrize("encoding", ["utf-16", "cp1251"])
@pytest.mark.parametrize("which", list(READERS))
def test_not_utf8(tmp_path, which, encoding):
    reader, header, row = READERS[which]
    path = tmp_path / "export.csv"
    path.write_bytes((header + row).encode(encoding, errors="replace"))
    _kit_error_or(reader, path, _check(reader))


@pytest.mark.parametrize("which", list(READERS))
def test_gzip(tmp_path, which):
    reader, header, row = READERS[which]
    path = tmp_path / "export.csv"
    path.write_bytes(gzip.compress((header + row).encode(), mtime=0))
    _kit_error_or(reader, path, _check(reader))


@pytest.mark.parametrize("which", list(READERS))
def test_empty_file(tmp_path, which):
    reader, _, _ = READERS[which]
    path = tmp_path / "export.csv"
    path.write_bytes(b"")
    # an empty file has no data: only a kit error is a right answer
    with pytest.raises(OsintKitError):
        reader(path)


@pytest.mark.parametrize("which", list(READERS))
def test_unterminated_quote_at_eof(tmp_path, which):
    reader, header, row = READERS[which]
    path = tmp_path / "export.csv"
    path.write_bytes((header + '"' + row).encode())
    _kit_error_or(reader, path, _check(reader))


@pytest.mark.parametrize("which", ["events", "opensky", "bookings"])
def test_huge_field_in_first_data_row(tmp_path, which):
    if which == "bookings":
        reader, header, row = (
            read_bookings,
            "origin,destination,departure,notes\n",
            "SVO,IKA,2024-04-24,Москва\n",
        )
    else:
        reader, header, row = READERS[which]
    path = tmp_path / "export.csv"
    huge = "x" * 140_000
    path.write_bytes((header + row.rstrip("\n") + huge + "\n").encode())

    def check(result):
        assert _one_row(reader)(result)
        if reader is not read_events:
            # the text is kept whole, not cut at the csv module's limit
            assert result["notes"].iloc[0] == row.rstrip("\n").rsplit(",", 1)[1] + huge

    _kit_error_or(reader, path, check)


def test_bookings_zip_signature_not_workbook(tmp_path):
    path = tmp_path / "bookings.csv"
    path.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(OsintKitError):  # nothing to read: only a kit error is right
        read_bookings(path)


@pytest.mark.parametrize("seconds", ["1e20", "1e400", "9223372036854775807", "inf", "1e15"])
def test_opensky_seconds_out_of_range(tmp_path, seconds):
    path = tmp_path / "flights.csv"
    path.write_bytes((OPENSKY_HEADER + OPENSKY_ROW.replace("1713945600", seconds)).encode())

    def check(legs):
        # the row is kept with no departure time and a reason
        assert len(legs) == 1
        assert pd.isna(legs["departure_utc"].iloc[0])
        assert pd.notna(legs["problem"].iloc[0])

    _kit_error_or(read_opensky, path, check)
