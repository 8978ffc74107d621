"""Claim corroboration: who says what, and how many independent voices that is.

A claim repeated by thirty outlets that all copy one report is **one** voice.
This module turns a case's sources (with their ``derived_from`` relay links
and Admiralty reliability grades A–F) and assertions (a source's stance on a
claim) into:

* ``matrix`` — claims × sources, one stance per cell, sources ordered so
  that each relay group (the sources sharing an origin) sits together, every
  relay right after the source it copies (``source_order``);
* ``claim_summary`` — per claim: counts per stance, independent origins among
  supporters and contradictors, the best supporter grade, a status and a
  *suggested* Admiralty information-credibility grade 1–6 that an analyst
  may override in claims.csv;
* ``drift`` — per derived source, the claims it changed (qualified,
  contradicted, dropped) relative to its ancestors, and the claims it **adds**
  that none of its ancestors carries;
* ``problems`` — assertions that cannot be placed in the matrix (unknown
  source or claim, unknown stance word, repeated pair) and unusable grades,
  in the kit's problems table (:mod:`osint_kit.problems`).

All of them are attributes of the :class:`Corroboration` that
:func:`corroborate` returns: the analysis runs once, on integer codes with
numpy (each distinct stance word is normalised once), so it scales to 10,000
sources and 200,000 assertions (see ``benchmarks/bench_corroboration.py``).
:meth:`Corroboration.check` verifies that nothing was lost on the way.

>>> result = corroborate(case)                       # doctest: +SKIP
>>> result.claim_summary, result.drift, result.problems  # doctest: +SKIP

Definitions
-----------
Origins
    The root sources reached through ``derived_from``
    (:func:`osint_kit.analysis.relays.origins`); a source with no parents is its own
    origin.  Independence is judged at the *source* level: two relays of one
    wire are never independent of each other, even for a detail the wire does
    not carry (they may copy each other without saying so, or share the part
    of the wire nobody could read).  This errs on the side of fewer voices.
Status (per claim), first rule that applies
    ``no source in this case``: no source supports, contradicts or qualifies
    it (no assertion at all, or only ``omits``: leaving a detail out is not a
    statement about it).
    ``contested``: supported, and contradicted by at least one origin that
    none of the supporters shares.  A contradiction from inside the
    supporters' own relay family is relay drift, not an independent
    challenge, and does not make a claim contested (see ``drift``).
    ``corroborated``: supported by two or more independent origins.
    ``single origin``: supported through one origin, however many relays.
    ``contradicted only``: contradicted, never supported.
    ``only qualified``: only ever repeated with a material change.
Admiralty grades
    Source reliability (NATO AJP-2.1 / STANAG 2511; US FM 2-22.3 appendix B;
    MISP taxonomy ``admiralty-scale``): A completely reliable, B usually
    reliable, C fairly reliable, D not usually reliable, E unreliable,
    F reliability cannot be judged.  For the *best* grade among supporters
    the order is A > B > C > D > E > F: a source whose reliability cannot be
    judged adds nothing, so it ranks below E, and the best grade is F only
    when every supporter is F.  Missing grades are ignored.
    Information credibility: 1 confirmed by other (independent) sources,
    2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 truth
    cannot be judged.
Suggested credibility (:data:`CREDIBILITY_RULES`)
    corroborated → 1; single origin → 2 if the best supporter is A or B,
    3 if C, 4 if D or E, 6 if F or ungraded; contested → 3 when supporting
    origins outnumber independent contradicting ones, else 5; contradicted
    only → 5; only qualified → 6; no source in this case → 6.  This is a
    mechanical starting point: logic and consistency with other information,
    which the definitions also ask for, remain the analyst's judgement, given
    in claims.csv's ``credibility`` column (shown with
    ``credibility_source = "analyst"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from osint_kit.analysis import relays
from osint_kit.analysis.relays import ancestor_codes, csr, expand, origin_codes
from osint_kit.errors import CaseError
from osint_kit.problems import Problems, rejected_rows
from osint_kit.schema import bundle as schemas
from osint_kit.schema.tables import CaseTables, Tables

__all__ = [
    "STANCES",
    "STATUSES",
    "CREDIBILITY",
    "RELIABILITY",
    "CREDIBILITY_RULES",
    "Corroboration",
    "corroborate",
    "origins",
    "ancestors",
    "normalise_stance",
    "stance_words",
    "join_groups",
    "frames",
]

#: Stance words, in code order (code 0 = supports ... 3 = omits; -1 = blank).
STANCES: tuple[str, ...] = tuple(schemas.STANCES)
SUPPORTS, CONTRADICTS, QUALIFIES, OMITS = range(4)
BLANK = -1

#: Claim statuses, in the order the rules are tried.
STATUSES = (
    "no source in this case",
    "contested",
    "corroborated",
    "single origin",
    "contradicted only",
    "only qualified",
)

#: Admiralty information credibility (US Army FM 2-22.3 appendix B; MISP taxonomy
#: admiralty-scale, github.com/MISP/misp-taxonomies admiralty-scale/machinetag.json).
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
#: Admiralty source reliability (same references).
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
_GRADES = tuple(RELIABILITY)  # rank 0 (A, best) ... 5 (F, worst for "best")
_NO_GRADE = len(_GRADES)

#: How a status (and the best supporter grade) becomes a suggested credibility grade.
CREDIBILITY_RULES = pd.DataFrame(
    [
        ("corroborated", "any", 1, "two or more independent origins support it"),
        ("single origin", "A or B", 2, "one origin, best supporter usually reliable or better"),
        ("single origin", "C", 3, "one origin, best supporter fairly reliable"),
        ("single origin", "D or E", 4, "one origin, best supporter not usually reliable or worse"),
        ("single origin", "F or none", 6, "one origin whose reliability cannot be judged"),
        (
            "contested",
            "more supporting than contradicting origins",
            3,
            "independent origins disagree; the support is broader",
        ),
        (
            "contested",
            "otherwise",
            5,
            "independent origins disagree; the contradiction is as broad",
        ),
        ("contradicted only", "any", 5, "contradicted and never supported"),
        ("only qualified", "any", 6, "only ever repeated with a material change"),
        ("no source in this case", "any", 6, "no source in this case speaks to it"),
    ],
    columns=["status", "best_grade_support", "credibility", "reason"],
)

_SEP = ";"


# --------------------------------------------------------------------------- inputs


def frames(
    sources: pd.DataFrame,
    claims: pd.DataFrame,
    assertions: pd.DataFrame,
    hypotheses: pd.DataFrame | None = None,
    ach: pd.DataFrame | None = None,
) -> Tables:
    """Bundle bare frames into an object usable wherever a ``Case`` is expected
    (:class:`osint_kit.schema.tables.Tables`).

    For tests, synthetic data and tables that do not come from a case bundle.
    """
    return Tables(
        sources=sources, claims=claims, assertions=assertions, hypotheses=hypotheses, ach=ach
    )


def normalise_stance(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalise stance words; each distinct value is handled once.

    Case and spacing variants (``" Supports "``, ``"SUPPORTS"``) become the
    canonical word.  Returns ``(code, word)``: ``code`` int8 (0 supports,
    1 contradicts, 2 qualifies, 3 omits, -1 unknown or empty) and ``word`` the
    normalised text (<NA> when empty), both with the input's index.
    """
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    words = (
        pd.Index(uniques)
        .astype("string")
        .str.strip()
        .str.lower()
        .str.replace(r"\s+", " ", regex=True)
    )
    lookup = {w: i for i, w in enumerate(STANCES)}
    ucode = np.array(
        [lookup.get(w, BLANK) if isinstance(w, str) else BLANK for w in words], dtype=np.int8
    )
    code = np.where(codes >= 0, ucode[np.maximum(codes, 0)] if len(ucode) else BLANK, BLANK).astype(
        np.int8
    )
    word_arr = np.asarray(words.astype(object), dtype=object)
    word = pd.Series(
        np.where(codes >= 0, word_arr[np.maximum(codes, 0)] if len(word_arr) else None, None),
        index=values.index,
        dtype="string",
    )
    word = word.where(word != "", pd.NA)
    return pd.Series(code, index=values.index, dtype="int8"), word


