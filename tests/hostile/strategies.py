"""Hypothesis strategies for hostile input: text, numbers and whole files.

Reusable by every test under ``tests/hostile/`` (``from strategies import ...``;
pytest puts this folder on ``sys.path``).

* :func:`hostile_text` -- any Unicode scalar (all planes, C0/C1 controls,
  NUL, BOM, bidi overrides, zero-width characters, line and paragraph
  separators) mixed with payloads that would do something if a reader
  evaluated them: Jinja2 / JS / shell templates, spreadsheet formulas,
  ``</script>``, quotes and delimiters.
* :func:`number_text` -- numbers as an export might write them, out of range
  included: ``1e400``, ``-1``, int64 max, ``NaN``, ``inf``, hex, Arabic digits.
* :func:`csv_file` -- a whole CSV export as bytes: an encoding, line endings
  (LF, CRLF, CR-only, mixed), gzip or zip packing, and one kind of damage
  (duplicated or missing column, ragged row, unterminated quote, a field over
  131,072 characters, empty file, header only).  Returns a :class:`HostileFile`
  that says how many data rows it holds, so a test can check rows in = rows out.

A reader with a known open bug for part of this space gets a narrowed
argument (``encodings=``, ``packings=``, ``damages=``) at the call site, with
a comment naming the ``xfail`` regression test that covers the excluded part
(none today: every bug the suite found is fixed and its test guards the fix).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import zipfile

from hypothesis import strategies as st

#: Multiplier of the per-test example counts: 1 in the ``ci`` profile, 5 in ``dev``.
SCALE = 5 if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "dev" else 1


def examples(n: int) -> int:
    """Examples for one property test: ``n`` in CI, ``5 * n`` in the dev profile."""
    return n * SCALE


# --------------------------------------------------------------------------- text

#: Characters and payloads that break naive readers or that an engine would evaluate.
SPECIALS: list[str] = [
    "\x00",
    "\ufeff",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u200b",
    "\u200d",
    "\u2028",
    "\u2029",
    "\x85",
    "\x1c",
    "\x7f",
    "\r",
    "\n",
    "\r\n",
    "\t",
    '"',
    "'",
    ",",
    ";",
    "|",
    " ",
    "{{7*7}}",
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "{{",
    "}}",
    "{%",
    "${7*7}",
    "#{7*7}",
    "`id`",
    "$(id)",
    "\\",
    "\\n",
    "</script>",
    "<script>alert(1)</script>",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    '=HYPERLINK("http://x","y")',
    "=cmd|'/c calc'!A1",
    "\U0001f600",
    "\U0010fffd",
    "\u0627\u0644",
    "Москва",
    "تهران",
]

#: Every Unicode scalar value (surrogates cannot be written in any encoding).
ANY_CHAR = st.characters(blacklist_categories=("Cs",))


def hostile_text(max_pieces: int = 6, min_size: int = 0) -> st.SearchStrategy[str]:
    """Text made of random Unicode runs and :data:`SPECIALS` payloads."""
    piece = st.one_of(st.text(ANY_CHAR, max_size=8), st.sampled_from(SPECIALS))
    return st.lists(piece, max_size=max_pieces).map("".join).filter(lambda s: len(s) >= min_size)


#: Number texts out of range or not numbers at all.
NUMBER_TEXTS: list[str] = [
    "1e400",
    "-1e400",
    "-1",
    "0",
    "-0",
    "0.0",
    "1.5",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e20",
    "1e15",
    "0x1F",
    "1_000",
    "1,5",
    "\u0661\u0662\u0663",
    "",
    " ",
    "abc",
    "{{7*7}}",
]


def number_text() -> st.SearchStrategy[str]:
    """A number as text: the specials above, any int, any float (NaN and inf included)."""
    return st.one_of(
        st.sampled_from(NUMBER_TEXTS),
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )


def as_float(text: str) -> float | None:
    """``float(text)`` or None: what a lenient reader could make of a number text."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- files

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1251", "latin-1")
LINE_ENDINGS = ("\n", "\r\n", "\r", "mixed")
PACKINGS = ("plain", "gzip", "zip")
#: Kinds of damage; ``none`` is drawn as often as the rest together.
DAMAGES = (
    "none",
    "duplicate_column",
    "missing_column",
    "ragged_row",
    "unterminated_quote",
    "huge_field",
    "empty",
    "header_only",
)
#: Damages that leave every data row readable (the row count must hold).
COUNTABLE = {"none", "duplicate_column", "missing_column", "huge_field", "header_only"}
#: Over ``csv.field_size_limit()`` (131,072): the csv module refuses such a field.
HUGE = 131_072 + 17


