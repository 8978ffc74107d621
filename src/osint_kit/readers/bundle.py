"""Case bundles: load, validate and save one investigation.

A case bundle is a folder of UTF-8 CSV files and a ``case.toml``
(see data/README.md for every column).  :func:`load_case` reads it into a
:class:`Case` of validated pandas frames:

* every original column is kept (text as pandas ``str``; empty cells as NA);
* derived columns are added: ``date_start/_end/_precision/_problem`` for claims
  and events, ``published_*`` for sources, ``departure_*`` for travel; places get
  numeric ``lat``/``lon`` (computed geodesically for places given relative to
  another), ``radius_km`` and ``coord_origin``;
* each frame's index is the row number a spreadsheet shows for that line of the
  file (header = row 1, first data row = 2), named ``row``;
* a bad row does not reject the bundle: it goes to ``case.problems`` with file,
  row, column, value, the problem and what to do, and every other row loads
  (``strict=True`` raises :class:`~osint_kit.errors.CaseValidationError` instead).
  Rows in = rows loaded + rows rejected, per file.

Problems that make a whole file unusable (missing, a folder, empty, compressed,
wrong delimiter or encoding, an unclosed quote, missing columns, a ``case.toml``
field of the wrong type) raise :class:`~osint_kit.errors.CaseFileError`, all
of them listed at once; a ``derived_from`` cycle raises
:class:`~osint_kit.errors.CycleError` naming the sources in it.

Hostile or damaged files are answered, never obeyed:

* line ends may be LF, CRLF or a lone CR (old Mac files): a lone CR is read as
  a line break, in quoted text too, so the same rows load as with LF;
* a cell may be longer than the csv module's 131,072-character field limit;
* an id (any ``*_id`` column, ``derived_from``, ``relative_to``) holding an
  invisible character (:func:`osint_kit.text.hidden_characters`: a BOM, a
  zero-width space, a bidirectional override, NUL, ...) looks like another id
  but does not join with it: its row is rejected, naming the character and
  its position;
* a line that starts with a byte-order mark (two exports joined with ``cat``)
  or that repeats the header row is rejected, saying so;
* ``case.toml``'s known fields are checked for type and range (see
  :data:`META_TEXT_FIELDS` and :func:`check_meta`).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import difflib
import io
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit.analysis.dates import add_dates
from osint_kit.analysis.relative_text import parse_relative, places_from_text
from osint_kit.analysis.relays import check_acyclic, parents
from osint_kit.datafiles import ENV
from osint_kit.errors import CaseError, CaseFileError, CaseValidationError
from osint_kit.io.tabular import RaggedRowError, read_csv_text
from osint_kit.problems import Problems, concat_problems, format_problems, problem_rows
from osint_kit.schema import bundle as schemas
from osint_kit.schema import bundle_tables
from osint_kit.schema import table as declared
from osint_kit.text import HIDDEN_CHARACTERS, hidden_characters

__all__ = [
    "Case",
    "load_case",
    "new_case",
    "case_dirs",
    "find_case",
    "check_slug",
    "check_meta",
    "REPO_ROOT",
    "SLUG_MAX_LENGTH",
]

#: The checkout this module runs from (editable install); data/ lives here.
REPO_ROOT = Path(__file__).resolve().parents[3]

#: Columns the loader adds; they are not written back by :meth:`Case.save`.
DERIVED_COLUMNS: dict[str, list[str]] = {
    t.name: t.derived_columns for t in bundle_tables() if t.derived_columns
}
#: Columns stripped on the way in (an empty cell left is NA): ids, and every
#: enumeration the declaration names, in whichever table they appear.
_STRIPPED = frozenset(c.name for t in bundle_tables() for c in t.of_type("enum"))


def case_dirs() -> list[Path]:
    """Folders searched for a case slug, in order.

    ``$OSINT_KIT_CASES`` (``os.pathsep``-separated), ``./data/cases``, the
    checkout's ``data/cases`` and ``$OSINT_KIT_DATA/cases``.
    """

    dirs = [Path(p) for p in os.environ.get("OSINT_KIT_CASES", "").split(os.pathsep) if p]
    dirs += [Path.cwd() / "data" / "cases", REPO_ROOT / "data" / "cases"]
    if os.environ.get(ENV):
        dirs.append(Path(os.environ[ENV]) / "cases")
    seen, out = set(), []
    for d in dirs:
        key = d.resolve()
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _shown(text: str, limit: int = 80) -> str:
    """``repr(text)``, cut to ``limit`` characters with the full length said."""
    r = repr(text)
    return r if len(r) <= limit else f"{r[: limit - 20]}…' ({len(text)} characters)"


def _is_dir(path: Path) -> bool:
    """``path.is_dir()``, False where the OS refuses the name (too long, NUL)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def find_case(path_or_slug: str | os.PathLike) -> Path:
    """The folder of a case, given its path or its slug.

    Raises :class:`CaseFileError` when there is no such folder (listing the
    known slugs), when the path is a file, or when the OS refuses the name
    (too long, a NUL in it)."""
    text = os.fspath(path_or_slug)
    if not isinstance(text, str) or not text.strip():
        raise CaseFileError(
            f"No case given ({_shown(str(text))}): give a case folder or "
            f"the slug of a bundled case."
        )
    p = Path(text)
    try:
        if p.is_dir():
            return p
        if p.exists():
            raise CaseFileError(
                f"{_shown(text)} is a file, not a case folder: give the folder that holds "
                f"case.toml and the CSV files (here perhaps {_shown(str(p.parent))})."
            )
    except (OSError, ValueError) as err:  # ENAMETOOLONG, an embedded NUL, ...
        reason = getattr(err, "strerror", None) or str(err)
        raise CaseFileError(
            f"{_shown(text)} cannot be a case folder ({reason}): give the "
            f"path of an existing folder, or a case's slug."
        ) from None
    if p.name == text:  # a bare slug
        for d in case_dirs():
            if _is_dir(d / p):
                return d / p
    known = sorted(
        {
            c.name
            for d in case_dirs()
            if _is_dir(d)
            for c in d.iterdir()
            if (c / "case.toml").exists()
        }
    )
    raise CaseFileError(
        f"No case folder {_shown(text)}. Give a folder path or one of the "
        f"known slugs: {', '.join(known) or '(none found)'}; "
        f"`osint-kit new-case NAME` creates an empty bundle."
    )


