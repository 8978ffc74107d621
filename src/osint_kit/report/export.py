"""Export figures and tables for a report, with a sha256 manifest.

Exporters never compute: they take a finished matplotlib figure or a
DataFrame and write it to disk in report formats.

* :func:`make_caption` — caption text (sources, cut-off date); defined in
  :mod:`osint_kit.views.captions` and re-exported here.
* :func:`save_figure` — PNG / SVG / PDF (any format matplotlib writes), with an
  optional caption (sources and cut-off date) drawn under the axes and
  ``Title`` / ``Creator`` metadata; fit for print: PDF fonts embedded as
  TrueType (Type 42), SVG text as text, PNG at 200 dpi, and page-size
  presets (``size="a4"``, ``"slide"``; :mod:`osint_kit.views.sizes`).  SVG and PDF are written without a
  creation date and with a fixed SVG hash salt, so the same figure gives the
  same bytes (and the same sha256 in the manifest) on every run.
* :func:`save_table` — CSV (UTF-8, RFC 4180 CRLF line ends) and XLSX (openpyxl) with spreadsheet
  formula-injection neutralised (OWASP "CSV Injection" guidance).
* :class:`Manifest` — ``manifest.json``, ``MANIFEST.csv`` and ``SHA256SUMS``
  (``sha256sum -c`` reads it) listing the sha256, size and modification time
  of every input (e.g. the case files) and every output, with the kit version
  and the time the manifest was written; a file changed between being written
  and the manifest being written is refused, not recorded.

Formula injection
-----------------
A spreadsheet treats a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return as a formula (``=HYPERLINK("http://x")``,
``-2+3+cmd|' /C calc'!A0``).  Text from sources is hostile by default, so:

* CSV: such a text cell is written with a leading apostrophe (``'=HYPERLINK(...)``),
  as OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection).
* XLSX: every text cell is stored as a string cell (``data_type = "s"``), which
  Excel and LibreOffice never evaluate, and a risky one additionally gets the
  ``quotePrefix`` style, so editing it in Excel keeps it text.  The stored value
  is the original text, unchanged.
* Numbers stay numbers: a numeric column (``-3``) is written as a number.  A
  text cell that is nothing but a plain number literal (``"-3"``, ``"+4.5"``,
  ``"-1e3"``) cannot run anything and is left as it is, so negative values
  kept as text are not disfigured.  Column names are neutralised the same way.
* Risky also: the same prefixes after leading blanks (``" =1+1"``: some
  importers trim before they evaluate), a leading line feed, and the
  full-width and small forms ``＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫`` (East Asian input methods
  and Excel's import turn them into ``= + - @``).
* Every cell is one of: empty, a number, a boolean, a date/time, or text.
  ``bytes`` become text, decoded as UTF-8 with undecodable bytes written as
  ``\\xNN`` escapes (``b"\\xff=1"`` → ``\\xff=1``): readable for the text
  they usually are, and nothing silently replaced.  Any other object (a list,
  a Period, an Interval) becomes its ``str()``.  Text from either is then
  neutralised like any other text, in CSV and XLSX alike.

Cells XLSX cannot store
-----------------------
CSV keeps every character.  XLSX (XML) cannot hold the control characters
U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, lone surrogates or U+FFFE/FFFF
(openpyxl raised ``IllegalCharacterError``): each is written as a visible
escape, ``\\x00`` or ``\\ud800``, the way Python's ``repr`` writes it,
so an id ``C\\x0005`` still shows that it is not ``C05``. A carriage return is
written as OOXML's ``_x000D_`` escape (XML would read a raw CR back as a line
feed, so ``\\r\\n`` would come back as ``\\n``), and a literal ``_xHHHH_`` in
the text as ``_x005F_xHHHH_``, so Excel and LibreOffice show the text as written
(``openpyxl.utils.escape.unescape`` decodes both).  A cell longer than
Excel's 32,767 characters is cut, ending in ``… [cut: N characters; the CSV
has them all]``; an integer beyond ±2**53 (which Excel would round) and an
infinite float are written as their text.

Duplicate column names
----------------------
:func:`save_table` refuses a table whose column names repeat (after ``str()``,
so ``1`` and ``"1"`` are the same header) with :class:`ExportError` naming
them: a report column must be citable by its header, the kit's own bundle
loader refuses such a CSV, and pandas would read the second one back as
``name.1``.  Which name is meant is the analyst's call (``merge(...,
suffixes=...)``, ``df.columns = [...]``), not the exporter's.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from osint_kit import __version__
from osint_kit.errors import ExportError, OsintKitError
from osint_kit.views.captions import make_caption  # re-exported: notebooks call export.make_caption
from osint_kit.views.plain import plain_text, wrap_lines
from osint_kit.views.sizes import FIGURE_SIZES, figure_size

__all__ = [
    "DEFAULT_DPI",
    "FIGURE_SIZES",
    "FORMULA_PREFIXES",
    "PRINT_RC",
    "ExportError",
    "Manifest",
    "make_caption",
    "neutralise_formulas",
    "save_figure",
    "save_table",
    "sha256_file",
]

#: Characters that make a spreadsheet cell a formula (OWASP CSV-injection list,
#: plus line feed and the full-width and small forms of = + - @).
FORMULA_PREFIXES = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
    "\ufe66",
    "\ufe62",
    "\ufe63",
    "\ufe6b",
)

_RISKY = re.compile(
    "^(?:[\t\r\n]|[ \u00a0\u3000]*[=+\\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b])"
)
_PLAIN_NUMBER = re.compile(r"[ ]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ ]*")
#: What an XLSX (XML) cell cannot hold (openpyxl's IllegalCharacterError and more).
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Text that an XLSX reader would take as an OOXML ``_xHHHH_`` character escape.
_OOXML_ESCAPE_LIKE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
#: Excel's limit on the characters in one cell.
XLSX_CELL_MAX = 32_767
#: Integers Excel (IEEE doubles) holds exactly.
_EXACT_INT = 2**53

#: File formats each function knows how to write.
FIGURE_FORMATS = ("png", "svg", "pdf", "jpg", "jpeg", "tif", "tiff", "webp", "eps", "ps")
TABLE_FORMATS = ("csv", "xlsx")


def _kit_version() -> str:
    return __version__


# --------------------------------------------------------------------------- hashing / manifest


def sha256_file(path: str | os.PathLike) -> str:
    """Return the hex sha256 of a file's bytes (read in chunks)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _utc_now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Manifest:
    """Record of a report's inputs and outputs with their sha256.

    Parameters
    ----------
    root : path
        Directory the manifest is written to; every file path is stored
        relative to it (``../../data/cases/x/sources.csv`` for a case file), so
        the manifest names no local user directories.
    meta : dict, optional
        More top-level fields of ``manifest.json`` (``{"case": "my-case"}``).

    Examples
    --------
    >>> m = Manifest("reports/03_claim_corroboration")       # doctest: +SKIP
    >>> m.add_inputs(sorted(case.path.glob("*.csv")))          # doctest: +SKIP
    >>> save_figure(fig, "reports/03/matrix", manifest=m)      # doctest: +SKIP
    >>> m.write()                                              # doctest: +SKIP

    Files written by :meth:`write`
    ------------------------------
    ``manifest.json``: ``{"kit": "osint-kit", "kit_version", "created_utc",
    "files": [...]}``; ``MANIFEST.csv``: one row per file with columns
    ``role`` (input|output), ``path``, ``sha256``, ``size_bytes``,
    ``modified_utc`` (ISO 8601, seconds, UTC), ``description``;
    ``SHA256SUMS``: ``<sha256>  <path>`` lines in the format ``sha256sum -c``
    reads (run it in the manifest's folder: paths are relative to it).

    Hashed when added, checked when written
    ---------------------------------------
    Each file is hashed when it is added (right after it was written), and
    hashed again by :meth:`write`: a file that changed in between (another
    process, a second write) raises :class:`ExportError` naming it, so a
    manifest never records a file in a state the kit did not write.  Adding
    the same file again (it was written again on purpose) records it anew.
    """

    COLUMNS = ("role", "path", "sha256", "size_bytes", "modified_utc", "description")
    #: File names :meth:`write` produces (a verifier does not count them as extra).
    FILES = ("manifest.json", "MANIFEST.csv", "SHA256SUMS")

    def __init__(self, root: str | os.PathLike, *, meta: dict | None = None):
        self.root = Path(root)
        #: extra top-level fields of manifest.json (e.g. ``{"case": slug}``), JSON values
        self.meta = dict(meta or {})
        self._files: dict[tuple[str, Path], str] = {}
        self._sha: dict[tuple[str, Path], str] = {}

    def _add(self, role: str, path: str | os.PathLike, description: str) -> Path:
        p = Path(path).resolve()
        if not p.is_file():
            raise OsintKitError(
                f"Manifest: {role} file {str(path)!r} does not exist or is not a file; "
                "add files after writing them."
            )
        self._files[(role, p)] = description
        self._sha[(role, p)] = sha256_file(p)
        return p

    def add_input(self, path: str | os.PathLike, description: str = "") -> Path:
        """Record an input file (e.g. a case CSV)."""
        return self._add("input", path, description)

    def add_inputs(self, paths: Iterable[str | os.PathLike], description: str = "") -> list[Path]:
        """Record several input files."""
        return [self.add_input(p, description) for p in paths]

    def add_output(self, path: str | os.PathLike, description: str = "") -> Path:
        """Record an output file (a figure, table, map)."""
        return self._add("output", path, description)

    def outputs(self) -> list[Path]:
        """The output files recorded so far (absolute paths)."""
        return sorted(p for role, p in self._files if role == "output")

    def _rel(self, p: Path) -> str:
        """Path relative to the manifest folder (``../`` allowed), so no local user paths leak."""
        try:
            return Path(os.path.relpath(p, self.root.resolve())).as_posix()
        except ValueError:  # another drive (Windows): nothing relative exists
            return p.as_posix()

    def to_frame(self) -> pd.DataFrame:
        """The manifest as a DataFrame (columns :attr:`COLUMNS`).

        Raises :class:`ExportError` when a file changed (or went) since it was added.
        """
        rows, changed = [], []
        for (role, p), desc in sorted(
            self._files.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))
        ):
            if not p.is_file():
                changed.append(f"{self._rel(p)} ({role}, removed)")
                continue
            st = p.stat()
            digest = sha256_file(p)
            if digest != self._sha[(role, p)]:
                changed.append(f"{self._rel(p)} ({role})")
            mtime = _dt.datetime.fromtimestamp(st.st_mtime, _dt.UTC).replace(microsecond=0)
            rows.append(
                {
                    "role": role,
                    "path": self._rel(p),
                    "sha256": digest,
                    "size_bytes": int(st.st_size),
                    "modified_utc": mtime.isoformat().replace("+00:00", "Z"),
                    "description": desc,
                }
            )
        if changed:
            raise ExportError(
                f"Manifest: {len(changed)} file(s) changed after the kit wrote or read them and "
                f"before the manifest was written: {', '.join(changed)}. Nothing was recorded; "
                f"make sure no other program writes into {self.root} (or edits the case) while "
                f"the report is built, then build it again."
            )
        return pd.DataFrame(rows, columns=list(self.COLUMNS)).astype({"size_bytes": "int64"})

    def write(self, directory: str | os.PathLike | None = None) -> tuple[Path, Path]:
        """Write ``manifest.json``, ``MANIFEST.csv`` and ``SHA256SUMS``; return the
        paths of the first two.  :class:`ExportError` when a file changed since
        it was added (nothing is written then)."""
        out = Path(directory) if directory is not None else self.root
        out.mkdir(parents=True, exist_ok=True)
        frame = self.to_frame()
        doc = {
            "kit": "osint-kit",
            "kit_version": _kit_version(),
            "created_utc": _utc_now(),
            **{k: v for k, v in self.meta.items() if k not in ("kit", "files")},
            "files": frame.to_dict(orient="records"),
        }
        json_path = out / "manifest.json"
        json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        csv_path = out / "MANIFEST.csv"
        # paths and descriptions are ours, but neutralise anyway: the CSV is opened in spreadsheets
        _write_csv(frame, csv_path)
        sums = "".join(_sha256sum_line(h, p) for h, p in zip(frame["sha256"], frame["path"]))
        (out / "SHA256SUMS").write_bytes(sums.encode("utf-8", "surrogateescape"))
        return json_path, csv_path


