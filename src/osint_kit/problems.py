"""One problems model for the whole kit.

Whatever finds something wrong with an input -- the bundle loader, an export
reader, the corroboration or the ACH analysis -- reports it the same way: one
row per (input row, reason) in a long-form table with the columns of
:data:`PROBLEM_COLUMNS`:

=========  ================================================================
file       the file the row came from (``claims.csv``, ``bookings.xlsx``)
row        the row a spreadsheet shows (header = 1); <NA> for a whole file
column     the column holding the value (or a comma-separated list)
value      the value as read (text, cut to :data:`MAX_VALUE_CHARS`)
problem    what is wrong, in words
fix        what to do about it
severity   ``error`` (the row cannot be used as it is) or ``warning``
action     ``rejected`` (the row left the output) or ``kept`` (it stayed,
           flagged)
=========  ================================================================

``row`` is ``Int64``; every other column is pandas ``string``.  Each reason
is a row of its own: reasons are never joined into one text and split again,
so a value that contains the separator (``Moscow | SVO``) stays one value.

Build a table with :func:`problem_rows` (vectorised: every argument is a
scalar or one value per row) or collect pieces with :class:`Problems` and
take :meth:`Problems.table` once at the end.  Invariant that every reader
keeps: rows in = rows out + distinct rows with action ``rejected``
(:func:`rejected_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "PROBLEM_COLUMNS",
    "SEVERITIES",
    "ACTIONS",
    "MAX_VALUE_CHARS",
    "Problems",
    "problem_rows",
    "empty_problems",
    "concat_problems",
    "rejected_rows",
    "format_problems",
]

PROBLEM_COLUMNS: tuple[str, ...] = (
    "file",
    "row",
    "column",
    "value",
    "problem",
    "fix",
    "severity",
    "action",
)
SEVERITIES = ("error", "warning")
ACTIONS = ("rejected", "kept")
#: Values longer than this are cut (with an ellipsis) in the table: a hostile
#: 10 MB cell must not be copied into every message about it.
MAX_VALUE_CHARS = 80

_DTYPES = {c: ("Int64" if c == "row" else "string") for c in PROBLEM_COLUMNS}


def empty_problems() -> pd.DataFrame:
    """A problems table with no rows, typed."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _DTYPES.items()})


def _cut(values: pd.Series) -> pd.Series:
    long = values.str.len() > MAX_VALUE_CHARS
    if long.any():
        values = values.where(~long, values.str.slice(0, MAX_VALUE_CHARS - 1) + "…")
    return values


def problem_rows(
    file: Any,
    row: Any,
    column: Any,
    value: Any,
    problem: Any,
    fix: Any,
    *,
    severity: Any = "error",
    action: Any = "rejected",
) -> pd.DataFrame:
    """Problem rows, one per element of the longest argument.

    Every argument is a scalar (repeated on every row) or a sequence / array
    / Series with one value per row; ``row`` and ``value`` may hold NA.

    >>> problem_rows("claims.csv", [3, 7], "date", ["32.13.2024", "soon"],
    ...              "is not a date", "write 2024-04-24").shape
    (2, 8)
    """
    args = {
        "file": file,
        "row": row,
        "column": column,
        "value": value,
        "problem": problem,
        "fix": fix,
        "severity": severity,
        "action": action,
    }
    n = max((len(v) for v in args.values() if _is_array(v)), default=1)
    cols = {}
    for name, v in args.items():
        if _is_array(v):
            arr = np.asarray(
                v.to_numpy(dtype=object)
                if isinstance(v, pd.Series | pd.Index)
                else list(v)
                if not isinstance(v, np.ndarray)
                else v,
                dtype=object,
            )
            if len(arr) != n:
                raise ValueError(f"problem_rows: {name} has {len(arr)} values, expected {n}")
        else:
            arr = np.full(n, v, dtype=object)
        if name == "row":
            cols[name] = pd.array(
                pd.Series(arr, dtype=object).where(pd.notna(arr), None), dtype="Int64"
            )
        else:
            s = pd.Series(arr, dtype=object)
            s = s.where(s.isna(), s.astype(str))
            cols[name] = pd.Series(s, dtype="string")
    out = pd.DataFrame(cols)
    out["value"] = _cut(out["value"])
    return out.reset_index(drop=True)


