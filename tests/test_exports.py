"""Tests for osint_kit.readers.exports: booking/manifest exports and OpenSky lists -> canonical legs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from osint_kit.errors import InputFileError
from osint_kit.readers import exports

FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST = FIXTURES / "manifest_ru_synthetic.csv"
OPENSKY = FIXTURES / "opensky_flights_synthetic.csv"
SVO_IKA_KM = 2512.120597  # pyproj WGS84 geodesic between the case's SVO and IKA points


@pytest.fixture(scope="module")
def manifest():
    return exports.read_bookings(MANIFEST, record_kind="manifest", source_id="synthetic_leak").legs


def test_manifest_export_russian_headers(manifest):
    m = manifest
    assert len(m) == 7 and list(m.index) == list(range(2, 9))  # rows in = rows out
    assert m["record_id"].tolist() == [f"M{i}" for i in range(1, 8)]
    assert (m["record_kind"] == "manifest").all()
    assert (m["source_id"] == "synthetic_leak").all()
    r = m.loc[2]
    # 24.04.2024 10:35 at SVO (MSK, UTC+3) -> 07:35 UTC; 14:45 at IKA (IRST, UTC+3:30) -> 11:15 UTC
    assert r["departure_utc"] == pd.Timestamp("2024-04-24 07:35", tz="UTC")
    assert r["departure_local"] == pd.Timestamp("2024-04-24 10:35")
    assert r["arrival_utc"] == pd.Timestamp("2024-04-24 11:15", tz="UTC")
    assert r["date_precision"] == "datetime"
    assert r["duration_h"] == pytest.approx(11 / 3)  # 3 h 40 min
    assert r["distance_km"] == pytest.approx(SVO_IKA_KM, abs=1e-6)
    assert r["speed_kmh"] == pytest.approx(SVO_IKA_KM / (11 / 3))
    assert (r["origin_code"], r["destination_code"]) == ("SVO", "IKA")
    assert r["flight"] == "SU9512"
    assert r["Место"] == "12A"  # extra column kept
    # the same person in Cyrillic and Latin ("TESTOV IWAN") -> one key; same passport hash
    assert m.loc[2, "person_key"] == m.loc[3, "person_key"] == "testov ivan"
    assert m.loc[2, "passport_hash"] == m.loc[3, "passport_hash"]
    assert (
        m.loc[3, "origin_place_id"] == "curated:P03"
    )  # "Шереметьево" (a curated row: the kit's own id namespace)
    # the passport number never appears, only its series
    assert m.loc[2, "passport_masked"] == "20*******" and bool(m.loc[2, "passport_official"])
    assert "passport" not in m.columns and "Номер паспорта" not in m.columns
    assert (
        not m.astype("string").apply(lambda c: c.str.contains("9990001", regex=False)).any().any()
    )
    # Moscow -> Тегеран, a date only: city precision, day precision
    assert m.loc[4, "origin_precision"] == "city" and m.loc[4, "date_precision"] == "day"
    assert m.loc[4, "person_key"] == m.loc[5, "person_key"] == "primerova anna"


def test_manifest_bad_rows_flagged_and_kept(manifest):
    p = manifest["problem"]
    assert pd.isna(p[2]) and pd.isna(p[3]) and pd.isna(p[4])
    assert p[5].startswith("unknown place 'ZZZ'")
    assert np.isnan(manifest.loc[5, "origin_lat"])  # never (0, 0)
    assert manifest.loc[5, "departure_local"] == pd.Timestamp("2024-06-01 10:00")  # kept as written
    assert p[6] == "arrival is not after departure"
    # 10:00 MSK (07:00 UTC) -> 11:00 IRST (07:30 UTC): 2512 km in 30 min
    assert p[7] == (
        "passport number '1***' (4 characters) is not a 9-digit Russian foreign "
        "passport number | impossible speed: 5024 km/h over the leg (> 1100 km/h)"
    )
    assert p[8].startswith("unreadable name 'Òåñòîâ'")
    table = (
        exports.read_bookings(MANIFEST, record_kind="manifest", source_id="synthetic_leak")
        .check()
        .problems
    )
    # one row per (leg, reason): M4 (row 5), M5 (row 6), two for M6 (row 7), M7 (row 8)
    assert manifest.loc[table["row"], "record_id"].tolist() == ["M4", "M5", "M6", "M6", "M7"]
    assert table["row"].tolist() == [5, 6, 7, 7, 8]
    # each reason names the file's own header it is about and the value (a passport masked)
    assert table["column"].tolist() == [
        "Откуда",
        "Дата вылета, Дата прилета",
        "Номер паспорта",
        "Откуда, Куда, Дата вылета, Дата прилета",
        "Фамилия, Имя",
    ]
    assert table["value"].tolist()[::2] == ["ZZZ", "1***", "Òåñòîâ Èâàí"]
    assert set(table["file"]) == {"manifest_ru_synthetic.csv"}
    assert set(table["severity"]) == {"warning"} and set(table["action"]) == {"kept"}
    # the reasons one by one, joined in order, are the display column: never split from it
    assert table.groupby("row")["problem"].agg(" | ".join).to_dict() == p.dropna().to_dict()


def test_cp1251_comma_export_reads_the_same(tmp_path, manifest):
    text = MANIFEST.read_text(encoding="utf-8").replace(";", ",")
    rows = text.splitlines()
    rows = [r for r in rows if "Ò" not in r]  # the mojibake row cannot be written in cp1251
    path = tmp_path / "manifest_cp1251_synthetic.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("cp1251"))
    assert exports.detect_encoding(path.read_bytes()) == "cp1251"
    legs = exports.read_bookings(path, record_kind="manifest", source_id="synthetic_leak").legs
    cols = [
        "person_key",
        "origin_place_id",
        "destination_place_id",
        "departure_utc",
        "distance_km",
        "problem",
    ]
    pd.testing.assert_frame_equal(legs[cols], manifest.loc[2:7, cols])


def test_synonyms_extend_and_missing_columns(tmp_path):
    path = tmp_path / "booking_de_synthetic.csv"
    path.write_text(
        "Nachname;Abflughafen;Zielflughafen;Abflug\nMusterov;SVO;IKA;2024-04-24\n", encoding="utf-8"
    )
    with pytest.raises(InputFileError, match="no column for origin, destination, departure"):
        exports.read_bookings(path)
    legs = exports.read_bookings(
        path,
        synonyms={
            "surname": ["Nachname"],
            "origin": ["Abflughafen"],
            "destination": ["Zielflughafen"],
            "departure": ["Abflug"],
        },
    ).legs
    assert legs.loc[2, "person_key"] == "musterov"
    assert legs.loc[2, "distance_km"] == pytest.approx(SVO_IKA_KM, abs=1e-6)


def test_opensky_flight_list():
    legs = exports.read_opensky(OPENSKY, source_id="opensky_synthetic").legs
    assert len(legs) == 4
    assert (legs["record_kind"] == "flight_list").all()
    assert legs["record_id"].tolist()[0] == "0a1b2c@1713943200"
    assert legs.loc[2, "flight"] == "SYN101"  # callsign, padding stripped
    # firstSeen 1713943200 = 2024-04-24T07:20:00Z; lastSeen 1713956400 = 11:00:00Z
    assert legs.loc[2, "departure_utc"] == pd.Timestamp("2024-04-24 07:20", tz="UTC")
    assert legs.loc[2, "departure_local"] == pd.Timestamp("2024-04-24 10:20")  # MSK
    assert legs.loc[2, "arrival_local"] == pd.Timestamp("2024-04-24 14:30")  # IRST
    assert legs.loc[2, "duration_h"] == pytest.approx(11 / 3)
    assert legs.loc[2, "distance_km"] == pytest.approx(SVO_IKA_KM, abs=1e-6)
    assert pd.isna(legs.loc[2, "problem"])
    assert pd.isna(legs.loc[3, "arrival_utc"])  # lastSeen empty: unknown, kept
    assert legs.loc[4, "problem"].startswith("OpenSky gives no estimated arrival airport")
    assert legs.loc[5, "problem"].startswith("OpenSky gives no estimated departure airport")
    assert np.isnan(legs.loc[5, "origin_lat"])
    assert legs.loc[5, "icao24"] == "0d0e0f"  # extras kept


def test_opensky_frame_and_bad_input():
    frame = pd.DataFrame(
        {
            "icao24": ["abc123"],
            "firstSeen": [1726556400],
            "lastSeen": [1726569000],
            "estDepartureAirport": ["UUWW"],
            "estArrivalAirport": ["OIII"],
            "callsign": ["SYN9 "],
        }
    )
    legs = exports.read_opensky(frame).legs
    assert (
        legs.loc[2, "destination_place_id"] == "curated:P07"
    )  # OIII = Mehrabad (curated: the kit's own id namespace)
    with pytest.raises(InputFileError, match="not an OpenSky flight list"):
        exports.read_opensky(frame.drop(columns="lastSeen"))


def test_synthetic_export_roundtrip(tmp_path):
    from osint_kit.practice.synthetic import write_synthetic_bookings

    path = tmp_path / "bookings_synthetic.csv"
    raw = write_synthetic_bookings(path, 3000, seed=3)
    legs = exports.read_bookings(path).legs
    assert len(legs) == 3000  # rows in = rows out
    flagged = legs["problem"].notna().to_numpy()
    defect = raw["_defect"].notna().to_numpy()
    # every deliberate defect is flagged, and no clean row is
    assert (flagged == defect).all()
    assert legs.loc[~flagged, "distance_km"].notna().all()


def test_separate_time_columns_are_joined_to_their_dates(tmp_path):
    # exports often split date and time ("Дата вылета" + "Время вылета"); the two are
    # read together: 24.04.2024 10:35 at SVO (MSK, UTC+3) is 07:35 UTC
    path = tmp_path / "booking_time_columns_synthetic.csv"
    path.write_text(
        "Фамилия;Откуда;Куда;Дата вылета;Время вылета\n"
        "Тестов;SVO;IKA;24.04.2024;10:35\n"
        "Тестов;SVO;IKA;17.09.2024;\n",
        encoding="utf-8",
    )
    legs = exports.read_bookings(path).legs
    assert legs.loc[2, "departure_utc"] == pd.Timestamp("2024-04-24 07:35", tz="UTC")
    assert legs.loc[2, "date_precision"] == "datetime"
    # no time given: the date alone, at day precision
    assert legs.loc[3, "date_precision"] == "day"
    # no record-id column: each leg is named after its file and spreadsheet row
    assert legs["record_id"].tolist() == [
        "booking_time_columns_synthetic.csv:2",
        "booking_time_columns_synthetic.csv:3",
    ]


def test_rows_longer_than_the_header_are_an_error_not_a_shift(tmp_path):
    # an unquoted "," inside a field gives a row one field too many; pandas
    # alone would make the first column the index and shift every column
    # (surname "SVO", origin "IKA", ...) -- the kit refuses, naming the row
    first = tmp_path / "first.csv"
    first.write_text("Surname,From,To,Departure\nGusev,SVO,IKA,24 April, 2024\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"row 2 has 5 fields where the header has 4"):
        exports.read_bookings(first)
    later = tmp_path / "later.csv"
    later.write_text(
        "Surname,From,To,Departure\nGusev,SVO,IKA,2024-04-24\nPetrov,SVO,IKA,24 April, 2024\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError, match=r"row 3 has 5 fields where the header has 4"):
        exports.read_bookings(later)
    # a delimiter at the end of every row adds only empty fields: read as is
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("Surname;From;To;Departure\nGusev;SVO;IKA;2024-04-24;\n", encoding="utf-8")
    legs = exports.read_bookings(trailing).legs
    assert legs.loc[2, "origin_code"] == "SVO" and legs.loc[2, "person_key"] == "gusev"


def test_empty_places_and_departure_are_flagged_and_kept(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text(
        "Surname;From;To;Departure\nGusev;SVO;IKA;   \nPetrov;;;\nSidorov;SVO;IKA;2024-04-24\n",
        encoding="utf-8",
    )
    legs = exports.read_bookings(path).legs
    assert len(legs) == 3  # rows in = rows out
    # a blank date is empty too; reasons in the order place, date
    assert legs.loc[2, "problem"] == "the departure date is empty in the export"
    assert legs.loc[3, "problem"] == (
        "the departure place is empty in the export | "
        "the arrival place is empty in the export | "
        "the departure date is empty in the export"
    )
    assert pd.isna(legs.loc[4, "problem"])


def test_opensky_without_first_seen_is_flagged_and_kept():
    frame = pd.DataFrame(
        {
            "icao24": ["abc123", "abc124"],
            "firstSeen": [1726556400, None],
            "lastSeen": [1726569000, 1726569000],
            "estDepartureAirport": ["UUWW", "UUWW"],
            "estArrivalAirport": ["OIII", "OIII"],
            "callsign": ["SYN9", "SYN9"],
        }
    )
    legs = exports.read_opensky(frame).legs
    assert len(legs) == 2  # rows in = rows out
    assert pd.isna(legs.loc[2, "problem"])
    assert pd.isna(legs.loc[3, "departure_utc"])
    assert legs.loc[3, "problem"] == "OpenSky gives no firstSeen: the departure time is unknown"


def test_local_times_in_a_daylight_saving_change_are_flagged(tmp_path):
    # Europe/Berlin (BER): clocks went forward on 2024-03-31 at 02:00 (02:30 never
    # happened) and back on 2024-10-27 at 03:00 (02:30 happened twice: 00:30 UTC
    # in summer time, 01:30 UTC in winter time); 01:30 that night is unambiguous
    path = tmp_path / "dst.csv"
    path.write_text(
        "Surname;From;To;Departure\nA;BER;SVO;2024-03-31 02:30\n"
        "B;BER;SVO;2024-10-27 02:30\nC;BER;SVO;2024-10-27 01:30\n",
        encoding="utf-8",
    )
    legs = exports.read_bookings(path).legs
    assert legs["departure_utc"].isna().tolist() == [True, True, False]
    assert legs.loc[2, "problem"] == (
        "departure time 2024-03-31 02:30 does not exist in "
        "Europe/Berlin (clocks went forward); give the time with "
        "its UTC offset"
    )
    assert legs.loc[3, "problem"] == (
        "departure time 2024-10-27 02:30 happens twice in "
        "Europe/Berlin (clocks went back): 00:30 or 01:30 UTC; give "
        "the time with its UTC offset"
    )
    assert legs.loc[4, "departure_utc"] == pd.Timestamp("2024-10-26 23:30", tz="UTC")  # CEST
    assert legs.loc[2, "departure_local"] == pd.Timestamp("2024-03-31 02:30")  # as written


def test_excel_manifest_reads_like_a_csv_one(tmp_path):
    # a leaked manifest often comes as .xlsx: date cells, a separate time cell,
    # passport numbers stored as numbers, a blank row (dropped, numbering kept)
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "Фамилия",
            "Имя",
            "Номер паспорта",
            "Рейс",
            "Откуда",
            "Куда",
            "Дата вылета",
            "Время вылета",
        ]
    )
    ws.append(
        [
            "Гусев",
            "Иван",
            201234999,
            "SU 512",
            "SVO",
            "IKA",
            dt.datetime(2024, 4, 24),
            dt.time(10, 35),
        ]
    )
    ws.append([None] * 8)
    ws.append(
        [
            "Petrov",
            "Oleg",
            "70 1234999",
            "EP 9999",
            "Шереметьево",
            "Тегеран",
            dt.datetime(2024, 9, 17, 8, 5),
            None,
        ]
    )
    path = tmp_path / "manifest_synthetic.xlsx"
    wb.save(path)
    legs = exports.read_bookings(path, record_kind="manifest").legs
    assert legs.index.tolist() == [2, 4]  # Excel's row numbers
    assert legs.loc[2, "person_key"] == "gusev ivan"
    # 201234999 stored as a number: still 9 digits, series 20 (service passport)
    assert legs.loc[2, "passport_kind"] == "ru_foreign_service"
    # 24.04.2024 + 10:35 Moscow time (UTC+3) = 07:35 UTC
    assert legs.loc[2, "departure_utc"] == pd.Timestamp("2024-04-24 07:35", tz="UTC")
    assert legs.loc[2, "distance_km"] == pytest.approx(SVO_IKA_KM, abs=1e-6)
    # a date-time cell: 08:05 Moscow = 05:05 UTC; Тегеран is the city (Tehran)
    assert legs.loc[4, "departure_utc"] == pd.Timestamp("2024-09-17 05:05", tz="UTC")
    assert legs.loc[4, "destination_name"] == "Tehran" and legs["problem"].isna().all()
    with pytest.raises(InputFileError, match="cannot read sheet 'Manifest'"):
        exports.read_bookings(path, sheet="Manifest")


# --------------------------------------------------------------------------- hostile exports
# Each test below fails on the code before issue 9 (a raw exception, or a silent answer).

_CLOCK = (
    "time of day out of range in {!r} (hours 0-23, minutes and seconds 0-59; 24:00 and "
    "leap seconds are not read): write e.g. 24.04.2024 10:35"
)


@pytest.mark.parametrize(
    "text", ["2024-04-24T25:00", "24.04.2024 25:61", "24.04.2024 10:35:60", "2024-04-24 24:00"]
)
def test_a_clock_time_out_of_range_is_a_problem_not_the_next_day(tmp_path, text):
    # 25:00 used to become 01:00 the next day (22:00 UTC at SVO), 25:61 02:01
    path = tmp_path / "clock_synthetic.csv"
    path.write_text(f"Surname;From;To;Departure\nGusev;SVO;IKA;{text}\n", encoding="utf-8")
    legs = exports.read_bookings(path).legs
    assert len(legs) == 1 and pd.isna(legs.loc[2, "departure_utc"])
    assert legs.loc[2, "problem"] == _CLOCK.format(text)


@pytest.mark.parametrize(
    "data, message",
    [
        (
            b"PK\x03\x04" + b"garbage" * 50,
            (
                "starts like an Excel workbook (a zip file) but is not one (File is not a zip file); open "
                "it in Excel or LibreOffice and save it again as .xlsx, or export the bookings as CSV"
            ),
        ),
        (
            __import__("gzip").compress(b"Surname;From;To;Departure\nGusev;SVO;IKA;2024-04-24\n"),
            (
                "the file is gzip-compressed, not a text table. Decompress it (gunzip, or 7-Zip on "
                "Windows) and pass the file inside; the kit does not expand archives itself (a small "
                "hostile archive can expand to many GB)"
            ),
        ),
    ],
)
def test_booking_files_that_are_not_tables_are_kit_errors(tmp_path, data, message):
    path = tmp_path / "bookings_synthetic.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError) as info:
        exports.read_bookings(path)
    assert str(info.value) == f"{path}: {message}"


def test_a_field_over_the_csv_module_limit_is_read(tmp_path):
    path = tmp_path / "long_notes_synthetic.csv"
    path.write_text(
        "Surname;From;To;Departure;Notes\nGusev;SVO;IKA;2024-04-24;" + "n" * 140_000 + "\n",
        encoding="utf-8",
    )
    legs = exports.read_bookings(path).legs
    assert len(legs.loc[2, "Notes"]) == 140_000 and pd.isna(legs.loc[2, "problem"])


def _hidden(column, shown, found, plain):
    return (
        f"{column} '{shown}' holds {found}: it looks like '{plain}' but does not match it; "
        "remove the character (or ask the source which id is meant)"
    )


def test_look_alike_ids_and_codes_are_flagged_and_kept(tmp_path):
    path = tmp_path / "lookalike_synthetic.csv"
    path.write_text(
        "record_id;Surname;From;To;Departure;Flight\n"
        "T1\u200b;Gusev;SVO;IKA;2024-04-24;SU512\n"
        "T2;Gusev;SVO\u202e;IKA;2024-04-24;SU\x00512\n"
        "T3;Gusev;SVO;IKA;2024-04-24;SU512\n",
        encoding="utf-8",
    )
    legs = exports.read_bookings(path).legs
    assert len(legs) == 3  # rows in = rows out
    # kept as written (never silently cleaned), each hidden character named
    assert legs["record_id"].tolist() == ["T1\u200b", "T2", "T3"]
    assert legs.loc[2, "problem"] == _hidden(
        "record_id", "T1\\u200b", "U+200B ZERO WIDTH SPACE at character 3", "T1"
    )
    assert (
        legs.loc[3, "problem"]
        == (
            _hidden("flight", "SU\\u0000512", "U+0000 control character at character 3", "SU512")
            + " | "
            + _hidden("origin", "SVO\\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE at character 4", "SVO")
            # and resolve_places does not place it at SVO (issue 9: no silent look-alike)
            + " | place name 'SVO\\u202e' holds an invisible character (U+202E RIGHT-TO-LEFT "
            "OVERRIDE at character 4): it is not the name it looks like; remove the character "
            "(copy the name from the source as plain text)"
        )
    )
    assert pd.isna(legs.loc[4, "problem"])


def test_two_exports_joined_with_cat_are_reported_at_the_join(tmp_path):
    one = "\ufeffrecord_id;Surname;From;To;Departure\nT1;Gusev;SVO;IKA;2024-04-24\n"
    two = "\ufeffrecord_id;Surname;From;To;Departure\nT2;Petrov;SVO;IKA;2024-04-25\n"
    path = tmp_path / "joined_synthetic.csv"
    path.write_bytes((one + two).encode("utf-8"))  # what `cat one.csv two.csv` writes
    legs = exports.read_bookings(path).legs
    assert legs.index.tolist() == [2, 3, 4]  # rows in = rows out: the header row is kept, flagged
    assert legs.loc[3, "problem"].startswith(
        "row 3 repeats the header and begins with a byte-order mark: two files were probably "
        "joined (cat a.csv b.csv): the rows after it come from the second file; delete this "
        "row, or read the files one by one | "
    )
    assert legs.loc[3, "record_id"] == "record_id"  # the mid-file BOM is removed, not kept
    assert pd.isna(legs.loc[2, "problem"]) and pd.isna(legs.loc[4, "problem"])
    assert legs.loc[4, "departure_utc"] == pd.Timestamp("2024-04-25", tz="UTC")


def _opensky_frame(first, last=1713956400):
    return pd.DataFrame(
        {
            "icao24": ["0a1b2c"],
            "firstSeen": [first],
            "lastSeen": [last],
            "estDepartureAirport": ["UUEE"],
            "estArrivalAirport": ["OIIE"],
            "callsign": ["SYN101"],
        }
    )


_UNKNOWN = ": the departure time is unknown; check the export"


@pytest.mark.parametrize(
    "first, why",
    [
        # out of datetime64's range: an OutOfBoundsDatetime before
        ("1e20", "is later than the time of reading: not a time OpenSky has seen"),
        ("1e400", "is later than the time of reading: not a time OpenSky has seen"),
        ("9223372036854775807", "is later than the time of reading: not a time OpenSky has seen"),
        # 1970: accepted silently before
        ("0", "is before 2000-01-01 (no ADS-B record is older; an empty field exported as 0?)"),
        ("-1", "is before 2000-01-01 (no ADS-B record is older; an empty field exported as 0?)"),
        ("1.5", "is not a whole number of seconds (OpenSky gives integers)"),
    ],
)
def test_opensky_seconds_outside_the_adsb_era_are_problems(first, why):
    legs = exports.read_opensky(_opensky_frame(first)).legs
    assert len(legs) == 1 and pd.isna(legs.loc[2, "departure_utc"])
    assert legs.loc[2, "problem"] == f"firstSeen '{first}' {why}{_UNKNOWN}"
    assert legs.loc[2, "record_id"] == "<frame>:2"  # no time to name the flight by


def test_opensky_unreadable_last_seen_is_a_problem_not_empty():
    legs = exports.read_opensky(_opensky_frame("1713943200", last="abc")).legs
    assert legs.loc[2, "departure_utc"] == pd.Timestamp("2024-04-24 07:20", tz="UTC")
    assert pd.isna(legs.loc[2, "arrival_utc"])
    assert legs.loc[2, "problem"] == (
        "lastSeen 'abc' is neither Unix seconds nor an ISO 8601 date-time: the "
        "arrival time is unknown; check the export"
    )


def test_opensky_look_alike_icao24_is_flagged():
    frame = _opensky_frame(1713943200)
    frame["icao24"] = ["\ufeff0a1b2c"]
    legs = exports.read_opensky(frame).legs
    assert legs.loc[2, "problem"] == _hidden(
        "icao24", "\\ufeff0a1b2c", "U+FEFF ZERO WIDTH NO-BREAK SPACE at character 1", "0a1b2c"
    )


@pytest.mark.parametrize(
    "encoding, note",
    [
        ("utf-16", "Синтетический рейс"),
        ("cp1251", "Синтетический рейс из Москвы"),
        ("latin-1", "vol synthétique à Téhéran"),
    ],
)
def test_opensky_csv_in_another_encoding_reads_like_utf8(tmp_path, encoding, note):
    # an analyst's note column added in Excel and saved in the machine's encoding
    lines = OPENSKY.read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0] + ",note"] + [f"{x},{note}" for x in lines[1:]]) + "\n"
    (tmp_path / "utf8").mkdir()
    utf8, legacy = tmp_path / "utf8" / "opensky_synthetic.csv", tmp_path / "opensky_synthetic.csv"
    utf8.write_bytes(text.encode("utf-8"))
    legacy.write_bytes(text.encode(encoding))
    legs = exports.read_opensky(legacy, source_id="opensky_synthetic").legs
    want = exports.read_opensky(utf8, source_id="opensky_synthetic").legs
    pd.testing.assert_frame_equal(legs, want)
    assert legs["note"].tolist() == [note] * 4
    # and the same legs as the fixture itself
    cols = ["record_id", "departure_utc", "arrival_utc", "origin_place_id", "problem"]
    pd.testing.assert_frame_equal(legs[cols], exports.read_opensky(OPENSKY).legs[cols])


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty (no header row); export the flight list again"),
        (
            (
                b"icao24,firstSeen,estDepartureAirport,lastSeen,estArrivalAirport\n"
                b'0a1b2c,1713943200,"UUEE,1713956400,OIIE\n'
            ),
            (
                'a quote (") opens in row 2 and is never closed, so the rest of the file would be one '
                'text. Close the quote, or remove the stray " character'
            ),
        ),
    ],
)
def test_opensky_unreadable_csv_is_a_kit_error(tmp_path, data, message):
    path = tmp_path / "opensky_bad_synthetic.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError) as info:
        exports.read_opensky(path)
    assert str(info.value) == f"{path}: {message}"
