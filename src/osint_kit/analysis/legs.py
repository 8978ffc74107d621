"""Travel records -> one canonical legs table, with its problems.

Every travel reader (the case's ``travel.csv``: :func:`case_legs`; booking,
manifest and OpenSky exports: :mod:`osint_kit.readers.exports`) hands its
rows, with canonical column names, to :func:`normalise_legs`, which returns a
:class:`LegsResult`: ``.legs`` (the frame below), ``.problems`` (one row per
(leg, reason), :mod:`osint_kit.problems`), ``.rows_in``, ``check()`` and
``counts()``.  The steps, each on distinct values and expanded by integer
codes: people (:mod:`osint_kit.analysis.names`), documents
(:mod:`osint_kit.analysis.documents`), places
(:mod:`osint_kit.analysis.places`), times (:mod:`osint_kit.analysis.dates`,
:mod:`osint_kit.analysis.timezones`), distances and speeds.

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
<NA> when none: a display column; the reasons one by one are in
``LegsResult.problems``).  Any other input column is kept after these
("extras").

Nothing disappears: unknown places, unreadable names or dates, arrival
before departure and speeds above :data:`MAX_SPEED_KMH` are flagged and the
row stays; so is a local time that a daylight-saving change skips or repeats
(no single UTC instant: both readings named).  A city with several airports
(Moscow: SVO, VKO, DME) stays at city precision: no airport is ever guessed.

Time convention: a date or time *without* an offset in a booking or
manifest is local wall time at the departure (or arrival) place and is
converted to UTC with that place's time zone; a day-precision date keeps
``departure_utc`` = that calendar day at 00:00 UTC (the
:mod:`osint_kit.analysis.dates` convention), since the hour is unknown anyway.
A clock time out of range (``25:00``, ``10:61``, a leap second ``:60``) is a
problem, never the next hour or day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from osint_kit.analysis.dates import TIME_PRECISIONS, parse_local_times
from osint_kit.analysis.documents import classify_distinct
from osint_kit.analysis.names import person_keys_by_pair, split_full_names
from osint_kit.analysis.places import Gazetteer, geodesic_km, resolve_places
from osint_kit.analysis.timezones import NAT_US, dst_problems, localise, to_local
from osint_kit.problems import PROBLEM_COLUMNS, empty_problems, problem_rows
from osint_kit.text import hidden_character_problems

if TYPE_CHECKING:
    from osint_kit.readers.bundle import Case

__all__ = [
    "CRUISE_KMH",
    "LEG_COLUMNS",
    "MAX_SPEED_KMH",
    "OVERHEAD_H",
    "PROBLEM_SEP",
    "LegsResult",
    "case_legs",
    "evidence_by_trip",
    "join_problems",
    "normalise_legs",
]

#: Typical block speed of a jet airliner (km/h) and fixed time for taxi, climb
#: and descent (h): plausible_duration_h = distance_km / CRUISE_KMH + OVERHEAD_H.
#: SVO->IKA (2,512 km) -> 3.64 h; scheduled Moscow-Tehran flights are ~3h30-3h45.
CRUISE_KMH = 800.0
OVERHEAD_H = 0.5
#: Faster than any airliner's ground speed over a whole leg (a jet stream can
#: push ground speed to ~1,100 km/h briefly): flagged as impossible.
MAX_SPEED_KMH = 1100.0
#: Separator between several reasons in the ``problem`` display column.
PROBLEM_SEP = " | "

_ENDPOINT_FIELDS = [
    "code",
    "name",
    "place_id",
    "city",
    "lat",
    "lon",
    "tz",
    "precision",
    "radius_km",
    "gazetteer",
]

LEG_COLUMNS: list[str] = [
    "record_id",
    "record_kind",
    "person_ref",
    "person_key",
    "name_ascii",
    "passport_kind",
    "passport_official",
    "passport_masked",
    "passport_hash",
    "flight",
    "carrier",
    "origin",
    *[f"origin_{f}" for f in _ENDPOINT_FIELDS],
    "destination",
    *[f"destination_{f}" for f in _ENDPOINT_FIELDS],
    "departure_utc",
    "departure_local",
    "arrival_utc",
    "arrival_local",
    "date_precision",
    "distance_km",
    "duration_h",
    "plausible_duration_h",
    "speed_kmh",
    "source_id",
    "source_file",
    "problem",
]

_CONSUMED = {
    "surname",
    "given_name",
    "patronymic",
    "full_name",
    "passport",
    "departure",
    "departure_time",
    "arrival",
    "arrival_time",
}

_HIDDEN_FIX = (
    "retype the value without the hidden character (or check where the file "
    "came from: a look-alike id is a classic forgery)"
)
_PLACE_FIX = (
    "write the place as an IATA/ICAO code or a city name, or add it to the case's "
    "places.csv (or the gazetteer passed)"
)
_TIME_FIX = (
    "write the date as 2024-04-24 or 24.04.2024 and a time as 10:35; give the UTC "
    "offset (2024-04-24T10:35+03:00) when the place or its zone is unknown"
)
#: What to do about each kind of reason, by the key it is collected under.
FIXES: dict[str, str] = {
    "joined": "split the joined files and read each one (or delete the repeated header)",
    "record_id": _HIDDEN_FIX,
    "person_ref": _HIDDEN_FIX,
    "flight": _HIDDEN_FIX,
    "carrier": _HIDDEN_FIX,
    "source_id": _HIDDEN_FIX,
    "icao24": _HIDDEN_FIX,
    "origin_hidden": _HIDDEN_FIX,
    "destination_hidden": _HIDDEN_FIX,
    "name": "check the name against the source; write it in Cyrillic or Latin letters",
    "passport": (
        "check the number against the source (a Russian foreign passport number has 9 digits)"
    ),
    "origin": _PLACE_FIX,
    "destination": _PLACE_FIX,
    "departure_date": _TIME_FIX,
    "arrival_date": _TIME_FIX,
    "departure_given": "check the export's times (whole Unix seconds, UTC)",
    "arrival_given": "check the export's times (whole Unix seconds, UTC)",
    "order": "check the departure and arrival times and their places' time zones",
    "speed": "check the leg's places and times: one of them is probably wrong",
}
_OTHER_FIX = "check the value against the source"


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class LegsResult:
    """Canonical legs and their problems, computed once.

    Attributes
    ----------
    legs : DataFrame
        One row per input row (:data:`LEG_COLUMNS` + extras), index ``row``.
    problems : DataFrame
        One row per (leg, reason): the long-form table of
        :mod:`osint_kit.problems` (file = source_file, row = the leg's row,
        column = the input column the reason is about, value as read,
        problem, fix, severity ``warning``, action ``kept``: no leg is ever
        dropped).  A leg's rows are in the order of its ``problem`` text.
    rows_in : int
        Rows read (= ``len(legs)``).
    """

    legs: pd.DataFrame
    problems: pd.DataFrame
    rows_in: int

    def __iter__(self) -> Iterator[pd.DataFrame]:
        """``legs, problems = result``."""
        return iter((self.legs, self.problems))

    def check(self) -> LegsResult:
        """Raise AssertionError if an invariant is broken; return self.

        Rows in = legs out (none is rejected); the problems table has the
        model's columns, every reason is kept, and the legs with a
        ``problem`` text are exactly those with problem rows."""
        assert len(self.legs) == self.rows_in, f"{self.rows_in} rows in, {len(self.legs)} legs out"
        assert tuple(self.problems.columns) == PROBLEM_COLUMNS, list(self.problems.columns)
        assert self.problems["action"].eq("kept").all(), "a leg is never rejected"
        flagged = int(self.legs["problem"].notna().sum())
        with_rows = int(self.problems[["file", "row"]].drop_duplicates().shape[0])
        assert flagged == with_rows, (
            f"{flagged} legs with a problem text, {with_rows} with problem rows"
        )
        return self

    def counts(self) -> dict[str, int]:
        """rows_in, legs, legs_with_problems, problems (reasons)."""
        return {
            "rows_in": self.rows_in,
            "legs": len(self.legs),
            "legs_with_problems": int(self.legs["problem"].notna().sum()),
            "problems": len(self.problems),
        }


def case_legs(case: Case, *, gazetteer: Any = None) -> LegsResult:
    """Canonical legs of a case's ``travel.csv`` (same index, ``row``)."""
    travel = case.travel.copy()
    derived = [c for c in travel.columns if c.startswith("departure_")]
    travel = travel.drop(columns=derived)
    return normalise_legs(travel, source_file="travel.csv", gazetteer=gazetteer, case=case)