@dataclass
class Case:
    """One investigation: validated frames plus the case's metadata.

    Attributes
    ----------
    path : Path
        The bundle folder.
    meta : dict
        ``case.toml``: title, question, summary, cutoff, licence, map (as
        read; use :attr:`cutoff` and :attr:`title`, which work on a new case too).
    sources, claims, assertions, events, places, travel : DataFrame
        Validated tables (see the module docstring for the added columns).
    hypotheses, ach : DataFrame or None
        ACH tables, when the bundle has them.
    problems : DataFrame
        One row per problem (the kit's problems model, :mod:`osint_kit.problems`):
        file, row, column, value, problem, fix, severity (``error``/``warning``),
        action (``rejected``/``kept``).
    rows_read : dict
        Data rows read per table (rows in = rows loaded + rows rejected).
    columns_read : dict
        Each file's columns in the order read (:meth:`save` writes them so).
    rejected : dict
        Per table, the rejected rows as read, indexed by their row
        (:meth:`save` writes them back; see :attr:`problems` for why).
    """

    path: Path
    meta: dict
    sources: pd.DataFrame
    claims: pd.DataFrame
    assertions: pd.DataFrame
    events: pd.DataFrame
    places: pd.DataFrame
    travel: pd.DataFrame
    hypotheses: pd.DataFrame | None = None
    ach: pd.DataFrame | None = None
    problems: pd.DataFrame = field(default_factory=schemas.empty_problems)
    rows_read: dict = field(default_factory=dict)
    columns_read: dict = field(default_factory=dict, repr=False)
    rejected: dict = field(default_factory=dict, repr=False)

    @property
    def slug(self) -> str:
        """The case's name: its folder's name."""
        return self.path.name

    @property
    def title(self) -> str:
        """``case.toml``'s title, else the slug."""
        return self.meta.get("title", self.slug)

    @property
    def cutoff(self) -> pd.Timestamp | None:
        """The material's cut-off date (``case.toml`` ``cutoff``) as a UTC
        timestamp at 00:00, or None while it is not set (a new case)."""
        text = str((self.meta or {}).get("cutoff") or "").strip()
        if not text:
            return None
        stamp = pd.Timestamp(text)
        return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")

    def table(self, name: str) -> pd.DataFrame | None:
        """The loaded frame of a bundle table (``"sources"``, ...; None for an
        optional table the bundle leaves out)."""
        if name not in schemas.TABLES:
            raise CaseError(
                f"A case has no table {name!r}: use one of {', '.join(schemas.TABLES)}."
            )
        return getattr(self, name)

    def cite(self, source_ids) -> list[str]:
        """Short citations of sources for a caption, in first-seen order, once
        each: "Reuters, 2025-03-04" (publisher, else title; the published date
        as written, when there is one); an id the case does not list is kept as
        it is.  Empty ids are skipped."""
        src = self.sources.drop_duplicates("source_id").set_index("source_id")
        out = []
        for sid in pd.unique(pd.Series(list(source_ids), dtype="string").dropna()):
            if sid not in src.index:
                out.append(str(sid))
                continue
            row = src.loc[sid]
            name = row.get("publisher")
            name = row.get("title") if pd.isna(name) else name
            date = row.get("published")
            out.append(str(sid if pd.isna(name) else name) + ("" if pd.isna(date) else f", {date}"))
        return out

    def counts(self) -> pd.DataFrame:
        """Rows read, loaded and rejected per table, with warnings kept."""
        p = self.problems
        rows = []
        for t in schemas.TABLES:
            frame = self.table(t)
            if frame is None:
                continue
            mine = p[p["file"] == f"{t}.csv"]
            rows.append(
                {
                    "table": t,
                    "read": self.rows_read.get(t, len(frame)),
                    "loaded": len(frame),
                    "rejected": mine.loc[mine["action"] == "rejected", "row"].nunique(),
                    "warnings": int((mine["severity"] == "warning").sum()),
                }
            )
        return pd.DataFrame(rows).set_index("table")

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        c = self.counts()
        parts = ", ".join(f"{t}={n}" for t, n in c["loaded"].items())
        return f"<Case {self.slug!r}: {parts}; problems={len(self.problems)}>"

    def save(self, path: str | os.PathLike) -> Path:
        """Write the bundle to ``path`` (a folder) without loss.

        Original columns are written as read, in their original order, extra
        columns included; derived columns are left out; coordinates the loader
        computed for relative places are left empty as in the source; rows that
        were rejected are written back too, at their original row, so saving never
        loses what was read.  ``case.toml`` is written from :attr:`meta`.
        """
        import tomli_w

        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        for t in schemas.TABLES:
            frame = self.table(t)
            if frame is None:
                continue
            frame = frame.copy()
            if t == "places" and "coord_origin" in frame:
                computed = frame["coord_origin"] == "computed"
                frame.loc[computed, ["lat", "lon"]] = np.nan
            cols = self.columns_read.get(t) or list(frame.columns)
            extra = [
                c for c in frame.columns if c not in cols and c not in DERIVED_COLUMNS.get(t, [])
            ]
            frame = frame[[c for c in cols if c in frame] + extra]
            rejected = self.rejected.get(t)
            if rejected is not None and len(rejected):
                # rejected rows go back as they were read, at their original row
                frame = pd.concat(
                    [
                        frame.astype("object"),
                        rejected.reindex(columns=frame.columns).astype("object"),
                    ]
                )
                frame = frame.sort_index(kind="stable")
            # floats are written in their shortest round-trip form; NA as empty cells
            frame.to_csv(
                out / f"{t}.csv", index=False, encoding="utf-8", lineterminator="\n", na_rep=""
            )
        with open(out / "case.toml", "wb") as fh:
            tomli_w.dump(self.meta, fh)
        return out


