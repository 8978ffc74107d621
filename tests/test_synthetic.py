"""Tests for osint_kit.practice.synthetic: seeded, messy, clearly synthetic exports."""

import pandas as pd
import pytest

from osint_kit.practice.synthetic import DEFECTS, synthetic_bookings, write_synthetic_bookings


def test_seeded_and_sized():
    a = synthetic_bookings(500, seed=11)
    b = synthetic_bookings(500, seed=11)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 500
    assert not a.equals(synthetic_bookings(500, seed=12))


def test_messy_but_synthetic():
    f = synthetic_bookings(4000, seed=5, bad_fraction=0.05)
    assert list(f.columns[:9]) == [
        "№",
        "Фамилия",
        "Имя",
        "Номер паспорта",
        "Рейс",
        "Откуда",
        "Куда",
        "Дата вылета",
        "Дата прилета",
    ]
    digits = f["Номер паспорта"].str.replace(" ", "")
    ok = digits.str.fullmatch(r"\d{9}")
    assert (digits[ok].str[2:5] == "999").all()  # the synthetic marker
    assert set(f["_defect"].dropna()) == set(DEFECTS)
    assert f["Фамилия"].str.contains(r"[А-Я]", regex=True).any()  # Cyrillic
    assert f["Фамилия"].str.contains(r"^[A-Za-z]+$", regex=True).any()  # Latin
    assert f["Откуда"].isin(["Москва", "UUEE", "SVO", "تهران"]).any()
    dep = f["Дата вылета"]
    assert dep.str.match(r"\d\d\.\d\d\.\d{4} ").any() and dep.str.contains("T").any()


def test_write_requires_synthetic_name_and_cp1251(tmp_path):
    with pytest.raises(ValueError, match="synthetic"):
        write_synthetic_bookings(tmp_path / "bookings.csv", 10)
    path = tmp_path / "bookings_synthetic_cp1251.csv"
    f = write_synthetic_bookings(path, 300, seed=2, encoding="cp1251", headers="en", delimiter=",")
    raw = path.read_bytes()
    raw.decode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.splitlines()[0].decode("cp1251").startswith("Record ID,Last name,First name")
    assert len(f) == 300


def test_a_date_style_no_row_draws_is_skipped():
    # seed 2024 with 4 rows draws only the numeric styles (dd.mm.yyyy, ISO with T, ISO with
    # a blank): no row gets Russian or English month names, whose formatting used to crash
    # on the empty selection (numpy UFuncNoLoopError: int32 + str)
    f = synthetic_bookings(4, seed=2024)
    assert len(f) == 4
    assert f["Дата вылета"].tolist() == [
        "2024-12-07T15:55",
        "12.04.2024 10:20",
        "2024-01-05 06:40",
        "20.12.2024 06:55",
    ]
    assert f["Дата прилета"].tolist() == [
        "2024-12-07T19:19",
        "2024-04-12T14:26",
        "2024-01-05T10:04",
        "20.12.2024 11:01",
    ]