# --------------------------------------------------------------------------- normalising


def normalise_legs(
    frame: pd.DataFrame,
    *,
    source_file: str | None = None,
    record_kind: str | None = None,
    source_id: str | None = None,
    gazetteer: Any = None,
    case: Case | None = None,
    empty_place_problem: str | None = None,
    empty_departure_problem: str | None = None,
    reader_problems: Mapping[str, pd.Series] | None = None,
    reader_columns: Mapping[str, tuple[str | None, pd.Series | None]] | None = None,
) -> LegsResult:
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
    ``reader_columns`` says, per reader key, which input column (and values
    as read) the reason is about, for the problems table.

    An id or code holding a hidden character (a BOM, a zero-width space, a
    bidirectional override, NUL: :func:`osint_kit.text.hidden_characters`)
    in record_id, person_ref, flight, carrier, origin, destination or
    source_id is flagged and kept as written; place names may hold a
    zero-width (non-)joiner inside a Persian or Arabic word.
    """
    inp = _Input(frame)
    found = _Reasons()
    given = dict(reader_problems or {})
    time_reasons: dict[str, pd.Series] = {
        w: given.pop(w) for w in ("departure", "arrival") if w in given
    }
    about = dict(reader_columns or {})
    for key, reasons in given.items():
        found.put(key, reasons, about.get(key))
    out = pd.DataFrame(index=frame.index)
    _ids(inp, out, found, source_file, record_kind)
    _people(inp, out, found)
    _documents(inp, out, found)
    _flights(inp, out, found)
    ends = _places(inp, out, found, gazetteer, case, empty_place_problem, about)
    _times(inp, out, found, time_reasons, about, empty_departure_problem)
    _distances(out, found, ends)
    out["source_id"] = inp.col("source_id").fillna(source_id) if source_id else inp.col("source_id")
    out["source_file"] = pd.Series(source_file, index=frame.index, dtype="string")
    out["problem"] = join_problems(found.by_key, frame.index)
    problems = _problems_table(found, frame.index, source_file)
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = _categorical_to_string(out[c])
    extras = [
        c
        for c in frame.columns
        if c not in out.columns and c not in _CONSUMED and not c.endswith("_utc")
    ]
    for c in extras:
        out[c] = frame[c]
    out.index.name = frame.index.name or "row"
    return LegsResult(out[LEG_COLUMNS + extras], problems, rows_in=len(frame)).check()


class _Input:
    """The input frame, and its columns cleaned once each (stripped, "" -> NA)
    as Categoricals, so the steps factorize integer codes only."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.index = frame.index
        self._cleaned: dict[str, pd.Series] = {}

    def has(self, name: str) -> bool:
        return name in self.frame.columns

    def col(self, name: str) -> pd.Series:
        if not self.has(name):
            return pd.Series(pd.NA, index=self.index, dtype="string")
        if name not in self._cleaned:
            self._cleaned[name] = _clean_categorical(self.frame[name])
        return self._cleaned[name]


