"""Time zones of travel records: local wall times <-> UTC instants.

A travel record's date-time without an offset is local wall time at its
place; :func:`localise` puts it in UTC with the place's IANA zone,
:func:`to_local` gives the wall time of a UTC instant, and a wall time a
daylight-saving change skips (the spring-forward gap) or repeats (the
autumn overlap) has no single instant: :func:`dst_problems` says which, with
both readings named.  Every conversion runs once per distinct zone on whole
arrays (int64 microseconds), never per row.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["NAT_US", "dst_problems", "dst_reasons", "localise", "to_local"]

#: NaT as int64 microseconds.
NAT_US = np.iinfo(np.int64).min


def _per_zone(
    values_us: np.ndarray,
    tz: pd.Series,
    convert: Callable[[pd.DatetimeIndex, str], pd.DatetimeIndex],
) -> np.ndarray:
    """Apply ``convert(DatetimeIndex, zone) -> DatetimeIndex`` once per distinct
    zone, to all of that zone's instants at once (pandas converts whole arrays
    in C, faster than hashing the instants to convert each distinct one):
    int64 microseconds in, int64 microseconds out."""
    out = np.full(len(values_us), NAT_US, dtype=np.int64)
    zcodes, zones = pd.factorize(tz, use_na_sentinel=True)
    known = values_us != NAT_US
    for z, zone in enumerate(zones):
        rows = np.flatnonzero((zcodes == z) & known)
        if not len(rows):
            continue
        done = convert(pd.DatetimeIndex(values_us[rows].view("M8[us]")), str(zone))
        out[rows] = done.as_unit("us").asi8
    return out


def localise(naive_utc_labelled: pd.Series, tz: pd.Series) -> pd.Series:
    """Wall-clock times (stored as if UTC) at zone ``tz`` -> true UTC instants
    (one conversion per distinct zone and instant; NaT for a non-existent or
    ambiguous wall time, which :func:`dst_reasons` explains, and for an
    unknown zone)."""
    wall = naive_utc_labelled.dt.tz_localize(None).to_numpy(dtype="M8[us]").view(np.int64)
    out = _per_zone(
        wall,
        tz,
        lambda ix, zone: (
            ix.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
            .tz_convert("UTC")
            .tz_localize(None)
        ),
    )
    return pd.Series(pd.to_datetime(out.view("M8[us]"), utc=True), index=tz.index)


def to_local(utc: pd.Series, tz: pd.Series) -> pd.Series:
    """UTC instants -> naive local wall time at ``tz`` (NaT when tz unknown)."""
    instants = utc.dt.tz_localize(None).to_numpy(dtype="M8[us]").view(np.int64)
    out = _per_zone(
        instants, tz, lambda ix, zone: ix.tz_localize("UTC").tz_convert(zone).tz_localize(None)
    )
    return pd.Series(out.view("M8[us]"), index=tz.index)


def dst_reasons(wall_us: np.ndarray, zones: np.ndarray, which: str) -> list[str]:
    """Why naive local times (int64 us, one zone each) have no UTC instant: the
    wall time falls in a daylight-saving gap (it does not exist) or overlap
    (it happens twice: both readings named).  The caller passes each distinct
    (wall time, zone) once."""
    out = []
    for us, zone in zip(wall_us, zones):
        wall = pd.Timestamp(int(us), unit="us")
        text = f"{which} time {wall:%Y-%m-%d %H:%M} "
        try:
            first = wall.tz_localize(zone, ambiguous=True).tz_convert("UTC")
            second = wall.tz_localize(zone, ambiguous=False).tz_convert("UTC")
            out.append(
                text + f"happens twice in {zone} (clocks went back): {first:%H:%M} or "
                f"{second:%H:%M} UTC; give the time with its UTC offset"
            )
        except ValueError:  # a wall time in the spring-forward gap
            out.append(
                text + f"does not exist in {zone} (clocks went forward); give the "
                "time with its UTC offset"
            )
    return out


def dst_problems(wall: pd.Series, tz: pd.Series, which: str) -> tuple[list[str], np.ndarray]:
    """Why each wall time of ``wall`` (UTC-labelled or naive, one zone each in
    ``tz``, all known to have no single instant) has none, once per distinct
    (wall time, zone), found on integer codes.

    Returns ``(reasons, which_reason)``: the distinct texts
    (:func:`dst_reasons`) and, per element of ``wall``, an index into them.
    """
    wc, walls = pd.factorize(wall.dt.tz_localize(None).to_numpy("M8[us]").view(np.int64))
    zc, zones = pd.factorize(tz.to_numpy(dtype=object))
    inverse, pair = pd.factorize(wc.astype(np.int64) * len(zones) + zc)
    return dst_reasons(walls[pair // len(zones)], zones[pair % len(zones)], which), inverse
