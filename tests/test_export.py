"""Tests for osint_kit.report.export: figures, tables (formula injection), manifest."""

from __future__ import annotations

import csv
import hashlib
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from openpyxl import load_workbook

from osint_kit import __version__
from osint_kit.errors import ExportError, OsintKitError
from osint_kit.report.export import (
    Manifest,
    neutralise_formulas,
    save_figure,
    save_table,
)
from osint_kit.views.captions import make_caption

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
            "text": [
                HOSTILE,
                "+cmd",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "-2+3+cmd|' /C calc'!A0",
                "plain",
                "-3",
                None,
            ],
            "n": [1, 2, 3, 4, 5, 6, 7, -3, 9],
            "x": [0.5, -1.25, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, float("nan")],
        }
    )


# ---------------------------------------------------------------- figures


def test_save_figure_writes_each_format_with_magic_bytes(tmp_path, fig):
    paths = save_figure(
        fig, tmp_path / "sub" / "dir" / "fig", caption=make_caption(["Reuters"], "2025-03-31")
    )
    assert [p.name for p in paths] == ["fig.png", "fig.svg", "fig.pdf"]
    png, svg, pdf = (p.read_bytes() for p in paths)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"  # PNG signature
    assert pdf[:5] == b"%PDF-"  # PDF header
    assert b"<svg" in svg[:2000]
    assert all(len(b) > 1000 for b in (png, svg, pdf))
    # the caption is drawn (SVG keeps text as text: see the print test) and then removed again
    assert len(fig.texts) == 0
    assert b"osint-kit" in pdf  # Creator metadata
    assert b"Test figure (N=3)" in svg  # dc:title


def _pdf_font_subtypes(pdf: bytes) -> set[bytes]:
    """The /Subtype of every /Font dictionary in a PDF (dictionaries are not compressed)."""
    import re

    return set(re.findall(rb"/Type\s*/Font\b[^>]*?/Subtype\s*/(\w+)", pdf)) | set(
        re.findall(rb"/Subtype\s*/(\w+)[^>]*?/Type\s*/Font\b", pdf)
    )


def test_save_figure_embeds_truetype_fonts_and_keeps_svg_text(tmp_path, fig):
    # issue 15: matplotlib's default pdf.fonttype 3 embeds Type 3 fonts, which
    # print pipelines reject, and svg.fonttype "path" turns text into outlines
    svg_path, pdf_path = save_figure(
        fig, tmp_path / "print", formats=("svg", "pdf"), caption="Sources: Reuters; JNS."
    )
    pdf = pdf_path.read_bytes()
    subtypes = _pdf_font_subtypes(pdf)
    assert b"Type3" not in subtypes and b"/Subtype /Type3" not in pdf
    # Type 42: a TrueType font (DejaVu Sans) embedded whole or as CID TrueType (FontFile2)
    assert subtypes & {b"TrueType", b"CIDFontType2", b"Type0"} and b"/FontFile2" in pdf
    svg = svg_path.read_text(encoding="utf-8")
    assert "<text" in svg and ">Sources: Reuters; JNS.</text>" in svg  # the caption, as text
    assert "Test figure (N=3)</text>" in svg  # the axes title


def test_save_figure_writes_png_at_200_dpi_by_default(tmp_path):
    from PIL import Image

    f, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    (png,) = save_figure(f, tmp_path / "d", formats=("png",), size=(4, 3))
    plt.close(f)
    # exactly 4 x 3 inches at the default 200 dpi
    assert Image.open(png).size == (800, 600)
    assert Image.open(png).info["dpi"] == pytest.approx((200, 200), abs=0.01)