# --------------------------------------------------------------------------- reading


#: Column names people often use for a required column (for the rename hint only:
#: the bundle's names are a contract, so the loader does not rename silently).
_SYNONYMS = {
    "latitude": "lat",
    "lat_deg": "lat",
    "y": "lat",
    "longitude": "lon",
    "lng": "lon",
    "long": "lon",
    "x": "lon",
    "source": "source_id",
    "claim": "claim_id",
    "place": "place_id",
    "published_date": "published",
    "date_published": "published",
    "from": "origin",
    "to": "destination",
    "departure_date": "departure",
    "kind_of_record": "record_kind",
    "type": "kind",
}


#: File signatures of things that are not CSV text: (magic bytes, what it is, fix).
_SIGNATURES = (
    (
        b"\x1f\x8b",
        "gzip-compressed",
        "decompress it (gunzip, or 7-Zip on Windows) and put the .csv it holds in its place",
    ),
    (
        b"PK\x03\x04",
        "a zip archive or an Excel workbook (.xlsx)",
        "open it and save the "
        "sheet as CSV UTF-8 (comma-separated), or unzip it and use the .csv inside",
    ),
    (b"PK\x05\x06", "an empty zip archive", "put the CSV file itself in its place"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Excel workbook (.xls)",
        "open it and save the sheet as CSV UTF-8 (comma-separated)",
    ),
    (b"%PDF-", "a PDF document", "put the table's CSV file in its place"),
    (b"BZh91AY&SY", "bzip2-compressed", "decompress it (bunzip2, or 7-Zip on Windows)"),
    (b"\xfd7zXZ\x00", "xz-compressed", "decompress it (unxz, or 7-Zip on Windows)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed", "decompress it (unzstd)"),
)
#: Byte-order marks of the UTF-16/32 encodings (UTF-32 first: its LE mark starts
#: with UTF-16's).
_WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
#: A carriage return that does not start a CRLF: an old Mac line end.
_LONE_CR = re.compile(r"\r(?!\n)")
_RESAVE = "Re-save it as UTF-8 (in LibreOffice: Save As → Text CSV, character set Unicode (UTF-8))"
_UNCLOSED = re.compile(r"EOF inside string starting at row (\d+)")


