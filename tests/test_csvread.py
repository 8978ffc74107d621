"""read_csv_text: rows longer than the header are named, never shifted."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from osint_kit.csvread import RaggedRowError, read_csv_text


def test_plain_file_reads_like_pandas(tmp_path):
    p = tmp_path / "ok.csv"
    p.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    got = read_csv_text(p, dtype="string")
    # a short row is padded with <NA>, as pandas does: nothing is lost
    pd.testing.assert_frame_equal(got, pd.read_csv(p, dtype="string"))
    assert got["b"].isna().tolist() == [False, True]


@pytest.mark.parametrize("text, row, fields", [
    ("a,b\n1,2,3\n4,5\n", 2, 3),    # first data row: pandas would shift columns
    ("a,b\n1,2\n4,5,6\n", 3, 3),    # a later row: pandas raises, the kit names the row
    ('a,b\n"x\ny",2\n4,5,6,7\n', 3, 4),  # rows as a spreadsheet counts them, not lines
])
def test_long_rows_are_named(text, row, fields):
    with pytest.raises(RaggedRowError) as info:
        read_csv_text(io.StringIO(text), dtype="string")
    assert (info.value.row, info.value.fields, info.value.header) == (row, fields, 2)
    assert info.value.advice("x.csv") == (
        f"x.csv: row {row} has {fields} fields where the header has 2: a text in it probably "
        "holds an unquoted ','. Put that text in double quotes (or pass delimiter= if the "
        "file uses another separator).")


def test_trailing_delimiters_allowed_for_exports_not_for_bundles():
    text = "a;b\n1;2;\n3;4;\n"
    got = read_csv_text(io.StringIO(text), sep=";", dtype="string")
    assert got.to_dict("list") == {"a": ["1", "3"], "b": ["2", "4"]}
    with pytest.raises(RaggedRowError, match="row 2 has 3 fields"):
        read_csv_text(io.StringIO(text), sep=";", dtype="string", allow_trailing=False)
    # a non-empty extra field is never "trailing"
    with pytest.raises(RaggedRowError):
        read_csv_text(io.StringIO("a;b\n1;2;x\n"), sep=";", dtype="string")