def _sha256sum_line(digest: str, path: str) -> str:
    """One ``sha256sum`` line (text mode: two spaces); a name holding a
    backslash or a line break is escaped as GNU coreutils does (a leading
    ``\\``, ``\\n`` for a line feed, ``\\\\`` for a backslash)."""
    if "\\" in path or "\n" in path or "\r" in path:
        name = path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
        return f"\\{digest}  {name}\n"
    return f"{digest}  {path}\n"


# --------------------------------------------------------------------------- figures


def _prepare(path_stem, formats, known, func) -> tuple[Path, list[str]]:
    """Check the formats and create the output directory."""
    fmts = [str(f).lower().lstrip(".") for f in formats]
    unknown = [f for f in fmts if f not in known]
    if unknown:
        raise ExportError(f"{func}: unknown format(s) {unknown}; use some of {list(known)}")
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    return stem, fmts


def _figure_metadata(fmt: str, title: str | None) -> dict[str, Any]:
    creator = f"osint-kit {_kit_version()}"
    if fmt == "png":
        md: dict[str, Any] = {"Software": creator}
        if title:
            md["Title"] = title
        return md
    if fmt == "svg":
        md = {"Creator": creator, "Date": None}
        if title:
            md["Title"] = title
        return md
    if fmt == "pdf":
        md = {"Creator": creator, "Producer": creator, "CreationDate": None, "ModDate": None}
        if title:
            md["Title"] = title
        return md
    return {}  # other backends take no (or different) metadata