def _text_codec(encoding: str) -> str:
    """The codec name of ``encoding``; :class:`CaseError` when Python has no such
    text encoding (``"nonsense"``, ``"rot13"``)."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise CaseError(
            f"Unknown encoding {encoding!r}: give one Python knows, e.g. "
            f"'utf-8', 'cp1251', 'latin-1' or 'utf-16'."
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise CaseError(
            f"{encoding!r} is not a text encoding: give one such as 'utf-8', "
            f"'cp1251', 'latin-1' or 'utf-16'."
        )
    return info.name


def _read_bytes(path: Path, name: str, what: str) -> bytes:
    """The bytes of a bundle file; :class:`CaseFileError` for a folder or an
    unreadable file (``what`` says what the file must be)."""
    if _is_dir(path):
        raise CaseFileError(
            f"{name} is a folder, not a file: the bundle needs {what} by "
            f"that name (move the folder away and put the file in its place)."
        )
    try:
        return path.read_bytes()
    except OSError as err:
        raise CaseFileError(
            f"{name} cannot be read ({err.strerror or err}): check that it is "
            f"a file you are allowed to read ({what})."
        ) from None


def _decode(path: Path, data: bytes, encoding: str) -> str:
    """The text of a bundle CSV: compressed files, workbooks and UTF-16/32 are
    named as such; a leading byte-order mark is dropped; lone CRs (old Mac
    line ends) become LF, so the file reads as the same rows as with LF."""
    for magic, what, fix in _SIGNATURES:
        if data.startswith(magic):
            raise CaseFileError(f"{path.name} is {what}, not CSV text: {fix}.")
    codec = _text_codec(encoding)
    wide = next((enc for bom, enc in _WIDE_BOMS if data.startswith(bom)), None)
    if wide and not codec.startswith(wide):
        raise CaseFileError(
            f"{path.name} is {wide.upper()} text (it starts with a {wide.upper()} byte-order "
            f"mark), not {encoding}. {_RESAVE}, or load it with encoding='{wide}'."
        )
    sample = data[:4096]
    if not codec.startswith(("utf-16", "utf-32")) and sample.count(0) > len(sample) // 4:
        raise CaseFileError(
            f"{path.name} is not {encoding} text: a quarter or more of its first bytes are NUL, "
            f"as in UTF-16 text without a byte-order mark (or a file that is not text). "
            f"{_RESAVE}, or load it with encoding='utf-16-le' if that is what it is."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # UTF-8 byte-order mark (Excel's "CSV UTF-8"): harmless
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        guess = ""
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is not None:
                guess = f" It looks like {best.encoding}."
        except ImportError:  # pragma: no cover
            pass
        line = len(re.split(rb"\r\n|\r|\n", data[: err.start]))
        raise CaseFileError(
            f"{path.name}: not {encoding} text (byte 0x{data[err.start]:02x} on line "
            f"{line}).{guess} {_RESAVE}, or load it with encoding='cp1251' "
            f"(or the right one)."
        ) from None
    text = text.removeprefix("\ufeff")  # the mark, decoded by a codec that keeps it
    return _LONE_CR.sub("\n", text) if "\r" in text else text


@contextlib.contextmanager
def _csv_fields_unlimited():
    """Lift the csv module's field limit (131,072 characters) while a bundle file
    is read, so a long text loads instead of raising ``_csv.Error``; the
    previous limit is restored after (it is process-wide: do not read bundles
    from several threads at once)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _read_table(path: Path, table: str, encoding: str) -> tuple[pd.DataFrame, list[str]]:
    """Read one CSV as text; returns (frame, file-level errors)."""
    name = f"{table}.csv"
    required = schemas.REQUIRED_COLUMNS[table]
    try:
        data = _read_bytes(path, name, f"a CSV file with the header {','.join(required)}")
        text = _decode(path, data, encoding)
    except CaseFileError as err:
        return None, [str(err)]
    if not text.strip():
        return None, [f"{name} is empty: it needs at least the header row ({','.join(required)})."]
    header = text.partition("\n")[0].removesuffix("\r")
    with _csv_fields_unlimited():
        names = [h.strip() for h in next(csv.reader([header]), [])]
        twice = sorted({h for h in names if names.count(h) > 1})
        if twice:  # pandas would rename the second one "name.1" without a word
            return None, [
                f"{name} has the column {h!r} more than once (columns "
                f"{', '.join(str(i + 1) for i, x in enumerate(names) if x == h)}): "
                f"keep one, or rename the other."
                for h in twice
            ]
        try:
            frame = read_csv_text(
                io.StringIO(text),
                dtype="str",
                keep_default_na=False,
                na_values=[""],
                skipinitialspace=False,
                allow_trailing=False,
            )
        except RaggedRowError as err:
            return None, [err.advice(name, other_delimiter=False)]
        except pd.errors.ParserError as err:
            unclosed = _UNCLOSED.search(str(err))
            if unclosed:  # pandas counts records from 0 at the header
                return None, [
                    f"{name}: row {int(unclosed[1]) + 1} opens a double quote "
                    f"that is never closed, so every line after it would be one "
                    f"text. Close the quote (a quote inside a quoted text is "
                    f'written twice: "").'
                ]
            return None, [
                f"{name}: cannot be read as CSV ({err}). Check that every text "
                f"containing a comma is in double quotes."
            ]
        except (pd.errors.EmptyDataError, csv.Error) as err:
            return None, [
                f"{name}: cannot be read as CSV ({err}). Check that it is a "
                f"comma-separated text file with a header row."
            ]
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        for sep, sep_name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in header and all(c in [h.strip() for h in header.split(sep)] for c in required):
                return None, [
                    f"{name} is separated by {sep_name}, not commas. Re-save "
                    f"it as comma-separated CSV (the bundle format)."
                ]
        hints = []
        for m in missing:
            known = [c for c in frame.columns if _SYNONYMS.get(c.lower()) == m]
            close = known or difflib.get_close_matches(m, frame.columns, n=1, cutoff=0.6)
            if close:
                hints.append(f"{close[0]!r} → {m!r}?")
        has = ", ".join(map(repr, frame.columns[:20])) + (
            f", … ({len(frame.columns)} in all)" if len(frame.columns) > 20 else ""
        )
        return None, [
            f"{name} lacks required column(s) {', '.join(missing)}; it has "
            f"{has}. Add or rename the column(s)"
            + (f" ({'; '.join(hints)})" if hints else "")
            + "."
        ]
    return frame, []  # indexed by spreadsheet row (read_csv_text)


#: Columns of links that are not named ``*_id`` (lists of ids, references within a table).
_LINK_COLUMNS = frozenset(
    c.name
    for t in bundle_tables()
    for c in t.of_type("id", "reference", "references")
    if not c.name.endswith("_id")
)


