"""Command line: ``osint-kit validate | new-case | report | verify``.

``osint-kit validate [CASE]`` loads a case bundle (a folder or a bundled slug;
default: the bundled case) and prints the rows per table and every problem.

``osint-kit new-case NAME`` writes an empty, valid bundle in
``data/cases/NAME`` (or in ``--dir FOLDER``, the explicit way to choose where).
NAME is a slug (:func:`osint_kit.readers.bundle.check_slug`): ASCII letters, digits,
``-`` and ``_``, at most 64 characters, never a path.

``osint-kit report [CASE] [--out DIR] [--formats png,svg,pdf] [--force]``
builds the case's report folder (default ``reports/<case-slug>/``): figures,
tables (CSV, one XLSX workbook, Markdown), ``index.html`` to open first, a
printable ``report.pdf`` and a manifest (:mod:`osint_kit.report.build`).
Steps are shown on stderr as they run; the output ends with the findings and
where the report is.

``osint-kit verify DIR`` checks a report folder against its manifest and
lists every changed, missing or extra file (:mod:`osint_kit.report.integrity`).

``osint-kit --version`` prints the kit's version.

Every failure prints one message on stderr that says what to do, never a
traceback (set ``OSINT_KIT_DEBUG=1`` to see one for an internal error).
Text from the case (titles, values, paths) is printed with control and
bidirectional-override characters escaped (``\\x1b``, ``\\u202e``), so a
hostile file cannot drive the terminal.

Exit status
-----------
====  =====================================================================
0     success: ``validate`` found no error-level problem (warnings may be
      listed); ``new-case`` created the bundle; ``report`` wrote the report;
      ``verify``: every file matches the manifest
1     ``validate``: the bundle loaded, but rows were rejected (error-level
      problems are listed); ``verify``: a file changed, is missing or is extra
2     ``validate``, ``report``: the case cannot be loaded at all (no such
      folder, a file missing or unreadable, a malformed ``case.toml``, a
      ``derived_from`` cycle); ``verify``: the folder has no readable manifest
3     ``new-case``: refused (the name is not a slug, the folder exists, or it
      cannot be written); ``report``: refused (the folder holds files the kit
      did not write, or another case's report: ``--force``), or it cannot be
      written
64    usage error: unknown command or option, a missing argument, an unknown
      ``--encoding`` (``EX_USAGE`` of sysexits.h)
70    internal error: a bug in osint-kit, not in your files; please report it
      (``EX_SOFTWARE``)
130   interrupted (Ctrl-C)
141   the output pipe was closed early (``osint-kit validate | head``;
      128 + SIGPIPE, as a shell reports it); nothing is printed
====  =====================================================================
"""

from __future__ import annotations

import argparse
import codecs
import os
import re
import sys
from pathlib import Path

DEFAULT_CASE = "ru-ir-missile-experts-2024"

#: Exit codes (see the module docstring).
EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2
EXIT_REFUSED = 3
EXIT_USAGE = 64
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

#: Characters that steer a terminal or reorder what it shows: C0 controls but
#: tab and newline (ESC starts a control sequence, CR overwrites the line),
#: DEL, C1 controls (0x9b is a one-byte CSI), bidirectional embeddings,
#: overrides and isolates.  Other invisible characters (a zero-width non-joiner
#: inside a Persian word) are left alone.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text) -> str:
    """``text`` with :data:`_TERMINAL_UNSAFE` characters written as escapes
    (``\\x1b``, ``\\u202e``), so printing it cannot drive the terminal."""
    return _TERMINAL_UNSAFE.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", str(text)
    )


def _say(*parts, err: bool = False) -> None:
    print(terminal_safe(" ".join(map(str, parts))), file=sys.stderr if err else sys.stdout)