def _figure_title(fig) -> str | None:
    if fig.get_suptitle():
        return fig.get_suptitle()
    for ax in fig.axes:
        t = ax.get_title()
        if t:
            return t
    return None


#: Matplotlib settings for every figure the kit writes: fonts embedded as
#: TrueType (Type 42) in PDF and PostScript, not Type 3 (print pipelines and
#: PDF/A checkers reject Type 3 bitmaps-as-procedures); SVG text kept as
#: <text> (searchable, selectable, translatable; the viewer's font draws it);
#: a fixed SVG hash salt and compressed PDF streams, so re-running gives the
#: same bytes.
PRINT_RC = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "svg.hashsalt": "osint-kit",
    "pdf.compression": 6,
}
#: Resolution of raster formats unless told otherwise (dots per inch; print wants >= 200).
DEFAULT_DPI = 200


def _caption_text(fig, caption: str, x: float, y: float, width_in: float):
    return fig.text(
        x,
        y,
        wrap_lines(caption, width_in, 8),
        ha="left",
        va="top",
        fontsize=8,
        color="#333333",
        transform=fig.transFigure,
    )


class _ExactSize:
    """Set a figure to (w, h) inches with a band at the bottom for the caption; undo after.

    Axes with a layout engine (constrained, tight) are laid out in the rest
    of the figure (the engine's ``rect``); without one, every top-level axes
    is moved up and shrunk by the band's share (inset axes follow their
    parent).  Everything is restored afterwards.
    """

    def __init__(self, fig, size, caption):
        self.fig, self.size, self.caption = fig, size, caption
        self.text = None

    def __enter__(self):
        fig = self.fig
        self.old_size = tuple(fig.get_size_inches())
        w, h = self.size
        fig.set_size_inches(w, h)
        band = 0.0
        if self.caption:
            wrapped = wrap_lines(self.caption, w * 0.97, 8)
            band = min(((wrapped.count("\n") + 1) * 8 * 1.3 + 10) / 72 / h, 0.5)
        self.engine = fig.get_layout_engine()
        self.old_rect = None
        self.old_pos = []
        if band:
            if self.engine is not None and "rect" in self.engine.get():
                self.old_rect = self.engine.get()["rect"]
                self.engine.set(rect=(0, band, 1, 1 - band))
            else:
                for ax in fig.axes:
                    if ax.get_axes_locator() is None:
                        p = ax.get_position(original=True)
                        self.old_pos.append((ax, p))
                        ax.set_position(
                            [p.x0, band + p.y0 * (1 - band), p.width, p.height * (1 - band)],
                            which="original",
                        )
            self.text = _caption_text(fig, self.caption, 0.015, band - 4 / 72 / h, w * 0.97)
        return self

    def __exit__(self, *exc):
        if self.text is not None:
            self.text.remove()
        if self.old_rect is not None:
            self.engine.set(rect=self.old_rect)
        for ax, p in self.old_pos:
            ax.set_position(p, which="original")
        self.fig.set_size_inches(*self.old_size)
        return False


