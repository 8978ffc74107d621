"""Person names across scripts: one person key for Гусев / Gusev / Goussev.

Leaked bookings, manifests and press reports spell the same person in
Cyrillic and in several Latin transliterations (BGN/PCGN "Gusev", French
"Goussev", German "Gussew").  :func:`person_keys` groups such spellings into
one ``person_key`` without a hand-written transliteration table, using
maintained libraries through :mod:`osint_kit.text`:

* :func:`osint_kit.text.ascii_text` (anyascii) transliterates any script to
  ASCII (Гусев -> Gusev, Щербаков -> Shcherbakov, Юрий -> Yuriy);
* :func:`osint_kit.text.metaphone` (jellyfish) gives a phonetic code (gusev,
  goussev -> ``KSF``);
* :func:`osint_kit.text.jaro_winkler` (jellyfish) scores spelling similarity.

(The FollowTheMoney ecosystem's ``rigour`` does the same, but needs PyICU, which
must be compiled against ICU: see :mod:`osint_kit.text`.)

Rule, per distinct (surname, given name) pair, documented and tested:

1. Both parts are transliterated with ``ascii_text`` and lower-cased.
2. Distinct surnames are linked when their metaphone codes are equal *or*
   their Jaro-Winkler similarity is >= 0.90 (:data:`SURNAME_JW`), *and*
   they agree on the Russian feminine ending (Gusev vs Guseva are different
   people -- often relatives).  Distinct given names (2+ letters) are linked
   at equal metaphone or Jaro-Winkler >= 0.80 (:data:`GIVEN_JW`:
   ivan/iwan 0.85, sergey/sergei 0.93, ivan/ilya 0.67 -> no).  Jaro-Winkler
   is computed only within blocks sharing the first letter (and, above 2,000
   distinct names, also the first or last three letters); linked names form
   groups (connected components, networkx).
3. A person is a (surname group, given-name group).  An initial ("I") joins
   the given-name group of the same surname group only when exactly one
   group starts with that letter; otherwise it stays apart.
4. The key is the most frequent spelling of the person, "surname given" in
   ASCII ("gusev ivan"); ties break alphabetically.

A patronymic is ignored (often absent in Latin-script records).  Matching on
names alone can merge namesakes: treat a shared person_key as a lead to be
checked against other fields (passport hash, birth date), not as proof.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd

__all__ = ["split_full_names", "person_keys", "name_problem", "SURNAME_JW", "GIVEN_JW"]

SURNAME_JW = 0.90
GIVEN_JW = 0.80

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# U+FFFD; UTF-8 read as Latin-1 ("Ð³Ñ"); cp1251 read as Latin-1 (runs of
# À-ÿ letters: "Ãóñåâ"); runs of "?" left by a lossy re-encoding
# UTF-8 read as cp1251 ("РЎРёРґРѕСЂРѕРІ": lead byte Р/С + a continuation byte, twice)
_CP1251_CONT = "ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—™љ›њќћџ\u00A0ЎўЈ¤Ґ¦§Ё©Є«¬\u00AD®Ї°±Ііґµ¶·ё№є»јЅѕї"
_MOJIBAKE = re.compile(r"[\uFFFD]|[ÐÑ][\u0080-\u00BF]|â€|[\u00C0-\u00FF]{3,}|\?{2,}"
                       rf"|(?:[РС][{_CP1251_CONT}]){{2,}}")
_LETTER = re.compile(r"[^\W\d_]")
_TITLES = re.compile(r"\b(mr|mrs|ms|miss|mstr|dr|г-н|г-жа)\.?$", re.IGNORECASE)


def name_problem(text: str | None) -> str | None:
    """Why a name cannot be read, or None.  Empty names are not a problem here."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return None
    s = str(text)
    if _MOJIBAKE.search(s):
        return (f"unreadable name {s!r}: looks mis-decoded (replacement characters or "
                "mojibake); re-read the file with its real encoding (encoding='utf-8' or "
                "encoding='cp1251')")
    if not _LETTER.search(s):
        return f"unreadable name {s!r}: no letters"
    return None


