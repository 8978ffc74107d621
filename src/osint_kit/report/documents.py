"""The report's documents: ``index.html``, ``report.md`` and ``report.pdf``.

All three show the same content, in the same order: title, question, cut-off,
findings, every figure (with its caption and alt text, or the sentence saying
why there is none), every table, the sources with their grades and links.

Hostile text stays text:

* ``index.html``: every text from the case goes through
  :func:`osint_kit.views.htmltext.inert`; the page carries no script and a
  Content-Security-Policy that forbids any (``default-src 'none'``), so even
  markup that slipped through could not run; a source URL becomes a link
  only when it is ``http(s)://`` (never ``javascript:``).
* ``report.md``: HTML characters become entities, Markdown punctuation is
  backslash-escaped, line breaks become spaces, so a title cannot open a
  link, an image or raw HTML in a Markdown renderer.
* ``report.pdf`` (fpdf2): text is drawn as text with DejaVu Sans embedded as
  a TrueType subset (the font matplotlib ships, so nothing to install);
  nothing in a PDF text is markup.  fpdf2 was chosen over matplotlib's
  PdfPages because it flows and wraps text and tables across pages and makes
  real links; it is pure Python (fonttools, defusedxml, Pillow) and maintained.

Tables show at most :data:`ROWS_SHOWN` rows in HTML and :data:`PDF_ROWS` in
the PDF (the CSV and the workbook have them all, and the document says so);
the PDF, on an A4 page, shows a table's first :data:`PDF_COLUMNS` columns.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from osint_kit import __version__
from osint_kit.views.htmltext import inert

__all__ = ["PDF_ROWS", "ROWS_SHOWN", "cell_text", "write_html", "write_markdown", "write_pdf"]

#: Rows of a table shown in index.html and report.pdf.
ROWS_SHOWN = 200
#: Rows of a table shown in report.pdf (print: an excerpt; the CSV has them all).
PDF_ROWS = 40
#: Columns of a table shown in report.pdf (A4 portrait).
PDF_COLUMNS = 6
_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)

_CSP = (
    "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_STYLE = """
