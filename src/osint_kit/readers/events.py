"""Event tables from any source, normalised into one canonical events frame.

Readers: the kit's own ``events.csv`` (through a :class:`~osint_kit.readers.bundle.Case`),
ACLED exports (CSV, Excel, or the API's JSON answer), TimelineJS timelines
(the sheet as CSV or Excel, or TimelineJS JSON), GDELT 2.0 event files, and
events derived from a case's dated claims and travel records.  The format is
told from the content -- a zip is a workbook, ``{``/``[`` is JSON, 61
tab-separated fields a GDELT record, else the header (:func:`detect_format`)
-- never from the file name; a file that fits none gets one message naming
every format tried and what each needs (:data:`FORMATS_TRIED`).

Headers are matched ignoring case, spaces and punctuation (`` Event_Date ``
is ``event_date``; :func:`osint_kit.io.tabular.match_headers`), and the
result's ``matched`` says which header was taken for which column.  Codes
are read as the whole numbers they write: ``1``, ``1.0`` (an R or pandas
round trip of a column with a blank), ``"01"`` and the number 1 are code 1
(:func:`osint_kit.io.tabular.whole_number_text`), in ACLED's precision
codes, TimelineJS's Year/Month/Day and GDELT's SQLDATE, ActionGeo_Type and
EventRootCode.

The canonical events frame (the schema every reader returns)
------------------------------------------------------------

================  ======================  =====================================================
column            dtype                   meaning
================  ======================  =====================================================
event_id          string                  id in its source (ACLED ``event_id_cnty``, the
                                          claim/record id, ``TL-<row>`` for TimelineJS,
                                          GDELT ``GLOBALEVENTID``)
date_start        datetime64[us, UTC]     first instant the event may have happened
date_end          datetime64[us, UTC]     INCLUSIVE last day (midnight UTC) it may have
                                          happened; the instant for ``datetime``
date_precision    string                  ``datetime|day|month|year|range``
title             string                  one-line description (label on the timeline)
category          string                  lane on the timeline (``military``, ACLED
                                          ``event_type``, TimelineJS ``Group`` ...)
lat, lon          float64 (degrees)       WGS84; NaN when unknown -- never (0, 0)
place_precision   string                  ``exact|approximate|city|region|inferred`` or <NA>
radius_km         float64 (km)            uncertainty radius around lat/lon; NaN if unknown
source_ids        string                  ``;``-separated source ids (case) or source names (ACLED)
evidence          string                  kind of evidence: ``reported`` (an event row),
                                          ``claim``, or the travel ``record_kind``
                                          (``booking``, ``manifest``, ``flight_list``...)
origin_format     string                  ``kit|acled|timelinejs|gdelt|claims|travel``
source_row        int64                   row of the input as a spreadsheet shows it
                                          (header = 1, first data row = 2; a GDELT
                                          file has no header: line 1 is row 1; a
                                          JSON file: the row of the equivalent sheet,
                                          see ``json_path``)
...                                       every other input column, kept as it was
================  ======================  =====================================================

Every reader returns an :class:`EventsResult` (``events, problems = result``
also works). ``problems`` is the kit's problems table (:mod:`osint_kit.problems`,
columns :data:`~osint_kit.problems.PROBLEM_COLUMNS`: ``file, row, column, value,
problem, fix, severity, action``). A row whose date cannot be
read is ``rejected`` (it cannot be placed on a timeline); a row with a bad
coordinate or an unknown precision code is ``kept`` with NaN and a reason.
Invariant, checked by :meth:`EventsResult.check`::

    rows_in == len(events) + rows_rejected + non_event_rows

(``non_event_rows``: the TimelineJS ``title`` row, which titles the timeline.)

ACLED precision codes
---------------------
``time_precision`` (codebook: 1 the day is known; 2 only a period of about a
week around ``event_date``; 3 only the month):

* 1 -> the day: ``[event_date, event_date]``, precision ``day``;
* 2 -> ``[event_date - 3 days, event_date + 3 days]`` (a seven-day week centred
  on the date ACLED gives), precision ``range``;
* 3 -> the whole month of ``event_date``, precision ``month``;
* any other code -> kept as the whole month (the widest ACLED window), with a problem.

ACLED's ``event_date`` is a day; time_precision says how sure that day is.  An
``event_date`` that is only a month, a year or a range ("April 2024") has no
day for the code to be about: it is drawn as written (the whole month, year or
range), never narrower, with a problem (``kept``) unless it is a month with
code 3.  A time in ``event_date`` is dropped (the day is kept).  An
``event_id_cnty`` (or the kit's ``event_id``) holding a hidden character (a
BOM, a zero-width space, a bidirectional override, NUL) is reported
(``kept``): it looks like another id but does not match it.

``geo_precision`` (1 the town; 2 near a town or a small part of a region; 3 only
the larger region) -> ``radius_km`` and ``place_precision``. The radii are the
kit's choice, not the codebook's:

* 1 -> 5 km, ``city``: the coordinates are the town's; a town's built-up area
  is a few km across;
* 2 -> 25 km, ``approximate``: ACLED uses the nearest town or a district for
  "near"; districts and town hinterlands are tens of km across;
* 3 -> 100 km, ``region``: coordinates are a provincial (admin1) centre; a
  typical province is a few hundred km across;
* any other code -> NaN radius and a problem (the row is kept).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from osint_kit.analysis.dates import parse_dates
from osint_kit.analysis.places import resolve_places
from osint_kit.errors import InputFileError
from osint_kit.io.tabular import (
    RaggedRowError,
    detect_encoding,
    joined_exports,
    match_headers,
    read_export,
    read_export_workbook,
    read_json_export,
    sniff_kind,
    strip_row_bom,
    whole_number_text,
)
from osint_kit.problems import concat_problems, problem_rows, rejected_rows
from osint_kit.text import hidden_character_problems, match_key

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from osint_kit.readers.bundle import Case

__all__ = [
    "EVENT_COLUMNS",
    "ACLED_COLUMNS",
    "TIMELINEJS_COLUMNS",
    "GDELT_COLUMNS",
    "ACLED_SYNONYMS",
    "ACLED_TIME_WINDOW_DAYS",
    "ACLED_GEO_RADIUS_KM",
    "ACLED_GEO_PRECISION",
    "GDELT_GEO_RADIUS_KM",
    "GDELT_GEO_PRECISION",
    "CAMEO_ROOT_CODES",
    "EventsResult",
    "FORMATS_TRIED",
    "detect_format",
    "read_events",
    "events_from_kit",
    "events_from_case",
    "events_from_acled",
    "events_from_timelinejs",
    "events_from_gdelt",
    "events_from_claims",
    "events_from_travel",
    "combine_events",
]

EVENT_COLUMNS = [
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "title",
    "category",
    "lat",
    "lon",
    "place_precision",
    "radius_km",
    "source_ids",
    "evidence",
    "origin_format",
    "source_row",
]

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "interaction",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
_ACLED_REQUIRED = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "latitude",
    "longitude",
    "geo_precision",
]
TIMELINEJS_COLUMNS = [
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
]
_KIT_REQUIRED = ["event_id", "date", "title", "category", "place_id"]
_KIT_COLUMNS = [*_KIT_REQUIRED, "source_ids", "source_id", "source_url"]

#: ACLED columns -> the older names ACLED exports used for them (headers are
#: matched ignoring case, spaces and punctuation as well: `` Event_Date ``).
ACLED_SYNONYMS: dict[str, list[str]] = {
    "assoc_actor_1": ["ally_actor_1"],
    "assoc_actor_2": ["ally_actor_2"],
}

#: The 61 fields of a GDELT 2.0 event record (GDELT 2.0 Event Codebook), in
#: file order: the export files (``*.export.CSV``) are tab-separated with no
#: header.  ``SQLDATE`` is the day of the event (YYYYMMDD), ``ActionGeo_*``
#: where it happened, ``SOURCEURL`` the first article that reported it.
GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{i}{f}" for i in (1, 2) for f in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
    )),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{f}" for who in ("Actor1", "Actor2", "Action") for f in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID",
    )),
    "DATEADDED", "SOURCEURL",
]  # fmt: skip
_GDELT_REQUIRED = ["GLOBALEVENTID", "SQLDATE", "ActionGeo_Type", "ActionGeo_Lat", "ActionGeo_Long"]
#: GDELT ActionGeo_Type -> uncertainty radius (km), the kit's choice as for ACLED:
#: 1 a country (its centroid: hundreds of km off anywhere in it) 500 km;
#: 2 a US state 200 km; 3 a US city and 4 a world city 5 km (the town, as
#: ACLED 1); 5 a world state, i.e. a province (ADM1 centroid) 100 km (as ACLED 3).
GDELT_GEO_RADIUS_KM = {"1": 500.0, "2": 200.0, "3": 5.0, "4": 5.0, "5": 100.0}
#: GDELT ActionGeo_Type -> the kit's place precision vocabulary.
GDELT_GEO_PRECISION = {"1": "region", "2": "region", "3": "city", "4": "city", "5": "region"}
#: CAMEO root codes (GDELT ``EventRootCode``, 01..20) -> what the event is
#: (the CAMEO codebook's names): the event's category (timeline lane).
CAMEO_ROOT_CODES = {
    "1": "Make public statement",
    "2": "Appeal",
    "3": "Express intent to cooperate",
    "4": "Consult",
    "5": "Engage in diplomatic cooperation",
    "6": "Engage in material cooperation",
    "7": "Provide aid",
    "8": "Yield",
    "9": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}

#: ACLED time_precision code -> half-width of the window around event_date, in days
#: (1: the day; 2: about a week, i.e. +-3 days). Code 3 is the month (handled apart).
ACLED_TIME_WINDOW_DAYS = {"1": 0, "2": 3}
#: ACLED geo_precision code -> uncertainty radius (km); see the module docstring.
ACLED_GEO_RADIUS_KM = {"1": 5.0, "2": 25.0, "3": 100.0}
#: ACLED geo_precision code -> the kit's place precision vocabulary.
ACLED_GEO_PRECISION = {"1": "city", "2": "approximate", "3": "region"}

_DATE_FIX = "write the date as ISO 8601 (2024-04-24, 2024-04, 2024 or 2024-04-13/2024-04-14)"


# --------------------------------------------------------------------------- result


@dataclass
class EventsResult:
    """Events in the canonical frame, the problems met, and the row accounting.

    Attributes
    ----------
    events : DataFrame
        Canonical events frame (see the module docstring).
    problems : DataFrame
        The kit's problems table (:data:`osint_kit.problems.PROBLEM_COLUMNS`).
    rows_in : int
        Data rows read from the input(s).
    non_event_rows : int
        Rows that are not events by definition (the TimelineJS title row).
    title : str or None
        The timeline's title (TimelineJS ``title`` row headline).
    matched : dict
        Canonical column -> the header in the input that was taken for it,
        for every header written otherwise (`` Event_Date `` for
        ``event_date``, ``ally_actor_1`` for ``assoc_actor_1``): what the
        reader assumed, to check.  Empty when every header is canonical.
    """

    events: pd.DataFrame
    problems: pd.DataFrame
    rows_in: int
    non_event_rows: int = 0
    title: str | None = None
    matched: dict[str, str] = field(default_factory=dict)

    def __iter__(self):  # events, problems = read_events(...)
        return iter((self.events, self.problems))

    @property
    def rows_rejected(self) -> int:
        """Distinct input rows that are in problems with action ``rejected``."""
        return rejected_rows(self.problems)

    def check(self) -> EventsResult:
        """Raise if rows in != events out + rows rejected + non-event rows."""
        out = len(self.events) + self.rows_rejected + self.non_event_rows
        if out != self.rows_in:
            raise InputFileError(
                f"row accounting broken: {self.rows_in} rows in, {len(self.events)} events + "
                f"{self.rows_rejected} rejected + {self.non_event_rows} non-event rows = {out}; "
                "this is a bug in osint_kit.readers.events: please report it with the input file"
            )
        return self

    def counts(self) -> dict:
        """Counts for an integrity check: rows_in, events, rejected, kept_with_problem, non_event_rows."""
        kept = self.problems[self.problems["action"] == "kept"]
        return {
            "rows_in": self.rows_in,
            "events": len(self.events),
            "rejected": self.rows_rejected,
            "kept_with_problem": len(kept[["file", "row"]].drop_duplicates()),
            "non_event_rows": self.non_event_rows,
        }


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text with blanks as <NA> (all-NA when absent)."""
    if column not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    # strip each distinct value once, then map back (columns repeat a lot: codes, places, dates)
    codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
    clean = pd.Series(uniques, dtype=object).astype("string").str.strip()
    clean = clean.mask(clean == "")
    values = pd.array(np.append(clean.to_numpy(dtype=object), pd.NA)[codes], dtype="string")
    return pd.Series(values, index=frame.index)


