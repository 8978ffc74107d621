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

:func:`read_export` is the one way the kit reads an export it did not write
(a booking list, an OpenSky list, an ACLED or TimelineJS sheet): every file
gives a frame or an :class:`~osint_kit.errors.InputFileError` naming the file
and the fix -- never a raw parser error.  It detects the encoding
(:func:`detect_encoding`: UTF-8 with or without BOM, UTF-16 with a BOM, else
charset-normalizer's guess, cp1251 for Russian Windows exports), refuses
compressed files and archives by their first bytes (see :data:`SIGNATURES`),
reads a field of any length (the csv module stops at 131,072 characters) and
names the row of a quote that is never closed.  :func:`joined_exports` finds
the rows two exports leave when they are joined with ``cat``: a second
header, a byte-order mark at the start of a row.

Readers tell a file's format from its content, not its name:
:func:`sniff_kind` says whether the first bytes are a workbook, JSON or a
text table; :func:`read_json_export` reads a JSON export with the same kind
of errors as :func:`read_export`.  :func:`whole_number_text` reads a code
written ``1``, ``1.0`` or ``01`` (a pandas or R round trip turns an integer
column with a blank into floats) as the same ``1``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit.errors import InputFileError
from osint_kit.text import match_key

__all__ = [
    "RaggedRowError",
    "read_csv_text",
    "read_workbook",
    "numbered",
    "read_export",
    "detect_encoding",
    "sniff_delimiter",
    "joined_exports",
    "strip_row_bom",
    "read_export_workbook",
    "SIGNATURES",
    "sniff_kind",
    "read_json_export",
    "whole_number_text",
    "match_headers",
]

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
        also = " (or pass delimiter= if the file uses another separator)" if other_delimiter else ""
        return (
            f"{name}: row {self.row} has {self.fields} fields where the header has "
            f"{self.header}: a text in it probably holds an unquoted {sep!r}. Put that "
            f"text in double quotes{also}."
        )


def read_csv_text(
    source, *, sep: str = ",", encoding: str = "utf-8", allow_trailing: bool = True, **kwargs
) -> pd.DataFrame:
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
        extra = first[len(header) :]
        if not (allow_trailing and not any(f.strip() for f in extra)):
            raise RaggedRowError(row=2, fields=len(first), header=len(header))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(
                source,
                sep=sep,
                encoding=encoding,
                index_col=False,
                skip_blank_lines=False,
                **kwargs,
            )
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
    return _workbook_text(pd.read_excel(path, sheet_name=sheet, dtype=object, header=0))


def read_export_workbook(path, sheet: str | int = 0, *, what: str = "the sheet") -> pd.DataFrame:
    """:func:`read_workbook` for a file the kit did not write: any failure of
    the workbook parser on it (not a zip, a zip that is not a workbook, a
    broken part, no such sheet) is an :class:`~osint_kit.errors.InputFileError`
    naming the file, the sheet and the fix."""
    import zipfile

    try:
        frame = pd.read_excel(path, sheet_name=sheet, dtype=object, header=0)
    except MemoryError:
        raise
    except zipfile.BadZipFile as exc:
        raise InputFileError(
            f"{path}: starts like an Excel workbook (a zip file) but is not one ({exc}); open "
            f"it in Excel or LibreOffice and save it again as .xlsx, or export {what} as "
            "CSV"
        ) from exc
    except Exception as exc:  # a hostile workbook can break the parser anywhere
        raise InputFileError(
            f"{path}: cannot read sheet {sheet!r} of the workbook ({type(exc).__name__}: "
            f"{exc}); pass sheet= (a name or position) or export {what} as CSV"
        ) from exc
    return _workbook_text(frame)


def _workbook_text(frame: pd.DataFrame) -> pd.DataFrame:
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


_CSV_LIMIT = threading.Lock()


@contextlib.contextmanager
def _no_field_limit():
    """Let the csv module read a field of any length (its default limit is
    131,072 characters; pandas' C parser has none), restoring the limit after."""
    with _CSV_LIMIT:
        old = csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a C long on every platform
        try:
            yield
        finally:
            csv.field_size_limit(old)


def _first_records(source, sep: str, encoding: str) -> tuple[list[str], list[str]]:
    """The header and the first data record of ``source`` (a path or a text buffer)."""
    with _no_field_limit():
        if isinstance(source, io.StringIO):
            records = csv.reader(io.StringIO(source.getvalue()), delimiter=sep)
            return next(records, []), next(records, [])
        with open(Path(source), encoding=encoding, newline="") as fh:
            records = csv.reader(fh, delimiter=sep)
            return next(records, []), next(records, [])


# --------------------------------------------------------------------------- exports

#: First bytes of files that are not text tables -> what they are.  A
#: compressed export is refused, not expanded: a few MB of hostile gzip can
#: expand to many GB, and row numbers in problems must be rows of a file the
#: analyst can open (the decompressed one, kept as the evidence read).
SIGNATURES: dict[bytes, str] = {
    b"\x1f\x8b": "gzip-compressed",
    b"BZh": "bzip2-compressed",
    b"\xfd7zXZ\x00": "xz-compressed",
    b"\x28\xb5\x2f\xfd": "zstd-compressed",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive",
    b"PK\x03\x04": "a zip archive",
    b"PK\x05\x06": "an empty zip archive",
    b"%PDF-": "a PDF document",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an old Excel (.xls) or Office file",
}

_EOF_IN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


#: Single-byte encodings of exports, by how their letters sit among ASCII:
#: scripts written in whole words outside ASCII (Cyrillic, Arabic/Persian)
#: and Latin scripts with accented letters inside ASCII words.
_WORD_SCRIPTS = ["cp1251", "koi8_r", "cp1256"]
_LATIN_SCRIPTS = ["cp1252"]  # Western Windows (Latin-1's letters); cp1250: pass encoding=


def _single_byte_candidates(raw: bytes) -> list[str] | None:
    """The encodings to choose among for non-UTF-8 bytes.  A short export is
    mostly ASCII, and on a few non-ASCII bytes charset-normalizer alone picks
    anything (cp850 for a cp1251 place name, mac_latin2 for French).  Which
    family it is shows in where those bytes sit: beside ASCII letters
    (``synth\xe9tique``: an accented Latin letter) or in runs of their own
    (``\xd1\xe8\xed\xf2``: a Cyrillic or Arabic word).  None when the bytes
    do not look like single-byte text (many NULs: UTF-16 without a BOM)."""
    b = np.frombuffer(raw, dtype=np.uint8)
    high = b >= 0x80
    if not high.any() or (b == 0).sum() * 8 > len(b):
        return None
    lower = b | 0x20
    letter = (lower >= ord("a")) & (lower <= ord("z"))
    beside = high & (np.r_[False, letter[:-1]] | np.r_[letter[1:], False])
    return _LATIN_SCRIPTS if beside.sum() * 2 > high.sum() else _WORD_SCRIPTS


def detect_encoding(raw: bytes) -> str:
    """The encoding of a text file from its first bytes: UTF-8 (with or
    without BOM) when the bytes decode as such, UTF-16 with its BOM, else the
    charset-normalizer guess among the single-byte encodings of the family
    the bytes show (:func:`_single_byte_candidates`: cp1251, KOI8-R or cp1256
    for words outside ASCII; cp1252 for accented Latin letters, since
    charset-normalizer cannot tell cp1252 from cp1250 on a few letters and
    Western exports are the common case: pass ``encoding='cp1250'`` for a
    Central European one)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # the BOM says which byte order; Python's codec reads it
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start >= len(raw) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes

    candidates = _single_byte_candidates(raw)
    if candidates is not None and len(candidates) == 1:
        return candidates[0]
    best = from_bytes(raw, cp_isolation=candidates).best()
    return best.encoding if best is not None else (candidates or ["cp1251"])[0]


def sniff_delimiter(first_line: str) -> str:
    """The most frequent of ``; , TAB |`` in a header line (``,`` when none)."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t", "|")}
    return max(counts, key=counts.__getitem__) if max(counts.values()) else ","


