"""Where the kit's own data lives: the ``data/`` folder of its checkout.

The curated gazetteer, the Natural Earth basemap and the bundled case are
files in ``data/`` (each credited there), not inside the Python package.
:func:`data_path` finds one, in order, under ``$OSINT_KIT_DATA``, the
checkout the package runs from (the README installs it with ``pip install
-e .``) and ``./data``; when none has it, the error says where it looked and
what to do, instead of a bare ``FileNotFoundError``.
"""

from __future__ import annotations

import os
from pathlib import Path

from osint_kit.errors import OsintKitError

__all__ = ["ENV", "CHECKOUT_DATA", "data_path"]

#: Environment variable naming a ``data/`` folder to use first.
ENV = "OSINT_KIT_DATA"
#: ``data/`` of the checkout this package runs from (an editable install).
CHECKOUT_DATA = Path(__file__).resolve().parents[2] / "data"


def data_path(*parts: str) -> Path:
    """The path of ``data/<parts...>`` (a file or folder that exists).

    Raises
    ------
    OsintKitError
        Not found anywhere; the message lists the places tried and the fix.
    """
    relative = Path(*parts)
    tried = []
    for base in (os.environ.get(ENV), CHECKOUT_DATA, Path.cwd() / "data"):
        if not base:
            continue
        path = Path(base) / relative
        if path.exists():
            return path
        tried.append(str(path))
    raise OsintKitError(
        f"the kit's data file data/{relative.as_posix()} was not found (looked at: "
        f"{'; '.join(dict.fromkeys(tried))}). The kit's data lives in the data/ folder of its "
        f"checkout: install it from the checkout with `pip install -e .` (README), or set "
        f"{ENV} to that data/ folder."
    )
