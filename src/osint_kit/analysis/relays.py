"""The relay graph: which source repeats, rewrites or translates which.

A source's ``derived_from`` cell lists, separated by ``;``, the source_ids it
relays.  Followed to the roots, those links give the source's **origins**: the
independent voices behind it.  Thirty outlets that copy one wire report have
one origin.

All functions take a sources frame with at least ``source_id`` and
``derived_from`` columns and work on whole arrays (one numpy pass per depth
level over integer codes, not a Python walk per source), so they scale to
tens of thousands of sources.  :func:`ancestor_codes` and :func:`origin_codes`
are the same walk on codes, for callers that already hold them
(:mod:`osint_kit.analysis.corroboration`).

>>> import pandas as pd
>>> s = pd.DataFrame({"source_id": ["wire", "copy", "copy2"],
...                   "derived_from": [None, "wire", "copy"]})
>>> origins(s).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'source_id': 'copy', 'origin_id': 'wire', 'depth': 1},
 {'source_id': 'copy2', 'origin_id': 'wire', 'depth': 2},
 {'source_id': 'wire', 'origin_id': 'wire', 'depth': 0}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from osint_kit.errors import CycleError

__all__ = [
    "parents",
    "find_cycles",
    "check_acyclic",
    "origins",
    "ancestors",
    "format_cycle",
    "ancestor_codes",
    "origin_codes",
    "csr",
    "expand",
]


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
        links[["source_id", "parent_id"]].drop_duplicates().astype("string").reset_index(drop=True)
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


def csr(child: np.ndarray, parent: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Compressed adjacency of integer-coded links: ``(indptr, indices)``.

    ``child``/``parent`` are aligned link arrays of node codes 0..n-1; the
    parents of node ``i`` are ``indices[indptr[i]:indptr[i + 1]]``, in the
    order the links were given (a stable sort), so the first is the first
    listed parent.  Used with :func:`expand` here and by
    :mod:`osint_kit.analysis.corroboration`.

    >>> indptr, indices = csr(np.array([1, 2, 2]), np.array([0, 0, 1]), 3)
    >>> indptr.tolist(), indices.tolist()
    ([0, 0, 1, 3], [0, 0, 1])
    """
    order = np.argsort(child, kind="stable")
    indices = parent[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, child + 1, 1)
    return np.cumsum(indptr), indices


