"""Case-specific drawing settings: from ``case.toml``, else computed from the data.

The notebooks and ``osint-kit report`` draw every case with the same code
(:mod:`osint_kit.report.figures`); what is specific to a story (the timeline's
window and highlighted periods, the dashed markers, the claim followed through
the relay graph, the claims shown in a table, the site given relative to a
place, the map view) is read from the case's ``case.toml`` by
:func:`case_settings`.  Whatever a case leaves out is computed from its data,
so nothing of one story appears on another case's figures.

``case.toml`` tables (all optional)::

    [timeline]
    title = "Booked flights among the events of 2024"
    window = ["2024-01-01", "2025-03-31"]           # inclusive, UTC days
    highlights = [{start = "2024-04-13", end = "2024-10-01", label = "..."}]
    annotations = [{date = "2025-03-04", label = "Reuters report"}]

    [corroboration]
    focus_claim = "C02"                             # followed through the relay graph
    claims_shown = ["C01", "C02", "C03", "C05"]     # rows of the claim-summary excerpt

    [route]
    site = ["P01", "P02"]                           # a place and a place given relative to it

    [map]
    center = [45.0, 47.0]                           # lat, lon (checked by the loader)
    zoom = 4

Defaults when a key is absent (:class:`CaseSettings` says which came from
where in ``origin``):

* ``window``: the first to the last day of the case's events and travel
  records, widened to whole months; None when the case has no dated event.
* ``highlights``: none.
* ``annotations``: the publication day of each origin source (a source with
  no ``derived_from``) that at least one other source relays, labelled
  "<publisher> report".
* ``title``: "Events of the case, <first year>–<last year>".
* ``focus_claim``: the claim with the most supporting sources (ties: the first
  in claims.csv); None without assertions.
* ``claims_shown``: the focus claim and the next most supported, five at most.
* ``site``: the first place given relative to another (``relative_to``) and
  that place; None when no place is.
* map ``center``/``zoom``: the middle and the span of the case's places with
  coordinates; ``[45, 47]``, zoom 4 without any (folium's view of the kit).

A malformed value is a :class:`~osint_kit.errors.CaseFileError` naming the
key, the value and the fix.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from osint_kit.errors import CaseFileError
from osint_kit.readers.bundle import Case

__all__ = ["DEFAULT_CASE", "CaseSettings", "case_settings", "case_with_map_view"]

#: The case bundled with the kit (what ``osint-kit report`` builds without a CASE).
DEFAULT_CASE = "ru-ir-missile-experts-2024"


@dataclass(frozen=True)
class CaseSettings:
    """What the figures need to know about a case that its tables do not say.

    Attributes
    ----------
    window : (str, str) or None
        Timeline window, ISO days, both inclusive (UTC).
    highlights : list of (start, end, label)
        Windows shaded on the timeline (ISO days, inclusive).
    annotations : list of (date, label)
        Dashed markers on the timeline.
    timeline_title : str
    focus_claim : str or None
        claim_id followed through the relay graph.
    claims_shown : list of str
        claim_ids of the claim-summary excerpt.
    site : (str, str) or None
        (place_id, place_id of a place given relative to it).
    map_center : [lat, lon]
    map_zoom : float
    origin : dict
        For each setting above, ``"case.toml"`` or ``"computed"``.
    """

    window: tuple[str, str] | None = None
    highlights: list[tuple[str, str, str]] = field(default_factory=list)
    annotations: list[tuple[str, str]] = field(default_factory=list)
    timeline_title: str = "Events of the case"
    focus_claim: str | None = None
    claims_shown: list[str] = field(default_factory=list)
    site: tuple[str, str] | None = None
    map_center: list[float] = field(default_factory=lambda: [45.0, 47.0])
    map_zoom: float = 4
    origin: dict[str, str] = field(default_factory=dict)

    def describe(self) -> pd.DataFrame:
        """The settings as a table (setting, value, origin) for a notebook or the report."""
        rows = [
            {"setting": k, "value": str(getattr(self, k)), "origin": v}
            for k, v in self.origin.items()
        ]
        return pd.DataFrame(rows, columns=["setting", "value", "origin"])


def _where(case: Case, key: str) -> str:
    return f"{case.path}/case.toml {key}"


def _table(case: Case, name: str) -> dict:
    value = (case.meta or {}).get(name, {})
    if not isinstance(value, dict):
        raise CaseFileError(
            f"{_where(case, '[' + name + ']')}: must be a table ([{name}] with key = value "
            f"lines), not {value!r}; fix case.toml or remove it (defaults are computed)."
        )
    return value


def _day(case: Case, key: str, value: Any) -> str:
    """An ISO day from case.toml (text or TOML date); CaseFileError otherwise."""
    import datetime as dt

    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise CaseFileError(
        f'{_where(case, key)}: {value!r} is not a day; write it as "2024-04-13" (YYYY-MM-DD).'
    )


def _text(case: Case, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise CaseFileError(
            f'{_where(case, key)}: {value!r} is not text; write it in double quotes: "...".'
        )
    return value


def _ids(case: Case, key: str, value: Any, n: int | None = None) -> list[str]:
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    if not ok or (n is not None and len(value) != n):
        what = f"a list of {n} ids" if n else "a list of ids"
        raise CaseFileError(
            f"{_where(case, key)}: {value!r} is not {what}; write e.g. "
            f'{key.split(".")[-1]} = ["P01", "P02"].'
        )
    return list(value)


def _events_span(case: Case) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day of the case's dated events and travel records."""
    starts: list[pd.Timestamp] = []
    ends: list[pd.Timestamp] = []
    for frame, s, e in (
        (case.events, "date_start", "date_end"),
        (case.travel, "departure_start", "departure_end"),
    ):
        for col, bucket in ((s, starts), (e, ends)):
            if frame is not None and col in frame.columns:
                v = pd.to_datetime(frame[col], utc=True, errors="coerce").dropna()
                if len(v):
                    bucket.append(v.min() if bucket is starts else v.max())
    if not starts or not ends:
        return None
    return min(starts), max(ends)


