"""The one problems model (osint_kit.problems)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from osint_kit.problems import (
    MAX_VALUE_CHARS,
    PROBLEM_COLUMNS,
    Problems,
    concat_problems,
    empty_problems,
    format_problems,
    problem_rows,
    rejected_rows,
)


def test_rows_broadcast_and_types():
    t = problem_rows(
        "travel.csv",
        [2, 5],
        "origin",
        ["Moscow | SVO", None],
        "unknown place",
        "add it to places.csv",
        action="kept",
    )
    assert list(t.columns) == list(PROBLEM_COLUMNS)
    assert t["row"].dtype == "Int64" and t["file"].dtype == "string"
    # the separator the old travel path used stays inside one value: one row, not two
    assert t["value"].tolist() == ["Moscow | SVO", pd.NA]
    assert t["action"].tolist() == ["kept", "kept"]


def test_long_values_are_cut():
    t = problem_rows("x.csv", 2, "title", "a" * 10_000, "too long", "shorten it")
    # 79 characters and an ellipsis: a hostile 10 kB cell is not copied into the table
    assert t["value"].str.len().tolist() == [MAX_VALUE_CHARS]
    assert t["value"][0].endswith("…")


def test_collector_add_where_uses_spreadsheet_rows():
    frame = pd.DataFrame({"date": ["2024", "soon", "later"]}, index=pd.Index([2, 4, 9], name="row"))
    found = Problems()
    found.add_where(
        "claims.csv", frame, frame["date"] != "2024", "date", "is not a date", "write 2024-04-24"
    )
    found.add("claims.csv", [], "date", [], "never", "never")  # nothing to add
    t = found.table()
    # rows 4 and 9 are the index (the row a spreadsheet shows), not positions 1 and 2
    assert t["row"].tolist() == [4, 9]
    assert t["value"].tolist() == ["soon", "later"]
    assert len(found) == 2
    assert rejected_rows(t) == 2


def test_add_where_without_row_index_counts_from_header():
    frame = pd.DataFrame({"x": [1, 2, 3]})
    found = Problems()
    found.add_where(
        "a.csv", frame, np.array([False, False, True]), "x", "bad", "fix it", action="kept"
    )
    # third data row = spreadsheet row 4 (header is row 1)
    assert found.table()["row"].tolist() == [4]
    assert rejected_rows(found.table()) == 0


def test_concat_and_empty_are_typed():
    e = empty_problems()
    assert len(e) == 0 and e["row"].dtype == "Int64"
    t = concat_problems([e, problem_rows("a", 2, "c", "v", "p", "f"), e])
    assert len(t) == 1 and t["severity"].tolist() == ["error"]


def test_format_problems():
    t = problem_rows("case.toml", pd.NA, "title", "5", "is not text", 'write title = "..."')
    # a whole-file problem has no row number to show
    assert format_problems(t) == [
        "case.toml, column title: value '5': is not text. Fix: write title = \"...\"."
    ]
