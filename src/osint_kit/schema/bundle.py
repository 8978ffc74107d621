"""Schemas of the case bundle, built from its declaration (``schema/bundle.toml``).

The constants here (:data:`REQUIRED_COLUMNS`, :data:`TABLES`, the enumerations,
...) are read off the declaration (:mod:`osint_kit.schema`), not written out a
second time.  ``schema(table)`` gives the pandera
:class:`~pandera.api.pandas.container.DataFrameSchema` that each loaded table
must satisfy *after* the loader has typed it (text as pandas ``str``, numbers as
``float64``): ids, references, enumerations and numbers are checked; each
column's ``description`` is its declared fix, so an error always says what to do.

Row-level failures are turned into a problems table
(:data:`osint_kit.problems.PROBLEM_COLUMNS`) by :func:`row_problems`; pandera
collects them all at once (``lazy=True``).
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from osint_kit import problems as _problems_model
from osint_kit.schema import (
    bundle_tables,
    duplicate_fix,
    frame_check,
    id_pattern,
    table,
)

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_TABLES",
    "TABLES",
    "ID_COLUMNS",
    "PROBLEM_COLUMNS",
    "STANCES",
    "CHANGES",
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
REQUIRED_COLUMNS: dict[str, list[str]] = {t.name: t.required_columns for t in bundle_tables()}
#: Tables a bundle may leave out.
OPTIONAL_TABLES: tuple[str, ...] = tuple(t.name for t in bundle_tables() if t.optional)
#: Load order: every table only refers to tables before it.
TABLES: tuple[str, ...] = tuple(t.name for t in bundle_tables())
#: The key of each table (a column, or columns that are unique together).
ID_COLUMNS: dict[str, list[str]] = {t.name: list(t.key) for t in bundle_tables()}

#: A source's stance on a claim. ``qualifies`` = repeats it with a material change.
STANCES: tuple[str, ...] = table("assertions").column("stance").values
#: What a qualifying or contradicting repetition changed (assertions.csv ``change``).
CHANGES: tuple[str, ...] = table("assertions").column("change").values
#: Admiralty (NATO AJP-2.1) source reliability: A completely reliable … E unreliable,
#: F reliability cannot be judged.
RELIABILITY_GRADES: tuple[str, ...] = table("sources").column("reliability").values
PLACE_PRECISIONS: tuple[str, ...] = table("places").column("precision").values
#: Known record kinds; others are kept with a warning (the list is open).
RECORD_KINDS: tuple[str, ...] = table("travel").column("record_kind").values
#: ACH consistency ratings (PARC ACH): very consistent … very inconsistent, not applicable.
ACH_RATINGS: tuple[str, ...] = table("ach").column("rating").values
ACH_WEIGHTS: tuple[str, ...] = table("ach").column("credibility").values

#: The problems table's columns (as a list: a frame can be indexed with it).
PROBLEM_COLUMNS: list[str] = list(_problems_model.PROBLEM_COLUMNS)
empty_problems = _problems_model.empty_problems

#: Column types the pandera schema checks (the others are free text).
_CHECKED_TYPES = ("id", "reference", "enum", "number")


@cache
def schema(table_name: str):
    """The pandera schema of a loaded, typed table (pandera is imported lazily).

    Built from the declaration: an ``id`` is a non-empty single id; a
    ``reference`` a single id (empty where the column is nullable); an
    ``enum`` one of its values (open enumerations are warned about by the
    loader instead); a ``number`` float64 within its range.  Optional columns
    are checked only when the file has them; a ``checked_by`` column has its
    own check elsewhere; the key columns are unique together (the first row
    is kept); frame-wide checks (``not_null_island``) come from the
    declaration's ``checks``."""
    import pandera.pandas as pa

    decl = table(table_name)
    columns = {}
    for c in decl.columns:
        if c.type not in _CHECKED_TYPES or c.checked_by or (c.type == "enum" and c.open):
            continue
        if c.type in ("id", "reference"):
            nullable = False if c.type == "id" else c.nullable
            col = pa.Column(
                "str", pa.Check.str_matches(id_pattern()), nullable=nullable, description=c.fix
            )
        elif c.type == "enum":
            col = pa.Column(
                "str", pa.Check.isin(list(c.values)), nullable=c.nullable, description=c.fix
            )
        else:
            check = (
                pa.Check.in_range(c.min, c.max)
                if c.min is not None and c.max is not None
                else pa.Check.ge(c.min)
                if c.min is not None
                else None
            )
            col = pa.Column(float, check, nullable=True, description=c.fix)
        col.required = c.required
        columns[c.name] = col
    checks = [_FRAME_CHECKS[name]() for name in decl.checks]
    return pa.DataFrameSchema(
        columns, checks=checks or None, unique=list(decl.key), report_duplicates="exclude_first"
    )


def _not_null_island():
    import pandera.pandas as pa

    lat, lon = frame_check("not_null_island")["columns"]
    return pa.Check(lambda df: ~((df[lat] == 0) & (df[lon] == 0)), name="not_null_island")


#: Frame-wide checks a table may name in its declaration's ``checks``.
_FRAME_CHECKS = {"not_null_island": _not_null_island}


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
    if check in _FRAME_CHECKS:
        return frame_check(check)["problem"]
    return f"{value!r} fails check {check}"


def row_problems(table_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` (index = file row numbers) and list the failing cells.

    Returns a problems table (:data:`PROBLEM_COLUMNS`) with severity ``error``
    and action ``rejected``; empty when every row passes.
    """
    import pandera.pandas as pa

    s = schema(table_name)
    try:
        s.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
    else:
        return empty_problems()
    fc = fc[fc["index"].notna()]  # dtype-level failures have no row; loader types first
    decl = table(table_name)
    fixes = {name: col.description for name, col in s.columns.items()}
    out: dict[str, list] = {"row": [], "column": [], "value": [], "problem": [], "fix": []}
    for col, check, value, row in zip(fc["column"], fc["check"], fc["failure_case"], fc["index"]):
        if check == "multiple_fields_uniqueness":
            col = ",".join(decl.key)
            fix = duplicate_fix()
        elif check in _FRAME_CHECKS:
            declared = frame_check(check)
            col = ",".join(declared["columns"])
            value = frame.loc[row, list(declared["columns"])].tolist()
            fix = declared["fix"]
        else:
            fix = fixes.get(col) or "correct the value"
        out["row"].append(int(row))
        out["column"].append(col)
        out["value"].append(None if _isna(value) else str(value))
        out["problem"].append(_describe(check, value))
        out["fix"].append(fix)
    if not out["row"]:
        return empty_problems()
    # a frame-wide check (null island) reports once per column: one problem per row
    rows = _problems_model.problem_rows(
        decl.file, out["row"], out["column"], out["value"], out["problem"], out["fix"]
    )
    return rows.drop_duplicates(["row", "column", "problem"]).reset_index(drop=True)


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
