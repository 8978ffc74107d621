"""Tests for osint_kit.export: figures, tables (formula injection), manifest."""

from __future__ import annotations

import csv
import hashlib
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from osint_kit import __version__  # noqa: E402
from osint_kit.errors import OsintKitError  # noqa: E402
from osint_kit.export import (  # noqa: E402
    Manifest,
    make_caption,
    neutralise_formulas,
    save_figure,
    save_table,
)

HOSTILE = '=HYPERLINK("http://x")'


@pytest.fixture
def fig():
    f, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2], [1, 0, 2])
    ax.set_title("Test figure (N=3)")
    yield f
    plt.close(f)


@pytest.fixture
def hostile_df():
    return pd.DataFrame(
        {
            "text": [HOSTILE, "+cmd", "@SUM(A1)", "\tx", "\rx", "-2+3+cmd|' /C calc'!A0", "plain", "-3", None],
            "n": [1, 2, 3, 4, 5, 6, 7, -3, 9],
            "x": [0.5, -1.25, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, float("nan")],
        }
    )


# ---------------------------------------------------------------- figures


def test_save_figure_writes_each_format_with_magic_bytes(tmp_path, fig):
    paths = save_figure(fig, tmp_path / "sub" / "dir" / "fig", caption=make_caption(["Reuters"], "2025-03-31"))
    assert [p.name for p in paths] == ["fig.png", "fig.svg", "fig.pdf"]
    png, svg, pdf = (p.read_bytes() for p in paths)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"  # PNG signature
    assert pdf[:5] == b"%PDF-"  # PDF header
    assert b"<svg" in svg[:2000]
    assert all(len(b) > 1000 for b in (png, svg, pdf))
    # the caption is drawn (SVG keeps text as paths, but the metadata/title survive) and then removed again
    assert len(fig.texts) == 0
    assert b"osint-kit" in pdf  # Creator metadata
    assert b"Test figure (N=3)" in svg  # dc:title


def test_save_figure_svg_and_pdf_are_deterministic(tmp_path, fig):
    a = save_figure(fig, tmp_path / "a", formats=("svg", "pdf"), caption="Sources: X.")
    b = save_figure(fig, tmp_path / "b", formats=("svg", "pdf"), caption="Sources: X.")
    for pa, pb in zip(a, b, strict=True):
        assert hashlib.sha256(pa.read_bytes()).digest() == hashlib.sha256(pb.read_bytes()).digest()


def test_save_figure_caption_grows_png(tmp_path, fig):
    from PIL import Image

    (plain,) = save_figure(fig, tmp_path / "plain", formats=("png",), dpi=50)
    (capt,) = save_figure(fig, tmp_path / "capt", formats=("png",), dpi=50, caption="Sources: A; B.")
    # the caption sits under the axes, so the tight bounding box is taller
    assert Image.open(capt).size[1] > Image.open(plain).size[1]


def test_save_figure_unknown_format(tmp_path, fig):
    with pytest.raises(ValueError, match="unknown format"):
        save_figure(fig, tmp_path / "x", formats=("docx",))


def test_make_caption():
    assert make_caption(["Reuters", "JNS"], "2025-03-31") == "Sources: Reuters; JNS. Material cut-off: 2025-03-31."
    assert make_caption("Reuters") == "Sources: Reuters."
    assert make_caption() == ""


# ---------------------------------------------------------------- tables


def test_neutralise_formulas_frame(hostile_df):
    out = neutralise_formulas(hostile_df)
    assert out["text"].tolist()[:6] == [
        "'" + HOSTILE, "'+cmd", "'@SUM(A1)", "'\tx", "'\rx", "'-2+3+cmd|' /C calc'!A0",
    ]
    # a plain number literal kept as text is harmless and left alone; NA stays NA
    assert out["text"].tolist()[6:8] == ["plain", "-3"]
    assert pd.isna(out["text"].iloc[8])
    # numeric columns untouched, input untouched
    assert out["n"].tolist() == hostile_df["n"].tolist()
    assert hostile_df["text"].iloc[0] == HOSTILE


def test_neutralise_string_dtype_and_header():
    df = pd.DataFrame({"=evil": pd.array(["=1+1", "ok"], dtype="string")})
    out = neutralise_formulas(df)
    assert list(out.columns) == ["'=evil"]
    assert out.iloc[0, 0] == "'=1+1"


