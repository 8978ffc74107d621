"""Hostile cells through ``save_table`` and back (CSV and XLSX).

Properties: only the kit's own errors; every row and column comes back; a
text cell is never a live formula (XLSX: no formula cell; CSV: a risky cell
starts with ``'``), and removing that one quote gives back the text as
written (``=1+1`` stays ``=1+1``, ``{{7*7}}`` stays ``{{7*7}}``).
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape
from strategies import SPECIALS, examples, hostile_text

from osint_kit.errors import OsintKitError
from osint_kit.report.export import save_table

# every text, control characters and repeated names included: XML 1.0 cannot hold
# C0 controls other than tab/LF/CR (nor U+FFFE/FFFF), which the kit writes in XLSX as
# visible \x00-style escapes (test_control_characters); repeated names raise
# ExportError (test_duplicate_column_names)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CELL = hostile_text()
NAMES = st.lists(st.one_of(st.sampled_from(SPECIALS), CELL), min_size=1, max_size=4)
# the documented rule (osint_kit.report.export module docstring): a text starting with
# = + - @ (or a full-width / small form of them, or any of them after blanks),
# TAB, CR or LF that is not a plain number gets one leading quote in the CSV
_RISKY = re.compile(
    "^(?:[\t\r\n]|[ \u00a0\u3000]*[=+\\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b])"
)
_NUMBER = re.compile(r"^ *[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)? *$", re.ASCII)


def _in_xlsx(text: str) -> str:
    # what the XLSX cell reads as (after OOXML unescaping): illegal characters as their
    # repr-style escape (module docstring, "Cells XLSX cannot store")
    return _ILLEGAL.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def _as_csv(text: str) -> str:
    return "'" + text if _RISKY.match(text) and not _NUMBER.match(text) else text


@settings(max_examples=examples(30))
@given(names=NAMES, data=st.data())
def test_save_table_round_trip(names, data):
    # a name the kit neutralises itself ("=1+1" -> "'=1+1") comes back quoted
    n = data.draw(st.integers(0, 5), label="rows")
    frame = pd.DataFrame({j: [data.draw(CELL) for _ in range(n)] for j in range(len(names))})
    frame.columns = names  # repeated names kept (save_table must refuse them)
    with tempfile.TemporaryDirectory() as d:
        try:
            csv_path, xlsx_path = save_table(frame, Path(d) / "t")
        except OsintKitError:
            return
        with open(csv_path, newline="", encoding="utf-8") as fh:
            records = list(csv.reader(fh))
        wb = load_workbook(xlsx_path)
        ws = wb.active
        cells = [[c for c in r] for r in ws.iter_rows()]
    # every row and every column comes back (header + n)
    assert len(records) == n + 1
    assert records[0] == [_as_csv(str(c)) for c in frame.columns]
    for i in range(n):  # "=1+1" is written '=1+1 (never evaluated), "{{7*7}}" as it is
        assert records[i + 1] == [_as_csv(frame.iloc[i, j]) for j in range(len(names))]
    # XLSX: no cell is a formula; text comes back as written
    for r, row in enumerate(cells[1:]):
        for j, cell in enumerate(row):
            assert cell.data_type != "f", f"live formula {cell.value!r}"
            # the kit writes CR as OOXML's _x000D_ (and a literal _xHHHH_ as _x005F_xHHHH_),
            # so the text comes back exactly, CR included, once unescaped as Excel does
            assert unescape(cell.value or "") == _in_xlsx(frame.iloc[r, j])


# --------------------------------------------------------------------------- regressions


def test_duplicate_column_names(tmp_path):
    frame = pd.DataFrame([["a", "b"]], columns=["x", "x"])
    try:
        csv_path, _ = save_table(frame, tmp_path / "t")
    except OsintKitError:
        return
    with open(csv_path, newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [["x", "x"], ["a", "b"]]  # both columns kept


@pytest.mark.parametrize("where", ["cell", "name"])
def test_control_characters(tmp_path, where):
    frame = pd.DataFrame({"a": ["x\x01y"]}) if where == "cell" else pd.DataFrame({"a\x02": ["x"]})
    try:
        save_table(frame, tmp_path / "t")
    except OsintKitError:
        return


def test_bytes_cell_is_not_a_formula(tmp_path):
    frame = pd.DataFrame({"a": [b"=1+1"]})
    try:
        _, xlsx_path = save_table(frame, tmp_path / "t")
    except OsintKitError:
        return
    cell = load_workbook(xlsx_path).active["A2"]
    assert cell.data_type != "f"
