"""Travel records -> one canonical legs table.

Analysts receive travel data as leaked booking exports, passenger manifests
and flight-tracking lists.  Each reader here normalises at the boundary
(column synonyms, encodings, delimiters, time conventions) and hands the
rows to :func:`normalise_legs`, so every later step sees one vocabulary.

Readers
-------
:func:`legs`            the case's ``travel.csv`` (``legs(case)``)
:func:`read_bookings`   booking / manifest exports, English or Russian headers
                        (:data:`COLUMN_SYNONYMS`, user-extensible), ``;`` or
                        ``,``, UTF-8 or cp1251 (detected with charset-normalizer),
                        or an Excel sheet (cells read as the text they show)
:func:`read_opensky`    OpenSky flight lists (icao24, callsign, firstSeen,
                        lastSeen, estDepartureAirport, estArrivalAirport)

Canonical legs (:data:`LEG_COLUMNS`, index ``row`` = the record's row in its
file as a spreadsheet shows it, header = 1)
----------------------------------------------------------------------------
record_id, record_kind (booking|manifest|flight_list|...), person_ref,
person_key (:mod:`osint_kit.analysis.names`), name_ascii, passport_kind,
passport_official, passport_masked, passport_hash (:mod:`osint_kit.analysis.documents`;
the full number is never carried over), flight (flight number or callsign),
carrier, and for ``origin_`` / ``destination_``: the text as written, code
(IATA/ICAO when the text is a code), name, place_id, city, lat, lon (deg),
tz (IANA), precision, radius_km, gazetteer; departure_utc, arrival_utc
(datetime64[us, UTC]), departure_local, arrival_local (naive local wall
time, datetime64[us]), date_precision (datetime|day|month|year|range),
distance_km (geodesic, once per distinct pair of points), duration_h
(arrival - departure, when both are datetimes), plausible_duration_h
(distance / :data:`CRUISE_KMH` + :data:`OVERHEAD_H`), speed_kmh,
source_id, source_file, problem (all reasons for the row, `` | ``-joined,
<NA> when none).  Any other input column is kept after these ("extras").

Nothing disappears: unknown places, unreadable names or dates, arrival
before departure and speeds above :data:`MAX_SPEED_KMH` are flagged in
``problem`` and the row stays; so are, in an export, an empty origin,
destination or departure date, and a local time that a daylight-saving
change skips or repeats (no single UTC instant: both readings named).  A row with more fields than the header (a
text with an unquoted delimiter) stops the read with an error naming the row
(:mod:`osint_kit.io.tabular`): pandas alone would shift the columns silently.
A city with several airports (Moscow: SVO, VKO, DME) stays at city
precision: no airport is ever guessed.

Time convention: a date or time *without* an offset in a booking or
manifest is local wall time at the departure (or arrival) place and is
converted to UTC with that place's time zone; a day-precision date keeps
``departure_utc`` = that calendar day at 00:00 UTC (the
:mod:`osint_kit.analysis.dates` convention), since the hour is unknown anyway.
OpenSky times are Unix seconds, UTC: whole seconds from 2000-01-01
(:data:`OPENSKY_EARLIEST`) to the time of reading (+1 day); anything else
(0, -1, 1.5, 1e20, "abc") is an unknown time with its reason.  A clock time
out of range (``25:00``, ``10:61``, a leap second ``:60``) is a problem, never
the next hour or day.

Hostile exports: every file is read through
:func:`osint_kit.io.tabular.read_export` (the kit's error for an unreadable,
empty, compressed or mis-encoded file; fields of any length), ids and codes
holding a hidden character (BOM, zero-width space, bidirectional override,
NUL) are flagged, and the rows left by two exports joined with ``cat`` (a
second header, a byte-order mark) are flagged at the join.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit.io import tabular as _tabular
from osint_kit.errors import InputFileError

__all__ = [
    "COLUMN_SYNONYMS", "LEG_COLUMNS", "CRUISE_KMH", "OVERHEAD_H", "MAX_SPEED_KMH",
    "OPENSKY_EARLIEST", "OPENSKY_FUTURE_TOLERANCE",
    "legs", "read_bookings", "read_opensky", "normalise_legs", "detect_encoding",
    "rename_columns", "evidence_by_trip", "problems_table",
]

#: Typical block speed of a jet airliner (km/h) and fixed time for taxi, climb
#: and descent (h): plausible_duration_h = distance_km / CRUISE_KMH + OVERHEAD_H.
#: SVO->IKA (2,512 km) -> 3.64 h; scheduled Moscow-Tehran flights are ~3h30-3h45.
CRUISE_KMH = 800.0
OVERHEAD_H = 0.5
#: Faster than any airliner's ground speed over a whole leg (a jet stream can
#: push ground speed to ~1,100 km/h briefly): flagged as impossible.
MAX_SPEED_KMH = 1100.0
#: Separator between several reasons in the ``problem`` column.
PROBLEM_SEP = " | "

#: Canonical column -> header spellings (matched case- and punctuation-
#: insensitively).  Extend per call with ``read_bookings(..., synonyms=...)``.
COLUMN_SYNONYMS: dict[str, list[str]] = {
    "record_id": ["record_id", "record id", "id", "№", "№ п/п", "row id", "номер записи"],
    "record_kind": ["record_kind", "record kind", "kind", "тип записи"],
    "surname": ["surname", "last name", "lastname", "last_name", "family name", "фамилия"],
    "given_name": ["given name", "given_name", "first name", "firstname", "first_name", "имя"],
    "patronymic": ["patronymic", "middle name", "отчество"],
    "full_name": ["full name", "name", "passenger", "passenger name", "pax name", "фио",
                  "пассажир", "ф.и.о."],
    "person_ref": ["person_ref", "person ref", "person"],
    "passport": ["passport", "passport no", "passport number", "passport_no", "document",
                 "document number", "doc no", "номер паспорта", "паспорт", "документ",
                 "номер документа", "серия и номер паспорта"],
    "flight": ["flight", "flight no", "flight number", "flight_no", "рейс", "номер рейса",
               "№ рейса"],
    "carrier": ["carrier", "airline", "авиакомпания", "перевозчик"],
    "origin": ["origin", "from", "departure airport", "dep airport", "откуда",
               "аэропорт вылета", "пункт отправления", "вылет из"],
    "destination": ["destination", "to", "arrival airport", "arr airport", "куда",
                    "аэропорт прилета", "аэропорт прилёта", "пункт назначения"],
    "departure": ["departure", "departure date", "dep date", "date", "flight date",
                  "дата вылета", "дата", "дата отправления", "вылет"],
    "departure_time": ["departure time", "dep time", "время вылета", "время отправления"],
    "arrival": ["arrival", "arrival date", "arr date", "дата прилета", "дата прилёта",
                "дата прибытия", "прилет", "прилёт"],
    "arrival_time": ["arrival time", "arr time", "время прилета", "время прилёта",
                     "время прибытия"],
    "booking_ref": ["booking ref", "booking reference", "pnr", "номер брони", "бронь",
                    "код бронирования"],
    "source_id": ["source_id", "source id", "source", "источник"],
}

_ENDPOINT_FIELDS = ["code", "name", "place_id", "city", "lat", "lon", "tz", "precision",
                    "radius_km", "gazetteer"]

LEG_COLUMNS: list[str] = [
    "record_id", "record_kind", "person_ref", "person_key", "name_ascii",
    "passport_kind", "passport_official", "passport_masked", "passport_hash",
    "flight", "carrier",
    "origin", *[f"origin_{f}" for f in _ENDPOINT_FIELDS],
    "destination", *[f"destination_{f}" for f in _ENDPOINT_FIELDS],
    "departure_utc", "departure_local", "arrival_utc", "arrival_local", "date_precision",
    "distance_km", "duration_h", "plausible_duration_h", "speed_kmh",
    "source_id", "source_file", "problem",
]

_CONSUMED = {"surname", "given_name", "patronymic", "full_name", "passport", "departure",
             "departure_time", "arrival", "arrival_time"}


# --------------------------------------------------------------------------- reading

def _header_key(text: str) -> str:
    from osint_kit.text import match_key

    return match_key(str(text).replace("ё", "е").replace("Ё", "Е"))


def rename_columns(columns: Sequence[str], synonyms: Mapping[str, Sequence[str]] | None = None
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
        canonical = table.get(_header_key(col))
        if canonical and canonical not in used:
            out[col] = canonical
            used.add(canonical)
    return out


#: One encoding detector for every reader (:func:`osint_kit.io.tabular.detect_encoding`).
detect_encoding = _tabular.detect_encoding
_sniff_delimiter = _tabular.sniff_delimiter


def read_bookings(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
                  synonyms: Mapping[str, Sequence[str]] | None = None,
                  record_kind: str = "booking", source_id: str | None = None,
                  gazetteer=None, case=None, sheet: str | int = 0) -> pd.DataFrame:
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
    pandas.DataFrame
        Canonical legs (see the module docstring), one per data row.  A row
        that repeats the header or begins with a byte-order mark (two exports
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
        raise InputFileError(f"{path}: cannot read the file ({exc.strerror or exc}); "
                            "check the path") from exc
    if path.suffix.lower() in (".xlsx", ".xlsm") or head.startswith(b"PK\x03\x04"):
        frame = _read_workbook(path, sheet)
    else:
        frame, _, _ = _tabular.read_export(
            path, what="the bookings", sep=delimiter, encoding=encoding, dtype="string",
            keep_default_na=False, na_values=[""], quoting=csv.QUOTE_MINIMAL, engine="c")
    return _from_export(frame, str(path.name), synonyms=synonyms, record_kind=record_kind,
                        source_id=source_id, gazetteer=gazetteer, case=case)


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


def _from_export(frame: pd.DataFrame, source_file: str, *, synonyms=None,
                 record_kind="booking", source_id=None, gazetteer=None, case=None) -> pd.DataFrame:
    frame, joined = _joined(frame)
    mapping = rename_columns(frame.columns, synonyms)
    frame = frame.rename(columns=mapping)
    missing = [c for c in ("origin", "destination", "departure") if c not in frame.columns]
    if missing:
        raise InputFileError(
            f"{source_file}: no column for {', '.join(missing)}. Headers found: "
            f"{', '.join(map(str, frame.columns))}. Rename the column, or pass "
            f"synonyms={{'{missing[0]}': ['<your header>']}} to read_bookings")
    return normalise_legs(frame, source_file=source_file, record_kind=record_kind,
                          source_id=source_id, gazetteer=gazetteer, case=case,
                          empty_place_problem="the {which} place is empty in the export",
                          empty_departure_problem="the departure date is empty in the export",
                          reader_problems={"joined": joined})


def legs(case, *, gazetteer=None) -> pd.DataFrame:
    """Canonical legs of a case's ``travel.csv`` (same index, ``row``)."""
    travel = case.travel.copy()
    derived = [c for c in travel.columns if c.startswith("departure_")]
    travel = travel.drop(columns=derived)
    return normalise_legs(travel, source_file="travel.csv", gazetteer=gazetteer, case=case)


