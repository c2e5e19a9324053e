"""Terms added to a query for compounds and typos, so that harder queries still find.

For whom: a visitor who types one part of a German compound (``Kunststoff`` for
``Kunststofftechnikcluster``) or the compound of what a text writes in parts,
and a visitor who mistypes a word (``Kunstoff``, ``potravyny``). Both get what
their words find first, and below it what the added terms find: every term
added here weighs less than the visitor's own (``cms.search.query.Term``), and
the backends rank a match on weaker terms below an exact one.

Compounds
---------
The documents already carry their compounds' parts as tokens (the index side
of ``cms.search.analysis``), so a part typed alone matches exactly. Here, a
compound *typed* by the visitor adds its parts' tokens (the same splitter,
``analysis.compound_tokens``) with :data:`COMPOUND_WEIGHT`, for the languages
of the query's fallback chain that split compounds (German).

Typos
-----
For each query word of :data:`MIN_TYPO_CHARS` or more letters that the index
does not know (none of its analysed tokens is an indexed token of the
language: a known word needs no variants), the language's indexed tokens
within one edit of the word's tokens (two for words of :data:`TWO_EDITS_CHARS`
letters or more), optimal string alignment, that start with the same letter,
nearest first, then the most frequent (in documents); at most
:data:`MAX_TYPO_VARIANTS` per word, added with :data:`TYPO_WEIGHT`. Comparing
analysed tokens rather than words lets a typo find what only a compound's part
spells (``Kunstoff`` -> ``kunststoff``, a part of ``Kunststofftechnikcluster``)
and ignores inflection (``potravyny`` -> ``potravin``). The tokens come from
language's vocabulary (``cms.search.vocabulary``, did-you-mean's too: read from the
search documents, cached per process until they change; one aggregate
statement at most every ``SEARCH_VOCABULARY_CHECK_SECONDS`` to know they have
not), so every backend expands the same way. A query without a word of five letters or
more costs nothing.
"""

from __future__ import annotations

from cms.core.languages import fallback_chain
from cms.search import synonyms
from cms.search.analysis import COMPOUND_LANGUAGES, compound_tokens, fold, words
from cms.search.query import Query, Term, query_tokens
from cms.search.vocabulary import vocabulary as language_vocabulary

#: Weight of a compound's part typed as the compound (the visitor's own words weigh 1).
COMPOUND_WEIGHT = 0.5
#: Weight of a word one or two edits from an unknown query word.
TYPO_WEIGHT = 0.4
#: Shorter words get no typo variants (too many neighbours one edit away).
MIN_TYPO_CHARS = 5
#: Words of this many letters or more may be two edits away; shorter ones one.
TWO_EDITS_CHARS = 9
#: At most this many variants per query word.
MAX_TYPO_VARIANTS = 3


def compound_terms(text: str, language: str, exact: list[Term]) -> list[Term]:
    """Terms for the parts of the query's compound words (``Kunststofftechnikcluster`` ->
    ``kunststoff``, ``technik``, ``clust``, ...), weighted :data:`COMPOUND_WEIGHT`."""
    languages = [code for code in fallback_chain(language) if code in COMPOUND_LANGUAGES]
    own = {term.token for term in exact}
    terms: list[Term] = []
    for word in words(text) if languages else ():
        for code in languages:
            for token in compound_tokens(word, code):
                if token not in own:
                    own.add(token)
                    terms.append(Term(token, COMPOUND_WEIGHT, "compound"))
    return terms


def typo_terms(text: str, language: str, exact: list[Term]) -> list[Term]:
    """Terms one or two edits away from the query's unknown words, weighted
    :data:`TYPO_WEIGHT` (``Kunstoff`` -> ``kunststoff``)."""
    typed = [word for word in words(text) if word.isalpha() and len(word) >= MIN_TYPO_CHARS]
    if not typed:
        return []
    vocabulary = language_vocabulary(language)
    own = {term.token for term in exact}
    terms: list[Term] = []
    for word in typed:
        tokens = query_tokens(word, language)
        if not tokens or any(token in vocabulary.indexed for token in tokens):
            continue  # a stopword, or a known word: no variants
        limit = 2 if len(fold(word)) >= TWO_EDITS_CHARS else 1
        found = sorted({near for token in tokens for near in vocabulary.near(token, limit)})
        variants = list(dict.fromkeys(token for _, _, token in found if token not in own))
        variants = variants[:MAX_TYPO_VARIANTS]
        own.update(variants)
        terms.extend(Term(token, TYPO_WEIGHT, "typo") for token in variants)
    return terms


def build_query(text: str, language: str) -> Query:
    """The analysed query for ``text`` in ``language``: the visitor's own words' tokens,
    then the tokens of their synonyms, compound parts and near spellings (each once)."""
    exact = [Term(token) for token in query_tokens(text, language)]
    terms = list(exact)
    seen = {term.token for term in exact}
    for added in (
        synonyms.synonym_terms(text, language, exact),
        compound_terms(text, language, exact),
        typo_terms(text, language, exact),
    ):
        for term in added:
            if term.token not in seen:
                seen.add(term.token)
                terms.append(term)
    return Query(text=text, language=language, terms=tuple(terms))