def join_groups(
    group: np.ndarray,
    labels: np.ndarray,
    n_groups: int,
    order_key: np.ndarray | None = None,
    sep: str = _SEP,
) -> pd.Series:
    """``sep``-join ``labels`` per integer ``group`` (sorted by group, then
    ``order_key`` if given, else label).

    ``group`` holds codes 0..n_groups-1, aligned with ``labels``.  Vectorised:
    one ``np.add.reduceat`` over an object array instead of a Python function
    per group.  Returns a string Series of length ``n_groups`` (<NA> where a
    group has no label).  Used here (origin ids per claim) and by
    :mod:`osint_kit.analysis.ach` (drivers, ratings per item).

    >>> join_groups(np.array([1, 0, 1]), np.array(["b", "x", "a"]), 3).tolist()
    ['x', 'a;b', <NA>]
    """
    out = np.full(n_groups, None, dtype=object)
    if len(group):
        labels = np.asarray(labels, dtype=object)
        key = labels.astype(str) if order_key is None else np.asarray(order_key)
        order = np.lexsort((key, group))
        g, lab = group[order], labels[order]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        pieces = lab.copy()
        not_first = np.ones(len(g), dtype=bool)
        not_first[starts] = False
        pieces[not_first] = sep + pieces[not_first]
        out[g[starts]] = np.add.reduceat(pieces, starts)
    return pd.Series(out, dtype="string")


# --------------------------------------------------------------------------- the analysis


