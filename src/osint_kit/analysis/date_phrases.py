"""Dates as people write them: phrases to UTC intervals, each with its convention.

Sources rarely write ISO dates. "before May 2024", "after 13 April", "c. 2024",
"early 2024", "mid-September", "Q3 2024", "last year", "on Tuesday", and in
Russian "до мая 2024", "после 13 апреля", "в начале 2024 года", "около 2024
года", "в прошлом году", "во вторник", "III квартал 2024". :func:`parse_phrases`
turns each into an interval with the columns of
:func:`osint_kit.analysis.dates.parse_dates` plus ``date_convention``, the rule
that was applied, in words. A phrase is never rejected and never a point: the
precision is never ``datetime``, and ``day`` only for a named day (13 April,
yesterday, Tuesday).

The **reference** is the source's own publication date (``published`` in
``sources.csv``), at day resolution (UTC). Phrases without a year or relative
to "now" need it; without it they get no dates and a problem saying which
column to fill. With it, an interval that runs past the reference is cut at
the reference (a source cannot report what has not happened yet); one that
lies wholly after the reference is kept as read, with a problem (a plan or a
forecast?).

==========================  ===============================================================
phrase                      interval (end inclusive) and why
==========================  ===============================================================
early / mid / late YEAR     thirds of the year: 1 Jan-30 Apr, 1 May-31 Aug, 1 Sep-31 Dec
early / mid / late MONTH    days 1-10, 11-20, 21-end of the month
early / mid / late Qn, H1   thirds of its months (one month of a quarter, two of a half);
                            any other period: thirds of its days (one or two days: whole)
c. / about / around /       the year +- 1 (c. 2024 = 1 Jan 2023-31 Dec 2025); a month +- 1
circa / около / примерно    month; a day +- 3 days; any other period +- its own length
before X / до X             from :data:`OPEN_SPAN_YEARS` (1) year before X's start to the
                            day before X (before May 2024 = 1 May 2023-30 Apr 2024), with
                            the problem "open-ended: ..." (a kept warning): the source
                            gives no earliest date, and a timeline needs a drawable bar
after X / после X           from the day after X to the reference date; without one, to
                            one year after X's end, with the problem "open-ended: ..."
since X / начиная с X       from X's start to the reference date (or one year, open-ended)
Q1-Q4 YEAR, "third quarter  calendar quarters: Q1 = 1 Jan-31 Mar, Q2 = 1 Apr-30 Jun,
of 2024", III квартал 2024  Q3 = 1 Jul-30 Sep, Q4 = 1 Oct-31 Dec (not fiscal quarters)
H1 / first half of YEAR,    1 Jan-30 Jun and 1 Jul-31 Dec
первая половина 2024
MONTH, DAY MONTH, Qn with   the most recent such period that has begun by the reference
no year ("mid-September",   date: the reference's year, or the year before when that one
"13 April", "в сентябре")   would start after the reference; for "before 13 April" the
                            bound itself (13 April) must have come by the reference
today / сегодня,            the reference day; the day before; two days before
yesterday / вчера, позавчера
on Tuesday / во вторник     the most recent Tuesday on or before the reference date
last Tuesday / в прошлый    the most recent Tuesday strictly before the reference date
вторник                     (some writers mean the Tuesday of the week before; write the date)
this week / year / month    from the Monday of the reference's ISO week / 1 January / the
                            1st of the month, to the reference date
last week / month / year    the whole ISO week (Monday-Sunday), month or year before the
(в прошлом году, ...)       reference's
the past year / week /      the year (week, month) up to the reference date:
month (за последний год)    reference - 1 year + 1 day to the reference
==========================  ===============================================================

The precision follows the interval: ``day`` for a single named day, ``month``
or ``year`` for a whole calendar month or year ("last year", "September"),
``range`` for everything else and always for before/after/since/circa/early/
mid/late (an interval by convention, not as written).

Vectorised: the texts are normalised and matched with a fixed set of regular
expressions once per distinct text; the interval arithmetic runs in numpy once
per distinct (text, reference day) pair; the results are mapped back to rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from osint_kit.analysis.date_parts import (
    DIGITS_TO_ASCII,
    MONTHS,
    day_bounds,
    parse_distinct,
    say,
)
from osint_kit.errors import OsintKitError

__all__ = ["OPEN_SPAN_YEARS", "CIRCA_DAYS", "PHRASE_COLUMNS", "parse_phrases", "phrases_for_unread"]

#: How far an open-ended phrase ("before May 2024", "after 13 April" without a
#: reference) is drawn beyond its one bound, in years.
OPEN_SPAN_YEARS = 1
#: Circa widens a single day by this many days on each side.
CIRCA_DAYS = 3

PHRASE_COLUMNS = ("date_start", "date_end", "date_precision", "date_problem", "date_convention")

_D = "datetime64[D]"
_NAT = np.datetime64("NaT", "D")

# ---------------------------------------------------------------- the words
_LEAD = r"^(?:(?:in|on|at|during|over|the|в|во|на|за)\s+)+"
_MODIFIERS = {
    "before": r"before|prior to|earlier than|до|ранее|раньше",
    "after": r"after|later than|после|позднее|позже",
    "since": r"since|начиная с|с",
    "circa": (
        r"circa|approximately|approx\.?|about|around|roughly|c\.|ca\.|c|ca"
        r"|около|примерно|приблизительно|ок\."
    ),
    "early": r"early|beginning of|start of|начале|начало|нач\.",
    "mid": r"mid|middle of|середине|середина|сер\.",
    "late": r"late|end of|конце|конец",
}
_MOD_RE = (
    "^(?:"
    + "|".join(f"(?P<{k}>{v})" for k, v in _MODIFIERS.items())
    + r")(?:\s+|-|(?<=\.))(?P<inner>\S.*)$"
)

_ORD = {
    1: r"first|1st|1|i|перв\w*",
    2: r"second|2nd|2|ii|втор\w*",
    3: r"third|3rd|3|iii|трет\w*",
    4: r"fourth|4th|4|iv|четв[её]рт\w*",
}
_RU_SUFFIX = r"(?:-?(?:й|я|е|го|ого))?"


def _ord_group(name: str, upto: int) -> str:
    return "(?:" + "|".join(f"(?P<{name}{k}>{_ORD[k]})" for k in range(1, upto + 1)) + ")"


_YEAR_OPT = r"(?:\s*(?:of\s+)?(?P<y>\d{4}))?"
_QUARTER_RE = (
    r"^(?:q(?P<qa>[1-4])|(?P<qb>[1-4])q|"
    + _ord_group("q", 4)
    + _RU_SUFFIX
    + r"\s+(?:quarter|квартал\w*|кв\.?))"
    + _YEAR_OPT
    + "$"
)
_QUARTER_YFIRST = r"^(?P<y>\d{4})[\s-]?q(?P<qa>[1-4])$"
_HALF_RE = (
    r"^(?:h(?P<ha>[12])|"
    + _ord_group("h", 2)
    + _RU_SUFFIX
    + r"\s+(?:half|половин\w*|полугоди\w*))"
    + _YEAR_OPT
    + "$"
)

_WEEKDAYS = [
    r"monday|mon|понедельник",
    r"tuesday|tues|tue|вторник",
    r"wednesday|wed|сред[ау]",
    r"thursday|thurs|thur|thu|четверг",
    r"friday|fri|пятниц[ау]",
    r"saturday|sat|суббот[ау]",
    r"sunday|sun|воскресенье",
]
_WD = "(?:" + "|".join(f"(?P<wd{i}>{w})" for i, w in enumerate(_WEEKDAYS)) + ")"
_LAST = r"(?:last|past|previous|прошл\w*|предыдущ\w*)"
_THIS = r"(?:this|current|этом|этого|текущем|текущего|нынешнем|нынешнего)"
_YEARW = r"(?:year|году|года|год)"
_MONTHW = r"(?:month|месяце|месяца|месяц)"
_WEEKW = r"(?:week|неделе|недели|неделю|неделя)"

# relative phrases: (kind, regex). Weekday groups give the day.
_RELATIVE = [
    ("today", r"today|сегодня"),
    ("yesterday", r"yesterday|вчера"),
    ("day_before", r"(?:the )?day before yesterday|позавчера"),
    ("this_year", rf"{_THIS} {_YEARW}"),
    ("last_year", rf"last {_YEARW}|прошл\w* {_YEARW}"),
    ("past_year", r"(?:past|last) (?:year|12 months)|последн\w* (?:год|12 месяцев)|прошедш\w* год"),
    ("this_month", rf"{_THIS} {_MONTHW}"),
    ("last_month", rf"last {_MONTHW}|прошл\w* {_MONTHW}"),
    ("past_month", r"past month|последн\w* месяц"),
    ("this_week", rf"{_THIS} {_WEEKW}|этой неделе"),
    ("last_week", rf"last {_WEEKW}|прошл\w* {_WEEKW}"),
    ("past_week", r"past week|последн\w* неделю"),
    ("last_weekday", rf"{_LAST} {_WD}"),
    ("weekday", _WD),
]
_RELATIVE_RE = (
    "^(?:"
    + "|".join(f"(?P<k_{k}>{p.replace('(?P<wd', f'(?P<{k[0]}wd')})" for k, p in _RELATIVE)
    + ")$"
)
# "last year" is the previous calendar year, "the past year" the year up to the
# reference: the two regexes differ by "past" / "последний"; "last year" wins for "last".

_RULES = {
    "early": "early {U} = the first third of the {u}{split}",
    "mid": "mid {U} = the middle third of the {u}{split}",
    "late": "late {U} = the last third of the {u}{split}",
    "circa": "c. {U} = the {u} widened on each side{widen}",
    "before": (
        f"before X = from {OPEN_SPAN_YEARS} year before X's start to the day before X "
        "(open-ended: the earliest date is a convention)"
    ),
    "after": (
        "after X = from the day after X to the reference date (the source's publication: "
        f"it cannot report the future); without one, {OPEN_SPAN_YEARS} year after X"
    ),
    "since": (
        "since X = from X's start to the reference date (the source's publication); "
        f"without one, {OPEN_SPAN_YEARS} year from X's start"
    ),
}
_SPLIT = {
    "year": " (1 January-30 April, 1 May-31 August, 1 September-31 December)",
    "month": " (days 1-10, 11-20, 21-end)",
    "quarter": " (one month each)",
    "half": " (two months each)",
    "period": " (by days; a period of one or two days is kept whole)",
    "day": " (a single day is kept whole)",
}
_WIDEN = {
    "year": " by one year (c. 2024 = 2023 to 2025)",
    "month": " by one month",
    "day": f" by {CIRCA_DAYS} days",
    "quarter": " by its own length",
    "half": " by its own length",
    "period": " by its own length",
}
_PERIOD_RULES = {
    "quarter": "Qn = calendar quarter (Q1 1 January-31 March, Q2 1 April-30 June, "
    "Q3 1 July-30 September, Q4 1 October-31 December), not a fiscal quarter",
    "half": "H1 = 1 January-30 June, H2 = 1 July-31 December (calendar halves)",
    "today": "today = the reference date (the source's publication)",
    "yesterday": "yesterday = the day before the reference date",
    "day_before": "the day before yesterday = two days before the reference date",
    "this_year": "this year = 1 January of the reference's year to the reference date",
    "last_year": "last year = the calendar year before the reference's year",
    "past_year": (
        "the past year = the year up to the reference date "
        "(reference - 1 year + 1 day to the reference)"
    ),
    "this_month": "this month = the 1st of the reference's month to the reference date",
    "last_month": "last month = the calendar month before the reference's month",
    "past_month": "the past month = reference - 1 month + 1 day to the reference",
    "this_week": "this week = the Monday of the reference's ISO week to the reference date",
    "last_week": "last week = Monday to Sunday of the ISO week before the reference's",
    "past_week": "the past week = the 7 days ending on the reference date",
    "weekday": "on WEEKDAY = the most recent such weekday on or before the reference date",
    "last_weekday": (
        "last WEEKDAY = the most recent such weekday strictly before the reference "
        "date (not the Tuesday of the week before; write the date if that is meant)"
    ),
}
_YEARLESS_RULE = (
    "; no year: the most recent such period begun by the reference date (the "
    "reference's year, or the year before)"
)
_CUT_RULE = "; cut at the reference date (a source cannot report the future)"
_RELATIVE_KINDS = {k for k, _ in _RELATIVE}


def _normalise(u: pd.Series) -> pd.Series:
    """Lower case, ASCII digits, ё -> е, one kind of dash, no commas, single
    spaces, no leading preposition, no 'г.'/'года'/'году' after a year."""
    s = u.str.lower().str.translate(DIGITS_TO_ASCII).str.replace("ё", "е", regex=False)
    s = s.str.replace(r"[\u2010-\u2015\u2212]", "-", regex=True).str.replace(",", " ", regex=False)
    s = s.str.replace(r"\s+", " ", regex=True).str.strip().str.rstrip(".").str.strip()
    s = s.str.replace(r"(?<=\d)\s*(?:гг?\.?|года|году|год)$", "", regex=True)
    s = s.str.replace(r"(?<=\d)(?:st|nd|rd|th)\b", "", regex=True)
    return s.str.replace(_LEAD, "", regex=True).str.strip()


def _first_group(g: pd.DataFrame, prefix: str, n: int) -> np.ndarray:
    """Which of the groups prefix0..prefix{n-1} (or 1..n) matched: its number, else -1."""
    out = np.full(len(g), -1, dtype=np.int64)
    for i in range(n + 1):
        col = f"{prefix}{i}"
        if col in g:
            out = np.where((out < 0) & g[col].notna().to_numpy(dtype=bool), i, out)
    return out


def _classify(inner: pd.Series) -> dict[str, np.ndarray]:
    """What period each distinct (normalised) inner text names, text-only.

    Returns arrays: ``kind`` (abs|month|day|quarter|half|<relative kind>|'' for
    none), ``y`` (-1 when no year), ``m``, ``d``, ``q`` (quarter or half
    number), ``wd`` (weekday, Monday 0), and for ``abs`` the parsed ``s``/``e``
    days.
    """
    n = len(inner)
    kind = np.full(n, "", dtype=object)
    y = np.full(n, -1, dtype=np.int64)
    m, d, q, wd = y.copy(), y.copy(), y.copy(), y.copy()
    s = np.full(n, _NAT)
    e = s.copy()
    inner = inner.reset_index(drop=True)

    def todo():
        return kind == ""

    # relative phrases
    # relative phrases: one regex, a named group per kind (the first that matches wins)
    g = inner.str.extract(_RELATIVE_RE)
    for rel, _ in _RELATIVE:
        hit = todo() & g[f"k_{rel}"].notna().to_numpy(dtype=bool)
        kind[hit] = rel
        if rel in ("weekday", "last_weekday"):
            wd[hit] = _first_group(g[hit], f"{rel[0]}wd", 6)
    # quarters and halves
    for name, pattern, size in (
        ("quarter", _QUARTER_RE, 4),
        ("quarter", _QUARTER_YFIRST, 4),
        ("half", _HALF_RE, 2),
    ):
        rest = todo()
        g = inner[rest].str.extract(pattern)
        letter = "q" if name == "quarter" else "h"
        num = _first_group(g, letter, size)
        for col in (f"{letter}a", f"{letter}b"):
            if col in g:
                num = np.where(
                    num < 0, pd.to_numeric(g[col]).fillna(-1).to_numpy(dtype=np.int64), num
                )
        hit = num > 0
        idx = np.flatnonzero(rest)[hit]
        kind[idx] = name
        q[idx] = num[hit]
        y[idx] = pd.to_numeric(g["y"]).fillna(-1).to_numpy(dtype=np.int64)[hit]
    # a month or a day without a year
    rest = todo()
    g = inner[rest].str.extract(
        r"^(?:(?P<d1>\d{1,2}) (?P<w1>[a-zа-я]+)|(?P<w2>[a-zа-я]+)\.?(?: (?P<d2>\d{1,2}))?)$"
    )
    word = g["w1"].fillna(g["w2"]).str.rstrip(".")
    month = pd.to_numeric(word.map(MONTHS), errors="coerce").fillna(-1).to_numpy(dtype=np.int64)
    day = pd.to_numeric(g["d1"].fillna(g["d2"])).fillna(-1).to_numpy(dtype=np.int64)
    hit = month > 0
    idx = np.flatnonzero(rest)[hit]
    kind[idx] = np.where(day[hit] > 0, "day", "month")
    m[idx], d[idx] = month[hit], day[hit]
    # anything the plain date parser reads (2024, May 2024, 13 April 2024, ranges)
    rest = todo()
    if rest.any():
        ps, pe, pp, _ = parse_distinct(inner[rest].astype("string"))
        hit = np.array([p is not None for p in pp], dtype=bool)
        idx = np.flatnonzero(rest)[hit]
        kind[idx] = "abs"
        s[idx] = ps[hit].astype(_D)
        e[idx] = pe[hit].astype(_D)
    return {"kind": kind, "y": y, "m": m, "d": d, "q": q, "wd": wd, "s": s, "e": e}


# ---------------------------------------------------------------- day arithmetic
def _month_index(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]").astype(np.int64)


def _month_first(mi: np.ndarray) -> np.ndarray:
    return np.asarray(mi, dtype=np.int64).astype("datetime64[M]").astype(_D)


def _month_last(mi: np.ndarray) -> np.ndarray:
    return _month_first(np.asarray(mi) + 1) - np.timedelta64(1, "D")


def _add_months(days: np.ndarray, k) -> np.ndarray:
    """Same day of the month k months later; the 31st (29 Feb) becomes the month's last day."""
    mi = _month_index(days) + k
    dom = (days - _month_first(_month_index(days))).astype(np.int64)
    first = _month_first(mi)
    length = (_month_last(mi) - first).astype(np.int64)
    return first + np.minimum(dom, length).astype("timedelta64[D]")


