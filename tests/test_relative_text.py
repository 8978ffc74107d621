"""Tests for osint_kit.analysis.relative_text: relative places read from text, search areas."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osint_kit.analysis import relative_text as R
from osint_kit.analysis.places import (
    MAX_RELATIVE_DISTANCE_KM,
    destination_point,
    geodesic_inverse,
    geodesic_km,
)
from osint_kit.errors import PlaceResolutionError

P01 = (36.854, 53.371)  # case P01, port of Amirabad (places.csv)


def parse_one(text) -> dict:
    """parse_relative on one text, as a dict of plain values (NA -> None)."""
    row = R.parse_relative(pd.Series([text], dtype="object")).iloc[0]
    return {
        k: (None if pd.isna(v) else v.item() if isinstance(v, np.generic) else v)
        for k, v in row.items()
    }


def read(text) -> tuple:
    """The core reading: (reference_name, distance_km, bearing, bearing_deg, hedge, problem)."""
    r = parse_one(text)
    return (
        r["reference_name"],
        r["distance_km"],
        r["bearing"],
        r["bearing_deg"],
        r["hedge"],
        r["problem"],
    )


# ---------------------------------------------------------------------------- English


def test_bundled_case_phrase():
    # the case's P02 says "about 15 km west of the port of Amirabad" (places.csv name): 15 km as
    # written, W = 270 deg (a 4-point word, +-45 deg), hedged "about" -> +-30 %, a port
    r = parse_one("about 15 km west of the port of Amirabad")
    assert r == {
        "reference": "the port of Amirabad",
        "reference_name": "Amirabad",
        "reference_kind": "port",
        "reference_context": None,
        "distance": 15.0,
        "distance_unit": "km",
        "distance_km": 15.0,
        "distance_rel_tol": 0.30,
        "bearing": "W",
        "bearing_deg": 270.0,
        "bearing_tol_deg": 45.0,
        "hedge": "about",
        "hedge_kind": "approx",
        "near_km": None,
        "relative": True,
        "problem": None,
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        # abbreviation and word give the same reading; no hedge -> the kit's 20 %
        ("15 km W of X", ("X", 15.0, "W", 270.0, None, None)),
        ("15km west of X", ("X", 15.0, "W", 270.0, None, None)),
        # 9 miles = 14.484 km, 3.4 % from 15 km: agrees, the first (km) is kept
        ("about 15 km (9 miles) west of X", ("X", 15.0, "W", 270.0, "about", None)),
        ("15 km/9 mi west of X", ("X", 15.0, "W", 270.0, None, None)),
        ("some 15 kilometres west of the port of X", ("X", 15.0, "W", 270.0, "some", None)),
        # no distance: a "near" circle, no bearing
        ("near X", ("X", None, None, None, "near", None)),
        ("outside X", ("X", None, None, None, "outside", None)),
        # bearing only: NE = 45 deg whether written out or abbreviated
        ("north-east of X", ("X", None, "NE", 45.0, None, None)),
        ("NE of X", ("X", None, "NE", 45.0, None, None)),
        ("15 km north east of X", ("X", 15.0, "NE", 45.0, None, None)),
        ("NNE of X", ("X", None, "NNE", 22.5, None, None)),
        # a distance without a bearing: a ring, no bearing
        ("15 km from X", ("X", 15.0, None, None, None, None)),
        ("15 km away from X", ("X", 15.0, None, None, None, None)),
        ("15 km outside of X", ("X", 15.0, None, None, None, None)),
        ("15 km to the west of X", ("X", 15.0, "W", 270.0, None, None)),
        ("15 km due west of X", ("X", 15.0, "W", 270.0, None, None)),
        ("15 km northwest away from X", ("X", 15.0, "NW", 315.0, None, None)),
        # "Port of Spain" is a name (capitalised, no article), not "the port of Spain"
        ("10 km south of Port of Spain", ("Port of Spain", 10.0, "S", 180.0, None, None)),
    ],
)
def test_english(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    "text, distance, unit, km",
    [
        ("10 miles north of X", 10.0, "mi", 16.09344),  # 1 mi = 1.609344 km exactly
        ("12 nautical miles east of X", 12.0, "nmi", 22.224),  # 1 nmi = 1.852 km exactly
        ("12 NM east of X", 12.0, "nmi", 22.224),
        ("500 m south of X", 500.0, "m", 0.5),
        ("2.5 km south of X", 2.5, "km", 2.5),
    ],
)
def test_units(text, distance, unit, km):
    r = parse_one(text)
    assert (r["distance"], r["distance_unit"], r["problem"]) == (distance, unit, None)
    assert r["distance_km"] == pytest.approx(km, abs=1e-12)


def test_claim_sentence_of_the_case():
    # claims.csv C13, the whole sentence: the phrase follows a subject; what follows the
    # reference's name ("on Iran's Caspian coast") is its context, not its name
    r = parse_one(
        "That missile base is about 15 km (9 miles) west of the port of Amirabad "
        "on Iran's Caspian coast."
    )
    assert (
        r["reference"],
        r["reference_name"],
        r["reference_kind"],
        r["reference_context"],
        r["distance_km"],
        r["bearing_deg"],
        r["hedge"],
        r["problem"],
    ) == (
        "the port of Amirabad",
        "Amirabad",
        "port",
        "on Iran's Caspian coast",
        15.0,
        270.0,
        "about",
        None,
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        # the case's own wording (claims.csv C13 place column, assertions.csv quotes)
        (
            "~15 km W of Amirabad port, Mazandaran",
            ("Amirabad port", "Amirabad", "port", "Mazandaran", 15.0, "~", "approx"),
        ),
        (
            "base about 15 km west of Amirabad port",
            ("Amirabad port", "Amirabad", "port", None, 15.0, "about", "approx"),
        ),
        (
            "around 15 km west of Amirabad",
            ("Amirabad", "Amirabad", None, None, 15.0, "around", "approx"),
        ),
        (
            'base "near" the port of Amirabad',
            ("the port of Amirabad", "Amirabad", "port", None, None, "near", "near"),
        ),
        ("base near Amirabad", ("Amirabad", "Amirabad", None, None, None, "near", "near")),
    ],
)
def test_case_wordings(text, expected):
    r = parse_one(text)
    assert (
        r["reference"],
        r["reference_name"],
        r["reference_kind"],
        r["reference_context"],
        r["distance_km"],
        r["hedge"],
        r["hedge_kind"],
    ) == expected
    assert r["problem"] is None


def test_uncertainty_columns():
    # the rule: plain distance 20 %, hedged 30 %, no distance -> NaN tolerance and the 25 km
    # near radius; bearing tolerance as bearing_to_degrees gives it (W 45, NE 22.5, WNW 11.25)
    out = R.parse_relative(pd.Series(["15 km W of X", "about 15 km NE of X", "near X", "WNW of X"]))
    assert out["distance_rel_tol"].tolist()[:2] == [0.20, 0.30]
    assert out["distance_rel_tol"].isna().tolist()[2:] == [True, True]
    assert out["near_km"].isna().tolist()[:2] == [True, True]
    assert out["near_km"].tolist()[2:] == [25.0, 25.0]
    assert out["bearing_tol_deg"].tolist()[:2] == [45.0, 22.5]
    assert out["bearing_tol_deg"].tolist()[3] == 11.25
    assert math.isnan(out["bearing_tol_deg"].tolist()[2])


# ---------------------------------------------------------------------------- Russian


@pytest.mark.parametrize(
    "text, expected",
    [
        ("в 15 км к западу от X", ("X", 15.0, "W", 270.0, None, None)),
        (
            "примерно в 15 километрах к северо-востоку от X",
            ("X", 15.0, "NE", 45.0, "примерно", None),
        ),
        # "около" before a number is "about", before a name "near"
        ("около 15 км к западу от порта Амирабад", ("Амирабад", 15.0, "W", 270.0, "около", None)),
        ("около Москвы", ("Москвы", None, None, None, "около", None)),
        ("недалеко от X", ("X", None, None, None, "недалеко от", None)),
        # the comparative form takes the name without "от"; the name keeps its genitive
        ("в 15 км западнее Амирабада", ("Амирабада", 15.0, "W", 270.0, None, None)),
        ("к югу от Москвы", ("Москвы", None, "S", 180.0, None, None)),
        ("в 1,5 км к югу от X", ("X", 1.5, "S", 180.0, None, None)),  # decimal comma
    ],
)
def test_russian(text, expected):
    assert read(text) == expected


def test_russian_kind_and_context():
    r = parse_one("в 15 км к западу от порта Амирабад в Иране")
    assert (r["reference"], r["reference_name"], r["reference_kind"], r["reference_context"]) == (
        "порта Амирабад",
        "Амирабад",
        "port",
        "в Иране",
    )


# ---------------------------------------------------------------------------- Persian


@pytest.mark.parametrize(
    "text, expected",
    [
        # Persian digits ۱۵ = 15; کیلومتری = "at ... km"; غرب = west
        ("۱۵ کیلومتری غرب X", ("X", 15.0, "W", 270.0, None, None)),
        ("در ۱۵ کیلومتری غرب بندر امیرآباد", ("امیرآباد", 15.0, "W", 270.0, None, None)),
        # حدود = about; شمال‌شرق (with a zero-width non-joiner) = north-east
        ("حدود ۱۵ کیلومتری شمال\u200cشرق تهران", ("تهران", 15.0, "NE", 45.0, "حدود", None)),
        # Arabic-Indic digits and Arabic yeh/kaf (كيلومتري) read the same
        ("١٥ كيلومتري غرب X", ("X", 15.0, "W", 270.0, None, None)),
        ("۲٫۵ کیلومتری جنوب X", ("X", 2.5, "S", 180.0, None, None)),  # ٫ = decimal separator
        ("نزدیک X", ("X", None, None, None, "نزدیک", None)),
        ("در نزدیکی بندر امیرآباد", ("امیرآباد", None, None, None, "نزدیکی", None)),
    ],
)
def test_persian(text, expected):
    assert read(text) == expected


def test_persian_port_kind():
    r = parse_one("در ۱۵ کیلومتری غرب بندر امیرآباد")
    # the full text as written (the case's P01 lists "بندر امیرآباد" as an alt name) and the kind
    assert (r["reference"], r["reference_kind"], r["distance_rel_tol"]) == (
        "بندر امیرآباد",
        "port",
        0.20,
    )


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "text, fragment",
    [
        # 40,000 km passes the antipode: longer than the WGS84 pole-to-pole 20,003.931 km
        ("40,000 km west of X", "longer than any distance on the Earth (20,003.931 km"),
        ("25,000 miles W of X", "(40,234 km) is longer than any distance"),
        ("15 km westish of X", "bearing 'westish' is not a compass point"),
        ("westish of X", "bearing 'westish' is not a compass point"),
        ("15 km west of 42", "reference '42' is a number, not a place name"),
        ("15 km west of 36.85, 53.37", "reference '36.85' is a number"),
        ("", "empty text"),
        ("   ", "empty text"),
        (None, "empty text"),
        ("Tehran", "'Tehran' is not a relative place"),
        ("Port of Spain", "is not a relative place"),
        ("15 km west of", "names no reference place"),
        # 20 miles = 32.2 km, not 15 km: the source contradicts itself
        ("about 15 km (20 miles) west of X", "the two distances disagree"),
        (
            "в 1,500 км от X",
            "is ambiguous: a thousands separator (1500) or a decimal comma (1.500)",
        ),
        ("ten km west of X", "no number in digits was read"),
        ("15 km inland of X", "bearing 'inland' is not a compass point"),
    ],
)
def test_bad_input_is_a_problem(text, fragment):
    r = parse_one(text)
    assert r["problem"] is not None and fragment in r["problem"]


def test_bad_values_are_nan_not_zero():
    r = parse_one("40,000 km west of X")
    # the distance as written is kept, its km value is NaN (never 0, never a wrapped point)
    assert (r["distance"], r["distance_km"], r["bearing"]) == (40000.0, None, "W")


def test_index_and_distinct_texts():
    texts = pd.Series(["near X", None, "near X", "15 km W of Y"], index=[10, 11, 12, 13])
    out = R.parse_relative(texts)
    assert out.index.tolist() == [10, 11, 12, 13]  # rows in = rows out
    assert out.columns.tolist() == R.RELATIVE_TEXT_COLUMNS
    assert out["reference"].tolist()[0] == out["reference"].tolist()[2] == "X"
    assert out["problem"].notna().tolist() == [False, True, False, False]
    assert str(out["reference"].dtype) == "string" and out["distance_km"].dtype == "float64"


# ---------------------------------------------------------------------------- search area


def _check_vertices(area, lat, lon, eps_km=1e-6, eps_deg=1e-6):
    """Every vertex within [inner, outer] km of the reference and within the bearing range."""
    az, _, km = geodesic_inverse(lat, lon, area.lat, area.lon)
    assert np.all(km >= area.inner_km - eps_km) and np.all(km <= area.outer_km + eps_km)
    if area.kind == "sector":
        lo = area.bearing_from_deg
        width = (area.bearing_to_deg - lo) % 360.0
        off = (az[km > 1e-6] - lo + eps_deg) % 360.0  # the apex (the reference) has no azimuth
        assert np.all(off <= width + 2 * eps_deg)


def test_bundled_case_sector():
    # "about 15 km west of the port": 15 * (1 -+ 0.3) = 10.5..19.5 km, 270 -+ 45 = 225..315 deg
    area = R.search_area(*P01, 0.0, 15.0, 0.30, 270.0, 45.0)
    assert (
        area.kind,
        area.inner_km,
        area.outer_km,
        area.bearing_from_deg,
        area.bearing_to_deg,
    ) == ("sector", 10.5, 19.5, 225.0, 315.0)
    # closed ring: 33 outer + 33 inner vertices + the first again
    assert len(area.lat) == 67 and (area.lat[0], area.lon[0]) == (area.lat[-1], area.lon[-1])
    # the first vertex is 19.5 km along 225 deg, the geodesic destination_point gives
    assert (area.lat[0], area.lon[0]) == pytest.approx(
        destination_point(*P01, 225.0, 19.5), abs=1e-12
    )
    _check_vertices(area, *P01)
    # the structured columns (15, W, no hedge) keep the 12-18 km
    plain = R.search_area(*P01, 0.0, 15.0, 0.20, 270.0, 45.0)
    assert (plain.inner_km, plain.outer_km) == pytest.approx((12.0, 18.0), abs=1e-12)


def test_sector_with_the_reference_radius():
    # P01's own 5 km: distances 10.5 - 5 = 5.5 .. 19.5 + 5 = 24.5 km; half-width
    # 45 + asin(5 / 10.5) = 45 + 28.4369... deg (a point 5 km sideways of the 10.5 km arc)
    area = R.search_area(*P01, 5.0, 15.0, 0.30, 270.0, 45.0)
    half = 45.0 + math.degrees(math.asin(5.0 / 10.5))
    assert half == pytest.approx(73.43689014885535, abs=1e-12)
    assert (area.kind, area.inner_km, area.outer_km) == ("sector", 5.5, 24.5)
    assert (area.bearing_from_deg, area.bearing_to_deg) == pytest.approx(
        (270.0 - half, 270.0 + half), abs=1e-9
    )
    _check_vertices(area, *P01)


def test_circles():
    # "near the port": 0 .. 25 + 5 = 30 km, all directions
    near = R.search_area(*P01, 5.0, math.nan, math.nan, math.nan, math.nan)
    assert (near.kind, near.inner_km, near.outer_km) == ("circle", 0.0, 30.0)
    km = geodesic_km(*P01, np.array(near.lat), np.array(near.lon))
    assert km == pytest.approx(np.full(len(near.lat), 30.0), abs=1e-9)
    # a distance and no bearing: the disc holding the 12..18 km ring
    ring = R.search_area(*P01, 0.0, 15.0, 0.20, math.nan, math.nan)
    assert (ring.kind, ring.outer_km) == ("circle", pytest.approx(18.0, abs=1e-12))
    # the reference's disc reaches the apex of "NE of X": no direction can be excluded
    ne = R.search_area(*P01, 5.0, math.nan, math.nan, 45.0, 22.5)
    assert (ne.kind, ne.outer_km) == ("circle", 30.0)
    # a point reference: "NE of X" is the 0..25 km sector 22.5..67.5 deg, apex at X
    ne0 = R.search_area(*P01, 0.0, math.nan, math.nan, 45.0, 22.5)
    assert (ne0.kind, ne0.inner_km, ne0.outer_km, ne0.bearing_from_deg, ne0.bearing_to_deg) == (
        "sector",
        0.0,
        25.0,
        22.5,
        67.5,
    )
    assert (ne0.lat[0], ne0.lon[0]) == pytest.approx(P01, abs=1e-12)


@pytest.mark.parametrize(
    "args",
    [
        (math.nan, 53.0, 0.0, 15.0, 0.2, 270.0, 45.0),  # no reference coordinates
        (95.0, 53.0, 0.0, 15.0, 0.2, 270.0, 45.0),
        (36.0, 53.0, 0.0, 40000.0, 0.2, 270.0, 45.0),  # beyond pole-to-pole
        (36.0, 53.0, -1.0, 15.0, 0.2, 270.0, 45.0),
        (36.0, 53.0, 0.0, "fifteen", 0.2, 270.0, 45.0),
    ],
)
def test_search_area_bad_values_raise_kit_error(args):
    with pytest.raises(PlaceResolutionError):
        R.search_area(*args)


# ---------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.text(max_size=80)), min_size=1, max_size=8))
def test_arbitrary_text_never_raises(texts):
    out = R.parse_relative(pd.Series(texts, dtype="object"))
    assert len(out) == len(texts)
    ok = out["problem"].isna()
    # a row without a problem names its reference, and any distance it has is on the Earth
    assert out.loc[ok, "reference_name"].notna().all()
    km = out["distance_km"].dropna()
    assert ((km >= 0) & (km <= MAX_RELATIVE_DISTANCE_KM)).all()


_PIECES = st.tuples(
    st.sampled_from(["", "about ", "some ", "примерно в ", "в ", "حدود ", "near ", "~"]),
    st.one_of(st.integers(0, 60000).map(str), st.sampled_from(["", "1,5", "40,000", "۱۵"])),
    st.sampled_from([" km", "km", " miles", " км", " کیلومتری", " m", " nmi", ""]),
    st.sampled_from(
        [" W", " west", " westish", " к западу", " غرب", " north-east", " NE", "", " of the"]
    ),
    st.sampled_from([" of ", " от ", " ", " from "]),
    st.sampled_from(["X", "the port of Amirabad", "بندر امیرآباد", "42", "", "Москвы, Россия"]),
)


@settings(max_examples=400, deadline=None)
@given(_PIECES)
def test_composed_phrases_never_raise(pieces):
    text = "".join(pieces)
    r = parse_one(text)
    if r["problem"] is None:
        assert r["reference_name"] is not None
    if r["distance_km"] is not None:
        assert 0 <= r["distance_km"] <= MAX_RELATIVE_DISTANCE_KM


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(-80, 80),
    lon=st.floats(-180, 180),
    rho=st.one_of(st.just(0.0), st.floats(0, 50)),
    d=st.one_of(st.just(math.nan), st.floats(0, 3000)),
    u=st.sampled_from([0.2, 0.3]),
    bearing=st.one_of(st.just(math.nan), st.floats(0, 359.99)),
    tol=st.sampled_from([45.0, 22.5, 11.25, 5.0]),
)
def test_sector_vertices_within_ranges(lat, lon, rho, d, u, bearing, tol):
    area = R.search_area(lat, lon, rho, d, u, bearing, tol)
    d_lo, d_hi = (0.0, R.NEAR_RADIUS_KM) if math.isnan(d) else (d * (1 - u), d * (1 + u))
    # the stated ranges, widened by the reference's radius (the documented rule)
    # (a circle is the disc: its inner radius is 0 even for a ring "15 km from X")
    inner = max(d_lo - rho, 0.0) if area.kind == "sector" else 0.0
    assert area.inner_km == pytest.approx(inner, abs=1e-9)
    assert area.outer_km == pytest.approx(d_hi + rho, abs=1e-9)
    if area.kind == "sector":
        half = tol if rho == 0 else tol + math.degrees(math.asin(rho / d_lo))
        gap = (area.bearing_from_deg - (bearing - half)) % 360.0
        assert min(gap, 360.0 - gap) < 1e-6
    else:  # a circle only when no bearing is given or the reference's disc reaches the apex
        assert math.isnan(bearing) or (rho > 0 and rho >= d_lo)
    _check_vertices(area, lat, lon, eps_km=1e-6, eps_deg=1e-5)


@pytest.mark.parametrize("text", ["около 15 км", "near 15 km", "near 42", "near", "15 km west"])
def test_no_place_name(text):
    # a distance or a number where the place's name belongs, or nothing at all, is a problem
    r = parse_one(text)
    assert r["problem"] is not None


@pytest.mark.parametrize(
    "text, expected",
    [
        # the case's own texts (events.csv, places.csv notes): the reference ends where the
        # sentence, a clause, or the run of capitalised words ends; the rest is context
        (
            "Strike near Isfahan attributed by US officials to Israel; Iran said only small drones",
            (
                "Isfahan",
                "Isfahan",
                None,
                "attributed by US officials to Israel; Iran said only small drones",
            ),
        ),
        (
            "Worldportsource: ~34 km NE of Sari. Russian name transliterated for this case.",
            ("Sari", "Sari", None, "Russian name transliterated for this case"),
        ),
        (
            "Isfahan (air base near Isfahan airport), Iran",
            ("Isfahan airport", "Isfahan", "airport", "Iran"),
        ),
        # "St." is an abbreviation, not the end of a sentence
        ("10 km north of St. Petersburg", ("St. Petersburg", "St. Petersburg", None, None)),
        (
            "12 km east of Rio de Janeiro city centre",
            ("Rio de Janeiro city", "Rio de Janeiro", "city", "centre"),
        ),
    ],
)
def test_reference_boundaries(text, expected):
    r = parse_one(text)
    assert (
        r["reference"],
        r["reference_name"],
        r["reference_kind"],
        r["reference_context"],
    ) == expected


def test_persian_ezafe_diacritic():
    # "غربِ" with the ezafe kasra (U+0650) written out reads as غرب
    assert read("۱۵ کیلومتری غربِ بندر امیرآباد") == ("امیرآباد", 15.0, "W", 270.0, None, None)


@pytest.mark.parametrize(
    "text, relative",
    [
        ("Tehran", False),  # a plain name: resolve it as a name, not as a broken relative place
        ("Port of Spain", False),
        ("", False),
        # "East Azerbaijan" (Tabriz's province): the adjective شرقی ends a name, it is no bearing
        ("تبریز، آذربایجان شرقی", False),
        ("15 km westish of X", True),  # recognised, with a problem
        ("غرب تهران", True),
    ],
)
def test_relative_flag(text, relative):
    r = parse_one(text)
    assert r["relative"] is relative
    assert (r["problem"] is not None) or relative


# ----------------------------------------------------------------------- resolving texts

P02 = (36.853881, 53.202804)  # case P02: 15.000 km at 270 deg from P01 (test_places pins it)


@pytest.mark.parametrize(
    "text, radius, how",
    [
        # unhedged: +-20 %, "W" +-45 deg, + P01's 5 km: the structured P02's 17.93 km
        (
            "15 km W of Port of Amirabad",
            17.929128,
            "relative text: reference P01 (case name); distance +-20%, bearing +-45 deg",
        ),
        (
            "в 15 км к западу от порта Амирабад",
            17.929128,
            "relative text: reference P01 (case name); distance +-20%, bearing +-45 deg",
        ),
        (
            "۱۵ کیلومتری غرب بندر امیرآباد",
            17.929128,
            "relative text: reference P01 (case name); distance +-20%, bearing +-45 deg",
        ),
        # "about" widens the distance to +-30 %: corner at 19.5 km, 45 deg off
        # (sqrt(15^2 + 19.5^2 - 2*15*19.5*cos 45) = 13.84) + 5 = 18.84 km
        (
            "about 15 km west of the port of Amirabad",
            18.841695,
            "relative text: reference P01 (case name); distance +-30%, bearing +-45 deg ('about')",
        ),
        (
            "примерно в 15 км к западу от порта Амирабад",
            18.841695,
            "relative text: reference P01 (case name); distance +-30%, bearing +-45 deg "
            "('примерно')",
        ),
    ],
)
def test_relative_text_in_three_languages_is_the_structured_p02(case, text, radius, how):
    out = R.resolve_place_texts(pd.Series([text]), case=case).iloc[0]
    assert out["kind"] == "relative"
    assert (round(out["lat"], 6), round(out["lon"], 6)) == P02
    assert round(out["radius_km"], 6) == radius
    assert out["match_how"] == how
    assert out["relative_to"] == "P01" and out["precision"] == "inferred"
    assert pd.isna(out["place_id"]) and pd.isna(out["problem"])  # a computed place has no id


def test_near_and_distance_only_are_discs(case):
    out = R.resolve_place_texts(
        pd.Series(["near the port of Amirabad", "12 km from Kazan", "Penza"]), case=case
    )
    # near: the reference's point, its 5 km + NEAR_RADIUS_KM 25 km
    assert (out.loc[0, "lat"], out.loc[0, "lon"], out.loc[0, "radius_km"]) == (*P01, 30.0)
    assert out.loc[0, "matched_name"] == "near Port of Amirabad (Mazandaran)"
    # 12 km, no bearing: the disc holding the ring, 12 * 1.2 + Kazan's 15 km
    assert out.loc[1, ["relative_to", "matched_name"]].tolist() == [
        "GN:551487",
        "12 km from Kazan",
    ]
    assert out.loc[1, "radius_km"] == pytest.approx(12 * 1.2 + 15.0)
    # a plain name is resolved as a name
    assert out.loc[2, ["kind", "place_id"]].tolist() == ["name", "GN:511565"]


@pytest.mark.parametrize(
    "text, start",
    [
        ("40000 km west of Tehran", "distance 40000 km is longer than any distance on the Earth"),
        ("15 km westish of Tehran", "bearing 'westish' is not a compass point"),
        ("15 km W of 12345", "reference '12345' is a number, not a place name"),
        (
            "15 km W of Qzxatlantis",
            "the reference 'Qzxatlantis' of a relative place cannot be placed: unknown place",
        ),
    ],
)
def test_bad_relative_texts_are_problems(case, text, start):
    out = R.resolve_place_texts(pd.Series([text]), case=case).iloc[0]
    assert np.isnan(out["lat"]) and np.isnan(out["lon"])  # never (0, 0)
    assert out["problem"].startswith(start), out["problem"]


# ----------------------------------------------------------------------- a record's places


def test_e08_astrakhan_and_c21_penza_get_coordinates(case):
    ev, problems = R.record_places(case.events, case)
    e08 = ev[ev["row"] == case.events.index[case.events["event_id"] == "E08"][0]]
    # "Amirabad, Iran -> Astrakhan, Russia": a route of two places
    assert e08["role"].tolist() == ["from", "to"]
    assert e08["place_id"].tolist() == ["P01", "GN:580497"]
    # GeoNames 580497 Astrakhan (46.34968, 48.04076); the text's "Russia" chose it over
    # Astrakhanka, Kazakhstan
    assert e08.iloc[1][["lat", "lon"]].tolist() == [46.34968, 48.04076]
    assert e08.iloc[1]["match_how"] == "world: country in text"
    cl, _ = R.record_places(case.claims, case, file="claims.csv")
    c21 = cl[cl["row"] == case.claims.index[case.claims["claim_id"] == "C21"][0]].iloc[0]
    # "Penza (employer)": the bracket is a note; GeoNames 511565
    assert (c21["text"], c21["note"], c21["place_id"]) == ("Penza", "employer", "GN:511565")
    assert (c21["lat"], c21["lon"]) == (53.19568, 45.01075)
    # every part that could not be placed is a warning row naming the record's row
    assert set(problems["file"]) == {"events.csv"}
    assert set(problems["severity"]) == {"warning"} and set(problems["action"]) == {"kept"}
    assert len(problems) == int(ev["problem"].notna().sum())


def test_record_place_bracket_that_is_a_relative_place(case):
    frame = pd.DataFrame(
        {
            "place_id": ["P01", None, None, None],
            "place_name": [
                "Mazandaran, Iran (~15 km W of Amirabad port)",
                "Moscow -> ",
                None,
                "Moscow → Kazan → Tehran",
            ],
        },
        index=[2, 3, 4, 5],
    )
    out, problems = R.record_places(frame, case)
    # the bracket is the place; what is around it is the note; "~" hedges (+-30 %)
    first = out.iloc[0]
    assert (first["text"], first["note"]) == ("~15 km W of Amirabad port", "Mazandaran, Iran")
    assert (round(first["lat"], 6), round(first["lon"], 6)) == P02
    assert round(first["radius_km"], 6) == 18.841695
    # an empty side of an arrow is a problem; an empty place_name names nothing (no part)
    assert out["row"].tolist() == [2, 3, 3, 5, 5, 5]
    assert out.iloc[2]["problem"] == (
        "an empty place in the route '': write the place on each side of the arrow"
    )
    assert out[out["row"] == 5]["role"].tolist() == ["from", "via", "to"]
    assert out[out["row"] == 5]["place_id"].tolist() == ["P10", "GN:551487", "P11"]
    assert problems["row"].tolist() == [3]


# ----------------------------------------------------------------------- a places table


def test_places_from_text():
    frame = pd.DataFrame(
        {
            "place_id": ["P01", "P02", "P03", "P04", "P05", "P06"],
            "name": [
                "Port of Amirabad (Mazandaran)",
                "about 15 km west of the port of Amirabad",
                "near Port of Amirabad",
                "15 km W of Atlantis",
                "westish of Port of Amirabad",
                "Search centre",
            ],
            "alt_names": ["Amirabad", None, None, None, None, None],
            "lat": ["36.854", None, None, None, None, None],
            "lon": ["53.371", None, None, None, None, None],
            "precision": ["approximate", *["inferred"] * 5],
            "relative_to": [None, None, None, None, None, "P01"],
            "distance_km": [None, None, None, None, None, "15"],
            "bearing": [None, None, None, None, None, "W"],
        },
        index=pd.RangeIndex(2, 8, name="row"),
    )
    out, problems = R.places_from_text(frame)
    # P02 in words becomes the structured relative place, with the hedge's 0.3
    assert out.loc[
        3, ["relative_to", "distance_km", "bearing", "distance_uncertainty"]
    ].tolist() == [
        "P01",
        "15",
        "W",
        "0.3",
    ]
    assert (round(out.loc[3, "lat"], 6), round(out.loc[3, "lon"], 6)) == P02
    assert round(out.loc[3, "radius_km"], 6) == 18.841695
    assert out.loc[3, "coord_origin"] == "text"
    # near: P01's point, 5 + 25 km
    assert out.loc[4, ["lat", "lon", "radius_km", "coord_origin"]].tolist() == [*P01, 30.0, "text"]
    # a structured row is never read from its name: P07 keeps +-20 % (17.93 km)
    assert (
        round(out.loc[7, "radius_km"], 6) == 17.929128 and out.loc[7, "coord_origin"] == "computed"
    )
    assert out.loc[[5, 6], "lat"].isna().all()
    assert problems[["row", "column"]].values.tolist() == [[5, "name"], [6, "name"]]
    assert problems["problem"].tolist() == [
        "place given in words: the reference 'Atlantis' of '15 km W of Atlantis' is not a "
        "place of this table",
        "place given in words: bearing 'westish' is not a compass point (N, NNE, ..., "
        "'west', 'запад') or a number of degrees: write a compass word (W, NE, west, "
        "north-east, запад, غرب)",
    ]
