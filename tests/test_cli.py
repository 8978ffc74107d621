"""Tests for the osint-kit command line."""

from __future__ import annotations

import subprocess
import sys

from osint_kit.cli import main


def test_validate_bundled_case_exits_zero_with_a_summary(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "Cut-off: 2025-10-02" in out
    # one line per table: read, loaded, rejected, warnings (assertions: 393 read, all loaded:
    # the full dossier's 351 + 42 on the headline and lede claims C37, C38)
    assert "assertions     393     393         0         0" in out
    assert "No problems found." in out


def test_validate_broken_case_lists_problems_and_exits_one(case_copy, capsys):
    p = case_copy / "places.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("36.683333,53.533333", "95,53.533333"),
                 encoding="utf-8")
    assert main(["validate", str(case_copy)]) == 1
    out = capsys.readouterr().out
    assert "[error] places.csv row 10, column lat: value '95.0': 95.0 is outside [-90, 90]." in out


def test_validate_unloadable_case_exits_two(case_copy, capsys):
    (case_copy / "claims.csv").unlink()
    assert main(["validate", str(case_copy)]) == 2
    assert "claims.csv is missing" in capsys.readouterr().err


def test_new_case_then_validate(tmp_path, capsys):
    assert main(["new-case", "demo", "--dir", str(tmp_path), "--title", "Demo"]) == 0
    assert (tmp_path / "demo" / "case.toml").exists()
    assert main(["validate", str(tmp_path / "demo")]) == 0


def test_console_script_is_installed():
    # the README's main command is `osint-kit validate`: the entry point must exist
    r = subprocess.run([sys.executable, "-m", "osint_kit.cli", "validate"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_import_is_light():
    # `import osint_kit` must not pull in the heavy libraries (measured in
    # benchmarks/bench_import.py); they load where they are used
    code = ("import sys, osint_kit; heavy = {'matplotlib', 'folium', 'pandera', 'pyproj', "
            "'airportsdata', 'networkx', 'pandas'}; print(sorted(heavy & set(sys.modules)))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr
