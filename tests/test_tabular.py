"""tabular: rows numbered as a spreadsheet shows them; rows longer than the
header named, never shifted; Excel cells read as the text they show."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from osint_kit.tabular import RaggedRowError, read_csv_text


def test_plain_file_reads_like_pandas_with_spreadsheet_rows(tmp_path):
    p = tmp_path / "ok.csv"
    p.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    got = read_csv_text(p, dtype="string")
    # the same values as pandas; the index is the spreadsheet row (header = 1)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), pd.read_csv(p, dtype="string"))
    assert got.index.tolist() == [2, 3] and got.index.name == "row"
    # a short row is padded with <NA>, as pandas does: nothing is lost
    assert got["b"].isna().tolist() == [False, True]


def test_blank_rows_are_dropped_but_keep_their_numbers(tmp_path):
    # lines: 1 header, 2 blank, 3 "1,2", 4 spaces only, 5 ",", 6 "3,4"
    p = tmp_path / "gaps.csv"
    p.write_text("a,b\n\n1,2\n   \n,\n3,4\n", encoding="utf-8")
    got = read_csv_text(p, dtype="string", keep_default_na=False, na_values=[""])
    assert got.index.tolist() == [3, 6]
    assert got["a"].tolist() == ["1", "3"]


def test_workbook_cells_read_as_the_text_they_show(tmp_path):
    import datetime as dt

    import openpyxl

    from osint_kit.tabular import read_workbook

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["when", "number", "time", "text"])
    ws.append([dt.datetime(2024, 4, 24), 201234567, dt.time(10, 35), " Gusev "])
    ws.append([None, None, None, None])  # a blank row: dropped, row 4 keeps its number
    ws.append([dt.datetime(2024, 9, 17, 8, 5), 1.5, None, "SU 512"])
    path = tmp_path / "bookings_synthetic.xlsx"
    wb.save(path)
    got = read_workbook(path)
    assert got.index.tolist() == [2, 4]
    # a date cell -> its day; a whole number -> its digits (no ".0"); text stripped
    assert got.loc[2].tolist() == ["2024-04-24", "201234567", "10:35", "Gusev"]
    assert got.loc[4, "when"] == "2024-09-17 08:05" and got.loc[4, "number"] == "1.5"
    assert pd.isna(got.loc[4, "time"]) and got.loc[4, "text"] == "SU 512"


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