def read_export(
    path,
    *,
    what: str,
    sep: str | None = None,
    encoding: str | None = None,
    other_delimiter: bool = True,
    sample_bytes: int = 256 * 1024,
    **kwargs,
) -> tuple[pd.DataFrame, str, str]:
    """Read a text export (CSV/TSV) with :func:`read_csv_text`; every failure is
    an :class:`~osint_kit.errors.InputFileError` naming the file and the fix.

    ``what`` names the content in messages ("the bookings", "the flight
    list").  ``sep`` default: :func:`sniff_delimiter` on the first line;
    ``encoding`` default: :func:`detect_encoding` on the first ``sample_bytes``.
    ``kwargs`` go to ``pandas.read_csv`` (the file is read as it is:
    ``compression=None``, whatever its name).  Returns (frame indexed by
    spreadsheet row, encoding, delimiter).

    Refused with a message: a missing or unreadable file, an empty one (no
    header), one whose first bytes say it is compressed, an archive or
    another binary format (:data:`SIGNATURES`), text that is not in the
    encoding, a row longer than the header (:class:`RaggedRowError`), a quote
    never closed (the row where it opens is named).
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            sample = fh.read(sample_bytes)
    except OSError as exc:  # missing, a folder, no permission
        raise InputFileError(
            f"{path}: cannot read the file ({exc.strerror or exc}); check the path"
        ) from exc
    for magic, kind in SIGNATURES.items():
        if sample.startswith(magic):
            undo = {
                "gzip-compressed": " (gunzip, or 7-Zip on Windows)",
                "a zip archive": " (unzip it)",
            }.get(kind, "")
            raise InputFileError(
                f"{path}: the file is {kind}, not a text table. "
                + (
                    f"Decompress it{undo} and pass the file inside; the kit does not expand "
                    "archives itself (a small hostile archive can expand to many GB)"
                    if "compressed" in kind or "archive" in kind
                    else f"Export {what} as CSV (UTF-8) and pass that file"
                )
            )
    if not sample.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputFileError(f"{path}: the file is empty (no header row); export {what} again")
    enc = encoding or detect_encoding(sample)
    if sep is None:
        lines = sample.decode(enc, errors="replace").lstrip("\ufeff").splitlines()
        sep = sniff_delimiter(lines[0] if lines else "")
    again = "pass encoding= (e.g. encoding='cp1251')" + (
        " or delimiter=" if other_delimiter else ""
    )
    try:
        frame = read_csv_text(path, sep=sep, encoding=enc, compression=None, **kwargs)
    except RaggedRowError as exc:
        raise InputFileError(exc.advice(str(path), sep, other_delimiter=other_delimiter)) from exc
    except UnicodeError as exc:
        raise InputFileError(
            f"{path}: not {enc} text ({exc}); the encoding was guessed from "
            f"the first {sample_bytes // 1024} kB: {again}"
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputFileError(
            f"{path}: the file is empty (no header row); export {what} again"
        ) from exc
    except (pd.errors.ParserError, csv.Error) as exc:
        m = _EOF_IN_QUOTE.search(str(exc))
        if m is not None:  # pandas counts records from 0 = the header
            raise InputFileError(
                f'{path}: a quote (") opens in row {int(m[1]) + 1} and is never closed, so the '
                "rest of the file would be one text. Close the quote, or remove the stray "
                '" character'
            ) from exc
        raise InputFileError(
            f"{path}: cannot be read as {enc} text separated by {sep!r} ({exc}); {again}"
        ) from exc
    return frame, enc, sep


def joined_exports(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that two exports leave when joined with ``cat a.csv b.csv``: the
    second file's header (every field equal to the column's name) and a
    byte-order mark (U+FEFF) at the start of a row's first field (only the
    file's first BOM is an encoding mark; the others stay in the text).

    Returns a frame on the rows found (index = ``frame``'s), columns
    ``header`` (bool), ``bom`` (bool), ``problem`` (the reason, with the fix).
    Only the first column is looked at for every row; the others only where
    it already equals its name.  ``frame`` is not changed: a caller strips
    the BOM with :func:`strip_row_bom`.
    """
    cols = [str(c) for c in frame.columns]
    empty = pd.DataFrame(
        {
            "header": pd.Series(dtype=bool),
            "bom": pd.Series(dtype=bool),
            "problem": pd.Series(dtype="string"),
        }
    )
    if not len(frame) or not cols:
        return empty
    first = frame.iloc[:, 0].to_numpy(dtype=object, na_value="")
    name = cols[0].lstrip("\ufeff")
    bom = np.zeros(len(first), dtype=bool)
    try:
        joined = "\x00".join(first)
    except TypeError:  # not text: no BOM, no header text
        return empty
    if "\ufeff" in joined:  # rare: only then find the rows, from the values' lengths
        lengths = np.fromiter(map(len, first), dtype=np.int64, count=len(first))
        starts = np.cumsum(lengths + 1) - lengths - 1
        at = np.array([m.start() for m in re.finditer("\ufeff", joined)], dtype=np.int64)
        k = np.minimum(np.searchsorted(starts, at), len(starts) - 1)
        bom[k[starts[k] == at]] = True  # a BOM that starts a value
    cand = np.flatnonzero(bom | (first == name))
    if not len(cand):
        return empty
    header = np.ones(len(cand), dtype=bool)
    for j, c in enumerate(cols):
        v = pd.Series(frame.iloc[cand, j].to_numpy(dtype=object, na_value=""), dtype=object).astype(
            str
        )
        header &= (v.str.lstrip("\ufeff").str.strip() == c.lstrip("\ufeff").strip()).to_numpy()
    found = header | bom[cand]  # a value equal to the first name alone is data
    cand, header = cand[found], header[found]
    if not len(cand):
        return empty
    rows = frame.index[cand]
    has_bom = bom[cand]
    what = np.where(
        header & has_bom,
        "repeats the header and begins with a byte-order mark",
        np.where(header, "repeats the header", "begins with a byte-order mark (U+FEFF)"),
    )
    fix = (
        "two files were probably joined (cat a.csv b.csv): the rows after it come from "
        "the second file; delete this row, or read the files one by one"
    )
    problem = (
        "row " + pd.Series(rows, dtype="string").to_numpy(dtype=object) + " " + what + ": " + fix
    )
    return pd.DataFrame(
        {"header": header, "bom": has_bom, "problem": pd.array(problem, dtype="string")}, index=rows
    )


