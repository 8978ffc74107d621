"""Schemas of the case bundle, declared once.

``REQUIRED_COLUMNS`` is the contract of the bundle format (see data/README.md
for the data dictionary).  ``schema(table)`` gives the pandera
:class:`~pandera.api.pandas.container.DataFrameSchema` that each loaded table
must satisfy *after* the loader has typed it (text as pandas ``str``, numbers as
``float64``).  Each column's ``description`` is the fix shown to the user when
one of its checks fails, so an error always says what to do.

Row-level failures are turned into a *problems* table (:data:`PROBLEM_COLUMNS`)
by :func:`row_problems`; pandera collects them all at once (``lazy=True``).
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_TABLES",
    "TABLES",
    "ID_COLUMNS",
    "PROBLEM_COLUMNS",
    "STANCES",
    "RELIABILITY_GRADES",
    "PLACE_PRECISIONS",
    "RECORD_KINDS",
    "ACH_RATINGS",
    "ACH_WEIGHTS",
    "schema",
    "row_problems",
    "empty_problems",
]

#: Required columns per file: the bundle-format contract (DESIGN.md).
REQUIRED_COLUMNS: dict[str, list[str]] = {
    "sources": ["source_id", "title", "publisher", "url", "published", "kind",
                "derived_from", "reliability"],
    "claims": ["claim_id", "text", "date", "place_id"],
    "assertions": ["source_id", "claim_id", "stance"],
    "events": ["event_id", "date", "title", "category", "place_id"],
    "places": ["place_id", "name", "alt_names", "lat", "lon", "precision"],
    "travel": ["record_id", "record_kind", "origin", "destination", "departure",
               "source_id"],
    "hypotheses": ["hypothesis_id", "text"],
    "ach": ["hypothesis_id", "claim_id", "rating"],
}
#: Tables a bundle may leave out.
OPTIONAL_TABLES = ("hypotheses", "ach")
#: Load order: every table only refers to tables before it.
TABLES = ("sources", "places", "claims", "events", "travel", "assertions",
          "hypotheses", "ach")
#: The key of each table (a column, or columns that are unique together).
ID_COLUMNS: dict[str, list[str]] = {
    "sources": ["source_id"],
    "places": ["place_id"],
    "claims": ["claim_id"],
    "events": ["event_id"],
    "travel": ["record_id"],
    "assertions": ["source_id", "claim_id"],
    "hypotheses": ["hypothesis_id"],
    "ach": ["hypothesis_id", "claim_id"],
}

#: A source's stance on a claim. ``qualifies`` = repeats it with a material change.
STANCES = ("supports", "contradicts", "qualifies", "omits")
#: Admiralty (NATO AJP-2.1) source reliability: A completely reliable … E unreliable,
#: F reliability cannot be judged.
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
PLACE_PRECISIONS = ("exact", "approximate", "city", "region", "inferred")
#: Known record kinds; others are kept with a warning (the list is open).
RECORD_KINDS = ("booking", "manifest", "flight_list", "ticket", "visa", "other")
#: ACH consistency ratings (PARC ACH): very consistent … very inconsistent, not applicable.
ACH_RATINGS = ("CC", "C", "N", "I", "II", "NA")
ACH_WEIGHTS = ("LOW", "MEDIUM", "HIGH")

PROBLEM_COLUMNS = ["file", "row", "column", "value", "problem", "fix", "severity", "action"]

_ID = r"^[^\s;,]+$"  # ids: no blanks, no list separators


@cache
def schema(table: str):
    """The pandera schema of a loaded, typed table (imported lazily)."""
    import pandera.pandas as pa

    def text_id(what: str, fix: str | None = None):
        return pa.Column(
            "str", pa.Check.str_matches(_ID), nullable=False,
            description=fix or f"give every row a {what} without spaces, ';' or ','",
        )

    def ref(what: str, nullable: bool = True):
        return pa.Column(
            "str", pa.Check.str_matches(_ID), nullable=nullable, required=True,
            description=f"write a single {what} without spaces, ';' or ','",
        )

    def enum(values, fix, nullable=True):
        return pa.Column("str", pa.Check.isin(list(values)), nullable=nullable,
                         description=fix)

    def key(table: str) -> dict:
        return {"unique": ID_COLUMNS[table], "report_duplicates": "exclude_first"}

    not_null_island = pa.Check(
        lambda df: ~((df["lat"] == 0) & (df["lon"] == 0)),
        name="not_null_island",
    )
    schemas = {
        "sources": pa.DataFrameSchema(
            {
                "source_id": text_id("source_id"),
                "reliability": enum(
                    RELIABILITY_GRADES,
                    "use an Admiralty grade A–F (F = cannot be judged) or leave it empty",
                ),
            },
            **key("sources"),
        ),
        "places": pa.DataFrameSchema(
            {
                "place_id": text_id("place_id"),
                "lat": pa.Column(float, pa.Check.in_range(-90, 90), nullable=True,
                                 description="latitude is degrees north in [-90, 90] "
                                 "(WGS84); check the lat/lon order"),
                "lon": pa.Column(float, pa.Check.in_range(-180, 180), nullable=True,
                                 description="longitude is degrees east in [-180, 180] "
                                 "(WGS84); check the lat/lon order"),
                "precision": enum(PLACE_PRECISIONS, "use one of: "
                                  + ", ".join(PLACE_PRECISIONS), nullable=False),
                "distance_km": pa.Column(float, pa.Check.ge(0), nullable=True,
                                         required=False,
                                         description="give a distance in km, 0 or more"),
            },
            checks=[not_null_island],
            **key("places"),
        ),
        "claims": pa.DataFrameSchema(
            {"claim_id": text_id("claim_id"), "place_id": ref("place_id")},
            **key("claims"),
        ),
        "events": pa.DataFrameSchema(
            {"event_id": text_id("event_id"), "place_id": ref("place_id")},
            **key("events"),
        ),
        "travel": pa.DataFrameSchema(
            {"record_id": text_id("record_id"),
             "source_id": ref("source_id", nullable=False)},
            **key("travel"),
        ),
        "assertions": pa.DataFrameSchema(
            {
                "source_id": ref("source_id", nullable=False),
                "claim_id": ref("claim_id", nullable=False),
                "stance": enum(STANCES, "use one of: " + ", ".join(STANCES),
                               nullable=False),
            },
            **key("assertions"),
        ),
        "hypotheses": pa.DataFrameSchema(
            {"hypothesis_id": text_id("hypothesis_id")}, **key("hypotheses"),
        ),
        "ach": pa.DataFrameSchema(
            {
                "hypothesis_id": ref("hypothesis_id", nullable=False),
                "claim_id": ref("claim_id", nullable=False),
                "rating": enum(ACH_RATINGS, "use one of: " + ", ".join(ACH_RATINGS),
                               nullable=False),
                "credibility": enum(ACH_WEIGHTS, "use High, Medium or Low, or leave "
                                    "it empty (Medium)"),
                "relevance": enum(ACH_WEIGHTS, "use High, Medium or Low, or leave "
                                  "it empty (Medium)"),
            },
            **key("ach"),
        ),
    }
    s = schemas[table]
    # Optional columns (credibility, relevance, distance_km) are checked only if present.
    for col in s.columns.values():
        if col.name in ("credibility", "relevance", "distance_km"):
            col.required = False
    return s


def empty_problems() -> pd.DataFrame:
    """A problems table with no rows and the right columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str")
                         for c in PROBLEM_COLUMNS})


