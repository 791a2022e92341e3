"""Name normalisation used to recognise one organisation across sources."""

from __future__ import annotations

import re
import unicodedata

# Legal-form words that differ between sources for the same organisation.
_LEGAL_FORMS = {
    "srl", "spa", "sas", "snc", "scarl", "scrl", "sl", "sa", "sarl", "gmbh", "ag", "kg", "ltd", "limited",
    "plc", "bv", "nv", "ab", "oy", "as", "aps", "inc", "llc", "co", "sro", "zoo", "doo", "ev", "sapa",
}
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_name(name: str) -> str:
    """Lower-case ASCII words without punctuation or legal-form suffixes.

    >>> normalise_name("Università di Bologna - Alma Mater Studiorum")
    'universita di bologna alma mater studiorum'
    >>> normalise_name("ACME S.r.l.")
    'acme'
    """
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    ascii_name = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b)", "", ascii_name)  # s.r.l -> srl
    ascii_name = ascii_name.replace(".", "")
    words = [w for w in _NON_WORD.split(ascii_name) if w]
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def normalise_city(city: str) -> str:
    return normalise_name(city)