def strip_row_bom(frame: pd.DataFrame, rows) -> pd.DataFrame:
    """``frame`` with the leading byte-order marks of the first field removed
    at ``rows`` (labels; a BOM there is an encoding mark, not text)."""
    if not len(rows):
        return frame
    frame = frame.copy()
    first = frame.columns[0]
    frame.loc[rows, first] = frame.loc[rows, first].astype("string").str.lstrip("\ufeff")
    return frame


# --------------------------------------------------------------------------- content


def sniff_kind(path, sample_bytes: int = 4096) -> str:
    """What the first bytes of ``path`` say it is: ``workbook`` (a zip file,
    as every .xlsx is), ``json`` (``{`` or ``[`` first, after a byte-order
    mark and white space, in UTF-8 or UTF-16) or ``text`` (anything else,
    read as a text table).  A missing or unreadable file is an
    :class:`~osint_kit.errors.InputFileError`."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(sample_bytes)
    except OSError as exc:  # missing, a folder, no permission
        raise InputFileError(
            f"{path}: cannot read the file ({exc.strerror or exc}); check the path"
        ) from exc
    if head.startswith(b"PK\x03\x04"):
        return "workbook"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    return "json" if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") else "text"


def read_json_export(path, *, what: str):
    """The JSON value in ``path`` (a dict, a list ...), or an
    :class:`~osint_kit.errors.InputFileError` naming the file, the line and
    column where it stops being JSON, and the fix.  UTF-8 (with or without a
    byte-order mark) or UTF-16 with its mark; compressed files and archives are
    refused by their first bytes (:data:`SIGNATURES`), as by :func:`read_export`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(
            f"{path}: cannot read the file ({exc.strerror or exc}); check the path"
        ) from exc
    for magic, kind in SIGNATURES.items():
        if raw.startswith(magic):
            raise InputFileError(
                f"{path}: the file is {kind}, not JSON; decompress it or export {what} "
                "again and pass that file"
            )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeError as exc:
        raise InputFileError(
            f"{path}: not UTF-8 text ({exc}); JSON exports are UTF-8: save {what} again as "
            "UTF-8 JSON"
        ) from exc
    if not text.strip():
        raise InputFileError(f"{path}: the file is empty; export {what} again")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}; "
            f"the file was probably cut short or edited by hand: export {what} again"
        ) from exc
    except RecursionError as exc:  # a hostile file nested thousands deep
        raise InputFileError(
            f"{path}: the JSON is nested too deep to be {what}; export {what} again"
        ) from exc


