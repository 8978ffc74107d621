"""Identity-document numbers: classify Russian passport numbers, never show them.

Rule (Russian *foreign-travel* passport, "заграничный паспорт"):

* The number printed in the passport is 9 digits: a 2-digit **series**
  followed by a 7-digit number (e.g. ufms-ru.com, "Номер и серия
  загранпаспорта": "В серии всегда только 2 цифры. Следующие 7 цифр --
  номер"; gohowgo.com: "9 liczb, gdzie pierwsze 2 cyfry to seria").
* Series **20** is the *service* passport ("служебный паспорт") issued to
  state employees and military personnel on official business abroad;
  series **10** is the *diplomatic* passport (summary of dzen.ru quoted by
  ya.ru/neurum: "10 имеют дипломатические работники, 20 -- работники или
  служащие государственных органов за границей").  Reuters (4 March 2025,
  claims C06/C07 of the bundled case) reported that six of the seven
  booked specialists' numbers began with "20", which "denotes passports for
  official state business" per a Russian government edict and an MFA
  document.  Any other series is an ordinary (general civil) foreign passport.
* A 10-digit number (4-digit series + 6 digits) is the shape of the
  *internal* Russian passport, not a travel document: classified
  ``ru_internal`` without further meaning.

The series tells the *kind* of passport, not who the holder is or why they
travelled; "20" is evidence of official status, to be weighed with others.

Privacy: this module never returns, logs or puts into an error message a
full number.  :func:`classify_passports` returns the series, a masked form
("20*******") and a short salted SHA-256 digest so the same document can be
linked across records without showing it.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd

__all__ = ["PASSPORT_SERIES", "classify_passports", "mask_number"]

#: Series of Russian foreign passports with a special meaning (see module docstring).
PASSPORT_SERIES = {"10": "ru_foreign_diplomatic", "20": "ru_foreign_service"}

_SEPARATORS = re.compile(r"[\s\-№#]+|^(no|n)\.?", re.IGNORECASE)


def mask_number(digits: str, keep: int = 2) -> str:
    """Keep the first ``keep`` characters, star the rest: "20*******"."""
    return digits[:keep] + "*" * max(len(digits) - keep, 0)


def classify_passports(numbers: pd.Series, *, salt: str = "osint-kit") -> pd.DataFrame:
    """Classify passport numbers without revealing them.

    Parameters
    ----------
    numbers : pandas.Series
        Passport numbers as text ("20 1234567", "201234567", "№ 75 1234567").
    salt : str
        Mixed into the digest; use a per-investigation secret to stop a
        reader from confirming a guessed number.

    Returns
    -------
    pandas.DataFrame
        Same index; ``passport_kind`` (``ru_foreign_service`` |
        ``ru_foreign_diplomatic`` | ``ru_foreign_ordinary`` | ``ru_internal``
        | ``unknown``, <NA> when empty), ``passport_series`` (first 2 digits
        of a 9-digit number), ``passport_official`` (boolean: series 20 or
        10), ``passport_masked`` ("20*******"), ``passport_hash`` (12 hex
        characters of SHA-256(salt + digits)) and ``passport_problem``
        (reason, masked, or <NA>).  Each distinct value is handled once.
    """
    codes, uniques = pd.factorize(numbers, use_na_sentinel=True)
    per_value = _classify_distinct(uniques, salt=salt)
    return pd.DataFrame({c: per_value[c].array.take(codes, allow_fill=True)
                         for c in per_value.columns}, index=numbers.index)


def _classify_distinct(uniques, *, salt: str = "osint-kit") -> pd.DataFrame:
    """:func:`classify_passports` of distinct non-empty values, one row each
    (same columns; a caller expands them to its rows with integer codes)."""
    # each distinct value once, with whole-column string operations
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).map(str)
    digits = text.str.strip().str.replace(_SEPARATORS, "", regex=True)
    d = digits.to_numpy(dtype=object)
    length = digits.str.len().to_numpy(dtype=np.int64)
    nine = digits.str.fullmatch(r"\d{9}").to_numpy(dtype=bool)
    ten = digits.str.fullmatch(r"\d{10}").to_numpy(dtype=bool) & ~nine
    empty = length == 0
    unknown = ~(nine | ten | empty)
    series = np.where(nine, digits.str[:2].to_numpy(dtype=object), None)
    kind = np.full(len(d), None, dtype=object)
    kind[nine] = (pd.Series(series[nine], dtype=object).map(PASSPORT_SERIES)
                  .fillna("ru_foreign_ordinary").to_numpy(dtype=object))
    kind[ten] = "ru_internal"
    kind[unknown] = "unknown"
    official = np.full(len(d), None, dtype=object)
    official[nine] = kind[nine] != "ru_foreign_ordinary"
    official[ten] = False
    # masked: the first 2 digits (1 for an unrecognised number) and one star per
    # remaining character, from a table of star runs
    keep = np.where(unknown, 1, 2)
    stars = np.array(["*" * k for k in range(int(length.max(initial=0)) + 1)], dtype=object)
    masked = np.full(len(d), None, dtype=object)
    shown = ~empty
    prefix = np.where(unknown, digits.str[:1].to_numpy(dtype=object),
                      digits.str[:2].to_numpy(dtype=object))
    masked[shown] = prefix[shown] + stars[np.maximum(length[shown] - keep[shown], 0)]
    digest = np.full(len(d), None, dtype=object)
    digest[shown] = [hashlib.sha256((salt + x).encode()).hexdigest()[:12] for x in d[shown]]
    problem = np.full(len(d), None, dtype=object)
    problem[unknown] = [f"passport number {m!r} ({n} characters) is not a 9-digit Russian "
                        "foreign passport number" for m, n in zip(masked[unknown], length[unknown])]
    return pd.DataFrame({
        "passport_kind": pd.array(kind, dtype="string"),
        "passport_series": pd.array(series, dtype="string"),
        "passport_official": pd.array(official, dtype="boolean"),
        "passport_masked": pd.array(masked, dtype="string"),
        "passport_hash": pd.array(digest, dtype="string"),
        "passport_problem": pd.array(problem, dtype="string"),
    })
