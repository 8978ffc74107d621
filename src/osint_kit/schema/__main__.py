"""``python -m osint_kit.schema [README] [--check]``: write the data dictionary
(generated from ``schema/bundle.toml``) into data/README.md between its markers.
With ``--check`` nothing is written; the exit status is 1 when the file is not
current."""

from __future__ import annotations

import sys

from osint_kit.datafiles import CHECKOUT_DATA
from osint_kit.schema import update_readme


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    path = paths[0] if paths else CHECKOUT_DATA / "README.md"
    current = update_readme(path, write=not check)
    if current:
        print(f"{path}: the data dictionary is current")
        return 0
    if check:
        print(f"{path}: the data dictionary is not current; run python -m osint_kit.schema")
        return 1
    print(f"{path}: data dictionary written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
