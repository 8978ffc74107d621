"""Free-text dates to UTC intervals with a precision.

Sources write dates in many ways ("2024-04-24", "24.04.2024", "Sept. 2024",
"13–14 April 2024", "24 апреля 2024"). The kit turns each into an interval:

========================  =========================================================
column                    meaning
========================  =========================================================
``date_start``            first instant covered, ``datetime64[us, UTC]``
``date_end``              INCLUSIVE end: midnight UTC of the last day covered
                          (a datetime: the instant itself), ``datetime64[us, UTC]``
``date_precision``        ``datetime`` | ``day`` | ``month`` | ``year`` | ``range``
                          (``string`` dtype; ``<NA>`` when empty or not parsed)
``date_problem``          why the text could not be read and how to fix it
                          (``string`` dtype; ``<NA>`` when fine)
========================  =========================================================

A drawn span is therefore ``[date_start, date_end + 1 day)`` unless the
precision is ``datetime``.

Rules (each pinned by ``tests/test_dates.py``):

* ISO 8601 datetimes with an offset (``2024-04-13T23:30:00+03:30``) are
  converted to UTC; a datetime without an offset is taken as UTC.
* A month ("January 2024", "2024-01", "Sept. 2024", "апрель 2024",
  "сентября 2024 г.") is the whole month, never its first day; a year the
  whole year.
* Ranges: "2024-04-13/2024-04-14", "13–14 April 2024", "April 13-14, 2024",
  "13 April – 2 May 2024", "April–June 2024", "2024-04/2024-06" (runs to the
  end of June). An end before its start is a problem.
* Dotted numeric dates are day first (``24.04.2024``), as in Europe and Russia;
  with a time (``24.04.2024 10:35``, optionally an offset) they are read like
  the ISO datetimes above.
* Slashed numeric dates: when both numbers are 12 or less and differ
  (``03/04/2024``) the date is ambiguous and reported, never guessed. When one
  number is above 12 only one reading is a calendar date, so it is accepted
  (``24/04/2024`` and ``04/24/2024`` are both 24 April 2024).
* Invalid calendar dates (``2024-02-30``, month 13) are problems.
* Persian, Arabic-Indic and fullwidth digits read as ASCII digits
  (``۲۰۲۴-۰۴-۲۴`` is 24 April 2024).  Written in those digits, a year of
  1300-1499 is almost surely Hijri (``۱۴۰۳`` = 2024/25 in Iran's Solar Hijri
  calendar): it is a problem with both readings, never converted.
* Empty or whitespace-only text is unknown: NaT, NaT, <NA>, <NA> (kept, no problem).
* A text longer than :data:`MAX_DATE_CHARS` (200) characters is not a date: a
  problem naming its length, without running the parsers on it (a 131,089-character
  "date" field in an export must not stall a reader).

* Texts these rules cannot read are tried as date phrases ("before May 2024",
  "early 2024", "Q3 2024", "last year", "on Tuesday", "в прошлом году"):
  intervals with a documented convention, relative to the source's publication
  date (``reference=``); see :mod:`osint_kit.analysis.date_phrases`.

Vectorised: the distinct stripped texts are found once (``pd.factorize``),
a fixed cascade of regular expressions and explicit-format parsers runs over
the distinct values only, and the results are mapped back to every row.

Layout: the month names, digit table, messages and the rule cascade
(:func:`~osint_kit.analysis.date_parts.parse_distinct`) live in
:mod:`osint_kit.analysis.date_parts`, below both this module and
:mod:`~osint_kit.analysis.date_phrases`; each imports only downward.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from osint_kit.analysis.date_parts import MAX_DATE_CHARS, MONTHS, parse_distinct
from osint_kit.analysis.date_phrases import phrases_for_unread
from osint_kit.errors import DateParseError, OsintKitError

__all__ = [
    "parse_dates",
    "add_dates",
    "parse_local_times",
    "fast_times",
    "PRECISIONS",
    "TIME_PRECISIONS",
    "MONTHS",
    "MAX_DATE_CHARS",
]

PRECISIONS = ("datetime", "day", "month", "year", "range")
DATE_COLUMNS = ("start", "end", "precision", "problem")


def parse_dates(
    values: pd.Series | Sequence[str], *, strict: bool = False, reference=None
) -> pd.DataFrame:
    """Parse free-text dates into UTC intervals with a precision.

    Parameters
    ----------
    values : Series or sequence of str
        Date texts; missing values and blank strings mean "unknown".
    strict : bool
        Raise :class:`~osint_kit.errors.DateParseError` listing every text that
        cannot be read (value, row label, reason and fix) instead of returning
        the problems in ``date_problem``.
    reference : Series, scalar or None
        The source's publication date for each value (aligned Series or one
        date), for phrases relative to it ("last year", "on Tuesday", "mid-
        September"): see :mod:`osint_kit.analysis.date_phrases`.

    Texts the rules above cannot read are tried as date phrases ("early 2024",
    "before May 2024", "Q3 2024", "в прошлом году"); a phrase it reads gets its
    interval, and ``date_problem`` is cleared or, when the interval is
    open-ended or needs the reference, says so (a kept warning).

    Returns
    -------
    DataFrame
        Same index as ``values`` (a default RangeIndex for a plain sequence),
        columns ``date_start``, ``date_end`` (``datetime64[us, UTC]``, end
        inclusive: midnight UTC of the last day covered, or the instant for a
        datetime), ``date_precision`` and ``date_problem`` (``string``).

    Examples
    --------
    >>> parse_dates(["January 2024"]).iloc[0, :3].tolist()  # doctest: +NORMALIZE_WHITESPACE
    [Timestamp('2024-01-01 00:00:00+0000', tz='UTC'),
     Timestamp('2024-01-31 00:00:00+0000', tz='UTC'), 'month']
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    # Distinct raw values first (cheap hashing), then strip those and find the
    # distinct stripped texts: " 2024" and "2024" are parsed once, together.
    raw_codes, raw_uniques = pd.factorize(series, use_na_sentinel=True)
    text = pd.Series(raw_uniques, dtype=object).astype("string").str.strip()
    text = text.mask(text == "")
    text_codes, uniques = pd.factorize(text, use_na_sentinel=True)
    codes = np.append(text_codes, -1)[raw_codes]  # raw NA (code -1) stays unknown
    s, e, p, q = parse_distinct(pd.Series(uniques, dtype="string"))
    # Build each column once over the distinct values (plus an "unknown" slot at the end
    # for missing input, code -1), then take() rows: no per-row validation or conversion.
    take = np.where(codes < 0, len(uniques), codes)

    def column(values, dtype):
        return pd.array(
            np.append(values, None if dtype == "string" else np.datetime64("NaT", "us")),
            dtype=dtype,
        ).take(take)

    out = pd.DataFrame(
        {
            "date_start": column(s, "datetime64[us]").tz_localize("UTC"),
            "date_end": column(e, "datetime64[us]").tz_localize("UTC"),
            "date_precision": column(p, "string"),
            "date_problem": column(q, "string"),
        },
        index=series.index,
    )
    # -- date phrases (analysis/date_phrases.py): only rows the rules above did not read
    unread = (out["date_precision"].isna() & out["date_problem"].notna()).to_numpy(dtype=bool)
    if unread.any():
        out = phrases_for_unread(out, series, unread, reference)
    # --
    if strict:
        bad = out["date_problem"].notna()
        if bad.any():
            lines = [
                f"row {label!r}: value {str(v)!r}: {why}"
                for label, v, why in zip(
                    out.index[bad], series[bad.to_numpy()], out.loc[bad, "date_problem"]
                )
            ]
            raise DateParseError(
                f"{len(lines)} date(s) cannot be read:\n" + "\n".join(f"  - {x}" for x in lines)
            )
    return out


def add_dates(
    df: pd.DataFrame,
    column: str = "date",
    prefix: str = "date",
    *,
    strict: bool = False,
    reference: str | pd.Series | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Return a copy of ``df`` with ``{prefix}_start/_end/_precision/_problem`` added.

    ``column`` holds the date text (see :func:`parse_dates` for the rules and
    column types). Existing columns of those names are replaced.
    ``reference`` is the publication date relative phrases ("last year") are
    read against: the name of a column of ``df`` (e.g. each claim's source
    ``published``), or what :func:`parse_dates` takes.

    >>> add_dates(pd.DataFrame({"published": ["2025-03"]}), "published", prefix="published").columns.tolist()
    ['published', 'published_start', 'published_end', 'published_precision', 'published_problem']
    """
    if column not in df.columns:
        raise OsintKitError(
            f"no column {column!r} to parse dates from; columns are {list(df.columns)}: "
            "pass column= naming the date column"
        )
    if isinstance(reference, str):
        if reference not in df.columns:
            raise OsintKitError(
                f"no column {reference!r} for the reference dates; columns are "
                f"{list(df.columns)}: pass reference= naming the publication-date column"
            )
        reference = df[reference]
    parsed = parse_dates(df[column], strict=strict, reference=reference)
    out = df.copy()
    for part in DATE_COLUMNS:
        out[f"{prefix}_{part}"] = parsed[f"date_{part}"]
    return out


# --------------------------------------------------------------------------- date-times

# Date-times of travel records (a date with a time of day, local wall time
# unless an offset is given).  The commonest machine formats go through a
# vectorised byte-level fast path over whole columns; everything else goes,
# once per distinct text, through the general path (the date part read by
# :func:`parse_dates`).  tests/test_fastpaths.py checks that the fast path
# agrees with the general path and with a plain ``datetime.strptime`` loop.

#: The precisions of :func:`parse_local_times`, in the order of their codes
#: (codes 0 and 1, day and datetime, are the ones the fast path gives).
TIME_PRECISIONS = ["day", "datetime", "month", "year", "range"]
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_TIME_SUFFIX = re.compile(
    r"^(?P<date>.*?\d)[ T,]+(?P<h>\d{1,2})[:.](?P<m>\d{2})(?::(?P<s>\d{2}))?$"
)


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


def fast_times(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The vectorised fast path of :func:`parse_local_times` for the commonest machine
    formats, whole column at once:
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


def _fast_times_block(
    raw: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    handled: np.ndarray,
    values: np.ndarray,
    has_time: np.ndarray,
) -> None:
    """:func:`fast_times` on one block of texts (byte offsets and lengths in
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
    timed = (
        (length >= 16) & (at(10, " ") | (at(10, "T") & iso)) & at(13, ":") & digits(11, 12, 14, 15)
    )
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
    seconds = (
        _days_from_civil(year[ok], month[ok], day[ok]) * 86400
        + hour[ok] * 3600
        + minute[ok] * 60
        + sec[ok]
    )
    handled[idx[ok]] = True
    values[idx[ok]] = seconds.astype("datetime64[s]")
    has_time[idx[ok]] = length[ok] >= 16


def parse_local_times(
    texts: Mapping[str, pd.Series], *, fast: bool = True
) -> dict[str, pd.DataFrame]:
    """Date/time texts (several columns) -> per column: start (UTC-labelled
    wall time, or a UTC instant when an offset is given), precision
    (Categorical of :data:`TIME_PRECISIONS`), problem, naive (a date-time
    without an offset: local wall time).
    The fast path for common machine formats (:func:`fast_times`) runs on
    each whole column (cheaper than hashing many distinct date-times); the
    rest of all columns goes together, once per distinct text, through the
    general path.  ``fast=False`` sends every text through the general path
    (the same result, slower: tests/test_fastpaths.py checks it).  Results
    are assembled as integer arrays, never as per-row objects."""
    parts = {}
    for which, text in texts.items():
        if fast:
            handled, values, has_time = fast_times(text)
        else:
            handled = np.zeros(len(text), dtype=bool)
            values = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[s]")
            has_time = handled
        parts[which] = {
            "start": values.astype("M8[us]").view(np.int64),
            "prec": np.where(handled, has_time.astype(np.int8), np.int8(-1)),
            "naive": handled & has_time,  # a date-time without an offset
            "problem": np.full(len(text), -1, dtype=np.int64),  # codes into reasons
            "rest": np.flatnonzero(~handled),
        }
    reasons = pd.Index([], dtype="string")
    rest_texts = [texts[w].iloc[p["rest"]] for w, p in parts.items() if len(p["rest"])]
    if rest_texts:
        slow = _parse_distinct_times(pd.concat(rest_texts, ignore_index=True))
        start = slow["start"].dt.tz_localize(None).to_numpy(dtype="M8[us]").view(np.int64)
        prec = pd.Categorical(slow["precision"].astype(object), categories=TIME_PRECISIONS).codes
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
        out[which] = pd.DataFrame(
            {
                "start": pd.Series(
                    pd.DatetimeIndex(p["start"].view("M8[us]")).tz_localize("UTC"), index=index
                ),
                "precision": pd.Series(
                    pd.Categorical.from_codes(
                        p["prec"], categories=pd.Index(TIME_PRECISIONS, dtype="string")
                    ),
                    index=index,
                ),
                "problem": pd.Series(
                    pd.Categorical.from_codes(p["problem"], categories=reasons), index=index
                ),
                "naive": p["naive"],
            },
            index=index,
            copy=False,
        )
    return out


def _parse_distinct_times(text: pd.Series) -> pd.DataFrame:
    """General path, once per distinct text: start (UTC-labelled wall time, or
    the UTC instant when an offset is given), precision, problem, naive."""
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
            offset_given.append(x is not None and _OFFSET.search(x) is not None)
    second_arr = np.asarray(seconds)
    has_time = second_arr >= 0
    dcodes, dparts = pd.factorize(pd.Series(date_part, dtype="string"), use_na_sentinel=True)
    dparsed = parse_dates(pd.Series(dparts, dtype="string"))
    parsed = dparsed.reset_index(drop=True).reindex(dcodes)
    parsed.index = range(len(raw))
    start = parsed["date_start"]
    offset = pd.to_timedelta(np.where(has_time, second_arr, 0), unit="s")
    day_ok = has_time & parsed["date_precision"].eq("day").fillna(False).to_numpy(dtype=bool)
    start = start.where(~day_ok, start + offset)
    precision = parsed["date_precision"].astype("string").where(~day_ok, "datetime")
    bad_time = has_time & parsed["date_precision"].notna().to_numpy(dtype=bool) & ~day_ok
    problem = parsed["date_problem"].astype("string")
    if bad_time.any():
        problem[bad_time] = [
            "a time of day is given with a date that is not a single day: " + str(c)
            for c in np.asarray(clean, dtype=object)[bad_time]
        ]
    bad_clock = second_arr == -2
    if bad_clock.any():
        start = start.where(~bad_clock)
        precision = precision.where(~bad_clock)
        problem[bad_clock] = [
            f"time of day out of range in {c!r} (hours 0-23, minutes and seconds 0-59; "
            "24:00 and leap seconds are not read): write e.g. 24.04.2024 10:35"
            for c in np.asarray(clean, dtype=object)[bad_clock]
        ]  # distinct bad texts only
    problem = problem.str.replace("unrecognised date", "unrecognised date/time", regex=False)
    naive = day_ok | (
        precision.eq("datetime").fillna(False).to_numpy(dtype=bool)
        & ~np.asarray(offset_given, dtype=bool)
    )
    table = pd.DataFrame(
        {"start": start, "precision": precision, "problem": problem, "naive": naive}
    )
    out = table.reindex(codes)
    out.index = text.index
    out["naive"] = out["naive"].fillna(False).astype(bool)
    return out
