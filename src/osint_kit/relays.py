"""The relay graph: which source repeats, rewrites or translates which.

A source's ``derived_from`` cell lists, separated by ``;``, the source_ids it
relays.  Followed to the roots, those links give the source's **origins**: the
independent voices behind it.  Thirty outlets that copy one wire report have
one origin.

All functions take a sources frame with at least ``source_id`` and
``derived_from`` columns and work on whole columns (joins per depth level,
not a Python walk per source), so they scale to tens of thousands of sources.

>>> import pandas as pd
>>> s = pd.DataFrame({"source_id": ["wire", "copy", "copy2"],
...                   "derived_from": [None, "wire", "copy"]})
>>> origins(s).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'source_id': 'copy', 'origin_id': 'wire', 'depth': 1},
 {'source_id': 'copy2', 'origin_id': 'wire', 'depth': 2},
 {'source_id': 'wire', 'origin_id': 'wire', 'depth': 0}]
"""

from __future__ import annotations

import pandas as pd

from osint_kit.errors import CycleError

__all__ = ["parents", "find_cycles", "check_acyclic", "origins", "format_cycle"]


def parents(sources: pd.DataFrame) -> pd.DataFrame:
    """Long table of relay links: one row per (source_id, parent_id).

    ``derived_from`` is split on ``;``; blanks around ids are stripped, empty
    pieces ignored, duplicates removed.  Sources with no parent do not appear.
    """
    links = (
        sources[["source_id", "derived_from"]]
        .assign(parent_id=lambda d: d["derived_from"].astype("string").str.split(";"))
        .explode("parent_id")
    )
    links["parent_id"] = links["parent_id"].str.strip()
    links = links[links["parent_id"].notna() & (links["parent_id"] != "")]
    return (
        links[["source_id", "parent_id"]]
        .drop_duplicates()
        .astype("string")
        .reset_index(drop=True)
    )


def _cyclic_nodes(links: pd.DataFrame) -> set[str]:
    """Ids on or downstream-blocked by a cycle, found by peeling leaves.

    Repeatedly removes links whose parent has no parents of its own left (Kahn's
    algorithm, one whole level per pass).  What cannot be peeled sits on a
    cycle or hangs below one; callers narrow that down to the cycles.
    """
    remaining = links
    while not remaining.empty:
        has_parents = set(remaining["source_id"])
        peel = ~remaining["parent_id"].isin(has_parents)
        if not peel.any():
            break
        remaining = remaining[~peel]
    return set(remaining["source_id"]) | set(remaining["parent_id"])


def find_cycles(sources: pd.DataFrame) -> list[list[str]]:
    """Every distinct cycle in the derived_from links, as lists of source_ids.

    Each cycle starts at its alphabetically first id and follows the links
    (child → parent) back to it.  A source deriving from itself is a cycle of
    one.  Returns ``[]`` for an acyclic graph.
    """
    links = parents(sources)
    suspects = _cyclic_nodes(links)
    if not suspects:
        return []
    import networkx as nx  # only on the (rare) error path

    graph = nx.DiGraph()
    sub = links[links["source_id"].isin(suspects) & links["parent_id"].isin(suspects)]
    graph.add_edges_from(zip(sub["source_id"], sub["parent_id"]))
    cycles = []
    for cycle in nx.simple_cycles(graph):
        start = cycle.index(min(cycle))
        cycles.append(cycle[start:] + cycle[:start])
    return sorted(cycles)


def format_cycle(cycle: list[str]) -> str:
    """``a -> b -> a``: a cycle written the way it reads in derived_from."""
    return " -> ".join([*cycle, cycle[0]])


def check_acyclic(sources: pd.DataFrame, file: str = "sources.csv") -> None:
    """Raise :class:`CycleError` naming every cycle, or return None.

    The message reads, for example::

        derived_from cycle in sources.csv: a -> b -> a. A source cannot
        (even indirectly) relay itself; remove one of these links.
    """
    cycles = find_cycles(sources)
    if cycles:
        text = "; ".join(format_cycle(c) for c in cycles)
        raise CycleError(
            f"derived_from cycle in {file}: {text}. A source cannot (even "
            "indirectly) relay itself; remove one of these links.",
            cycles=cycles,
        )


def origins(sources: pd.DataFrame, *, max_depth: int = 64) -> pd.DataFrame:
    """Root sources reached from each source through ``derived_from``.

    Parameters
    ----------
    sources : DataFrame
        Needs ``source_id`` and ``derived_from``.
    max_depth : int
        Safety bound on chain length.

    Returns
    -------
    DataFrame
        Columns ``source_id``, ``origin_id``, ``depth`` (links followed from the
        source to that origin; 0 when the source is its own origin).  One row per
        (source, origin); a source with several independent roots has several
        rows.  A parent id that is not itself a listed source counts as an
        origin (the case loader rejects such dangling links before this).
        Sorted by source_id, origin_id.

    Raises
    ------
    CycleError
        When the links form a cycle (every cycle is named).
    """
    check_acyclic(sources)
    ids = sources["source_id"].astype("string").drop_duplicates()
    links = parents(sources)
    # Frontier: (source_id, current ancestor, depth); expand one level per pass.
    frontier = pd.DataFrame({"source_id": ids, "node": ids, "depth": 0})
    done = []
    for _ in range(max_depth + 1):
        step = frontier.merge(links, left_on="node", right_on="source_id",
                              how="left", suffixes=("", "_link"))
        is_root = step["parent_id"].isna()
        done.append(step.loc[is_root, ["source_id", "node", "depth"]])
        frontier = (
            step.loc[~is_root, ["source_id", "parent_id", "depth"]]
            .rename(columns={"parent_id": "node"})
            .assign(depth=lambda d: d["depth"] + 1)
            # Diamonds (two paths to one ancestor) would multiply rows per level.
            .drop_duplicates(["source_id", "node"])
        )
        if frontier.empty:
            break
    else:  # pragma: no cover - check_acyclic makes this unreachable
        raise CycleError(f"derived_from chains deeper than {max_depth} links")
    out = (
        pd.concat(done, ignore_index=True)
        .rename(columns={"node": "origin_id"})
        # Two paths to the same root: keep the shortest.
        .sort_values(["source_id", "origin_id", "depth"])
        .drop_duplicates(["source_id", "origin_id"])
        .reset_index(drop=True)
    )
    out["depth"] = out["depth"].astype("int64")
    return out[["source_id", "origin_id", "depth"]]
