"""Seeded synthetic travel exports for exercises, tests and benchmarks.

:func:`synthetic_bookings` builds a deliberately messy booking or manifest
export of any size; :func:`write_synthetic_bookings` writes it to a file
whose name must contain "synthetic".  Nothing in it is real:

* people are invented surnames (random syllables with a Russian ending,
  e.g. "Видиров") with common given names -- any resemblance to a real
  person is chance;
  spelled in Cyrillic or in one of three Latin transliterations
  (BGN-like via anyascii, French-style "ou"/"ch", German-style "w"/"sch");
* passport numbers are 9 digits whose positions 3-5 are always "999"
  ("20 999xxxx"): obviously synthetic, yet classified by the same rule as
  real ones (series "20" = service passport for ~30 % of people);
* places are real airports and cities (codes from airportsdata, names in
  Latin, Cyrillic and -- in UTF-8 files -- Persian script), as an exercise
  needs them;
* times are random departures in one year (2024 unless ``year`` says
  otherwise) in local time at the origin, with an
  arrival after the plausible flight time, written in mixed formats
  ("24.04.2024 10:35", "2024-04-24T10:35", "2024-04-24 10:35",
  "24 апреля 2024", "April 24, 2024").

A ``bad_fraction`` of rows is broken on purpose, one defect each, listed in
the hidden column ``_defect`` of the returned frame (not written to the file;
``_person`` likewise holds the true person number, to score person matching):
``unknown_place``, ``arrival_before_departure``, ``impossible_speed``,
``empty_name``, ``mojibake_name``, ``bad_date``, ``bad_passport``.
"""

from __future__ import annotations

import calendar
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit.text import ascii_text

__all__ = [
    "synthetic_bookings",
    "write_synthetic_bookings",
    "ROUTES",
    "DEFECTS",
    "EN_MONTHS",
    "RU_MONTHS_GENITIVE",
]

DEFECTS = (
    "unknown_place",
    "arrival_before_departure",
    "impossible_speed",
    "empty_name",
    "mojibake_name",
    "bad_date",
    "bad_passport",
)

#: (origin spellings, destination spellings, origin tz, destination tz, block hours).
#: Spellings mix IATA, ICAO and city names in several scripts; "Moscow" stays a city.
_PLACES = {
    "SVO": (["SVO", "UUEE", "Шереметьево"], "Europe/Moscow"),
    "VKO": (["VKO", "UUWW", "Внуково"], "Europe/Moscow"),
    "DME": (["DME", "UUDD", "Домодедово"], "Europe/Moscow"),
    "MOW": (["Moscow", "Москва", "Moskva", "MOSCOW "], "Europe/Moscow"),
    "IKA": (["IKA", "OIIE"], "Asia/Tehran"),
    "THR": (["THR", "OIII", "Мехрабад"], "Asia/Tehran"),
    "TEH": (["Tehran", "Тегеран", "Teheran", "تهران"], "Asia/Tehran"),
    "IFN": (["IFN", "OIFM", "Isfahan"], "Asia/Tehran"),
    "LED": (["LED", "ULLI"], "Europe/Moscow"),
    "IST": (["IST", "LTFM"], "Europe/Istanbul"),
    "DXB": (["DXB", "OMDB"], "Asia/Dubai"),
    "KZN": (["KZN", "UWKD"], "Europe/Moscow"),
}
#: (origin, destination, block time in hours, the generator's ground truth)
ROUTES = [
    ("SVO", "IKA", 3.6),
    ("VKO", "IKA", 3.6),
    ("DME", "THR", 3.5),
    ("MOW", "TEH", 3.6),
    ("SVO", "THR", 3.5),
    ("IKA", "SVO", 3.9),
    ("TEH", "MOW", 3.9),
    ("LED", "SVO", 1.4),
    ("SVO", "IST", 3.8),
    ("DXB", "IKA", 2.0),
    ("KZN", "SVO", 1.6),
    ("SVO", "IFN", 4.0),
    ("IST", "IKA", 3.3),
    ("SVO", "DXB", 5.2),
]
_CARRIERS = ["SU", "W5", "IR", "EP", "TK", "FZ"]
#: Month names as synthetic exports write them (Russian in the genitive: "24 апреля 2024").
RU_MONTHS_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_HEADERS = {
    "ru": {
        "record_id": "№",
        "surname": "Фамилия",
        "given_name": "Имя",
        "passport": "Номер паспорта",
        "flight": "Рейс",
        "origin": "Откуда",
        "destination": "Куда",
        "departure": "Дата вылета",
        "arrival": "Дата прилета",
    },
    "en": {
        "record_id": "Record ID",
        "surname": "Last name",
        "given_name": "First name",
        "passport": "Passport No",
        "flight": "Flight",
        "origin": "From",
        "destination": "To",
        "departure": "Departure date",
        "arrival": "Arrival date",
    },
}
_CONS = list("бвгдклмнпрстзх") + ["ж", "ш", "ч"]
_VOW = list("аеиоу")
#: Common Russian given names (a given name alone identifies no one; every
#: surname is invented, so no combination is a real person's record).
_GIVEN_NAMES = [
    "Иван",
    "Олег",
    "Сергей",
    "Алексей",
    "Дмитрий",
    "Андрей",
    "Михаил",
    "Николай",
    "Павел",
    "Юрий",
    "Виктор",
    "Владимир",
    "Евгений",
    "Игорь",
    "Константин",
    "Максим",
    "Роман",
    "Борис",
    "Григорий",
    "Анатолий",
    "Вадим",
    "Леонид",
    "Степан",
    "Фёдор",
]
_SUR_END = ["ов", "ев", "ин", "ский"]