body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:72rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.7rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.2rem}
figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9rem;color:#444}.alt{font-size:.85rem;color:#555}
.missing{background:#fff7e0;border-left:4px solid #e0a800;padding:.5rem .8rem}
table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0 1rem;display:block;
overflow-x:auto}th,td{border:1px solid #ddd;padding:.15rem .4rem;vertical-align:top;
text-align:left}th{background:#f3f3f3}.note{font-size:.85rem;color:#555}
"""


def cell_text(v) -> str:
    """A cell as report text: empty for NA, ISO for dates, trimmed decimals."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, float | np.floating):
        f = float(v)
        if np.isnan(f):
            return ""
        return f"{f:,.2f}".rstrip("0").rstrip(".") if abs(f) >= 1 else f"{f:.3g}"
    if isinstance(v, pd.Timestamp | dt.datetime):
        return v.isoformat().replace("+00:00", "Z")
    return str(v)


def _cells(df: pd.DataFrame, n: int | None = None) -> tuple[list[str], list[list[str]]]:
    part = df if n is None else df.head(n)
    if not (isinstance(part.index, pd.RangeIndex) and part.index.name is None):
        part = part.reset_index()
    header = [str(c) for c in part.columns]
    rows = [[cell_text(v) for v in row] for row in part.itertuples(index=False)]
    return header, rows


def _sources(case) -> pd.DataFrame:
    src = case.sources
    cols = ["source_id", "reliability", "publisher", "title", "published", "url"]
    return src[[c for c in cols if c in src.columns]]


def _figure_files(d, formats) -> list[str]:
    return [f"figures/{d.name}.{f}" for f in formats]


# --------------------------------------------------------------------------- HTML


def write_html(doc: dict, path: Path) -> Path:
    """Write ``index.html`` (see the module docstring); returns its path."""
    case = doc["case"]
    cut = case.cutoff.date().isoformat() if case.cutoff is not None else None
    h: list[str] = []
    add = h.append
    add('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    add(f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f"<title>{inert(case.title)}</title><style>{_STYLE}</style></head><body>")
    add(f"<h1>{inert(case.title)}</h1>")
    q = case.meta.get("question")
    add(
        f"<p><b>Question:</b> {inert(q)}</p>"
        if q
        else '<p class="missing">No question yet: add <code>question</code> to case.toml.</p>'
    )
    add(
        f"<p><b>Material cut-off:</b> {inert(cut)}"
        + (f" — {inert(case.meta['cutoff_note'])}" if case.meta.get("cutoff_note") else "")
        + "</p>"
        if cut
        else '<p class="missing">No cut-off date: add <code>cutoff = "YYYY-MM-DD"</code> '
        "(the day of the latest material read) to case.toml.</p>"
    )
    add(
        f'<p class="note">Case <code>{inert(case.slug)}</code>; built by osint-kit '
        f"{inert(__version__)}. Every file of this folder is listed with its sha256 in "
        "manifest.json and SHA256SUMS: check it with <code>osint-kit verify</code> or "
        "<code>sha256sum -c SHA256SUMS</code>.</p>"
    )
    add('<h2 id="findings">Findings</h2><ul>')
    h.extend(f"<li>{inert(s)}</li>" for s in doc["findings"])
    add("</ul>")
    add('<h2 id="figures">Figures</h2>')
    for i, d in enumerate(doc["figures"], start=1):
        add(f'<section id="fig-{inert(d.name)}"><h3>Figure {i}. {inert(d.title)}</h3>')
        if d.ax is None:
            add(f'<p class="missing">{inert(d.missing)}</p></section>')
            continue
        links = " · ".join(
            f'<a href="{inert(f)}">{inert(f.rsplit(".", 1)[1].upper())}</a>'
            for f in _figure_files(d, doc["formats"])
        )
        extra = ""
        if d.name == "route_map" and doc["has_map"]:
            extra = ' · <a href="route_map.html">interactive map (works offline)</a>'
        add(
            f'<figure><img src="figures/{inert(d.name)}.png" alt="{inert(d.alt)}">'
            f"<figcaption>{inert(d.caption)} Files: {links}{extra}.</figcaption>"
            f'<p class="alt">What it shows: {inert(d.alt)}</p></figure></section>'
        )
    add(
        '<h2 id="tables">Tables</h2><p class="note">Every table is in '
        '<a href="tables.xlsx">tables.xlsx</a> (a sheet each) and in tables/ as CSV '
        "(formulas neutralised).</p>"
    )
    for name, table in doc["tables"].items():
        header, rows = _cells(table, ROWS_SHOWN)
        add(
            f'<section id="table-{inert(name)}"><h3>{inert(name)}</h3><p class="note">'
            f'{len(table)} row(s); <a href="tables/{inert(name)}.csv">CSV</a>'
            + (f"; the first {ROWS_SHOWN} shown" if len(table) > ROWS_SHOWN else "")
            + "</p>"
        )
        if not len(table):
            add('<p class="missing">No rows.</p></section>')
            continue
        add(
            "<table><thead><tr>"
            + "".join(f"<th>{inert(c)}</th>" for c in header)
            + "</tr></thead><tbody>"
        )
        h.extend("<tr>" + "".join(f"<td>{inert(v)}</td>" for v in r) + "</tr>" for r in rows)
        add("</tbody></table></section>")
    add('<h2 id="interop">Exports for other tools</h2><ul>')
    h.extend(
        f'<li><a href="{inert(f)}">{inert(f)}</a>: {inert(what)}</li>'
        for f, what in doc.get("interop", {}).items()
    )
    add("</ul>")
    add('<h2 id="sources">Sources</h2>')
    src = _sources(case)
    if src.empty:
        add('<p class="missing">No source yet: add rows to sources.csv.</p>')
    else:
        add(
            '<p class="note">Grade: Admiralty source reliability, A (reliable) to F (cannot '
            "be judged).</p><ol>"
        )
        for r in src.itertuples(index=False):
            url = cell_text(getattr(r, "url", ""))
            link = (
                f' <a href="{inert(url)}" rel="noreferrer noopener">{inert(url)}</a>'
                if _URL.match(url)
                else (f" {inert(url)}" if url else "")
            )
            add(
                f"<li><b>[{inert(cell_text(r.reliability))}]</b> "
                f"<code>{inert(r.source_id)}</code> {inert(cell_text(r.publisher))}: "
                f"<i>{inert(cell_text(r.title))}</i> ({inert(cell_text(r.published)) or 'undated'})"
                f"{link}</li>"
            )
        add("</ol>")
    add("</body></html>\n")
    path.write_text("\n".join(h), encoding="utf-8", errors="strict")
    return path


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def _md(text) -> str:
    """Text that a Markdown renderer shows as written (no link, image, HTML, emphasis)."""
    t = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    t = re.sub(r"[\r\n]+", " ", t)
    return _MD_SPECIAL.sub(r"\\\1", t)


def write_markdown(doc: dict, path: Path) -> Path:
    """Write ``report.md`` (see the module docstring); returns its path."""
    case = doc["case"]
    cut = case.cutoff.date().isoformat() if case.cutoff is not None else None
    lines = [f"# {_md(case.title)}", ""]
    q = case.meta.get("question")
    lines += [f"**Question:** {_md(q)}" if q else "No question yet (case.toml `question`).", ""]
    lines += [
        f"**Material cut-off:** {_md(cut)}" if cut else "No cut-off date yet (case.toml `cutoff`).",
        "",
        "## Findings",
        "",
    ]
    lines += [f"- {_md(s)}" for s in doc["findings"]] + ["", "## Figures", ""]
    for i, d in enumerate(doc["figures"], start=1):
        lines += [f"### Figure {i}. {_md(d.title)}", ""]
        if d.ax is None:
            lines += [f"*{_md(d.missing)}*", ""]
            continue
        lines += [f"![{_md(d.alt)}](figures/{d.name}.png)", "", _md(d.caption), ""]
    lines += ["## Tables", "", "Every table is in `tables.xlsx` and `tables/<name>.csv`.", ""]
    for name, table in doc["tables"].items():
        header, rows = _cells(table)
        lines += [f"### {_md(name)}", "", f"{len(table)} row(s); [CSV](tables/{name}.csv)", ""]
        if not rows:
            continue
        lines.append("| " + " | ".join(_md(c) for c in header) + " |")
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(_md(v) for v in r) + " |" for r in rows]
        lines.append("")
    lines += ["## Exports for other tools", ""]
    lines += [f"- [{f}]({f}): {_md(what)}" for f, what in doc.get("interop", {}).items()]
    lines += ["", "## Sources", ""]
    for r in _sources(case).itertuples(index=False):
        url = cell_text(getattr(r, "url", ""))
        link = f" <{url}>" if _URL.match(url) else (f" {_md(url)}" if url else "")
        lines.append(
            f"1. **\\[{_md(cell_text(r.reliability))}\\]** `{str(r.source_id).replace('`', '')}` "
            f"{_md(cell_text(r.publisher))}: *{_md(cell_text(r.title))}* "
            f"({_md(cell_text(r.published)) or 'undated'}){link}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- PDF


def _font_paths() -> dict[str, Path]:
    import matplotlib

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {
        "": ttf / "DejaVuSans.ttf",
        "B": ttf / "DejaVuSans-Bold.ttf",
        "I": ttf / "DejaVuSans-Oblique.ttf",
    }


def _pdf_text(text) -> str:
    """Text fpdf2 can draw: control characters shown as escapes (never dropped)."""
    return re.sub(
        r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]",
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}",
        str(text),
    )