@plain_text
def save_figure(
    fig,
    path_stem: str | os.PathLike,
    formats: Sequence[str] = ("png", "svg", "pdf"),
    *,
    caption: str | None = None,
    dpi: int = DEFAULT_DPI,
    manifest: Manifest | None = None,
    title: str | None = None,
    size=None,
) -> list[Path]:
    """Write a matplotlib figure in each format and return the paths.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The finished figure (drawing functions return an ``ax``: pass ``ax.figure``).
    path_stem : path
        Output path without extension (``reports/03/matrix`` gives
        ``matrix.png``, ``matrix.svg``, ``matrix.pdf``); parent directories are
        created.
    formats : sequence of str
        Extensions, lower case, without the dot.
    caption : str, optional
        Text drawn under the axes (sources, cut-off date: see :func:`make_caption`);
        removed from the figure again after saving.
    dpi : int
        Resolution of raster formats (dots per inch), :data:`DEFAULT_DPI` (200).
    manifest : Manifest, optional
        Each written file is added to it as an output.
    title : str, optional
        Document title in the metadata; default: the figure's suptitle or the
        first axes title.
    size : str or (float, float), optional
        A page size preset of :mod:`osint_kit.views.sizes` (``"a4"``,
        ``"a4-half"``, ``"a4-landscape"``, ``"slide"``) or (width, height) in
        inches: the file is written at exactly that size (PNG: width x dpi
        pixels), the caption inside it, and the figure is given back its own
        size afterwards.  Draw at the same size (``plot_*(..., size=...)``)
        so that labels are placed for it.  Default: the figure's own size,
        trimmed to what is drawn (``bbox_inches="tight"``).

    Returns
    -------
    list of pathlib.Path
        One path per format, in the order given.

    Notes
    -----
    Written with :data:`PRINT_RC`: PDF fonts embedded as TrueType (Type 42),
    never Type 3; SVG text as ``<text>``; SVG with ``svg.hashsalt`` fixed and
    no ``Date``, PDF without ``CreationDate``/``ModDate``, so re-running gives
    identical bytes.
    """
    import contextlib

    import matplotlib as mpl

    stem, fmts = _prepare(path_stem, formats, FIGURE_FORMATS, "save_figure")
    doc_title = title if title is not None else _figure_title(fig)
    exact = figure_size(size) if size is not None else None

    text = None
    if caption and exact is None:
        # under the axes, left-aligned, wrapped; bbox_inches="tight" grows the page to fit it
        text = _caption_text(fig, caption, 0.01, -0.01, fig.get_figwidth() * 0.98)
    paths: list[Path] = []
    try:
        with (
            mpl.rc_context(cast(Any, PRINT_RC)),  # the stubs want literal keys
            _ExactSize(fig, exact, caption) if exact else contextlib.nullcontext(),
        ):
            for fmt in fmts:
                out = stem.with_name(stem.name + "." + fmt)
                fig.savefig(
                    out,
                    format=fmt,
                    dpi=dpi,
                    bbox_inches=None if exact else "tight",
                    pad_inches=0.15,
                    metadata=_figure_metadata(fmt, doc_title) or None,
                )
                paths.append(out)
                if manifest is not None:
                    manifest.add_output(out, description=doc_title or "")
    finally:
        if text is not None:
            text.remove()
    return paths