def _syllables(rng, k, n):
    c = rng.choice(_CONS, size=(n, k))
    v = rng.choice(_VOW, size=(n, k))
    return ["".join(a + b for a, b in zip(cc, vv)) for cc, vv in zip(c, v)]


def _latin_variants(cyr: list[str]) -> list[list[str]]:
    """Three Latin spellings of each Cyrillic name: BGN-like (anyascii),
    French-style, German-style."""

    out = []
    for name in cyr:
        bgn = ascii_text(name)
        fr = bgn.replace("sh", "ch").replace("u", "ou").replace("kh", "kh").replace("zh", "j")
        if fr.endswith("v"):
            fr = fr[:-1] + "ff"
        de = bgn.replace("sh", "sch").replace("zh", "sch").replace("v", "w")
        out.append([bgn, fr, de])
    return out


def synthetic_bookings(
    n_rows: int,
    *,
    seed: int = 0,
    headers: str = "ru",
    bad_fraction: float = 0.02,
    persian: bool = True,
    n_people: int | None = None,
    mojibake: str = "latin-1",
    year: int = 2024,
) -> pd.DataFrame:
    """A messy synthetic booking/manifest table (all text), plus ``_defect``.

    Parameters
    ----------
    n_rows : int
        Rows to generate.
    seed : int
        NumPy random seed: same seed, same table.
    headers : {"ru", "en"}
        Header language.
    bad_fraction : float
        Share of rows given one deliberate defect (see :data:`DEFECTS`).
    persian : bool
        Include Persian-script place names (not encodable in cp1251).
    mojibake : {"latin-1", "cp1251"}
        How ``mojibake_name`` rows are garbled: cp1251 bytes read as Latin-1
        ("Çå÷èåâ"), or UTF-8 bytes read as cp1251 ("Р—РµС‡РёРµРІ", the form
        that survives in a cp1251 file).
    n_people : int, optional
        Size of the invented population (default ``max(20, n_rows // 40)``,
        capped at 20,000).
    year : int
        Calendar year of the departures (default 2024; the same seed gives the
        same table for 2024 as before this parameter existed).
    """
    rng = np.random.default_rng(seed)
    n_people = n_people or int(min(max(20, n_rows // 40), 20_000))
    n_sur = max(5, n_people // 8)
    stems = _syllables(rng, 2, n_sur)
    codas = rng.choice(["н", "р", "л", "д", "к", "т", "м"], n_sur)
    surnames = [
        (s + c).capitalize() + e for s, c, e in zip(stems, codas, rng.choice(_SUR_END, n_sur))
    ]
    givens = list(_GIVEN_NAMES)
    n_giv = len(givens)
    person_sur = rng.integers(0, n_sur, n_people)
    person_giv = rng.integers(0, n_giv, n_people)
    series = np.where(
        rng.random(n_people) < 0.3, "20", rng.choice(["70", "71", "72", "75", "76"], n_people)
    )
    passports = np.char.add(
        np.char.add(series.astype(str), "999"),
        np.char.zfill(rng.integers(0, 10_000, n_people).astype(str), 4),
    )

    person = rng.integers(0, n_people, n_rows)
    script = rng.choice(4, n_rows, p=[0.55, 0.25, 0.1, 0.1])  # cyr, bgn, french, german
    sur_lat = np.array(_latin_variants(surnames), dtype=object)
    giv_lat = np.array(_latin_variants(givens), dtype=object)
    sur_all = np.column_stack([np.array(surnames, dtype=object), sur_lat])
    giv_all = np.column_stack([np.array(givens, dtype=object), giv_lat])
    sur_col = sur_all[person_sur[person], script]
    giv_col = giv_all[person_giv[person], script]
    upper = rng.random(n_rows) < 0.2
    sur_col = np.where(upper, np.char.upper(sur_col.astype(str)).astype(object), sur_col)
    pp = passports[person]
    spaced = rng.random(n_rows) < 0.5
    pp = np.where(spaced, [p[:2] + " " + p[2:] for p in pp], pp)

    route = rng.integers(0, len(ROUTES), n_rows)
    origins = np.array([r[0] for r in ROUTES])[route]
    dests = np.array([r[1] for r in ROUTES])[route]
    hours = np.array([r[2] for r in ROUTES])[route]

    def spell(codes):
        out = np.empty(len(codes), dtype=object)
        for code in np.unique(codes):
            names = [s for s in _PLACES[code][0] if persian or not _has_persian(s)]
            mask = codes == code
            out[mask] = rng.choice(np.array(names, dtype=object), mask.sum())
        return out

    origin_txt, dest_txt = spell(origins), spell(dests)
    days = 366 if calendar.isleap(year) else 365
    dep_local = (
        np.datetime64(f"{year:04d}-01-01T00:00")
        + rng.integers(0, days * 24 * 12, n_rows).astype("timedelta64[m]") * 5
    )
    dep_local = pd.Series(dep_local).astype("datetime64[us]")
    otz = pd.Series([_PLACES[c][1] for c in origins])
    dtz = pd.Series([_PLACES[c][1] for c in dests])
    dep_utc = pd.Series(pd.NaT, index=dep_local.index, dtype="datetime64[us, UTC]")
    for zone, idx in otz.groupby(otz).groups.items():
        dep_utc.loc[idx] = (
            dep_local.loc[idx]
            .dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
            .dt.tz_convert("UTC")
        )
    arr_utc = dep_utc + pd.to_timedelta(hours, unit="h")
    arr_local = pd.Series(pd.NaT, index=dep_local.index, dtype="datetime64[us]")
    for zone, idx in dtz.groupby(dtz).groups.items():
        arr_local.loc[idx] = arr_utc.loc[idx].dt.tz_convert(zone).dt.tz_localize(None)

    fmt = rng.choice(5, n_rows, p=[0.35, 0.25, 0.2, 0.1, 0.1])
    dep_txt = _format(dep_local, fmt)
    arr_fmt = np.where(fmt >= 3, fmt, rng.choice(3, n_rows))
    arr_txt = _format(arr_local, arr_fmt)
    flight = np.char.add(
        np.char.add(rng.choice(_CARRIERS, n_rows), " "),
        rng.integers(9000, 10000, n_rows).astype(str),
    )

    frame = pd.DataFrame(
        {
            "record_id": [f"S{i:07d}" for i in range(1, n_rows + 1)],
            "surname": sur_col,
            "given_name": giv_col,
            "passport": pp,
            "flight": flight,
            "origin": origin_txt,
            "destination": dest_txt,
            "departure": dep_txt,
            "arrival": arr_txt,
        }
    )
    defect = np.full(n_rows, None, dtype=object)
    bad = np.flatnonzero(rng.random(n_rows) < bad_fraction)
    kinds = rng.choice(len(DEFECTS), len(bad))
    for k, name in enumerate(DEFECTS):
        rows = bad[kinds == k]
        if not len(rows):
            continue
        defect[rows] = name
        if name == "unknown_place":
            frame.loc[rows, "destination"] = "Нигдеград"
        elif name == "arrival_before_departure":
            earlier = dep_local.iloc[rows] - pd.Timedelta(hours=2)
            frame.loc[rows, "departure"] = (
                dep_local.iloc[rows].dt.strftime("%Y-%m-%d %H:%M").to_numpy()
            )
            frame.loc[rows, "arrival"] = earlier.dt.strftime("%Y-%m-%d %H:%M").to_numpy()
            frame.loc[rows, "origin"] = "SVO"
            frame.loc[rows, "destination"] = "IKA"
        elif name == "impossible_speed":
            frame.loc[rows, "origin"] = "SVO"
            frame.loc[rows, "destination"] = "IKA"
            t0 = pd.Timestamp(f"{year:04d}-06-01 10:00")
            frame.loc[rows, "departure"] = t0.strftime("%Y-%m-%d %H:%M")
            # SVO 10:00 MSK = 07:00 UTC; IKA 11:00 IRST = 07:30 UTC: 2,512 km in 30 min
            frame.loc[rows, "arrival"] = f"{year:04d}-06-01 11:00"
        elif name == "empty_name":
            frame.loc[rows, ["surname", "given_name"]] = ""
        elif name == "mojibake_name":
            src = np.array(surnames)[person_sur[person[rows]]]
            frame.loc[rows, "surname"] = (
                [s.encode("cp1251").decode("latin-1") for s in src]
                if mojibake == "latin-1"
                else [s.encode("utf-8").decode("cp1251", "replace") for s in src]
            )
        elif name == "bad_date":
            frame.loc[rows, "departure"] = f"31.02.{year:04d} 10:00"
        elif name == "bad_passport":
            frame.loc[rows, "passport"] = "99912"
    frame.columns = [_HEADERS[headers][c] for c in frame.columns]
    frame["_defect"] = pd.array(defect, dtype="string")
    frame["_person"] = person  # ground truth for checking person matching (not written)
    return frame


def _has_persian(s: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in s)


def _format(ts: pd.Series, fmt: np.ndarray) -> np.ndarray:
    """Datetimes as text in one of five styles per row (``fmt`` 0-4: dd.mm.yyyy,
    ISO with T, ISO with a blank, "17 сентября 2024", "September 17, 2024").
    A style that no row draws is skipped (an empty selection has no
    ``.dt`` accessor results to join)."""
    out = np.empty(len(ts), dtype=object)

    def ru(t: pd.Series) -> pd.Series:
        months = t.dt.month.map(lambda k: RU_MONTHS_GENITIVE[k - 1])
        return t.dt.day.astype(str) + " " + months + " " + t.dt.year.astype(str)

    def en(t: pd.Series) -> pd.Series:
        months = t.dt.month.map(lambda k: EN_MONTHS[k - 1])
        return months + " " + t.dt.day.astype(str) + ", " + t.dt.year.astype(str)

    styles = [
        lambda t: t.dt.strftime("%d.%m.%Y %H:%M"),
        lambda t: t.dt.strftime("%Y-%m-%dT%H:%M"),
        lambda t: t.dt.strftime("%Y-%m-%d %H:%M"),
        ru,
        en,
    ]
    for code, style in enumerate(styles):
        m = fmt == code
        if m.any():
            out[m] = style(ts[m]).to_numpy()
    return out


def write_synthetic_bookings(
    path: str | Path,
    n_rows: int,
    *,
    seed: int = 0,
    encoding: str = "utf-8",
    delimiter: str = ";",
    headers: str = "ru",
    bad_fraction: float = 0.02,
) -> pd.DataFrame:
    """Write :func:`synthetic_bookings` to ``path`` and return the frame
    (with its ``_defect`` column, which is not written).

    ``path``'s file name must contain "synthetic".  ``encoding="cp1251"``
    writes a Windows-Cyrillic file (Persian spellings are left out, as
    cp1251 cannot hold them).
    """
    path = Path(path)
    if "synthetic" not in path.name:
        raise ValueError(f"{path.name}: synthetic data files must have 'synthetic' in their name")
    persian = encoding.replace("-", "").lower() not in {"cp1251", "windows1251"}
    frame = synthetic_bookings(
        n_rows,
        seed=seed,
        headers=headers,
        bad_fraction=bad_fraction,
        persian=persian,
        mojibake="latin-1" if persian else "cp1251",
    )
    frame.drop(columns=["_defect", "_person"]).to_csv(
        path, sep=delimiter, index=False, encoding=encoding
    )
    return frame
