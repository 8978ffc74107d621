"""`python -m benchmarks` writes its table (issue 13 section 4); no timing is asserted.

The benchmarks are measurements, never tests: here only the harness is checked --
a ``--quick`` run writes RESULTS.md with the table and the goals, a library that is
not installed becomes a row saying so, and the goals are judged from the numbers.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_main", REPO / "benchmarks" / "__main__.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_main"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_quick_run_writes_the_table(tmp_path):
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "ach", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    # the header names the command, the machine and the interpreter
    assert "Written by `python -m benchmarks --quick --only ach --out " in text
    assert "- machine: " in text and f"- python: {sys.version.split()[0]}" in text
    # one row: the kit against the per-rating loop, both timed, the ratio and both peaks
    row = next(line for line in text.splitlines() if line.startswith("| ach |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[:3] == ["ach", "2,000 ratings", "compare_hypotheses"]
    assert re.fullmatch(r"\d+\.\d{3} s", cells[3]), cells[3]  # kit time
    assert cells[4] == "per-rating Python loop (agrees)"
    assert re.fullmatch(r"\d+\.\d{3} s", cells[5]), cells[5]  # anchor time
    assert re.fullmatch(r"\d+\.\d\d", cells[6]), cells[6]  # kit ÷ anchor
    assert re.fullmatch(r"[\d,]+", cells[7]) and re.fullmatch(r"[\d,]+", cells[8])  # MB
    # the loop agreed with the kit before it was timed (the task raises otherwise)
    assert "anchor: agree True" in cells[9]
    assert "## Goals of issue 13" in text and "3. **Dask past one machine: not met**" in text


def test_a_library_that_is_not_installed_is_a_row_saying_so(tmp_path):
    bench = _bench()
    path = tmp_path / "acled_synthetic.csv"
    path.write_text("event_id_cnty,event_date\nSYN1,2024-01-02\nSYN2,2024-01-03\n")
    got = bench.run(
        sys.executable,
        {"task": "acled.pyarrow", "path": str(path), "workload": "acled", "repeat": 1},
        timeout=300,
    )
    if importlib.util.find_spec("pyarrow") is None:
        assert got.error == "not installed (pyarrow)" and got.seconds is None
    else:  # read for real: two rows
        assert got.error is None and got.info == {"rows": 2} and got.seconds > 0


def test_goals_are_judged_from_the_numbers():
    bench = _bench()
    kit = bench.Result(seconds=2.0, peak_mb=300.0)
    rows = [
        bench.Row(
            "bookings",
            "1,000,000 rows, 100 MB",
            kit,
            "pandas.read_csv alone",
            bench.Result(seconds=1.0, peak_mb=250.0),
            100.0,
        ),
        bench.Row(
            "bookings",
            "1,000,000 rows, 100 MB",
            kit,
            "polars read + normalise",
            bench.Result(seconds=0.5, peak_mb=400.0),
            100.0,
        ),
    ]
    text = "\n".join(bench.goals(rows, bench.FULL))
    # 2.0 s / 0.5 s = 4.00x polars: goal 1 not met; 300 MB for a 100 MB file = 3.0x: met
    assert (
        "bookings (1,000,000 rows, 100 MB): read_bookings 2.000 s vs polars read + "
        "normalise 0.500 s: 4.00× (goal ≤ 1.0×): **not met**"
    ) in text
    assert "bookings (1,000,000 rows, 100 MB): 300 MB = 3.0× the file: met" in text
    table = bench.table(rows)
    # kit ÷ anchor per row, and the peak as a multiple of the file
    assert table[2].split("|")[7].strip() == "2.00"
    assert table[3].split("|")[7].strip() == "4.00"
    assert table[2].split("|")[8].strip() == "300 (3.0× file)"


@pytest.mark.parametrize("bad", [["--only", "nosuch"], ["--skip", "bookings,nosuch"]])
def test_unknown_workload_is_a_usage_error(bad, capsys):
    with pytest.raises(SystemExit) as stop:
        _bench().main(bad)
    assert stop.value.code == 2
    assert "unknown workload(s) nosuch; choose from bookings," in capsys.readouterr().err