# --------------------------------------------------------------------------- tables


def _cell(v: Any) -> Any:
    """One cell as a value a spreadsheet stores: NA, a number, a boolean, a
    date/time, or text (``bytes`` decoded as UTF-8 with ``\\xNN`` for bytes
    that are not; any other object its ``str()``)."""
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).decode("utf-8", "backslashreplace")
    if v is None or isinstance(
        v,
        (
            str,
            bool,
            int,
            float,
            Decimal,
            _dt.date,
            _dt.time,
            _dt.timedelta,
            np.number,
            np.bool_,
            np.datetime64,
            np.timedelta64,
        ),
    ):
        return v
    if v is pd.NA or v is pd.NaT:
        return v
    return str(v)


def _as_cells(s: pd.Series) -> pd.Series:
    """``s`` with every cell a stored value (:func:`_cell`); typed columns as they are."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if s.dtype != object or pd.api.types.infer_dtype(s, skipna=True) in _STORED_KINDS:
        return s
    return s.map(_cell)


#: ``infer_dtype`` kinds whose every cell is already a stored value.
_STORED_KINDS = {
    "empty",
    "string",
    "integer",
    "floating",
    "mixed-integer-float",
    "decimal",
    "boolean",
    "datetime",
    "datetime64",
    "date",
    "time",
    "timedelta",
    "timedelta64",
}


def _risky_mask(s: pd.Series, cells: bool = False) -> pd.Series:
    """True where a value is text that a spreadsheet would take as a formula
    (``cells``: ``s`` already went through :func:`_as_cells`)."""
    if (
        pd.api.types.is_numeric_dtype(s.dtype)
        or pd.api.types.is_bool_dtype(s.dtype)
        or pd.api.types.is_datetime64_any_dtype(s.dtype)
        or pd.api.types.is_timedelta64_dtype(s.dtype)
    ):
        return pd.Series(False, index=s.index)
    if isinstance(s.dtype, pd.StringDtype):
        txt = s
    else:  # object column: only the text cells are text (numbers in it stay numbers)
        s = s if cells else _as_cells(s)
        is_text = s.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False).astype(bool)
        # kept as Python str (no .astype("string")): with pyarrow a lone surrogate, which
        # a source may hold and the CSV keeps, cannot become an Arrow string
        txt = s.where(is_text)
    risky = txt.str.match(_RISKY).fillna(False) & ~txt.str.fullmatch(_PLAIN_NUMBER).fillna(False)
    return risky.astype(bool)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` where risky text cells start with ``'``.

    Risky: a text cell starting with ``=``, ``+``, ``-``, ``@`` (or their
    full-width forms, or any of them after blanks), tab, carriage return or
    line feed that is not a plain number literal.  ``bytes`` and other objects
    are turned into text first (see the module docstring).  Numeric columns
    are untouched; column names are neutralised too.
    """
    out = df.copy()
    for j in range(out.shape[1]):  # by position: names may repeat here
        column = out.iloc[:, j]
        s = _as_cells(column)
        mask = _risky_mask(s, cells=True)
        if mask.any():
            s = s.astype(object)
            s[mask] = "'" + s[mask].astype(str)
        if s is not column:
            out.isetitem(j, s)
    out.columns = [_neutral_name(c) for c in out.columns]
    return out


