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

Problems that make a whole file unusable (missing, empty, wrong delimiter or
encoding, missing columns) raise :class:`~osint_kit.errors.CaseFileError`, all
of them listed at once; a ``derived_from`` cycle raises
:class:`~osint_kit.errors.CycleError` naming the sources in it.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit import schemas
from osint_kit.tabular import RaggedRowError, read_csv_text
from osint_kit.errors import CaseError, CaseFileError, CaseValidationError

__all__ = ["Case", "load_case", "new_case", "case_dirs", "find_case", "REPO_ROOT"]

#: The checkout this module runs from (editable install); data/ lives here.
REPO_ROOT = Path(__file__).resolve().parents[2]

#: Columns the loader adds; they are not written back by :meth:`Case.save`.
DERIVED_COLUMNS = {
    "claims": ["date_start", "date_end", "date_precision", "date_problem"],
    "events": ["date_start", "date_end", "date_precision", "date_problem"],
    "sources": ["published_start", "published_end", "published_precision",
                "published_problem"],
    "travel": ["departure_start", "departure_end", "departure_precision",
               "departure_problem"],
    "places": ["radius_km", "coord_origin"],
}
#: (column, prefix) of the free-text date column parsed in each table.
DATE_COLUMNS = {"claims": ("date", "date"), "events": ("date", "date"),
                "sources": ("published", "published"),
                "travel": ("departure", "departure")}
#: Numeric columns typed by the loader (text that is not a number is a problem).
NUMERIC_COLUMNS = {"places": ["lat", "lon", "distance_km"]}
#: Columns normalised on the way in: (how, columns).
_UPPER = {"sources": ["reliability"], "ach": ["rating", "credibility", "relevance"]}
_LOWER = {"assertions": ["stance"], "places": ["precision"], "travel": ["record_kind"]}


def case_dirs() -> list[Path]:
    """Folders searched for a case slug, in order.

    ``$OSINT_KIT_CASES`` (``os.pathsep``-separated), ``./data/cases``, the
    checkout's ``data/cases`` and ``$OSINT_KIT_DATA/cases``.
    """
    from osint_kit.datafiles import ENV

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