@pytest.mark.parametrize(
    "size, pixels",
    [
        # inches x 200 dpi, cut to whole pixels (matplotlib truncates)
        ("a4", (1338, 1944)),  # 170 x 247 mm: 6.693 x 9.724 in
        ("a4-half", (1338, 944)),  # 170 x 120 mm: 6.693 x 4.724 in
        ("a4-landscape", (2023, 1338)),  # 257 x 170 mm: 10.118 x 6.693 in
        ("slide", (2666, 1500)),  # 13.333 x 7.5 in, a 16:9 slide
    ],
)
def test_save_figure_size_presets_give_exact_pages(tmp_path, size, pixels):
    from PIL import Image

    from osint_kit.views.sizes import FIGURE_SIZES

    f, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    ax.plot([0, 1], [0, 1])
    (png,) = save_figure(f, tmp_path / size, formats=("png",), size=size, caption="Sources: X.")
    # the file is the page, caption inside; the figure keeps its own size
    assert Image.open(png).size == pixels
    assert tuple(f.get_size_inches()) == (5.0, 4.0) and len(f.texts) == 0
    assert FIGURE_SIZES[size] == pytest.approx(
        {
            "a4": (170 / 25.4, 247 / 25.4),
            "a4-half": (170 / 25.4, 120 / 25.4),
            "a4-landscape": (257 / 25.4, 170 / 25.4),
            "slide": (13.3333333, 7.5),
        }[size]
    )
    plt.close(f)


def test_save_figure_size_caption_sits_inside_the_page_without_a_layout_engine(tmp_path):
    f, ax = plt.subplots(figsize=(6, 4))
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("x label")
    before = ax.get_position().bounds
    seen = {}

    def spy(event):  # measure while save_figure has the figure at its page size
        r = f.canvas.get_renderer()
        seen["caption"] = f.texts[0].get_window_extent(r) if f.texts else None
        seen["axes"] = ax.get_tightbbox(r)

    cid = f.canvas.mpl_connect("draw_event", spy)
    save_figure(f, tmp_path / "c", formats=("png",), size="a4-half", caption="Sources: X.")
    f.canvas.mpl_disconnect(cid)
    cap, axes = seen["caption"], seen["axes"]
    assert cap is not None and cap.y0 >= 0  # on the page
    assert axes.y0 > cap.y1  # the axes (with the x label) above the caption, not over it
    assert ax.get_position().bounds == pytest.approx(before)  # given back as it was
    plt.close(f)


def test_figure_size_refuses_unknown_presets():
    from osint_kit.views.sizes import figure_size

    with pytest.raises(
        OsintKitError, match=r"size 'letter' is not a figure size preset; use one of \['a4'"
    ):
        figure_size("letter")
    with pytest.raises(OsintKitError, match="positive inches"):
        figure_size((0, 3))
    assert figure_size(None, (10, 7.5)) == (10.0, 7.5)


def test_save_figure_svg_and_pdf_are_deterministic(tmp_path, fig):
    a = save_figure(fig, tmp_path / "a", formats=("svg", "pdf"), caption="Sources: X.")
    b = save_figure(fig, tmp_path / "b", formats=("svg", "pdf"), caption="Sources: X.")
    for pa, pb in zip(a, b, strict=True):
        assert hashlib.sha256(pa.read_bytes()).digest() == hashlib.sha256(pb.read_bytes()).digest()


def test_save_figure_caption_grows_png(tmp_path, fig):
    from PIL import Image

    (plain,) = save_figure(fig, tmp_path / "plain", formats=("png",), dpi=50)
    (capt,) = save_figure(
        fig, tmp_path / "capt", formats=("png",), dpi=50, caption="Sources: A; B."
    )
    # the caption sits under the axes, so the tight bounding box is taller
    assert Image.open(capt).size[1] > Image.open(plain).size[1]


def test_save_figure_unknown_format(tmp_path, fig):
    with pytest.raises(ValueError, match="unknown format"):
        save_figure(fig, tmp_path / "x", formats=("docx",))


def test_make_caption():
    assert (
        make_caption(["Reuters", "JNS"], "2025-03-31")
        == "Sources: Reuters; JNS. Material cut-off: 2025-03-31."
    )
    assert make_caption("Reuters") == "Sources: Reuters."
    assert make_caption() == ""