#: OpenSky times (Unix seconds) before this are not observations: ADS-B
#: (1090ES) came into use around 2000 and the OpenSky Network started in
#: 2013.  0 and -1 are what an empty field becomes in many exports.
OPENSKY_EARLIEST = pd.Timestamp("2000-01-01", tz="UTC")
#: An OpenSky time later than the moment of reading plus this is not an
#: observation either (the margin allows for clocks a little off).
OPENSKY_FUTURE_TOLERANCE = pd.Timedelta(days=1)


def _unix_seconds(values: pd.Series, column: str, which: str) -> tuple[pd.Series, pd.Series]:
    """OpenSky Unix seconds -> UTC instants (datetime64[us, UTC]) and, per
    row, why a non-empty value is not one (``string``, <NA> when fine or
    empty): not a number, not a whole number of seconds, before
    :data:`OPENSKY_EARLIEST` or after now + :data:`OPENSKY_FUTURE_TOLERANCE`
    (which also covers 1e20, inf and int64 max: never an overflow)."""
    index = values.index
    text = values.astype("string").str.strip()
    text = text.where(text != "")
    number = pd.to_numeric(text, errors="coerce").astype("float64").to_numpy()
    given = text.notna().to_numpy(dtype=bool)
    lo = OPENSKY_EARLIEST.timestamp()
    hi = (pd.Timestamp.now(tz="UTC") + OPENSKY_FUTURE_TOLERANCE).timestamp()
    with np.errstate(invalid="ignore"):
        whole = np.floor(number) == number
        ok = given & np.isfinite(number) & whole & (number >= lo) & (number <= hi)
    seconds = np.where(ok, number, 0).astype(np.int64)
    utc = pd.Series(pd.to_datetime(seconds * 10**6, unit="us", utc=True), index=index)
    utc = utc.where(pd.Series(ok, index=index))
    bad = np.flatnonzero(given & ~ok)
    reasons = pd.Series(pd.NA, index=index, dtype="string")
    if len(bad):
        n = number[bad]
        shown = column + " '" + text.iloc[bad].str.slice(0, 40) + "'"
        unknown = f": the {which} time is unknown"
        why = np.select(
            [np.isnan(n), ~np.isfinite(n) | (n > hi), np.floor(n) != n],
            [" is not a number of Unix seconds" + unknown,
             " is later than the time of reading: not a time OpenSky has seen" + unknown,
             " is not a whole number of seconds (OpenSky gives integers)" + unknown],
            f" is before {OPENSKY_EARLIEST:%Y-%m-%d} (no ADS-B record is older; an empty "
            f"field exported as 0?)" + unknown)
        reasons.iloc[bad] = (shown + pd.Series(why, index=shown.index, dtype="string")
                             + "; check the export").to_numpy(dtype=object)
    return utc.astype("datetime64[us, UTC]"), reasons