#: What a reason is about: the input column and its values as read (a Series
#: on the legs' index, or a function of the flagged positions), or None.
_About = tuple[str | None, "pd.Series | Callable[[np.ndarray], Any] | None"]


class _Reasons:
    """The reasons found, one Series per key (Categorical or string on the
    legs' index, <NA> = none) in the order a leg's ``problem`` text shows
    them, and what each key is about (for the problems table)."""

    def __init__(self) -> None:
        self.by_key: dict[str, pd.Series] = {}
        self.about: dict[str, _About] = {}

    def put(self, key: str, reasons: pd.Series, about: _About | None = None) -> None:
        self.by_key[key] = reasons
        if about is not None or key not in self.about:
            self.about[key] = about or (None, None)


def _ids(
    inp: _Input,
    out: pd.DataFrame,
    found: _Reasons,
    source_file: str | None,
    record_kind: str | None,
) -> None:
    """record_id (made from the file and row when empty) and record_kind."""
    f, idx = inp.frame, inp.index
    written = (
        f["record_id"].astype("string").replace("", pd.NA)
        if inp.has("record_id")
        else pd.Series(pd.NA, index=idx, dtype="string")
    )
    if "record_id" not in found.by_key:  # (a reader that made the ids has checked their parts)
        found.put("record_id", _hidden(written, "record_id"), ("record_id", written))
    out["record_id"] = written
    no_id = written.isna()
    if no_id.any():
        rows = pd.Series(idx[no_id.to_numpy()], dtype="string")
        out.loc[no_id, "record_id"] = (f"{source_file or 'row'}:" + rows).to_numpy()
    kind = (
        _on_distinct(inp.col("record_kind"), lambda u: u.str.casefold())
        if inp.has("record_kind")
        else pd.Series(pd.NA, index=idx, dtype="string")
    )
    out["record_kind"] = kind.fillna(record_kind) if record_kind else kind