def test_make_caption_is_re_exported_by_export():
    # notebooks 02 and 03 call export.make_caption: the same function, not a copy
    from osint_kit.report import export

    assert export.make_caption is make_caption and "make_caption" in export.__all__


# ---------------------------------------------------------------- tables


def test_neutralise_formulas_frame(hostile_df):
    out = neutralise_formulas(hostile_df)
    assert out["text"].tolist()[:6] == [
        "'" + HOSTILE,
        "'+cmd",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "'-2+3+cmd|' /C calc'!A0",
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
    (csv_path,) = save_table(hostile_df, tmp_path / "t" / "table", formats=("csv",))
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


# ---------------------------------------------------------------- hostile cells (issue 9, item 6)


def test_bytes_cells_are_text_and_neutralised(tmp_path):
    # a bytes cell was stored by openpyxl as a live formula (data_type "f") and
    # written to CSV as "b'=1+1'"
    df = pd.DataFrame({"raw": [b"=1+1", b"\xff=cmd", bytearray(b"ok")]})
    csv_path, xlsx = save_table(df, tmp_path / "b")
    with open(csv_path, newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [["raw"], ["'=1+1"], ["\\xff=cmd"], ["ok"]]
    ws = load_workbook(xlsx).active
    assert [
        (ws.cell(row=r, column=1).value, ws.cell(row=r, column=1).data_type) for r in (2, 3, 4)
    ] == [("=1+1", "s"), ("\\xff=cmd", "s"), ("ok", "s")]
    assert ws["A2"].quotePrefix is True  # the text of a bytes cell is neutralised like a str


@pytest.mark.parametrize(
    "text",
    [
        "\n=1",
        " =1+1",
        "\u3000=1+1",
        "\uff1d1+1",
        "\uff0bcmd",
        "\uff0d2+3",
        "\uff20SUM(A1)",
        "\ufe661+1",
    ],
)
def test_every_formula_prefix_is_neutralised(tmp_path, text):
    # the full-width ＝ (U+FF1D), a leading blank, a line feed and the small
    # forms passed through as they were (= + - @ tab CR, alone or not, were
    # already neutralised: hostile_df)
    df = pd.DataFrame({"t": [text]})
    assert neutralise_formulas(df)["t"].item() == "'" + text
    (xlsx,) = save_table(df, tmp_path / "p", formats=("xlsx",))
    c = load_workbook(xlsx).active["A2"]
    assert (c.data_type, c.quotePrefix) == ("s", True)


def test_plain_numbers_as_text_are_still_left_alone():
    # a negative number kept as text cannot run anything (see the module docstring)
    df = pd.DataFrame({"t": ["-3", "+4.5", " -1e3 ", "-٣"]})
    # the Arabic-Indic digit is not a plain ASCII number: it is neutralised
    assert neutralise_formulas(df)["t"].tolist() == ["-3", "+4.5", " -1e3 ", "'-٣"]


def test_duplicate_column_names_are_a_kit_error(tmp_path):
    # crashed with AttributeError: 'DataFrame' object has no attribute 'dtype'
    df = pd.DataFrame([[1, 2, 3]], columns=["source", "n", "source"])
    with pytest.raises(ExportError) as info:
        save_table(df, tmp_path / "d")
    assert str(info.value) == (
        "save_table: column names repeat: 'source' (columns 1, 3). Give each column its own "
        "name (df.columns = [...], or merge(..., suffixes=('_a', '_b'))) before exporting: a "
        "report column must be citable by its header. Nothing was written."
    )
    assert isinstance(info.value, OsintKitError) and list(tmp_path.iterdir()) == []
    # 1 and "1" are the same header once written
    with pytest.raises(ExportError, match=r"'1' \(columns 1, 2\)"):
        save_table(pd.DataFrame([[1, 2]], columns=[1, "1"]), tmp_path / "d")


def test_control_characters_are_escaped_in_xlsx_and_kept_in_csv(tmp_path):
    # openpyxl raised IllegalCharacterError on NUL, ESC, vertical tab, ...
    # object dtype: a lone surrogate cannot be stored in an Arrow string (pandas with pyarrow)
    df = pd.DataFrame({"id\x01": ["C\x0005", "a\x1b[2Jb", "v\x0bt", "\ud800x"]}, dtype=object)
    csv_path, xlsx = save_table(df, tmp_path / "c")
    ws = load_workbook(xlsx).active
    assert ws["A1"].value == "id\\x01"
    assert [ws.cell(row=r, column=1).value for r in range(2, 6)] == [
        "C\\x0005",
        "a\\x1b[2Jb",
        "v\\x0bt",
        "\\ud800x",
    ]
    # CSV keeps every character (a lone surrogate cannot be UTF-8: it is escaped)
    assert csv_path.read_bytes().decode("utf-8") == (
        "id\x01\r\nC\x0005\r\na\x1b[2Jb\r\nv\x0bt\r\n\\ud800x\r\n"
    )


def test_xlsx_carriage_return_survives(tmp_path):
    # a raw CR in the XML came back as LF ("a\r\nb" read as "a\nb"): the kit writes it as
    # OOXML's _x000D_, and a literal "_x0041_" as "_x005F_x0041_" so it is not taken for an
    # escape; Excel decodes both, openpyxl.utils.escape.unescape the same way
    from openpyxl.utils.escape import unescape

    df = pd.DataFrame({"t": ["a\r\nb", "c\rd", "lit _x0041_ e", "=x\r"]})
    (xlsx,) = save_table(df, tmp_path / "cr", formats=("xlsx",))
    ws = load_workbook(xlsx).active
    raw = [ws.cell(row=r, column=1).value for r in range(2, 6)]
    assert raw == ["a_x000D_\nb", "c_x000D_d", "lit _x005F_x0041_ e", "=x_x000D_"]
    assert [unescape(v) for v in raw] == ["a\r\nb", "c\rd", "lit _x0041_ e", "=x\r"]


def test_xlsx_cells_excel_cannot_hold(tmp_path):
    # a 40,000-character text (Excel repairs the file beyond 32,767), an id of 19
    # digits (Excel rounds it to 15 significant digits) and infinity (no such number)
    df = pd.DataFrame({"t": ["x" * 40_000], "n": [1234567890123456789], "f": [float("-inf")]})
    (xlsx,) = save_table(df, tmp_path / "big", formats=("xlsx",))
    ws = load_workbook(xlsx).active
    note = "… [cut: 40000 characters; the CSV has them all]"
    assert ws["A2"].value == "x" * (32_767 - len(note)) + note
    assert len(ws["A2"].value) == 32_767
    assert (ws["B2"].value, ws["B2"].data_type) == ("1234567890123456789", "s")
    assert (ws["C2"].value, ws["C2"].quotePrefix) == ("-inf", True)


def test_other_objects_become_their_text(tmp_path):
    # a Period raised ValueError in openpyxl; a tz-aware datetime TypeError
    import datetime as dt

    df = pd.DataFrame(
        {
            "o": [
                pd.Period("2024-04", "M"),
                dt.datetime(2024, 4, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
            ]
        }
    )
    (xlsx,) = save_table(df, tmp_path / "o", formats=("xlsx",))
    ws = load_workbook(xlsx).active
    assert ws["A2"].value == "2024-04"
    assert ws["A3"].value == dt.datetime(2024, 4, 24, 7, 0)  # UTC wall time


def test_km_text_rounds_distances_for_people():
    from osint_kit.views.captions import km_text

    # issue 15: labels showed 2464.069468; whole km from 10 km, one decimal below
    assert km_text(2464.069468) == "2,464 km"
    assert km_text(17.93) == "18 km"  # P02's uncertainty radius
    assert km_text(5.04) == "5 km" and km_text(0.42) == "0.4 km"
    assert km_text(float("nan")) == "unknown distance" and km_text(None) == "unknown distance"