def _neutral_name(name: Any) -> str:
    n = str(_cell(name))
    return "'" + n if _RISKY.match(n) and not _PLAIN_NUMBER.fullmatch(n) else n


def _table_for_export(df: pd.DataFrame) -> pd.DataFrame:
    """Keep a meaningful index as columns (nothing lost), drop a default RangeIndex;
    :class:`ExportError` when column names repeat (see the module docstring)."""
    if not (isinstance(df.index, pd.RangeIndex) and df.index.name is None):
        names = [n for n in df.index.names if n is not None] or ["index"]
        clash = [n for n in names if n in df.columns]
        if clash:
            raise ExportError(
                f"save_table: the index {clash[0]!r} has the name of a column; rename one "
                f"(df.rename_axis(...) or df.rename(columns=...)) before exporting. Nothing "
                f"was written."
            )
        if isinstance(df.index, pd.MultiIndex) or df.index.name is not None:
            df = df.reset_index()
        else:
            df = df.reset_index(names="index")
    headers = [_neutral_name(c) for c in df.columns]
    seen: dict[str, list[int]] = {}
    for j, h in enumerate(headers, start=1):
        seen.setdefault(h, []).append(j)
    twice = {h: cols for h, cols in seen.items() if len(cols) > 1}
    if twice:
        listed = "; ".join(
            f"{h!r} (columns {', '.join(map(str, cols))})" for h, cols in twice.items()
        )
        raise ExportError(
            f"save_table: column names repeat: {listed}. Give each column its own name "
            f"(df.columns = [...], or merge(..., suffixes=('_a', '_b'))) before exporting: a "
            f"report column must be citable by its header. Nothing was written."
        )
    return df


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    safe = neutralise_formulas(df)
    # RFC 4180 line ends: with "\r\n" as terminator the csv writer quotes any cell holding \r or \n;
    # a lone surrogate (text decoded with surrogateescape) cannot be UTF-8: written as \udcxx
    safe.to_csv(
        path,
        index=False,
        encoding="utf-8",
        lineterminator="\r\n",
        quoting=csv.QUOTE_MINIMAL,
        errors="backslashreplace",
    )