def _default_window(case: Case) -> tuple[str, str] | None:
    span = _events_span(case)
    if span is None:
        return None
    first, last = span
    start = first.tz_convert(None).to_period("M").start_time
    end = last.tz_convert(None).to_period("M").end_time
    return start.date().isoformat(), end.date().isoformat()


def _default_annotations(case: Case) -> list[tuple[str, str]]:
    """Publication days of relayed origin sources: ``(day, "<publisher> report")``."""
    src = case.sources
    if src is None or src.empty or "published_start" not in src.columns:
        return []
    parents = src["derived_from"].astype("string").fillna("").str.split(";").explode().str.strip()
    relayed = set(parents[parents != ""])
    roots = src[
        src["derived_from"].astype("string").fillna("").str.strip().eq("")
        & src["source_id"].isin(relayed)
        & src["published_precision"].astype("string").eq("day")
    ]
    out = []
    for _, row in roots.sort_values("published_start").iterrows():  # a few origins: small
        who = row.get("publisher")
        who = row["source_id"] if pd.isna(who) or not str(who).strip() else str(who)
        out.append((pd.Timestamp(row["published_start"]).date().isoformat(), f"{who} report"))
    return out


def _support_ranking(case: Case) -> list[str]:
    """claim_ids by number of supporting sources, most first (ties: claims.csv order)."""
    a, claims = case.assertions, case.claims
    if a is None or a.empty or claims is None or claims.empty:
        return []
    n = a.loc[a["stance"] == "supports"].groupby("claim_id").size()
    order = pd.DataFrame({"claim_id": claims["claim_id"].astype("string")})
    order["n"] = order["claim_id"].map(n).fillna(0).astype(int)
    order["pos"] = range(len(order))
    order = order[order["n"] > 0].sort_values(["n", "pos"], ascending=[False, True])
    return order["claim_id"].tolist()


def _default_site(case: Case) -> tuple[str, str] | None:
    p = case.places
    if p is None or p.empty or "relative_to" not in p.columns:
        return None
    rel = p[p["relative_to"].notna() & p["relative_to"].isin(p["place_id"])]
    if rel.empty:
        return None
    first = rel.iloc[0]
    return str(first["relative_to"]), str(first["place_id"])


def _default_view(case: Case) -> tuple[list[float], float]:
    p = case.places
    if p is None or p.empty:
        return [45.0, 47.0], 4
    lat = pd.to_numeric(p["lat"], errors="coerce")
    lon = pd.to_numeric(p["lon"], errors="coerce")
    ok = lat.notna() & lon.notna()
    if not ok.any():
        return [45.0, 47.0], 4
    lat, lon = lat[ok], lon[ok]
    center = [
        round(float(lat.min() + lat.max()) / 2, 4),
        round(float(lon.min() + lon.max()) / 2, 4),
    ]
    span = max(lat.max() - lat.min(), (lon.max() - lon.min()) * 0.7, 0.05)
    # a web-map tile at zoom z covers 360 / 2**z degrees; keep the span within ~2 tiles
    zoom = int(min(12, max(1, math.floor(math.log2(360 / span)) - 1)))
    return center, zoom