def _code(text: pd.Series, mapping: dict[str, int]) -> np.ndarray:
    """Integer code per row through ``mapping`` looked up once per distinct value (0 = not in it).

    A code is read as the whole number it writes (:func:`whole_number_text`):
    ``1``, ``1.0`` (a pandas or R round trip of a column with a blank),
    ``"01"`` and the number 1 are all code ``"1"``."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    keys = whole_number_text(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    looked_up = np.array(
        [0 if k is pd.NA else mapping.get(str(k), 0) for k in keys] + [0], dtype=np.int64
    )  # few distinct
    return looked_up[codes]


def _match_headers(
    frame: pd.DataFrame, names, synonyms: dict[str, list[str]] | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """``frame`` with each header that means one of ``names`` renamed to it
    (:func:`osint_kit.io.tabular.match_headers`), and the renames
    (canonical -> header as written)."""
    rename = match_headers(frame.columns, names, synonyms)
    if not rename:
        return frame, {}
    return frame.rename(columns=rename), {v: k for k, v in rename.items()}


def _assemble(
    frame: pd.DataFrame, canon: dict, keep: pd.Series | np.ndarray | None = None
) -> pd.DataFrame:
    """Canonical columns first, then every input column not already among them."""
    out = pd.DataFrame(index=frame.index)
    for name in EVENT_COLUMNS:
        value = canon.get(name, pd.NA)
        out[name] = value
    for name, dtype in (
        ("event_id", "string"),
        ("date_precision", "string"),
        ("title", "string"),
        ("category", "string"),
        ("place_precision", "string"),
        ("source_ids", "string"),
        ("evidence", "string"),
        ("origin_format", "string"),
        ("lat", "float64"),
        ("lon", "float64"),
        ("radius_km", "float64"),
        ("source_row", "int64"),
    ):
        out[name] = out[name].astype(dtype)
    for name in ("date_start", "date_end"):
        out[name] = out[name].astype(pd.DatetimeTZDtype(unit="us", tz="UTC"))
    extras = [c for c in frame.columns if c not in out.columns]
    out = pd.concat([out, frame[extras]], axis=1)
    if keep is not None:
        out = out[np.asarray(keep, dtype=bool)]
    return out.reset_index(drop=True)


def _source_rows(frame: pd.DataFrame) -> np.ndarray:
    """Spreadsheet row numbers: the index when it is the case's ``row`` index, else 2..n+1."""
    if frame.index.name == "row" and pd.api.types.is_integer_dtype(frame.index.dtype):
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(2, len(frame) + 2, dtype=np.int64)


def _hidden_ids(
    file: str, rows: np.ndarray, ids: pd.Series, column: str, keep: np.ndarray
) -> pd.DataFrame:
    """Problems (kept, warning) for the event ids that hold a hidden character
    (:func:`osint_kit.text.hidden_character_problems`): the event stays, with
    its id as written, like a row with a bad coordinate."""

    why = hidden_character_problems(ids, column)
    m = why.notna().to_numpy(dtype=bool) & np.asarray(keep, dtype=bool)
    return problem_rows(
        file,
        rows[m],
        column,
        ids.to_numpy(dtype=object)[m],
        why.to_numpy(dtype=object)[m],
        "remove the hidden character, or ask the source which id is meant",
        severity="warning",
        action="kept",
    )


def _date_rejections(
    file: str, rows, column: str, values, parsed: pd.DataFrame, *, empty_reason: str, empty_fix: str
) -> tuple[np.ndarray, list[pd.DataFrame]]:
    """Rows to keep (dated) and problems for rows whose date is bad or empty."""
    bad = parsed["date_problem"].notna().to_numpy()
    empty = (parsed["date_start"].isna().to_numpy()) & ~bad
    vals = np.asarray(values, dtype=object)
    probs = [
        problem_rows(
            file,
            rows[bad],
            column,
            vals[bad],
            parsed["date_problem"].to_numpy(dtype=object)[bad],
            _DATE_FIX,
        ),
        problem_rows(
            file, rows[empty], column, vals[empty], empty_reason, empty_fix, severity="warning"
        ),
    ]
    return ~(bad | empty), probs


