"""The parts both date readers share: month names, digits, the rule cascade.

:mod:`osint_kit.analysis.dates` (:func:`~osint_kit.analysis.dates.parse_dates`,
the public entry point, whose docstring lists the rules) and
:mod:`osint_kit.analysis.date_phrases` ("early 2024", "before May 2024", "last
year") both read dates; what they share lives here, below both, so that each
imports only downward (``date_parts`` < ``date_phrases`` < ``dates``):

========================  =========================================================
name                      what it is
========================  =========================================================
:data:`MONTHS`            month names and abbreviations (English; Russian
                          nominative, genitive, prepositional), lower case -> 1..12
:data:`DIGITS_TO_ASCII`   ``str.translate`` table: Arabic-Indic, Persian and
                          fullwidth digits -> ASCII
:data:`MAX_DATE_CHARS`    a longer text is not a date (200 characters)
:data:`ISO_FIX`           the "how to fix it" every date message ends with
:func:`say`               vectorised message ``before + 'value' + after``, long
                          values cut at 80 characters with "…"
:func:`day_bounds`        first (or last) day of year/month/day arrays, invalid -> NaT
:func:`parse_distinct`    the rule cascade of ``parse_dates`` over distinct,
                          stripped texts (no phrases): start, end, precision, problem
========================  =========================================================

Everything is vectorised over numpy/pandas arrays; nothing here loops per row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = [
    "MONTHS",
    "DIGITS_TO_ASCII",
    "MAX_DATE_CHARS",
    "ISO_FIX",
    "say",
    "day_bounds",
    "parse_distinct",
]

_NAT_D = np.datetime64("NaT", "D")

#: Month names, lower case, English and Russian (nominative, genitive, prepositional,
#: usual abbreviations) -> month number 1..12. Trailing dots are removed before the look-up.
MONTHS: dict[str, int] = {}
_EN = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
]
_RU = [
    ("январь", "января", "январе", "янв"),
    ("февраль", "февраля", "феврале", "фев", "февр"),
    ("март", "марта", "марте", "мар"),
    ("апрель", "апреля", "апреле", "апр"),
    ("май", "мая", "мае"),
    ("июнь", "июня", "июне", "июн"),
    ("июль", "июля", "июле", "июл"),
    ("август", "августа", "августе", "авг"),
    ("сентябрь", "сентября", "сентябре", "сен", "сент"),
    ("октябрь", "октября", "октябре", "окт"),
    ("ноябрь", "ноября", "ноябре", "ноя", "нояб"),
    ("декабрь", "декабря", "декабре", "дек"),
]
for _names in (_EN, _RU):
    for _i, _group in enumerate(_names, start=1):
        for _name in _group:
            MONTHS[_name] = _i

_W = r"[a-zа-яё]+"  # a month word (checked against MONTHS afterwards)
_D = r"\d{1,2}"
_Y = r"\d{4}"

# The cascade: (regex, kind). Named groups: d1 m1 mon1 y1 (start) and d2 m2 mon2 y2
# (end). Applied to normalised text (lower case, dashes unified, commas removed,
# "г."/"года" and a leading "в" dropped, whitespace collapsed).
_PATTERNS: list[tuple[str, str]] = [
    (rf"(?P<y1>{_Y})-(?P<m1>{_D})-(?P<d1>{_D})", "day"),
    (rf"(?P<y1>{_Y})-(?P<m1>{_D})", "month"),
    (rf"(?P<y1>{_Y})", "year"),
    (rf"(?P<d1>{_D})\.(?P<m1>{_D})\.(?P<y1>{_Y})", "day"),
    (rf"(?P<m1>{_D})\.(?P<y1>{_Y})", "month"),
    (rf"(?P<d1>{_D}) ?(?P<mon1>{_W})\.? (?P<y1>{_Y})", "day"),
    (rf"(?P<mon1>{_W})\.? (?P<d1>{_D}) (?P<y1>{_Y})", "day"),
    (rf"(?P<mon1>{_W})\.? (?P<y1>{_Y})", "month"),
    (rf"(?P<d1>{_D}) ?- ?(?P<d2>{_D}) (?P<mon2>{_W})\.? (?P<y2>{_Y})", "range"),
    (rf"(?P<mon2>{_W})\.? (?P<d1>{_D}) ?- ?(?P<d2>{_D}) (?P<y2>{_Y})", "range"),
    (rf"(?P<d1>{_D}) (?P<mon1>{_W})\.? ?- ?(?P<d2>{_D}) (?P<mon2>{_W})\.? (?P<y2>{_Y})", "range"),
    (rf"(?P<mon1>{_W})\.? ?- ?(?P<mon2>{_W})\.? (?P<y2>{_Y})", "range"),
]
_SLASHED = re.compile(rf"(?P<a>{_D})/(?P<b>{_D})/(?P<y>{_Y})")
_ISO_DATETIME = (
    r"\d{4}-\d{2}-\d{2}[t ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
    r" ?(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?"
)
# Two full dates joined by "/", a spaced dash, or a word ("to", "по", "до").
# Anchored: unanchored, a search retried the lazy ".+?" from every position (quadratic).
_RANGE_SPLIT = r"^(?P<a>.+?)(?:\s*/\s*|\s+-\s+|\s+(?:to|until|till|по|до)\s+)(?P<b>.+)"

#: What to do about a date the kit cannot read: the end of every date message.
ISO_FIX = "write ISO 8601: 2024-04-24, 2024-04 (a month), 2024, or 2024-04-13/2024-04-14 (a range)"


_OUT_OF_RANGE = " (day or month out of range); " + ISO_FIX
_BACKWARDS = " ends before it starts; put the earlier date first"


_SHOWN = 80  # characters of a value quoted in a message
#: A "date" text longer than this is not a date (the longest range the kit reads,
#: "13 сентября 2024 г. - 2 декабря 2024 г.", is under 50): a problem, not parsed.
MAX_DATE_CHARS = 200


def say(values, before: str, after) -> np.ndarray:
    """Vectorised message: ``before + 'value' + after`` for each value.

    ``values`` is array-like of str; ``after`` a str or an object array of str
    (one per value). Returns an object array of str. A value longer than 80
    characters is cut to 79 and "…" (a 10,000-character field must not make a
    10,000-character message).

    >>> say(["2024-13"], "not a calendar date ", "; fix it").tolist()
    ["not a calendar date '2024-13'; fix it"]
    """
    v = np.asarray(pd.Series(values, dtype=object).to_numpy(), dtype=object)
    if v.size and max(map(len, v)) > _SHOWN:  # one C-level pass; cut only if needed
        v = np.array([x if len(x) <= _SHOWN else x[: _SHOWN - 1] + "…" for x in v], dtype=object)
    return before + "'" + v + "'" + after


#: ``str.translate`` table: Arabic-Indic and Persian (extended Arabic-Indic) digits,
#: as Persian and Arabic sources write them, and fullwidth digits -> ASCII digits.
DIGITS_TO_ASCII = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0xFF10 + i): str(i) for i in range(10)},
    }
)
_EASTERN_DIGIT = r"[\u0660-\u0669\u06F0-\u06F9]"
_OTHER_DIGIT = re.compile(r"[\u0660-\u0669\u06F0-\u06F9\uFF10-\uFF19]")


def _any_text_matches(u: pd.Series, pattern: re.Pattern) -> bool:
    """Whether any value matches: one regex search over the joined text (cheap
    when, as usual, none does)."""
    return bool(pattern.search("\x00".join(u.dropna().to_numpy(dtype=object))))


def _hijri_message(text: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Why a date in Persian/Arabic digits with a year of 1300-1499 is not read."""
    y = pd.Series(year, dtype="Int64")
    sh = (y + 621).astype("string") + "/" + ((y + 622) % 100).astype("string").str.zfill(2)
    ce = (y * 0.970229 + 621.5643).astype("float64").astype("int64")
    ah = (
        pd.Series(ce).astype("string")
        + "/"
        + ((pd.Series(ce) + 1) % 100).astype("string").str.zfill(2)
    )
    return say(
        text,
        "date ",
        (
            " has the year " + y.astype("string") + ": a Hijri-calendar "
            "year (Solar Hijri, Iran's calendar: " + sh + " CE; lunar "
            "Hijri: " + ah + " CE)? Convert it to the Gregorian "
            "calendar; the kit does not guess calendars"
        ).to_numpy(dtype=object),
    )