def test_save_table_csv_hostile_is_text(tmp_path, hostile_df):
    csv_path, = save_table(hostile_df, tmp_path / "t" / "table", formats=("csv",))
    with open(csv_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["text", "n", "x"]
    assert rows[1][0] == "'" + HOSTILE  # leading apostrophe: a spreadsheet shows text
    assert rows[8] == ["-3", "-3", "7.0"]  # negative number stays a number (data row 8)
    assert rows[2][2] == "-1.25"
    assert len(rows) == 1 + len(hostile_df)  # nothing lost


def test_save_table_xlsx_hostile_is_string_cell(tmp_path, hostile_df):
    (xlsx,) = save_table(hostile_df, tmp_path / "table", formats=("xlsx",), sheet_name="Matrix")
    wb = load_workbook(xlsx)
    ws = wb["Matrix"]
    assert ws.freeze_panes == "A2"
    c = ws["A2"]
    assert c.data_type == "s"  # string cell, never a formula ("f")
    assert c.value == HOSTILE or c.value.startswith("'")
    assert c.quotePrefix is True
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 10))
    # -3 stays numeric
    assert ws["B9"].value == -3 and ws["B9"].data_type == "n"
    assert ws["C3"].value == -1.25 and ws["C3"].data_type == "n"
    assert ws["A10"].value is None  # missing stays empty
    assert ws.max_row == 1 + len(hostile_df)
    assert wb.properties.creator.startswith("osint-kit")
    assert ws.column_dimensions["A"].width >= len(HOSTILE)


def test_save_table_keeps_named_index_and_utf8(tmp_path):
    df = pd.DataFrame({"name": ["Москва", "تهران"]}, index=pd.Index([2, 3], name="row"))
    csv_path, xlsx = save_table(df, tmp_path / "idx")
    assert csv_path.read_bytes().decode("utf-8") == "row,name\r\n2,Москва\r\n3,تهران\r\n"
    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[1]] == ["row", "name"]
    assert ws["B3"].value == "تهران"


def test_save_table_tz_datetimes(tmp_path):
    df = pd.DataFrame({"t": pd.to_datetime(["2024-04-24T10:00:00+03:00"], utc=True)})
    (xlsx,) = save_table(df, tmp_path / "dt", formats=("xlsx",))
    v = load_workbook(xlsx).active["A2"].value
    assert (v.year, v.month, v.day, v.hour) == (2024, 4, 24, 7)  # UTC wall time


# ---------------------------------------------------------------- manifest


def test_manifest_hashes_match_hashlib(tmp_path, fig, hostile_df):
    case_file = tmp_path / "case" / "sources.csv"
    case_file.parent.mkdir()
    case_file.write_text("source_id\nreuters_orig\n", encoding="utf-8")
    out_dir = tmp_path / "report"
    m = Manifest(out_dir)
    m.add_input(case_file, "case sources")
    outs = save_figure(fig, out_dir / "fig", formats=("png",), manifest=m)
    outs += save_table(hostile_df, out_dir / "tab", manifest=m)
    json_path, csv_path = m.write()
    assert json_path == out_dir / "manifest.json" and csv_path == out_dir / "MANIFEST.csv"

    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert doc["kit_version"] == __version__
    assert doc["created_utc"].endswith("Z")
    by_path = {f["path"]: f for f in doc["files"]}
    # every path relative to the manifest directory: no local user paths in a shared report
    assert set(by_path) == {"fig.png", "tab.csv", "tab.xlsx", "../case/sources.csv"}
    for p in [*outs, case_file]:
        key = p.name if p.parent == out_dir else "../case/sources.csv"
        assert by_path[key]["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
        assert by_path[key]["size_bytes"] == p.stat().st_size
    assert by_path["../case/sources.csv"]["role"] == "input"
    assert by_path["fig.png"]["role"] == "output"

    with open(csv_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4
    assert {r["sha256"] for r in rows} == {f["sha256"] for f in doc["files"]}


def test_manifest_missing_file(tmp_path):
    with pytest.raises(OsintKitError, match="does not exist"):
        Manifest(tmp_path).add_output(tmp_path / "nope.png")