def _people(inp: _Input, out: pd.DataFrame, found: _Reasons) -> None:
    """person_ref, person_key and name_ascii, once per distinct (surname, given
    name) pair (:func:`osint_kit.analysis.names.person_keys_by_pair`)."""
    idx = inp.index
    sur, giv = inp.col("surname"), inp.col("given_name")
    full = inp.col("full_name") if inp.has("full_name") else None
    if full is not None:
        split = split_full_names(full)
        sur = sur.fillna(split["surname"])
        giv = giv.fillna(split["given_name"])
    pair, per_pair = person_keys_by_pair(sur, giv)
    person_key = pd.Series(per_pair["person_key"].array.take(pair), index=idx)
    out["person_ref"] = (
        inp.col("person_ref").fillna(person_key) if inp.has("person_ref") else person_key
    )
    out["person_key"] = person_key
    out["name_ascii"] = pd.Series(per_pair["name_ascii"].array.take(pair), index=idx)
    reason, reasons = pd.factorize(per_pair["name_problem"], use_na_sentinel=True)
    why = pd.Series(
        pd.Categorical.from_codes(
            np.append(reason, -1)[pair], categories=pd.Index(reasons, dtype="string")
        ),
        index=idx,
    )
    columns = [c for c in ("surname", "given_name", "full_name") if inp.has(c)]
    if columns:
        no_name = (sur.isna() & giv.isna()).to_numpy(dtype=bool)
        why = _with_reason(why, no_name, "passenger name is empty")

    def written(rows: np.ndarray) -> pd.Series:  # the name of the flagged rows only
        text = (
            sur.iloc[rows].astype("string").fillna("")
            + " "
            + giv.iloc[rows].astype("string").fillna("")
        ).str.strip()
        if full is not None:
            text = full.iloc[rows].astype("string").fillna(text)
        return text.where(text != "")

    found.put("name", why, (", ".join(columns) or None, written))


def _documents(inp: _Input, out: pd.DataFrame, found: _Reasons) -> None:
    """passport_* columns, classified once per distinct cleaned number
    (:func:`osint_kit.analysis.documents.classify_distinct`); the number
    itself is never carried over (the problems show it masked)."""
    idx = inp.index
    if not inp.has("passport"):
        for c, dt in (
            ("passport_kind", "string"),
            ("passport_official", "boolean"),
            ("passport_masked", "string"),
            ("passport_hash", "string"),
        ):
            out[c] = pd.Series(pd.NA, index=idx, dtype=dt)
        return
    numbers = inp.col("passport")
    docs = classify_distinct(numbers.cat.categories)
    at = numbers.cat.codes.to_numpy()
    for c in ("passport_kind", "passport_official", "passport_masked", "passport_hash"):
        out[c] = pd.Series(docs[c].array.take(at, allow_fill=True), index=idx)
    reason, reasons = pd.factorize(docs["passport_problem"], use_na_sentinel=True)
    found.put(
        "passport",
        pd.Series(
            pd.Categorical.from_codes(
                np.append(reason, -1)[at], categories=pd.Index(reasons, dtype="string")
            ),
            index=idx,
        ),
        ("passport", out["passport_masked"]),
    )


def _flights(inp: _Input, out: pd.DataFrame, found: _Reasons) -> None:
    """flight (upper case, no spaces) and carrier; hidden characters in the ids."""
    out["flight"] = _on_distinct(
        inp.col("flight"), lambda u: u.str.upper().str.replace(r"\s+", "", regex=True)
    )
    out["carrier"] = inp.col("carrier")
    for name in ("person_ref", "flight", "carrier", "source_id"):
        if inp.has(name):
            found.put(name, _hidden(inp.col(name), name), (name, inp.col(name)))


def _places(
    inp: _Input,
    out: pd.DataFrame,
    found: _Reasons,
    gazetteer: Any,
    case: Case | None,
    empty_place_problem: str | None,
    about: Mapping[str, _About],
) -> dict[str, tuple[np.ndarray, pd.Series, pd.DataFrame]]:
    """origin_* and destination_* columns, every distinct text of both resolved
    in one look-up; returns the endpoints (for the distances)."""
    texts = {which: inp.col(which) for which in ("origin", "destination")}
    ends = _resolve_endpoints(texts, gazetteer, case)
    for which, text in texts.items():
        out[which] = text
        ep = _endpoint(inp.index, which, *ends[which])
        # a look-alike code first, whatever the look-up found for it
        written = about.get(which, (which, text))
        found.put(f"{which}_hidden", _hidden(text, which, words=True), written)
        why = ep.pop(f"{which}_problem")  # a Categorical
        if empty_place_problem:
            word = "departure" if which == "origin" else "arrival"
            why = _with_reason(
                why, text.isna().to_numpy(dtype=bool), empty_place_problem.format(which=word)
            )
        found.put(which, why, written)
        for c, values in ep.items():
            out[c] = values
    return ends