def split_full_names(full: pd.Series) -> pd.DataFrame:
    """Split one-field names into surname and given name.

    Conventions (documented, not guessed per row):
    ``SURNAME/GIVEN`` (airline PNR style) and ``Surname, Given`` put the
    surname first; a Cyrillic name is in Russian document order
    (Фамилия Имя Отчество); any other Latin name is "Given [Middle] Surname".
    Returns columns ``surname``, ``given_name`` (string), same index.
    """
    text = full.astype("string").str.strip()
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    sur, giv = [], []
    for u in uniques:
        u = _TITLES.sub("", str(u)).strip()
        if "/" in u or "," in u:
            a, _, b = re.split(r"([/,])", u, maxsplit=1)
            s, g = a.strip(), (b.strip().split() or [""])[0]
        else:
            parts = u.split()
            if not parts:
                s = g = ""
            elif len(parts) == 1:
                s, g = parts[0], ""
            elif _CYRILLIC.search(u):
                s, g = parts[0], parts[1]
            else:
                s, g = parts[-1], parts[0]
        sur.append(s or None)
        giv.append(g or None)
    sur_a = pd.array(sur + [None], dtype="string")
    giv_a = pd.array(giv + [None], dtype="string")
    take = np.where(codes < 0, len(uniques), codes)
    return pd.DataFrame({"surname": sur_a.take(take), "given_name": giv_a.take(take)},
                        index=full.index)


def _ascii(text) -> str:
    from osint_kit.text import ascii_text

    if text is None or pd.isna(text):
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = s.lower() if s.isascii() else ascii_text(s).lower()  # transliterate only when needed
    return re.sub(r"[^a-z]+", "", s)


def _feminine(surname: str) -> bool:
    # Russian feminine surnames: -ova/-eva/-ina/-aya/-skaya (ascii, lower-case)
    return surname.endswith(("a", "aya"))