def write_pdf(doc: dict, path: Path) -> Path:
    """Write the printable ``report.pdf`` (A4; see the module docstring)."""
    import logging

    from fpdf import FPDF
    from fpdf.fonts import FontFace

    logging.getLogger("fpdf").setLevel(logging.ERROR)  # missing glyphs: said once, not per cell
    case = doc["case"]
    cut = case.cutoff.date().isoformat() if case.cutoff is not None else None
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))  # same bytes on a rerun
    pdf.set_title(_pdf_text(case.title))
    pdf.set_creator(f"osint-kit {__version__}")
    pdf.set_auto_page_break(True, margin=15)
    for style, p in _font_paths().items():
        pdf.add_font("DejaVu", style, str(p))
    pdf.add_page()
    width = pdf.epw

    def para(text, size=10, style="", h=5.0, link=None):
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(width, h, _pdf_text(text), new_x="LMARGIN", new_y="NEXT", link=link)

    def heading(text, size=14):
        pdf.ln(3)
        para(text, size, "B", h=size * 0.5)
        pdf.ln(1)

    para(case.title, 18, "B", h=9)
    q = case.meta.get("question")
    para(f"Question: {q}" if q else "No question yet (case.toml question).")
    para(f"Material cut-off: {cut}" if cut else "No cut-off date yet (case.toml cutoff).")
    para(
        f"Case {case.slug}; osint-kit {__version__}. Files and sha256: manifest.json, "
        "SHA256SUMS (osint-kit verify).",
        8,
    )
    heading("Findings")
    for s in doc["findings"]:
        para("• " + s)
    heading("Figures")
    for i, d in enumerate(doc["figures"], start=1):
        heading(f"Figure {i}. {d.title}", 11)
        if d.ax is None:
            para(d.missing, 10, "I")
            continue
        png = path.parent / "figures" / f"{d.name}.png"
        from PIL import Image

        with Image.open(png) as im:
            w_px, h_px = im.size
        w = width
        h = w * h_px / w_px
        room = pdf.eph - 30
        if h > room:
            h, w = room, room * w_px / h_px
        if pdf.get_y() + h > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.image(str(png), w=w, h=h, alt_text=_pdf_text(d.alt))
        para(d.caption, 8)
    heading("Tables")
    para("Every table, with every row and column, is in tables.xlsx and tables/<name>.csv.", 9)
    for name, table in doc["tables"].items():
        heading(name, 11)
        header, rows = _cells(table, PDF_ROWS)
        cols = header[:PDF_COLUMNS]
        note = f"{len(table)} row(s)"
        if len(header) > PDF_COLUMNS:
            note += f"; the first {PDF_COLUMNS} of {len(header)} columns shown"
        if len(table) > PDF_ROWS:
            note += f"; the first {PDF_ROWS} rows shown"
        para(note + ".", 8)
        if not rows:
            continue
        pdf.set_font("DejaVu", "", 6.5)
        with pdf.table(
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            line_height=3.2,
            text_align="LEFT",
            width=width,
        ) as t:
            r = t.row()
            for c in cols:
                r.cell(_pdf_text(c))
            for row in rows:
                r = t.row()
                for v in row[:PDF_COLUMNS]:
                    r.cell(_pdf_text(v[:300] + ("…" if len(v) > 300 else "")))
    heading("Sources")
    src = _sources(case)
    if src.empty:
        para("No source yet (sources.csv).", 10, "I")
    para("Grade: Admiralty source reliability, A (reliable) to F (cannot be judged).", 8)
    for r in src.itertuples(index=False):
        url = cell_text(getattr(r, "url", ""))
        para(
            f"[{cell_text(r.reliability)}] {r.source_id} {cell_text(r.publisher)}: "
            f"{cell_text(r.title)} ({cell_text(r.published) or 'undated'})",
            8,
            h=4,
        )
        if url:
            para(url, 7, h=3.5, link=url if _URL.match(url) else None)
    pdf.output(str(path))
    return path