def _times(
    inp: _Input,
    out: pd.DataFrame,
    found: _Reasons,
    time_reasons: Mapping[str, pd.Series],
    about: Mapping[str, _About],
    empty_departure_problem: str | None,
) -> None:
    """departure/arrival _utc and _local, date_precision.  Texts go through
    :func:`osint_kit.analysis.dates.parse_local_times` (both columns at once);
    given UTC instants (``*_utc`` columns) are taken as they are."""
    f = inp.frame
    texts = {w: _time_text(inp, w) for w in ("departure", "arrival") if f"{w}_utc" not in f}
    parsed_all = parse_local_times(texts)
    for which, place in (("departure", "origin"), ("arrival", "destination")):
        tz = out[f"{place}_tz"]
        if which in texts:
            parsed = parsed_all[which]
            utc, prec = _localised(parsed, out, found, which, place, empty_departure_problem)
            column = which + (f", {which}_time" if inp.has(f"{which}_time") else "")
            found.about[f"{which}_date"] = (column, texts[which])
            # a date, or a wall-clock time as written: local as given, even when the
            # place (and so its time zone) is unknown; only the others are converted
            as_written = parsed["naive"] | prec.isin(["day", "month", "year", "range"]).fillna(
                False
            )
            local = to_local(utc.where(~as_written), tz)
            local = local.where(~as_written, parsed["start"].dt.tz_localize(None))
        else:
            utc, prec = _given_utc(
                inp,
                found,
                which,
                time_reasons.get(which),
                about.get(which, (f"{which}_utc", f[f"{which}_utc"])),
                empty_departure_problem,
            )
            local = to_local(utc, tz)
        out[f"{which}_utc"] = utc
        out[f"{which}_local"] = local
        if which == "departure":
            out["date_precision"] = prec


def _time_text(inp: _Input, which: str) -> pd.Series:
    """The date text of ``which``, with its separate time column appended."""
    f = inp.frame
    text = (
        f[which].astype("string")
        if which in f.columns
        else pd.Series(pd.NA, index=inp.index, dtype="string")
    )
    if inp.has(f"{which}_time"):
        t = inp.col(f"{which}_time")
        text = text.where(t.isna(), text.str.strip() + " " + t.astype("string"))
    return text


def _localised(
    parsed: pd.DataFrame,
    out: pd.DataFrame,
    found: _Reasons,
    which: str,
    place: str,
    empty_departure_problem: str | None,
) -> tuple[pd.Series, pd.Series]:
    """Parsed texts -> UTC instants and precision: naive date-times localised at
    the place's zone; the problems of ``{which}_date`` (unreadable, no zone,
    a daylight-saving gap or overlap, empty)."""
    tz = out[f"{place}_tz"]
    as_given = ~parsed["naive"] | parsed["precision"].ne("datetime")
    # only naive date-times are localised; the rest keep their start
    local_utc = localise(parsed["start"].where(~as_given), tz)
    utc = parsed["start"].where(as_given, local_utc)
    prec = parsed["precision"]
    no_tz = (
        parsed["naive"]
        & prec.eq("datetime").fillna(False)
        & tz.isna()
        & out[f"{place}_lat"].notna()
    )  # an unknown place is reported already
    why = _with_reason(
        parsed["problem"],
        no_tz.to_numpy(dtype=bool),
        f"time zone of the {place} unknown: the {which} time cannot be put in UTC",
    )
    # a wall time in a daylight-saving gap or overlap has no (single) instant
    dst = np.flatnonzero(
        (~as_given & parsed["start"].notna() & tz.notna() & local_utc.isna()).to_numpy(dtype=bool)
    )
    if len(dst):
        reasons, which_reason = dst_problems(parsed["start"].iloc[dst], tz.iloc[dst], which)
        why = _with_reasons(why, dst, reasons, which_reason)
    if which == "departure" and empty_departure_problem:
        # no date and no reason: the text was empty (or blank)
        empty = (parsed["start"].isna() & parsed["problem"].isna()).to_numpy(dtype=bool)
        why = _with_reason(why, empty, empty_departure_problem)
    found.put(f"{which}_date", why)
    return utc.astype("datetime64[us, UTC]"), prec


def _given_utc(
    inp: _Input,
    found: _Reasons,
    which: str,
    why: pd.Series | None,
    about: _About,
    empty_departure_problem: str | None,
) -> tuple[pd.Series, pd.Series]:
    """A ``{which}_utc`` column as it is (a datetime where given), with the
    reader's reasons for the unknown ones (``{which}_given``)."""
    idx = inp.index
    utc = pd.to_datetime(inp.frame[f"{which}_utc"], utc=True).astype("datetime64[us, UTC]")
    prec = pd.Series(
        pd.Categorical.from_codes(
            np.where(utc.notna(), 1, -1), categories=pd.Index(TIME_PRECISIONS, dtype="string")
        ),
        index=idx,
    )
    explained = (
        why.notna().to_numpy(dtype=bool) if why is not None else np.zeros(len(idx), dtype=bool)
    )
    if which == "departure" and empty_departure_problem:
        found.put(
            f"{which}_date",
            pd.Series(
                pd.Categorical.from_codes(
                    np.where(utc.isna() & ~explained, 0, -1),
                    categories=pd.Index([empty_departure_problem], dtype="string"),
                ),
                index=idx,
            ),
            about,
        )
    if why is not None:
        found.put(f"{which}_given", why, about)
    return utc, prec