def _xlsx_escape(match: re.Match) -> str:
    c = ord(match.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def _xlsx_text(text: str) -> str:
    """Text an XLSX cell can hold: characters XML refuses as escapes, cut at
    Excel's 32,767 characters with a visible note (see the module docstring)."""
    text = _XLSX_ILLEGAL.sub(_xlsx_escape, text)
    # XML reads a raw CR as LF: write it as OOXML's _x000D_ (Excel and LibreOffice read a CR),
    # and a literal "_xHHHH_" as "_x005F_xHHHH_" so that it is not read as an escape
    text = _OOXML_ESCAPE_LIKE.sub(r"_x005F\1", text).replace("\r", "_x000D_")
    if len(text) > XLSX_CELL_MAX:
        note = f"… [cut: {len(text)} characters; the CSV has them all]"
        text = text[: XLSX_CELL_MAX - len(note)] + note
    return text


def _xlsx_value(v: Any) -> Any:
    v = _cell(v)
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, pd.Timestamp):
        # Excel has no time zones: write UTC wall time without tzinfo
        if v.tzinfo is not None:
            v = v.tz_convert("UTC").tz_localize(None)
        return v.to_pydatetime()
    if isinstance(v, _dt.datetime) and v.tzinfo is not None:
        return v.astimezone(_dt.UTC).replace(tzinfo=None)
    if isinstance(v, _dt.time) and v.tzinfo is not None:
        return str(v)
    if isinstance(v, float) and not np.isfinite(v):
        return str(v)  # Excel has no infinity: "inf" / "-inf" as text
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > _EXACT_INT:
        return str(v)  # Excel would round it to 15-17 digits
    if isinstance(v, str):
        return _xlsx_text(v)
    return v


