"""Hostile text through the normalisers: dates, places, relative places, passports.

Properties: only the kit's own errors; one output row per input row, same
index; never a (0, 0) coordinate that the input did not give; coordinates in
range; nothing evaluated (``{{7*7}}`` never becomes 49); a passport number
never shown whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import examples, hostile_text, number_text

from osint_kit.analysis import date_parts
from osint_kit.analysis.dates import parse_dates
from osint_kit.analysis.documents import classify_passports
from osint_kit.analysis.places import resolve_places, resolve_relative
from osint_kit.errors import OsintKitError
from osint_kit.text import hidden_characters

DATE_TEXTS = st.one_of(
    st.sampled_from(
        [
            "2024-04-24",
            "24.04.2024",
            "April 2024",
            "Апрель 2024",
            "2024-04-13/2024-04-14",
            "2024-04-24T25:00",
            "0",
            "-1",
            "9999-12-31T23:59:59Z",
            "1e400",
            "",
        ]
    ),
    hostile_text(),
    number_text(),
)


@settings(max_examples=examples(40))
@given(values=st.lists(st.one_of(st.none(), DATE_TEXTS), max_size=12))
def test_parse_dates(values):
    series = pd.Series(values, dtype=object, index=pd.RangeIndex(2, 2 + len(values)))
    out = parse_dates(series)
    assert out.index.equals(series.index)  # rows in = rows out
    known = out["date_start"].notna()
    # a date is an interval: start <= end, with a precision; an unread text has a reason
    assert (out.loc[known, "date_start"] <= out.loc[known, "date_end"]).all()
    assert out.loc[known, "date_precision"].notna().all()
    texts = series.map(lambda v: v.strip() if isinstance(v, str) else "")
    unread = ~known & (texts != "")
    assert out.loc[unread, "date_problem"].notna().all()
    # strict mode raises the kit's own error, and only when there is a problem
    if out["date_problem"].notna().any():
        with pytest.raises(OsintKitError):
            parse_dates(series, strict=True)


NAMES = st.one_of(
    st.sampled_from(
        [
            "Moscow",
            "Москва",
            "Tehran",
            "تهران",
            "SVO",
            "UUEE",
            "IKA",
            "P01",
            "P11",
            "IATA:SVO",
            "",
            "0",
        ]
    ),
    hostile_text(),
)


@settings(max_examples=examples(40))
@given(names=st.lists(st.one_of(st.none(), NAMES), max_size=12))
def test_resolve_places(names):
    series = pd.Series(names, dtype="string")
    out = resolve_places(series)
    assert out.index.equals(series.index)
    lat, lon = out["lat"].astype("float64"), out["lon"].astype("float64")
    assert not ((lat == 0) & (lon == 0)).any()
    assert not ((lat.abs() > 90) | (lon.abs() > 180)).any()
    # a name no gazetteer knows has NaN coordinates and a reason, never a guess
    resolved = lat.notna()
    assert out.loc[resolved, "matched_name"].notna().all()
    for name, matched in zip(series[resolved], out.loc[resolved, "matched_name"]):
        assert "49" not in str(matched) or "49" in str(name)  # nothing evaluated
    # a name with an invisible character is never the place it looks like ("SVO\u202e")
    for name, la in zip(series, lat):
        if pd.notna(name) and hidden_characters(name.strip(), words=True):
            assert np.isnan(la), repr(name)


COORD = st.one_of(st.sampled_from(["36.854", "53.371", "-90", "180", "95", "400"]), number_text())
BEARING = st.one_of(st.sampled_from(["W", "NNE", "270", "-10", "361", "west", ""]), hostile_text())
DISTANCE = st.one_of(
    st.sampled_from(
        [
            "15",
            "0",
            "-1",
            "40000",
            "20037",
            "20003.931",
            "1e400",
            "inf",
            "about 15 km",
            "около 15 км",
            "15km",
            "15 miles",
        ]
    ),
    number_text(),
    hostile_text(),
)


@settings(max_examples=examples(40))
@given(
    rows=st.lists(
        st.tuples(COORD, COORD, st.sampled_from(["", "a0", "a1", "a2", "zz"]), DISTANCE, BEARING),
        min_size=1,
        max_size=5,
    )
)
def test_resolve_relative(rows):
    frame = pd.DataFrame(
        {
            "place_id": [f"a{i}" for i in range(len(rows))],
            "name": [f"Place {{{{7*7}}}} {i}" for i in range(len(rows))],
            "alt_names": "",
            "precision": "city",
            "lat": [r[0] for r in rows],
            "lon": [r[1] for r in rows],
            "relative_to": [r[2] for r in rows],
            "distance_km": [r[3] for r in rows],
            "bearing": [r[4] for r in rows],
        },
        index=pd.RangeIndex(2, 2 + len(rows), name="row"),
    )
    out, problems = resolve_relative(frame)
    assert out.index.equals(frame.index)
    assert out["name"].equals(frame["name"])  # "{{7*7}}" stays text
    lat, lon = out["lat"].astype("float64"), out["lon"].astype("float64")
    assert not ((lat == 0) & (lon == 0)).any()
    assert not ((lat.abs() > 90) | (lon.abs() > 180) | np.isinf(lat) | np.isinf(lon)).any()
    # a place left without coordinates has at least one problem row
    lacking = set(out.index[lat.isna()])
    assert lacking <= set(problems["row"])  # the long-form problems table names the row


PASSPORTS = st.one_of(
    st.sampled_from(
        [
            "20 1234567",
            "10 7654321",
            "№ 75 1234567",
            "4510123456",
            "201234567\x00",
            ("\u0662\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667"),
            "",
            " ",
        ]
    ),
    hostile_text(),
    st.integers(0, 10**12).map(str),
)


@settings(max_examples=examples(40))
@given(numbers=st.lists(st.one_of(st.none(), PASSPORTS), max_size=10))
def test_classify_passports(numbers):
    series = pd.Series(numbers, dtype=object)
    out = classify_passports(series)
    assert out.index.equals(series.index)
    for raw, masked, digest in zip(series, out["passport_masked"], out["passport_hash"]):
        if raw is None:
            assert pd.isna(masked) and pd.isna(digest)
            continue
        digits = "".join(ch for ch in raw if ch.isascii() and ch.isdigit())
        if len(digits) >= 5 and pd.notna(masked):
            assert digits not in masked  # never shown whole
        if len(digits) >= 9 and pd.notna(digest):
            assert digits not in digest


# --------------------------------------------------------------------------- regressions


@pytest.mark.timeout(60)  # today: milliseconds; the quadratic code took ~10 s here
def test_parse_dates_long_text_is_fast():
    text = "2024-04" + "x" * 12_000
    out = parse_dates([text])
    # over dates.MAX_DATE_CHARS (200) a text is not a date: a problem naming its length
    # (12,007), the value cut at 80 characters (79 + "…"), the parsers not run on it
    assert out["date_problem"].iloc[0] == (
        "not a date (12007 characters; a date has at most 200): '" + text[:79] + "…'; "
        "write ISO 8601: 2024-04-24, 2024-04 (a month), 2024, or 2024-04-13/2024-04-14 "
        "(a range)"
    )
    assert out.iloc[0, :3].isna().all()  # no interval, no precision


@pytest.mark.timeout(60)  # linear: ~0.2 s; the unanchored range split took > 10 minutes
def test_parse_dates_parsers_are_linear(monkeypatch):
    # run the parsers on a huge text: the rule cascade (analysis/date_parts.py) and the
    # phrase reader (analysis/date_phrases.py), which parse_dates tries on what is unread
    monkeypatch.setattr(date_parts, "MAX_DATE_CHARS", 10**7)
    text = "2024-04" + "x" * 131_089
    out = parse_dates([text, "13 - 14 April 2024 to x"])
    assert out["date_problem"].iloc[0].startswith("unrecognised date '2024-04xxx")
    assert out["date_problem"].iloc[1].startswith("cannot read range '13 - 14 April 2024 to x'")


def test_relative_distance_1e400_is_a_problem():
    frame = pd.DataFrame(
        {
            "place_id": ["a", "b"],
            "name": ["A", "B"],
            "alt_names": "",
            "lat": ["35", ""],
            "lon": ["51", ""],
            "precision": ["city", "inferred"],
            "relative_to": ["", "a"],
            "distance_km": ["", "1e400"],
            "bearing": ["", "W"],
        }
    )
    out, problems = resolve_relative(frame)
    # an infinite distance cannot be walked: no coordinates, and a reason naming the value
    assert np.isnan(out["lat"].iloc[1]) and np.isnan(out["lon"].iloc[1])
    assert (problems["column"] == "distance_km").any()


def test_places_zero_zero_is_a_problem():
    frame = pd.DataFrame(
        {
            "place_id": ["a"],
            "name": ["A"],
            "alt_names": "",
            "lat": ["0"],
            "lon": ["0"],
            "precision": ["city"],
        }
    )
    out, problems = resolve_relative(frame)
    assert np.isnan(out["lat"].iloc[0]) and np.isnan(out["lon"].iloc[0])
    assert len(problems) == 1
    assert problems[["column", "value"]].iloc[0].tolist() == ["lat,lon", "0, 0"]