def _distances(
    out: pd.DataFrame,
    found: _Reasons,
    ends: Mapping[str, tuple[np.ndarray, pd.Series, pd.DataFrame]],
) -> None:
    """distance_km, duration_h, plausible_duration_h, speed_kmh; an arrival not
    after the departure and an impossible speed are problems."""
    idx = out.index
    km = _pair_km(
        ends["origin"][0], ends["origin"][2], ends["destination"][0], ends["destination"][2]
    )
    out["distance_km"] = km
    both = out["date_precision"].eq("datetime").fillna(False) & out["arrival_utc"].notna()
    # hours between the instants, as Timedelta.total_seconds() / 3600 computes them
    arr_us = out["arrival_utc"].to_numpy(dtype="M8[us]").view(np.int64)
    dep_us = out["departure_utc"].to_numpy(dtype="M8[us]").view(np.int64)
    gap = np.where((arr_us == NAT_US) | (dep_us == NAT_US), np.nan, (arr_us - dep_us) / 1e6)
    dur = pd.Series(gap / 3600.0, index=idx)
    out["duration_h"] = dur.where(both).astype("float64")
    out["plausible_duration_h"] = km / CRUISE_KMH + OVERHEAD_H
    speed = km / out["duration_h"]
    out["speed_kmh"] = speed.where(out["duration_h"] > 0).astype("float64")
    times = ("departure, arrival", None)
    found.put(
        "order",
        pd.Series(
            pd.Categorical.from_codes(
                np.where(out["duration_h"] <= 0, 0, -1),
                categories=pd.Index(["arrival is not after departure"], dtype="string"),
            ),
            index=idx,
        ),
        times,
    )
    too_fast = (out["speed_kmh"] > MAX_SPEED_KMH).to_numpy()
    # the message is built for the flagged rows only, once per distinct speed
    kmh = out["speed_kmh"][too_fast].round(0).astype("Int64").astype("string")
    speed_codes = np.full(len(idx), -1, dtype=np.int64)
    speed_codes[too_fast], speeds = pd.factorize(kmh)
    found.put(
        "speed",
        pd.Series(
            pd.Categorical.from_codes(
                speed_codes,
                categories=pd.Index(
                    "impossible speed: "
                    + pd.Series(speeds, dtype="string")
                    + f" km/h over the leg (> {MAX_SPEED_KMH:.0f} km/h)",
                    dtype="string",
                ),
            ),
            index=idx,
        ),
        ("origin, destination, departure, arrival", None),
    )


# --------------------------------------------------------------------------- problems


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Reasons (Categorical or string Series) as integer codes (-1 = none) and
    their distinct texts."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array.codes, values.cat.categories.to_numpy(dtype=object)
    c, u = pd.factorize(values, use_na_sentinel=True)
    return c, np.asarray(u, dtype=object)