def _is_array(v: Any) -> bool:
    return not isinstance(v, str | bytes) and isinstance(
        v, Sequence | np.ndarray | pd.Series | pd.Index
    )


def concat_problems(tables: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Several problems tables as one, typed (empty pieces are skipped)."""
    parts = [t for t in tables if len(t)]
    if not parts:
        return empty_problems()
    out = pd.concat([p[list(PROBLEM_COLUMNS)] for p in parts], ignore_index=True)
    return out.astype(_DTYPES)


class Problems:
    """Collects problem rows while a reader or an analysis runs.

    >>> found = Problems()
    >>> found.add("travel.csv", 4, "departure", "2024-04-31", "is not a date",
    ...           "write the date as 2024-04-30", action="kept")
    >>> len(found), found.table()["action"].tolist()
    (1, ['kept'])
    """

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(
        self,
        file: Any,
        row: Any,
        column: Any,
        value: Any,
        problem: Any,
        fix: Any,
        *,
        severity: Any = "error",
        action: Any = "rejected",
    ) -> None:
        """Add rows (arguments as for :func:`problem_rows`); an empty array adds nothing."""
        rows = problem_rows(
            file, row, column, value, problem, fix, severity=severity, action=action
        )
        if len(rows) and not (_is_array(row) and len(row) == 0):
            self._parts.append(rows)

    def add_where(
        self,
        file: str,
        frame: pd.DataFrame,
        mask: Any,
        column: str,
        problem: Any,
        fix: Any,
        *,
        severity: str = "error",
        action: str = "rejected",
    ) -> None:
        """Add a row for each row of ``frame`` where ``mask`` is true.

        The row number is ``frame``'s index when it is named ``row`` (the
        readers' spreadsheet row numbers), else the position + 2 (header =
        row 1).  ``value`` is ``frame[column]`` (<NA> when there is no such
        column); ``problem`` and ``fix`` may be one value per row of ``frame``.
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if frame.index.name == "row" and pd.api.types.is_integer_dtype(frame.index.dtype):
            rows = frame.index.to_numpy(dtype="int64")[mask]
        else:
            rows = np.flatnonzero(mask) + 2
        values = (
            frame[column].astype("string").to_numpy(dtype=object)[mask]
            if column in frame.columns
            else np.full(mask.sum(), None, dtype=object)
        )

        def per_row(v: Any) -> Any:
            return np.asarray(v, dtype=object)[mask] if _is_array(v) else v

        self.add(
            file,
            rows,
            column,
            values,
            per_row(problem),
            per_row(fix),
            severity=severity,
            action=action,
        )

    def extend(self, table: pd.DataFrame | Problems) -> None:
        """Add every row of another problems table (or collector)."""
        table = table.table() if isinstance(table, Problems) else table
        if len(table):
            self._parts.append(table)

    def table(self) -> pd.DataFrame:
        """All rows collected so far, in the order they were added."""
        return concat_problems(self._parts)

    def __len__(self) -> int:
        return sum(len(p) for p in self._parts)


def rejected_rows(table: pd.DataFrame) -> int:
    """Distinct (file, row) pairs with action ``rejected``: rows that left the output."""
    rej = table[table["action"] == "rejected"]
    return len(rej[["file", "row"]].drop_duplicates())


def format_problems(table: pd.DataFrame) -> list[str]:
    """One readable line per problem, as the CLI prints them.

    >>> format_problems(problem_rows("claims.csv", 3, "date", "soon", "is not a date",
    ...                              "write 2024-04-24"))
    ["claims.csv row 3, column date: value 'soon': is not a date. Fix: write 2024-04-24."]
    """
    lines = []
    for p in table.to_dict("records"):
        value = "" if p["value"] is None or pd.isna(p["value"]) else f" value {p['value']!r}:"
        where = "" if pd.isna(p["row"]) else f" row {p['row']}"
        lines.append(
            f"{p['file']}{where}, column {p['column']}:{value} {p['problem']}. Fix: {p['fix']}."
        )
    return lines
