"""The teaching notebooks (00_start_here, 04_exercises, 05_solutions) run headless on
the bundled case AND on the synthetic practice case (issue 12).

tests/test_notebooks.py runs every notebook on the bundled case and on new and
half-filled cases; here the practice case is added, and what the exercises and
solutions notebooks say is checked: the solutions pass every check, a learner's
right answers turn the progress table to ``right``, and an untouched exercises
notebook reports every exercise as ``empty``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from test_exercises import RIGHT  # the instructor's answers (tests only, never the package)

from osint_kit.practice.case import PRACTICE_SLUG

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks"
CASES = ["ru-ir-missile-experts-2024", PRACTICE_SLUG]


def _run(path: Path, out: Path, monkeypatch, case: str, answers: dict | None = None):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("OSINT_KIT_OUTPUT_DIR", str(out))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source, n = re.subn(r"^CASE = .*$", f"CASE = {case!r}", cell.source, flags=re.M)
    assert n == 1
    for eid, value in (answers or {}).items():  # a learner writing their answers
        hits = [c for c in nb.cells if f"ANSWER_{eid} = None" in c.source]
        assert len(hits) == 1, eid
        hits[0].source = hits[0].source.replace(f"ANSWER_{eid} = None", f"ANSWER_{eid} = {value!r}")
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()  # raises CellExecutionError on a failing cell
    return nb


def _stdout(nb) -> str:
    return "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )


@pytest.mark.notebook
@pytest.mark.parametrize("case", CASES)
def test_start_here_runs(case, tmp_path, monkeypatch):
    nb = _run(NB / "00_start_here.ipynb", tmp_path, monkeypatch, case)
    out = _stdout(nb)
    assert "All integrity checks passed" in out
    # the Admiralty example from the case: C01's best supporter is its origin, graded B
    assert "Admiralty code: B2" in out
    assert (tmp_path / "validated-case" / "case.toml").exists()


@pytest.mark.notebook
@pytest.mark.parametrize("case", CASES)
def test_solutions_pass_every_check(case, tmp_path, monkeypatch):
    nb = _run(NB / "05_solutions.ipynb", tmp_path, monkeypatch, case)
    out = _stdout(nb)
    assert out.count("✓") == 14 and "✗" not in out
    table = pd.read_csv(tmp_path / "solutions.csv", dtype=str)
    assert (table["status"] == "right").all() and len(table) == 14
    # the class comparison ran on a synthetic class of six and drew its figure
    assert len(list((tmp_path / "synthetic-class").glob("learner*.csv"))) == 6
    assert (tmp_path / "class_comparison.png").exists()


@pytest.mark.notebook
@pytest.mark.parametrize("case", CASES)
def test_exercises_untouched_then_answered(case, tmp_path, monkeypatch):
    nb = _run(NB / "04_exercises.ipynb", tmp_path / "blank", monkeypatch, case)
    progress = pd.read_csv(tmp_path / "blank" / "my_progress.csv", dtype=str)
    assert (progress["status"] == "empty").all() and len(progress) == 14
    assert _stdout(nb).count("no answer yet") == 14
    # the learner's template for the class comparison: 8 source grades + every ACH cell
    template = pd.read_csv(tmp_path / "blank" / "your-name.csv", dtype=str)
    assert list(template.columns) == ["learner", "kind", "item_id", "rating"]
    assert (template["kind"] == "source_grade").sum() == 8
    # a learner who gets everything right, and one wrong answer of the wrong type
    answers = dict(RIGHT[case], E1=[1, 2])
    nb = _run(NB / "04_exercises.ipynb", tmp_path / "done", monkeypatch, case, answers)
    progress = pd.read_csv(tmp_path / "done" / "my_progress.csv", dtype=str).set_index("id")
    assert progress.loc["E1", "status"] == "invalid"
    assert (progress.drop("E1")["status"] == "right").all()
    assert "you gave a list of 2 values" in _stdout(nb)


def test_teaching_notebooks_committed_clean():
    for name in ("00_start_here", "04_exercises", "05_solutions"):
        nb = json.loads((NB / f"{name}.ipynb").read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    # the learner's notebook holds no answer: every ANSWER_ cell starts at None
    text = (NB / "04_exercises.ipynb").read_text(encoding="utf-8")
    assert len(re.findall(r"ANSWER_[A-Z]\d = None", text)) == 14
    assert len(re.findall(r"ANSWER_[A-Z]\d = (?!None)", text)) == 0


@pytest.mark.notebook
@pytest.mark.parametrize("stem", ["01_timeline", "02_route_map", "03_claim_corroboration"])
def test_story_notebooks_run_on_the_practice_case(stem, tmp_path, monkeypatch):
    # issue 12: every notebook runs on the practice case too (00, 04 and 05 above); run
    # headless with papermill as a teacher would (`papermill -p CASE <slug>`), and the
    # export folder verifies against its manifest
    import papermill as pm
    from test_notebooks import EXPORTS

    from osint_kit.report.integrity import verify

    monkeypatch.setenv("MPLBACKEND", "Agg")
    out = tmp_path / "out"
    pm.execute_notebook(
        str(NB / f"{stem}.ipynb"),
        str(tmp_path / f"{stem}.ipynb"),
        parameters={"CASE": PRACTICE_SLUG, "OUTPUT_DIR": str(out)},
        cwd=str(NB),
        kernel_name="python3",
        progress_bar=False,
    )
    names = {p.name for p in out.iterdir()}
    assert names == EXPORTS[stem] | {"manifest.json", "MANIFEST.csv", "SHA256SUMS"}
    result = verify(out)
    assert result.ok, result.problems()
    # nothing of the bundled story on the practice case's figures (SVG text is text)
    for svg in out.glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert [w for w in ("Reuters", "Moscow", "2024") if w in text] == [], svg.name