def case_settings(case: Case, **overrides: Any) -> CaseSettings:
    """The case's drawing settings (see the module docstring for keys and defaults).

    ``overrides`` (the notebooks' ``parameters`` cells: ``window=``,
    ``highlights=``, ``annotations=``, ``timeline_title=``, ``focus_claim=``,
    ``claims_shown=``, ``site=``) replace a value when not None; their origin
    is then ``"parameter"``.
    """
    tl, co, route, view = (_table(case, n) for n in ("timeline", "corroboration", "route", "map"))
    origin: dict[str, str] = {}
    values: dict[str, Any] = {}

    def pick(name: str, present: bool, read, default):
        if overrides.get(name) is not None:
            values[name], origin[name] = overrides[name], "parameter"
        elif present:
            values[name], origin[name] = read(), "case.toml"
        else:
            values[name], origin[name] = default(), "computed"

    def window():
        days = _ids(case, "[timeline] window", tl["window"], 2)
        a, b = (_day(case, "[timeline] window", d) for d in days)
        if a > b:
            raise CaseFileError(
                f"{_where(case, '[timeline] window')}: {a} is after {b}; give [first, last] day."
            )
        return a, b

    def items(key, fields):
        raw = tl[key]
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise CaseFileError(
                f"{_where(case, '[timeline] ' + key)}: {raw!r} is not a list of tables; write "
                f"{key} = [{{{', '.join(f'{f} = ...' for f in fields)}}}]."
            )
        out = []
        for i, r in enumerate(raw, start=1):
            missing = [f for f in fields if f not in r]
            if missing:
                raise CaseFileError(
                    f"{_where(case, f'[timeline] {key}')} item {i}: {', '.join(missing)} "
                    f"missing; each item needs {', '.join(fields)}."
                )
            k = f"[timeline] {key} item {i}"
            out.append(
                tuple(_text(case, k, r[f]) if f == "label" else _day(case, k, r[f]) for f in fields)
            )
        return out

    pick("window", "window" in tl, window, lambda: _default_window(case))
    pick(
        "highlights",
        "highlights" in tl,
        lambda: items("highlights", ("start", "end", "label")),
        list,
    )
    pick(
        "annotations",
        "annotations" in tl,
        lambda: items("annotations", ("date", "label")),
        lambda: _default_annotations(case),
    )

    def default_title():
        w = values["window"]
        if w is None:
            return "Events of the case"
        a, b = w[0][:4], w[1][:4]
        return f"Events of the case, {a}" + ("" if a == b else f"–{b}")

    pick(
        "timeline_title",
        "title" in tl,
        lambda: _text(case, "[timeline] title", tl["title"]),
        default_title,
    )

    ranking = _support_ranking(case)
    claim_ids = set(case.claims["claim_id"]) if case.claims is not None else set()

    def focus():
        cid = _text(case, "[corroboration] focus_claim", co["focus_claim"])
        if cid not in claim_ids:
            raise CaseFileError(
                f"{_where(case, '[corroboration] focus_claim')}: {cid!r} is not a claim_id of "
                f"claims.csv; name one of its claims or remove the line (the most supported "
                f"claim is then followed)."
            )
        return cid

    pick("focus_claim", "focus_claim" in co, focus, lambda: ranking[0] if ranking else None)
    f = values["focus_claim"]
    pick(
        "claims_shown",
        "claims_shown" in co,
        lambda: _ids(case, "[corroboration] claims_shown", co["claims_shown"]),
        lambda: ([f] if f else []) + [c for c in ranking if c != f][: 5 - bool(f)],
    )

    place_ids = set(case.places["place_id"]) if case.places is not None else set()

    def site():
        a, b = _ids(case, "[route] site", route["site"], 2)
        unknown = [p for p in (a, b) if p not in place_ids]
        if unknown:
            raise CaseFileError(
                f"{_where(case, '[route] site')}: {', '.join(unknown)} not a place_id of "
                f"places.csv; name two of its places or remove the line."
            )
        return a, b

    pick("site", "site" in route, site, lambda: _default_site(case))
    if values["site"] is not None:
        values["site"] = tuple(values["site"])

    center, zoom = _default_view(case)
    values["map_center"] = list(view["center"]) if "center" in view else center
    origin["map_center"] = "case.toml" if "center" in view else "computed"
    values["map_zoom"] = view["zoom"] if "zoom" in view else zoom
    origin["map_zoom"] = "case.toml" if "zoom" in view else "computed"
    if values["window"] is not None:
        values["window"] = tuple(values["window"])
    return CaseSettings(**values, origin=origin)


def case_with_map_view(case: Case, settings: CaseSettings) -> Case:
    """``case`` with ``meta["map"]`` set to the settings' view (the map reads it there)."""
    meta = dict(case.meta or {})
    meta["map"] = {"center": list(settings.map_center), "zoom": settings.map_zoom}
    return dataclasses.replace(case, meta=meta)