def expand(
    nodes: np.ndarray, indptr: np.ndarray, indices: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every neighbour of each of ``nodes`` in a :func:`csr` adjacency, vectorised.

    Returns ``(position, neighbour)``: for each ``k``, one pair per neighbour
    of ``nodes[k]`` (``position`` = k), positions in increasing order.

    >>> indptr, indices = csr(np.array([1, 2, 2]), np.array([0, 0, 1]), 3)
    >>> [a.tolist() for a in expand(np.array([2, 0, 1]), indptr, indices)]
    [[0, 0, 2], [0, 1, 0]]
    """
    deg = indptr[nodes + 1] - indptr[nodes]
    pos = np.repeat(np.arange(len(nodes)), deg)
    starts = np.repeat(indptr[nodes], deg)
    offset = np.arange(len(pos)) - np.repeat(np.cumsum(deg) - deg, deg)
    return pos, indices[starts + offset]


def ancestor_codes(child: np.ndarray, parent: np.ndarray, n: int, max_depth: int = 64):
    """All (node, ancestor, depth) triples of an acyclic graph given as integer codes.

    ``child``/``parent`` are the links (node codes 0..n-1); ``depth`` is the
    fewest links from node to ancestor.  One numpy pass per level; a pair is
    kept the first (shallowest) time it is reached.
    """
    indptr, indices = csr(child, parent, n)
    nodes, anc, depth = [], [], []
    f_node, f_anc = child, parent
    seen = np.empty(0, dtype=np.int64)
    for d in range(1, max_depth + 1):
        keys = np.unique(f_node.astype(np.int64) * n + f_anc)
        keys = keys[~np.isin(keys, seen, assume_unique=True)]
        if not len(keys):
            break
        seen = np.union1d(seen, keys)
        f_node, f_anc = keys // n, keys % n
        nodes.append(f_node)
        anc.append(f_anc)
        depth.append(np.full(len(keys), d, dtype=np.int64))
        pos, nxt = expand(f_anc, indptr, indices)
        f_node, f_anc = f_node[pos], nxt
        if not len(f_node):
            break
    if not nodes:
        e = np.empty(0, dtype=np.int64)
        return e, e, e
    return np.concatenate(nodes), np.concatenate(anc), np.concatenate(depth)


def origin_codes(
    child: np.ndarray, n: int, a_node: np.ndarray, a_anc: np.ndarray, a_depth: np.ndarray
):
    """(node, origin, depth) from the ancestor triples: an origin is an ancestor
    with no parent of its own; a node with no parent is its own origin (depth 0)."""
    has_parent = np.zeros(n, dtype=bool)
    has_parent[child] = True
    roots = np.flatnonzero(~has_parent)
    to_root = ~has_parent[a_anc]
    return (
        np.concatenate([a_node[to_root], roots]),
        np.concatenate([a_anc[to_root], roots]),
        np.concatenate([a_depth[to_root], np.zeros(len(roots), dtype=np.int64)]),
    )


def _graph(sources: pd.DataFrame):
    """Node index (listed sources first, then parent ids not listed) and link codes."""
    check_acyclic(sources)
    ids = pd.Index(sources["source_id"].astype("string").drop_duplicates())
    links = parents(sources)
    ids = ids.append(pd.Index(links["parent_id"]).difference(ids)).astype("string")
    child = ids.get_indexer(links["source_id"]).astype(np.int64)
    parent = ids.get_indexer(links["parent_id"]).astype(np.int64)
    return ids, child, parent


def _frame(ids, n_listed, node, other, depth, name) -> pd.DataFrame:
    keep = node < n_listed  # rows for listed sources only
    out = pd.DataFrame(
        {
            "source_id": ids.take(node[keep]).astype("string"),
            name: ids.take(other[keep]).astype("string"),
            "depth": depth[keep].astype("int64"),
        }
    )
    return out


def ancestors(sources: pd.DataFrame) -> pd.DataFrame:
    """Every (source_id, ancestor_id, depth) reached through derived_from.

    ``depth`` is the fewest links from the source to the ancestor (1 = a
    parent).  Origins have no rows.  Sorted by source_id, depth, ancestor_id.

    Raises
    ------
    CycleError
        When the links form a cycle (every cycle is named).
    """
    ids, child, parent = _graph(sources)
    node, anc, depth = ancestor_codes(child, parent, len(ids))
    n_listed = sources["source_id"].nunique()
    return _frame(ids, n_listed, node, anc, depth, "ancestor_id").sort_values(
        ["source_id", "depth", "ancestor_id"], ignore_index=True
    )


def origins(sources: pd.DataFrame) -> pd.DataFrame:
    """Root sources reached from each source through ``derived_from``.

    Parameters
    ----------
    sources : DataFrame
        Needs ``source_id`` and ``derived_from``.

    Returns
    -------
    DataFrame
        Columns ``source_id``, ``origin_id``, ``depth`` (links followed from the
        source to that origin; 0 when the source is its own origin).  One row per
        (source, origin), at the shortest depth; a source with several
        independent roots has several rows.  A parent id that is not itself a
        listed source counts as an origin (the case loader rejects such dangling
        links before this).  Sorted by source_id, origin_id.

    Raises
    ------
    CycleError
        When the links form a cycle (every cycle is named).
    """
    ids, child, parent = _graph(sources)
    a_node, a_anc, a_depth = ancestor_codes(child, parent, len(ids))
    node, org, depth = origin_codes(child, len(ids), a_node, a_anc, a_depth)
    n_listed = sources["source_id"].nunique()
    return _frame(ids, n_listed, node, org, depth, "origin_id").sort_values(
        ["source_id", "origin_id"], ignore_index=True
    )