@dataclass
class Corroboration:
    """Everything :func:`corroborate` computes for one case, computed once.

    Attributes
    ----------
    matrix : DataFrame
        Claims × sources stance matrix.  Rows: every claim in claims.csv
        (file order), index ``claim_id``; columns: every source, index
        ``source_id``, in ``source_order`` (relay groups together, each relay
        after the source it copies); cells ``supports`` / ``contradicts`` /
        ``qualifies`` / ``omits`` or None (blank: the source does not speak
        to the claim).  Built from ``codes`` the first time it is read (at
        10,000 sources it is the one large object here).
    codes : ndarray, int8, shape (n_claims, n_sources)
        The same cells as stance codes (0 supports, 1 contradicts,
        2 qualifies, 3 omits, -1 blank); ``code_matrix`` labels them.
    claim_ids, source_ids : Index
        Row and column labels of ``codes`` and ``matrix``.
    claim_summary : DataFrame
        One row per claim in file order:

        claim_id, text (if given);
        n_supports, n_contradicts, n_qualifies, n_omits, n_sources (int):
        sources per stance, n_sources = sources asserting anything;
        n_origins_support, n_origins_contradict (int): distinct origins
        among supporters / contradictors;
        n_independent_contradict (int): contradicting origins that no
        supporter shares;
        origins_support (str): the supporting origins, ``;``-joined;
        entry_ids (str): supporters none of whose ancestors supports the
        claim, where it enters the relay graph; n_entry_points (int): how
        many (not independent: see the module docstring);
        best_grade_support (str): best Admiralty reliability among
        supporters (A best; F only when every supporter is F; <NA> when none
        is graded);
        status (str): one of :data:`STATUSES`;
        credibility_suggested (int): Admiralty information credibility 1–6
        from :data:`CREDIBILITY_RULES`;
        credibility (int): the analyst's grade from claims.csv when given,
        else the suggested one; credibility_label (str): its wording;
        credibility_source (str): ``analyst`` or ``suggested``;
        admiralty (str): best_grade_support + credibility, e.g. ``B2``
        (``-6`` when unsupported).
    drift : DataFrame
        One row per (derived source, claim) that differs from what the
        source's ancestors say: drift ``adds`` (supports or qualifies a claim
        no ancestor supports or qualifies), ``qualifies`` (repeats with a
        material change a claim an ancestor supports), ``contradicts`` (a
        claim an ancestor supports or qualifies), ``omits`` (leaves out a
        claim an ancestor supports).  Columns: source_id, claim_id, drift,
        stance, inherited (bool: an ancestor already has the same stance),
        ancestors_supporting (``;``-joined), origin_ids, depth, claim_text
        and summary when the inputs have them.  Sorted in matrix column
        order, then drift kind, then claim.
    source_order : DataFrame
        One row per source in matrix column order: position, source_id,
        group (the primary origin: relay groups sit together), origin_ids
        (all origins, ``;``-joined), parent_id (the primary parent, <NA> for
        an origin), depth (links to the group's origin along primary parents),
        reliability.
    origins : DataFrame
        source_id, origin_id, depth (links from the source to that origin).
    ancestors : DataFrame
        source_id, ancestor_id, depth (every source reached through
        derived_from, depth = fewest links).
    problems : DataFrame
        Rows the analysis could not use, in the kit's problems table
        (:data:`osint_kit.problems.PROBLEM_COLUMNS`).
    n_assertions : int
        Assertion rows read (= cells filled + assertion rows rejected).
    """

    claim_summary: pd.DataFrame
    drift: pd.DataFrame
    source_order: pd.DataFrame
    origins: pd.DataFrame
    ancestors: pd.DataFrame
    codes: np.ndarray
    claim_ids: pd.Index
    source_ids: pd.Index
    problems: pd.DataFrame
    n_assertions: int

    @cached_property
    def matrix(self) -> pd.DataFrame:
        """Claims × sources, stance words (None = blank); see the class docstring."""
        return stance_words(self.code_matrix)

    @property
    def code_matrix(self) -> pd.DataFrame:
        """Claims × sources, int8 stance codes (-1 = blank): ``codes`` labelled, not copied."""
        return pd.DataFrame(self.codes, index=self.claim_ids, columns=self.source_ids, copy=False)

    @property
    def n_cells(self) -> int:
        """Filled matrix cells (assertions placed)."""
        return int((self.codes >= 0).sum())

    @property
    def rows_rejected(self) -> int:
        """Assertion rows in ``problems`` with action ``rejected`` (not in the matrix)."""
        return rejected_rows(self.problems[self.problems["file"] == "assertions.csv"])

    def counts(self) -> dict:
        """Counts for an integrity check: assertions, placed, rejected, claims, sources,
        origins (distinct), drift_rows, problems (rows of the problems table)."""
        return {
            "assertions": self.n_assertions,
            "placed": self.n_cells,
            "rejected": self.rows_rejected,
            "claims": len(self.claim_ids),
            "sources": len(self.source_ids),
            "origins": int(self.origins["origin_id"].nunique()),
            "drift_rows": len(self.drift),
            "problems": len(self.problems),
        }

    def check(self) -> Corroboration:
        """Raise :class:`~osint_kit.errors.CaseError` if an invariant is broken; return self.

        * every assertion row is in the matrix or rejected in ``problems``;
        * ``claim_summary`` has one row per claim, in matrix row order;
        * per claim, the counts per stance add up to ``n_sources`` and equal
          the matrix row's cells;
        * ``source_order`` lists every source once, in matrix column order;
        * every status is one of :data:`STATUSES`, every grade 1–6.
        """
        broken = []
        n_c, n_s = self.codes.shape
        cells = self.codes.ravel()
        filled = np.flatnonzero(cells >= 0)  # one pass over the matrix, then the filled cells only
        rejected = self.rows_rejected
        if self.n_assertions != len(filled) + rejected:
            broken.append(
                f"{self.n_assertions} assertion rows in, {len(filled)} in the matrix + "
                f"{rejected} rejected"
            )
        s = self.claim_summary
        if s["claim_id"].tolist() != self.claim_ids.tolist():
            broken.append("claim_summary does not have one row per claim in matrix order")
        else:
            per_stance = s[["n_supports", "n_contradicts", "n_qualifies", "n_omits"]].to_numpy()
            in_matrix = np.bincount((filled // max(n_s, 1)) * 4 + cells[filled], minlength=n_c * 4)
            if not np.array_equal(per_stance.sum(axis=1), s["n_sources"].to_numpy()):
                broken.append("n_supports + n_contradicts + n_qualifies + n_omits != n_sources")
            if not np.array_equal(per_stance, in_matrix.reshape(n_c, 4)):
                broken.append("the counts per stance differ from the matrix cells")
        if (
            self.source_order["source_id"].tolist() != self.source_ids.tolist()
            or self.source_ids.has_duplicates
        ):
            broken.append("source_order is not the matrix columns, each source once")
        if not (s["status"].isin(STATUSES).all() and s["credibility"].between(1, 6).all()):
            broken.append("a status outside STATUSES or a credibility outside 1-6")
        if broken:
            raise CaseError(
                "corroboration invariant broken: "
                + "; ".join(broken)
                + ". This is a bug in osint_kit.analysis.corroboration: please report it "
                "with the case"
            )
        return self


def stance_words(codes: pd.DataFrame) -> pd.DataFrame:
    """Stance codes (int8, -1 blank) as stance words (None blank), same labels.

    >>> stance_words(pd.DataFrame([[0, -1, 3]])).iloc[0].tolist()
    ['supports', None, 'omits']
    """
    words = np.array([*STANCES, None], dtype=object)  # code -1 picks the last: None
    cells = codes.to_numpy(dtype=np.int8)  # int8 also when there is no cell at all
    return pd.DataFrame(words[cells], index=codes.index, columns=codes.columns, dtype=object)


def _unique_ids(frame: pd.DataFrame, what: str, found: Problems) -> tuple[pd.DataFrame, pd.Index]:
    """Keep the first row of each id (``what`` = source|claim); report the repeats."""
    col = f"{what}_id"
    ids = pd.Index(frame[col].astype("string"), name=col)
    if ids.has_duplicates:
        dup = ids.duplicated().to_numpy()
        found.add_where(
            f"{what}s.csv",
            frame,
            dup,
            col,
            f"repeats an earlier {col} (the first row is used)",
            f"give every {what} its own id",
        )
        frame, ids = frame[~dup], ids[~dup]
    return frame, ids


def corroborate(case: CaseTables, *, override_column: str = "credibility") -> Corroboration:
    """Run the whole corroboration analysis once.

    Parameters
    ----------
    case : Case or object with ``sources``, ``claims``, ``assertions`` frames
        sources: source_id, derived_from (``;``-separated ids), reliability
        (A–F); claims: claim_id [, text, credibility (1–6 analyst override)];
        assertions: source_id, claim_id, stance [, summary].
    override_column : str
        claims.csv column holding the analyst's credibility grade.

    Returns
    -------
    Corroboration
        Its frames (``matrix``, ``claim_summary``, ``drift``, ``source_order``,
        ``problems`` ...), already checked (:meth:`Corroboration.check`).

    Raises
    ------
    osint_kit.errors.CycleError
        derived_from links form a cycle (a source deriving from itself
        included); the message names every source in it.
    """
    sources, claims, assertions = case.sources, case.claims, case.assertions
    found = Problems()

    # ---- ids -> codes
    relays.check_acyclic(sources)  # raises CycleError naming the cycle
    sources, src_ids = _unique_ids(sources, "source", found)
    claims, claim_ids = _unique_ids(claims, "claim", found)
    n_s, n_c = len(src_ids), len(claim_ids)

    # ---- grades (rank 0 = A ... 5 = F, 6 = none)
    rel = (
        sources["reliability"]
        if "reliability" in sources
        else pd.Series(pd.NA, index=sources.index)
    )
    rel_codes, rel_uniques = pd.factorize(rel.astype("string"))
    rel_norm = pd.Index(rel_uniques).astype("string").str.strip().str.upper()
    grade_of = {g: i for i, g in enumerate(_GRADES)}
    urank = np.array(
        [grade_of.get(g, -1) if isinstance(g, str) else _NO_GRADE for g in rel_norm], dtype=np.int64
    )
    urank_empty = np.array([not isinstance(g, str) or g == "" for g in rel_norm], dtype=bool)
    urank[urank_empty] = _NO_GRADE
    grade_rank = np.where(
        rel_codes >= 0, urank[np.maximum(rel_codes, 0)] if len(urank) else _NO_GRADE, _NO_GRADE
    )
    bad_grade = grade_rank < 0
    if bad_grade.any():
        found.add_where(
            "sources.csv",
            sources,
            bad_grade,
            "reliability",
            "is not an Admiralty reliability grade A-F (ignored)",
            "use A, B, C, D, E or F (F = cannot be judged)",
            severity="warning",
            action="kept",
        )
        grade_rank = np.where(bad_grade, _NO_GRADE, grade_rank)
    grade_letter = np.array([*_GRADES, None], dtype=object)[grade_rank]

    # ---- relay graph as codes
    links = relays.parents(sources)
    l_child = src_ids.get_indexer(links["source_id"])
    l_parent = src_ids.get_indexer(links["parent_id"])
    ok = (l_child >= 0) & (l_parent >= 0)
    l_child, l_parent = l_child[ok].astype(np.int64), l_parent[ok].astype(np.int64)
    a_node, a_anc, a_depth = ancestor_codes(l_child, l_parent, n_s)
    o_src, o_org, o_depth = origin_codes(l_child, n_s, a_node, a_anc, a_depth)
    orig = pd.DataFrame(
        {
            "source_id": src_ids.take(o_src).astype("string"),
            "origin_id": src_ids.take(o_org).astype("string"),
            "depth": o_depth,
        }
    ).sort_values(["source_id", "origin_id"], ignore_index=True)
    o_indptr, o_indices = csr(o_src, o_org, n_s)
    anc_indptr, anc_indices = csr(a_node, a_anc, n_s)

    order = _source_order(
        src_ids=src_ids,
        l_child=l_child,
        l_parent=l_parent,
        o_src=o_src,
        o_org=o_org,
        grade_letter=grade_letter,
    )

    # ---- assertions -> codes, problems
    n_a = len(assertions)
    a_s = src_ids.get_indexer(assertions["source_id"].astype("string"))
    a_c = claim_ids.get_indexer(assertions["claim_id"].astype("string"))
    st, st_word = normalise_stance(assertions["stance"])
    st = st.to_numpy()
    bad_src = a_s < 0
    bad_claim = (~bad_src) & (a_c < 0)
    bad_st = (~bad_src) & (~bad_claim) & (st < 0)
    valid = ~(bad_src | bad_claim | bad_st)
    key = np.where(valid, a_c.astype(np.int64) * n_s + a_s, -1)
    _, first = np.unique(key, return_index=True)
    is_first = np.zeros(n_a, dtype=bool)
    is_first[first] = True
    dup = valid & ~is_first
    empty_st = st_word.isna().to_numpy()
    found.add_where(
        "assertions.csv",
        assertions,
        bad_src,
        "source_id",
        "names a source that is not in sources.csv",
        "add the source to sources.csv or correct the id",
    )
    found.add_where(
        "assertions.csv",
        assertions,
        bad_claim,
        "claim_id",
        "names a claim that is not in claims.csv",
        "add the claim to claims.csv or correct the id",
    )
    found.add_where(
        "assertions.csv",
        assertions,
        bad_st,
        "stance",
        np.where(empty_st, "is empty", "is not a stance word"),
        "use one of: " + ", ".join(STANCES),
    )
    found.add_where(
        "assertions.csv",
        assertions,
        dup,
        "claim_id",
        "repeats an earlier (source_id, claim_id) pair (the first row is used)",
        "keep one stance per source and claim",
    )
    placed = valid & is_first
    c, s, stv = (
        a_c[placed].astype(np.int64),
        a_s[placed].astype(np.int64),
        st[placed].astype(np.int64),
    )

    # ---- matrix codes in display order
    col_pos = np.empty(n_s, dtype=np.int64)
    col_pos[order["_code"].to_numpy()] = np.arange(n_s)
    codes = np.full((n_c, n_s), BLANK, dtype=np.int8)
    codes[c, col_pos[s]] = stv
    ordered_ids = pd.Index(order["source_id"], name="source_id")

    # ---- per claim
    counts = np.bincount(c * 4 + stv, minlength=n_c * 4).reshape(n_c, 4)

    def origin_pairs(mask):
        pos, org = expand(s[mask], o_indptr, o_indices)
        return np.unique(c[mask][pos] * n_s + org)

    sup_keys = origin_pairs(stv == SUPPORTS)
    con_keys = origin_pairs(stv == CONTRADICTS)
    n_org_sup = np.bincount(sup_keys // n_s, minlength=n_c)
    n_org_con = np.bincount(con_keys // n_s, minlength=n_c)
    indep = con_keys[~np.isin(con_keys, sup_keys)]
    n_indep_con = np.bincount(indep // n_s, minlength=n_c)

    best = np.full(n_c, _NO_GRADE, dtype=np.int64)
    sm = stv == SUPPORTS
    np.minimum.at(best, c[sm], grade_rank[s[sm]])

    # ancestor stance flags for every placed assertion (used by entry points and drift)
    pos, anc = expand(s, anc_indptr, anc_indices)
    akey = c[pos] * n_s + anc
    cell_key = c * n_s + s
    sort_idx = np.argsort(cell_key)
    sorted_keys = cell_key[sort_idx]
    hit = np.searchsorted(sorted_keys, akey)
    hit = np.minimum(hit, max(len(sorted_keys) - 1, 0))
    is_hit = (len(sorted_keys) > 0) & (sorted_keys[hit] == akey) if len(akey) else np.zeros(0, bool)
    anc_stance = np.where(is_hit, stv[sort_idx[hit]] if len(sorted_keys) else -1, BLANK)
    anc_flags = np.zeros((len(c), 4), dtype=bool)
    for k in range(4):
        m = anc_stance == k
        anc_flags[pos[m], k] = True
    same_in_anc = np.zeros(len(c), dtype=bool)
    m = anc_stance == stv[pos]
    same_in_anc[pos[m]] = True
    has_anc = (anc_indptr[s + 1] - anc_indptr[s]) > 0

    entry = sm & ~anc_flags[:, SUPPORTS]
    n_entry = np.bincount(c[entry], minlength=n_c)

    summ = _summary_frame(
        claims=claims,
        claim_ids=claim_ids,
        src_ids=src_ids,
        counts=counts,
        n_org_sup=n_org_sup,
        n_org_con=n_org_con,
        n_indep_con=n_indep_con,
        best=best,
        sup_keys=sup_keys,
        entry_c=c[entry],
        entry_s=s[entry],
        override_column=override_column,
        found=found,
    )
    summ.insert(summ.columns.get_loc("entry_ids") + 1, "n_entry_points", n_entry.astype("int64"))
    placed_rows = np.flatnonzero(placed)
    drift = _drift_frame(
        _Placed(c=c, s=s, stance=stv, rows=placed_rows),
        anc_flags=anc_flags,
        same_in_anc=same_in_anc,
        has_anc=has_anc,
        pos=pos,
        anc=anc,
        anc_stance=anc_stance,
        claim_ids=claim_ids,
        src_ids=src_ids,
        claims=claims,
        assertions=assertions,
        order=order,
    )

    anc_df = pd.DataFrame(
        {
            "source_id": src_ids.take(a_node).astype("string"),
            "ancestor_id": src_ids.take(a_anc).astype("string"),
            "depth": a_depth.astype("int64"),
        }
    )
    anc_df = anc_df.sort_values(["source_id", "depth", "ancestor_id"], ignore_index=True)
    return Corroboration(
        claim_summary=summ,
        drift=drift,
        source_order=order.drop(columns="_code"),
        origins=orig,
        ancestors=anc_df,
        codes=codes,
        claim_ids=claim_ids,
        source_ids=ordered_ids,
        problems=found.table(),
        n_assertions=n_a,
    ).check()


@dataclass(frozen=True)
class _Placed:
    """The assertions placed in the matrix, as aligned integer codes.

    ``c`` claim code, ``s`` source code, ``stance`` stance code (0..3) and
    ``rows`` the position of each in the assertions table.
    """

    c: np.ndarray
    s: np.ndarray
    stance: np.ndarray
    rows: np.ndarray


def _source_order(
    *,
    src_ids: pd.Index,
    l_child: np.ndarray,
    l_parent: np.ndarray,
    o_src: np.ndarray,
    o_org: np.ndarray,
    grade_letter: np.ndarray,
) -> pd.DataFrame:
    """Matrix column order: relay groups together, each relay after its parent.

    ``l_child``/``l_parent`` are the relay links as source codes (in
    derived_from order per source), ``o_src``/``o_org`` the (source, origin)
    pairs, ``grade_letter`` the reliability letter per source code.  The
    returned frame's ``_code`` column is each row's source code.

    The *primary* parent of a source is its first listed parent that is a
    known source; following primary parents gives one path from an origin.
    Sources are sorted by (group, path): groups largest first (ties in file
    order), siblings in file order; so a copy sits right after its original.
    """
    n = len(src_ids)
    primary = np.full(n, -1, dtype=np.int64)
    # links come from relays.parents in derived_from order per source: first = primary
    first_seen = np.unique(l_child, return_index=True)
    primary[first_seen[0]] = l_parent[first_seen[1]]
    chain = [np.arange(n)]
    while True:
        nxt = np.where(chain[-1] >= 0, primary[np.maximum(chain[-1], 0)], -1)
        if (nxt < 0).all() or len(chain) > 64:
            break
        chain.append(nxt)
    steps = np.stack(chain, axis=1)  # col 0 self, col k k-th primary ancestor (or -1)
    depth = (steps >= 0).sum(axis=1) - 1
    root = steps[np.arange(n), depth]
    group_size = np.bincount(root, minlength=n)
    # sort keys: group (size desc, root file position), then the path from the root down
    width = steps.shape[1]
    path = np.full((n, width), -1, dtype=np.int64)
    for k in range(width):  # path[:, k] = ancestor at distance depth-k (k = 0 is the root)
        d = depth - k
        ok = d >= 0
        path[ok, k] = steps[np.flatnonzero(ok), d[ok]]
    keys = [path[:, k] for k in range(width - 1, -1, -1)] + [root, -group_size[root]]
    idx = np.lexsort(keys)
    origin_ids = join_groups(o_src, np.asarray(src_ids.astype(object))[o_org], n)
    parent_ids = pd.array(
        np.where(primary >= 0, np.asarray(src_ids.astype(object))[np.maximum(primary, 0)], None),  # type: ignore[call-overload]  # numpy stubs: no overload takes None as a value
        dtype="string",
    )
    out = pd.DataFrame(
        {
            "position": np.arange(n, dtype="int64"),
            "source_id": src_ids.take(idx).astype("string"),
            "group": src_ids.take(root[idx]).astype("string"),
            "origin_ids": origin_ids.to_numpy()[idx],
            "parent_id": parent_ids[idx],
            "depth": depth[idx].astype("int64"),
            "reliability": pd.array(grade_letter[idx], dtype="string"),
            "_code": idx,
        }
    )
    out["origin_ids"] = out["origin_ids"].astype("string")
    return out


def _summary_frame(
    *,
    claims: pd.DataFrame,
    claim_ids: pd.Index,
    src_ids: pd.Index,
    counts: np.ndarray,
    n_org_sup: np.ndarray,
    n_org_con: np.ndarray,
    n_indep_con: np.ndarray,
    best: np.ndarray,
    sup_keys: np.ndarray,
    entry_c: np.ndarray,
    entry_s: np.ndarray,
    override_column: str,
    found: Problems,
) -> pd.DataFrame:
    """The claim summary (columns in :class:`Corroboration`), one row per claim code.

    ``counts`` (n_claims, 4) sources per stance; ``n_org_sup``, ``n_org_con``,
    ``n_indep_con`` origins per claim; ``best`` the best supporter grade rank
    (6 = none); ``sup_keys`` the (claim, origin) pairs of the support as
    ``claim * n_sources + origin``; ``entry_c``/``entry_s`` the entry points
    as (claim, source) codes.  Unusable analyst grades are added to ``found``.
    """
    n_c, n_s = len(claim_ids), len(src_ids)
    sup, con, qua, omi = (counts[:, k] for k in range(4))
    status = np.select(
        [
            (sup + con + qua) == 0,
            (sup > 0) & (n_indep_con > 0),
            n_org_sup >= 2,
            n_org_sup == 1,
            (sup == 0) & (con > 0),
        ],
        list(STATUSES[:5]),
        default=STATUSES[5],
    )
    grade = np.array([*_GRADES, None], dtype=object)[best]
    by_grade = np.select([best <= 1, best == 2, best <= 4], [2, 3, 4], default=6)
    cred = np.select(
        [
            status == "corroborated",
            status == "single origin",
            status == "contested",
            status == "contradicted only",
        ],
        [1, by_grade, np.where(n_org_sup > n_indep_con, 3, 5), 5],
        default=6,
    ).astype("int64")

    # origin ids supporting each claim, ';'-joined (one groupby over distinct pairs)
    id_arr = np.asarray(src_ids.astype(object))
    origins_support = join_groups(sup_keys // n_s, id_arr[sup_keys % n_s], n_c)
    entry_ids = join_groups(entry_c, id_arr[entry_s], n_c)

    out = pd.DataFrame({"claim_id": claim_ids.astype("string")})
    if "text" in claims:
        out["text"] = claims["text"].astype("string").to_numpy()
    out["n_supports"] = sup.astype("int64")
    out["n_contradicts"] = con.astype("int64")
    out["n_qualifies"] = qua.astype("int64")
    out["n_omits"] = omi.astype("int64")
    out["n_sources"] = (sup + con + qua + omi).astype("int64")
    out["n_origins_support"] = n_org_sup.astype("int64")
    out["n_origins_contradict"] = n_org_con.astype("int64")
    out["n_independent_contradict"] = n_indep_con.astype("int64")
    out["origins_support"] = origins_support.to_numpy()
    out["entry_ids"] = entry_ids.to_numpy()
    out["best_grade_support"] = pd.array(grade, dtype="string")
    out["status"] = pd.array(status, dtype="string")
    out["credibility_suggested"] = cred

    # analyst override
    final = cred.copy()
    source = np.full(n_c, "suggested", dtype=object)
    if override_column in claims:
        raw = claims[override_column].astype("string").str.strip()
        num = pd.to_numeric(raw, errors="coerce")
        good = num.isin([1, 2, 3, 4, 5, 6]).to_numpy()
        given = raw.notna().to_numpy() & (raw != "").fillna(False).to_numpy()
        bad = given & ~good
        if bad.any():
            found.add_where(
                "claims.csv",
                claims,
                bad,
                override_column,
                "is not an Admiralty credibility grade 1-6 (the suggested grade is used)",
                "use 1 (confirmed) ... 6 (cannot be judged), or leave it empty",
                severity="warning",
                action="kept",
            )
        use = given & good
        final = np.where(use, num.fillna(0).to_numpy().astype("int64"), cred)
        source[use] = "analyst"
    out["credibility"] = final.astype("int64")
    out["credibility_label"] = pd.array(
        np.array([CREDIBILITY[int(v)] for v in range(1, 7)], dtype=object)[final - 1],
        dtype="string",
    )
    out["credibility_source"] = pd.array(source, dtype="string")
    out["admiralty"] = out["best_grade_support"].fillna("-") + out["credibility"].astype("string")
    return out


_DRIFT_KINDS = ("adds", "qualifies", "contradicts", "omits")


def _drift_frame(
    placed: _Placed,
    *,
    anc_flags: np.ndarray,
    same_in_anc: np.ndarray,
    has_anc: np.ndarray,
    pos: np.ndarray,
    anc: np.ndarray,
    anc_stance: np.ndarray,
    claim_ids: pd.Index,
    src_ids: pd.Index,
    claims: pd.DataFrame,
    assertions: pd.DataFrame,
    order: pd.DataFrame,
) -> pd.DataFrame:
    """The drift table (columns in :class:`Corroboration`).

    Per placed assertion: ``anc_flags`` (n, 4) whether some ancestor of the
    source has each stance on the claim, ``same_in_anc`` whether one has the
    same stance, ``has_anc`` whether the source has ancestors; ``pos``/``anc``
    /``anc_stance`` one row per (placed assertion, ancestor) with that
    ancestor's stance (-1 none); ``order`` from :func:`_source_order`.
    """
    c, s, stv = placed.c, placed.s, placed.stance
    anc_sup, anc_qua = anc_flags[:, SUPPORTS], anc_flags[:, QUALIFIES]
    kind = np.select(
        [
            has_anc & ((stv == SUPPORTS) | (stv == QUALIFIES)) & ~anc_sup & ~anc_qua,
            has_anc & (stv == QUALIFIES) & anc_sup,
            has_anc & (stv == CONTRADICTS) & (anc_sup | anc_qua),
            has_anc & (stv == OMITS) & anc_sup,
        ],
        [0, 1, 2, 3],  # index into _DRIFT_KINDS
        default=-1,
    )
    rows = np.flatnonzero(kind >= 0)
    # matrix column order, then drift kind, then claim (file order): integer keys only
    codes_in_order = order["_code"].to_numpy()
    col_pos = np.empty(len(codes_in_order), dtype=np.int64)
    col_pos[codes_in_order] = np.arange(len(codes_in_order))
    rows = rows[np.lexsort((c[rows], kind[rows], col_pos[s[rows]]))]
    # ancestors that support the claim, ';'-joined (only for drift rows)
    is_drift = np.zeros(len(c), dtype=bool)
    is_drift[rows] = True
    m = is_drift[pos] & (anc_stance == SUPPORTS)
    anc_support = join_groups(pos[m], np.asarray(src_ids.astype(object))[anc[m]], len(c))

    by_code = np.empty(len(codes_in_order), dtype=np.int64)
    by_code[codes_in_order] = np.arange(len(codes_in_order))
    o_rows = by_code[s[rows]]
    out = pd.DataFrame(
        {
            "source_id": src_ids.take(s[rows]).astype("string"),
            "claim_id": claim_ids.take(c[rows]).astype("string"),
            "drift": pd.array(np.array(_DRIFT_KINDS, dtype=object)[kind[rows]], dtype="string"),
            "stance": pd.array(np.array(STANCES, dtype=object)[stv[rows]], dtype="string"),
            "inherited": same_in_anc[rows],
            "ancestors_supporting": anc_support.array[rows],
            "origin_ids": order["origin_ids"].array[o_rows],
            "depth": order["depth"].to_numpy()[o_rows].astype("int64"),
        }
    )
    if "text" in claims:
        out["claim_text"] = claims["text"].astype("string").array[c[rows]]
    if "summary" in assertions:
        out["summary"] = assertions["summary"].astype("string").array[placed.rows[rows]]
    return out


# --------------------------------------------------------------------------- public wrappers


def origins(sources: pd.DataFrame) -> pd.DataFrame:
    """Root sources of each source through derived_from (source_id, origin_id, depth).

    Thin wrapper of :func:`osint_kit.analysis.relays.origins`; raises ``CycleError``
    naming every cycle.
    """
    return relays.origins(sources)


def ancestors(sources: pd.DataFrame) -> pd.DataFrame:
    """Every (source_id, ancestor_id, depth) reached through derived_from.

    Thin wrapper of :func:`osint_kit.analysis.relays.ancestors`; raises ``CycleError``
    naming every cycle.
    """
    return relays.ancestors(sources)