# --------------------------------------------------------------------------- detection + files


_NEED = {
    "acled": ["event_id_cnty", "event_date", "time_precision", "geo_precision"],
    "timelinejs": ["Year", "Month", "Day", "Headline"],
    "gdelt": ["GLOBALEVENTID", "SQLDATE"],
    "kit": ["event_id", "date", "title"],
}

#: What each events format looks like, for the message on a file that is none of them.
FORMATS_TRIED = (
    "an ACLED export (CSV or Excel) has the columns event_id_cnty, event_date, "
    "time_precision, geo_precision; ACLED's API JSON is "
    '{"status": 200, "success": true, "data": [{"event_id_cnty": ..., "event_date": ...}]}; '
    "a TimelineJS sheet (CSV or Excel) has Year, Month, Day, Headline; TimelineJS JSON is "
    '{"title": {...}, "events": [{"start_date": {"year": ...}, "text": {"headline": ...}}]}; '
    "a GDELT 2.0 event file is tab-separated with no header, 61 fields a line "
    "(GLOBALEVENTID, SQLDATE as YYYYMMDD, ... SOURCEURL), or has a header with "
    "GLOBALEVENTID and SQLDATE; the kit's events.csv has event_id, date, title"
)


def _unknown_format(found: str, file: str | None = None) -> InputFileError:
    where = f"{file}: " if file else ""
    return InputFileError(
        f"{where}cannot tell the events format ({found}). Formats tried: {FORMATS_TRIED}. "
        "Rename the columns, or pass format='kit'|'acled'|'timelinejs'|'gdelt'"
    )


def _format_of(columns) -> str | None:
    have = {match_key(str(c)) for c in columns}
    for fmt, cols in _NEED.items():
        if {match_key(c) for c in cols} <= have:
            return fmt
    return None


def detect_format(columns) -> str:
    """``acled``, ``timelinejs``, ``gdelt`` or ``kit`` from a header (names
    compared ignoring case, spaces and punctuation: :func:`osint_kit.text.match_key`).

    Raises
    ------
    InputFileError
        When the header matches none of them: one message naming every
        format tried and what each needs (:data:`FORMATS_TRIED`).
    """
    fmt = _format_of(columns)
    if fmt is None:
        raise _unknown_format(f"the header is {list(columns)}")
    return fmt


def _peek_header(path: Path, encoding: str | None) -> list[str] | None:
    """The first record of a text file, as the csv module reads it (None if unreadable)."""
    try:
        with open(path, "rb") as fh:
            sample = fh.read(64 * 1024)
        text = sample.decode(encoding or detect_encoding(sample), errors="replace")
        return next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    except (OSError, LookupError, csv.Error):
        return None


def _looks_like_gdelt(path: Path, encoding: str | None) -> bool:
    """A GDELT 2.0 event file: its first line is 61 tab-separated fields, the
    first a number (GLOBALEVENTID) and the second 8 digits (SQLDATE)."""
    try:
        with open(path, "rb") as fh:
            line = fh.readline(64 * 1024)
        fields = line.decode(encoding or "utf-8", errors="replace").lstrip("\ufeff").split("\t")
    except (OSError, LookupError):
        return False
    return (
        len(fields) == len(GDELT_COLUMNS)
        and fields[0].strip().isdigit()
        and len(fields[1].strip()) == 8
        and fields[1].strip().isdigit()
    )