def _validate(args) -> int:
    from osint_kit.errors import OsintKitError
    from osint_kit.problems import format_problems
    from osint_kit.readers.bundle import load_case

    try:
        case = load_case(args.case, strict=False, encoding=args.encoding)
    except OsintKitError as err:
        _say(f"error: {err}", err=True)
        return EXIT_UNREADABLE
    _say(f"Case: {case.title} ({case.path})")
    if case.meta.get("cutoff"):
        _say(f"Cut-off: {case.meta['cutoff']}")
    counts = case.counts()
    width = max(len(t) for t in counts.index)
    _say(f"\n{'table':<{width}}  {'read':>6}  {'loaded':>6}  {'rejected':>8}  {'warnings':>8}")
    for t, r in counts.iterrows():
        _say(
            f"{t:<{width}}  {r['read']:>6}  {r['loaded']:>6}  {r['rejected']:>8}  "
            f"{r['warnings']:>8}"
        )
    problems = case.problems
    errors = problems[problems["severity"] == "error"]
    warnings = problems[problems["severity"] == "warning"]
    if len(problems):
        _say(f"\n{len(errors)} error(s), {len(warnings)} warning(s):")
        for line, sev in zip(format_problems(problems), problems["severity"]):
            _say(f"  [{sev}] {line}")
    else:
        _say("\nNo problems found.")
    ok = counts["read"].sum() == counts["loaded"].sum() + counts["rejected"].sum()
    if not ok:  # pragma: no cover - an invariant of load_case
        _say("internal error: rows read != rows loaded + rows rejected", err=True)
        return EXIT_INTERNAL
    return EXIT_REJECTED if len(errors) else EXIT_OK


def _new_case(args) -> int:
    from osint_kit.errors import OsintKitError
    from osint_kit.readers.bundle import REPO_ROOT, check_slug, new_case

    try:
        # the name alone, before it is joined to a folder: '../../x' is a path
        check_slug(args.name)
        base = (
            Path(args.dir)
            if args.dir
            else (
                Path.cwd() / "data" / "cases"
                if (Path.cwd() / "data" / "cases").is_dir()
                else REPO_ROOT / "data" / "cases"
            )
        )
        path = new_case(base / args.name, title=args.title or "")
    except OsintKitError as err:
        _say(f"error: {err}", err=True)
        return EXIT_REFUSED
    _say(f"Created an empty case bundle in {path}")
    _say(f"Fill in case.toml and the CSV files, then run: osint-kit validate {path}")
    return EXIT_OK


def _progress(step: int, steps: int, text: str) -> None:
    print(f"[{step}/{steps}] {text} …", file=sys.stderr, flush=True)


def _report(args) -> int:
    from osint_kit.errors import ExportError, OsintKitError
    from osint_kit.readers.bundle import load_case
    from osint_kit.report.build import build_report

    try:
        case = load_case(args.case)
    except OsintKitError as err:
        _say(f"error: {err}", err=True)
        return EXIT_UNREADABLE
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    try:
        report = build_report(case, args.out, formats=formats, force=args.force, progress=_progress)
    except ExportError as err:
        _say(f"error: {err}", err=True)
        return EXIT_REFUSED
    except OSError as err:
        _say(f"error: the report cannot be written ({err}); give another --out folder.", err=True)
        return EXIT_REFUSED
    except OsintKitError as err:
        _say(f"error: {err}", err=True)
        return EXIT_UNREADABLE
    _say(f"\nReport of {case.title} ({case.slug}), {report.seconds:.0f} s")
    _say("\nWhat the analysis found:")
    for sentence in report.findings:
        _say(f"  - {sentence}")
    missing = [d.missing for d in report.figures if d.missing]
    if missing:
        _say("\nNot drawn:")
        for sentence in missing:
            _say(f"  - {sentence}")
    drawn = sum(d.ax is not None for d in report.figures)
    _say(
        f"\n{drawn} figure(s), {len(report.tables)} table(s), {len(report.files)} file(s) "
        f"in {report.folder}"
    )
    if report.removed:
        _say(f"Removed {len(report.removed)} file(s) of the earlier report it no longer writes.")
    if report.foreign:
        _say(
            f"Kept {len(report.foreign)} file(s) the kit did not write (--force); "
            f"verify lists them as extra."
        )
    _say(f"Open first: {report.index}")
    _say(f"Printable:  {report.pdf}")
    _say(f"Check it:   osint-kit verify {report.folder}")
    return EXIT_OK


def _verify(args) -> int:
    from osint_kit.errors import OsintKitError
    from osint_kit.report.integrity import verify

    try:
        result = verify(args.folder)
    except OsintKitError as err:
        _say(f"error: {err}", err=True)
        return EXIT_UNREADABLE
    counts = result.counts()
    _say(
        f"{result.folder}: manifest of osint-kit {result.kit_version}, written "
        f"{result.created_utc}; {len(result.files)} file(s)"
    )
    for r in result.problems().itertuples(index=False):
        _say(f"  {r.status.upper():<8} {r.path} ({r.role})")
    _say(", ".join(f"{n} {s}" for s, n in counts.items()))
    if result.ok:
        _say("OK: every file matches the manifest.")
        return EXIT_OK
    _say("FAILED: the folder does not match its manifest (rebuild with osint-kit report).")
    return EXIT_REJECTED


