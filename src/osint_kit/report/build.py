"""``osint-kit report``: one command from a case to a verifiable report folder.

:func:`build_report` computes the case's analyses once, draws every figure
through :mod:`osint_kit.report.figures` (the notebooks' own code path), writes
every table, an ``index.html`` to open first, a printable ``report.pdf``, a
``report.md`` and a manifest, and returns a :class:`Report`.

Folder layout (stable names, so two reports of a case diff cleanly)::

    reports/<case-slug>/
      index.html  report.pdf  report.md          open index.html first
      route_map.html                             offline interactive map
      figures/<name>.png|svg|pdf                 timeline, story_spread, route_map,
                                                 relay_graph, relay_graph_focus,
                                                 claim_matrix, ach
      tables/<name>.csv  tables.xlsx             one CSV per table, one workbook
                                                 (a sheet per table), formula-safe
      interop/                                   timelinejs.csv, case.geojson, case.kml,
                                                 entities.ftm.jsonl (report.interop)
      manifest.json  MANIFEST.csv  SHA256SUMS    sha256 of every input and output

Ownership: the folder's ``manifest.json`` lists what the kit wrote there.  A
rerun replaces those files and deletes the ones it no longer writes (a figure
the case no longer has); it refuses a folder holding any file it did not
write, or the report of another case, unless ``force=True`` (the other files
are then left alone, and ``osint-kit verify`` lists them as extra).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from osint_kit import __version__
from osint_kit.analysis.ach import compare_hypotheses
from osint_kit.analysis.corroboration import corroborate
from osint_kit.analysis.legs import case_legs, evidence_by_trip
from osint_kit.errors import ExportError
from osint_kit.readers.bundle import Case, load_case
from osint_kit.report import figures as fg
from osint_kit.report import interop
from osint_kit.report.documents import write_html, write_markdown, write_pdf
from osint_kit.report.export import Manifest, save_table
from osint_kit.report.settings import CaseSettings, case_settings
from osint_kit.views import maps, offline

__all__ = ["FIGURE_NAMES", "INTEROP_FILES", "Report", "build_report", "default_folder", "findings"]

#: Figures of a report, in the order the report shows them.
FIGURE_NAMES = (
    "timeline",
    "story_spread",
    "route_map",
    "relay_graph",
    "relay_graph_focus",
    "claim_matrix",
    "ach",
)

Progress = Callable[[int, int, str], None]


@dataclass
class Report:
    """What :func:`build_report` wrote.

    Attributes
    ----------
    folder : Path
    case : Case
    settings : CaseSettings
    findings : list of str
        The sentences of the report's findings (computed from the analysis).
    figures : list of Drawn
        Every figure, drawn or with the sentence saying why not.
    tables : dict of name -> DataFrame
    files : list of Path
        Every output file (the manifest's outputs), sorted.
    removed : list of Path
        Files of an earlier report of this case that this one no longer writes.
    foreign : list of Path
        Files the kit did not write, left in the folder (only with ``force``).
    seconds : float
    """

    folder: Path
    case: Case
    settings: CaseSettings
    findings: list[str]
    figures: list[fg.Drawn]
    tables: dict[str, pd.DataFrame]
    files: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    foreign: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def index(self) -> Path:
        return self.folder / "index.html"

    @property
    def pdf(self) -> Path:
        return self.folder / "report.pdf"


def default_folder(case: Case, base: str | os.PathLike | None = None) -> Path:
    """``reports/<case-slug>/`` under ``base`` (default: the current directory)."""
    return Path(base if base is not None else Path.cwd()) / "reports" / case.slug


# --------------------------------------------------------------------------- ownership


def _owned(folder: Path) -> tuple[set[Path], str | None]:
    """Files the kit wrote in ``folder`` (from its manifest.json) and the case they were for."""
    path = folder / "manifest.json"
    if not path.is_file():
        return set(), None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        files = [f["path"] for f in doc["files"] if f.get("role") == "output"]
        case = doc.get("case")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return set(), None  # not ours, or damaged: every file is then foreign
    own = {(folder / p).resolve() for p in files}
    own |= {(folder / n).resolve() for n in Manifest.FILES}
    return own, case if isinstance(case, str) else None


def _check_folder(folder: Path, case: Case, force: bool) -> tuple[set[Path], list[Path]]:
    """Owned files and foreign files; ExportError when foreign files (or another
    case's report) are there and not ``force``."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"report: {folder} is a file, not a folder; give another --out folder.")
    if not folder.exists():
        return set(), []
    own, owner = _owned(folder)
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()]
    foreign = [p for p in files if p.resolve() not in own or p.is_symlink()]
    if force:
        return own, foreign
    if owner is not None and owner != case.slug:
        raise ExportError(
            f"report: {folder} holds the report of another case ({owner!r}), not of "
            f"{case.slug!r}; give another --out folder (default: reports/{case.slug}/), or "
            f"--force to replace it."
        )
    if foreign:
        shown = ", ".join(p.relative_to(folder).as_posix() for p in foreign[:5])
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        raise ExportError(
            f"report: {folder} holds {len(foreign)} file(s) that osint-kit did not write there "
            f"({shown}{more}); nothing was written. Move them away, give another --out "
            f"folder, or add --force (they are then kept, and verify lists them as extra)."
        )
    return own, []


# --------------------------------------------------------------------------- findings


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def findings(case: Case, result, acr, legs: pd.DataFrame, events: pd.DataFrame) -> list[str]:
    """The report's findings in a few sentences, each computed from the analysis:
    sources and origins, claims resting on one origin, what the relays added
    and changed, what the travel records show, the ACH ranking."""
    out = []
    src = case.sources
    cut = fg.cutoff_text(case)
    out.append(
        f"The case records {_n(len(src), 'source')}, {_n(len(case.claims), 'claim')} and "
        f"{_n(len(case.assertions), 'stance')} of a source on a claim; "
        + (f"the material runs up to {cut}." if cut else "no cut-off date is set (case.toml).")
    )
    summary = result.claim_summary
    supported = summary[summary["n_supports"] > 0]
    if len(src):
        origins = result.origins["origin_id"].value_counts()
        top = origins.index[0] if len(origins) else None
        out.append(
            f"Following derived_from back, the {_n(len(src), 'source')} lead to "
            f"{_n(len(origins), 'origin')}"
            + (
                f"; {origins.iloc[0]} of them to {top!s} alone."
                if len(origins) > 1
                else (f": {top!s}." if top is not None else ".")
            )
        )
    if len(supported):
        one = supported[supported["n_origins_support"] == 1]
        out.append(
            f"{len(one)} of the {_n(len(supported), 'supported claim')} rest on a single "
            f"origin, however many sources repeat them"
            + (
                f" (the most repeated: {one.sort_values('n_supports').iloc[-1]['claim_id']}, "
                f"{_n(int(one['n_supports'].max()), 'supporting source')})."
                if len(one)
                else "."
            )
        )
    elif len(case.claims):
        out.append("No claim has a supporting source yet (assertions.csv).")
    drift = result.drift
    if len(drift):
        own = drift[~drift["inherited"].fillna(False).astype(bool)]
        adds = own[own["drift"] == "adds"]
        parts = []
        if len(adds):
            parts.append(
                f"added {_n(adds['claim_id'].nunique(), 'claim')} that no earlier source "
                f"contains ({', '.join(sorted(adds['claim_id'].unique())[:8])}"
                f"{', …' if adds['claim_id'].nunique() > 8 else ''}; by "
                f"{_n(adds['source_id'].nunique(), 'relay')})"
            )
        for kind, verb in (
            ("hardens", "hardened"),
            ("qualifies", "materially changed"),
            ("contradicts", "contradicted"),
            ("omits", "left out"),
        ):
            k = own[own["drift"] == kind]
            if len(k):
                parts.append(f"{verb} {_n(k['claim_id'].nunique(), 'claim')}")
        if parts:
            out.append("The relays " + "; ".join(parts) + ".")
    if len(legs):
        kinds = legs["record_kind"].astype("string").fillna("unknown").value_counts()
        trips = evidence_by_trip(legs)
        strongest = trips["strongest"].astype("string").value_counts()
        out.append(
            f"The travel records ({', '.join(f'{_n(int(n), str(k))}' for k, n in kinds.items())}) "
            f"form {_n(len(trips), 'trip')}; the strongest evidence per trip: "
            + ", ".join(f"{s} for {n}" for s, n in strongest.items())
            + ". A booking shows intent to travel, a manifest boarding."
        )
    else:
        out.append("The case has no travel record: no route is drawn.")
    if acr is not None and len(acr.scores) and acr.scores["n_rated"].fillna(0).sum() > 0:
        best = acr.scores.sort_values("rank").iloc[0]
        out.append(
            f"Of {_n(len(acr.scores), 'hypothesis', 'hypotheses')}, the least inconsistent with "
            f"the rated evidence is {best['hypothesis_id']} ({best['text']}); ACH ranks by "
            f"inconsistency, it does not prove the first."
        )
    else:
        out.append("No hypothesis is rated yet: no ACH ranking (hypotheses.csv, ach.csv).")
    problems = case.problems
    if len(problems):
        out.append(
            f"Loading the case found {_n(len(problems), 'problem')} "
            f"({int((problems['severity'] == 'error').sum())} error(s)); see the problems table."
        )
    return out


# --------------------------------------------------------------------------- tables


def _tables(case: Case, result, acr, legs, events, settings: CaseSettings) -> dict:
    src = case.sources.merge(
        result.origins[["source_id", "origin_id", "depth"]], on="source_id", how="left"
    )
    src_cols = [
        "source_id",
        "title",
        "publisher",
        "published",
        "kind",
        "derived_from",
        "origin_id",
        "depth",
        "reliability",
        "url",
    ]
    problems = [case.problems.assign(stage="load case")]
    for stage, frame in (("corroboration", result.problems), ("ach", acr.problems)):
        if frame is not None and len(frame):
            problems.append(frame.assign(stage=stage))
    tables = {
        "sources": src[[c for c in src_cols if c in src.columns]],
        "claims": case.claims[[c for c in case.claims.columns if not c.startswith("_")]],
        "claim_summary": result.claim_summary,
        "claim_matrix": result.matrix.rename_axis("claim_id"),
        "relay_drift": result.drift,
        "events": events.drop(columns=[c for c in ("row",) if c in events.columns]),
        "legs": legs,
        "trips": evidence_by_trip(legs),
        "inferred_legs": maps.inferred_legs(case, legs),
        "ach_scores": acr.scores,
        "ach_diagnosticity": acr.diagnosticity,
        "problems": pd.concat(problems, ignore_index=True) if len(problems) > 1 else problems[0],
    }
    return tables


def _workbook(tables: dict, stems: dict, path: Path) -> None:
    """One XLSX workbook, a sheet per table, copied cell by cell (values, string
    type, quotePrefix and fonts) from the formula-safe single-sheet files
    :func:`~osint_kit.report.export.save_table` wrote."""
    from copy import copy

    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name in tables:
        src = load_workbook(stems[name]).active
        ws = wb.create_sheet(src.title)
        for row in src.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                d = ws.cell(row=c.row, column=c.column, value=c.value)
                d.data_type = c.data_type
                if c.has_style:
                    d._style = copy(c._style)
        for key, dim in src.column_dimensions.items():
            ws.column_dimensions[key].width = dim.width
        ws.freeze_panes = src.freeze_panes
        ws.auto_filter.ref = src.auto_filter.ref
    wb.properties.creator = f"osint-kit {__version__}"
    wb.save(path)


# --------------------------------------------------------------------------- interop

#: Files of the interop exports (:mod:`osint_kit.report.interop`), in ``interop/``.
INTEROP_FILES = {
    "timelinejs.csv": ("write_timelinejs_csv", "TimelineJS sheet (CSV) of the events"),
    "case.geojson": ("write_geojson", "GeoJSON: places, search areas, legs"),
    "case.kml": ("write_kml", "KML for Google Earth: places, search areas, legs"),
    "entities.ftm.jsonl": ("write_ftm", "FollowTheMoney entities, JSON lines"),
}


def _write_interop(case: Case, folder: Path, manifest: Manifest) -> dict[str, str]:
    """Write the interop exports into ``folder/interop``; returns {file: description}."""
    out = {}
    for name, (func, what) in INTEROP_FILES.items():
        path = getattr(interop, func)(case, folder / "interop" / name)
        manifest.add_output(path, what)
        out[f"interop/{name}"] = what
    return out


# --------------------------------------------------------------------------- build


def build_report(
    case: Case | str | os.PathLike,
    out: str | os.PathLike | None = None,
    *,
    formats: Sequence[str] = ("png", "svg", "pdf"),
    force: bool = False,
    progress: Progress | None = None,
    dpi: int = 200,
) -> Report:
    """Build the report of a case (see the module docstring for what and where).

    Parameters
    ----------
    case : Case, or a slug or folder for :func:`~osint_kit.readers.bundle.load_case`
    out : path, optional
        The report folder (default :func:`default_folder`).
    formats : figure formats; PNG is always written (index.html and report.pdf show it).
    force : write into a folder holding files the kit did not write (they are kept).
    progress : callable(step, steps, text), optional
        Called before each step (the CLI prints it).
    """
    import matplotlib

    t0 = time.perf_counter()
    if not isinstance(case, Case):
        case = load_case(case)
    folder = Path(out) if out is not None else default_folder(case)
    fmts = ["png"] + [f for f in dict.fromkeys(str(x).lower() for x in formats) if f != "png"]
    unknown = [f for f in fmts if f not in ("png", "svg", "pdf")]
    if unknown:
        raise ExportError(
            f"report: unknown figure format(s) {', '.join(unknown)}; use some of png, svg, pdf "
            f"(e.g. --formats png,svg,pdf)."
        )
    own_before, foreign = _check_folder(folder, case, force)
    steps = [
        "computing the analyses",
        "drawing the timeline and story spread",
        "drawing the route map",
        "drawing the relay graph, claim matrix and ACH chart",
        "writing the tables",
        "writing index.html, report.md and report.pdf",
        "writing the manifest",
    ]

    def step(i: int) -> None:
        if progress is not None:
            progress(i + 1, len(steps), steps[i])

    folder.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(folder, meta={"case": case.slug, "kind": "osint-kit report"})
    inputs = sorted(p for p in case.path.rglob("*") if p.is_file() and not p.name.startswith("."))
    manifest.add_inputs(inputs, "case bundle")

    with matplotlib.rc_context(fg.PRINT_RC):  # type: ignore[arg-type]
        step(0)
        settings = case_settings(case)
        timeline = fg.case_events(case).check()
        events = timeline.events
        legs = case_legs(case).check().legs
        result = corroborate(case).check()
        acr = compare_hypotheses(case).check()
        found = findings(case, result, acr, legs, events)

        figdir = folder / "figures"
        drawn: list[fg.Drawn] = []

        def keep(d: fg.Drawn) -> None:
            fg.save_drawn(d, figdir, fmts, dpi=dpi, manifest=manifest)
            d.close()
            drawn.append(d)

        step(1)
        keep(fg.timeline_figure(case, settings, events=events))
        keep(fg.story_spread_figure(case, settings))
        step(2)
        keep(fg.route_figure(case, settings, legs=legs))
        m, _ = fg.route_html(case, settings, legs=legs)
        if m is not None:
            offline.save_offline_html(m, folder / "route_map.html")
            manifest.add_output(folder / "route_map.html", "route map, offline HTML")
        step(3)
        keep(fg.relay_graph_figure(case, settings, result=result))
        keep(fg.relay_graph_figure(case, settings, result=result, focus=True))
        keep(fg.claim_matrix_figure(case, settings, result=result))
        keep(fg.ach_figure(case, settings, acr=acr))

    step(4)
    tables = _tables(case, result, acr, legs, events, settings)
    tabdir = folder / "tables"
    with tempfile.TemporaryDirectory() as tmp:
        stems = {}
        for name, table in tables.items():
            save_table(table, tabdir / name, ("csv",), manifest=manifest)
            stems[name] = save_table(table, Path(tmp) / name, ("xlsx",), sheet_name=name)[0]
        _workbook(tables, stems, folder / "tables.xlsx")
        manifest.add_output(folder / "tables.xlsx", "every table, a sheet each")

    interop = _write_interop(case, folder, manifest)

    step(5)
    doc = {
        "case": case,
        "settings": settings,
        "findings": found,
        "figures": drawn,
        "tables": tables,
        "has_map": m is not None,
        "formats": fmts,
        "interop": interop,
    }
    for writer, name in (
        (write_html, "index.html"),
        (write_markdown, "report.md"),
        (write_pdf, "report.pdf"),
    ):
        manifest.add_output(writer(doc, folder / name), name)

    step(6)
    written = {p for p in manifest.outputs()}
    removed = []
    for p in sorted(own_before - written - {(folder / n).resolve() for n in Manifest.FILES}):
        if p.is_file() and folder.resolve() in p.parents:
            p.unlink()
            removed.append(p)
    for d in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(d.iterdir()):
            d.rmdir()
    manifest.write()
    return Report(
        folder=folder,
        case=case,
        settings=settings,
        findings=found,
        figures=drawn,
        tables=tables,
        files=sorted(written),
        removed=removed,
        foreign=foreign,
        seconds=time.perf_counter() - t0,
    )