def _read_file(
    path: Path, encoding: str | None = None, format: str | None = None
) -> tuple[pd.DataFrame, str | None, dict[int, str] | None]:
    """An events file as text columns indexed by spreadsheet row, the format
    its content shows (None: tell it from the header) and, for JSON, the
    path of each row in the file (``events[3]``).

    The content decides, not the name: a zip is a workbook
    (:func:`osint_kit.io.tabular.read_export_workbook`), ``{`` or ``[`` is
    JSON (TimelineJS or ACLED's API), 61 tab-separated fields with a numeric
    id and a YYYYMMDD date a GDELT 2.0 event file (no header: row 1 is the
    first event), anything else a text export
    (:func:`osint_kit.io.tabular.read_export`: encoding detected unless
    given).  A text file whose header fits no format and that cannot be
    parsed is reported as of unknown format, not with the parser's error."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file; check the path (cwd is {os.getcwd()})")
    kind = sniff_kind(path)
    if kind == "json":
        return _json_events_frame(read_json_export(path, what="the events"), str(path), format)
    if path.suffix.lower() in (".xlsx", ".xlsm") or kind == "workbook":
        frame = read_export_workbook(path, what="the events")
        return frame.fillna("").astype(str), None, None  # as from a CSV: "" for empty
    if format in (None, "gdelt") and _looks_like_gdelt(path, encoding):
        frame, _, _ = read_export(
            path,
            what="the GDELT event file",
            encoding=encoding,
            sep="\t",
            other_delimiter=False,
            header=None,
            names=GDELT_COLUMNS,
            dtype=str,
            keep_default_na=False,
            quoting=csv.QUOTE_NONE,
        )
        frame.index = pd.Index(frame.index - 1, name="row")  # no header: line 1 is an event
        return frame, "gdelt", None
    try:
        frame, _, _ = read_export(
            path,
            what="the events",
            encoding=encoding,
            sep=",",
            other_delimiter=False,
            dtype=str,
            keep_default_na=False,
        )
    except InputFileError as exc:
        # a parse error from a file that is no format at all says nothing useful
        parse = isinstance(exc.__cause__, (RaggedRowError, pd.errors.ParserError, csv.Error))
        header = _peek_header(path, encoding) if format is None and parse else None
        if header is not None and _format_of(header) is None:
            raise _unknown_format(
                f"the first line is {[h[:40] for h in header[:20]]}", str(path)
            ) from exc
        raise
    return frame, None, None


# --------------------------------------------------------------------------- JSON


def _records_frame(records: list, file: str, where: str) -> pd.DataFrame:
    """A list of JSON objects as text columns (``string``; a number's text,
    <NA> for null), rows numbered 2..n+1 as in the CSV of the same export."""
    odd = next((i for i, r in enumerate(records) if not isinstance(r, dict)), None)
    if odd is not None:
        raise InputFileError(
            f"{file}: {where}[{odd}] is {type(records[odd]).__name__}, not an object of fields; "
            "export the data again as it comes from its source"
        )
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object).where(frame.notna(), None).astype("string")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def _json_events_frame(
    data, file: str, format: str | None
) -> tuple[pd.DataFrame, str, dict[int, str] | None]:
    """Frame, format and row -> JSON path for an events JSON file: TimelineJS
    (``{"events": [...]}``), ACLED's API answer (``{"success": ..., "data": [...]}``)
    or its ``data`` array alone.  Anything else is one message naming the formats."""
    timeline = isinstance(data, dict) and isinstance(data.get("events"), list)
    if timeline and format in (None, "timelinejs"):
        return _timelinejs_json_frame(data, file)
    if (
        isinstance(data, dict)
        and {"status", "success"} & set(data)
        and ("data" in data or "error" in data or data.get("success") is False)
    ):
        if data.get("success") is False or str(data.get("status", 200)) != "200":
            said = data.get("error") or data.get("messages") or data.get("message")
            raise InputFileError(
                f"{file}: ACLED's API answered status {data.get('status')!r}, success "
                f"{data.get('success')!r} ({str(said)[:300]}): the file holds no events. "
                "Check the query (key, email, filters) and download it again"
            )
        if not isinstance(data.get("data"), list):
            raise InputFileError(
                f"{file}: ACLED API answer without a 'data' list of events; download it again"
            )
        frame = _records_frame(data["data"], file, "data")
        if not len(data["data"]):  # no event matched the query: no events, not an error
            frame = pd.DataFrame({c: pd.Series(dtype="string") for c in ACLED_COLUMNS})
        return frame, format or "acled", None
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data[:1]):
        first = {match_key(k) for k in data[0]}
        if {"firstseen", "icao24"} <= first:
            raise InputFileError(
                f"{file}: an OpenSky flight list (icao24, firstSeen ...), not events: read it "
                "with osint_kit.readers.exports.read_opensky"
            )
        frame = _records_frame(data, file, "")
        return frame, format or _detect_or_unknown(frame.columns, file), None
    if isinstance(data, dict):
        found = f"a JSON object with the keys {sorted(map(str, data))[:20]}"
    else:
        found = f"a JSON {type(data).__name__}"
    raise _unknown_format(found, file)


def _detect_or_unknown(columns, file: str) -> str:
    fmt = _format_of(columns)
    if fmt is None:
        raise _unknown_format(f"the fields are {list(map(str, columns))[:30]}", file)
    return fmt


#: TimelineJS JSON slide field -> the sheet's column (TimelineJS's own names).
_TLJS_JSON = {
    "Year": "start_date.year",
    "Month": "start_date.month",
    "Day": "start_date.day",
    "End Year": "end_date.year",
    "End Month": "end_date.month",
    "End Day": "end_date.day",
    "Headline": "text.headline",
    "Text": "text.text",
    "Media": "media.url",
    "Media Credit": "media.credit",
    "Media Caption": "media.caption",
    "Media Thumbnail": "media.thumbnail",
    "Group": "group",
}


def _timelinejs_json_frame(data: dict, file: str) -> tuple[pd.DataFrame, str, dict[int, str]]:
    """A TimelineJS JSON timeline as the equivalent sheet: the ``title``
    slide first (``Type`` = title), then ``events``, then ``eras`` (``Type``
    = era), numbered as the sheet's rows would be (header = 1).  ``Time`` is
    ``hour:minute[:second]`` of ``start_date`` (``End Time`` of ``end_date``);
    ``Display Date`` is the slide's ``display_date`` or its start date's;
    ``Background`` is ``background.url`` or its colour.  Every other field
    is kept as an extra column by its dotted path (``unique_id``,
    ``media.alt``), and ``json_path`` says where the slide is."""
    slides: list = []
    kinds: list = []
    paths: list[str] = []
    if isinstance(data.get("title"), dict):
        slides.append(data["title"])
        kinds.append("title")
        paths.append("title")
    for key, kind in (("events", None), ("eras", "era")):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise InputFileError(
                f"{file}: TimelineJS JSON '{key}' is {type(items).__name__}, not a list of slides"
            )
        odd = next((i for i, x in enumerate(items) if not isinstance(x, dict)), None)
        if odd is not None:
            raise InputFileError(
                f"{file}: TimelineJS JSON {key}[{odd}] is {type(items[odd]).__name__}, not a "
                "slide (an object with start_date and text); export the timeline again"
            )
        slides += items
        kinds += [kind] * len(items)
        paths += [f"{key}[{i}]" for i in range(len(items))]
    flat = pd.json_normalize(slides) if slides else pd.DataFrame()
    flat.index = pd.RangeIndex(2, 2 + len(flat), name="row")

    def col(*names: str) -> pd.Series:
        for name in names:
            if name in flat.columns:
                return flat[name].astype(object).where(flat[name].notna(), None).astype("string")
        return pd.Series(pd.NA, index=flat.index, dtype="string")

    def clock(prefix: str) -> pd.Series:
        h, mi, sec = (whole_number_text(col(f"{prefix}.{k}")) for k in ("hour", "minute", "second"))
        return h + ":" + mi.fillna("0").str.zfill(2) + (":" + sec.str.zfill(2)).fillna("")

    frame = pd.DataFrame(index=flat.index)
    for column in TIMELINEJS_COLUMNS:
        if column in _TLJS_JSON:
            frame[column] = col(_TLJS_JSON[column])
    frame["Time"] = clock("start_date")
    frame["End Time"] = clock("end_date")
    frame["Display Date"] = col("display_date", "start_date.display_date")
    frame["Background"] = col("background.url").fillna(col("background.color"))
    frame["Type"] = pd.array(kinds, dtype="string")
    used = {*_TLJS_JSON.values(), "display_date", "background.url", "background.color"}
    used |= {f"{p}.{k}" for p in ("start_date", "end_date") for k in ("hour", "minute", "second")}
    frame = frame[[c for c in TIMELINEJS_COLUMNS if c in frame.columns]]
    for c in flat.columns:
        if c not in used and c not in frame.columns:
            frame[c] = col(c)
    frame["json_path"] = pd.array(paths, dtype="string")
    return frame, "timelinejs", dict(zip(frame.index.tolist(), paths, strict=True))


def _with_json_paths(result: EventsResult, paths: dict[int, str]) -> EventsResult:
    """Problems of a JSON file with the slide's path before the column
    (``events[3]: Year, Month, ...``): a JSON file has no rows to count."""
    p = result.problems
    if not len(p):
        return result
    where = p["row"].map(paths).astype("string")
    column = (where + ": " + p["column"]).fillna(p["column"])
    return EventsResult(
        result.events,
        p.assign(column=column.astype("string")),
        rows_in=result.rows_in,
        non_event_rows=result.non_event_rows,
        title=result.title,
        matched=result.matched,
    )


def read_events(
    source,
    format: str | None = None,
    *,
    file: str | None = None,
    places: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    encoding: str | None = None,
) -> EventsResult:
    """Read an events table (file path or DataFrame) in any supported format.

    Parameters
    ----------
    source : path or DataFrame
        CSV, XLSX or JSON file (TimelineJS JSON, ACLED's API answer), a
        GDELT 2.0 event file, or a frame of text columns; the format is told
        from the content, never from the file name.  A CSV's encoding is
        detected (UTF-8 with or without BOM, UTF-16, cp1251 ...:
        :func:`osint_kit.io.tabular.detect_encoding`) unless ``encoding`` is given.
    format : {"kit", "acled", "timelinejs", "gdelt"}, optional
        Default: detected from the content and the header (:func:`detect_format`);
        a file that fits none gets one message naming every format tried.
    file : str, optional
        Name used in problems (default: the file name, or ``"<frame>"``).
    places, sources : DataFrame, optional
        For the kit format: the case's places (lat, lon, precision, radius_km by
        place_id) and sources (source_url -> source_id).
    encoding : str, optional
        The CSV's text encoding, when the detection gets it wrong.

    Returns
    -------
    EventsResult
        A file made of two exports joined with ``cat``: the second header row
        is ``rejected`` (it is not an event) and a row that begins with a
        byte-order mark is reported (``kept``, the mark removed).

    Raises
    ------
    InputFileError
        The file cannot be read (:func:`osint_kit.io.tabular.read_export`), or its
        header fits no format.
    """
    joined = paths = None
    known = ("kit", "acled", "timelinejs", "gdelt")
    if format is not None and format not in known:
        raise InputFileError(f"unknown events format {format!r}; use one of {', '.join(known)}")
    if isinstance(source, pd.DataFrame):
        frame, name, fmt = source, file or "<frame>", format
        where = name
    else:
        path = Path(source)
        name, where = file or path.name, str(path)
        frame, fmt, paths = _read_file(path, encoding, format)
        fmt = format or fmt
        if paths is None and fmt != "gdelt":  # a JSON or GDELT file has no header to repeat
            joined = joined_exports(frame)
            if len(joined):
                frame = strip_row_bom(frame, joined.index[joined["bom"].to_numpy()])
                frame = frame.drop(index=joined.index[joined["header"].to_numpy()])
    if fmt is None:
        fmt = _format_of(frame.columns)
        if fmt is None:
            raise _unknown_format(f"the header is {list(map(str, frame.columns))[:30]}", where)
    if fmt == "acled":
        result = events_from_acled(frame, file=name)
    elif fmt == "timelinejs":
        result = events_from_timelinejs(frame, file=name)
    elif fmt == "gdelt":
        result = events_from_gdelt(frame, file=name)
    else:
        result = events_from_kit(frame, places=places, sources=sources, file=name)
    if paths is not None:
        result = _with_json_paths(result, paths)
    if joined is None or not len(joined):
        return result
    header = joined["header"].to_numpy()
    column = str(frame.columns[0]) if len(frame.columns) else ""
    fix = "delete the row, or read the two files one by one"
    extra = [
        problem_rows(
            name,
            joined.index[header],
            column,
            [column] * int(header.sum()),
            joined["problem"].to_numpy(dtype=object)[header],
            fix,
        ),
        problem_rows(
            name,
            joined.index[~header],
            column,
            frame.loc[joined.index[~header], column].to_numpy(dtype=object),
            joined["problem"].to_numpy(dtype=object)[~header],
            fix,
            severity="warning",
            action="kept",
        ),
    ]
    return EventsResult(
        result.events,
        concat_problems([*extra, result.problems]),
        rows_in=result.rows_in + int(header.sum()),
        non_event_rows=result.non_event_rows,
        title=result.title,
        matched=result.matched,
    ).check()


def _require(frame: pd.DataFrame, columns: list[str], file: str, fmt: str) -> pd.DataFrame:
    """Check the columns; return the frame with a unique index (row numbers 2..n+1 if it had none)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputFileError(
            f"{file}: {fmt} events need the column(s) {missing}; the file has {list(frame.columns)}. "
            "Rename the columns (names are matched ignoring case, spaces and _) or choose "
            "another format="
        )
    if not frame.index.is_unique:
        frame = frame.reset_index(drop=True)
    return frame


