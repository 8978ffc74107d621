"""Tables read from files as text, rows numbered as a spreadsheet shows them.

Two readers, one shape: :func:`read_csv_text` (CSV/TSV) and
:func:`read_workbook` (an Excel sheet) return text columns indexed by
``row``, the row a spreadsheet shows for each record (header = row 1).
A blank row (every field empty, or a line of spaces) is dropped but keeps
its number for the rows after it, so "row 7" in a message is row 7 of the file.

``pandas.read_csv`` has one quiet failure that matters for hand-edited
exports: when the *first* data row has more fields than the header (a text
with an unquoted comma), it takes the first column as the index and shifts
every column left by one -- ids land in the index, titles in the id column,
and every row then fails validation for the wrong reason.  A later row with
too many fields raises a ``ParserError`` ("Expected 8 fields in line 5, saw
9"), with no hint of the cause.  :func:`read_csv_text` reads with
``index_col=False`` and turns both cases into one :class:`RaggedRowError`
that names the row and the field counts; :meth:`RaggedRowError.advice` words
the fix.  A delimiter at the end of every line only adds empty fields:
pandas drops those without loss, and so does this reader for exports (not
for case-bundle files, which the kit writes itself).

:func:`read_workbook` gives each cell the text it shows: a date cell
``2024-04-24``, a date-time cell ``2024-04-24 10:35``, a whole number
``201234567`` (not ``201234567.0``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["RaggedRowError", "read_csv_text", "read_workbook", "numbered"]

_EXPECTED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_LOSS = "does not match length of data"  # pandas' ParserWarning with index_col=False


class RaggedRowError(ValueError):
    """A data row has more fields than the header.

    Attributes: ``row`` (spreadsheet row, header = 1), ``fields`` (fields in
    that row) and ``header`` (fields in the header).
    """

    def __init__(self, row: int, fields: int, header: int):
        self.row, self.fields, self.header = row, fields, header
        super().__init__(f"row {row} has {fields} fields where the header has {header}")

    def advice(self, name: str, sep: str = ",", *, other_delimiter: bool = True) -> str:
        """The message for a user: file, row, field counts, likely cause, fix
        (``other_delimiter``: mention ``delimiter=``, for readers that take one)."""
        also = (" (or pass delimiter= if the file uses another separator)"
                if other_delimiter else "")
        return (f"{name}: row {self.row} has {self.fields} fields where the header has "
                f"{self.header}: a text in it probably holds an unquoted {sep!r}. Put that "
                f"text in double quotes{also}.")


def read_csv_text(source, *, sep: str = ",", encoding: str = "utf-8",
                  allow_trailing: bool = True, **kwargs) -> pd.DataFrame:
    """``pandas.read_csv(source, sep=sep, encoding=encoding, index_col=False, **kwargs)``
    that raises :class:`RaggedRowError` instead of shifting or dropping fields.

    ``source`` is a path or a text buffer (``io.StringIO``).  The first data
    row is checked with the csv module before pandas reads the file: more
    fields than the header is an error unless the extra fields are empty and
    ``allow_trailing`` is true (an export that ends every line with the
    delimiter, which pandas reads without loss).  Bundle files, which the kit
    writes itself, are read with ``allow_trailing=False``.  Other pandas
    errors (``ParserError``, ``UnicodeDecodeError``) pass through unchanged.
    """
    header, first = _first_records(source, sep, encoding)
    if len(first) > len(header):
        extra = first[len(header):]
        if not (allow_trailing and not any(f.strip() for f in extra)):
            raise RaggedRowError(row=2, fields=len(first), header=len(header))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(source, sep=sep, encoding=encoding, index_col=False,
                                skip_blank_lines=False, **kwargs)
    except pd.errors.ParserError as exc:
        m = _EXPECTED.search(str(exc))
        if m is None:
            raise
        raise RaggedRowError(row=int(m[2]), fields=int(m[3]), header=int(m[1])) from exc
    for w in caught:
        if issubclass(w.category, pd.errors.ParserWarning) and _LOSS in str(w.message):
            # a safety net: the check above should have caught the first row
            raise RaggedRowError(row=2, fields=len(first), header=len(header))
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return numbered(frame)


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (one row per record, in file order) indexed by spreadsheet row
    (header = row 1), without its blank rows: every field empty (a blank line,
    ``,,,``), or a line of spaces.  Only missing-value masks are computed over
    all rows; text is looked at only where everything but the first field is
    missing."""
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    if frame.empty or not len(frame.columns):
        return frame
    # candidates narrow column by column, from the last one (usually filled)
    rows = np.arange(len(frame))
    for j in range(len(frame.columns) - 1, 0, -1):
        rows = rows[frame.iloc[rows, j].isna().to_numpy(dtype=bool)]
        if not len(rows):
            return frame
    first = frame.iloc[rows, 0].astype("string").str.strip()
    blank = rows[(first.isna() | (first == "")).to_numpy(dtype=bool)]
    return frame.drop(index=frame.index[blank]) if len(blank) else frame


def read_workbook(path, sheet: str | int = 0) -> pd.DataFrame:
    """One sheet of an Excel workbook as text columns (string dtype), indexed
    by spreadsheet row, blank rows dropped (:func:`numbered`).  Each distinct
    cell value is converted once: a date or date-time cell at 00:00 becomes a
    day (``2024-04-24``; Excel cannot say whether midnight was meant), any
    other date-time ``2024-04-24 10:35[:ss]``, a whole number its digits."""
    frame = pd.read_excel(path, sheet_name=sheet, dtype=object, header=0)
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        codes, values = pd.factorize(frame[column].to_numpy(dtype=object), use_na_sentinel=True)
        texts = pd.array([_cell_text(v) for v in values] + [None], dtype="string")
        out[str(column).strip()] = texts.take(np.where(codes < 0, len(values), codes))
    return numbered(out)


def _cell_text(value) -> str | None:
    """The text an Excel cell shows (see :func:`read_workbook`)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return f"{value:%Y-%m-%d}"
        return f"{value:%Y-%m-%d %H:%M}" if value.second == 0 else f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}" if value.second == 0 else f"{value:%H:%M:%S}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _first_records(source, sep: str, encoding: str) -> tuple[list[str], list[str]]:
    """The header and the first data record of ``source`` (a path or a text buffer)."""
    if isinstance(source, io.StringIO):
        records = csv.reader(io.StringIO(source.getvalue()), delimiter=sep)
        return next(records, []), next(records, [])
    with open(Path(source), encoding=encoding, newline="") as fh:
        records = csv.reader(fh, delimiter=sep)
        return next(records, []), next(records, [])