def _describe(check: str, value) -> str:
    if check == "not_nullable":
        return "is empty"
    if check == "multiple_fields_uniqueness":
        return "repeats the key of an earlier row (the first one is kept)"
    if check.startswith("isin"):
        return f"{value!r} is not an allowed value"
    if check.startswith("in_range"):
        lo, hi = re.findall(r"-?\d+(?:\.\d+)?", check)[:2]
        return f"{value!r} is outside [{lo}, {hi}]"
    if check.startswith("greater_than_or_equal_to"):
        return f"{value!r} is negative"
    if check.startswith("str_matches"):
        return f"{value!r} is not a single id (it has blanks, ';' or ',')"
    if check == "not_null_island":
        return "(0, 0) is the usual sign of a missing coordinate, not a place"
    return f"{value!r} fails check {check}"


def row_problems(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` (index = file row numbers) and list the failing cells.

    Returns a problems table (:data:`PROBLEM_COLUMNS`) with severity ``error``
    and action ``rejected``; empty when every row passes.
    """
    import pandera.pandas as pa

    s = schema(table)
    try:
        s.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
    else:
        return empty_problems()
    fc = fc[fc["index"].notna()]  # dtype-level failures have no row; loader types first
    fixes = {name: col.description for name, col in s.columns.items()}
    out = []
    for col, check, value, row in zip(fc["column"], fc["check"], fc["failure_case"],
                                      fc["index"]):
        if check == "multiple_fields_uniqueness":
            col = ",".join(ID_COLUMNS[table])
            fix = "give each row its own id, or merge the two rows"
        elif check == "not_null_island":
            col = "lat,lon"
            value = frame.loc[row, ["lat", "lon"]].tolist()
            fix = "leave lat and lon empty and give relative_to/distance_km/bearing, or find the real coordinates"
        else:
            fix = fixes.get(col) or "correct the value"
        out.append({
            "file": f"{table}.csv", "row": int(row), "column": col,
            "value": None if _isna(value) else str(value),
            "problem": _describe(check, value), "fix": fix,
            "severity": "error", "action": "rejected",
        })
    # a frame-wide check (null island) reports once per column: one problem per row
    return (pd.DataFrame(out, columns=PROBLEM_COLUMNS)
            .drop_duplicates(["row", "column", "problem"])
            .astype({"row": "Int64"}))


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