def _cluster(names, threshold, metaphone, jaro_winkler, compatible=None,
             large: bool = False) -> dict[str, int]:
    """Group distinct ASCII names into connected components of links.

    Two names are linked when their metaphone codes are equal (found by
    grouping on the code, no pairwise loop) or when their Jaro-Winkler
    similarity is >= ``threshold``; the latter is tested within blocks of
    names sharing their first letter -- or, with ``large=True`` (many
    distinct names), within smaller blocks sharing their first letter and
    either their first three or their last three letters (Shcherbakov /
    Scherbakov share "s" + "kov"), which keeps the pairwise work small.
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(names)
    codes = {n: metaphone(n) for n in names}
    by_code: dict[str, list[str]] = {}
    blocks: dict[tuple[str, str], list[str]] = {}
    for n in names:
        by_code.setdefault(codes[n], []).append(n)
        if large:
            blocks.setdefault(("end", n[0], n[-3:]), []).append(n)
            blocks.setdefault(("start", n[:3]), []).append(n)
        else:
            blocks.setdefault(("first", n[0]), []).append(n)
    for group in by_code.values():
        for a, b in zip(group, group[1:]):
            if compatible is None or compatible(a, b):
                graph.add_edge(a, b)
            else:  # same sound, different gender ending: link only compatible names
                for c in group:
                    if c != a and compatible(a, c):
                        graph.add_edge(a, c)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1:]:
                if (compatible is None or compatible(a, b)) and \
                        jaro_winkler(a, b) >= threshold:
                    graph.add_edge(a, b)
    out: dict[str, int] = {}
    for k, comp in enumerate(nx.connected_components(graph)):
        for n in comp:
            out[n] = k
    return out


def person_keys(surname: pd.Series, given_name: pd.Series | None = None) -> pd.DataFrame:
    """A person key shared by spellings of one name across scripts.

    Parameters
    ----------
    surname : pandas.Series
        Family names in any script.
    given_name : pandas.Series, optional
        Given names, same index (patronymics excluded).

    Returns
    -------
    pandas.DataFrame
        Same index; ``person_key`` (string, "surname given" in ASCII, <NA>
        when the name is empty or unreadable), ``name_ascii`` (this row's
        transliteration) and ``name_problem`` (reason or <NA>).  Each distinct
        pair is processed once; pairs are compared only within blocks that
        share the first letter of the transliterated surname.
    """
    from osint_kit.text import jaro_winkler, metaphone

    if given_name is None:
        given_name = pd.Series(pd.NA, index=surname.index, dtype="string")
    # distinct (surname, given) pairs via integer codes: no per-row string work
    cs, us = pd.factorize(surname, use_na_sentinel=True)
    cg, ug = pd.factorize(given_name, use_na_sentinel=True)
    codes, pair_uniques = pd.factorize((cs + 1).astype(np.int64) * (len(ug) + 1) + (cg + 1))
    si = pair_uniques // (len(ug) + 1) - 1
    gi = pair_uniques % (len(ug) + 1) - 1
    # transliterate / check each distinct surname and given name once
    def per_name(values):
        clean = [v.strip() if isinstance(v, str) and v.strip() else None for v in values]
        prob = [name_problem(v) for v in clean]
        asc = ["" if (p or v is None) else _ascii(v) for v, p in zip(clean, prob)]
        return (np.array(clean + [None], dtype=object), np.array(prob + [None], dtype=object),
                np.array(asc + [""], dtype=object))

    s_clean, s_prob, s_ascii = per_name(list(us))
    g_clean, g_prob, g_ascii = per_name(list(ug))
    uniq = pd.DataFrame({"s": s_clean[si], "g": g_clean[gi]}, dtype=object)
    counts = np.bincount(codes, minlength=len(uniq))
    problem = np.where(pd.isna(s_prob[si]), g_prob[gi], s_prob[si])
    bad = ~pd.isna(problem)
    uniq["sa"] = np.where(bad, "", s_ascii[si])
    uniq["ga"] = np.where(bad, "", g_ascii[gi])
    uniq["problem"] = problem
    uniq["n"] = counts
    ok = uniq["sa"] != ""
    surnames = uniq.loc[ok, "sa"].unique()
    sgroup = _cluster(surnames, SURNAME_JW, metaphone, jaro_winkler,
                      compatible=lambda a, b: _feminine(a) == _feminine(b),
                      large=len(surnames) > 2000)
    givens = uniq.loc[ok & (uniq["ga"].str.len() > 1), "ga"].unique()
    ggroup = _cluster(givens, GIVEN_JW, metaphone, jaro_winkler, large=len(givens) > 2000)
    uniq["sg"] = uniq["sa"].map(sgroup)
    uniq["gg"] = uniq["ga"].map(ggroup)
    # "" (no given name) is its own group; an initial joins the only given-name
    # group of the same surname group that starts with that letter
    uniq.loc[ok & (uniq["ga"] == ""), "gg"] = -1
    initials = ok & (uniq["ga"].str.len() == 1)
    if initials.any():
        full = uniq[ok & uniq["gg"].ge(0).fillna(False)]
        options = (full.assign(letter=full["ga"].str[0])
                   .groupby(["sg", "letter"])["gg"].agg(lambda g: set(g)))
        for i in uniq.index[initials]:
            cand = options.get((uniq.at[i, "sg"], uniq.at[i, "ga"]), set())
            uniq.at[i, "gg"] = next(iter(cand)) if len(cand) == 1 else -2 - i
    key = pd.Series(pd.NA, index=uniq.index, dtype="string")
    spelled = (uniq["sa"] + " " + uniq["ga"]).str.strip()
    scored = uniq.loc[ok].assign(spelling=spelled[ok],
                                 weight=np.where(uniq.loc[ok, "ga"].str.len() == 1, 0, 1)
                                 * uniq.loc[ok, "n"])
    totals = scored.groupby(["sg", "gg", "spelling"], as_index=False)["weight"].sum()
    best = (totals.sort_values(["weight", "spelling"], ascending=[False, True])
            .groupby(["sg", "gg"])["spelling"].first())
    key[ok] = pd.MultiIndex.from_frame(uniq.loc[ok, ["sg", "gg"]]).map(best).to_numpy()
    ascii_name = (uniq["sa"] + " " + uniq["ga"]).str.strip().replace("", None)
    out = pd.DataFrame({
        "person_key": pd.array(key.to_numpy(), dtype="string"),
        "name_ascii": pd.array(ascii_name.to_numpy(), dtype="string"),
        "name_problem": pd.array(uniq["problem"].to_numpy(), dtype="string"),
    })
    out = out.take(codes)
    out.index = surname.index
    return out
