"""What the analyses need of a case: its tables (a structural type).

The analyses (:func:`~osint_kit.analysis.corroboration.corroborate`,
:func:`~osint_kit.analysis.ach.compare_hypotheses`,
:func:`~osint_kit.analysis.legs.case_legs`, the events and the views) take a
loaded :class:`~osint_kit.readers.bundle.Case`, or any object with the same
tables: :class:`CaseTables` says which.  :class:`Tables` is the plain
container for frames that do not come from a bundle (synthetic data, tests),
built by :func:`osint_kit.analysis.corroboration.frames`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

__all__ = ["CaseTables", "Tables"]


class CaseTables(Protocol):
    """The tables of a case, as :func:`osint_kit.load_case` types them (see data/README.md)."""

    sources: pd.DataFrame
    claims: pd.DataFrame
    assertions: pd.DataFrame


@dataclass
class Tables:
    """Bare frames in place of a case: sources, claims, assertions (required) and
    the optional hypotheses, ach, events, places, travel and ``meta`` (case.toml)."""

    sources: pd.DataFrame
    claims: pd.DataFrame
    assertions: pd.DataFrame
    hypotheses: pd.DataFrame | None = None
    ach: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    places: pd.DataFrame | None = None
    travel: pd.DataFrame | None = None
    meta: dict[str, Any] = field(default_factory=dict)
