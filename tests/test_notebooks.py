"""Every notebook runs top to bottom, headless, offline, on the bundled case.

Notebooks are committed without outputs; here each is executed with nbclient
in its own folder (so relative paths work as they do for a learner), with its
exports sent to a temporary folder through ``OSINT_KIT_OUTPUT_DIR``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_notebooks():
    names = [p.stem for p in NOTEBOOKS]
    assert "00_start_here" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_with_a_parameters_cell(path):
    nb = _load(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), \
        "strip outputs before committing (jupyter nbconvert --clear-output --inplace)"
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "one settings cell tagged 'parameters'"
    assert nb["cells"][0]["cell_type"] == "markdown"  # opens with a title and the question


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    out = tmp_path / path.stem
    monkeypatch.setenv("OSINT_KIT_OUTPUT_DIR", str(out))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    # each notebook exports something into its output folder
    assert out.is_dir() and any(out.iterdir()), f"{path.name} wrote nothing to {out}"