#: ``osint-kit --help``: every command with an example.
EXAMPLES = f"""commands, with an example each:
  validate   load a case bundle and list its problems
             osint-kit validate {DEFAULT_CASE}
  new-case   create an empty, valid case bundle
             osint-kit new-case my-case
  report     build a case's report folder (figures, tables, index.html, report.pdf)
             osint-kit report my-case --out reports/my-case --formats png,svg,pdf
  verify     check a report folder against its manifest (sha256 of every file)
             osint-kit verify reports/{DEFAULT_CASE}

`osint-kit COMMAND --help` shows a command's options."""


class _Parser(argparse.ArgumentParser):
    """argparse that exits with :data:`EXIT_USAGE` (64), not 2, on a usage
    error: 2 means "the case cannot be loaded"."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        _say(f"{self.prog}: error: {message}", err=True)
        raise SystemExit(EXIT_USAGE)


def _encoding(name: str) -> str:
    """An ``--encoding`` that Python knows as a text encoding."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown encoding {name!r}: give one such as utf-8, cp1251, latin-1 or utf-16"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise argparse.ArgumentTypeError(
            f"{name!r} is not a text encoding: give one such as utf-8, cp1251, latin-1 or utf-16"
        )
    return name


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    from osint_kit import __version__

    parser = _Parser(
        prog="osint-kit",
        description="Offline OSINT investigation kit.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"osint-kit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="load a case bundle and list its problems")
    v.add_argument(
        "case",
        nargs="?",
        default=DEFAULT_CASE,
        help=f"case folder or slug (default: {DEFAULT_CASE})",
    )
    v.add_argument(
        "--encoding",
        default="utf-8",
        type=_encoding,
        help="encoding of the CSV files (default utf-8; e.g. cp1251)",
    )
    v.set_defaults(func=_validate)

    n = sub.add_parser("new-case", help="create an empty, valid case bundle")
    n.add_argument("name", help="folder name (slug: letters, digits, '-', '_') of the new case")
    n.add_argument("--dir", help="parent folder (default: data/cases)")
    n.add_argument("--title", help="case title")
    n.set_defaults(func=_new_case)

    r = sub.add_parser(
        "report",
        help="build a case's report folder",
        description="Build the report of a case: figures, tables, index.html, report.pdf, "
        "manifest.",
        epilog="example: osint-kit report my-case --out reports/my-case --formats png,svg",
    )
    r.add_argument(
        "case",
        nargs="?",
        default=DEFAULT_CASE,
        help=f"case folder or slug (default: {DEFAULT_CASE})",
    )
    r.add_argument("--out", help="report folder (default: reports/<case-slug>/)")
    r.add_argument(
        "--formats",
        default="png,svg,pdf",
        help="figure formats, comma-separated (default png,svg,pdf; PNG is always written)",
    )
    r.add_argument(
        "--force",
        action="store_true",
        help="write into a folder holding files osint-kit did not write (they are kept)",
    )
    r.set_defaults(func=_report)

    ve = sub.add_parser(
        "verify",
        help="check a report folder against its manifest",
        epilog=f"example: osint-kit verify reports/{DEFAULT_CASE}",
    )
    ve.add_argument("folder", help="the report folder (holding manifest.json)")
    ve.set_defaults(func=_verify)

    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help (0) or a usage error (64)
            return done.code if isinstance(done.code, int) else EXIT_USAGE
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return status
    except BrokenPipeError:  # `osint-kit validate | head -3`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        _say("interrupted", err=True)
        return EXIT_INTERRUPTED
    except Exception as err:  # a bug: say so in one line, not a traceback
        if os.environ.get("OSINT_KIT_DEBUG"):
            raise
        what = str(err) if len(str(err)) <= 300 else str(err)[:300] + "…"
        _say(
            f"internal error: {type(err).__name__}: {what}. This is a bug in osint-kit, not "
            f"in your files: please report it with the command you ran (set "
            f"OSINT_KIT_DEBUG=1 to see the traceback).",
            err=True,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