def _weekday(days: np.ndarray) -> np.ndarray:
    """Monday 0 ... Sunday 6 (1970-01-01 was a Thursday)."""
    return (days.astype(np.int64) + 3) % 7


def _unit(s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """year | month | day | quarter | half | period: what a closed interval is."""
    ok = ~np.isnat(s) & ~np.isnat(e)
    ss = np.where(ok, s, np.datetime64("2000-01-01"))
    ee = np.where(ok, e, np.datetime64("2000-01-01"))
    first = ss == _month_first(_month_index(ss))
    last = ee == _month_last(_month_index(ee))
    months = _month_index(ee) - _month_index(ss) + 1
    m0 = _month_index(ss) % 12
    whole = first & last
    return np.select(
        [
            ss == ee,
            whole & (months == 12) & (m0 == 0),
            whole & (months == 1),
            whole & (months == 3) & (m0 % 3 == 0),
            whole & (months == 6) & (m0 % 6 == 0),
        ],
        ["day", "year", "month", "quarter", "half"],
        "period",
    ).astype(object)


def _thirds(s, e, which: int):
    """Third ``which`` (0, 1, 2) of each interval: by months when it is whole months
    in a multiple of three, days 1-10/11-20/21-end for one month, else by days."""
    unit = _unit(s, e)
    mi0 = _month_index(np.where(np.isnat(s), np.datetime64("2000-01-01"), s))
    months = _month_index(np.where(np.isnat(e), np.datetime64("2000-01-01"), e)) - mi0 + 1
    by_month = np.isin(unit, ["year", "quarter", "half"])
    step = np.maximum(months // 3, 1)
    ms = _month_first(mi0 + which * step)
    me = _month_last(mi0 + (which + 1) * step - 1)
    first = _month_first(mi0)
    ds = first + np.timedelta64(10 * which, "D")
    de = np.where(which == 2, _month_last(mi0), first + np.timedelta64(10 * which + 9, "D"))
    n = (e - s).astype(np.int64) + 1
    ps = s + (n * which // 3).astype("timedelta64[D]")
    pe = s + (n * (which + 1) // 3 - 1).astype("timedelta64[D]")
    start = np.where(by_month, ms, np.where(unit == "month", ds, ps))
    end = np.where(by_month, me, np.where(unit == "month", de, pe))
    short = ~by_month & (unit != "month") & (n < 3)  # a day or two: not split, kept whole
    return np.where(short, s, start), np.where(short, e, end), unit


def _circa(s, e):
    unit = _unit(s, e)
    n = (e - s).astype(np.int64) + 1
    w = np.where(unit == "day", CIRCA_DAYS, n).astype("timedelta64[D]")
    start = np.select(
        [unit == "year", unit == "month"], [_add_months(s, -12), _add_months(s, -1)], s - w
    )
    end = np.select(
        [unit == "year", unit == "month"],
        [
            _add_months(e + np.timedelta64(1, "D"), 12) - np.timedelta64(1, "D"),
            _month_last(_month_index(e) + 1),
        ],
        e + w,
    )
    return start, end, unit


# ---------------------------------------------------------------- per pair
def _period(c: dict, ti: np.ndarray, ref: np.ndarray, year_back: int):
    """Start and end of each pair's period; NaT where it needs a missing reference."""
    kind = c["kind"][ti]
    has_ref = ~np.isnat(ref)
    r = np.where(has_ref, ref, np.datetime64("2000-01-01"))
    ry = r.astype("datetime64[Y]").astype(np.int64) + 1970
    y = c["y"][ti]
    yy = np.where(y > 0, y, ry - year_back)
    m, d, q = c["m"][ti], c["d"][ti], c["q"][ti]
    one = np.timedelta64(1, "D")
    rm = _month_index(r)
    week0 = r - _weekday(r).astype("timedelta64[D]")
    wd = c["wd"][ti]
    on_or_before = r - ((_weekday(r) - wd) % 7).astype("timedelta64[D]")
    before = r - ((_weekday(r) - wd - 1) % 7 + 1).astype("timedelta64[D]")
    qm0 = (yy - 1970) * 12 + np.where(kind == "half", (q - 1) * 6, (q - 1) * 3)
    qlen = np.where(kind == "half", 6, 3)
    ds, ok_d = day_bounds(yy, m, np.where(kind == "day", d, -1), end=False)
    de, _ = day_bounds(yy, m, np.where(kind == "day", d, -1), end=True)
    conds = {
        "abs": (c["s"][ti], c["e"][ti]),
        "month": (ds, de),
        "day": (ds, de),
        "quarter": (_month_first(qm0), _month_last(qm0 + qlen - 1)),
        "half": (_month_first(qm0), _month_last(qm0 + qlen - 1)),
        "today": (r, r),
        "yesterday": (r - one, r - one),
        "day_before": (r - 2 * one, r - 2 * one),
        "this_year": (_month_first((ry - 1970) * 12), r),
        "last_year": (_month_first((ry - 1971) * 12), _month_first((ry - 1970) * 12) - one),
        "past_year": (_add_months(r, -12) + one, r),
        "this_month": (_month_first(rm), r),
        "last_month": (_month_first(rm - 1), _month_first(rm) - one),
        "past_month": (_add_months(r, -1) + one, r),
        "this_week": (week0, r),
        "last_week": (week0 - 7 * one, week0 - one),
        "past_week": (r - 6 * one, r),
        "weekday": (on_or_before, on_or_before),
        "last_weekday": (before, before),
    }
    start = np.full(len(ti), _NAT)
    end = start.copy()
    for k, (a, b) in conds.items():
        sel = kind == k
        start = np.where(sel, a, start)
        end = np.where(sel, b, end)
    needs_ref = np.isin(kind, list(_RELATIVE_KINDS)) | (
        np.isin(kind, ["month", "day", "quarter", "half"]) & (y < 0)
    )
    bad_day = (kind == "day") & ~ok_d
    lost = (needs_ref & ~has_ref) | bad_day
    start = np.where(lost, _NAT, start)
    end = np.where(lost, _NAT, end)
    return start, end, needs_ref, bad_day


def _apply(mod: np.ndarray, s, e, ref):
    """The modifier on each period: (start, end, open-ended?, unit)."""
    one = np.timedelta64(1, "D")
    has_ref = ~np.isnat(ref)
    unit = _unit(s, e)
    start, end = s.copy(), e.copy()
    for which, name in enumerate(("early", "mid", "late")):
        sel = mod == name
        if sel.any():
            a, b, _ = _thirds(s, e, which)
            start, end = np.where(sel, a, start), np.where(sel, b, end)
    sel = mod == "circa"
    if sel.any():
        a, b, _ = _circa(s, e)
        start, end = np.where(sel, a, start), np.where(sel, b, end)
    span = 12 * OPEN_SPAN_YEARS
    sel = mod == "before"
    start = np.where(sel, _add_months(s, -span), start)
    end = np.where(sel, s - one, end)
    after_open = _add_months(e + one, span) - one
    sel = mod == "after"
    close = has_ref & (ref >= e + one)
    start = np.where(sel, e + one, start)
    end = np.where(sel, np.where(close, ref, after_open), end)
    sel = mod == "since"
    close_s = has_ref & (ref >= s)
    end = np.where(sel, np.where(close_s, ref, _add_months(s, span) - one), end)
    opened = (mod == "before") | (np.isin(mod, ["after"]) & ~close) | ((mod == "since") & ~close_s)
    lost = np.isnat(s) | np.isnat(e)  # no period, no interval
    return np.where(lost, _NAT, start), np.where(lost, _NAT, end), opened, unit


def _pair_results(c: dict, mod_t: np.ndarray, ti: np.ndarray, ref: np.ndarray):
    """Interval, flags for each distinct (text, reference) pair; a yearless
    phrase takes the reference's year unless it would begin after the reference."""
    s_in, e, needs_ref, bad_day = _period(c, ti, ref, 0)
    s, e, opened, unit = _apply(mod_t[ti], s_in, e, ref)
    out = [s, e, opened, unit, needs_ref, bad_day]
    yearless = np.isin(c["kind"][ti], ["month", "day", "quarter", "half"]) & (c["y"][ti] < 0)
    # "before 13 April": the bound itself must have come by the reference; any
    # other phrase: the interval must have begun by it
    begun = np.where(mod_t[ti] == "before", s_in, s)
    back = np.flatnonzero(yearless & ~np.isnat(ref) & (begun > ref))
    if len(back):  # the year before, for those pairs only
        sb, eb, nb, bb = _period(c, ti[back], ref[back], 1)
        redo = (*_apply(mod_t[ti[back]], sb, eb, ref[back]), nb, bb)
        for col, new in zip(out, redo):
            col[back] = new
    return tuple(out), yearless


# ---------------------------------------------------------------- the reference
def _reference_days(reference, index: pd.Index) -> np.ndarray:
    """The reference as days (datetime64[D], NaT when unknown), aligned with index."""
    n = len(index)
    if reference is None:
        return np.full(n, _NAT)
    if isinstance(reference, pd.Series):
        if reference.index.equals(index):
            ref = reference
        elif len(reference) == n:
            ref = reference.set_axis(index)
        else:
            raise OsintKitError(
                f"reference has {len(reference)} values for {n} dates: pass a Series aligned "
                "with the dates (e.g. each claim's source `published` date) or one date"
            )
    else:
        if not isinstance(reference, str):
            stamp = pd.Timestamp(reference)
            stamp = stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp
            return np.full(n, stamp.to_datetime64().astype(_D))
        ref = pd.Series([reference] * n, index=index, dtype=object)
    if (
        ref.dtype == object
        and ref.map(
            lambda v: isinstance(v, pd.Timestamp | np.datetime64) or v is None or v is pd.NaT
        ).all()
    ):
        ref = pd.to_datetime(ref, utc=True)
    if isinstance(ref.dtype, pd.DatetimeTZDtype):
        ts = ref.dt.tz_convert("UTC").dt.tz_localize(None)
    elif pd.api.types.is_datetime64_any_dtype(ref.dtype):
        ts = ref
    else:
        # text references: read them like any date; the latest day they cover
        # is the latest the source can report
        return _text_reference_days(ref)
    return ts.to_numpy(dtype="datetime64[us]").astype(_D)


def _text_reference_days(ref: pd.Series) -> np.ndarray:
    """Reference texts ("2025-03-04", "March 2025", "early 2025") -> the last day
    each covers (datetime64[D], NaT when unreadable), read as
    :func:`~osint_kit.analysis.dates.parse_dates` reads them: the rule cascade,
    then, for what it cannot read, a phrase without a reference; once per
    distinct text."""
    text = ref.astype("string").str.strip()
    codes, uniques = pd.factorize(text.mask(text == ""), use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype="string")
    _, end, _, _ = parse_distinct(distinct)
    last = end.astype(_D)
    unread = np.isnat(last)
    if unread.any():
        got = parse_phrases(distinct[unread].reset_index(drop=True))
        last[unread] = got["date_end"].dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
    return np.append(last, _NAT)[np.where(codes < 0, len(last), codes)]


# ---------------------------------------------------------------- public
def parse_phrases(values: pd.Series, *, reference=None) -> pd.DataFrame:
    """Read date phrases ("early 2024", "after 13 April", "в прошлом году") as intervals.

    Parameters
    ----------
    values : Series of str
        The texts; missing or blank is unknown (all columns missing, no problem).
    reference : Series, scalar or None
        The source's publication date for each value (``published`` in
        ``sources.csv``): a Series aligned with ``values`` (same index, or same
        length) or one date for all; datetimes (UTC, naive taken as UTC) or
        date texts (read with :func:`~osint_kit.analysis.dates.parse_dates`,
        using the last day they cover). Used at day resolution.

    Returns
    -------
    DataFrame
        Same index as ``values``: ``date_start``, ``date_end``
        (``datetime64[us, UTC]``, end inclusive: midnight of the last day),
        ``date_precision`` (``day|month|year|range``, never ``datetime``),
        ``date_problem`` (why dates are missing or conventional: open-ended,
        relative without a reference, dated after the reference; or
        "not a date phrase"), ``date_convention`` (the rule applied, in words;
        ``<NA>`` when no phrase was recognised), all ``string`` except the dates.
        See the module docstring for the conventions.

    Examples
    --------
    >>> parse_phrases(pd.Series(["early 2024"])).iloc[0, :3].tolist()  # doctest: +NORMALIZE_WHITESPACE
    [Timestamp('2024-01-01 00:00:00+0000', tz='UTC'),
     Timestamp('2024-04-30 00:00:00+0000', tz='UTC'), 'range']
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    ref_days = _reference_days(reference, series.index)
    # distinct raw values first, then strip those (as parse_dates does)
    raw_codes, raw_uniques = pd.factorize(series, use_na_sentinel=True)
    text = pd.Series(raw_uniques, dtype=object).astype("string").str.strip()
    text = text.mask(text == "")
    text_codes, t_uniques = pd.factorize(text, use_na_sentinel=True)
    t_codes = np.append(text_codes, -1)[raw_codes]
    r_codes, r_uniques = pd.factorize(ref_days.astype(np.int64))  # NaT is one value here
    pair_codes, pairs = pd.factorize(
        pd.Series(t_codes.astype(np.int64) * (len(r_uniques) + 1) + r_codes)
    )
    pair_t = (np.asarray(pairs) // (len(r_uniques) + 1)).astype(np.int64)
    pair_r = np.asarray(r_uniques)[(np.asarray(pairs) % (len(r_uniques) + 1)).astype(np.int64)]
    pair_ref = pair_r.astype(_D)
    raw = pd.Series(t_uniques, dtype="string")
    n_pairs = len(pairs)

    start = np.full(n_pairs, _NAT)
    end = start.copy()
    precision = np.full(n_pairs, None, dtype=object)
    problem = np.full(n_pairs, None, dtype=object)
    convention = np.full(n_pairs, None, dtype=object)
    valid = pair_t >= 0
    if len(raw):
        norm = _normalise(raw)
        g = norm.str.extract(_MOD_RE)
        mod_t = np.full(len(raw), "", dtype=object)
        for k in _MODIFIERS:
            mod_t = np.where((mod_t == "") & g[k].notna().to_numpy(dtype=bool), k, mod_t)
        inner = g["inner"].fillna(norm).str.replace(_LEAD, "", regex=True).str.strip()
        c = _classify(inner)
        # a modifier that leaves no period is not a modifier: read the whole text
        lone = (mod_t != "") & (c["kind"] == "")
        if lone.any():
            c2 = _classify(norm[lone])
            for k in c:
                c[k][lone] = c2[k]
            mod_t[lone] = ""
        # a plain date ("2024") is not a phrase (parse_dates reads it)
        c["kind"][(mod_t == "") & (c["kind"] == "abs")] = ""

        ti = np.where(valid, pair_t, 0)
        (s, e, opened, unit, needs_ref, bad_day), yearless = _pair_results(c, mod_t, ti, pair_ref)
        kind = c["kind"][ti]
        mod = mod_t[ti]
        known = valid & (kind != "")
        has_ref = ~np.isnat(pair_ref)
        # cut at the reference; a period wholly after it is kept, with a problem
        cut = known & has_ref & ~np.isnat(s) & (s <= pair_ref) & (e > pair_ref)
        e = np.where(cut, pair_ref, e)
        future = known & has_ref & ~np.isnat(s) & (s > pair_ref)

        shape = _unit(s, e)
        forced = np.isin(mod, ["before", "after", "since", "circa", "early", "mid", "late"])
        prec = np.select(
            [shape == "day", shape == "month", shape == "year"], ["day", "month", "year"], "range"
        )
        prec = np.where(forced & (prec != "day"), "range", prec)
        prec = np.where(forced & (mod != "") & (prec == "day") & (mod != "circa"), "range", prec)
        dated = known & ~np.isnat(s)
        start = np.where(dated, s, _NAT)
        end = np.where(dated, e, _NAT)
        precision[dated] = prec[dated].astype(object)

        # the convention, in words
        rule = np.full(n_pairs, "", dtype=object)
        for k, template in _RULES.items():
            sel = mod == k
            table = _SPLIT if k in ("early", "mid", "late") else _WIDEN
            for u in np.unique(unit[sel]) if sel.any() else ():  # a handful of units
                x = table.get(u, "")
                rule[sel & (unit == u)] = template.format(u=u, U=u.upper(), split=x, widen=x)
        for k, text_rule in _PERIOD_RULES.items():
            sel = kind == k
            rule[sel] = np.where(rule[sel] == "", text_rule, rule[sel] + "; " + text_rule)
        rule = np.where(yearless, rule + _YEARLESS_RULE, rule)
        rule = np.where(
            rule.astype(str) == "", "MONTH or DAY MONTH = that whole month or day", rule
        )
        rule = np.where(cut, rule + _CUT_RULE, rule)
        convention[known] = rule[known]

        quoted = raw.to_numpy(dtype=object)[ti]
        lost = known & (needs_ref & ~has_ref)
        problem[lost] = say(
            quoted[lost],
            "",
            " is relative to the source's publication date: "
            "fill the source's `published` date (sources.csv), or pass reference=, "
            "or write the date",
        )
        problem[known & bad_day] = say(
            quoted[known & bad_day], "not a calendar date ", " (day out of range for the month)"
        )

        def iso(days, mask):  # dates in messages, for the flagged pairs only
            out = np.full(len(days), "", dtype=object)
            out[mask] = np.datetime_as_string(days[mask], unit="D").astype(object)
            return out

        flagged = dated & (opened | future)
        when, first_day, last_day = iso(pair_ref, flagged), iso(s, flagged), iso(e, flagged)
        op = dated & opened & ~future  # a period after the reference says so instead
        problem[op] = np.where(
            mod[op] == "before",
            say(
                quoted[op],
                "open-ended: ",
                " gives no earliest date; drawn from "
                + first_day[op]
                + f" ({OPEN_SPAN_YEARS} year before); give the start if the source does",
            ),
            say(
                quoted[op],
                "open-ended: ",
                " gives no latest date and no reference (the source's "
                "publication date) closes it; drawn to "
                + last_day[op]
                + f" ({OPEN_SPAN_YEARS} year after); fill the source's `published` date",
            ),
        )
        fut = dated & future & pd.isna(problem)
        problem[fut] = say(
            quoted[fut],
            "",
            " is dated after the source's publication date ("
            + when[fut]
            + "): a plan or a forecast? check the reading",
        )
        nomatch = valid & ~known
        problem[nomatch] = say(
            raw.to_numpy(dtype=object)[ti[nomatch]],
            "not a date phrase ",
            "; see osint_kit.analysis.date_phrases for the phrases read, "
            "or write ISO 8601 (2024-04-24, 2024-04, 2024)",
        )

    take = np.where(pair_codes < 0, n_pairs, pair_codes)
    take = np.where(t_codes < 0, n_pairs, take)

    def column(a, dtype):
        blank = None if dtype == "string" else np.datetime64("NaT", "us")
        arr = a.astype("datetime64[us]") if dtype != "string" else a
        return pd.array(np.append(arr, blank), dtype=dtype).take(take)

    return pd.DataFrame(
        {
            "date_start": column(start, "datetime64[us]").tz_localize("UTC"),
            "date_end": column(end, "datetime64[us]").tz_localize("UTC"),
            "date_precision": column(precision, "string"),
            "date_problem": column(problem, "string"),
            "date_convention": column(convention, "string"),
        },
        index=series.index,
    )


def phrases_for_unread(
    out: pd.DataFrame, values: pd.Series, unread: np.ndarray, reference
) -> pd.DataFrame:
    """The hook used by :func:`~osint_kit.analysis.dates.parse_dates`: rows it
    could not read (``unread``, a boolean mask over ``out``) are read as phrases;
    where a phrase is recognised its interval replaces the row's, and its
    problem (open-ended, relative without a reference, ...) replaces the
    "unrecognised" one, or clears it. Rows that are not phrases keep their
    original problem (more precise: "ambiguous slashed date", ...)."""
    ref = _reference_days(reference, values.index)[unread]
    got = parse_phrases(
        values[unread],
        reference=pd.Series(ref.astype("datetime64[us]"), index=values.index[unread]),
    )
    hit = got["date_convention"].notna().to_numpy(dtype=bool)
    if not hit.any():
        return out
    rows = np.flatnonzero(unread)[hit]
    out = out.copy()
    for col in ("date_start", "date_end", "date_precision", "date_problem"):
        arr = out[col].array.copy()
        arr[rows] = got[col].array[hit]  # extension arrays: one vectorised setitem
        out[col] = arr
    return out
