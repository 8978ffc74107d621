"""Check a report folder against its manifest (``osint-kit verify DIR``).

:func:`verify` reads the folder's ``manifest.json`` (written by
:class:`osint_kit.report.export.Manifest`), hashes every file it lists -- the
outputs in the folder and the inputs (the case files) wherever the relative
paths lead -- and lists every file of the folder the manifest does not name.
Each file gets one status:

=========  ==================================================================
ok         present, same sha256 as recorded
changed    present, another sha256 (one byte is enough)
missing    recorded, no longer there
extra      in the folder, not recorded (the manifest's own three files aside)
=========  ==================================================================

The same check without the kit: ``cd DIR && sha256sum -c SHA256SUMS``
(changed and missing files only; it cannot see extra ones).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from osint_kit.errors import ExportError
from osint_kit.report.export import Manifest, sha256_file

__all__ = ["Verification", "verify"]

STATUSES = ("ok", "changed", "missing", "extra")


@dataclass
class Verification:
    """The result of :func:`verify`.

    Attributes
    ----------
    folder : Path
    kit_version, created_utc : str
        From the manifest.
    files : DataFrame
        One row per file: ``path`` (relative to the folder, as recorded),
        ``role`` (input|output|extra), ``status`` (ok|changed|missing|extra),
        ``expected_sha256``, ``actual_sha256`` (NA when there is none).
    """

    folder: Path
    kit_version: str
    created_utc: str
    files: pd.DataFrame

    @property
    def ok(self) -> bool:
        """True when every recorded file is unchanged and nothing extra is there."""
        return bool((self.files["status"] == "ok").all())

    def counts(self) -> dict[str, int]:
        """Files per status (every status, zeros included)."""
        vc = self.files["status"].value_counts()
        return {s: int(vc.get(s, 0)) for s in STATUSES}

    def problems(self) -> pd.DataFrame:
        """The rows that are not ``ok``."""
        return self.files[self.files["status"] != "ok"]


def _read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise ExportError(
            f"verify: {folder} has no manifest.json; give the folder of a report written by "
            f"osint-kit (osint-kit report writes one), or rebuild the report."
        )
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        files = doc["files"]
        if not isinstance(files, list) or not all(
            isinstance(f, dict)
            and isinstance(f.get("path"), str)
            and isinstance(f.get("sha256"), str)
            for f in files
        ):
            raise TypeError("files is not a list of {path, sha256} records")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
        raise ExportError(
            f"verify: {path} cannot be read as an osint-kit manifest ({err}); it was damaged or "
            f"not written by osint-kit: rebuild the report."
        ) from None
    return doc


def verify(folder: str | os.PathLike) -> Verification:
    """Compare the files of a report folder with its ``manifest.json``.

    Raises :class:`~osint_kit.errors.ExportError` when the folder has no
    readable manifest.
    """
    folder = Path(folder)
    doc = _read_manifest(folder)
    rows = []
    recorded = set()
    for f in doc["files"]:
        p = (folder / f["path"]).resolve()
        recorded.add(p)
        if p.is_file():
            actual = sha256_file(p)
            status = "ok" if actual == f["sha256"] else "changed"
        else:
            actual, status = None, "missing"
        rows.append(
            {
                "path": f["path"],
                "role": f.get("role", "output"),
                "status": status,
                "expected_sha256": f["sha256"],
                "actual_sha256": actual,
            }
        )
    own = {(folder / n).resolve() for n in Manifest.FILES}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.resolve() not in recorded and p.resolve() not in own:
            rows.append(
                {
                    "path": p.relative_to(folder).as_posix(),
                    "role": "extra",
                    "status": "extra",
                    "expected_sha256": None,
                    "actual_sha256": sha256_file(p),
                }
            )
    files = pd.DataFrame(
        rows, columns=["path", "role", "status", "expected_sha256", "actual_sha256"]
    ).astype("string")
    return Verification(
        folder=folder,
        kit_version=str(doc.get("kit_version", "")),
        created_utc=str(doc.get("created_utc", "")),
        files=files,
    )
