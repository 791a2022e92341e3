"""Words of short answers: tokens, the answer's language (Italian or English), stems.

Tokens are runs of letters (apostrophes split Italian elisions: "dell'innovazione" gives
"innovazione"), lower-cased, at least three letters long, without stop words. Stems come from the
Snowball stemmer of the answer's language (PyStemmer), so that "finanziamenti" and "finanziamento"
count as one keyword.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import Stemmer

from ris3hub.engines.themes import stopwords

LANGUAGES = ("it", "en")
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Two-letter words that are subjects (Italian "ai" is a stop word, so AI is not among them).
_SHORT_CODES = {"ia", "ict", "ue", "eu", "pa"}
MIN_LENGTH = 3


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``, stop words included.

    >>> words("Più fondi per l'innovazione delle PMI, start-up e R&D!")
    ['più', 'fondi', 'per', 'l', 'innovazione', 'delle', 'pmi', 'start-up', 'e', 'r', 'd']
    """
    return _TOKEN.findall(text.lower())


def content_words(text: str) -> list[str]:
    """Words that carry the subject: no stop words, no one- or two-letter words but known acronyms.

    >>> content_words("Servono più fondi per l'innovazione delle PMI e per l'IA")
    ['fondi', 'innovazione', 'pmi', 'ia']
    """
    return [w for w in words(text)
            if w not in stopwords.ALL and (len(w) >= MIN_LENGTH or w in _SHORT_CODES)]


def detect_language(text: str, default: str = "en") -> str:
    """"it" or "en", from which language's stop words the text uses more; ``default`` on a tie.

    >>> detect_language("Le imprese non trovano tecnici specializzati")
    'it'
    >>> detect_language("We cannot find engineers")
    'en'
    """
    tokens = words(text)
    italian = sum(t in stopwords.ITALIAN for t in tokens)
    english = sum(t in stopwords.ENGLISH for t in tokens)
    if italian == english:
        return default
    return "it" if italian > english else "en"


def normalise_language(code: str | None) -> str | None:
    """"it" or "en" from a column value ("IT", "ita", "Italiano", "en-GB", "English"); None otherwise."""
    if not code:
        return None
    value = code.strip().lower()
    if value[:2] in ("it",) or value in ("ita", "italian", "italiano"):
        return "it"
    if value[:2] in ("en",) or value in ("eng", "english", "inglese"):
        return "en"
    return None


def languages_of(texts: Sequence[str], given: Sequence[str | None] | None = None) -> list[str]:
    """The language of each text: the given one where it is Italian or English, else detected.

    A text whose stop words do not tell (a list of keywords) takes the most common language.
    """
    known = [normalise_language(g) for g in given] if given is not None else [None] * len(texts)
    detected = [known[i] or detect_language(t, default="") for i, t in enumerate(texts)]
    counted = [d for d in detected if d]
    majority = max(LANGUAGES, key=counted.count) if counted else "en"
    return [d or majority for d in detected]


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("italian" if language == "it" else "english")


def stems(tokens: Sequence[str], language: str) -> list[str]:
    """Snowball stems of ``tokens`` in ``language``.

    >>> stems(["finanziamenti", "finanziamento", "imprese"], "it")
    ['finanz', 'finanz', 'impres']
    """
    return _stemmer(language).stemWords(list(tokens))