def join_problems(problems: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    """Row-wise :data:`PROBLEM_SEP`-join of the non-NA reasons, in the mapping's
    order, as a Categorical (<NA> where a row has none): the legs' ``problem``
    display column.

    Values are Categorical (or string) Series on ``index``.  The flagged rows
    are reduced to their combination of reason codes; each distinct
    combination is joined once and taken back to its rows (the plain
    row-by-row version is in tests/test_fastpaths.py)."""
    codes, labels = zip(*map(_codes, problems.values())) if problems else ((), ())
    out = np.full(len(index), -1, dtype=np.int64)
    flagged = np.zeros(len(index), dtype=bool)
    for c in codes:
        flagged |= c >= 0
    rows = np.flatnonzero(flagged)
    reasons = pd.Index([], dtype="string")
    if len(rows):
        combos = pd.MultiIndex.from_arrays([np.asarray(c[rows], dtype=np.int64) for c in codes])
        inverse, distinct = combos.factorize()
        texts = [
            PROBLEM_SEP.join(str(labels[j][k]) for j, k in enumerate(combo) if k >= 0)
            for combo in distinct
        ]  # once per distinct combination
        text_codes, uniques = pd.factorize(pd.Series(texts, dtype="string"))
        out[rows] = text_codes[inverse]
        reasons = pd.Index(uniques, dtype="string")
    return pd.Series(pd.Categorical.from_codes(out, categories=reasons), index=index)


def _problems_table(found: _Reasons, index: pd.Index, source_file: str | None) -> pd.DataFrame:
    """The long-form problems (:mod:`osint_kit.problems`), one row per (leg,
    reason), built from the per-key codes: a leg's rows in the order of its
    ``problem`` text."""
    if pd.api.types.is_integer_dtype(index.dtype):
        row_of = index.to_numpy(dtype=np.int64)
    else:  # a frame without spreadsheet row numbers: position + 2 (header = 1)
        row_of = np.arange(len(index), dtype=np.int64) + 2
    parts = []
    for key, values in found.by_key.items():
        codes, labels = _codes(values)
        rows = np.flatnonzero(codes >= 0)
        if not len(rows):
            continue
        column, written = found.about.get(key, (None, None))
        if written is None:
            value = np.full(len(rows), None, dtype=object)
        elif callable(written):
            value = np.asarray(written(rows).to_numpy(dtype=object, na_value=None))
        else:
            value = written.iloc[rows].astype("string").to_numpy(dtype=object, na_value=None)
        parts.append(
            pd.DataFrame(
                {
                    "at": rows,
                    "column": column,
                    "value": value,
                    "problem": labels[codes[rows]],
                    "fix": FIXES.get(key, _OTHER_FIX),
                }
            )
        )
    if not parts:
        return empty_problems()
    long = pd.concat(parts, ignore_index=True)
    long = long.iloc[np.argsort(long["at"].to_numpy(), kind="stable")]
    return problem_rows(
        source_file,
        row_of[long["at"].to_numpy()],
        long["column"].to_numpy(),
        long["value"].to_numpy(),
        long["problem"].to_numpy(),
        long["fix"].to_numpy(),
        severity="warning",
        action="kept",
    )


# --------------------------------------------------------------------------- helpers


def _on_distinct(values: pd.Series, func) -> pd.Series:
    """Apply a string transformation to each distinct value once and map back
    (``func`` takes and returns a string Series; NA stays NA)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    done = func(pd.Series(uniques, dtype="string")).astype("string")
    return pd.Series(done.array.take(codes, allow_fill=True), index=values.index, dtype="string")


def _hidden(values: pd.Series, column: str, *, words: bool = False) -> pd.Series:
    """Why an id or code in ``values`` looks like another one (a hidden
    character, :func:`osint_kit.text.hidden_character_problems`), as a
    ``string`` Series (<NA> when clean); a Categorical is checked once per
    category."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        reasons = hidden_character_problems(
            pd.Series(cats.to_numpy(dtype=object)), column, words=words
        )
        if reasons.isna().all():
            return pd.Series(pd.NA, index=values.index, dtype="string")
        return pd.Series(
            reasons.array.take(values.cat.codes.to_numpy(), allow_fill=True), index=values.index
        )
    return hidden_character_problems(values, column, words=words)


def _clean(u: pd.Series) -> pd.Series:
    u = u.str.strip()
    return u.where(u != "")


def _categorical_to_string(values: pd.Series) -> pd.Series:
    """Categorical -> string dtype by taking from the (few) categories: no
    per-row validation of a million Python strings."""
    cats = pd.array(values.cat.categories.to_numpy(dtype=object), dtype="string")
    return pd.Series(
        cats.take(values.cat.codes.to_numpy(), allow_fill=True),
        index=values.index,
        name=values.name,
    )


def _with_reason(values: pd.Series, mask: np.ndarray, reason: str) -> pd.Series:
    """Categorical ``values`` with ``reason`` put where ``mask`` is true."""
    rows = np.flatnonzero(mask)
    return _with_reasons(values, rows, [reason], np.zeros(len(rows), dtype=np.int64))


def _with_reasons(
    values: pd.Series, rows: np.ndarray, reasons: Sequence[str], which: np.ndarray
) -> pd.Series:
    """Categorical ``values`` with ``reasons[which[i]]`` put at position ``rows[i]``
    (``reasons``: distinct texts; ``which``: an index into them per row)."""
    if not len(rows):
        return values
    new = pd.Index(list(reasons), dtype="string")
    merged = values.cat.categories.append(new).unique()
    codes = values.cat.codes.to_numpy().copy()
    codes[rows] = merged.get_indexer(new)[which]
    return pd.Series(pd.Categorical.from_codes(codes, categories=merged), index=values.index)


def _clean_categorical(values: pd.Series) -> pd.Series:
    """Stripped text ("" -> NA) as a Categorical: one pass over the rows."""
    raw = values.to_numpy(dtype=object) if isinstance(values.dtype, pd.StringDtype) else values
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)  # hashing plain objects is cheaper
    cleaned = _clean(pd.Series(uniques, dtype="string"))
    c2, cats = pd.factorize(cleaned, use_na_sentinel=True)
    final = np.append(c2, -1)[codes]  # code -1 takes the appended -1
    cat = pd.Categorical.from_codes(final, categories=pd.Index(cats, dtype="string"))
    return pd.Series(cat, index=values.index)


