"""German compound splitting, for the search analysis.

German writes compounds as one word (``Kunststofftechnikcluster``), so a visitor
looking for ``Kunststoff`` or ``Technik`` would not find it.  The *index* side
(``analysis.analyse_to_string``, what ``cms.search.documents`` stores) therefore
follows each German compound's token with the tokens of its parts, analysed
like words of their own (``kunststofftechnikclust kunststofftechnik kunststoff
kunst stoff technik clust``); the *query* side (``analysis.analyse``) does not, and
``cms.search.expansion`` adds a typed compound's parts (``analysis.compound_tokens``)
as weaker terms, so a document that has the compound itself ranks first.

The splitter (:func:`compound_parts`) is dictionary-driven, over the German
form table of simplemma, which the lemmatiser has already loaded: no new
dependency, no extra memory, and the same words the lemmatiser knows.  A word
is split into the fewest dictionary words (then the fewest linking letters
``s``/``es``/``n``/``en``/``er``/``e``/``ens``, then the most balanced parts),
and parts of seven letters or more are split again.  The dictionary also
holds names and rare forms (``Chen``, ``Nisse``, ``Ismus``, ``Off``), so the
rules are strict: every part has 4+ letters, the head (last part) is a noun (a
capitalised dictionary entry), a modifier a noun or another word of 5+ letters
(``Solar``); a word the dictionary itself knows (``Technischen``,
``Ergebnisse``) is split only into nouns of 5+ letters each (``Kunststoff`` ->
``Kunst`` + ``Stoff``, ``Wirtschaftsförderung`` -> ``Wirtschafts`` +
``Förderung``; ``Netzwerk`` stays whole); words the dictionary knows only in
lower case (adjectives, verbs), feminine forms (``Mitarbeiterinnen``) and
function words are never split nor parts.  Documents have their capitalised
words split only (German capitalises nouns; lower-case adjectives and
participles give false parts: ``kulturellen`` -> ``Kultur`` + ``Ellen``); a
query's words are split whatever their case, since visitors type lower case.
Each distinct word is split once per process (cached); a cold split costs
about as much as analysing a few dozen words (simplemma's compressed table is
slow to probe: ~30 µs a lookup).
The libraries considered do not fit: ``compound-split``
(CharSplit's n-gram model) is GPL-3.0, unmaintained since 2020 and a 39 MB
Python module to import; ``charsplit-fst`` (the same model in Rust) needs
Python 3.12; ``german-nouns`` is a 20 MB Wiktionary CSV under CC BY-SA,
unmaintained since 2022, that pulls in a Wiktionary parser.  The other
languages searched here (cs, sk, pl, sl, it, en) write compounds as separate
words or hyphenate them (split by the tokeniser already), so only German is
split (:data:`COMPOUND_LANGUAGES`).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from cms.search.lexicon import STOPWORDS, fold, is_member, normalise_language

#: Languages whose compound words are split into their parts (see "German compounds").
COMPOUND_LANGUAGES: frozenset[str] = frozenset({"de"})

#: Linking letters ("Fugenelemente") allowed between two parts: Wirtschaft-s-förderung.
_LINKS = ("", "s", "es", "n", "en", "er", "e", "ens")
#: Shorter words are never split; longer parts are split again.
MIN_COMPOUND = 7
#: Longer words are not split (the search is quadratic in the length).
_MAX_COMPOUND = 48
#: At most this many parts per word (over every level).
_MAX_PARTS = 8


def _noun(part: str, lang: str) -> bool:
    return is_member(part.capitalize(), lang)


def _acceptable(part: str, lang: str, *, strict: bool, head: bool) -> bool:
    if fold(part) in STOPWORDS[lang]:
        return False
    if strict:
        return len(part) >= 5 and _noun(part, lang)
    if len(part) < 4:  # three-letter entries are mostly noise: Off, Ale, Ern, Sam
        return False
    return _noun(part, lang) or (not head and len(part) >= 5 and is_member(part, lang))


@lru_cache(maxsize=65_536)
def split_word(word: str, lang: str, strict: bool) -> tuple[str, ...] | None:
    """The best split of lower-case ``word`` into two or more acceptable parts, or None.

    Dynamic programming from the end: ``best[i]`` is the best split of ``word[i:]``,
    ranked by (number of parts, linking letters, -product of the part lengths).
    """
    n = len(word)
    best: dict[int, tuple[tuple[int, int, int], tuple[str, ...]]] = {n: ((0, 0, -1), ())}
    for i in range(n - 3, -1, -1):
        choice = None
        for j in range(i + 3, n + 1):
            part = word[i:j]
            for link in _LINKS:
                k = j + len(link)
                if k > n or (link and (k == n or word[j:k] != link)) or k not in best:
                    continue
                head = k == n
                if i == 0 and head:
                    continue  # the word itself is not a split
                if not _acceptable(part, lang, strict=strict, head=head):
                    continue
                (count, links, product), rest = best[k]
                key = (count + 1, links + len(link), product * len(part))
                if choice is None or key < choice[0]:
                    choice = (key, (part, *rest))
        if choice is not None:
            best[i] = choice
    return best[0][1] if 0 in best else None


def _compound_parts(word: str, lang: str, depth: int = 0) -> list[str]:
    if not (MIN_COMPOUND <= len(word) <= _MAX_COMPOUND) or depth > 3:
        return []
    known = is_member(word, lang) or _noun(word, lang)
    if not _noun(word, lang) and is_member(word, lang):
        return []  # known only in lower case: an adjective, a verb, an adverb
    for suffix in ("innen", "in"):  # Mitarbeiterinnen: a derivation, not a compound
        if word.endswith(suffix) and _noun(word[: -len(suffix)], lang):
            return []
    out: list[str] = []
    for part in split_word(word, lang, known) or ():
        for found in (part, *_compound_parts(part, lang, depth + 1)):
            if found not in out:
                out.append(found)
    return out


@lru_cache(maxsize=65_536)
def compound_parts(word: str, language: str) -> tuple[str, ...]:
    """The parts of a compound word, lower-case as written, or ``()``.

    ``Kunststofftechnikcluster`` -> ``("kunststofftechnik", "kunststoff", "kunst",
    "stoff", "technik", "cluster")``: every level of the split, outer parts first.
    Only for :data:`COMPOUND_LANGUAGES`; words of other languages give ``()``.
    """
    lang = normalise_language(language)
    word = unicodedata.normalize("NFC", word).lower()
    if lang not in COMPOUND_LANGUAGES or not word.isalpha():
        return ()
    return tuple(_compound_parts(word, lang)[:_MAX_PARTS])


def clear_caches() -> None:
    """Forget the splits made (with the tables they were made from)."""
    for cached in (split_word, compound_parts):
        cached.cache_clear()