# --------------------------------------------------------------------------- kit events.csv


def _place_lookup(place_id: pd.Series, places: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["lat", "lon", "precision", "radius_km"]
    if places is None or not len(places):
        return pd.DataFrame({c: np.nan for c in cols}, index=place_id.index)
    table = places.drop_duplicates("place_id").set_index(
        places.drop_duplicates("place_id")["place_id"].astype("string")
    )
    for c in cols:
        if c not in table.columns:
            table[c] = np.nan
    out = table[cols].reindex(pd.Index(place_id.astype("string")))
    out.index = place_id.index
    return out


def events_from_kit(
    frame: pd.DataFrame,
    *,
    places: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    file: str = "events.csv",
) -> EventsResult:
    """The kit's own events table (``event_id, date, title, category, place_id`` + extras).

    Places are resolved by ``place_id`` from ``places`` (the case's, with numeric
    ``lat``, ``lon``, ``precision`` and ``radius_km``); ``source_ids`` come from a
    ``source_ids``/``source_id`` column when present, else from ``source_url``
    matched against ``sources.url``. Dates already parsed by the case loader
    (``date_start`` ...) are used as they are; otherwise ``date`` is parsed.
    """
    frame, matched = _match_headers(frame, _KIT_COLUMNS)
    frame = _require(frame, _KIT_REQUIRED, file, "kit")
    rows = _source_rows(frame)
    if {"date_start", "date_end", "date_precision", "date_problem"} <= set(frame.columns):
        parsed = frame[["date_start", "date_end", "date_precision", "date_problem"]]
    else:
        parsed = parse_dates(frame["date"])
    keep, probs = _date_rejections(
        file,
        rows,
        "date",
        frame["date"].to_numpy(dtype=object),
        parsed,
        empty_reason="event has no date, so it cannot be placed on a timeline",
        empty_fix="fill the date column (a month or a year is fine: 2024-09, 2024)",
    )
    place_id = _text(frame, "place_id")
    where = _place_lookup(place_id, places)
    unknown = place_id.notna().to_numpy() & where["lat"].isna().to_numpy() & keep
    probs.append(
        problem_rows(
            file,
            rows[unknown],
            "place_id",
            place_id.to_numpy(dtype=object)[unknown],
            "place_id has no coordinates in places.csv",
            "add the place (with lat, lon) to places.csv or correct the id",
            severity="warning",
            action="kept",
        )
    )
    if "source_ids" in frame.columns or "source_id" in frame.columns:
        source_ids = _text(frame, "source_ids" if "source_ids" in frame.columns else "source_id")
    elif sources is not None and "source_url" in frame.columns:
        by_url = sources.dropna(subset=["url"]).drop_duplicates("url").set_index("url")["source_id"]
        source_ids = pd.Series(
            _text(frame, "source_url").map(by_url), index=frame.index, dtype="string"
        )
    else:
        source_ids = pd.Series(pd.NA, index=frame.index, dtype="string")
    probs.append(_hidden_ids(file, rows, _text(frame, "event_id"), "event_id", keep))
    canon = {
        "event_id": _text(frame, "event_id"),
        "date_start": parsed["date_start"],
        "date_end": parsed["date_end"],
        "date_precision": parsed["date_precision"],
        "title": _text(frame, "title"),
        "category": _text(frame, "category"),
        "lat": where["lat"],
        "lon": where["lon"],
        "place_precision": where["precision"],
        "radius_km": where["radius_km"],
        "source_ids": source_ids,
        "evidence": "reported",
        "origin_format": "kit",
        "source_row": rows,
    }
    events = _assemble(frame, canon, keep)
    return EventsResult(events, concat_problems(probs), rows_in=len(frame), matched=matched).check()


def events_from_case(case: Case) -> EventsResult:
    """Events of a :class:`~osint_kit.readers.bundle.Case` (events.csv, places, sources)."""
    return events_from_kit(case.events, places=case.places, sources=case.sources, file="events.csv")


# --------------------------------------------------------------------------- ACLED


def _month_bounds(start: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """First and last day (datetime64[us]) of the month of each UTC timestamp."""
    naive = start.dt.tz_convert(None).to_numpy(dtype="datetime64[us]")
    month = naive.astype("datetime64[M]")
    first = month.astype("datetime64[D]").astype("datetime64[us]")
    last = (
        (month + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    ).astype("datetime64[us]")
    return first, last


def _utc(values: np.ndarray) -> pd.Series:
    return pd.Series(pd.DatetimeIndex(values).tz_localize("UTC")).astype(
        pd.DatetimeTZDtype(unit="us", tz="UTC")
    )


def events_from_acled(frame: pd.DataFrame, *, file: str = "acled.csv") -> EventsResult:
    """An ACLED export (codebook column names) as canonical events.

    ``time_precision`` and ``geo_precision`` become intervals and radii (see the
    module docstring for the exact rules); every row is kept unless its
    ``event_date`` cannot be read. ``title`` is ``sub_event_type — location``,
    ``category`` is ``event_type``, ``source_ids`` is ACLED's ``source`` text.
    """
    frame, matched = _match_headers(frame, ACLED_COLUMNS, ACLED_SYNONYMS)
    frame = _require(frame, _ACLED_REQUIRED, file, "ACLED")
    rows = _source_rows(frame)
    n = len(frame)
    date_text = frame["event_date"]
    parsed = parse_dates(date_text)
    keep, probs = _date_rejections(
        file,
        rows,
        "event_date",
        date_text.to_numpy(dtype=object),
        parsed,
        empty_reason="event_date is empty",
        empty_fix="fill event_date (YYYY-MM-DD as in ACLED exports)",
    )
    # ACLED writes event_date as a day; a time in it is dropped (the day is what it says)
    day = (
        parsed["date_start"]
        .dt.tz_convert(None)
        .to_numpy(dtype="datetime64[us]")
        .astype("datetime64[D]")
        .astype("datetime64[us]")
    )
    first, last = _month_bounds(parsed["date_start"])
    # an event_date that is only a month, a year or a range ("April 2024") has no
    # day for time_precision to be about: drawn as written, never narrower
    text_prec = parsed["date_precision"].to_numpy(dtype=object, na_value=None)
    wide = np.isin(text_prec, ["month", "year", "range"])

    # codes are few distinct values: look each up once (_code), then work on integer arrays
    tp = _text(frame, "time_precision")
    tp_code = _code(tp, {"1": 1, "2": 2, "3": 3})  # 0 = unknown or empty
    tp_known = tp_code > 0
    half = np.select([tp_code == 2], [ACLED_TIME_WINDOW_DAYS["2"]], 0).astype("timedelta64[D]")
    is_month = (tp_code == 3) | ~tp_known
    start = np.where(is_month, first, day - half.astype("timedelta64[us]"))
    end = np.where(is_month, last, day + half.astype("timedelta64[us]"))
    precision = np.select([tp_code == 1, tp_code == 2], ["day", "range"], "month").astype(object)
    precision[np.isnat(day)] = None
    as_written_start = parsed["date_start"].dt.tz_convert(None).to_numpy(dtype="datetime64[us]")
    as_written_end = parsed["date_end"].dt.tz_convert(None).to_numpy(dtype="datetime64[us]")
    start = np.where(wide, as_written_start, start)
    end = np.where(wide, as_written_end, end)
    precision = np.where(wide, text_prec, precision)
    clash = wide & keep & ~((tp_code == 3) & (text_prec == "month"))
    if clash.any():
        said = np.select(
            [tp_code == 1, tp_code == 2, tp_code == 3],
            ["says the day is known", "says about a week is known", "says only the month is known"],
            "is not an ACLED code (1, 2 or 3)",
        )[clash]
        probs.append(
            problem_rows(
                file,
                rows[clash],
                "event_date",
                date_text.to_numpy(dtype=object)[clash],
                "event_date gives "
                + np.array(["a " + str(p) for p in text_prec[clash]], dtype=object)
                + ", not a day, while time_precision "
                + tp.fillna("(empty)").to_numpy(dtype=object)[clash]
                + " "
                + said
                + ": drawn as written (the whole "
                + text_prec[clash].astype(str)
                + "), never narrower",
                "check the event in ACLED: event_date is a day (YYYY-MM-DD) and time_precision "
                "says how sure it is",
                severity="warning",
                action="kept",
            )
        )
    bad_tp = ~tp_known & keep & ~wide
    probs.append(
        problem_rows(
            file,
            rows[bad_tp],
            "time_precision",
            tp.to_numpy(dtype=object)[bad_tp],
            "unknown time_precision code (ACLED: 1 the day, 2 about a week, 3 the month); "
            "drawn as the whole month of event_date, the widest ACLED window",
            "set time_precision to 1, 2 or 3 as in the ACLED codebook",
            severity="warning",
            action="kept",
        )
    )

    lat_text, lon_text = _text(frame, "latitude"), _text(frame, "longitude")
    lat = pd.to_numeric(lat_text, errors="coerce").astype("float64").to_numpy()
    lon = pd.to_numeric(lon_text, errors="coerce").astype("float64").to_numpy()
    bad_xy = (
        np.isnan(lat)
        | np.isnan(lon)
        | (np.abs(lat) > 90)
        | (np.abs(lon) > 180)
        | ((lat == 0) & (lon == 0))
    )
    lat = np.where(bad_xy, np.nan, lat)
    lon = np.where(bad_xy, np.nan, lon)
    m = bad_xy & keep
    raw_xy = (lat_text[m].fillna("") + "," + lon_text[m].fillna("")).to_numpy(dtype=object)
    probs.append(
        problem_rows(
            file,
            rows[m],
            "latitude,longitude",
            raw_xy,
            "coordinates empty, not numbers, out of range or (0, 0); location unknown (NaN)",
            "fill latitude (-90..90) and longitude (-180..180) in decimal degrees, WGS84",
            severity="warning",
            action="kept",
        )
    )

    gp = _text(frame, "geo_precision")
    gp_code = _code(gp, {"1": 1, "2": 2, "3": 3})
    # no coordinates -> no radius or place precision either (nothing to be uncertain about)
    radius = np.where(
        bad_xy, np.nan, np.array([np.nan] + [ACLED_GEO_RADIUS_KM[k] for k in "123"])[gp_code]
    )
    place_precision = np.array([None] + [ACLED_GEO_PRECISION[k] for k in "123"], dtype=object)[
        gp_code
    ]
    place_precision[bad_xy] = None
    bad_gp = (gp_code == 0) & keep
    probs.append(
        problem_rows(
            file,
            rows[bad_gp],
            "geo_precision",
            gp.to_numpy(dtype=object)[bad_gp],
            "unknown geo_precision code (ACLED: 1 the town, 2 near a town / part of a region, "
            "3 the larger region); radius unknown (NaN)",
            "set geo_precision to 1, 2 or 3 as in the ACLED codebook",
            severity="warning",
            action="kept",
        )
    )

    # title per distinct (sub_event_type, event_type, location), mapped back
    parts = pd.MultiIndex.from_arrays(
        [_text(frame, c).fillna("") for c in ("sub_event_type", "event_type", "location")]
    )
    codes, uniq = parts.factorize()
    u = uniq.to_frame(index=False).astype("string")
    u.columns = ["sub", "type", "loc"]
    what = u["sub"].mask(u["sub"] == "", u["type"]).mask(lambda x: x == "", "event")
    u_title = (what + (" — " + u["loc"]).where(u["loc"] != "", "")).to_numpy(dtype=object)
    title = pd.Series(u_title[codes], index=frame.index, dtype="string")
    canon = {
        "event_id": _text(frame, "event_id_cnty"),
        "date_start": _utc(start).set_axis(frame.index),
        "date_end": _utc(end).set_axis(frame.index),
        "date_precision": pd.Series(precision, index=frame.index, dtype="string"),
        "title": title,
        "category": _text(frame, "event_type"),
        "lat": lat,
        "lon": lon,
        "place_precision": place_precision,
        "radius_km": radius,
        "source_ids": _text(frame, "source"),
        "evidence": "reported",
        "origin_format": "acled",
        "source_row": rows,
    }
    probs.append(_hidden_ids(file, rows, canon["event_id"], "event_id_cnty", keep))
    events = _assemble(frame, canon, keep)
    assert n == len(frame)
    return EventsResult(events, concat_problems(probs), rows_in=n, matched=matched).check()


# --------------------------------------------------------------------------- TimelineJS


def _tljs_date_text(
    y: pd.Series, m: pd.Series, d: pd.Series, t: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """ISO-like text from TimelineJS parts, and a reason where the parts do not fit."""
    mm = m.str.zfill(2)
    dd = d.str.zfill(2)
    text = y.copy()
    text = text.mask(m.notna(), y + "-" + mm)
    text = text.mask(m.notna() & d.notna(), y + "-" + mm + "-" + dd)
    has_time = t.notna() & d.notna() & m.notna()
    text = text.mask(has_time, text + "T" + t.str.zfill(5))
    why = pd.Series(pd.NA, index=y.index, dtype="string")
    why = why.mask(d.notna() & m.isna(), "Day given without Month")
    why = why.mask((m.notna() | d.notna()) & y.isna(), "Month or Day given without Year")
    return text, why


def events_from_timelinejs(frame: pd.DataFrame, *, file: str = "timeline.csv") -> EventsResult:
    """A TimelineJS spreadsheet as canonical events.

    Year only -> the year; Year + Month -> the month; Year + Month + Day -> the day;
    with Time (``HH:MM[:SS]``, taken as UTC) -> a datetime. ``End Year`` (or any
    End field) makes a range running to the end of the end's own precision
    (End Year 2024 with no End Month -> 31 December 2024). The ``title`` row
    (``Type`` = title) is the timeline's title, not an event. ``category`` is
    ``Group``; ``event_id`` is ``TL-<row>``.
    """
    frame, matched = _match_headers(frame, TIMELINEJS_COLUMNS)
    frame = _require(frame, [], file, "TimelineJS")
    missing = [c for c in ("Year", "Headline") if c not in frame.columns]
    if missing:
        raise InputFileError(
            f"{file}: TimelineJS sheets need {missing}; the file has {list(frame.columns)}"
        )
    # date parts are numbers: 2024, 2024.0 (a pandas round trip) and "04" read alike
    numeric = {"Year", "Month", "Day", "End Year", "End Month", "End Day"}

    def get(name: str) -> pd.Series:
        if name not in frame.columns:
            return pd.Series(pd.NA, index=frame.index, dtype="string")
        if name not in numeric:
            return _text(frame, name)
        v = whole_number_text(frame[name])
        if name.endswith("Year"):  # year 900 is "0900" (ISO 8601 writes four digits)
            short = v.str.fullmatch(r"\d{1,3}").fillna(False)
            v = v.mask(short, v.str.zfill(4))
        return v

    rows = _source_rows(frame)
    kind = get("Type").str.lower()
    is_title = kind.eq("title").fillna(False).to_numpy(dtype=bool)
    title_text = get("Headline")[is_title]
    tl_title = None if title_text.dropna().empty else str(title_text.dropna().iloc[0])

    y, m, d, t = get("Year"), get("Month"), get("Day"), get("Time")
    ey, em, ed, et = get("End Year"), get("End Month"), get("End Day"), get("End Time")
    # a Time the kit cannot read ("2:30 PM", "noon") is dropped with a warning: the day still holds
    time_probs = []
    for name, tt in (("Time", t), ("End Time", et)):
        odd = (tt.notna() & ~tt.str.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?").fillna(False)).to_numpy(
            dtype=bool
        )
        time_probs.append((name, odd, tt.to_numpy(dtype=object)))
    t = t.mask(time_probs[0][1])
    et = et.mask(time_probs[1][1])
    has_end = (ey.notna() | em.notna() | ed.notna()).to_numpy(dtype=bool)
    ey = ey.fillna(y).where(has_end)
    s_text, s_why = _tljs_date_text(y, m, d, t)
    e_text, e_why = _tljs_date_text(ey, em, ed, et)
    s = parse_dates(s_text)
    e = parse_dates(e_text)
    start, end = (
        s["date_start"],
        e["date_end"].where(pd.Series(has_end, index=frame.index), s["date_end"]),
    )
    precision = s["date_precision"].mask(
        pd.Series(has_end, index=frame.index)
        & s["date_precision"].notna()
        & e["date_precision"].notna(),
        "range",
    )
    # reasons, first that applies; the title row is not an event and is not checked
    reason = s_why.fillna(e_why)
    reason = reason.fillna(("start " + s["date_problem"]).astype("string"))
    reason = reason.fillna(("end " + e["date_problem"]).astype("string"))
    empty = y.isna() & reason.isna()
    reason = reason.mask(empty, "no Year: an event needs at least a Year")
    backwards = reason.isna() & (end < start)
    reason = reason.mask(backwards.fillna(False), "the End date is before the start date")
    reason = reason.mask(pd.Series(is_title, index=frame.index))
    bad = reason.notna().to_numpy(dtype=bool)
    parts = pd.Series("", index=frame.index, dtype="string")
    for name, value in (
        ("Year", y),
        ("Month", m),
        ("Day", d),
        ("Time", t),
        ("End Year", get("End Year")),
        ("End Month", em),
        ("End Day", ed),
        ("End Time", et),
    ):
        parts = parts + (name + "=" + value + " ").fillna("")
    parts = parts.str.strip()
    probs = [
        problem_rows(
            file,
            rows[bad],
            "Year, Month, Day, Time, End Year, End Month, End Day, End Time",
            parts.to_numpy(dtype=object)[bad],
            reason.to_numpy(dtype=object)[bad],
            "give Year (4 digits), Month 1-12 and Day valid for that month; "
            "the End date on or after the start",
        )
    ]
    keep = ~bad & ~is_title
    for name, odd, raw in time_probs:
        odd = odd & keep
        probs.append(
            problem_rows(
                file,
                rows[odd],
                name,
                raw[odd],
                "time not read (24-hour HH:MM expected); the date is kept without it",
                "write the time as 24-hour HH:MM, e.g. 14:30",
                severity="warning",
                action="kept",
            )
        )
    headline = get("Headline")
    canon = {
        "event_id": pd.Series(
            "TL-" + pd.Series(rows, index=frame.index).astype("string"), dtype="string"
        ),
        "date_start": start.where(~pd.Series(bad, index=frame.index)),
        "date_end": end.where(~pd.Series(bad, index=frame.index)),
        "date_precision": precision,
        "title": headline.fillna(get("Display Date")),
        "category": get("Group"),
        "lat": np.nan,
        "lon": np.nan,
        "place_precision": pd.NA,
        "radius_km": np.nan,
        "source_ids": get("Media Credit"),
        "evidence": "reported",
        "origin_format": "timelinejs",
        "source_row": rows,
    }
    events = _assemble(frame, canon, keep)
    return EventsResult(
        events,
        concat_problems(probs),
        rows_in=len(frame),
        non_event_rows=int(is_title.sum()),
        title=tl_title,
        matched=matched,
    ).check()


# --------------------------------------------------------------------------- GDELT


def events_from_gdelt(frame: pd.DataFrame, *, file: str = "gdelt.export.CSV") -> EventsResult:
    """GDELT 2.0 event records (:data:`GDELT_COLUMNS`) as canonical events.

    ``SQLDATE`` (YYYYMMDD; ``20240413.0`` and the number read alike) is the
    day, precision ``day``; a row whose SQLDATE is empty or not a calendar
    date is ``rejected``.  ``ActionGeo_Lat``/``_Long`` place the event and
    ``ActionGeo_Type`` says how precisely (:data:`GDELT_GEO_RADIUS_KM`,
    :data:`GDELT_GEO_PRECISION`); a type 0 or empty with no coordinates is
    an event GDELT could not place (NaN, reported); (0, 0), out-of-range or
    unreadable coordinates are NaN with a reason, and an unknown type keeps
    the point with no radius, as for ACLED.  ``category`` is the CAMEO root
    (``EventRootCode``, :data:`CAMEO_ROOT_CODES`), ``title``
    ``<root>: <Actor1Name> → <Actor2Name> — <ActionGeo_FullName>``,
    ``event_id`` the ``GLOBALEVENTID``, ``source_ids`` the ``SOURCEURL``.
    Every field is kept as an extra column.
    """
    frame, matched = _match_headers(frame, GDELT_COLUMNS)
    frame = _require(frame, _GDELT_REQUIRED, file, "GDELT")
    rows = _source_rows(frame)
    n = len(frame)
    day_text = whole_number_text(frame["SQLDATE"])
    codes, uniq = pd.factorize(day_text, use_na_sentinel=True)
    u = pd.Series(uniq, dtype="string")
    eight = u.str.fullmatch(r"\d{8}").fillna(False)
    u_day = pd.to_datetime(u.where(eight), format="%Y%m%d", errors="coerce")
    u_day = u_day.to_numpy(dtype="datetime64[us]")
    day = np.append(u_day, np.datetime64("NaT", "us"))[codes]
    u_why = np.where(
        eight.to_numpy(dtype=bool),
        "SQLDATE is not a calendar date (day or month out of range)",
        "SQLDATE is not a date written YYYYMMDD",
    )
    why = np.append(u_why, "SQLDATE is empty")[codes]
    bad = np.isnat(day)
    raw_date = frame["SQLDATE"].astype("string").to_numpy(dtype=object)
    empty = bad & (codes < 0)
    probs = [
        problem_rows(
            file,
            rows[bad & ~empty],
            "SQLDATE",
            raw_date[bad & ~empty],
            why[bad & ~empty],
            "check the row in GDELT: SQLDATE is the event's day as 8 digits (20240413)",
        ),
        problem_rows(
            file,
            rows[empty],
            "SQLDATE",
            raw_date[empty],
            why[empty],
            "check the row in GDELT: SQLDATE is the event's day as 8 digits (20240413)",
            severity="warning",
        ),
    ]
    keep = ~bad

    geo_text = _text(frame, "ActionGeo_Type")
    geo = _code(geo_text, {k: int(k) for k in GDELT_GEO_RADIUS_KM})
    lat_text, lon_text = _text(frame, "ActionGeo_Lat"), _text(frame, "ActionGeo_Long")
    lat = pd.to_numeric(lat_text, errors="coerce").astype("float64").to_numpy()
    lon = pd.to_numeric(lon_text, errors="coerce").astype("float64").to_numpy()
    no_xy = lat_text.isna().to_numpy(dtype=bool) & lon_text.isna().to_numpy(dtype=bool)
    unplaced = no_xy & (geo == 0) & (whole_number_text(geo_text).fillna("0") == "0").to_numpy()
    bad_xy = (
        np.isnan(lat)
        | np.isnan(lon)
        | (np.abs(lat) > 90)
        | (np.abs(lon) > 180)
        | ((lat == 0) & (lon == 0))
    )
    lat = np.where(bad_xy, np.nan, lat)
    lon = np.where(bad_xy, np.nan, lon)
    m = unplaced & keep
    probs.append(
        problem_rows(
            file,
            rows[m],
            "ActionGeo_Type",
            geo_text.to_numpy(dtype=object)[m],
            "GDELT found no place for the event (ActionGeo_Type 0 or empty, no coordinates): "
            "location unknown (NaN)",
            "place the event from its article (SOURCEURL) if the case needs it",
            severity="warning",
            action="kept",
        )
    )
    m = bad_xy & ~unplaced & keep
    raw_xy = (lat_text[m].fillna("") + "," + lon_text[m].fillna("")).to_numpy(dtype=object)
    probs.append(
        problem_rows(
            file,
            rows[m],
            "ActionGeo_Lat,ActionGeo_Long",
            raw_xy,
            "coordinates empty, not numbers, out of range or (0, 0); location unknown (NaN)",
            "check the row in GDELT: ActionGeo_Lat (-90..90) and ActionGeo_Long (-180..180)",
            severity="warning",
            action="kept",
        )
    )
    m = (geo == 0) & ~unplaced & keep
    probs.append(
        problem_rows(
            file,
            rows[m],
            "ActionGeo_Type",
            geo_text.fillna("(empty)").to_numpy(dtype=object)[m],
            "unknown ActionGeo_Type (GDELT: 1 a country, 2 a US state, 3 a US city, 4 a world "
            "city, 5 a world state or province); radius unknown (NaN)",
            "check the row in GDELT: ActionGeo_Type is 1 to 5",
            severity="warning",
            action="kept",
        )
    )
    keys = sorted(GDELT_GEO_RADIUS_KM, key=int)
    radius = np.array([np.nan] + [GDELT_GEO_RADIUS_KM[k] for k in keys])[geo]
    radius = np.where(bad_xy, np.nan, radius)
    place_precision = np.array([None] + [GDELT_GEO_PRECISION[k] for k in keys], dtype=object)[geo]
    place_precision[bad_xy] = None

    root_text = _text(frame, "EventRootCode")
    root = _code(root_text, {k: int(k) for k in CAMEO_ROOT_CODES})
    m = (root == 0) & keep
    probs.append(
        problem_rows(
            file,
            rows[m],
            "EventRootCode",
            root_text.fillna("(empty)").to_numpy(dtype=object)[m],
            "not a CAMEO root code (01 to 20): the kind of event is unknown",
            "check the row in GDELT: EventRootCode is the first two digits of EventCode",
            severity="warning",
            action="kept",
        )
    )
    labels = np.array([None] + [CAMEO_ROOT_CODES[str(i)] for i in range(1, 21)], dtype=object)
    category = pd.Series(labels[root], index=frame.index, dtype="string")
    # title per distinct (root, actor1, actor2, place), mapped back
    parts = pd.MultiIndex.from_arrays(
        [
            category.fillna("Event"),
            *(
                _text(frame, c).fillna("")
                for c in ("Actor1Name", "Actor2Name", "ActionGeo_FullName")
            ),
        ]
    )
    t_codes, t_uniq = parts.factorize()
    t = t_uniq.to_frame(index=False).astype("string")
    t.columns = ["what", "a1", "a2", "where"]
    who = (
        (t["a1"] + " → " + t["a2"])
        .where(t["a2"] != "", t["a1"])
        .where((t["a1"] != "") | (t["a2"] == ""), "? → " + t["a2"])
    )
    u_title = (
        t["what"]
        + (": " + who).where(who != "", "")
        + (" — " + t["where"]).where(t["where"] != "", "")
    ).to_numpy(dtype=object)
    title = pd.Series(u_title[t_codes], index=frame.index, dtype="string")
    canon = {
        "event_id": whole_number_text(frame["GLOBALEVENTID"]),  # 1100000001.0 is 1100000001
        "date_start": _utc(day).set_axis(frame.index),
        "date_end": _utc(day).set_axis(frame.index),
        "date_precision": pd.Series("day", index=frame.index, dtype="string").mask(bad),
        "title": title,
        "category": category,
        "lat": lat,
        "lon": lon,
        "place_precision": place_precision,
        "radius_km": radius,
        "source_ids": _text(frame, "SOURCEURL"),
        "evidence": "reported",
        "origin_format": "gdelt",
        "source_row": rows,
    }
    probs.append(_hidden_ids(file, rows, canon["event_id"], "GLOBALEVENTID", keep))
    events = _assemble(frame, canon, keep)
    assert n == len(frame)
    return EventsResult(events, concat_problems(probs), rows_in=n, matched=matched).check()


# --------------------------------------------------------------------------- claims, travel


def events_from_claims(case: Case) -> EventsResult:
    """Dated claims of a case as events (``evidence = "claim"``, ``category = "claim"``).

    ``source_ids``: sources that support or qualify the claim (assertions.csv),
    ``;``-separated, sorted. A claim with no date, or a date that cannot be
    read, is not an event: it is listed in problems (``rejected``, a warning
    for an empty date) so the accounting still adds up.
    """
    claims = case.claims
    rows = _source_rows(claims)
    parsed = claims[["date_start", "date_end", "date_precision", "date_problem"]]
    keep, probs = _date_rejections(
        "claims.csv",
        rows,
        "date",
        claims["date"].to_numpy(dtype=object),
        parsed,
        empty_reason="claim has no date, so it is not placed on the timeline",
        empty_fix="add a date to the claim if the material gives one",
    )
    a = case.assertions
    stance = a["stance"].astype("string").str.strip().str.lower()
    backing = a[stance.isin(["supports", "qualifies"]).fillna(False)]
    by_claim = (
        backing.drop_duplicates(["claim_id", "source_id"])
        .sort_values("source_id")
        .groupby("claim_id")["source_id"]
        .agg(";".join)
    )
    where = _place_lookup(_text(claims, "place_id"), case.places)
    canon = {
        "event_id": _text(claims, "claim_id"),
        "date_start": parsed["date_start"],
        "date_end": parsed["date_end"],
        "date_precision": parsed["date_precision"],
        "title": _text(claims, "text"),
        "category": "claim",
        "lat": where["lat"],
        "lon": where["lon"],
        "place_precision": where["precision"],
        "radius_km": where["radius_km"],
        "source_ids": _text(claims, "claim_id").map(by_claim).astype("string"),
        "evidence": "claim",
        "origin_format": "claims",
        "source_row": rows,
    }
    events = _assemble(claims, canon, keep)
    return EventsResult(events, concat_problems(probs), rows_in=len(claims)).check()


def events_from_travel(case: Case, *, category: str = "travel record") -> EventsResult:
    """Each travel record of a case as an event, its ``record_kind`` as ``evidence``.

    So a booking (intent to travel) and a manifest (boarding) of the same flight
    appear as two events with different evidence. ``title`` is
    ``"<record_kind>: <origin> → <destination> (<person_ref>)"``; lat/lon are the
    origin's, resolved offline through :func:`osint_kit.analysis.places.resolve_places`.
    """
    travel = case.travel
    rows = _source_rows(travel)
    parsed = travel[
        ["departure_start", "departure_end", "departure_precision", "departure_problem"]
    ]
    parsed = parsed.set_axis(["date_start", "date_end", "date_precision", "date_problem"], axis=1)
    keep, probs = _date_rejections(
        "travel.csv",
        rows,
        "departure",
        travel["departure"].to_numpy(dtype=object),
        parsed,
        empty_reason="travel record has no departure date, so it is not placed on the timeline",
        empty_fix="fill departure (a month or year is fine if that is all the record gives)",
    )
    origin = _text(travel, "origin")
    lat = lon = radius = pd.Series(np.nan, index=travel.index)
    precision = pd.Series(pd.NA, index=travel.index, dtype="string")
    if origin.notna().any():
        where = resolve_places(origin, case=case)
        lat, lon, radius, precision = (
            where["lat"],
            where["lon"],
            where["radius_km"],
            where["precision"],
        )
        miss = where["problem"].notna().to_numpy(dtype=bool) & keep
        probs.append(
            problem_rows(
                "travel.csv",
                rows[miss],
                "origin",
                origin.to_numpy(dtype=object)[miss],
                where["problem"].to_numpy(dtype=object)[miss],
                "use a place name from places.csv or an IATA/ICAO code",
                severity="warning",
                action="kept",
            )
        )
    kind = _text(travel, "record_kind").str.lower()
    who = _text(travel, "person_ref").str.replace(r"\s*\(.*\)$", "", regex=True)
    title = (
        kind.fillna("record")
        + ": "
        + origin.fillna("?")
        + " → "
        + _text(travel, "destination").fillna("?")
        + (" (" + who + ")").fillna("")
    )
    canon = {
        "event_id": _text(travel, "record_id"),
        "date_start": parsed["date_start"],
        "date_end": parsed["date_end"],
        "date_precision": parsed["date_precision"],
        "title": title,
        "category": category,
        "lat": lat,
        "lon": lon,
        "place_precision": precision,
        "radius_km": radius,
        "source_ids": _text(travel, "source_id"),
        "evidence": kind,
        "origin_format": "travel",
        "source_row": rows,
    }
    events = _assemble(travel, canon, keep)
    return EventsResult(events, concat_problems(probs), rows_in=len(travel)).check()


def combine_events(*results: EventsResult) -> EventsResult:
    """Stack several readers' results (events, problems and counts add up)."""
    events = pd.concat([r.events for r in results], ignore_index=True)
    problems = concat_problems([r.problems for r in results])
    titles = [r.title for r in results if r.title]
    return EventsResult(
        events,
        problems,
        rows_in=sum(r.rows_in for r in results),
        non_event_rows=sum(r.non_event_rows for r in results),
        title=titles[0] if titles else None,
    ).check()
