"""Travel exports -> canonical legs: booking / manifest exports and OpenSky lists.

Analysts receive travel data as leaked booking exports, passenger manifests
and flight-tracking lists.  Each reader here normalises at the boundary
(column synonyms, encodings, delimiters, time conventions) and hands the
rows to :func:`osint_kit.analysis.legs.normalise_legs`, so every later step
sees one vocabulary; each returns a :class:`~osint_kit.analysis.legs.LegsResult`
(``.legs``, the canonical legs frame; ``.problems``, the long-form problems).

:func:`read_bookings`   booking / manifest exports, English or Russian headers
                        (:data:`COLUMN_SYNONYMS`, user-extensible), ``;`` or
                        ``,``, UTF-8 or cp1251 (detected with charset-normalizer),
                        or an Excel sheet (cells read as the text they show)
:func:`read_opensky`    OpenSky flight lists in every form OpenSky and
                        pyopensky write them: the REST API's JSON or its CSV
                        (icao24, callsign, firstSeen, lastSeen,
                        estDepartureAirport, estArrivalAirport), the Trino
                        tables' lower-case names (firstseen, estdepartureairport
                        ...), pyopensky's flight lists (departure, arrival),
                        or a DataFrame straight from pyopensky

In an export, an empty origin, destination or departure date is flagged (the
row stays).  OpenSky times are Unix seconds, UTC (``1713943200``, or
``1713943200.0`` after a round trip), or date-times as pyopensky returns
them (tz-aware, or naive and then UTC; ISO 8601 text in a CSV written from
such a frame): from 2000-01-01 (:data:`OPENSKY_EARLIEST`) to the time of
reading (+1 day); anything else (0, -1, 1.5, 1e20, "abc") is an unknown
time with its reason.  Each reader's result says which header it took for
which column when they differ (``.matched``, :class:`ReadLegsResult`).

Hostile exports: every file is read through
:func:`osint_kit.io.tabular.read_export` (the kit's error for an unreadable,
empty, compressed or mis-encoded file; fields of any length; a row with more
fields than the header stops the read with an error naming the row), ids and
codes holding a hidden character are flagged, and the rows left by two
exports joined with ``cat`` (a second header, a byte-order mark) are flagged
at the join.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit.analysis.legs import LegsResult, normalise_legs
from osint_kit.errors import InputFileError
from osint_kit.io import tabular as _tabular
from osint_kit.text import hidden_character_problems, match_key

__all__ = [
    "COLUMN_SYNONYMS",
    "OPENSKY_COLUMNS",
    "OPENSKY_SYNONYMS",
    "ReadLegsResult",
    "OPENSKY_EARLIEST",
    "OPENSKY_FUTURE_TOLERANCE",
    "detect_encoding",
    "read_bookings",
    "read_opensky",
    "rename_columns",
]

#: Canonical column -> header spellings (matched case- and punctuation-
#: insensitively).  Extend per call with ``read_bookings(..., synonyms=...)``.
COLUMN_SYNONYMS: dict[str, list[str]] = {
    "record_id": ["record_id", "record id", "id", "№", "№ п/п", "row id", "номер записи"],
    "record_kind": ["record_kind", "record kind", "kind", "тип записи"],
    "surname": ["surname", "last name", "lastname", "last_name", "family name", "фамилия"],
    "given_name": ["given name", "given_name", "first name", "firstname", "first_name", "имя"],
    "patronymic": ["patronymic", "middle name", "отчество"],
    "full_name": [
        "full name",
        "name",
        "passenger",
        "passenger name",
        "pax name",
        "фио",
        "пассажир",
        "ф.и.о.",
    ],
    "person_ref": ["person_ref", "person ref", "person"],
    "passport": [
        "passport",
        "passport no",
        "passport number",
        "passport_no",
        "document",
        "document number",
        "doc no",
        "номер паспорта",
        "паспорт",
        "документ",
        "номер документа",
        "серия и номер паспорта",
    ],
    "flight": [
        "flight",
        "flight no",
        "flight number",
        "flight_no",
        "рейс",
        "номер рейса",
        "№ рейса",
    ],
    "carrier": ["carrier", "airline", "авиакомпания", "перевозчик"],
    "origin": [
        "origin",
        "from",
        "departure airport",
        "dep airport",
        "откуда",
        "аэропорт вылета",
        "пункт отправления",
        "вылет из",
    ],
    "destination": [
        "destination",
        "to",
        "arrival airport",
        "arr airport",
        "куда",
        "аэропорт прилета",
        "аэропорт прилёта",
        "пункт назначения",
    ],
    "departure": [
        "departure",
        "departure date",
        "dep date",
        "date",
        "flight date",
        "дата вылета",
        "дата",
        "дата отправления",
        "вылет",
    ],
    "departure_time": ["departure time", "dep time", "время вылета", "время отправления"],
    "arrival": [
        "arrival",
        "arrival date",
        "arr date",
        "дата прилета",
        "дата прилёта",
        "дата прибытия",
        "прилет",
        "прилёт",
    ],
    "arrival_time": [
        "arrival time",
        "arr time",
        "время прилета",
        "время прилёта",
        "время прибытия",
    ],
    "booking_ref": [
        "booking ref",
        "booking reference",
        "pnr",
        "номер брони",
        "бронь",
        "код бронирования",
    ],
    "source_id": ["source_id", "source id", "source", "источник"],
}


@dataclass(frozen=True)
class ReadLegsResult(LegsResult):
    """A :class:`~osint_kit.analysis.legs.LegsResult` from a file, with
    ``matched``: canonical column -> the header taken for it, for every
    header written otherwise (``Фамилия`` for ``surname``, ``firstseen`` for
    ``firstSeen``, ``departure`` for ``estDepartureAirport``)."""

    matched: dict[str, str] = field(default_factory=dict)


def _header_key(text: str) -> str:

    return match_key(str(text).replace("ё", "е").replace("Ё", "Е"))


def rename_columns(
    columns: Sequence[str], synonyms: Mapping[str, Sequence[str]] | None = None
) -> dict[str, str]:
    """Map input headers to canonical names (only those that match).

    ``synonyms`` (canonical -> extra spellings) extends :data:`COLUMN_SYNONYMS`.
    The first header that matches a canonical name wins; a later duplicate
    keeps its own name (and so is kept as an extra column).
    """
    table: dict[str, str] = {}
    merged = {k: list(v) for k, v in COLUMN_SYNONYMS.items()}
    for k, v in (synonyms or {}).items():
        merged.setdefault(k, []).extend(v)
    for canonical, spellings in merged.items():
        for s in [canonical, *spellings]:
            table.setdefault(_header_key(s), canonical)
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in columns:
        match = table.get(_header_key(col))
        if match and match not in used:
            out[col] = match
            used.add(match)
    return out


#: One encoding detector for every reader (:func:`osint_kit.io.tabular.detect_encoding`).
detect_encoding = _tabular.detect_encoding
_sniff_delimiter = _tabular.sniff_delimiter


def read_bookings(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    synonyms: Mapping[str, Sequence[str]] | None = None,
    record_kind: str = "booking",
    source_id: str | None = None,
    gazetteer=None,
    case=None,
    sheet: str | int = 0,
) -> LegsResult:
    """Read a booking or manifest export into canonical legs.

    Parameters
    ----------
    path : path
        CSV/TSV text export, or an Excel workbook (``.xlsx``/``.xlsm``, or
        any file that starts like one): see :func:`_read_workbook`.
    encoding : str, optional
        Default: detected from the first 256 kB (:func:`detect_encoding`).
    delimiter : str, optional
        Default: the most frequent of ``; , TAB |`` in the header line.
    synonyms : mapping, optional
        Extra header spellings, e.g. ``{"surname": ["Familienname"]}``.
    record_kind : str
        ``booking`` (intent to travel) or ``manifest`` (boarding), used
        when the file has no record-kind column.
    source_id : str, optional
        The case source the file comes from (when the file has no column).
    gazetteer, case :
        Passed to :func:`osint_kit.analysis.places.resolve_places`.
    sheet : str or int
        Workbook only: the sheet to read (name or position; default the first).

    Returns
    -------
    LegsResult
        ``.legs``: canonical legs (:mod:`osint_kit.analysis.legs`), one per
        data row; ``.problems``: one row per (leg, reason).  A row that
        repeats the header or begins with a byte-order mark (two exports
        joined with ``cat``) is kept with that reason first in ``problem``.

    Raises
    ------
    InputFileError
        The file cannot be read (missing, empty, compressed, an archive or
        a broken workbook, not text in the encoding, a row longer than the
        header, a quote never closed: :func:`osint_kit.io.tabular.read_export`),
        or no column can be taken as origin, destination or departure (the
        message lists the headers found and how to add a synonym).
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise InputFileError(
            f"{path}: cannot read the file ({exc.strerror or exc}); check the path"
        ) from exc
    if path.suffix.lower() in (".xlsx", ".xlsm") or head.startswith(b"PK\x03\x04"):
        frame = _read_workbook(path, sheet)
    else:
        frame, _, _ = _tabular.read_export(
            path,
            what="the bookings",
            sep=delimiter,
            encoding=encoding,
            dtype="string",
            keep_default_na=False,
            na_values=[""],
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    return _from_export(
        frame,
        str(path.name),
        synonyms=synonyms,
        record_kind=record_kind,
        source_id=source_id,
        gazetteer=gazetteer,
        case=case,
    )


def _read_workbook(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    """A booking sheet as text (:func:`osint_kit.io.tabular.read_export_workbook`)."""
    return _tabular.read_export_workbook(path, sheet, what="the bookings")


def _joined(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """``frame`` with the row BOMs left by joined exports stripped, and the
    reason for each such row (a ``string`` Series on the index, <NA> elsewhere)."""
    found = _tabular.joined_exports(frame)
    reasons = pd.Series(pd.NA, index=frame.index, dtype="string")
    if len(found):
        frame = _tabular.strip_row_bom(frame, found.index[found["bom"].to_numpy()])
        reasons[found.index] = found["problem"]
    return frame, reasons


def _from_export(
    frame: pd.DataFrame,
    source_file: str,
    *,
    synonyms=None,
    record_kind="booking",
    source_id=None,
    gazetteer=None,
    case=None,
) -> LegsResult:
    frame, joined = _joined(frame)
    mapping = rename_columns(frame.columns, synonyms)
    frame = frame.rename(columns=mapping)
    missing = [c for c in ("origin", "destination", "departure") if c not in frame.columns]
    if missing:
        raise InputFileError(
            f"{source_file}: no column for {', '.join(missing)}. Headers found: "
            f"{', '.join(map(str, frame.columns))}. Rename the column, or pass "
            f"synonyms={{'{missing[0]}': ['<your header>']}} to read_bookings"
        )
    result = normalise_legs(
        frame,
        source_file=source_file,
        record_kind=record_kind,
        source_id=source_id,
        gazetteer=gazetteer,
        case=case,
        empty_place_problem="the {which} place is empty in the export",
        empty_departure_problem="the departure date is empty in the export",
        reader_problems={"joined": joined},
    )
    result = _with_headers(result, mapping)
    matched = {canonical: header for header, canonical in mapping.items() if header != canonical}
    return ReadLegsResult(result.legs, result.problems, result.rows_in, matched=matched)


def _with_headers(result: LegsResult, mapping: Mapping[str, str]) -> LegsResult:
    """``result`` with the problems' columns named as the file's headers
    (``Фамилия, Имя``, not ``surname, given_name``): the column the analyst sees."""
    back = {canonical: header for header, canonical in mapping.items() if header != canonical}
    if not back or not len(result.problems):
        return result
    named = result.problems["column"]
    codes, distinct = pd.factorize(named, use_na_sentinel=True)
    headers = [", ".join(back.get(c, c) for c in str(d).split(", ")) for d in distinct]
    problems = result.problems.assign(
        column=pd.Series(pd.array(headers + [None], dtype="string").take(codes), index=named.index)
    )
    return replace(result, problems=problems)


#: OpenSky times (Unix seconds) before this are not observations: ADS-B
#: (1090ES) came into use around 2000 and the OpenSky Network started in
#: 2013.  0 and -1 are what an empty field becomes in many exports.
OPENSKY_EARLIEST = pd.Timestamp("2000-01-01", tz="UTC")
#: An OpenSky time later than the moment of reading plus this is not an
#: observation either (the margin allows for clocks a little off).
OPENSKY_FUTURE_TOLERANCE = pd.Timedelta(days=1)


#: The columns of an OpenSky flight list, as its REST API names them.
OPENSKY_COLUMNS = [
    "icao24",
    "callsign",
    "firstSeen",
    "lastSeen",
    "estDepartureAirport",
    "estArrivalAirport",
]
#: OpenSky column -> the other names it comes under.  Headers are matched
#: ignoring case and punctuation as well, so the Trino tables' (and
#: pyopensky's) ``firstseen``, ``lastseen``, ``estdepartureairport`` and
#: ``estarrivalairport`` are found without a synonym; pyopensky's Trino
#: ``flightlist`` renames the airports ``departure`` and ``arrival``.
OPENSKY_SYNONYMS: dict[str, list[str]] = {
    "firstSeen": ["first seen"],
    "lastSeen": ["last seen"],
    "estDepartureAirport": ["departure", "est departure airport"],
    "estArrivalAirport": ["arrival", "est arrival airport"],
}


def _opensky_times(values: pd.Series, column: str, which: str) -> tuple[pd.Series, pd.Series]:
    """OpenSky times -> UTC instants (datetime64[us, UTC]) and, per row, why a
    non-empty value is not one (``string``, <NA> when fine or empty).

    Accepted: Unix seconds (a number or its text, ``1713943200.0`` included),
    date-times (a datetime column, tz-aware or naive = UTC, as pyopensky's
    REST and Trino clients return them) and ISO 8601 date-time text (the
    same written to CSV: ``2024-04-24 07:20:00+00:00``).  Refused with a
    reason: not a number nor a date-time, a fraction of a second in Unix
    seconds, before :data:`OPENSKY_EARLIEST` or after now +
    :data:`OPENSKY_FUTURE_TOLERANCE` (which also covers 1e20, inf and int64
    max: never an overflow)."""
    index = values.index
    n = len(values)
    lo_us = OPENSKY_EARLIEST.value // 1000
    hi_ts = pd.Timestamp.now(tz="UTC") + OPENSKY_FUTURE_TOLERANCE
    hi_us = hi_ts.value // 1000
    us = np.zeros(n, dtype=np.int64)
    # why, per row: 0 fine or empty, 1 not a time, 2 too late, 3 a fraction, 4 too early
    why = np.zeros(n, dtype=np.int8)
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        instants = values if isinstance(dtype, pd.DatetimeTZDtype) else values.dt.tz_localize("UTC")
        instants = instants.dt.tz_convert("UTC").astype("datetime64[us, UTC]")
        given = instants.notna().to_numpy(dtype=bool)
        raw = instants.dt.tz_localize(None).to_numpy(dtype="datetime64[us]").view(np.int64)
        us = np.where(given, raw, 0)
        text = None
    else:
        text = values.astype("string").str.strip()
        text = text.where(text != "")
        given = text.notna().to_numpy(dtype=bool)
        number = pd.to_numeric(text, errors="coerce").astype("float64").to_numpy()
        lo, hi = lo_us / 1e6, hi_us / 1e6
        with np.errstate(invalid="ignore"):
            numeric = given & ~np.isnan(number)
            whole = np.floor(number) == number
            in_range = np.isfinite(number) & (number >= lo) & (number <= hi)
            ok_num = numeric & whole & in_range
        # first reason that applies, as the old reader: too late, a fraction, too early
        why[numeric & (number < lo)] = 4
        why[numeric & np.isfinite(number) & ~whole] = 3
        why[numeric & (~np.isfinite(number) | (number > hi))] = 2
        us = np.where(ok_num, np.where(ok_num, number, 0).astype(np.int64) * 10**6, 0)
        other = np.flatnonzero(given & np.isnan(number))  # not a number: a date-time text?
        if len(other):
            codes, uniq = pd.factorize(text.iloc[other])
            parsed = pd.to_datetime(pd.Series(uniq), format="ISO8601", utc=True, errors="coerce")
            parsed = parsed.astype("datetime64[us, UTC]")
            p_us = parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[us]").view(np.int64)
            p_ok = parsed.notna().to_numpy(dtype=bool)
            got = p_ok[codes]
            us[other[got]] = p_us[codes][got]
            why[other[~got]] = 1
            raw = np.zeros(n, dtype=np.int64)
            raw[other[got]] = p_us[codes][got]
            dated = np.zeros(n, dtype=bool)
            dated[other[got]] = True
            why[dated & (raw > hi_us)] = 2
            why[dated & (raw < lo_us)] = 4
        raw = us
    if text is None:
        why[given & (raw > hi_us)] = 2
        why[given & (raw < lo_us)] = 4
    ok = given & (why == 0)
    utc = pd.Series(pd.to_datetime(np.where(ok, us, 0), unit="us", utc=True), index=index)
    utc = utc.where(pd.Series(ok, index=index)).astype("datetime64[us, UTC]")
    reasons = pd.Series(pd.NA, index=index, dtype="string")
    bad = np.flatnonzero(why > 0)
    if len(bad):
        shown_values = text.iloc[bad] if text is not None else values.iloc[bad].astype("string")
        shown = column + " '" + shown_values.str.slice(0, 40) + "'"
        unknown = f": the {which} time is unknown"
        texts = np.array(
            [
                "",
                " is neither Unix seconds nor an ISO 8601 date-time" + unknown,
                " is later than the time of reading: not a time OpenSky has seen" + unknown,
                " is not a whole number of seconds (OpenSky gives integers)" + unknown,
                f" is before {OPENSKY_EARLIEST:%Y-%m-%d} (no ADS-B record is older; an empty "
                "field exported as 0?)" + unknown,
            ],
            dtype=object,
        )
        reasons.iloc[bad] = (
            shown
            + pd.Series(texts[why[bad]], index=shown.index, dtype="string")
            + "; check the export"
        ).to_numpy(dtype=object)
    return utc, reasons


def read_opensky(
    data: str | Path | pd.DataFrame, *, source_id: str | None = None, gazetteer=None, case=None
) -> ReadLegsResult:
    """OpenSky flight list -> legs, in any form OpenSky or pyopensky writes it.

    ``data``: a file -- the REST ``/flights/*`` answer (a JSON list; told
    from its content, whatever its name), or a CSV of it or of a Trino query
    -- or a DataFrame straight from pyopensky (``REST().departure(...)``,
    ``Trino().flightlist(...)``).  Columns used: ``icao24``, ``callsign``,
    ``firstSeen``, ``lastSeen``, ``estDepartureAirport``,
    ``estArrivalAirport``, under any of their names (:data:`OPENSKY_SYNONYMS`:
    the Trino tables' ``firstseen`` ..., pyopensky's ``departure`` and
    ``arrival``); ``.matched`` on the result says which header was taken for
    which.  Times are Unix seconds, UTC, or date-times (tz-aware, or naive
    UTC): :func:`_opensky_times`.  Airports are ICAO codes, often empty --
    flagged, row kept.  ``record_kind`` is ``flight_list``; ``record_id`` is
    ``icao24@<firstSeen in Unix seconds>`` unless given, so every form of
    the same list gives the same legs.

    A time that is not one is unknown (NaT) and its row says why; an empty
    ``lastSeen`` is unknown without a word (OpenSky leaves it empty).  A CSV
    list is read like a booking export (:func:`osint_kit.io.tabular.read_export`:
    encoding detected, compressed files refused, rows from joined files
    reported).
    """
    joined = None
    if isinstance(data, pd.DataFrame):
        frame = data.copy()
        source_file = "<frame>"
        frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    else:
        path = Path(data)
        source_file = path.name
        if _tabular.sniff_kind(path) == "json":
            frame = _read_opensky_json(path)
        else:
            frame, _, _ = _tabular.read_export(
                path,
                what="the flight list",
                dtype="string",
                keep_default_na=False,
                na_values=[""],
                other_delimiter=True,
            )
            frame, joined = _joined(frame)
            # (read_csv_text numbers the rows; a JSON list is numbered here)
        if not isinstance(frame.index, pd.RangeIndex) or frame.index.name != "row":
            frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
            joined = None if joined is None else joined.set_axis(frame.index)
    rename = _tabular.match_headers(frame.columns, OPENSKY_COLUMNS, OPENSKY_SYNONYMS)
    frame = frame.rename(columns=rename)
    header = {c: c for c in OPENSKY_COLUMNS} | {v: k for k, v in rename.items()}
    required = ["icao24", "firstSeen", "lastSeen", "estDepartureAirport", "estArrivalAirport"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputFileError(
            f"{source_file}: not an OpenSky flight list, missing "
            f"{', '.join(missing)} (found {', '.join(map(str, frame.columns))}). OpenSky's REST "
            "API names them icao24, firstSeen, lastSeen, estDepartureAirport, estArrivalAirport; "
            "its Trino tables firstseen, lastseen, estdepartureairport, estarrivalairport; "
            "pyopensky's flight lists departure and arrival for the airports"
        )
    first_name, last_name = header["firstSeen"], header["lastSeen"]
    departure, first_problem = _opensky_times(frame["firstSeen"], first_name, "departure")
    arrival, last_problem = _opensky_times(frame["lastSeen"], last_name, "arrival")
    out = pd.DataFrame(index=frame.index)
    # a 24-bit address in hex; a round trip that took an all-digit one for a number
    # writes 400001.0 or drops a leading zero (40001): read back as 6 digits
    icao24 = _tabular.whole_number_text(frame["icao24"]).str.lower()
    digits = icao24.str.fullmatch(r"\d{1,5}").fillna(False)
    icao24 = icao24.mask(digits, icao24.str.zfill(6))
    seconds = departure.dt.tz_localize(None).to_numpy(dtype="M8[s]").view(np.int64)
    first_text = pd.Series(seconds, index=frame.index).astype("string").where(departure.notna())
    out["record_id"] = (
        frame["record_id"].astype("string") if "record_id" in frame else icao24 + "@" + first_text
    )
    out["record_kind"] = "flight_list"
    out["flight"] = frame["callsign"].astype("string").str.strip() if "callsign" in frame else pd.NA
    out["origin"] = frame["estDepartureAirport"].astype("string").str.strip()
    out["destination"] = frame["estArrivalAirport"].astype("string").str.strip()
    out["departure_utc"] = departure
    out["arrival_utc"] = arrival
    out["icao24"] = icao24
    extras = [c for c in frame.columns if c not in {"callsign", *required, "record_id"}]
    for c in extras:
        out[c] = frame[c]
    if source_id is not None:
        out["source_id"] = source_id
    problems = {
        "departure": first_problem,
        "arrival": last_problem,
        "icao24": hidden_character_problems(icao24, header["icao24"]),
    }
    # the columns (and values as read) the reasons are about, for the problems table
    shown = {c: frame[c].astype("string") for c in ("firstSeen", "lastSeen")}
    about = {
        "departure": (first_name, shown["firstSeen"]),
        "arrival": (last_name, shown["lastSeen"]),
        "icao24": (header["icao24"], icao24),
        "origin": (header["estDepartureAirport"], out["origin"]),
        "destination": (header["estArrivalAirport"], out["destination"]),
    }
    if "record_id" not in frame:  # icao24@firstSeen: checked as icao24, not twice
        problems["record_id"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    if joined is not None:
        problems["joined"] = joined
    # (the reasons name OpenSky's own columns, so every form gives the same legs;
    # the problems table names the header as written)
    result = normalise_legs(
        out,
        source_file=source_file,
        record_kind="flight_list",
        gazetteer=gazetteer,
        case=case,
        empty_place_problem=(
            "OpenSky gives no estimated {which} airport (estDepartureAirport/"
            "estArrivalAirport empty): the {which} is unknown, not guessed"
        ),
        empty_departure_problem=("OpenSky gives no firstSeen: the departure time is unknown"),
        reader_problems=problems,
        reader_columns=about,
    )
    matched = {k: v for k, v in header.items() if k != v}
    return ReadLegsResult(result.legs, result.problems, result.rows_in, matched=matched)


def _read_opensky_json(path: Path) -> pd.DataFrame:
    """An OpenSky REST answer (a JSON list of flights) as a frame; anything
    else (state vectors, an error answer, not JSON) is an :class:`InputFileError`."""
    data = _tabular.read_json_export(path, what="the flight list")
    if isinstance(data, dict) and "states" in data:
        raise InputFileError(
            f"{path}: OpenSky state vectors (/states/*: positions at one time), not a flight "
            "list; save the answer of /flights/* (a list of flights) instead"
        )
    if not isinstance(data, list):
        keys = sorted(map(str, data))[:10] if isinstance(data, dict) else type(data).__name__
        raise InputFileError(
            f"{path}: not a JSON list of flights (found {keys}); save the REST answer of "
            "/flights/* as it is"
        )
    odd = next((i for i, r in enumerate(data) if not isinstance(r, dict)), None)
    if odd is not None:
        raise InputFileError(
            f"{path}: flight [{odd}] of the JSON list is {type(data[odd]).__name__}, not an "
            "object of fields; save the REST answer of /flights/* as it is"
        )
    if not data:  # [] : OpenSky saw no flight
        return pd.DataFrame({c: pd.Series(dtype="string") for c in OPENSKY_COLUMNS})
    return pd.DataFrame.from_records(data)
