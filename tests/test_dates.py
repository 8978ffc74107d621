"""Tests for osint_kit.analysis.dates: each rule pinned with exact values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from osint_kit.analysis import dates as dates_mod
from osint_kit.analysis.dates import add_dates, parse_dates
from osint_kit.errors import DateParseError, OsintKitError


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def one(text: str) -> tuple:
    row = parse_dates([text]).iloc[0]
    return row["date_start"], row["date_end"], row["date_precision"], row["date_problem"]


# (text, start, inclusive end, precision, why the value is right)
CASES = [
    ("2024-04-24", "2024-04-24", "2024-04-24", "day", "an ISO day: start == end"),
    ("2024-09", "2024-09-01", "2024-09-30", "month", "ISO month: all 30 days of September"),
    ("September 2024", "2024-09-01", "2024-09-30", "month", "a named month is the whole month"),
    ("Sept. 2024", "2024-09-01", "2024-09-30", "month", "abbreviation with a dot"),
    ("Sep 2024", "2024-09-01", "2024-09-30", "month", "three-letter abbreviation"),
    (
        "January 2024",
        "2024-01-01",
        "2024-01-31",
        "month",
        "'January 2024' is a month: the whole of January, never 1 January",
    ),
    ("2024", "2024-01-01", "2024-12-31", "year", "a year runs to 31 December"),
    ("2024-04-13/2024-04-14", "2024-04-13", "2024-04-14", "range", "ISO interval, end inclusive"),
    ("13–14 April 2024", "2024-04-13", "2024-04-14", "range", "en dash day range"),
    ("13-14 April 2024", "2024-04-13", "2024-04-14", "range", "hyphen day range"),
    ("April 13-14, 2024", "2024-04-13", "2024-04-14", "range", "US-style day range"),
    (
        "2024-04/2024-06",
        "2024-04-01",
        "2024-06-30",
        "range",
        "a range of months runs to the end of the last month",
    ),
    ("13 April – 2 May 2024", "2024-04-13", "2024-05-02", "range", "range across two months"),
    ("April–June 2024", "2024-04-01", "2024-06-30", "range", "month range: April 1 to June 30"),
    ("2023/2024", "2023-01-01", "2024-12-31", "range", "two years: both whole"),
    ("24.04.2024", "2024-04-24", "2024-04-24", "day", "dotted numeric dates are day first"),
    ("April 24, 2024", "2024-04-24", "2024-04-24", "day", "month-name first, comma"),
    ("24 April 2024", "2024-04-24", "2024-04-24", "day", "day first, month name"),
    ("24 апреля 2024", "2024-04-24", "2024-04-24", "day", "Russian genitive month name"),
    ("апрель 2024", "2024-04-01", "2024-04-30", "month", "Russian nominative: whole month"),
    ("сентября 2024 г.", "2024-09-01", "2024-09-30", "month", "'г.' (год, year) suffix dropped"),
    ("в сентябре 2024 года", "2024-09-01", "2024-09-30", "month", "prepositional 'in September'"),
    ("24/04/2024", "2024-04-24", "2024-04-24", "day", "24 cannot be a month: one reading only"),
    ("04/24/2024", "2024-04-24", "2024-04-24", "day", "24 cannot be a month: one reading only"),
    ("03/03/2024", "2024-03-03", "2024-03-03", "day", "both readings are the same day"),
    ("2024-02-29", "2024-02-29", "2024-02-29", "day", "2024 is a leap year"),
]


@pytest.mark.parametrize("text,start,end,precision,why", CASES, ids=[c[0] for c in CASES])
def test_formats(text, start, end, precision, why):
    got = one(text)
    assert got[:3] == (ts(start), ts(end), precision), why
    assert got[3] is pd.NA


def test_offset_datetime_is_converted_to_utc():
    # 23:30 at +03:30 (Tehran standard time) is 20:00 UTC; a datetime is an instant: start == end
    start, end, precision, problem = one("2024-04-13T23:30:00+03:30")
    assert start == end == ts("2024-04-13 20:00")
    assert precision == "datetime" and problem is pd.NA


def test_datetime_without_offset_is_taken_as_utc():
    # documented rule: no offset means UTC
    assert one("2024-04-13 12:00")[0] == ts("2024-04-13 12:00")


def test_dotted_datetime_is_day_first_and_like_iso():
    # "24.04.2024 10:35" is 24 April (dotted = day first) at 10:35, UTC when no offset is given
    start, end, precision, problem = one("24.04.2024 10:35")
    assert start == end == ts("2024-04-24 10:35")
    assert precision == "datetime" and problem is pd.NA
    # with Moscow's offset (+03:00) the instant is 07:35 UTC; one-digit day and month are padded
    assert one("4.9.2024 10:35:00 +03:00")[0] == ts("2024-09-04 07:35")
    # an impossible time is a problem, not a guess
    assert one("24.04.2024 25:61")[3] is not pd.NA


def test_empty_is_unknown_and_kept_without_problem():
    got = parse_dates(["", "   ", None, np.nan])
    assert len(got) == 4  # nothing dropped
    assert got["date_start"].isna().all() and got["date_end"].isna().all()
    assert got["date_precision"].isna().all() and got["date_problem"].isna().all()


def test_ambiguous_slashed_date_is_reported_not_guessed():
    start, end, precision, problem = one("03/04/2024")
    assert pd.isna(start) and pd.isna(end) and precision is pd.NA
    # both readings and the ISO fix for each are spelled out
    assert problem == (
        "ambiguous slashed date '03/04/2024': 3 April 2024 (day first) or 4 March 2024 "
        "(month first); write ISO 2024-04-03 or 2024-03-04"
    )


@pytest.mark.parametrize(
    "text,reason",
    [
        ("2024-13", "not a calendar date"),  # month 13
        ("2024-02-30", "not a calendar date"),  # February never has 30 days
        ("2023-02-29", "not a calendar date"),  # 2023 is not a leap year
        ("13.13.2024", "not a calendar date"),
        ("13/13/2024", "not a calendar date"),  # neither number can be a month
        ("2024-04-14/2024-04-13", "ends before it starts"),
        ("14-13 April 2024", "ends before it starts"),
        ("Foo 2024", "unknown month name"),
        ("sometime soon", "unrecognised date"),
        ("2024-04-13T25:00Z", "not a valid date and time"),
        ("2024-04-13/2024-13", "cannot read range"),
    ],
)
def test_bad_values_are_problems(text, reason):
    start, end, precision, problem = one(text)
    assert pd.isna(start) and pd.isna(end) and precision is pd.NA
    assert problem.startswith(reason) or reason in problem
    assert repr(text) in problem  # the value is quoted in its reason


def test_dtypes_exact():
    got = parse_dates(["2024", "", "x"])
    assert list(got.columns) == ["date_start", "date_end", "date_precision", "date_problem"]
    assert got["date_start"].dtype == pd.DatetimeTZDtype(unit="us", tz="UTC")
    assert got["date_end"].dtype == pd.DatetimeTZDtype(unit="us", tz="UTC")
    assert got["date_precision"].dtype == pd.StringDtype()  # "string", missing is <NA>
    assert got["date_problem"].dtype == pd.StringDtype()


def test_index_is_preserved():
    s = pd.Series(["2024", "2024-09"], index=pd.Index([7, 3], name="row"))
    got = parse_dates(s)
    assert got.index.equals(s.index)
    assert got.loc[3, "date_end"] == ts("2024-09-30")  # row label 3 holds "2024-09"


def test_repeated_input_maps_back_correctly():
    # distinct values are parsed once and mapped back; every row must get its own value's result
    values = ["2024-09", "24.04.2024", "2024-09", "", "03/04/2024", "24.04.2024", "2024-09"] * 100
    got = parse_dates(values)
    single = parse_dates(list(dict.fromkeys(values)))  # each distinct value once
    expected = single.set_axis(list(dict.fromkeys(values))).loc[values].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)


def test_each_distinct_string_parsed_once(monkeypatch):
    seen = []
    real = dates_mod.parse_distinct  # the rule cascade (analysis/date_parts.py), as dates calls it

    def spy(raw, **kw):
        seen.append(list(raw))
        return real(raw, **kw)

    monkeypatch.setattr(dates_mod, "parse_distinct", spy)
    parse_dates([" 2024 ", "2024", "2024-09", None, "2024-09"] * 1000)
    # one call over the distinct stripped texts (whitespace around them does not matter)
    assert seen == [["2024", "2024-09"]]


def test_strict_raises_listing_every_bad_value():
    s = pd.Series(["2024", "03/04/2024", "2024-13"], index=pd.Index([2, 3, 4], name="row"))
    with pytest.raises(DateParseError) as err:
        parse_dates(s, strict=True)
    text = str(err.value)
    assert text.startswith("2 date(s) cannot be read")
    assert "row 3: value '03/04/2024': ambiguous slashed date" in text
    assert "row 4: value '2024-13': not a calendar date" in text
    assert "write ISO" in text  # what to do


def test_strict_passes_clean_input():
    assert parse_dates(["2024", ""], strict=True)["date_precision"].tolist() == ["year", pd.NA]


def test_add_dates_with_prefix_keeps_columns_and_copies():
    df = pd.DataFrame({"source_id": ["a", "b"], "published": ["2025-03", "2025-03-04"]})
    out = add_dates(df, "published", prefix="published")
    assert list(out.columns) == [
        "source_id",
        "published",
        "published_start",
        "published_end",
        "published_precision",
        "published_problem",
    ]
    # "2025-03" is March 2025: ends on the 31st
    assert out["published_end"].tolist() == [ts("2025-03-31"), ts("2025-03-04")]
    assert "published_start" not in df.columns  # the input is not modified


def test_add_dates_missing_column_says_what_exists():
    from osint_kit.errors import OsintKitError

    with pytest.raises(OsintKitError, match=r"no column 'date'.*\['when'\]"):
        add_dates(pd.DataFrame({"when": ["2024"]}))


def test_persian_arabic_and_fullwidth_digits_are_read():
    # the same day in Arabic-Indic, Persian and fullwidth digits, and dotted
    got = parse_dates(["٢٠٢٤-٠٤-٢٤", "۲۰۲۴-۰۴-۲۴", "２０２４-０４-２４", "۲۴.۰۴.۲۰۲۴"])
    assert (got["date_start"] == pd.Timestamp("2024-04-24", tz="UTC")).all()
    assert (got["date_precision"] == "day").all()


def test_a_hijri_year_in_persian_digits_is_reported_not_read_as_gregorian():
    # ۱۴۰۳-۰۲-۰۵ is 5 Ordibehesht 1403 in Iran's Solar Hijri calendar (24 April
    # 2024); read as Gregorian it would be 5 February 1403. 1403 SH runs from
    # March 2024 to March 2025; 1403 lunar Hijri ~ 1982/83 CE (x 0.970229 + 621.5643).
    got = parse_dates(["۱۴۰۳-۰۲-۰۵"])
    assert pd.isna(got.loc[0, "date_start"]) and pd.isna(got.loc[0, "date_precision"])
    assert got.loc[0, "date_problem"] == (
        "date '۱۴۰۳-۰۲-۰۵' has the year 1403: a Hijri-calendar year (Solar Hijri, Iran's "
        "calendar: 2024/25 CE; lunar Hijri: 1982/83 CE)? Convert it to the Gregorian "
        "calendar; the kit does not guess calendars"
    )
    # in ASCII digits the year is taken as written (no guessing either way)
    assert parse_dates(["1446-10-15"]).loc[0, "date_start"] == pd.Timestamp("1446-10-15", tz="UTC")


def test_long_values_are_cut_in_messages():
    got = parse_dates(["x" * 10_000, "x" * 150])
    # 79 characters of the value and "…", inside the usual message; over 200 characters
    # (dates.MAX_DATE_CHARS) the text is not a date and the message gives its length
    assert got.loc[0, "date_problem"].startswith(
        "not a date (10000 characters; a date has at most 200): '" + "x" * 79 + "…'; write ISO"
    )
    assert got.loc[1, "date_problem"].startswith("unrecognised date '" + "x" * 79 + "…'; write ISO")


def test_phrases_the_rules_cannot_read_are_read_by_date_phrases():
    # the hook: "early 2024" is the first third of 2024 (analysis/date_phrases.py),
    # and a closed phrase leaves no problem, so strict mode accepts it
    got = parse_dates(["early 2024", "2024"], strict=True)
    assert got["date_start"].tolist() == [pd.Timestamp("2024-01-01", tz="UTC")] * 2
    assert got["date_end"].tolist() == [
        pd.Timestamp("2024-04-30", tz="UTC"),
        pd.Timestamp("2024-12-31", tz="UTC"),
    ]
    assert got["date_precision"].tolist() == ["range", "year"]
    # an open-ended phrase is dated by convention and keeps its warning, which strict raises
    with pytest.raises(DateParseError, match=r"row 0: value 'before May 2024': open-ended"):
        parse_dates(["before May 2024"], strict=True)


def test_reference_keyword_dates_relative_phrases():
    # "last year" in a source published on 4 March 2025 is 2024 (a whole year)
    got = parse_dates(["last year"], reference=pd.Timestamp("2025-03-04", tz="UTC"))
    assert got.iloc[0, :3].tolist() == [
        pd.Timestamp("2024-01-01", tz="UTC"),
        pd.Timestamp("2024-12-31", tz="UTC"),
        "year",
    ]


def test_add_dates_reads_relative_phrases_against_a_reference_column():
    claims = pd.DataFrame(
        {
            "date_text": ["last year", "on Tuesday", "2024-04"],
            "published": ["2025-03-04", "2025-03-06", ""],
        }
    )
    got = add_dates(claims, "date_text", reference="published")
    # 4 March 2025: last year is 2024; Thursday 6 March 2025: the latest Tuesday is 4 March;
    # a plain month needs no reference (an empty one changes nothing)
    assert got["date_start"].tolist() == [
        pd.Timestamp("2024-01-01", tz="UTC"),
        pd.Timestamp("2025-03-04", tz="UTC"),
        pd.Timestamp("2024-04-01", tz="UTC"),
    ]
    assert got["date_precision"].tolist() == ["year", "day", "month"]
    assert got["date_problem"].isna().all()
    with pytest.raises(OsintKitError, match="no column 'pub' for the reference dates"):
        add_dates(claims, "date_text", reference="pub")