_WHOLE = re.compile(r"\s*([+-]?)0*(\d+)(?:\.0*)?\s*")


def whole_number_text(values: pd.Series) -> pd.Series:
    """``values`` as ``string`` with each whole number written one way:
    ``1``, ``1.0``, ``"01"``, `` 1 `` and the integer or float 1 all become
    ``"1"`` (``-500.0`` -> ``"-500"``); anything else is the value's text,
    stripped, and an empty text is <NA>.  Each distinct value is looked at
    once (codes repeat), so this is cheap on a million rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series(uniques, dtype=object).astype("string").str.strip()
    parts = text.str.fullmatch(_WHOLE.pattern).fillna(False).to_numpy(dtype=bool)
    if parts.any():
        m = text[parts].str.extract(_WHOLE.pattern)
        sign = m[0].where(m[1] != "0", "").fillna("")  # no "-0"
        text[parts] = (sign.str.replace("+", "", regex=False) + m[1]).to_numpy(dtype=object)
    text = text.mask(text == "")
    out = pd.array(np.append(text.to_numpy(dtype=object), pd.NA)[codes], dtype="string")
    return pd.Series(out, index=values.index)


def match_headers(columns, names, synonyms=None) -> dict[str, str]:
    """Header -> canonical name, for the headers (of ``columns``) that mean one
    of ``names`` but are written otherwise.

    Headers are compared by :func:`osint_kit.text.match_key` (case, spaces,
    ``_`` and punctuation ignored: `` Event_Date `` is ``event_date``,
    ``firstseen`` is ``firstSeen``) against each name and its ``synonyms``
    (canonical -> other spellings, tried in order).  A header already equal
    to a canonical name keeps it; a second header for the same name, or one
    whose name is already taken, is not renamed (it stays an extra column)."""
    keys: dict[str, str] = {}
    for name in names:
        for spelling in [name, *(synonyms or {}).get(name, ())]:
            keys.setdefault(match_key(spelling), name)
    canonical = set(keys.values())
    headers = [str(c) for c in columns]
    taken = {h for h in headers if h in canonical}
    rename: dict[str, str] = {}
    for h in headers:
        if h in canonical or h in rename:
            continue
        target = keys.get(match_key(h))
        if target is not None and target not in taken:
            rename[h] = target
            taken.add(target)
    return rename
