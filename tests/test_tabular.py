"""tabular: rows numbered as a spreadsheet shows them; rows longer than the
header named, never shifted; Excel cells read as the text they show."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from osint_kit.io.tabular import RaggedRowError, read_csv_text


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

    from osint_kit.io.tabular import read_workbook

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


@pytest.mark.parametrize(
    "text, row, fields",
    [
        ("a,b\n1,2,3\n4,5\n", 2, 3),  # first data row: pandas would shift columns
        ("a,b\n1,2\n4,5,6\n", 3, 3),  # a later row: pandas raises, the kit names the row
        ('a,b\n"x\ny",2\n4,5,6,7\n', 3, 4),  # rows as a spreadsheet counts them, not lines
    ],
)
def test_long_rows_are_named(text, row, fields):
    with pytest.raises(RaggedRowError) as info:
        read_csv_text(io.StringIO(text), dtype="string")
    assert (info.value.row, info.value.fields, info.value.header) == (row, fields, 2)
    assert info.value.advice("x.csv") == (
        f"x.csv: row {row} has {fields} fields where the header has 2: a text in it probably "
        "holds an unquoted ','. Put that text in double quotes (or pass delimiter= if the "
        "file uses another separator)."
    )


def test_trailing_delimiters_allowed_for_exports_not_for_bundles():
    text = "a;b\n1;2;\n3;4;\n"
    got = read_csv_text(io.StringIO(text), sep=";", dtype="string")
    assert got.to_dict("list") == {"a": ["1", "3"], "b": ["2", "4"]}
    with pytest.raises(RaggedRowError, match="row 2 has 3 fields"):
        read_csv_text(io.StringIO(text), sep=";", dtype="string", allow_trailing=False)
    # a non-empty extra field is never "trailing"
    with pytest.raises(RaggedRowError):
        read_csv_text(io.StringIO("a;b\n1;2;x\n"), sep=";", dtype="string")


# --------------------------------------------------------------------------- exports
# Each file below made the readers raise a raw parser error before read_export.


def test_a_field_longer_than_the_csv_module_limit_is_read(tmp_path):
    # the csv module stops at 131,072 characters per field ("_csv.Error: field
    # larger than field limit"); pandas has no limit, and neither does the check
    # of the first row: the 140,000 characters arrive whole
    from osint_kit.io.tabular import read_export

    p = tmp_path / "long_field_synthetic.csv"
    p.write_text("a;b\n" + "x" * 140_000 + ";2\n", encoding="utf-8")
    frame, enc, sep = read_export(p, what="the table", dtype="string")
    assert (enc, sep) == ("utf-8", ";")
    assert len(frame.loc[2, "a"]) == 140_000 and frame.loc[2, "b"] == "2"


@pytest.mark.parametrize(
    "data, message",
    [
        # gzip: refused, not expanded (a small hostile archive can expand to many GB)
        (
            b"\x1f\x8b\x08\x00" + b"\x00" * 20,
            (
                "the file is gzip-compressed, not a text table. "
                "Decompress it (gunzip, or 7-Zip on Windows) and pass the file inside; the kit does not "
                "expand archives itself (a small hostile archive can expand to many GB)"
            ),
        ),
        (b"", "the file is empty (no header row); export the table again"),
        (b"\xef\xbb\xbf\r\n\r\n", "the file is empty (no header row); export the table again"),
        # pandas counts records from 0 = the header: its "row 2" is the spreadsheet's row 3
        (
            b'a,b\n1,2\n"x,3\n4,5\n',
            (
                'a quote (") opens in row 3 and is never closed, so the rest of '
                'the file would be one text. Close the quote, or remove the stray " character'
            ),
        ),
    ],
)
def test_unreadable_exports_are_kit_errors_naming_the_file(tmp_path, data, message):
    from osint_kit.errors import InputFileError
    from osint_kit.io.tabular import read_export

    p = tmp_path / "bad_synthetic.csv"
    p.write_bytes(data)
    with pytest.raises(InputFileError) as info:
        read_export(p, what="the table", dtype="string")
    assert str(info.value) == f"{p}: {message}"


def test_utf16_export_is_detected_and_read(tmp_path):
    from osint_kit.io.tabular import read_export

    p = tmp_path / "utf16_synthetic.csv"
    p.write_bytes("фамилия\tкуда\nГусев\tТегеран\n".encode("utf-16"))  # with its BOM
    frame, enc, sep = read_export(p, what="the table", dtype="string")
    assert (enc, sep) == ("utf-16", "\t")
    assert frame.to_dict("list") == {"фамилия": ["Гусев"], "куда": ["Тегеран"]}


def test_joined_exports_are_found_by_their_second_header_and_bom():
    from osint_kit.io.tabular import joined_exports

    # cat a.csv b.csv, both with a BOM: row 4 is b's header, its BOM kept by the
    # decoder (only the file's first BOM is an encoding mark); row 6 starts with a
    # BOM without a header (a header-less second file); row 7 is data that merely
    # equals the first column's name
    frame = pd.DataFrame(
        {
            "id": ["T1", "T2", "\ufeffid", "T3", "\ufeffT4", "id"],
            "to": ["IKA", "IKA", "to", "SVO", "SVO", "SVO"],
        },
        index=pd.RangeIndex(2, 8, name="row"),
    )
    got = joined_exports(frame)
    assert got.index.tolist() == [4, 6]
    assert got["header"].tolist() == [True, False] and got["bom"].tolist() == [True, True]
    assert got.loc[4, "problem"] == (
        "row 4 repeats the header and begins with a byte-order mark: two files were probably "
        "joined (cat a.csv b.csv): the rows after it come from the second file; delete this "
        "row, or read the files one by one"
    )


# --------------------------------------------------------------------------- issue 16 helpers


def test_whole_numbers_are_written_one_way():
    from osint_kit.io.tabular import whole_number_text

    values = pd.Series(
        ["1", "1.0", " 01 ", 1, 1.0, "-500.0", "-0", "2.5", "abc", "", None, "1e3"], dtype=object
    )
    # whole numbers lose their ".0", leading zeros, spaces and a "-" on zero; the rest is text
    assert whole_number_text(values).tolist() == [
        "1", "1", "1", "1", "1", "-500", "0", "2.5", "abc", pd.NA, pd.NA, "1e3",
    ]  # fmt: skip
    assert whole_number_text(values).dtype == "string"


def test_headers_are_matched_ignoring_case_spaces_and_punctuation():
    from osint_kit.io.tabular import match_headers

    names = ["event_date", "firstSeen", "Media Credit"]
    got = match_headers([" Event_Date ", "FIRSTSEEN", "media-credit", "other"], names)
    assert got == {
        " Event_Date ": "event_date",
        "FIRSTSEEN": "firstSeen",
        "media-credit": "Media Credit",
    }
    # a synonym, and the exact name winning over a look-alike (which stays an extra)
    assert match_headers(
        ["departure"], ["estDepartureAirport"], {"estDepartureAirport": ["departure"]}
    ) == {"departure": "estDepartureAirport"}
    assert match_headers(["Event Date", "event_date"], ["event_date"]) == {}


@pytest.mark.parametrize(
    "data, kind",
    [
        (b'{"events": []}', "json"),
        (b"\xef\xbb\xbf  \n[1, 2]", "json"),  # BOM and white space first
        ('{"a": 1}'.encode("utf-16"), "json"),
        (b"PK\x03\x04rest", "workbook"),
        (b"a,b\n1,2\n", "text"),
        (b"", "text"),
    ],
)
def test_sniff_kind_reads_the_first_bytes(tmp_path, data, kind):
    from osint_kit.io.tabular import sniff_kind

    path = tmp_path / "any_name.csv"
    path.write_bytes(data)
    assert sniff_kind(path) == kind


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty; export the thing again"),
        (b"\x1f\x8b\x08\x00", "the file is gzip-compressed, not JSON; decompress it or export "),
        (b'{"a": [1,', "not valid JSON: Expecting value at line 1, column 10; the file was "),
        (b'{"a": "\xff"}', "not UTF-8 text ("),
        (b"[" * 100_000, "the JSON is nested too deep to be the thing"),
    ],
)
def test_unreadable_json_is_a_kit_error(tmp_path, data, message):
    from osint_kit.errors import InputFileError
    from osint_kit.io.tabular import read_json_export

    path = tmp_path / "x_synthetic.json"
    path.write_bytes(data)
    with pytest.raises(InputFileError) as info:
        read_json_export(path, what="the thing")
    assert str(info.value).startswith(f"{path}: {message}")