class HostileFile:
    """A generated export: ``data`` (bytes) and how it was made (a plain class,
    not a dataclass, so that a failing example prints its recipe, not 130 kB)."""

    def __init__(
        self,
        data: bytes,
        header: list[str],
        rows: list[list[str]],
        encoding: str,
        line_ending: str,
        packing: str,
        damage: str,
        dropped: str | None = None,
    ):
        self.data, self.header, self.rows = data, header, rows
        self.encoding, self.line_ending, self.packing = encoding, line_ending, packing
        self.damage, self.dropped = damage, dropped

    @property
    def n_rows(self) -> int | None:
        """Data rows a correct reader must account for, or None when the
        damage makes the file unreadable as a table (a kit error is then right)."""
        if self.damage == "header_only":
            return 0
        return len(self.rows) if self.damage in COUNTABLE else None

    def __repr__(self) -> str:  # short, for hypothesis' falsifying-example output
        return (
            f"HostileFile(encoding={self.encoding!r}, line_ending={self.line_ending!r}, "
            f"packing={self.packing!r}, damage={self.damage!r}, header={self.header!r}, "
            f"rows={[[c[:80] for c in r] for r in self.rows]!r}, bytes={len(self.data)})"
        )


def _not_blank(row: list[str]) -> list[str]:
    # a row whose every field is blank is dropped by the readers (and keeps its
    # number): keep generated rows non-blank so that the count is exact
    if not any(c.strip() for c in row):
        row = ["x" + row[0], *row[1:]]
    return row


def _encode(text: str, encoding: str) -> bytes:
    # characters the encoding lacks become "?" (what Excel's "Save as CSV" does)
    return text.encode(encoding, errors="replace")


@st.composite
def csv_file(
    draw,
    columns: dict[str, st.SearchStrategy[str]],
    *,
    min_rows: int = 1,
    max_rows: int = 6,
    encodings=ENCODINGS,
    line_endings=LINE_ENDINGS,
    packings=PACKINGS,
    damages=DAMAGES,
    required: list[str] | None = None,
    delimiter: str = ",",
    huge_columns: list[str] | None = None,
) -> HostileFile:
    """A CSV export with the given columns (name -> cell strategy).

    ``required``: the columns a reader needs; ``missing_column`` drops one of
    them.  ``huge_columns``: where a huge field may go (default: any column).
    The file is written with the csv module (fields with quotes,
    delimiters or line breaks are quoted, as every spreadsheet does), then
    damaged, re-terminated, encoded and packed.
    """
    header = list(columns)
    n = draw(st.integers(min_rows, max_rows))
    rows = [_not_blank([draw(s) for s in columns.values()]) for _ in range(n)]
    damage = draw(st.one_of(st.just("none"), st.sampled_from(list(damages))))
    dropped = None
    if damage == "duplicate_column":
        j = draw(st.integers(0, len(header) - 1))
        header = [*header, header[j]]
        rows = [[*r, draw(hostile_text())] for r in rows]
    elif damage == "missing_column":
        dropped = draw(st.sampled_from(required or header))
        j = header.index(dropped)
        header = header[:j] + header[j + 1 :]
        rows = [_not_blank(r[:j] + r[j + 1 :]) if len(header) else r[:0] for r in rows]
    elif damage == "huge_field":
        # in any data row, the first included (test_readers.py::test_huge_field_in_first_data_row)
        i = draw(st.integers(0, len(rows) - 1))
        j = header.index(draw(st.sampled_from(huge_columns or header)))
        rows[i][j] = rows[i][j] + "x" * HUGE
    buf = io.StringIO()
    # "\r\n" as terminator: the writer then quotes every field holding \r or \n
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    records = [header] + ([] if damage == "header_only" else rows)
    lines = []
    for r in records:
        buf.seek(0)
        buf.truncate()
        writer.writerow(r)
        lines.append(buf.getvalue()[:-2])
    if damage == "ragged_row":
        k = draw(st.integers(1, len(lines) - 1)) if len(lines) > 1 else 0
        lines[k] = lines[k] + delimiter + "extra" + delimiter + "fields"
    elif damage == "unterminated_quote":
        k = draw(st.integers(1, len(lines) - 1)) if len(lines) > 1 else 0
        lines[k] = lines[k] + delimiter + '"never closed'
    ending = draw(st.sampled_from(list(line_endings)))
    if ending == "mixed":
        ends = [draw(st.sampled_from(["\n", "\r\n", "\r"])) for _ in lines]
    else:
        ends = [ending] * len(lines)
    text = "".join(line + e for line, e in zip(lines, ends))
    if damage == "empty":
        text = ""
    encoding = draw(st.sampled_from(list(encodings)))
    data = _encode(text, encoding)
    packing = draw(st.sampled_from(list(packings)))
    if packing == "gzip":
        data = gzip.compress(data, mtime=0)
    elif packing == "zip":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("export.csv", data)
        data = out.getvalue()
    return HostileFile(data, header, rows, encoding, ending, packing, damage, dropped)


# --------------------------------------------------------------------------- assertions

#: Texts that an evaluating engine would turn into something else.
EVALUATED = {"{{7*7}}": "49", "{{ 7*7 }}": "49", "${7*7}": "49", "#{7*7}": "49", "=1+1": "2"}