def _sheet_title(title: str) -> str:
    # Excel: <= 31 characters, none of []:*?/\, no control character, not quoted
    text = _XLSX_ILLEGAL.sub("_", re.sub(r"[\[\]:*?/\\]", "_", str(title)))
    return text[:31].strip("'") or "Sheet1"


def _write_xlsx(df: pd.DataFrame, path: Path, sheet_name: str | None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    title = sheet_name or path.stem
    ws.title = _sheet_title(title)

    header = [_xlsx_text(str(_cell(c))) for c in df.columns]
    widths = [min(max(len(h), 6), 60) for h in header]
    bold = Font(bold=True)
    for j, h in enumerate(header, start=1):
        cell = ws.cell(row=1, column=j)
        cell.value = h
        cell.data_type = "s"
        cell.font = bold
        if _RISKY.match(h):
            cell.quotePrefix = True

    for j in range(df.shape[1]):
        col = _as_cells(df.iloc[:, j])
        values = col.tolist()
        rmask = _risky_mask(col, cells=True).to_numpy()
        w = widths[j]
        for i, raw in enumerate(values, start=2):
            v = _xlsx_value(raw)
            if v is None:
                continue
            cell = ws.cell(row=i, column=j + 1)
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"  # a string cell is never evaluated as a formula
                if rmask[i - 2] or _RISKY.match(v):
                    cell.quotePrefix = True
                w = max(w, min(len(v), 60))
            else:
                w = max(w, min(len(str(v)), 60))
        widths[j] = w
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w + 2
    ws.freeze_panes = "A2"
    if len(header):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(len(df) + 1, 1)}"
    wb.properties.creator = f"osint-kit {_kit_version()}"
    wb.properties.title = _xlsx_text(str(title))
    wb.save(path)


def save_table(
    df: pd.DataFrame,
    path_stem: str | os.PathLike,
    formats: Sequence[str] = ("csv", "xlsx"),
    *,
    sheet_name: str | None = None,
    manifest: Manifest | None = None,
) -> list[Path]:
    """Write a DataFrame as CSV (UTF-8) and/or XLSX with formulas neutralised.

    Parameters
    ----------
    df : pandas.DataFrame
        The table. A named or non-default index is written as column(s), so
        nothing is lost; a default RangeIndex is dropped.
    path_stem : path
        Output path without extension; parent directories are created.
    formats : sequence of str
        ``"csv"`` and/or ``"xlsx"``.
    sheet_name : str, optional
        XLSX sheet name (default: the file stem; cut to Excel's 31 characters).
    manifest : Manifest, optional
        Each written file is added to it as an output.

    Returns
    -------
    list of pathlib.Path
        One path per format, in the order given.

    Raises
    ------
    ExportError
        An unknown format, or column names that repeat (nothing is written).

    Notes
    -----
    CSV: risky text cells get a leading ``'`` (see the module docstring);
    every character is kept.
    XLSX: header row bold and frozen, autofilter on, column widths from the
    longest value (capped at 60 characters), text cells stored as strings with
    risky ones carrying Excel's ``quotePrefix``; numbers stay numbers;
    tz-aware datetimes are written as UTC wall time; characters XLSX cannot
    hold are written as ``\\xNN`` escapes, cells over 32,767 characters cut
    with a note (the module docstring says which).
    """
    table = _table_for_export(df)  # refuses repeated column names before anything is written
    stem, fmts = _prepare(path_stem, formats, TABLE_FORMATS, "save_table")
    paths = []
    for fmt in fmts:
        out = stem.with_name(stem.name + "." + fmt)
        if fmt == "csv":
            _write_csv(table, out)
        else:
            _write_xlsx(table, out, sheet_name)
        paths.append(out)
        if manifest is not None:
            manifest.add_output(out, description=sheet_name or stem.name)
    return paths
