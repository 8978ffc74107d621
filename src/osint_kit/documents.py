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
    rows = []
    for u in uniques:
        digits = _SEPARATORS.sub("", str(u).strip())
        masked = mask_number(digits)
        digest = hashlib.sha256((salt + digits).encode()).hexdigest()[:12]
        if re.fullmatch(r"\d{9}", digits):
            series = digits[:2]
            kind = PASSPORT_SERIES.get(series, "ru_foreign_ordinary")
            rows.append((kind, series, kind != "ru_foreign_ordinary", masked, digest, None))
        elif re.fullmatch(r"\d{10}", digits):
            rows.append(("ru_internal", None, False, masked, digest, None))
        elif not digits:
            rows.append((None, None, pd.NA, None, None, None))
        else:
            rows.append(("unknown", None, pd.NA, mask_number(digits, 1) if digits else "",
                         digest if digits else None,
                         f"passport number {mask_number(digits, 1)!r} ({len(digits)} "
                         "characters) is not a 9-digit Russian foreign passport number"))
    cols = list(zip(*rows)) if rows else [[]] * 6
    take = np.where(codes < 0, len(rows), codes)

    def col(i, dtype):
        return pd.array(list(cols[i]) + [None], dtype=dtype).take(take)

    return pd.DataFrame({
        "passport_kind": col(0, "string"),
        "passport_series": col(1, "string"),
        "passport_official": col(2, "boolean"),
        "passport_masked": col(3, "string"),
        "passport_hash": col(4, "string"),
        "passport_problem": col(5, "string"),
    }, index=numbers.index)
