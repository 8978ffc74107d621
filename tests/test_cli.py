"""Tests for the osint-kit command line."""

from __future__ import annotations

import re
import subprocess
import sys

from osint_kit.cli import main


def test_validate_bundled_case_exits_zero_with_a_summary(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "Cut-off: 2025-10-02" in out
    # one line per table: read, loaded, rejected, warnings (assertions: 404 read, all loaded:
    # the full dossier's 351 + 42 on the headline and lede claims C37, C38 + 11 by the three
    # inputs behind Reuters: booking records, the two officials)
    assert "assertions     404     404         0         0" in out
    assert "No problems found." in out


def test_validate_broken_case_lists_problems_and_exits_one(case_copy, capsys):
    p = case_copy / "places.csv"
    p.write_text(
        p.read_text(encoding="utf-8").replace("36.683333,53.533333", "95,53.533333"),
        encoding="utf-8",
    )
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
    r = subprocess.run(
        [sys.executable, "-m", "osint_kit.cli", "validate"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr


def test_import_is_light():
    # `import osint_kit` must not pull in the heavy libraries (measured in
    # benchmarks/bench_import.py); they load where they are used
    code = (
        "import sys, osint_kit; heavy = {'matplotlib', 'folium', 'pandera', 'pyproj', "
        "'airportsdata', 'networkx', 'pandas'}; print(sorted(heavy & set(sys.modules)))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr


# --------------------------------------------------------------------------- failures (issue 9, item 6)
# Every failure: one message on stderr that says what to do, a documented exit
# status (the module docstring's table), never a traceback.


def test_new_case_name_that_is_a_path_is_refused(tmp_path, capsys):
    # `new-case ../../x` wrote to base/../../x: outside data/cases
    base = tmp_path / "a" / "b"
    base.mkdir(parents=True)
    assert main(["new-case", "../../x", "--dir", str(base)]) == 3
    assert not (tmp_path / "x").exists()
    assert list(tmp_path.rglob("*")) == [tmp_path / "a", base]  # nothing written anywhere
    err = capsys.readouterr().err
    assert err == (
        "error: Case name '../../x' cannot be used: it is a path, not a name; choose "
        "the folder it goes in with --dir (from Python: new_case(parent / name)). A "
        "case name (its folder's name) is ASCII letters, digits, '-' and '_', e.g. "
        "'ru-ir-missile-experts-2024'.\n"
    )


def test_new_case_300_character_name_is_refused_with_a_message(tmp_path, capsys):
    # raised OSError: [Errno 36] File name too long, with a traceback, exit 1
    assert main(["new-case", "a" * 300, "--dir", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "it has 300 characters; keep it to 64" in err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


def test_new_case_into_a_folder_that_cannot_be_created(tmp_path, capsys):
    # --dir is a file: mkdir raised FileExistsError / NotADirectoryError
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["new-case", "demo", "--dir", str(tmp_path / "file")]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"error: Cannot create the case bundle {tmp_path / 'file' / 'demo'} (")
    assert err.endswith(
        "): choose a folder you can write to (osint-kit new-case NAME --dir FOLDER).\n"
    )


def test_validate_a_file_or_an_overlong_name_exits_two(tmp_path, capsys):
    f = tmp_path / "sources.csv"
    f.write_text("source_id\n", encoding="utf-8")
    assert main(["validate", str(f)]) == 2
    assert "is a file, not a case folder" in capsys.readouterr().err  # was "No case folder"
    assert main(["validate", "b" * 300]) == 2  # was OSError: File name too long
    assert "cannot be a case folder (File name too long)" in capsys.readouterr().err


def test_usage_errors_exit_64_not_2(capsys):
    # 2 means "the case cannot be loaded"; argparse used 2 for a typo too, and an
    # unknown --encoding raised LookupError from deep inside load_case
    assert main(["validate", "--encoding", "nonsense"]) == 64
    assert "unknown encoding 'nonsense'" in capsys.readouterr().err
    assert main(["bogus"]) == 64
    assert "invalid choice: 'bogus'" in capsys.readouterr().err


def test_hostile_text_cannot_drive_the_terminal(case_copy, capsys):
    # a title that clears the screen and sets the window title, and a value with a
    # right-to-left override, reached the terminal raw
    toml = case_copy / "case.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace('title = "Russian', 'title = "\\u001b[2J\\u001b]0;pwned\\u0007Russian'),
        encoding="utf-8",
    )
    assert main(["validate", str(case_copy)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Case: \\x1b[2J\\x1b]0;pwned\\x07Russian missile specialists" in out


def test_an_internal_error_is_one_line_and_exits_70(monkeypatch, capsys):
    # a bug in the kit printed a raw traceback and exited 1 ("rows rejected")
    import osint_kit.readers.bundle

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(osint_kit.readers.bundle, "load_case", broken)
    monkeypatch.delenv("OSINT_KIT_DEBUG", raising=False)
    assert main(["validate"]) == 70
    assert capsys.readouterr().err == (
        "internal error: ZeroDivisionError: division by zero. This is a bug in osint-kit, not "
        "in your files: please report it with the command you ran (set OSINT_KIT_DEBUG=1 to "
        "see the traceback).\n"
    )


def test_a_closed_output_pipe_is_quiet():
    # `osint-kit validate | head -1`: BrokenPipeError traceback, exit 1
    p = subprocess.Popen(
        [sys.executable, "-m", "osint_kit.cli", "validate"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    p.stdout.close()  # the reader leaves before the first line
    err = p.stderr.read()
    assert p.wait(timeout=120) == 141  # 128 + SIGPIPE, as a shell reports it
    assert err == b""


# ---------------------------------------------------------------- report, verify, --version, --help


def test_version(capsys):
    from osint_kit import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"osint-kit {__version__}\n"


def test_help_lists_every_command_with_an_example(capsys):
    import argparse

    from osint_kit import cli

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    commands = ["validate", "new-case", "report", "verify"]
    for name in commands:
        # the command is listed, and an example line runs it
        assert f"\n    {name}" in out and f"osint-kit {name} " in out, name
    # and nothing else is a command: the list above is every subparser
    parser_cmds = []
    real = argparse.ArgumentParser.parse_args

    def spy(self, args=None, namespace=None):
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                parser_cmds.extend(action.choices)
        return real(self, args, namespace)

    argparse.ArgumentParser.parse_args = spy
    try:
        cli.main(["--version"])
    finally:
        argparse.ArgumentParser.parse_args = real
    assert parser_cmds == commands


def test_readme_command_1_builds_the_report():
    # the README's set-up keeps two commands; the first one ends in `osint-kit report`
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(python3 -m venv .*?)\n```", readme)
    assert len(blocks) == 2
    assert blocks[0].endswith("&& pip install -e . && osint-kit report")
    assert blocks[1].endswith("&& pytest")


def test_report_with_the_readme_s_command_in_a_fresh_folder(tmp_path):
    # `osint-kit report` with no argument: the bundled case into ./reports/<slug>/
    r = subprocess.run(
        [sys.executable, "-m", "osint_kit.cli", "report"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    folder = tmp_path / "reports" / "ru-ir-missile-experts-2024"
    assert (folder / "index.html").is_file() and (folder / "report.pdf").is_file()
    # steps shown on stderr; the output ends with what was found and where it is
    assert "[1/7] computing the analyses" in r.stderr and "[7/7] writing the manifest" in r.stderr
    assert "35 of the 38 supported claims rest on a single origin" in r.stdout
    assert r.stdout.rstrip().endswith(f"Check it:   osint-kit verify {folder}")
    v = subprocess.run(
        [sys.executable, "-m", "osint_kit.cli", "verify", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert v.returncode == 0 and "OK: every file matches the manifest." in v.stdout


def test_report_and_verify_exit_codes(tmp_path, capsys):
    from osint_kit import new_case

    case = new_case(tmp_path / "cases" / "my-case")
    out = tmp_path / "out"
    assert main(["report", str(case), "--out", str(out), "--formats", "png"]) == 0
    text = capsys.readouterr().out
    assert "No timeline: the case has no dated event" in text  # said, not drawn empty
    assert main(["verify", str(out)]) == 0
    capsys.readouterr()
    (out / "tables" / "claims.csv").write_bytes(b"x" + (out / "tables" / "claims.csv").read_bytes())
    (out / "stray.txt").write_text("not the kit's", encoding="utf-8")
    assert main(["verify", str(out)]) == 1
    text = capsys.readouterr().out
    assert (
        "  CHANGED  tables/claims.csv (output)" in text and "  EXTRA    stray.txt (extra)" in text
    )
    # a folder holding a file the kit did not write: refused (3), nothing changed
    assert main(["report", str(case), "--out", str(out)]) == 3
    assert "did not write there (stray.txt)" in capsys.readouterr().err
    assert main(["verify", str(tmp_path)]) == 2  # no manifest
    assert "has no manifest.json" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nope")]) == 2  # no such case
    assert main(["report", str(case), "--formats", "gif", "--out", str(tmp_path / "o2")]) == 3
    assert "unknown figure format(s) gif" in capsys.readouterr().err