def _normalise(u: pd.Series) -> pd.Series:
    """Lower-case, ASCII digits, unify dashes, drop commas, 'г.'/'года' suffixes,
    collapse spaces."""
    s = u.str.lower()
    if _any_text_matches(s, _OTHER_DIGIT):
        s = s.str.translate(DIGITS_TO_ASCII)
    s = s.str.replace(r"[\u2010-\u2015\u2212]", "-", regex=True)
    s = s.str.replace(",", " ", regex=False)
    s = s.str.replace(r"\s+", " ", regex=True).str.strip()
    s = s.str.replace(r"^(?:в|во|с) ", "", regex=True)
    s = s.str.replace(r" ?(?:г\.?|гг\.?|года?)$", "", regex=True)
    return s.str.strip().str.rstrip(".")


def _to_int(col: pd.Series | None, n: int) -> np.ndarray:
    if col is None:
        return np.full(n, -1, dtype=np.int64)
    return pd.to_numeric(col, errors="coerce").fillna(-1).to_numpy(dtype=np.int64).copy()


def _month_number(words: pd.Series | None, n: int) -> np.ndarray:
    """Month words to 1..12; 0 for a word that is not a month, -1 when absent."""
    if words is None:
        return np.full(n, -1, dtype=np.int64)
    w = words.str.rstrip(".")
    num = w.map(MONTHS)
    out = pd.to_numeric(num, errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    return np.where(words.isna().to_numpy(dtype=bool), -1, out)


def day_bounds(y, m, d, *, end: bool):
    """First day (``end=False``) or last day, inclusive (``end=True``), of the
    periods given by integer arrays of year, month (1-12) and day (1-31).

    ``m == -1`` means the whole year, ``d == -1`` the whole month. Returns
    ``(days, ok)``: ``datetime64[D]`` days, NaT where the date is not a calendar
    date (month 13, 30 February, year < 1), and that validity as a bool mask.

    >>> day_bounds([2024], [2], [-1], end=True)[0].tolist()
    [datetime.date(2024, 2, 29)]
    """
    y = np.asarray(y)
    m = np.asarray(m)
    d = np.asarray(d)
    has_m = m >= 0
    has_d = d >= 0
    ok = (y >= 1) & (~has_m | ((m >= 1) & (m <= 12))) & (~has_d | ((d >= 1) & (d <= 31)))
    mm = np.where(has_m & ok, m, 1) - 1
    yy = np.where(ok, y, 1970)
    month0 = (yy - 1970) * 12 + mm  # months since 1970-01
    first = month0.astype("datetime64[M]")
    day = first.astype("datetime64[D]") + np.where(has_d & ok, d - 1, 0).astype("timedelta64[D]")
    # a day past the month's end (30 February) rolls into the next month: invalid
    ok &= ~has_d | (day.astype("datetime64[M]") == first)
    if end:
        year_end = (yy - 1969).astype("datetime64[Y]").astype("datetime64[D]") - np.timedelta64(
            1, "D"
        )
        month_end = (first + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(
            1, "D"
        )
        day = np.where(has_d, day, np.where(has_m, month_end, year_end))
    return np.where(ok, day, _NAT_D), ok


def parse_distinct(raw: pd.Series, *, allow_range: bool = True):
    """The rule cascade of :func:`osint_kit.analysis.dates.parse_dates` (its
    docstring lists the rules) over distinct, stripped, non-empty texts; no
    date phrases (those are :mod:`osint_kit.analysis.date_phrases`).

    ``allow_range=False`` does not split "A - B" / "A to B" into two dates (used
    on the sides of such a range). Returns four arrays aligned with ``raw``:
    start and inclusive end (``datetime64[us]``, naive UTC, NaT when not read),
    precision (``datetime|day|month|year|range``) and problem (the message),
    both object arrays with None when absent.
    """
    n = len(raw)
    start = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    end = start.copy()
    precision = np.full(n, None, dtype=object)
    problem = np.full(n, None, dtype=object)
    done = np.zeros(n, dtype=bool)
    if n == 0:
        return start, end, precision, problem
    raw = raw.reset_index(drop=True)
    too_long = (raw.str.len() > MAX_DATE_CHARS).to_numpy(dtype=bool)
    if too_long.any():  # not a date: reported, and the parsers never see it
        lengths = raw[too_long].str.len().astype("string").to_numpy(dtype=object)
        problem[too_long] = say(
            raw[too_long],
            "not a date (" + lengths + f" characters; a date has at most {MAX_DATE_CHARS}): ",
            "; " + ISO_FIX,
        )
        done |= too_long
        raw = raw.mask(pd.Series(too_long), "")
    norm = _normalise(raw)

    # 0. Dotted day-first date-times ("24.04.2024 10:35") are rewritten as ISO
    #    ("2024-04-24t10:35") and read by step 1 with the ISO ones.
    dotted = norm.str.extract(
        r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})[ t]"
        r"(?P<time>\d{1,2}:\d{2}.*)$"
    )
    has_time = dotted["d"].notna()
    if has_time.any():
        iso = (
            dotted["y"]
            + "-"
            + dotted["m"].str.zfill(2)
            + "-"
            + dotted["d"].str.zfill(2)
            + "t"
            + dotted["time"]
        )
        norm = norm.where(~has_time, iso)

    # 1. ISO datetimes (with or without an offset) -> UTC instants.
    is_dt = norm.str.fullmatch(_ISO_DATETIME).to_numpy(dtype=bool)
    if is_dt.any():
        text = norm[is_dt].str.upper().str.replace(r" ?(?:UTC|GMT)$", "Z", regex=True)
        text = text.str.replace(r"(\d) ([+\-Z])", r"\1\2", regex=True)
        parsed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
        values = parsed.dt.tz_convert(None).to_numpy(dtype="datetime64[us]")
        good = ~np.isnat(values)
        idx = np.flatnonzero(is_dt)
        start[idx[good]] = values[good]
        end[idx[good]] = values[good]
        precision[idx[good]] = "datetime"
        bad = idx[~good]
        problem[bad] = say(
            raw.iloc[bad],
            "not a valid date and time ",
            " (day, hour or offset out of range); write e.g. 2024-04-13T23:30:00+03:30",
        )
        done |= is_dt

    # 2. Slashed numeric dates: accept only when one reading alone is a calendar date.
    rest = ~done
    m = norm[rest].str.extract(_SLASHED.pattern).astype("Float64")
    hit = m["a"].notna().to_numpy(dtype=bool)
    if hit.any():
        idx = np.flatnonzero(rest)[hit]
        a = m["a"].to_numpy(dtype=np.int64, na_value=-1)[hit]
        b = m["b"].to_numpy(dtype=np.int64, na_value=-1)[hit]
        y = m["y"].to_numpy(dtype=np.int64, na_value=-1)[hit]
        ambiguous = (a <= 12) & (b <= 12) & (a != b)
        day = np.where(a > 12, a, b)
        month = np.where(a > 12, b, a)
        s, ok = day_bounds(y, month, day, end=False)
        ok &= ~ambiguous
        start[idx[ok]] = s[ok]
        end[idx[ok]] = s[ok]
        precision[idx[ok]] = "day"
        bad, amb = idx[~ok], ambiguous[~ok]
        a_, b_, y_ = (pd.Series(x[~ok]).astype("string") for x in (a, b, y))
        ma, mb = (pd.Series(x[~ok]).map(_month_name).astype("string") for x in (a, b))
        pad = lambda x: x.str.zfill(2)  # noqa: E731
        readings = (
            ": "
            + a_
            + " "
            + mb
            + " "
            + y_
            + " (day first) or "
            + b_
            + " "
            + ma
            + " "
            + y_
            + " (month first); write ISO "
            + y_
            + "-"
            + pad(b_)
            + "-"
            + pad(a_)
            + " or "
            + y_
            + "-"
            + pad(a_)
            + "-"
            + pad(b_)
        ).to_numpy(dtype=object)
        text = raw.iloc[bad].to_numpy(dtype=object)
        problem[bad] = np.where(
            amb,
            "ambiguous slashed date '" + text + "'" + readings,
            say(text, "not a calendar date ", _OUT_OF_RANGE),
        )
        done[idx] = True

    # 3. The cascade of patterns over what is left.
    for pattern, kind in _PATTERNS:
        rest = ~done
        if not rest.any():
            break
        sub = norm[rest]
        found = sub.str.fullmatch(pattern).to_numpy(dtype=bool)
        if not found.any():
            continue
        idx = np.flatnonzero(rest)[found]
        g = sub[found].str.extract(pattern)
        k = len(g)
        col = g.get
        y1, y2 = _to_int(col("y1"), k), _to_int(col("y2"), k)
        m1, m2 = _to_int(col("m1"), k), _to_int(col("m2"), k)
        d1, d2 = _to_int(col("d1"), k), _to_int(col("d2"), k)
        w1, w2 = _month_number(col("mon1"), k), _month_number(col("mon2"), k)
        m1 = np.where(w1 >= 0, w1, m1)
        m2 = np.where(w2 >= 0, w2, m2)
        unknown_word = (w1 == 0) | (w2 == 0)
        if kind == "range":  # the start inherits what it does not say from the end
            y1 = np.where(y1 < 0, y2, y1)
            m1 = np.where((m1 < 0) & (d1 >= 0), m2, m1)
        else:
            y2, m2, d2 = y1, m1, d1
        s, ok_s = day_bounds(y1, m1, d1, end=False)
        e, ok_e = day_bounds(y2, m2, d2, end=True)
        ok = ok_s & ok_e & ~unknown_word
        backwards = ok & (e < s)
        good = ok & ~backwards
        start[idx[good]] = s[good]
        end[idx[good]] = e[good]
        precision[idx[good]] = kind
        bad = idx[~good]
        text = raw.iloc[bad].to_numpy(dtype=object)
        problem[bad] = np.select(
            [unknown_word[~good], backwards[~good]],
            [say(text, "unknown month name in ", "; " + ISO_FIX), say(text, "range ", _BACKWARDS)],
            say(text, "not a calendar date ", _OUT_OF_RANGE),
        )
        done[idx] = True

    # 4. Two full dates joined by "/", " - ", "to", "по": parse each side, then combine.
    rest = ~done
    if allow_range and rest.any():
        g = raw[rest].str.replace(r"[\u2013\u2014]", " - ", regex=True).str.extract(_RANGE_SPLIT)
        hit = g["a"].notna().to_numpy(dtype=bool)
        if hit.any():
            idx = np.flatnonzero(rest)[hit]
            sides = pd.concat([g["a"][hit], g["b"][hit]], ignore_index=True).str.strip()
            codes, uniq = pd.factorize(sides)
            s_, e_, p_, q_ = parse_distinct(pd.Series(uniq, dtype="string"), allow_range=False)
            k = len(idx)
            ca, cb = codes[:k], codes[k:]
            s, e = s_[ca], e_[cb]
            ok = (p_[ca] != None) & (p_[cb] != None)  # noqa: E711  (element-wise)
            backwards = ok & (e < s)
            good = ok & ~backwards
            start[idx[good]] = s[good]
            end[idx[good]] = e[good]
            precision[idx[good]] = "range"
            bad = idx[~good]
            text = raw.iloc[bad].to_numpy(dtype=object)
            why = (
                pd.Series(q_[ca][~good], dtype=object)
                .fillna(pd.Series(q_[cb][~good], dtype=object))
                .fillna("a side is not a date")
            )
            problem[bad] = np.where(
                backwards[~good],
                say(text, "range ", _BACKWARDS),
                say(text, "cannot read range ", ": " + why.to_numpy(dtype=object)),
            )
            done[idx] = True

    # 5. Anything else is unrecognised.
    rest = np.flatnonzero(~done)
    problem[rest] = say(raw.iloc[rest], "unrecognised date ", "; " + ISO_FIX)

    # 6. Persian/Arabic digits with a year of 1300-1499: a Hijri date read as
    #    Gregorian would be six centuries off; report it instead.
    if _any_text_matches(raw, _OTHER_DIGIT):
        eastern = raw.str.contains(_EASTERN_DIGIT, regex=True).to_numpy(dtype=bool)
        year = start.astype("datetime64[Y]").astype(np.int64) + 1970
        hijri = np.flatnonzero(eastern & ~np.isnat(start) & (year >= 1300) & (year < 1500))
    else:
        hijri = np.array([], dtype=np.int64)
    if len(hijri):
        start[hijri] = end[hijri] = np.datetime64("NaT")
        precision[hijri] = None
        problem[hijri] = _hijri_message(raw.iloc[hijri].to_numpy(dtype=object), year[hijri])
    return start, end, precision, problem


def _month_name(m: int) -> str:
    return _EN[m - 1][0].capitalize() if 1 <= m <= 12 else str(m)