def _id_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding ids or lists of ids: ``*_id``, and the declared links
    not named so (``derived_from``, ``relative_to``)."""
    return [c for c in frame.columns if c.endswith("_id") or c in _LINK_COLUMNS]


def _line_problems(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that are not records of the table, as read (before any stripping):
    a line that starts with a byte-order mark (a second export joined on with
    ``cat``) and a line that repeats the header row (the same, without a BOM)."""
    name = declared(table).file
    if frame.empty or not len(frame.columns):
        return problem_rows(name, [], [], [], [], [])
    first = frame.columns[0]
    col0 = frame[first].astype("string")
    bom = col0.str.startswith("\ufeff").fillna(False).to_numpy(dtype=bool)
    repeat = np.ones(len(frame), dtype=bool)
    for col in [c for c in schemas.REQUIRED_COLUMNS[table] if c in frame.columns]:
        text = frame[col].astype("string").str.strip().str.lstrip("\ufeff")
        repeat &= (text == col).fillna(False).to_numpy(dtype=bool)
    hit = bom | repeat
    b, r = bom[hit], repeat[hit]
    problem = np.where(
        b & r,
        "the line starts with a byte-order mark (U+FEFF) and repeats the header: a "
        "second export was joined onto the file here (e.g. with cat)",
        np.where(
            b,
            "the line starts with a byte-order mark (U+FEFF): a second export was "
            "probably joined onto the file here (e.g. with cat)",
            "the row repeats the header: two files were probably joined here",
        ),
    )
    fix = np.where(
        b & r,
        "delete this line (the second file's header, with its invisible U+FEFF); the "
        "rows after it load as usual",
        np.where(
            b,
            "delete the invisible U+FEFF at the start of the line (retype the first "
            "value) and check the rows around it",
            "delete the repeated header row",
        ),
    )
    return problem_rows(name, frame.index[hit], first, col0[hit], problem, fix)


def _hidden_id_problems(table: str, frame: pd.DataFrame, skip) -> pd.DataFrame:
    """A problem per id cell holding an invisible character
    (:func:`osint_kit.text.hidden_characters`), as read: such an id looks like
    another but does not join with it.  Rows in ``skip`` are already rejected."""
    found = Problems()
    for col in _id_columns(frame):
        values = frame[col].astype("string")
        flagged = values.str.contains(HIDDEN_CHARACTERS.pattern, regex=True)
        flagged = flagged.fillna(False).to_numpy(dtype=bool) & ~frame.index.isin(list(skip))
        if not flagged.any():
            continue
        hits = values[flagged]
        where = {v: hidden_characters(v) for v in pd.unique(hits)}
        found.add(
            declared(table).file,
            hits.index,
            col,
            hits,
            [
                f"{col} {v!r} holds an invisible character ({where[v]}): it looks like "
                f"another id but does not match it"
                for v in hits
            ],
            "delete the invisible character (retype the id)",
        )
    return found.table()


