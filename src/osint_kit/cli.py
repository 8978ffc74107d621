"""Command line: ``osint-kit validate | new-case | report``.

``osint-kit validate [CASE]`` loads a case bundle (a folder or a bundled slug;
default: the bundled case) and prints the rows per table and every problem.
Exit status: 0 when the bundle loads with no error-level problem, 1 when rows
were rejected (or, with ``--strict``, on any error), 2 when it cannot be loaded
at all.

``osint-kit new-case NAME`` writes an empty, valid bundle in ``data/cases/NAME``
(or at ``--dir``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_CASE = "ru-ir-missile-experts-2024"


def _validate(args) -> int:
    from osint_kit.case import format_problems, load_case
    from osint_kit.errors import OsintKitError

    try:
        case = load_case(args.case, strict=False, encoding=args.encoding)
    except OsintKitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"Case: {case.title} ({case.path})")
    if case.meta.get("cutoff"):
        print(f"Cut-off: {case.meta['cutoff']}")
    counts = case.counts()
    width = max(len(t) for t in counts.index)
    print(f"\n{'table':<{width}}  {'read':>6}  {'loaded':>6}  {'rejected':>8}  {'warnings':>8}")
    for t, r in counts.iterrows():
        print(f"{t:<{width}}  {r['read']:>6}  {r['loaded']:>6}  {r['rejected']:>8}  "
              f"{r['warnings']:>8}")
    problems = case.problems
    errors = problems[problems["severity"] == "error"]
    warnings = problems[problems["severity"] == "warning"]
    if len(problems):
        print(f"\n{len(errors)} error(s), {len(warnings)} warning(s):")
        for line, sev in zip(format_problems(problems), problems["severity"]):
            print(f"  [{sev}] {line}")
    else:
        print("\nNo problems found.")
    ok = counts["read"].sum() == counts["loaded"].sum() + counts["rejected"].sum()
    if not ok:  # pragma: no cover - an invariant of load_case
        print("internal error: rows read != rows loaded + rows rejected", file=sys.stderr)
        return 2
    return 1 if len(errors) else 0


def _new_case(args) -> int:
    from osint_kit.case import REPO_ROOT, new_case
    from osint_kit.errors import OsintKitError

    base = Path(args.dir) if args.dir else (
        Path.cwd() / "data" / "cases" if (Path.cwd() / "data" / "cases").is_dir()
        else REPO_ROOT / "data" / "cases")
    try:
        path = new_case(base / args.name, title=args.title or "")
    except OsintKitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"Created an empty case bundle in {path}")
    print(f"Fill in case.toml and the CSV files, then run: osint-kit validate {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="osint-kit", description="Offline OSINT investigation kit.")
    sub = parser.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="load a case bundle and list its problems")
    v.add_argument("case", nargs="?", default=DEFAULT_CASE,
                   help=f"case folder or slug (default: {DEFAULT_CASE})")
    v.add_argument("--encoding", default="utf-8",
                   help="encoding of the CSV files (default utf-8; e.g. cp1251)")
    v.set_defaults(func=_validate)

    n = sub.add_parser("new-case", help="create an empty, valid case bundle")
    n.add_argument("name", help="folder name (slug) of the new case")
    n.add_argument("--dir", help="parent folder (default: data/cases)")
    n.add_argument("--title", help="case title")
    n.set_defaults(func=_new_case)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