def _airport_cities(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """City of the airportsdata IATA airport within 2 km of each point (or None)."""

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
        table = pd.array(
            np.append(values.to_numpy(dtype=object, na_value=None), None),  # type: ignore[call-overload]  # numpy stubs: no overload takes None as values
            dtype="string",
        )
        return pd.Series(table.take(codes))
    vc, vu = pd.factorize(values.astype("string"), use_na_sentinel=True)
    final = np.append(vc, -1)[codes]  # code -1 takes the appended -1
    return pd.Series(pd.Categorical.from_codes(final, categories=pd.Index(vu, dtype="string")))


def _resolve_endpoints(
    texts: Mapping[str, pd.Series], gazetteer, case
) -> dict[str, tuple[np.ndarray, pd.Series, pd.DataFrame]]:
    """The distinct texts of every endpoint column, resolved in one
    :func:`~osint_kit.analysis.places.resolve_places` call (a look-up depends on the
    text alone).  Returns, per column: codes (one per row, -1 = empty), the
    distinct texts and their resolution (one row each)."""

    parts = {}
    for which, text in texts.items():
        codes, uniques = pd.factorize(text, use_na_sentinel=True)
        parts[which] = (codes, pd.Series(uniques, dtype="string"))
    everything = pd.concat([u for _, u in parts.values()], ignore_index=True)
    resolved = resolve_places(everything, gazetteer, case=case)
    out, start = {}, 0
    for which, (codes, u) in parts.items():
        res = resolved.iloc[start : start + len(u)].reset_index(drop=True)
        out[which] = (codes, u, res)
        start += len(u)
    return out


def _endpoint(
    index: pd.Index, prefix: str, codes: np.ndarray, u: pd.Series, res: pd.DataFrame
) -> dict[str, pd.Series]:
    """One endpoint's columns (``{prefix}_code`` ... ``{prefix}_problem``),
    derived once per distinct text ``u`` (resolved as ``res``) and expanded to
    the rows by ``codes``."""
    upper = u.str.strip().str.upper()
    code = upper.where(upper.str.fullmatch(r"[A-Z]{3}|[A-Z]{4}").fillna(False) & res["lat"].notna())
    # the city a trip is grouped by: a city-precision place is its own city;
    # an airport gives airportsdata's city (never the reverse)
    city = _airport_cities(res["lat"].to_numpy(dtype=float), res["lon"].to_numpy(dtype=float))
    names = res["matched_name"].to_numpy(dtype=object)
    city = np.where(res["precision"].eq("city").fillna(False).to_numpy(dtype=bool), names, city)
    city = np.where(pd.isna(city), names, city)
    cols = {
        f"{prefix}_code": code,
        f"{prefix}_name": res["matched_name"],
        f"{prefix}_place_id": res["place_id"],
        f"{prefix}_city": pd.Series(city, dtype="string"),
    }
    for f in ("lat", "lon", "tz", "precision", "radius_km", "gazetteer", "problem"):
        cols[f"{prefix}_{f}"] = res[f]
    out = {}
    for k, v in cols.items():
        # time zones and problems are used as Categoricals later; the rest is output only
        out[k] = _expand(v, codes, text=not k.endswith(("_tz", "_problem")))
        out[k].index = index
    return out


def _pair_km(
    codes1: np.ndarray, res1: pd.DataFrame, codes2: np.ndarray, res2: pd.DataFrame
) -> np.ndarray:
    """Geodesic km once per distinct (origin text, destination text) pair that
    occurs, from the endpoint codes (-1 = empty) and their resolutions."""

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


# --------------------------------------------------------------------------- views

_KIND_ORDER = ["booking", "manifest", "flight_list"]  # display order
_KIND_STRENGTH = ["manifest", "flight_list", "booking"]  # what the best record shows
_KIND_MEANS = {
    "manifest": "boarding (manifest)",
    "flight_list": "flight observed (tracking)",
    "booking": "intent (booking)",
}


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
    key = pd.DataFrame(
        {
            "trip_date": df["departure_local"]
            .dt.normalize()
            .dt.date.astype("string")
            .fillna("unknown"),
            "origin_city": df["origin_city"].fillna(df["origin"]).fillna("unknown"),
            "destination_city": df["destination_city"].fillna(df["destination"]).fillna("unknown"),
        }
    )
    g = pd.concat([key, df[["record_kind", "record_id", "person_ref", "source_id"]]], axis=1)
    counts = pd.crosstab(
        [g["trip_date"], g["origin_city"], g["destination_city"]],
        g["record_kind"].fillna("unknown"),
    )
    kinds = [k for k in _KIND_ORDER if k in counts.columns] + sorted(
        c for c in counts.columns if c not in _KIND_ORDER
    )
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
        lambda r: next(
            (_KIND_MEANS[k] for k in _KIND_STRENGTH if r.get(k)),
            next((k for k in kinds if r[k]), "none"),
        ),
        axis=1,
    )
    out.columns.name = None
    return out.reset_index()