def _normalise(table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Strip ids, normalise enumerations, type numbers, as the declaration says;
    list the problems of rows that are not records, of ids with invisible
    characters and of types."""
    decl = declared(table)
    found = Problems()
    found.extend(_line_problems(table, frame))
    first = found.table()
    found.extend(_hidden_id_problems(table, frame, set(first["row"].dropna().astype(int))))
    frame = frame.copy()
    for col in frame.columns:
        if col.endswith("_id") or col in _STRIPPED:
            stripped = frame[col].str.strip()
            frame[col] = stripped.where(stripped != "", None)
    for c in decl.of_type("enum"):
        if c.name not in frame or c.case is None:
            continue
        if c.case == "upper":
            frame[c.name] = frame[c.name].str.upper()
        else:
            frame[c.name] = frame[c.name].str.lower().str.replace(r"\s+", "_", regex=True)
    for c in decl.of_type("number"):
        if c.name not in frame:
            continue
        text = frame[c.name].str.strip().str.replace(",", ".", regex=False)
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = text.notna() & (text != "") & num.isna()
        values = frame.loc[bad, c.name]
        found.add(
            decl.file,
            values.index,
            c.name,
            values,
            [f"{v!r} is not a number" for v in values],
            "write decimal degrees or km with a '.' (e.g. 36.854)",
        )
        frame[c.name] = num
    return frame, found.table()


def _check_refs(
    table: str, frame: pd.DataFrame, column: str, target: str, known: pd.Index
) -> pd.DataFrame:
    """Rows whose ``column`` holds an id that is not in ``known`` (the target
    table's loaded ids).  An empty value is not checked here: where the
    declaration says the column is never empty, the schema reports it."""
    values = frame[column]
    bad = values[values.notna() & ~values.isin(known)]
    return problem_rows(
        declared(table).file,
        bad.index,
        column,
        bad,
        [f"{column} {v!r} is not in {target}.csv (or its row was rejected)" for v in bad],
        [f"add {v!r} to {target}.csv or correct the id" for v in bad],
    )


def _derived_problems(sources: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    """``derived_from`` ids (``;``-separated) that are not a source_id of the file."""

    # a row without a source_id is rejected for that (the schema's row problems): its
    # derived_from names no row that could be cited, so it is not checked here
    sources = sources[sources["source_id"].notna()]
    known = pd.Index(sources["source_id"])
    links = parents(sources)
    row_of = pd.Series(sources.index, index=sources["source_id"]).groupby(level=0).first()
    bad = links[~links["parent_id"].isin(known)]
    return problem_rows(
        "sources.csv",
        row_of.reindex(bad["source_id"]).to_numpy(),
        "derived_from",
        bad["parent_id"],
        [
            f"derived_from names {p!r}, which is not a source_id in sources.csv"
            for p in bad["parent_id"]
        ],
        [f"add a row for {p!r} to sources.csv or correct the id" for p in bad["parent_id"]],
    )


def _coordinate_problems(places: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    """Places with neither coordinates nor ``relative_to``, or only one of lat/lon."""
    lacking = places["lat"].isna() & places["lon"].isna()
    if "relative_to" in places:
        lacking &= places["relative_to"].isna()
    if lacking.any() and "name" in places:
        # a place given in words ("about 15 km west of the port of Amirabad") is read
        # from its name by places_from_text; what cannot be read is reported there
        lacking &= ~parse_relative(places["name"].astype("string").where(lacking))[
            "relative"
        ].to_numpy(dtype=bool)
    half = places["lat"].isna() ^ places["lon"].isna()
    found = Problems()
    found.add(
        "places.csv",
        places.index[lacking],
        "lat,lon",
        None,
        "the place has no coordinates and no relative_to",
        "give lat and lon, or relative_to + distance_km + bearing",
    )
    found.add(
        "places.csv",
        places.index[half],
        "lat,lon",
        [str(v) for v in places.loc[half, ["lat", "lon"]].values.tolist()],
        "only one of lat and lon is given",
        "give both, or neither (for a relative place)",
    )
    return found.table()


#: Checks of one table beyond the schema and the references: (check, on which
#: rows: ``"typed"`` = rows without a typing problem, ``"all"``).  The
#: declaration's ``checked_by = "relays"`` on derived_from names the first.
_TABLE_CHECKS = {"sources": (_derived_problems, "typed"), "places": (_coordinate_problems, "all")}


def _open_enum_warnings(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Values of an open enumeration (``record_kind``) the kit does not know:
    kept, with a warning."""
    decl = declared(table)
    found = Problems()
    for c in decl.of_type("enum"):
        if not c.open or c.name not in frame:
            continue
        v = frame[c.name]
        odd = v[v.notna() & ~v.isin(c.values)]
        found.add(
            decl.file,
            odd.index,
            c.name,
            odd,
            [f"{c.name} {x!r} is not one the kit knows ({', '.join(c.values)})" for x in odd],
            c.fix,
            severity="warning",
            action="kept",
        )
    return found.table()


def _date_warnings(table: str, frame: pd.DataFrame, column: str) -> pd.DataFrame:
    probs = frame[f"{column}_problem"]
    bad = probs[probs.notna()]
    return problem_rows(
        declared(table).file,
        bad.index,
        column,
        frame.loc[bad.index, column],
        bad,
        declared(table).column(column).fix,
        severity="warning",
        action="kept",
    )


#: case.toml fields that must be text when they are given (data/README.md).
META_TEXT_FIELDS = ("title", "question", "summary", "cutoff_note", "licence", "licence_note")
#: Zoom levels of a web map: 0 shows the whole world, 18 a street (Leaflet's range).
MAP_ZOOM_RANGE = (0, 18)


def _toml_type(value) -> str:
    """What a TOML value is, in the words of the TOML format."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    return type(value).__name__  # pragma: no cover - tomllib gives only the above


def _toml_value(value, limit: int = 60) -> str:
    r = repr(value.isoformat() if isinstance(value, (dt.date, dt.time)) else value)
    return r if len(r) <= limit else r[: limit - 1] + "…"


def _finite_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def check_meta(meta: dict) -> list[str]:
    """Check the known fields of ``case.toml`` (as read by tomllib); one message
    per problem, each with the fix, or an empty list.

    * :data:`META_TEXT_FIELDS` (title, question, summary, cutoff_note, licence,
      licence_note) are text;
    * ``cutoff`` is a day, ``"2025-10-02"`` (a TOML date such as ``2025-10-02``
      without quotes is accepted too);
    * ``[map]`` is a table: ``center`` is ``[lat, lon]``, two numbers in
      degrees with lat in [-90, 90] and lon in [-180, 180] (WGS84, latitude
      first), ``zoom`` a number in :data:`MAP_ZOOM_RANGE` (0 to 18).

    Other fields are the analyst's and are kept unchecked.
    """
    errors = []
    for key in META_TEXT_FIELDS:
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            errors.append(
                f"case.toml: {key} is {_toml_value(value)} ({_toml_type(value)}), "
                f'not text; write it in double quotes: {key} = "...".'
            )
    cutoff = meta.get("cutoff")
    if isinstance(cutoff, dt.datetime) or not isinstance(cutoff, (str, dt.date, type(None))):
        errors.append(
            f"case.toml: cutoff is {_toml_value(cutoff)} ({_toml_type(cutoff)}), "
            f"not a day; write the day of the latest material as "
            f'cutoff = "2025-10-02".'
        )
    elif isinstance(cutoff, str) and cutoff.strip():
        cutoff = cutoff.strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cutoff):
            errors.append(
                f"case.toml: cutoff {cutoff!r} is not a date; write the day "
                f"of the latest material as 2025-10-02 (or leave it empty "
                f"while the case is new)."
            )
        else:
            try:
                dt.date.fromisoformat(cutoff)
            except ValueError:
                errors.append(
                    f"case.toml: cutoff {cutoff!r} is not a calendar date; "
                    f"write the day of the latest material as 2025-10-02."
                )
    if "map" not in meta:
        return errors
    view = meta["map"]
    if not isinstance(view, dict):
        errors.append(
            f"case.toml: map is {_toml_value(view)} ({_toml_type(view)}), not a "
            f"table; write the default map view as a [map] section with the lines "
            f"center = [45.0, 47.0] (lat, lon) and zoom = 4, or leave map out."
        )
        return errors
    center = view.get("center")
    if center is not None:
        if not (
            isinstance(center, list) and len(center) == 2 and all(_finite_number(x) for x in center)
        ):
            errors.append(
                f"case.toml: map.center is {_toml_value(center)} "
                f"({_toml_type(center)}); it must be [lat, lon], two numbers in "
                f"degrees, e.g. center = [45.0, 47.0]."
            )
        else:
            lat, lon = center
            bad = ([f"latitude {lat} is outside [-90, 90]"] if not -90 <= lat <= 90 else []) + (
                [f"longitude {lon} is outside [-180, 180]"] if not -180 <= lon <= 180 else []
            )
            if bad:
                errors.append(
                    f"case.toml: map.center {center}: {' and '.join(bad)}; write "
                    f"[lat, lon] in degrees, latitude first (WGS84), e.g. "
                    f"center = [45.0, 47.0]."
                )
    zoom = view.get("zoom")
    lo, hi = MAP_ZOOM_RANGE
    if zoom is not None and not (_finite_number(zoom) and lo <= zoom <= hi):
        errors.append(
            f"case.toml: map.zoom is {_toml_value(zoom)} ({_toml_type(zoom)}); it "
            f"must be a number from {lo} (the whole world) to {hi} (a street), "
            f"e.g. zoom = 4."
        )
    return errors


def _read_meta(path: Path) -> tuple[dict, list[str]]:
    """``case.toml`` as a dict, and its problems (file errors, each with the fix).
    UTF-8 with or without a byte-order mark; lone CRs (old Mac line ends) are
    read as line breaks; a TOML date as ``cutoff`` becomes its ISO text."""
    try:
        data = _read_bytes(path, "case.toml", "the case's TOML file (title, question, ...)")
        text = data.decode("utf-8-sig")
        meta = tomllib.loads(_LONE_CR.sub("\n", text))
    except CaseFileError as err:
        return {}, [str(err)]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        return {}, [
            f"case.toml cannot be read ({err}); fix its syntax (see data/README.md for the fields)."
        ]
    except RecursionError:
        return {}, [
            "case.toml nests lists or tables too deeply to be read (hundreds of "
            "levels or more); a case.toml needs at most one level ([map]): remove "
            "the nesting."
        ]
    errors = check_meta(meta)
    cutoff = meta.get("cutoff")
    if not errors and isinstance(cutoff, dt.date):
        meta["cutoff"] = cutoff.isoformat()
    return meta, errors


def load_case(
    path_or_slug: str | os.PathLike, *, strict: bool = False, encoding: str = "utf-8"
) -> Case:
    """Load and validate a case bundle.

    Parameters
    ----------
    path_or_slug : str or path
        A bundle folder, or the slug of a bundled case
        (``"ru-ir-missile-experts-2024"``); see :func:`case_dirs`.
    strict : bool
        Raise :class:`CaseValidationError` listing every row problem instead of
        setting bad rows aside in ``case.problems``.
    encoding : str
        Text encoding of the CSV files (``"utf-8"``; a byte-order mark is
        accepted).  Give ``"cp1251"`` for Windows Cyrillic exports.

    Returns
    -------
    Case
    """

    _text_codec(encoding)  # an unknown encoding is the caller's error, said once
    folder = find_case(path_or_slug)
    bundle_files = ["case.toml"] + [f"{t}.csv" for t in schemas.TABLES]
    if not any((folder / f).exists() for f in bundle_files):
        raise CaseFileError(
            f"{folder} is not a case bundle: it has no case.toml and none of the bundle's "
            f"CSV files ({', '.join(bundle_files[1:])}). Give the folder of a bundle, or "
            f"create one with `osint-kit new-case NAME`."
        )
    file_errors: list[str] = []
    meta: dict = {}
    toml_path = folder / "case.toml"
    if toml_path.exists():
        meta, errs = _read_meta(toml_path)
        file_errors += errs
    else:
        file_errors.append(
            "case.toml is missing: add one with title, question, summary, "
            "cutoff and licence (`osint-kit new-case` writes a template)."
        )

    raw: dict[str, pd.DataFrame] = {}
    for t in schemas.TABLES:
        p = folder / f"{t}.csv"
        if not p.exists():
            if t not in schemas.OPTIONAL_TABLES:
                file_errors.append(
                    f"{t}.csv is missing from {folder}: add it with the "
                    f"header {','.join(schemas.REQUIRED_COLUMNS[t])}."
                )
            continue
        frame, errs = _read_table(p, t, encoding)
        file_errors += errs
        if frame is not None:
            raw[t] = frame
    if file_errors:
        raise CaseFileError(f"Case bundle {folder} cannot be loaded:", errors=file_errors)

    found = Problems()
    loaded: dict[str, pd.DataFrame] = {}
    rejected: dict[str, pd.DataFrame] = {}

    def accept(t: str, frame: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
        """Record problems, set rejected rows aside (as read), return the good rows."""
        found.extend(new)
        gone = new.loc[new["action"] == "rejected", "row"].dropna().astype("int64")
        mask = frame.index.isin(gone.to_numpy())
        before = rejected.get(t, raw[t].iloc[:0])
        rejected[t] = pd.concat([before, raw[t].loc[frame.index[mask]]]).sort_index()
        return frame.loc[~mask]

    for decl in bundle_tables():
        t = decl.name
        if t not in raw:
            continue
        frame, typing = _normalise(t, raw[t])
        typed_ok = frame.loc[~frame.index.isin(typing["row"].dropna().astype("int64").to_numpy())]
        new = [typing, schemas.row_problems(t, typed_ok)]
        if t in _TABLE_CHECKS:
            check, rows = _TABLE_CHECKS[t]
            new.append(check(typed_ok if rows == "typed" else frame, loaded))
        for col in decl.references():
            ref = col.target
            assert ref is not None  # references() gives only columns with a target
            target, key = ref
            if target in loaded and col.name in typed_ok:
                new.append(
                    _check_refs(t, typed_ok, col.name, target, pd.Index(loaded[target][key]))
                )
        new.append(_open_enum_warnings(t, frame))
        good = accept(t, frame, concat_problems(new))
        if t == "sources":
            check_acyclic(good)
        if t == "places":
            good, rel_problems = places_from_text(good)
            # relative places, structured or in words (analysis.relative_text): a place
            # that cannot be placed (no coordinates) is set aside by the loader
            good = accept(t, good, rel_problems.assign(action="rejected"))
        for date_col in decl.date_columns:
            good = add_dates(good, date_col, prefix=date_col)
            found.extend(_date_warnings(t, good, date_col))
        loaded[t] = good

    # text as pandas "str" (NaN for missing), as the case's own tables
    problem_frame = (
        found.table()
        .astype({c: "str" for c in schemas.PROBLEM_COLUMNS if c != "row"})
        .sort_values(["file", "row"], kind="stable")
        .reset_index(drop=True)
    )
    if strict and (problem_frame["severity"] == "error").any():
        errors = problem_frame[problem_frame["severity"] == "error"]
        raise CaseValidationError(
            f"Case bundle {folder} has {len(errors)} problem(s) (strict mode):",
            errors=format_problems(errors),
            problems=problem_frame,
        )
    return Case(
        path=folder,
        meta=meta,
        sources=loaded["sources"],
        claims=loaded["claims"],
        assertions=loaded["assertions"],
        events=loaded["events"],
        places=loaded["places"],
        travel=loaded["travel"],
        hypotheses=loaded.get("hypotheses"),
        ach=loaded.get("ach"),
        problems=problem_frame,
        rows_read={t: len(f) for t, f in raw.items()},
        columns_read={t: list(f.columns) for t, f in raw.items()},
        rejected=rejected,
    )


# --------------------------------------------------------------------------- new case

_TEMPLATE_META = {
    "title": "",
    "question": "",
    "summary": "",
    "cutoff": "",
    "licence": "CC-BY-4.0",
}


#: Longest case name :func:`new_case` accepts (the folder name is the case's
#: slug, and report paths are built from it).
SLUG_MAX_LENGTH = 64
_SLUG_CHARS = re.compile(r"[A-Za-z0-9_-]")
#: Device names Windows reserves: no folder can be called that there.
_WINDOWS_DEVICES = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])")


def check_slug(name: str) -> str:
    """Check a case name (the folder's name, the case's slug) and return it.

    A slug is 1 to :data:`SLUG_MAX_LENGTH` (64) ASCII letters, digits, ``-``
    and ``_``, starting with a letter or a digit.  So it is never a path (no
    ``/`` or ``\\``, no ``..``), never hidden (no leading ``.``), never read
    as a command-line option (no leading ``-``), holds no blank, and has no
    letter from another script that looks like a Latin one (Cyrillic ``а`` is
    not ``a``: two cases would look alike).  Names Windows reserves (``CON``,
    ``NUL``, ``COM1``, ...) are refused too.

    Raises
    ------
    CaseError
        Saying what is wrong and what to write instead.
    """
    text = str(name)
    shown = _shown(text)
    if not text:
        why = "it is empty"
    elif "/" in text or "\\" in text or text in (".", ".."):
        why = (
            "it is a path, not a name; choose the folder it goes in with --dir "
            "(from Python: new_case(parent / name))"
        )
    elif len(text) > SLUG_MAX_LENGTH:
        why = f"it has {len(text)} characters; keep it to {SLUG_MAX_LENGTH}"
    elif text[0] in ".-_":
        why = (
            f"it starts with {text[0]!r}, which hides the folder or reads as an option; "
            f"start with a letter or a digit"
        )
    elif (
        bad := next((i for i, ch in enumerate(text) if not _SLUG_CHARS.match(ch)), None)
    ) is not None:
        ch = text[bad]
        import unicodedata

        why = (
            f"it has {ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}) "
            f"at character {bad + 1}"
        )
    elif _WINDOWS_DEVICES.fullmatch(text):
        why = "Windows reserves that name for a device"
    else:
        return text
    raise CaseError(
        f"Case name {shown} cannot be used: {why}. A case name (its folder's "
        f"name) is ASCII letters, digits, '-' and '_', e.g. "
        f"'ru-ir-missile-experts-2024'."
    )


def new_case(path: str | os.PathLike, *, title: str = "", question: str = "") -> Path:
    """Create an empty, valid bundle at ``path`` (the folder must not exist).

    The last part of ``path`` is the case's name and must be a slug
    (:func:`check_slug`); the folders above it are the caller's choice and are
    created when missing.  Raises :class:`CaseError` for a bad name, an
    existing folder, or a folder the system refuses to create (saying why)."""
    import tomli_w

    out = Path(path)
    check_slug(out.name or str(path))
    try:
        if out.exists():
            raise CaseError(f"{out} already exists; choose another name or remove it first.")
        out.mkdir(parents=True)
        for t in bundle_tables():  # the required and the documented optional columns
            (out / t.file).write_text(",".join(t.template_columns()) + "\n", encoding="utf-8")
        meta = dict(_TEMPLATE_META, title=title or out.name, question=question)
        with open(out / "case.toml", "wb") as fh:
            tomli_w.dump(meta, fh)
    except OSError as err:
        raise CaseError(
            f"Cannot create the case bundle {out} ({err.strerror or err}): choose "
            f"a folder you can write to (osint-kit new-case NAME --dir FOLDER)."
        ) from None
    return out
