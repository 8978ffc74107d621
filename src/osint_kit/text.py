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

__all__ = ["ascii_text", "match_key", "metaphone", "jaro_winkler"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


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