def read_opensky(data: str | Path | pd.DataFrame, *, source_id: str | None = None,
                 gazetteer=None, case=None) -> pd.DataFrame:
    """OpenSky flight list (REST ``/flights/*`` JSON or its CSV export) -> legs.

    Columns used: ``icao24``, ``callsign``, ``firstSeen``, ``lastSeen`` (Unix
    seconds, UTC), ``estDepartureAirport``, ``estArrivalAirport`` (ICAO
    codes; often empty -- flagged, row kept).  ``record_kind`` is
    ``flight_list``; ``record_id`` is ``icao24@firstSeen`` unless given.

    A time that is not a whole number of Unix seconds between
    :data:`OPENSKY_EARLIEST` (2000-01-01) and the time of reading (+1 day)
    is unknown (NaT) and its row says why; an empty ``lastSeen`` is unknown
    without a word (OpenSky leaves it empty).  A CSV list is read like a
    booking export (:func:`osint_kit.io.tabular.read_export`: encoding
    detected, compressed files refused, rows from joined files reported).
    """
    joined = None
    if isinstance(data, pd.DataFrame):
        frame = data.copy()
        source_file = "<frame>"
        frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    else:
        path = Path(data)
        source_file = path.name
        if path.suffix.lower() == ".json":
            frame = _read_opensky_json(path)
        else:
            frame, _, _ = _tabular.read_export(
                path, what="the flight list", dtype="string", keep_default_na=False,
                na_values=[""], other_delimiter=True)
            frame, joined = _joined(frame)
            # (read_csv_text numbers the rows; a JSON list is numbered here)
        if not isinstance(frame.index, pd.RangeIndex) or frame.index.name != "row":
            frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
            joined = None if joined is None else joined.set_axis(frame.index)
    required = ["icao24", "firstSeen", "lastSeen", "estDepartureAirport", "estArrivalAirport"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputFileError(f"{source_file}: not an OpenSky flight list, missing "
                            f"{', '.join(missing)} (found {', '.join(map(str, frame.columns))})")
    departure, first_problem = _unix_seconds(frame["firstSeen"], "firstSeen", "departure")
    arrival, last_problem = _unix_seconds(frame["lastSeen"], "lastSeen", "arrival")
    out = pd.DataFrame(index=frame.index)
    icao24 = frame["icao24"].astype("string").str.strip().str.lower()
    seconds = departure.dt.tz_localize(None).to_numpy(dtype="M8[s]").view(np.int64)
    first_text = pd.Series(seconds, index=frame.index).astype("string").where(departure.notna())
    out["record_id"] = (frame["record_id"].astype("string") if "record_id" in frame
                        else icao24 + "@" + first_text)
    out["record_kind"] = "flight_list"
    out["flight"] = (frame["callsign"].astype("string").str.strip()
                     if "callsign" in frame else pd.NA)
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
    problems = {"departure": first_problem, "arrival": last_problem,
                "icao24": _hidden(icao24, "icao24")}
    if "record_id" not in frame:  # icao24@firstSeen: checked as icao24, not twice
        problems["record_id"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    if joined is not None:
        problems["joined"] = joined
    return normalise_legs(out, source_file=source_file, record_kind="flight_list",
                          gazetteer=gazetteer, case=case, empty_place_problem=(
                              "OpenSky gives no estimated {which} airport (estDepartureAirport/"
                              "estArrivalAirport empty): the {which} is unknown, not guessed"),
                          empty_departure_problem=(
                              "OpenSky gives no firstSeen: the departure time is unknown"),
                          reader_problems=problems)


def _read_opensky_json(path: Path) -> pd.DataFrame:
    """An OpenSky REST answer (a JSON list of flights) as a frame; anything
    else is an :class:`InputFileError`."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read the file ({exc.strerror or exc}); "
                            "check the path") from exc
    for magic, kind in _tabular.SIGNATURES.items():
        if head.startswith(magic):
            raise InputFileError(f"{path}: the file is {kind}, not JSON; decompress it and "
                                "pass the file inside")
    try:
        frame = pd.read_json(path, dtype=False, compression=None)
    except (ValueError, UnicodeError, TypeError) as exc:
        raise InputFileError(f"{path}: not an OpenSky flight list in JSON ({exc}); save the "
                            "REST answer (a list of flights) as UTF-8 JSON, or pass the CSV "
                            "export") from exc
    if not isinstance(frame, pd.DataFrame):
        raise InputFileError(f"{path}: not a JSON list of flights; save the REST answer of "
                            "/flights/* as it is")
    if frame.empty and not len(frame.columns):  # [] : OpenSky saw no flight
        frame = pd.DataFrame({c: pd.Series(dtype="string") for c in (
            "icao24", "firstSeen", "estDepartureAirport", "lastSeen", "estArrivalAirport",
            "callsign")})
    return frame


# --------------------------------------------------------------------------- normalising

def _on_distinct(values: pd.Series, func) -> pd.Series:
    """Apply a string transformation to each distinct value once and map back
    (``func`` takes and returns a string Series; NA stays NA)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    done = func(pd.Series(uniques, dtype="string")).astype("string")
    return pd.Series(done.array.take(codes, allow_fill=True), index=values.index,
                     dtype="string")


def _hidden(values: pd.Series, column: str, *, words: bool = False) -> pd.Series:
    """Why an id or code in ``values`` looks like another one (a hidden
    character, :func:`osint_kit.text.hidden_character_problems`), as a
    ``string`` Series (<NA> when clean); a Categorical is checked once per
    category."""
    from osint_kit.text import hidden_character_problems

    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        reasons = hidden_character_problems(pd.Series(cats.to_numpy(dtype=object)), column,
                                            words=words)
        if reasons.isna().all():
            return pd.Series(pd.NA, index=values.index, dtype="string")
        return pd.Series(reasons.array.take(values.cat.codes.to_numpy(), allow_fill=True),
                         index=values.index)
    return hidden_character_problems(values, column, words=words)


def _clean(u: pd.Series) -> pd.Series:
    u = u.str.strip()
    return u.where(u != "")


def _categorical_to_string(values: pd.Series) -> pd.Series:
    """Categorical -> string dtype by taking from the (few) categories: no
    per-row validation of a million Python strings."""
    cats = pd.array(values.cat.categories.to_numpy(dtype=object), dtype="string")
    return pd.Series(cats.take(values.cat.codes.to_numpy(), allow_fill=True),
                     index=values.index, name=values.name)


def _with_reason(values: pd.Series, mask: np.ndarray, reason: str) -> pd.Series:
    """Categorical ``values`` with ``reason`` put where ``mask`` is true."""
    rows = np.flatnonzero(mask)
    return _with_reasons(values, rows, [reason], np.zeros(len(rows), dtype=np.int64))


def _with_reasons(values: pd.Series, rows: np.ndarray, reasons: Sequence[str],
                  which: np.ndarray) -> pd.Series:
    """Categorical ``values`` with ``reasons[which[i]]`` put at position ``rows[i]``
    (``reasons``: distinct texts; ``which``: an index into them per row)."""
    if not len(rows):
        return values
    new = pd.Index(list(reasons), dtype="string")
    merged = values.cat.categories.append(new).unique()
    codes = values.cat.codes.to_numpy().copy()
    codes[rows] = merged.get_indexer(new)[which]
    return pd.Series(pd.Categorical.from_codes(codes, categories=merged), index=values.index)


def _dst_reasons(wall_us: np.ndarray, zones: np.ndarray, which: str) -> list[str]:
    """Why naive local times (int64 us, one zone each) have no UTC instant: the
    wall time falls in a daylight-saving gap (it does not exist) or overlap
    (it happens twice: both readings named).  The caller passes each distinct
    (wall time, zone) once."""
    out = []
    for us, zone in zip(wall_us, zones):
        wall = pd.Timestamp(int(us), unit="us")
        text = f"{which} time {wall:%Y-%m-%d %H:%M} "
        try:
            first = wall.tz_localize(zone, ambiguous=True).tz_convert("UTC")
            second = wall.tz_localize(zone, ambiguous=False).tz_convert("UTC")
            out.append(text + f"happens twice in {zone} (clocks went back): {first:%H:%M} or "
                       f"{second:%H:%M} UTC; give the time with its UTC offset")
        except ValueError:  # a wall time in the spring-forward gap
            out.append(text + f"does not exist in {zone} (clocks went forward); give the "
                       "time with its UTC offset")
    return out


def _clean_categorical(values: pd.Series) -> pd.Series:
    """Stripped text ("" -> NA) as a Categorical: one pass over the rows."""
    raw = values.to_numpy(dtype=object) if isinstance(values.dtype, pd.StringDtype) else values
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)  # hashing plain objects is cheaper
    cleaned = _clean(pd.Series(uniques, dtype="string"))
    c2, cats = pd.factorize(cleaned, use_na_sentinel=True)
    final = np.append(c2, -1)[codes]  # code -1 takes the appended -1
    cat = pd.Categorical.from_codes(final, categories=pd.Index(cats, dtype="string"))
    return pd.Series(cat, index=values.index)


_NAT = np.iinfo(np.int64).min  # NaT as int64
_PRECISIONS = ["day", "datetime", "month", "year", "range"]  # codes 0 and 1 used by the fast path
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_TIME_SUFFIX = re.compile(r"^(?P<date>.*?\d)[ T,]+(?P<h>\d{1,2})[:.](?P<m>\d{2})(?::(?P<s>\d{2}))?$")


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (integer arrays;
    H. Hinnant's ``days_from_civil``, exact for any year)."""
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _fast_times(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised fast path for the commonest machine formats, whole column at once:
    ``DD.MM.YYYY HH:MM[:SS]``, ``YYYY-MM-DD[T ]HH:MM[:SS]``, ``DD.MM.YYYY``,
    ``YYYY-MM-DD`` (no offset).  The texts are joined into one UTF-8 buffer
    (NUL-separated) and viewed as a matrix of bytes, one row per position,
    checked position by position; anything else -- other formats, stray
    spaces, impossible dates, any non-ASCII byte -- is left to the general
    path.  Every byte of a candidate is checked, so byte and character
    positions agree wherever a text is accepted.

    Returns (mask of rows handled, wall-clock datetime64[s] values, has_time).
    """
    obj = text.to_numpy(dtype=object, na_value="")
    n = len(obj)
    handled = np.zeros(n, dtype=bool)
    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    has_time = np.zeros(n, dtype=bool)
    # in blocks of rows, so that the buffers and temporaries stay small and cache-resident
    for lo in range(0, n, _FAST_BLOCK):
        hi = min(lo + _FAST_BLOCK, n)
        raw, starts, lengths = _byte_rows(obj[lo:hi])
        _fast_times_block(raw, starts, lengths, handled[lo:hi], values[lo:hi], has_time[lo:hi])
    return handled, values, has_time


def _byte_rows(obj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Texts (object array, no NA) -> one byte buffer, start and length of each
    text in it: NUL-joined UTF-8, or, when a text holds a NUL character, one
    byte per character (code points above 127 clipped to 127: never a match).
    The buffer is padded so that reading 19 bytes from any start stays in."""
    n = len(obj)
    raw = np.frombuffer("\x00".join(obj).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    ends = np.flatnonzero(raw == 0)
    if len(ends) == n - 1:
        starts = np.empty(n, dtype=np.int64)
        starts[0] = 0
        starts[1:] = ends + 1
        lengths = np.append(ends, len(raw)) - starts
    else:
        lengths = np.fromiter(map(len, obj), dtype=np.int64, count=n)
        starts = np.cumsum(lengths) - lengths
        points = np.frombuffer("".join(obj).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        raw = np.minimum(points, 127).astype(np.uint8)
    return np.append(raw, np.zeros(19, dtype=np.uint8)), starts, lengths


_FAST_BLOCK = 1 << 16
_POSITIONS = np.arange(19)[:, None]


def _fast_times_block(raw: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                      handled: np.ndarray, values: np.ndarray, has_time: np.ndarray) -> None:
    """:func:`_fast_times` on one block of texts (byte offsets and lengths in
    ``raw``); fills the three output views in place."""
    cand = (lengths == 10) | (lengths == 16) | (lengths == 19)
    if not cand.any():
        return
    idx = np.flatnonzero(cand)
    cp = raw[starts[idx] + _POSITIONS]  # one row of bytes per character position
    length = lengths[idx]
    d = cp.astype(np.int16) - 48  # digit value per position; anything else is outside 0..9
    is_digit = (d >= 0) & (d <= 9)

    def num(*cols):
        out = np.zeros(len(idx), dtype=np.int64)
        for c in cols:
            out = out * 10 + d[c]
        return out

    def at(col, ch):
        return cp[col] == ord(ch)

    def digits(*cols):
        return np.logical_and.reduce(is_digit[list(cols)], axis=0)

    dotted = at(2, ".") & at(5, ".") & digits(0, 1, 3, 4, 6, 7, 8, 9)
    iso = at(4, "-") & at(7, "-") & digits(0, 1, 2, 3, 5, 6, 8, 9)
    timed = (length >= 16) & (at(10, " ") | (at(10, "T") & iso)) & at(13, ":") & digits(11, 12, 14, 15)
    with_s = (length == 19) & timed & at(16, ":") & digits(17, 18)
    ok = (dotted | iso) & ((length == 10) | (timed & (length == 16)) | with_s)
    year = np.where(dotted, num(6, 7, 8, 9), num(0, 1, 2, 3))
    month = np.where(dotted, num(3, 4), num(5, 6))
    day = np.where(dotted, num(0, 1), num(8, 9))
    hour = np.where(length >= 16, num(11, 12), 0)
    minute = np.where(length >= 16, num(14, 15), 0)
    sec = np.where(length == 19, num(17, 18), 0)
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (hour < 24) & (minute < 60) & (sec < 60)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    ok &= day <= last_day  # 31.02 -> general path, which reports it
    seconds = (_days_from_civil(year[ok], month[ok], day[ok]) * 86400
               + hour[ok] * 3600 + minute[ok] * 60 + sec[ok])
    handled[idx[ok]] = True
    values[idx[ok]] = seconds.astype("datetime64[s]")
    has_time[idx[ok]] = length[ok] >= 16


def _parse_local_times(texts: Mapping[str, pd.Series]) -> dict[str, pd.DataFrame]:
    """Date/time texts (several columns) -> per column: start (UTC-labelled
    wall time, or a UTC instant when an offset is given), precision, problem,
    naive (no offset).  The fast path for common machine formats
    (:func:`_fast_times`) runs on each whole column (cheaper than hashing many
    distinct date-times); the rest of all columns goes together, once per
    distinct text, through :func:`_parse_distinct_times`.  Results are
    assembled as integer arrays, never as per-row objects."""
    parts = {}
    for which, text in texts.items():
        handled, values, has_time = _fast_times(text)
        parts[which] = {
            "start": values.astype("M8[us]").view(np.int64),
            "prec": np.where(handled, has_time.astype(np.int8), np.int8(-1)),
            "naive": handled.copy(),
            "problem": np.full(len(text), -1, dtype=np.int64),  # codes into reasons
            "rest": np.flatnonzero(~handled),
        }
    reasons = pd.Index([], dtype="string")
    rest_texts = [texts[w].iloc[p["rest"]] for w, p in parts.items() if len(p["rest"])]
    if rest_texts:
        slow = _parse_distinct_times(pd.concat(rest_texts, ignore_index=True))
        start = slow["start"].dt.tz_localize(None).to_numpy(dtype="M8[us]").view(np.int64)
        prec = pd.Categorical(slow["precision"].astype(object), categories=_PRECISIONS).codes
        problem, reasons = pd.factorize(slow["problem"], use_na_sentinel=True)
        reasons = pd.Index(reasons, dtype="string")
        naive = slow["naive"].to_numpy(dtype=bool)
        at = 0
        for p in parts.values():
            rest, part = p["rest"], slice(at, at + len(p["rest"]))
            p["start"][rest], p["prec"][rest] = start[part], prec[part]
            p["problem"][rest], p["naive"][rest] = problem[part], naive[part]
            at += len(rest)
    out = {}
    for which, p in parts.items():
        index = texts[which].index
        out[which] = pd.DataFrame({
            "start": pd.Series(pd.DatetimeIndex(p["start"].view("M8[us]")).tz_localize("UTC"),
                               index=index),
            "precision": pd.Series(pd.Categorical.from_codes(
                p["prec"], categories=pd.Index(_PRECISIONS, dtype="string")), index=index),
            "problem": pd.Series(pd.Categorical.from_codes(p["problem"], categories=reasons),
                                 index=index),
            "naive": p["naive"],
        }, index=index, copy=False)
    return out


def _parse_distinct_times(text: pd.Series) -> pd.DataFrame:
    """General path, once per distinct text: start (UTC-labelled wall time, or
    the UTC instant when an offset is given), precision, problem, naive."""
    from osint_kit.analysis.dates import parse_dates

    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    # split "date time" once per distinct text in one tight loop over distinct
    # values; the date parts are few and are parsed once each by osint_kit.analysis.dates
    raw = np.asarray(uniques, dtype=object)
    clean, date_part, seconds, offset_given = [], [], [], []
    for x in raw:
        x = x.strip() if isinstance(x, str) else None
        x = x or None
        clean.append(x)
        mt = _TIME_SUFFIX.match(x) if x else None
        if mt:
            date_part.append(mt["date"])
            h, m, sec = int(mt["h"]), int(mt["m"]), int(mt["s"] or 0)
            # 25:00 is not 01:00 the next day, and 10:61 not 11:01: out of range
            # (second 60, a leap second, too: no airline system writes one)
            seconds.append(h * 3600 + m * 60 + sec if h < 24 and m < 60 and sec < 60 else -2)
            offset_given.append(False)
        else:
            date_part.append(x)
            seconds.append(-1)
            offset_given.append(bool(x) and _OFFSET.search(x) is not None)
    seconds = np.asarray(seconds)
    has_time = seconds >= 0
    dcodes, dparts = pd.factorize(pd.Series(date_part, dtype="string"), use_na_sentinel=True)
    dparsed = parse_dates(pd.Series(dparts, dtype="string"))
    parsed = dparsed.reset_index(drop=True).reindex(dcodes)
    parsed.index = range(len(raw))
    start = parsed["date_start"]
    offset = pd.to_timedelta(np.where(has_time, seconds, 0), unit="s")
    day_ok = has_time & parsed["date_precision"].eq("day").fillna(False).to_numpy(dtype=bool)
    start = start.where(~day_ok, start + offset)
    precision = parsed["date_precision"].astype("string").where(~day_ok, "datetime")
    bad_time = has_time & parsed["date_precision"].notna().to_numpy(dtype=bool) & ~day_ok
    problem = parsed["date_problem"].astype("string")
    if bad_time.any():
        problem[bad_time] = ["a time of day is given with a date that is not a single day: "
                             + str(c) for c in np.asarray(clean, dtype=object)[bad_time]]
    bad_clock = seconds == -2
    if bad_clock.any():
        start = start.where(~bad_clock)
        precision = precision.where(~bad_clock)
        problem[bad_clock] = [
            f"time of day out of range in {c!r} (hours 0-23, minutes and seconds 0-59; "
            "24:00 and leap seconds are not read): write e.g. 24.04.2024 10:35"
            for c in np.asarray(clean, dtype=object)[bad_clock]]  # distinct bad texts only
    problem = problem.str.replace("unrecognised date", "unrecognised date/time", regex=False)
    naive = day_ok | (precision.eq("datetime").fillna(False).to_numpy(dtype=bool)
                      & ~np.asarray(offset_given, dtype=bool))
    table = pd.DataFrame({"start": start, "precision": precision,
                          "problem": problem, "naive": naive})
    out = table.reindex(codes)
    out.index = text.index
    out["naive"] = out["naive"].fillna(False).astype(bool)
    return out



def _per_zone(values_us: np.ndarray, tz: pd.Series, convert) -> np.ndarray:
    """Apply ``convert(DatetimeIndex, zone) -> DatetimeIndex`` once per distinct
    zone, to all of that zone's instants at once (pandas converts whole arrays
    in C, faster than hashing the instants to convert each distinct one):
    int64 microseconds in, int64 microseconds out."""
    out = np.full(len(values_us), _NAT, dtype=np.int64)
    zcodes, zones = pd.factorize(tz, use_na_sentinel=True)
    known = values_us != _NAT
    for z, zone in enumerate(zones):
        rows = np.flatnonzero((zcodes == z) & known)
        if not len(rows):
            continue
        done = convert(pd.DatetimeIndex(values_us[rows].view("M8[us]")), str(zone))
        out[rows] = done.as_unit("us").asi8
    return out


def _localise(naive_utc_labelled: pd.Series, tz: pd.Series) -> pd.Series:
    """Wall-clock times (stored as if UTC) at zone ``tz`` -> true UTC instants
    (one conversion per distinct zone and instant; NaT for a non-existent or
    ambiguous wall time, which :func:`_dst_reasons` explains, and for an
    unknown zone)."""
    wall = naive_utc_labelled.dt.tz_localize(None).to_numpy(dtype="M8[us]").view(np.int64)
    out = _per_zone(wall, tz, lambda ix, zone: ix.tz_localize(
        zone, ambiguous="NaT", nonexistent="NaT").tz_convert("UTC").tz_localize(None))
    return pd.Series(pd.to_datetime(out.view("M8[us]"), utc=True), index=tz.index)


def _to_local(utc: pd.Series, tz: pd.Series) -> pd.Series:
    """UTC instants -> naive local wall time at ``tz`` (NaT when tz unknown)."""
    instants = utc.dt.tz_localize(None).to_numpy(dtype="M8[us]").view(np.int64)
    out = _per_zone(instants, tz, lambda ix, zone: ix.tz_localize("UTC").tz_convert(zone)
                    .tz_localize(None))
    return pd.Series(out.view("M8[us]"), index=tz.index)


def _airport_cities(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """City of the airportsdata IATA airport within 2 km of each point (or None)."""
    from osint_kit.analysis.places import Gazetteer

    table = Gazetteer.airport_table("IATA")
    alat = table["lat"].to_numpy()
    alon = table["lon"].to_numpy()
    cities = table["city"].to_numpy(dtype=object)
    out = np.full(len(lat), None, dtype=object)
    for i, (la, lo) in enumerate(zip(lat, lon)):  # distinct places only
        if np.isnan(la):
            continue
        d2 = (alat - la) ** 2 + ((alon - lo) * np.cos(np.radians(la))) ** 2
        j = int(np.argmin(d2))
        if d2[j] < (2.0 / 111.0) ** 2 and cities[j]:
            out[i] = cities[j]
    return out


def _expand(values, codes: np.ndarray, *, text: bool = False) -> pd.Series:
    """Per-distinct values -> one per row (codes, -1 = missing).  Text becomes a
    Categorical (converted to string at the end) or, with ``text=True``, a
    string column at once; numbers a float array."""
    values = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_float_dtype(values.dtype):
        return pd.Series(np.append(values.to_numpy(dtype="float64"), np.nan)[codes])
    if text:  # the appended <NA> is taken for code -1
        table = pd.array(np.append(values.to_numpy(dtype=object, na_value=None), None),
                         dtype="string")
        return pd.Series(table.take(codes))
    vc, vu = pd.factorize(values.astype("string"), use_na_sentinel=True)
    final = np.append(vc, -1)[codes]  # code -1 takes the appended -1
    return pd.Series(pd.Categorical.from_codes(final, categories=pd.Index(vu, dtype="string")))


def _resolve_endpoints(texts: Mapping[str, pd.Series], gazetteer, case
                       ) -> dict[str, tuple[np.ndarray, pd.Series, pd.DataFrame]]:
    """The distinct texts of every endpoint column, resolved in one
    :func:`~osint_kit.analysis.places.resolve_places` call (a look-up depends on the
    text alone).  Returns, per column: codes (one per row, -1 = empty), the
    distinct texts and their resolution (one row each)."""
    from osint_kit.analysis.places import resolve_places

    parts = {}
    for which, text in texts.items():
        codes, uniques = pd.factorize(text, use_na_sentinel=True)
        parts[which] = (codes, pd.Series(uniques, dtype="string"))
    everything = pd.concat([u for _, u in parts.values()], ignore_index=True)
    resolved = resolve_places(everything, gazetteer, case=case)
    out, start = {}, 0
    for which, (codes, u) in parts.items():
        res = resolved.iloc[start:start + len(u)].reset_index(drop=True)
        out[which] = (codes, u, res)
        start += len(u)
    return out


def _endpoint(index: pd.Index, prefix: str, codes: np.ndarray, u: pd.Series,
              res: pd.DataFrame) -> dict[str, pd.Series]:
    """One endpoint's columns (``{prefix}_code`` ... ``{prefix}_problem``),
    derived once per distinct text ``u`` (resolved as ``res``) and expanded to
    the rows by ``codes``."""
    upper = u.str.strip().str.upper()
    code = upper.where(upper.str.fullmatch(r"[A-Z]{3}|[A-Z]{4}").fillna(False)
                       & res["lat"].notna())
    # the city a trip is grouped by: a city-precision place is its own city;
    # an airport gives airportsdata's city (never the reverse)
    city = _airport_cities(res["lat"].to_numpy(dtype=float), res["lon"].to_numpy(dtype=float))
    names = res["matched_name"].to_numpy(dtype=object)
    city = np.where(res["precision"].eq("city").fillna(False).to_numpy(dtype=bool), names, city)
    city = np.where(pd.isna(city), names, city)
    cols = {f"{prefix}_code": code, f"{prefix}_name": res["matched_name"],
            f"{prefix}_place_id": res["place_id"],
            f"{prefix}_city": pd.Series(city, dtype="string")}
    for f in ("lat", "lon", "tz", "precision", "radius_km", "gazetteer", "problem"):
        cols[f"{prefix}_{f}"] = res[f]
    out = {}
    for k, v in cols.items():
        # time zones and problems are used as Categoricals later; the rest is output only
        out[k] = _expand(v, codes, text=not k.endswith(("_tz", "_problem")))
        out[k].index = index
    return out


def _pair_km(codes1: np.ndarray, res1: pd.DataFrame, codes2: np.ndarray,
             res2: pd.DataFrame) -> np.ndarray:
    """Geodesic km once per distinct (origin text, destination text) pair that
    occurs, from the endpoint codes (-1 = empty) and their resolutions."""
    from osint_kit.analysis.places import geodesic_km

    n2 = len(res2) + 1
    pair = (codes1.astype(np.int64) + 1) * n2 + (codes2 + 1)
    if (len(res1) + 1) * n2 <= max(4 * len(pair), 1 << 16):
        used = np.zeros((len(res1) + 1) * n2, dtype=bool)
        used[pair] = True
        distinct = np.flatnonzero(used)
        slot = np.zeros(len(used), dtype=np.int64)
        slot[distinct] = np.arange(len(distinct))
        inverse = slot[pair]
    else:  # many distinct places: hash the pairs instead
        inverse, distinct = pd.factorize(pair)
    lat1 = np.append(np.nan, res1["lat"].to_numpy(dtype=float))
    lon1 = np.append(np.nan, res1["lon"].to_numpy(dtype=float))
    lat2 = np.append(np.nan, res2["lat"].to_numpy(dtype=float))
    lon2 = np.append(np.nan, res2["lon"].to_numpy(dtype=float))
    i1, i2 = np.asarray(distinct) // n2, np.asarray(distinct) % n2
    km = np.asarray(geodesic_km(lat1[i1], lon1[i1], lat2[i2], lon2[i2]), dtype=float)
    return km[inverse]


def _join_problems(problems: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    """Row-wise PROBLEM_SEP-join of the non-NA reasons, in the mapping's order,
    as a Categorical (<NA> where a row has none).

    Values are Categorical (or string) Series on ``index``.  Rows are reduced
    to their combination of reason codes; each distinct combination is joined
    once and taken back to its rows."""
    n = len(index)
    codes, labels = [], []
    for values in problems.values():
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes.append(values.array.codes)  # small integers, no copy
            labels.append(values.cat.categories.to_numpy(dtype=object))
        else:
            c, u = pd.factorize(values, use_na_sentinel=True)
            codes.append(c)
            labels.append(np.asarray(u, dtype=object))
    out = np.full(n, -1, dtype=np.int64)
    reasons = pd.Index([], dtype="string")
    flagged = np.zeros(n, dtype=bool)
    for c in codes:
        flagged |= c >= 0
    rows = np.flatnonzero(flagged)
    if len(rows):
        matrix = np.column_stack([c[rows].astype(np.int64) for c in codes])  # flagged rows only
        radix = [len(lab) + 1 for lab in labels]
        if float(np.prod(radix, dtype=float)) < 2.0 ** 62:  # one integer per combination
            key = np.zeros(len(rows), dtype=np.int64)
            for j, r in enumerate(radix):
                key = key * r + (matrix[:, j] + 1)
            inverse, _ = pd.factorize(key)
            combos = matrix[np.unique(inverse, return_index=True)[1]]
        else:
            combos, inverse = np.unique(matrix, axis=0, return_inverse=True)
        texts = [PROBLEM_SEP.join(str(labels[j][k]) for j, k in enumerate(combo) if k >= 0)
                 for combo in combos]  # once per distinct combination
        text_codes, uniques = pd.factorize(pd.Series(texts, dtype="string"))
        out[rows] = text_codes[np.ravel(inverse)]
        reasons = pd.Index(uniques, dtype="string")
    return pd.Series(pd.Categorical.from_codes(out, categories=reasons), index=index)


def normalise_legs(frame: pd.DataFrame, *, source_file: str | None = None,
                   record_kind: str | None = None, source_id: str | None = None,
                   gazetteer=None, case=None, empty_place_problem: str | None = None,
                   empty_departure_problem: str | None = None,
                   reader_problems: Mapping[str, pd.Series] | None = None) -> pd.DataFrame:
    """Canonical legs from a frame with canonical column names.

    Input columns used (all optional except origin, destination and
    departure or departure_utc): record_id, record_kind, person_ref,
    surname, given_name, full_name, passport, flight, carrier, origin,
    destination, departure (+ departure_time), arrival (+ arrival_time),
    departure_utc / arrival_utc (already UTC), source_id.  Everything else is
    kept as extra columns.  The index is kept.  ``empty_place_problem``
    (with ``{which}`` = departure / arrival) and ``empty_departure_problem``,
    when given, are the reasons put on rows whose origin / destination or
    departure (date or UTC instant) is empty (the row is kept).
    ``reader_problems`` are reasons a reader found (``string`` or Categorical
    Series on the index, <NA> = none): those keyed ``departure`` / ``arrival``
    say why that UTC time is unknown (listed with the dates, instead of
    ``empty_departure_problem``); the others come first in ``problem``.

    An id or code holding a hidden character (a BOM, a zero-width space, a
    bidirectional override, NUL: :func:`osint_kit.text.hidden_characters`)
    in record_id, person_ref, flight, carrier, origin, destination or
    source_id is flagged and kept as written; place names may hold a
    zero-width (non-)joiner inside a Persian or Arabic word.
    """
    from osint_kit.analysis.documents import _classify_distinct
    from osint_kit.analysis.names import _person_keys_by_pair, split_full_names

    f = frame
    n = len(f)
    idx = f.index

    def col(name):
        # cleaned once per distinct value and kept as a Categorical, so the
        # later steps (names, passports, places) factorize integer codes only
        if name in f.columns:
            return _clean_categorical(f[name])
        return pd.Series(pd.NA, index=idx, dtype="string")

    out = pd.DataFrame(index=idx)
    given = dict(reader_problems or {})
    time_reasons = {w: given.pop(w) for w in ("departure", "arrival") if w in given}
    problems = {k: v for k, v in given.items()}
    out["record_id"] = (f["record_id"].astype("string").replace("", pd.NA)
                        if "record_id" in f.columns else pd.Series(pd.NA, index=idx, dtype="string"))
    if "record_id" not in problems:  # (a reader that made the ids has checked their parts)
        problems["record_id"] = _hidden(out["record_id"], "record_id")
    no_id = out["record_id"].isna()
    if no_id.any():
        rows = pd.Series(idx[no_id.to_numpy()], dtype="string")
        out.loc[no_id, "record_id"] = (f"{source_file or 'row'}:" + rows).to_numpy()
    kind = (_on_distinct(col("record_kind"), lambda u: u.str.casefold())
            if "record_kind" in f.columns else pd.Series(pd.NA, index=idx, dtype="string"))
    out["record_kind"] = kind.fillna(record_kind) if record_kind else kind

    # people
    sur, giv = col("surname"), col("given_name")
    if "full_name" in f.columns:
        split = split_full_names(col("full_name"))
        sur = sur.fillna(split["surname"])
        giv = giv.fillna(split["given_name"])
    # person keys once per distinct (surname, given name) pair, expanded here
    pair, per_pair = _person_keys_by_pair(sur, giv)
    person_key = pd.Series(per_pair["person_key"].array.take(pair), index=idx)
    out["person_ref"] = (col("person_ref").fillna(person_key) if "person_ref" in f.columns
                         else person_key)
    out["person_key"] = person_key
    out["name_ascii"] = pd.Series(per_pair["name_ascii"].array.take(pair), index=idx)
    reason, reasons = pd.factorize(per_pair["name_problem"], use_na_sentinel=True)
    problems["name"] = pd.Series(pd.Categorical.from_codes(
        np.append(reason, -1)[pair], categories=pd.Index(reasons, dtype="string")), index=idx)
    if {"surname", "given_name", "full_name"} & set(f.columns):
        no_name = (sur.isna() & giv.isna()).to_numpy(dtype=bool)
        problems["name"] = _with_reason(problems["name"], no_name, "passenger name is empty")
    if "passport" in f.columns:
        # classified once per distinct (cleaned) number: the categories
        numbers = col("passport")
        docs = _classify_distinct(numbers.cat.categories)
        at = numbers.cat.codes.to_numpy()
        for c in ("passport_kind", "passport_official", "passport_masked", "passport_hash"):
            out[c] = pd.Series(docs[c].array.take(at, allow_fill=True), index=idx)
        reason, reasons = pd.factorize(docs["passport_problem"], use_na_sentinel=True)
        problems["passport"] = pd.Series(pd.Categorical.from_codes(
            np.append(reason, -1)[at], categories=pd.Index(reasons, dtype="string")), index=idx)
    else:
        for c, dt in (("passport_kind", "string"), ("passport_official", "boolean"),
                      ("passport_masked", "string"), ("passport_hash", "string")):
            out[c] = pd.Series(pd.NA, index=idx, dtype=dt)
    out["flight"] = _on_distinct(col("flight"),
                                 lambda u: u.str.upper().str.replace(r"\s+", "", regex=True))
    out["carrier"] = col("carrier")
    for name in ("person_ref", "flight", "carrier", "source_id"):
        if name in f.columns:
            problems[name] = _hidden(col(name), name)

    # places
    texts = {which: col(which) for which in ("origin", "destination")}
    ends = _resolve_endpoints(texts, gazetteer, case)
    for which, prefix in (("origin", "origin"), ("destination", "destination")):
        text = texts[which]
        out[prefix] = text
        ep = _endpoint(idx, prefix, *ends[which])
        # a look-alike code first, whatever the look-up found for it
        problems[f"{prefix}_hidden"] = _hidden(text, which, words=True)
        problems[prefix] = ep.pop(f"{prefix}_problem")  # a Categorical
        if empty_place_problem:
            word = "departure" if which == "origin" else "arrival"
            problems[prefix] = _with_reason(problems[prefix], text.isna().to_numpy(dtype=bool),
                                            empty_place_problem.format(which=word))
        for c, values in ep.items():
            out[c] = values

    # times
    precision = pd.Series(pd.Categorical.from_codes(
        np.full(len(idx), -1), categories=pd.Index(_PRECISIONS, dtype="string")), index=idx)
    texts = {}
    for which in ("departure", "arrival"):
        if f"{which}_utc" not in f.columns:
            text = (f[which].astype("string") if which in f.columns
                    else pd.Series(pd.NA, index=idx, dtype="string"))
            if f"{which}_time" in f.columns:
                t = col(f"{which}_time")
                text = text.where(t.isna(), text.str.strip() + " " + t.astype("string"))
            texts[which] = text
    parsed_all = _parse_local_times(texts)  # the general path once for both columns
    for which, place in (("departure", "origin"), ("arrival", "destination")):
        if f"{which}_utc" in f.columns:
            utc = pd.to_datetime(f[f"{which}_utc"], utc=True).astype("datetime64[us, UTC]")
            prec = pd.Series(pd.Categorical.from_codes(
                np.where(utc.notna(), 1, -1), categories=pd.Index(_PRECISIONS, dtype="string")),
                index=idx)
            why = time_reasons.get(which)
            explained = (why.notna().to_numpy(dtype=bool) if why is not None
                         else np.zeros(len(idx), dtype=bool))
            if which == "departure" and empty_departure_problem:
                problems[f"{which}_date"] = pd.Series(pd.Categorical.from_codes(
                    np.where(utc.isna() & ~explained, 0, -1),
                    categories=pd.Index([empty_departure_problem], dtype="string")), index=idx)
            if why is not None:
                problems[f"{which}_given"] = why
        else:
            parsed = parsed_all[which]
            tz = out[f"{place}_tz"]
            as_given = ~parsed["naive"] | parsed["precision"].ne("datetime")
            # only naive date-times are localised; the rest keep their start
            local_utc = _localise(parsed["start"].where(~as_given), tz)
            utc = parsed["start"].where(as_given, local_utc)
            prec = parsed["precision"]
            no_tz = (parsed["naive"] & prec.eq("datetime").fillna(False) & tz.isna()
                     & out[f"{place}_lat"].notna())  # an unknown place is reported already
            problems[f"{which}_date"] = _with_reason(
                parsed["problem"], no_tz.to_numpy(dtype=bool),
                f"time zone of the {place} unknown: the {which} time cannot be put in UTC")
            # a wall time in a daylight-saving gap or overlap has no (single) instant
            dst = np.flatnonzero((~as_given & parsed["start"].notna() & tz.notna()
                                  & local_utc.isna()).to_numpy(dtype=bool))
            if len(dst):
                # once per distinct (wall time, zone), found on integer codes
                wc, walls = pd.factorize(parsed["start"].iloc[dst].dt.tz_localize(None)
                                         .to_numpy("M8[us]").view(np.int64))
                zc, zones = pd.factorize(tz.iloc[dst].to_numpy(dtype=object))
                inverse, pair = pd.factorize(wc.astype(np.int64) * len(zones) + zc)
                problems[f"{which}_date"] = _with_reasons(
                    problems[f"{which}_date"], dst,
                    _dst_reasons(walls[pair // len(zones)], zones[pair % len(zones)], which),
                    inverse)
            if which == "departure" and empty_departure_problem:
                # no date and no reason: the text was empty (or blank)
                empty = (parsed["start"].isna() & parsed["problem"].isna()).to_numpy(dtype=bool)
                problems[f"{which}_date"] = _with_reason(
                    problems[f"{which}_date"], empty, empty_departure_problem)
        out[f"{which}_utc"] = utc.astype("datetime64[us, UTC]")
        if f"{which}_utc" not in f.columns:
            # a date, or a wall-clock time as written: local as given, even when the
            # place (and so its time zone) is unknown; only the others are converted
            as_written = parsed["naive"] | prec.isin(["day", "month", "year", "range"]).fillna(False)
            local = _to_local(out[f"{which}_utc"].where(~as_written), out[f"{place}_tz"])
            local = local.where(~as_written, parsed["start"].dt.tz_localize(None))
        else:
            local = _to_local(out[f"{which}_utc"], out[f"{place}_tz"])
        out[f"{which}_local"] = local
        if which == "departure":
            precision = prec
    out["date_precision"] = precision

    # distances and speeds
    km = _pair_km(ends["origin"][0], ends["origin"][2], ends["destination"][0],
                  ends["destination"][2])
    out["distance_km"] = km
    both = out["date_precision"].eq("datetime").fillna(False) & out["arrival_utc"].notna()
    # hours between the instants, as Timedelta.total_seconds() / 3600 computes them
    arr_us = out["arrival_utc"].to_numpy(dtype="M8[us]").view(np.int64)
    dep_us = out["departure_utc"].to_numpy(dtype="M8[us]").view(np.int64)
    gap = np.where((arr_us == _NAT) | (dep_us == _NAT), np.nan, (arr_us - dep_us) / 1e6)
    dur = pd.Series(gap / 3600.0, index=idx)
    out["duration_h"] = dur.where(both).astype("float64")
    out["plausible_duration_h"] = km / CRUISE_KMH + OVERHEAD_H
    speed = km / out["duration_h"]
    out["speed_kmh"] = speed.where(out["duration_h"] > 0).astype("float64")
    problems["order"] = pd.Series(pd.Categorical.from_codes(
        np.where(out["duration_h"] <= 0, 0, -1),
        categories=pd.Index(["arrival is not after departure"], dtype="string")), index=idx)
    too_fast = (out["speed_kmh"] > MAX_SPEED_KMH).to_numpy()
    # the message is built for the flagged rows only, once per distinct speed
    kmh = out["speed_kmh"][too_fast].round(0).astype("Int64").astype("string")
    speed_codes = np.full(len(idx), -1, dtype=np.int64)
    speed_codes[too_fast], speeds = pd.factorize(kmh)
    problems["speed"] = pd.Series(pd.Categorical.from_codes(
        speed_codes, categories=pd.Index(
            "impossible speed: " + pd.Series(speeds, dtype="string")
            + f" km/h over the leg (> {MAX_SPEED_KMH:.0f} km/h)", dtype="string")), index=idx)

    out["source_id"] = col("source_id").fillna(source_id) if source_id else col("source_id")
    out["source_file"] = pd.Series(source_file, index=idx, dtype="string")
    out["problem"] = _join_problems(problems, idx)
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = _categorical_to_string(out[c])
    extras = [c for c in f.columns if c not in out.columns and c not in _CONSUMED
              and not c.endswith("_utc")]
    for c in extras:
        out[c] = f[c]
    out.index.name = frame.index.name or "row"
    assert len(out) == n  # rows in = rows out
    return out[LEG_COLUMNS + extras]


# --------------------------------------------------------------------------- views

def problems_table(legs_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (leg, reason): columns record_id, source_file, row, problem."""
    p = legs_frame["problem"].dropna().str.split(PROBLEM_SEP, regex=False).explode()
    out = pd.DataFrame({
        "record_id": legs_frame.loc[p.index, "record_id"].to_numpy(),
        "source_file": legs_frame.loc[p.index, "source_file"].to_numpy(),
        "row": p.index.to_numpy(),
        "problem": p.to_numpy(),
    })
    return out.astype({"problem": "string"})


_KIND_ORDER = ["booking", "manifest", "flight_list"]  # display order
_KIND_STRENGTH = ["manifest", "flight_list", "booking"]  # what the best record shows
_KIND_MEANS = {"manifest": "boarding (manifest)", "flight_list": "flight observed (tracking)",
               "booking": "intent (booking)"}


def evidence_by_trip(legs_frame: pd.DataFrame) -> pd.DataFrame:
    """Which kinds of record exist for each trip.

    A trip is (departure day local, origin city, destination city).  Returns
    one row per trip: trip_date, origin_city, destination_city, one count
    column per record kind (booking, manifest, flight_list, ...), records
    (record_ids), persons (distinct person_ref), sources (source_ids),
    evidence ("booking + manifest") and strongest (what the best record
    shows: boarding > flight observed > intent).  Legs without a date or a
    city form their own "unknown" groups (kept, not dropped).
    """
    df = legs_frame
    key = pd.DataFrame({
        "trip_date": df["departure_local"].dt.normalize().dt.date.astype("string").fillna("unknown"),
        "origin_city": df["origin_city"].fillna(df["origin"]).fillna("unknown"),
        "destination_city": df["destination_city"].fillna(df["destination"]).fillna("unknown"),
    })
    g = pd.concat([key, df[["record_kind", "record_id", "person_ref", "source_id"]]], axis=1)
    counts = pd.crosstab([g["trip_date"], g["origin_city"], g["destination_city"]],
                         g["record_kind"].fillna("unknown"))
    kinds = [k for k in _KIND_ORDER if k in counts.columns] + \
        sorted(c for c in counts.columns if c not in _KIND_ORDER)
    counts = counts[kinds]
    grouped = g.groupby(["trip_date", "origin_city", "destination_city"], sort=True)

    def join(s):
        return ", ".join(sorted(set(s.dropna().astype(str))))

    out = counts.copy()
    out["records"] = grouped["record_id"].agg(join)
    out["persons"] = grouped["person_ref"].agg(join)
    out["sources"] = grouped["source_id"].agg(join)
    present = counts.gt(0)
    out["evidence"] = present.apply(lambda r: " + ".join(k for k in kinds if r[k]), axis=1)
    out["strongest"] = present.apply(
        lambda r: next((_KIND_MEANS[k] for k in _KIND_STRENGTH if k in r and r[k]),
                       next((k for k in kinds if r[k]), "none")), axis=1)
    out.columns.name = None
    return out.reset_index()
