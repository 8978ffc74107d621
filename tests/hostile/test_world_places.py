"""Hostile text through the world gazetteer, relative texts and a record's places.

Properties (issue 14, bad input): nothing raises, whatever the text; one output
row per input row, same index (rows in = rows out); never a (0, 0) coordinate,
never one out of range; every non-empty text either has coordinates or a
problem with its fix, never both, never neither; an ambiguous world name is
never given a point; nothing evaluated (``{{7*7}}`` never becomes 49).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import examples, hostile_text, number_text

from osint_kit.analysis.places import Gazetteer, resolve_places
from osint_kit.analysis.relative_text import (
    places_from_text,
    record_places,
    resolve_place_texts,
)

WORLD_NAMES = st.sampled_from(
    [
        "Kazan",
        "Penza",
        "Пенза",
        "Астрахань",
        "Tripoli",
        "Tripoli, Libya",
        "Tripoli, Narnia",
        "Springfield",
        "Russia",
        "ایران",
        "امیرآباد",
        "Amirabad, Iran",
        "Pаris",  # Cyrillic "Р": mixed scripts
        "東京",  # a script the file does not carry
        "12345",
        "55.75, 37.61",
        ",",
        ", Iran",
        "Moscow ->",
        "-> Tehran",
        "Tehran -> -> Moscow",
        " ",
        "",
    ]
)
RELATIVE_TEXTS = st.sampled_from(
    [
        "15 km W of Penza",
        "about 15 km (9 miles) west of Kazan",
        "40000 km west of Tehran",
        "40,000 km west of Tehran",
        "15 km westish of Tehran",
        "westish of Tehran",
        "15 km W of",
        "15 km W of 12345",
        "near",
        "near Tripoli",
        "в 15 км к западу от Пензы",
        "в 40000 км к западу от Москвы",
        "۱۵ کیلومتری غرب امیرآباد",
        "۴۰۰۰۰ کیلومتری غرب تهران",
        "-15 km W of Tehran",
        "1e400 km W of Tehran",
        "15 km W of {{7*7}}",
    ]
)
TEXTS = st.one_of(WORLD_NAMES, RELATIVE_TEXTS, hostile_text(), number_text())


@pytest.fixture(scope="module")
def gaz(case):
    return Gazetteer(case)


def _check_points(out: pd.DataFrame, texts: pd.Series) -> None:
    assert out.index.equals(texts.index)  # rows in = rows out
    lat, lon = out["lat"].astype("float64"), out["lon"].astype("float64")
    assert not ((lat == 0) & (lon == 0)).any()
    assert not ((lat.abs() > 90) | (lon.abs() > 180)).any()
    assert lat.isna().equals(lon.isna())
    given_text = texts.astype("string").str.strip().fillna("") != ""
    placed = lat.notna()
    # a text with something in it: a point or a problem (with its fix), exactly one
    assert (out.loc[given_text & ~placed, "problem"].notna()).all()
    assert out.loc[placed, "problem"].isna().all()
    for text, matched in zip(texts[placed], out.loc[placed, "matched_name"]):
        assert "49" not in str(matched) or "49" in str(text)  # nothing evaluated


@settings(max_examples=examples(25))
@given(names=st.lists(st.one_of(st.none(), WORLD_NAMES, hostile_text()), max_size=10))
def test_resolve_places_reaching_the_world(gaz, names):
    series = pd.Series(names, dtype="string", index=pd.RangeIndex(5, 5 + len(names)))
    out = resolve_places(series, gaz)
    _check_points(out.assign(problem=out["problem"]), series.where(series.str.strip() != ""))
    # an ambiguous name is never given a point
    assert out.loc[out["candidates"].notna(), "lat"].isna().all()


@settings(max_examples=examples(25))
@given(texts=st.lists(st.one_of(st.none(), TEXTS), max_size=8))
def test_resolve_place_texts(gaz, texts):
    series = pd.Series(texts, dtype="object", index=pd.RangeIndex(2, 2 + len(texts)))
    out = resolve_place_texts(series, gaz)
    _check_points(out, series.where(series.astype("string").str.strip() != ""))
    # a relative text's radius is never below its reference's (a place is never surer)
    rel = (out["kind"] == "relative").fillna(False) & out["lat"].notna()
    assert (out.loc[rel, "radius_km"] > 0).all()


@settings(max_examples=examples(20))
@given(
    names=st.lists(
        st.one_of(
            st.none(),
            TEXTS,
            st.lists(TEXTS, min_size=2, max_size=3).map(" -> ".join),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_record_places(case, gaz, names):
    frame = pd.DataFrame(
        {"place_id": ["P01"] * len(names), "place_name": pd.Series(names, dtype="object")},
        index=pd.RangeIndex(2, 2 + len(names)),
    )
    out, problems = record_places(frame, case, gazetteer=gaz)
    named = frame["place_name"].astype("string").str.strip().fillna("") != ""
    # every record with a name has at least one part; a record without one has none
    assert set(out["row"]) == set(frame.index[named])
    lat = out["lat"].astype("float64")
    assert not ((lat == 0) & (out["lon"] == 0)).any()
    assert (out.loc[lat.isna(), "problem"].notna()).all()
    # one warning per part without a place, on the record's row
    assert len(problems) == int(lat.isna().sum())
    assert problems["row"].tolist() == out.loc[lat.isna(), "row"].tolist()


@settings(max_examples=examples(20))
@given(names=st.lists(st.one_of(RELATIVE_TEXTS, hostile_text()), min_size=1, max_size=5))
def test_places_from_text(names):
    n = len(names)
    frame = pd.DataFrame(
        {
            "place_id": ["R0", *[f"R{i + 1}" for i in range(n)]],
            "name": ["Tehran", *names],
            "alt_names": [None] * (n + 1),
            "lat": ["35.6892", *[None] * n],
            "lon": ["51.3890", *[None] * n],
            "precision": ["city", *["inferred"] * n],
        },
        index=pd.RangeIndex(2, 3 + n, name="row"),
    )
    out, problems = places_from_text(frame)
    assert out.index.equals(frame.index)
    lat = out["lat"].astype("float64")
    assert not ((lat == 0) & (out["lon"] == 0)).any()
    # every row without a point is explained in the problems
    assert set(out.index[lat.isna()]) <= set(problems["row"])
    assert np.isfinite(out.loc[lat.notna(), "radius_km"]).all()
