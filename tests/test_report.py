"""osint_kit.report: settings, figures, build_report, the manifest and verify.

Three cases: the bundled one, an empty one (``new_case``) and a small case of
another story (:func:`write_other_story`, synthetic: invented sources,
Lisbon -> Marrakesh flights in 2021), so nothing of the bundled story can hide
in a default.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from osint_kit import load_case, new_case
from osint_kit.errors import CaseFileError, ExportError
from osint_kit.report.build import FIGURE_NAMES, INTEROP_FILES, build_report
from osint_kit.report.export import Manifest, save_table
from osint_kit.report.integrity import verify
from osint_kit.report.settings import case_settings

BUNDLED = "ru-ir-missile-experts-2024"
TABLES = (
    "sources",
    "claims",
    "claim_summary",
    "claim_matrix",
    "relay_drift",
    "events",
    "legs",
    "trips",
    "inferred_legs",
    "ach_scores",
    "ach_diagnosticity",
    "problems",
)
#: words of the bundled story that must never appear on another case's report
BUNDLED_WORDS = ("Reuters", "Amirabad", "Iran", "Tehran", "C02", "2024")

# a small case of another story, invented (synthetic): a relay chain of four sources,
# three claims, two flights, a place given relative to another, two hypotheses
OTHER_STORY_SYNTHETIC = {
    "case.toml": 'title = "Synthetic: a trade delegation flies Lisbon to Marrakesh"\n'
    'question = "Did the delegation travel, and who first said so?"\n'
    'cutoff = "2021-12-31"\nlicence = "CC-BY-4.0"\n',
    "sources.csv": "source_id,title,publisher,url,published,kind,derived_from,reliability,"
    "reliability_rationale,language,notes\n"
    "gazette,Delegation leaves for Marrakesh,Daily Gazette,https://example.org/g,2021-06-02,"
    "primary_reporting,,B,synthetic,en,\n"
    "echo1,Gazette: delegation in Marrakesh,Echo,https://example.org/e1,2021-06-03,"
    "republication,gazette,C,synthetic,en,\n"
    "echo2,Delegation flew twice,Echo Two,https://example.org/e2,2021-06-05,republication,"
    "echo1,D,synthetic,en,\n"
    "blog,Someone said delegation flew,A Blog,https://example.org/b,,republication,echo2,F,"
    "synthetic,en,\n",
    "claims.csv": "claim_id,text,date,place_id,subject,place_name,origin,credibility,notes\n"
    "K1,The delegation was booked Lisbon to Marrakesh,2021-06-01,,,,,,\n"
    "K2,The delegation met officials near the port,June 2021,Q2,,,,,\n"
    "K3,The delegation flew twice,,,,,,,\n",
    "assertions.csv": "source_id,claim_id,stance,summary,notes\n"
    "gazette,K1,supports,,\ngazette,K2,supports,,\necho1,K1,supports,,\n"
    "echo1,K2,qualifies,,\necho2,K1,supports,,\necho2,K3,supports,,\nblog,K1,supports,,\n"
    "blog,K3,supports,,\n",
    "events.csv": "event_id,date,title,category,place_id,place_name,source_url,notes\n"
    "V1,2021-05-20,Trade fair announced,trade,Q1,,,\n"
    "V2,2021-06,Talks held,diplomacy,Q1,,,\n",
    "places.csv": "place_id,name,alt_names,lat,lon,precision,relative_to,distance_km,bearing,"
    "source_url,notes\n"
    "Q1,Marrakesh,,31.6295,-7.9811,city,,,,,synthetic\n"
    "Q2,About 10 km north of Marrakesh,,,,inferred,Q1,10,N,,synthetic\n",
    "travel.csv": "record_id,record_kind,origin,destination,departure,source_id,person_ref,notes\n"
    "R1,booking,LIS,RAK,2021-06-01T09:00,gazette,D-1,\n"
    "R2,manifest,LIS,RAK,2021-06-01T09:00,gazette,D-1,\n",
    "hypotheses.csv": "hypothesis_id,text\nG1,The delegation travelled as booked.\n"
    "G2,The booking was never used.\n",
    "ach.csv": "hypothesis_id,claim_id,rating,credibility,relevance,rationale\n"
    "G1,K1,C,High,High,\nG2,K1,C,High,High,\nG1,K2,C,Medium,Medium,\nG2,K2,I,Medium,Medium,\n",
}


def write_other_story(folder: Path) -> Path:
    """Write the synthetic other-story case into ``folder`` (a new bundle)."""
    folder = new_case(folder)
    for name, text in OTHER_STORY_SYNTHETIC.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _expected_files(figures, *, has_map: bool, formats=("png", "svg", "pdf")) -> set[str]:
    files = {"index.html", "report.md", "report.pdf", "tables.xlsx", *Manifest.FILES}
    files |= {f"tables/{t}.csv" for t in TABLES}
    files |= {f"interop/{n}" for n in INTEROP_FILES}
    files |= {f"figures/{f}.{x}" for f in figures for x in formats}
    if has_map:
        files.add("route_map.html")
    return files


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def bundled_report(tmp_path_factory):
    return build_report(BUNDLED, tmp_path_factory.mktemp("r") / "report")


@pytest.fixture(scope="module")
def other_case(tmp_path_factory):
    return write_other_story(tmp_path_factory.mktemp("c") / "trade-delegation-synthetic")


@pytest.fixture(scope="module")
def other_report(other_case, tmp_path_factory):
    return build_report(other_case, tmp_path_factory.mktemp("r") / "report")


# ---------------------------------------------------------------- settings


def test_bundled_settings_come_from_case_toml():
    s = case_settings(load_case(BUNDLED))
    # case.toml [timeline], [corroboration], [route]: what notebooks 01-03 used to hard-code
    assert s.window == ("2024-01-01", "2025-03-31")
    assert s.highlights[0][:2] == ("2024-04-13", "2024-10-01")
    assert s.annotations == [("2025-03-04", "Reuters report")]
    assert (s.focus_claim, s.site) == ("C02", ("P01", "P02"))
    assert set(s.origin.values()) == {"case.toml"}


def test_other_story_settings_are_computed_from_its_data(other_case):
    s = case_settings(load_case(other_case))
    # events 2021-05-20 .. June 2021, travel 2021-06-01: whole months May-June 2021
    assert s.window == ("2021-05-01", "2021-06-30")
    assert s.highlights == []
    # 'gazette' is the only origin relayed by another source; published 2021-06-02
    assert s.annotations == [("2021-06-02", "Daily Gazette report")]
    # K1 has 4 supporting sources, K3 2, K2 1
    assert s.focus_claim == "K1" and s.claims_shown == ["K1", "K3", "K2"]
    assert s.site == ("Q1", "Q2")  # Q2 is given relative to Q1
    assert s.timeline_title == "Events of the case, 2021"
    assert s.origin["window"] == "computed"
    # centred between Marrakesh (31.6295) and Q2, computed 10 km north of it (+0.0902°)
    assert s.map_center == [31.6746, -7.9811]


def test_empty_case_settings_have_no_story(tmp_path):
    s = case_settings(load_case(new_case(tmp_path / "e")))
    assert (s.window, s.highlights, s.annotations, s.focus_claim, s.site) == (
        None,
        [],
        [],
        None,
        None,
    )
    assert s.map_center == [45.0, 47.0]  # the kit's default view, no place to centre on


@pytest.mark.parametrize(
    "toml, words",
    [
        ('[timeline]\nwindow = ["2021-13-01", "2021-06-30"]\n', "[timeline] window"),
        ('[timeline]\nwindow = "2021"\n', "list of 2 ids"),
        ('[timeline]\nhighlights = [{start = "2021-01-01"}]\n', "end, label missing"),
        ('[corroboration]\nfocus_claim = "NOPE"\n', "'NOPE' is not a claim_id"),
        ('[route]\nsite = ["Q1", "ZZ"]\n', "ZZ not a place_id"),
        ("timeline = 3\n", "must be a table"),
    ],
)
def test_a_malformed_setting_is_a_kit_error_naming_it(other_case, tmp_path, toml, words):
    folder = tmp_path / "c"
    shutil.copytree(other_case, folder)
    with open(folder / "case.toml", "a", encoding="utf-8") as fh:
        fh.write(toml)
    with pytest.raises(CaseFileError, match=re.escape(words)):
        case_settings(load_case(folder))


# ---------------------------------------------------------------- the bundled case


def test_bundled_report_has_every_artefact(bundled_report):
    folder = bundled_report.folder
    assert _files(folder) == _expected_files(FIGURE_NAMES, has_map=True)
    # every figure drawn, none replaced by a sentence
    assert [d.name for d in bundled_report.figures] == list(FIGURE_NAMES)
    assert not [d.missing for d in bundled_report.figures if d.missing]


def test_bundled_report_findings_are_computed(bundled_report):
    text = "\n".join(bundled_report.findings)
    # 41 sources (38 outlets + 3 inputs behind Reuters), 38 claims, 404 assertions
    assert "41 sources, 38 claims and 404 stances" in text
    # origins: the 3 inputs and the sources of events E04, E13, E16; 39 of the 41 lead back
    # to booking_records (through Reuters; tests/test_notebooks.py, notebook 03's text)
    assert "lead to 6 origins; 39 of them to booking_records alone" in text
    # C24, C25, C27 are also backed by events: 35 of 38 on a single origin
    assert "35 of the 38 supported claims rest on a single origin" in text
    # relay_drift: 18 distinct claims with a non-inherited 'adds' row
    assert "The relays added 18 claims that no earlier source contains" in text
    assert "intent (booking) for 1, boarding (manifest) for 1" in text  # T1 / T2+T3
    assert "H1" in text and "2025-10-02" in text


def test_bundled_index_html(bundled_report):
    html = bundled_report.index.read_text(encoding="utf-8")
    case = load_case(BUNDLED)
    assert "<script" not in html.lower()
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    imgs = re.findall(r'<img src="figures/([a-z_]+)\.png" alt="([^"]+)">', html)
    assert [n for n, _ in imgs] == list(FIGURE_NAMES)
    assert all(len(alt) > 40 for _, alt in imgs)  # a sentence, not a file name
    assert html.count("<figcaption>") == len(FIGURE_NAMES)
    for t in TABLES:
        assert f'id="table-{t}"' in html and f'href="tables/{t}.csv"' in html
    # every source listed with its grade; http(s) URLs become links
    assert html.count("<li><b>[") == len(case.sources)
    assert (
        html.count('rel="noreferrer noopener"') == case.sources["url"].str.match(r"https?://").sum()
    )
    assert 'href="route_map.html"' in html
    assert all(f'href="interop/{n}"' in html for n in INTEROP_FILES)


def test_bundled_workbook_has_a_sheet_per_table(bundled_report):
    from openpyxl import load_workbook

    wb = load_workbook(bundled_report.folder / "tables.xlsx")
    assert wb.sheetnames == list(TABLES)
    # claim_summary: 38 claims + a header row
    assert wb["claim_summary"].max_row == 39
    csv = pd.read_csv(bundled_report.folder / "tables" / "claim_summary.csv")
    assert len(csv) == 38


def test_bundled_pdfs_embed_truetype_fonts(bundled_report):
    report = (bundled_report.folder / "report.pdf").read_bytes()
    assert report.startswith(b"%PDF") and b"/FontFile2" in report  # TrueType, embedded
    fig = (bundled_report.folder / "figures" / "claim_matrix.pdf").read_bytes()
    # pdf.fonttype 42: TrueType (Type 42), never Type 3 (print pipelines reject it)
    assert b"/FontFile2" in fig and b"/Type3" not in fig
    svg = (bundled_report.folder / "figures" / "claim_matrix.svg").read_text(encoding="utf-8")
    assert "<text" in svg  # svg.fonttype none: text stays text


def test_markdown_report(bundled_report):
    md = (bundled_report.folder / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Russian missile specialists")
    assert md.count("![") == len(FIGURE_NAMES)
    assert all(f"### {t.replace('_', chr(92) + '_')}" in md for t in TABLES)


# ---------------------------------------------------------------- manifest and verify


def test_verify_passes_and_sha256sum_agrees(bundled_report):
    result = verify(bundled_report.folder)
    assert result.ok, result.problems()
    n_inputs = sum(1 for p in load_case(BUNDLED).path.rglob("*") if p.is_file())
    assert result.counts() == {"ok": len(result.files), "changed": 0, "missing": 0, "extra": 0}
    assert (result.files["role"] == "input").sum() == n_inputs
    if shutil.which("sha256sum"):
        done = subprocess.run(
            ["sha256sum", "--quiet", "-c", "SHA256SUMS"],
            cwd=bundled_report.folder,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    doc = json.loads((bundled_report.folder / "manifest.json").read_text(encoding="utf-8"))
    assert doc["case"] == BUNDLED and doc["kit_version"] and doc["created_utc"].endswith("Z")


def test_verify_detects_a_one_byte_change_to_any_input_or_output(other_case, tmp_path):
    case = tmp_path / "case"
    shutil.copytree(other_case, case)
    report = build_report(case, tmp_path / "out", formats=("png",))
    listed = verify(report.folder).files
    assert set(listed["role"]) == {"input", "output"}
    for rel in listed["path"]:
        p = (report.folder / rel).resolve()
        data = p.read_bytes()
        p.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one byte, one bit
        try:
            bad = verify(report.folder).problems()
            assert bad[["path", "status"]].values.tolist() == [[rel, "changed"]], rel
        finally:
            p.write_bytes(data)
    assert verify(report.folder).ok


def test_verify_reports_missing_and_extra(bundled_report, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(bundled_report.folder, folder)
    # the inputs are outside the copy now: they keep their relative paths, so re-point them
    doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for f in doc["files"]:
        if f["role"] == "input":
            f["path"] = str((bundled_report.folder / f["path"]).resolve())
    (folder / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    (folder / "figures" / "ach.svg").unlink()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = verify(folder)
    assert result.problems()[["path", "status"]].values.tolist() == [
        ["figures/ach.svg", "missing"],
        ["notes.txt", "extra"],
    ]


def test_verify_without_a_manifest_is_a_kit_error(tmp_path):
    with pytest.raises(ExportError, match="no manifest.json"):
        verify(tmp_path)


def test_a_file_changed_after_being_written_is_caught(tmp_path):
    # the manifest hashes a file when it is added and again before writing: a change in
    # between (another process) is refused, not recorded in its changed state
    m = Manifest(tmp_path)
    (path,) = save_table(pd.DataFrame({"a": [1]}), tmp_path / "t", ("csv",), manifest=m)
    path.write_text("a\r\n2\r\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"changed after the kit wrote .* t\.csv \(output\)"):
        m.write()
    assert not (tmp_path / "manifest.json").exists()


def test_sha256sums_escapes_odd_names(tmp_path):
    m = Manifest(tmp_path)
    odd = tmp_path / "a\\b.csv"
    odd.write_text("x", encoding="utf-8")
    m.add_output(odd)
    m.write()
    line = (tmp_path / "SHA256SUMS").read_text(encoding="utf-8")
    assert line.startswith("\\") and line.endswith("  a\\\\b.csv\n")  # GNU coreutils escaping
    if shutil.which("sha256sum"):
        done = subprocess.run(
            ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr


# ---------------------------------------------------------------- ownership


def test_rerun_replaces_only_what_it_owns(other_case, tmp_path):
    case = tmp_path / "case"
    shutil.copytree(other_case, case)
    out = tmp_path / "out"
    first = build_report(case, out, formats=("png",))
    assert (out / "figures" / "ach.png").is_file()
    # the case loses its hypotheses: the rerun deletes the ACH figure it no longer draws
    (case / "hypotheses.csv").write_text("hypothesis_id,text\n", encoding="utf-8")
    (case / "ach.csv").write_text(
        "hypothesis_id,claim_id,rating,credibility,relevance,rationale\n", encoding="utf-8"
    )
    second = build_report(case, out, formats=("png",))
    assert not (out / "figures" / "ach.png").exists()
    assert [p.name for p in second.removed] == ["ach.png"]
    assert _files(out) == _expected_files(
        [f for f in FIGURE_NAMES if f != "ach"], has_map=True, formats=("png",)
    )
    assert len(first.files) == len(second.files) + 1
    assert verify(out).ok


def test_a_folder_with_foreign_files_is_refused_unless_force(other_case, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "my notes.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match=r"1 file\(s\) that osint-kit did not write.*my notes"):
        build_report(other_case, out, formats=("png",))
    assert _files(out) == {"my notes.docx"}  # nothing written
    report = build_report(other_case, out, formats=("png",), force=True)
    assert (out / "my notes.docx").read_text(encoding="utf-8") == "mine"  # kept
    assert [p.name for p in report.foreign] == ["my notes.docx"]
    assert verify(out).problems()["status"].tolist() == ["extra"]


def test_another_case_s_report_is_refused(other_case, tmp_path, bundled_report):
    out = tmp_path / "out"
    shutil.copytree(bundled_report.folder, out)
    with pytest.raises(ExportError, match="report of another case"):
        build_report(other_case, out, formats=("png",))


# ---------------------------------------------------------------- the empty case


def test_empty_case_report_says_what_is_missing(tmp_path):
    case = new_case(tmp_path / "cases" / "my-case")
    report = build_report(case, tmp_path / "reports" / "my-case")
    # nothing to draw: no figure file, a sentence for each instead; every table with headers
    assert _files(report.folder) == _expected_files((), has_map=False)
    assert all(d.ax is None and d.missing for d in report.figures)
    html = report.index.read_text(encoding="utf-8")
    assert html.count('class="missing"') >= len(FIGURE_NAMES)
    assert "No cut-off date" in html and "No question yet" in html
    for word in BUNDLED_WORDS:
        assert word not in html, word
    assert verify(report.folder).ok
    assert "No hypothesis is rated yet" in "\n".join(report.findings)


# ---------------------------------------------------------------- a case of another story


def test_other_story_report_has_every_artefact_and_nothing_of_the_bundled_story(other_report):
    folder = other_report.folder
    assert _files(folder) == _expected_files(FIGURE_NAMES, has_map=True)
    assert not [d.missing for d in other_report.figures if d.missing]
    # route_map.html aside: its inlined Natural Earth basemap names every country
    # (of an SVG, its text elements only: "2024" may be a coordinate)
    texts = [
        p.read_text(encoding="utf-8")
        for p in folder.rglob("*")
        if p.suffix in (".html", ".md", ".csv") and p.name != "route_map.html"
    ] + [
        " ".join(re.findall(r">([^<>]+)</t", p.read_text(encoding="utf-8")))
        for p in folder.rglob("*.svg")
    ]
    for word in BUNDLED_WORDS:
        assert not [t for t in texts if word in t], word
    html = other_report.index.read_text(encoding="utf-8")
    assert "Synthetic: a trade delegation flies Lisbon to Marrakesh" in html
    text = "\n".join(other_report.findings)
    # gazette -> echo1 -> echo2 -> blog: one origin for all four
    assert "the 4 sources lead to 1 origin: gazette" in text
    # K3 first appears in echo2: its own origin; all 3 supported claims have one origin
    assert "3 of the 3 supported claims rest on a single origin" in text
    assert "boarding (manifest) for 1" in text  # R1 booking + R2 manifest, one trip
    assert verify(folder).ok


def test_hostile_source_text_stays_text_in_every_document(other_case, tmp_path):
    case = tmp_path / "case"
    shutil.copytree(other_case, case)
    src = (case / "sources.csv").read_text(encoding="utf-8")
    src = src.replace(
        "Delegation leaves for Marrakesh",
        '"<script>window.__pwned=1</script><img src=x onerror=alert(1)>{{7*7}}"',
    ).replace("https://example.org/e1", "javascript:alert(1)")
    (case / "sources.csv").write_text(src, encoding="utf-8")
    report = build_report(case, tmp_path / "out", formats=("png",))
    html = report.index.read_text(encoding="utf-8")
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html  # shown as written
    assert 'href="javascript' not in html and "javascript:alert(1)" in html  # text, no link
    md = (report.folder / "report.md").read_text(encoding="utf-8")
    assert "<script" not in md and "&lt;script&gt;" in md
