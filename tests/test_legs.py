"""Tests for osint_kit.analysis.legs: canonical legs of the case, evidence by trip."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from osint_kit.analysis import legs as L

FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST = FIXTURES / "manifest_ru_synthetic.csv"
OPENSKY = FIXTURES / "opensky_flights_synthetic.csv"
SVO_IKA_KM = 2512.120597  # pyproj WGS84 geodesic between the case's SVO and IKA points


def test_case_legs(case):
    legs = L.case_legs(case).legs
    assert list(legs.index) == [2, 3, 4] and legs.index.name == "row"
    assert legs["record_id"].tolist() == ["T1", "T2", "T3"]
    assert legs["record_kind"].tolist() == ["booking", "booking", "manifest"]
    # "Moscow" stays the city (P10), never SVO/VKO/DME
    assert legs["origin_place_id"].tolist() == ["P10"] * 3
    assert legs["origin_precision"].tolist() == ["city"] * 3
    assert legs["origin_code"].isna().all()
    assert legs["destination_place_id"].tolist() == ["P11"] * 3
    # city centres of the case, P10 (55.7558, 37.6173) -> P11 (35.6892, 51.3890): 2464.069 km
    assert legs["distance_km"].round(3).tolist() == [2464.069] * 3
    # 2464.069 / 800 km/h + 0.5 h
    assert legs.loc[2, "plausible_duration_h"] == pytest.approx(2464.069468 / 800 + 0.5)
    assert legs["departure_utc"].tolist() == [
        pd.Timestamp("2024-04-24", tz="UTC"),
        pd.Timestamp("2024-09-17", tz="UTC"),
        pd.Timestamp("2024-09-17", tz="UTC"),
    ]
    assert legs["date_precision"].tolist() == ["day"] * 3
    assert legs["source_id"].tolist() == ["reuters_orig"] * 3
    assert legs["problem"].isna().all()
    assert "notes" in legs.columns  # extras kept
    assert legs.columns[: len(L.LEG_COLUMNS)].tolist() == L.LEG_COLUMNS


def test_evidence_by_trip_case(case):
    ev = L.evidence_by_trip(L.case_legs(case).legs)
    assert ev["trip_date"].tolist() == ["2024-04-24", "2024-09-17"]
    assert ev[["booking", "manifest"]].to_numpy().tolist() == [[1, 0], [1, 1]]
    assert ev["evidence"].tolist() == ["booking", "booking + manifest"]
    # April: only a booking (intent); September: a manifest (boarding)
    assert ev["strongest"].tolist() == ["intent (booking)", "boarding (manifest)"]
    assert ev.loc[1, "records"] == "T2, T3"