def find_case(path_or_slug: str | os.PathLike) -> Path:
    """The folder of a case, given its path or its slug."""
    p = Path(path_or_slug)
    if p.is_dir():
        return p
    if p.name == str(path_or_slug):  # a bare slug
        for d in case_dirs():
            if (d / p).is_dir():
                return d / p
    known = sorted({c.name for d in case_dirs() if d.is_dir() for c in d.iterdir()
                    if (c / "case.toml").exists()})
    raise CaseFileError(
        f"No case folder {str(path_or_slug)!r}. Give a folder path or one of the "
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
        ``case.toml``: title, question, summary, cutoff, licence, map.
    sources, claims, assertions, events, places, travel : DataFrame
        Validated tables (see the module docstring for the added columns).
    hypotheses, ach : DataFrame or None
        ACH tables, when the bundle has them.
    problems : DataFrame
        One row per problem: file, row, column, value, problem, fix,
        severity (``error``/``warning``), action (``rejected``/``kept``).
    rows_read : dict
        Data rows read per table (rows in = rows loaded + rows rejected).
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
        return self.path.name

    @property
    def title(self) -> str:
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
            out.append(str(sid if pd.isna(name) else name)
                       + ("" if pd.isna(date) else f", {date}"))
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
            rows.append({
                "table": t,
                "read": self.rows_read.get(t, len(frame)),
                "loaded": len(frame),
                "rejected": mine.loc[mine["action"] == "rejected", "row"].nunique(),
                "warnings": int((mine["severity"] == "warning").sum()),
            })
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
            extra = [c for c in frame.columns
                     if c not in cols and c not in DERIVED_COLUMNS.get(t, [])]
            frame = frame[[c for c in cols if c in frame] + extra]
            rejected = self.rejected.get(t)
            if rejected is not None and len(rejected):
                # rejected rows go back as they were read, at their original row
                frame = pd.concat([frame.astype("object"),
                                   rejected.reindex(columns=frame.columns).astype("object")])
                frame = frame.sort_index(kind="stable")
            # floats are written in their shortest round-trip form; NA as empty cells
            frame.to_csv(out / f"{t}.csv", index=False, encoding="utf-8",
                         lineterminator="\n", na_rep="")
        with open(out / "case.toml", "wb") as fh:
            tomli_w.dump(self.meta, fh)
        return out


# --------------------------------------------------------------------------- reading


def _problem(file, row, column, value, problem, fix, severity="error", action="rejected"):
    return {"file": file, "row": row, "column": column, "value": value,
            "problem": problem, "fix": fix, "severity": severity, "action": action}


#: Column names people often use for a required column (for the rename hint only:
#: the bundle's names are a contract, so the loader does not rename silently).
_SYNONYMS = {
    "latitude": "lat", "lat_deg": "lat", "y": "lat",
    "longitude": "lon", "lng": "lon", "long": "lon", "x": "lon",
    "source": "source_id", "claim": "claim_id", "place": "place_id",
    "published_date": "published", "date_published": "published",
    "from": "origin", "to": "destination", "departure_date": "departure",
    "kind_of_record": "record_kind", "type": "kind",
}


def _decode(path: Path, data: bytes, encoding: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # UTF-8 byte-order mark (Excel's "CSV UTF-8"): harmless
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        guess = ""
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is not None:
                guess = f" It looks like {best.encoding}."
        except ImportError:  # pragma: no cover
            pass
        line = data[: err.start].count(b"\n") + 1
        raise CaseFileError(
            f"{path.name}: not {encoding} text (byte 0x{data[err.start]:02x} on line "
            f"{line}).{guess} Re-save it as UTF-8 (in LibreOffice: Save As → Text CSV, "
            f"character set Unicode (UTF-8)), or load it with encoding='cp1251' "
            f"(or the right one)."
        ) from None


def _read_table(path: Path, table: str, encoding: str) -> tuple[pd.DataFrame, list[str]]:
    """Read one CSV as text; returns (frame, file-level errors)."""
    name = f"{table}.csv"
    required = schemas.REQUIRED_COLUMNS[table]
    data = path.read_bytes()
    try:
        text = _decode(path, data, encoding)
    except CaseFileError as err:
        return None, [str(err)]
    if not text.strip():
        return None, [f"{name} is empty: it needs at least the header row "
                      f"({','.join(required)})."]
    header = text.splitlines()[0]
    names = [h.strip() for h in next(csv.reader([header]), [])]
    twice = sorted({h for h in names if names.count(h) > 1})
    if twice:  # pandas would rename the second one "name.1" without a word
        return None, [f"{name} has the column {h!r} more than once (columns "
                      f"{', '.join(str(i + 1) for i, x in enumerate(names) if x == h)}): "
                      f"keep one, or rename the other." for h in twice]
    try:
        frame = read_csv_text(io.StringIO(text), dtype="str", keep_default_na=False,
                              na_values=[""], skipinitialspace=False, allow_trailing=False)
    except RaggedRowError as err:
        return None, [err.advice(name, other_delimiter=False)]
    except pd.errors.ParserError as err:
        return None, [f"{name}: cannot be read as CSV ({err}). Check that every text "
                      f"containing a comma is in double quotes."]
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        for sep, sep_name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in header and all(c in [h.strip() for h in header.split(sep)]
                                     for c in required):
                return None, [f"{name} is separated by {sep_name}, not commas. Re-save "
                              f"it as comma-separated CSV (the bundle format)."]
        hints = []
        for m in missing:
            known = [c for c in frame.columns if _SYNONYMS.get(c.lower()) == m]
            close = known or difflib.get_close_matches(m, frame.columns, n=1, cutoff=0.6)
            if close:
                hints.append(f"{close[0]!r} → {m!r}?")
        return None, [f"{name} lacks required column(s) {', '.join(missing)}; it has "
                      f"{', '.join(frame.columns)}. Add or rename the column(s)"
                      + (f" ({'; '.join(hints)})" if hints else "") + "."]
    return frame, []  # indexed by spreadsheet row (read_csv_text)


def _normalise(table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Strip ids, normalise enumerations, type numbers; list type problems."""
    problems = []
    frame = frame.copy()
    for col in frame.columns:
        if col.endswith("_id") or col in ("stance", "rating", "reliability", "precision",
                                          "record_kind", "credibility", "relevance"):
            stripped = frame[col].str.strip()
            frame[col] = stripped.where(stripped != "", None)
    for col in _UPPER.get(table, []):
        if col in frame:
            frame[col] = frame[col].str.upper()
    for col in _LOWER.get(table, []):
        if col in frame:
            frame[col] = frame[col].str.lower().str.replace(r"\s+", "_", regex=True)
    for col in NUMERIC_COLUMNS.get(table, []):
        if col not in frame:
            continue
        text = frame[col].str.strip().str.replace(",", ".", regex=False)
        num = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = text.notna() & (text != "") & num.isna()
        for row, value in frame.loc[bad, col].items():
            problems.append(_problem(f"{table}.csv", row, col, value,
                                     f"{value!r} is not a number",
                                     "write decimal degrees or km with a '.' (e.g. 36.854)"))
        frame[col] = num
    return frame, problems


def _check_refs(table: str, frame: pd.DataFrame, column: str, target: str,
                known: pd.Index, required: bool = False) -> list[dict]:
    values = frame[column]
    bad = values.notna() & ~values.isin(known)
    if required:
        bad |= values.isna()
    return [
        _problem(f"{table}.csv", row, column, value,
                 f"{column} {value!r} is not in {target}.csv (or its row was rejected)",
                 f"add {value!r} to {target}.csv or correct the id")
        for row, value in values[bad].items()
    ]


def _derived_problems(sources: pd.DataFrame, known: pd.Index) -> list[dict]:
    from osint_kit.relays import parents

    links = parents(sources)
    row_of = pd.Series(sources.index, index=sources["source_id"]).groupby(level=0).first()
    bad = links[~links["parent_id"].isin(known)]
    return [
        _problem("sources.csv", int(row_of[s]), "derived_from", p,
                 f"derived_from names {p!r}, which is not a source_id in sources.csv",
                 f"add a row for {p!r} to sources.csv or correct the id")
        for s, p in zip(bad["source_id"], bad["parent_id"])
    ]


def _date_warnings(table: str, frame: pd.DataFrame, column: str, prefix: str) -> list[dict]:
    probs = frame[f"{prefix}_problem"]
    return [
        _problem(f"{table}.csv", row, column, frame.at[row, column], reason,
                 "write the date as ISO (2024-04-24), a month (April 2024), a year "
                 "(2024) or a range (2024-04-13/2024-04-14)",
                 severity="warning", action="kept")
        for row, reason in probs[probs.notna()].items()
    ]


def load_case(path_or_slug: str | os.PathLike, *, strict: bool = False,
              encoding: str = "utf-8") -> Case:
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
    from osint_kit.dates import add_dates
    from osint_kit.places import resolve_relative
    from osint_kit.relays import check_acyclic

    folder = find_case(path_or_slug)
    file_errors: list[str] = []
    meta: dict = {}
    toml_path = folder / "case.toml"
    if toml_path.exists():
        try:
            meta = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            file_errors.append(f"case.toml cannot be read ({err}); fix its syntax "
                               f"(see data/README.md for the fields).")
        cutoff = str(meta.get("cutoff") or "").strip()
        if cutoff and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cutoff):
            file_errors.append(f"case.toml: cutoff {cutoff!r} is not a date; write the day "
                               f"of the latest material as 2025-10-02 (or leave it empty "
                               f"while the case is new).")
        elif cutoff:
            try:
                pd.Timestamp(cutoff)
            except ValueError:
                file_errors.append(f"case.toml: cutoff {cutoff!r} is not a calendar date; "
                                   f"write the day of the latest material as 2025-10-02.")
    else:
        file_errors.append("case.toml is missing: add one with title, question, summary, "
                           "cutoff and licence (`osint-kit new-case` writes a template).")

    raw: dict[str, pd.DataFrame] = {}
    for t in schemas.TABLES:
        p = folder / f"{t}.csv"
        if not p.exists():
            if t not in schemas.OPTIONAL_TABLES:
                file_errors.append(f"{t}.csv is missing from {folder}: add it with the "
                                   f"header {','.join(schemas.REQUIRED_COLUMNS[t])}.")
            continue
        frame, errs = _read_table(p, t, encoding)
        file_errors += errs
        if frame is not None:
            raw[t] = frame
    if file_errors:
        raise CaseFileError(f"Case bundle {folder} cannot be loaded:", errors=file_errors)

    problems: list[dict] = []
    loaded: dict[str, pd.DataFrame] = {}
    rejected: dict[str, pd.DataFrame] = {}

    def accept(t: str, frame: pd.DataFrame, new: list[dict]) -> pd.DataFrame:
        """Record problems, set rejected rows aside (as read), return the good rows."""
        problems.extend(new)
        mask = frame.index.isin([p["row"] for p in new if p["action"] == "rejected"])
        before = rejected.get(t, raw[t].iloc[:0])
        rejected[t] = pd.concat([before, raw[t].loc[frame.index[mask]]]).sort_index()
        return frame.loc[~mask]

    for t in schemas.TABLES:
        if t not in raw:
            continue
        frame, new = _normalise(t, raw[t])
        bad_type_rows = {p["row"] for p in new}
        typed_ok = frame.loc[~frame.index.isin(list(bad_type_rows))]
        rows = schemas.row_problems(t, typed_ok)
        new += rows.to_dict("records")
        if t == "sources":
            new += _derived_problems(frame, pd.Index(frame["source_id"].dropna()))
        elif t == "places":
            lacking = frame["lat"].isna() & frame["lon"].isna()
            if "relative_to" in frame:
                lacking &= frame["relative_to"].isna()
            half = frame["lat"].isna() ^ frame["lon"].isna()
            for row in frame.index[lacking]:
                new.append(_problem("places.csv", row, "lat,lon", None,
                                    "the place has no coordinates and no relative_to",
                                    "give lat and lon, or relative_to + distance_km + bearing"))
            for row in frame.index[half]:
                new.append(_problem("places.csv", row, "lat,lon",
                                    str(frame.loc[row, ["lat", "lon"]].tolist()),
                                    "only one of lat and lon is given",
                                    "give both, or neither (for a relative place)"))
        elif t in ("claims", "events"):
            new += _check_refs(t, frame, "place_id", "places",
                               pd.Index(loaded["places"]["place_id"]))
        elif t == "travel":
            new += _check_refs(t, frame, "source_id", "sources",
                               pd.Index(loaded["sources"]["source_id"]))
            kinds = frame["record_kind"]
            for row, v in kinds[kinds.notna() & ~kinds.isin(schemas.RECORD_KINDS)].items():
                new.append(_problem("travel.csv", row, "record_kind", v,
                                    f"record_kind {v!r} is not one the kit knows "
                                    f"({', '.join(schemas.RECORD_KINDS)})",
                                    "use a known kind if one fits; the row is kept as it is",
                                    severity="warning", action="kept"))
        elif t == "assertions":
            new += _check_refs(t, frame, "source_id", "sources",
                               pd.Index(loaded["sources"]["source_id"]), required=True)
            new += _check_refs(t, frame, "claim_id", "claims",
                               pd.Index(loaded["claims"]["claim_id"]), required=True)
        elif t == "ach":
            if "hypotheses" in loaded:
                new += _check_refs(t, frame, "hypothesis_id", "hypotheses",
                                   pd.Index(loaded["hypotheses"]["hypothesis_id"]),
                                   required=True)
            new += _check_refs(t, frame, "claim_id", "claims",
                               pd.Index(loaded["claims"]["claim_id"]), required=True)
        good = accept(t, frame, new)
        if t == "sources":
            check_acyclic(good)
        if t == "places":
            good, rel_problems = resolve_relative(good)
            if len(rel_problems):
                row_of = pd.Series(good.index, index=good["place_id"])
                extra = [
                    _problem("places.csv", int(row_of[p["place_id"]]), p["column"],
                             p["value"], p["problem"], p["fix"])
                    for p in rel_problems.to_dict("records")
                ]
                good = accept(t, good, extra)
        if t in DATE_COLUMNS:
            col, prefix = DATE_COLUMNS[t]
            good = add_dates(good, col, prefix=prefix)
            problems.extend(_date_warnings(t, good, col, prefix))
        loaded[t] = good

    problem_frame = (
        pd.DataFrame(problems, columns=schemas.PROBLEM_COLUMNS)
        .astype({"row": "Int64", **{c: "str" for c in schemas.PROBLEM_COLUMNS if c != "row"}})
        .sort_values(["file", "row"], kind="stable")
        .reset_index(drop=True)
        if problems else schemas.empty_problems()
    )
    if strict and (problem_frame["severity"] == "error").any():
        errors = problem_frame[problem_frame["severity"] == "error"]
        raise CaseValidationError(
            f"Case bundle {folder} has {len(errors)} problem(s) (strict mode):",
            errors=[_format_problem(p) for p in errors.to_dict("records")],
            problems=problem_frame,
        )
    return Case(
        path=folder, meta=meta,
        sources=loaded["sources"], claims=loaded["claims"],
        assertions=loaded["assertions"], events=loaded["events"],
        places=loaded["places"], travel=loaded["travel"],
        hypotheses=loaded.get("hypotheses"), ach=loaded.get("ach"),
        problems=problem_frame,
        rows_read={t: len(f) for t, f in raw.items()},
        columns_read={t: list(f.columns) for t, f in raw.items()},
        rejected=rejected,
    )


def _format_problem(p: dict) -> str:
    value = "" if p["value"] is None or pd.isna(p["value"]) else f" value {p['value']!r}:"
    return (f"{p['file']} row {p['row']}, column {p['column']}:{value} "
            f"{p['problem']}. Fix: {p['fix']}.")


def format_problems(problems: pd.DataFrame) -> list[str]:
    """One readable line per problem (what the CLI prints)."""
    return [_format_problem(p) for p in problems.to_dict("records")]


# --------------------------------------------------------------------------- new case

_TEMPLATE_META = {
    "title": "",
    "question": "",
    "summary": "",
    "cutoff": "",
    "licence": "CC-BY-4.0",
}


def new_case(path: str | os.PathLike, *, title: str = "", question: str = "") -> Path:
    """Create an empty, valid bundle at ``path`` (the folder must not exist)."""
    import tomli_w

    out = Path(path)
    if out.exists():
        raise CaseError(f"{out} already exists; choose another name or remove it first.")
    out.mkdir(parents=True)
    for t in schemas.TABLES:
        cols = list(schemas.REQUIRED_COLUMNS[t])
        if t == "places":
            cols += ["relative_to", "distance_km", "bearing", "source_url", "notes"]
        elif t == "sources":  # a grade needs its reason (data/README.md)
            cols += ["reliability_rationale", "notes"]
        elif t not in ("hypotheses", "ach"):
            cols += ["notes"]
        (out / f"{t}.csv").write_text(",".join(cols) + "\n", encoding="utf-8")
    meta = dict(_TEMPLATE_META, title=title or out.name, question=question)
    with open(out / "case.toml", "wb") as fh:
        tomli_w.dump(meta, fh)
    return out
