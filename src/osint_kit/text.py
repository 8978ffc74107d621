"""Text keys for matching names across scripts.

Thin, documented wrappers over two maintained libraries that ship wheels for
every platform (so the kit installs with plain pip, no compiler or ICU):

* ``anyascii`` transliterates any script to ASCII (Гусев → Gusev,
  Щербаков → Shcherbakov, Москва → Moskva, تهران → thrn);
* ``jellyfish`` gives the phonetic code (metaphone: gusev, goussev → KSF) and
  the Jaro-Winkler similarity used for spelling variants.

The FollowTheMoney ecosystem's ``rigour`` offers the same operations, but it
depends on PyICU, which has no wheels on PyPI and must be compiled against
ICU's C++ headers: too much to ask of an analyst's laptop.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_text", "match_key", "metaphone", "jaro_winkler", "hidden_characters",
           "HIDDEN_CHARACTERS"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

#: Characters that make two ids look alike but compare unequal: C0/C1 controls
#: (NUL included; tab, LF and CR are the file's business), zero-width and
#: joiner characters, bidirectional overrides and isolates (a right-to-left
#: override can make ``T1\u202e2T`` display as ``T1T2``), word joiners, the
#: byte-order mark (two exports joined by ``cat`` leave one mid-file) and the
#: soft hyphen.
HIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


def ascii_text(text: str) -> str:
    """``text`` transliterated to ASCII (case kept), after NFKC normalisation."""
    from anyascii import anyascii

    return anyascii(unicodedata.normalize("NFKC", str(text)))


def match_key(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("" when nothing is left).

    >>> match_key("  Дата вылета ") , match_key("TEHRAN"), match_key("Sheremet'evo")
    ('data vyleta', 'tehran', 'sheremet evo')
    """
    return _NON_ALNUM.sub(" ", ascii_text(text).lower()).strip()


def metaphone(text: str) -> str:
    """Metaphone code of an ASCII word (jellyfish)."""
    import jellyfish

    return jellyfish.metaphone(text)


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two strings, 0..1 (jellyfish)."""
    import jellyfish

    return jellyfish.jaro_winkler_similarity(a, b)


def hidden_characters(text: str) -> str | None:
    """Say which invisible character ``text`` holds, or None when it has none.

    An id with a hidden character (a BOM, a zero-width space, a right-to-left
    override, NUL) looks like another id but does not join with it: a record
    of ``\ufeffT1`` is a different record from ``T1``.  Readers report such a
    value instead of keeping it silently.  Use it on ids and codes, not on
    prose: Persian writes U+200C (zero-width non-joiner) inside words.

    >>> hidden_characters("T\u200b1")
    'U+200B ZERO WIDTH SPACE at character 2'
    >>> hidden_characters("T1") is None
    True
    """
    found = HIDDEN_CHARACTERS.search(str(text))
    if found is None:
        return None
    ch = found.group()
    name = unicodedata.name(ch, "control character")
    return f"U+{ord(ch):04X} {name} at character {found.start() + 1}"
