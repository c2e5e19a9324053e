"""“Did you mean …?”: a corrected query when a search finds little.

For whom: a visitor (or API client) who mistyped a word (``potravyny``,
``Zusamenarbeit``, ``benchmarkng``) and got nothing, or only what the other words
found. The search page and the API offer the corrected query, spelled as the
site spells it (``regionálni potravyny`` -> ``regionální potraviny``).

When
----
Only when a search has fewer than :data:`FEW_RESULTS` results, i.e. less than
one page of the visitor search, or when it has more but none of its words is
known and one of five letters or more could be a typo: matching is
typo-tolerant (``cms.search.expansion``), so ``Clustr`` finds what ``cluster``
finds, below exact matches, and is still offered the right spelling. A query
that fills a page with its own words needs no help, and its cost stays at zero
(the knownness is read from the vocabulary that building the query has just
checked). Queries are OR-ed, so a typo next to a correct word still finds what
the correct word finds; "fewer than a page" rather than "zero" is what lets
``regionálni potravyny`` (5 hits, all for the first word) be corrected. Then:

1. A query word is *unknown* when none of its analysed tokens (the same
   analysis as the search, over the language's fallback chain) occurs in the
   language's search documents. Folding is part of that analysis, so a word
   typed without diacritics or in another inflection (``potraviny``,
   ``regionalni``) is known and never "corrected".
2. Each unknown word is replaced by the closest word of the language's
   vocabulary: optimal-string-alignment distance on folded words, at most 1
   for words of up to 5 letters and 2 beyond (nothing for words under 3
   letters); ties go to words of documents served in the visitor's language,
   then to the more frequent word. A query with more than
   :data:`MAX_UNKNOWN_WORDS` unknown words is not a typo: no suggestion.
   The other words are kept as typed, except that a word which folds to a
   vocabulary word takes its proper spelling (``regionálni`` ->
   ``regionální``), keeping the visitor's capitalisation.
3. The correction is verified by searching (same language, filters and
   backend as the search, one statement): when the query found nothing, the
   corrected query must find something; when it found a little, the replaced
   words must find something on their own (the corrected query, its words
   OR-ed, then finds that and what the query found, so it has results too,
   and the correction is known to add matches). Ranking is never touched.

The vocabulary
--------------
Per language: the words of ``SearchDocument.display_title`` and
``display_text`` (what visitors see, with diacritics and capitals), with
frequencies, plus the set of analysed tokens of ``title`` and ``body`` (what
the search can match). ``SearchDocument`` only holds published, ready
language versions, so a draft or an unready translation can never be
suggested. Everything comes from the database, never from an engine, so
SQLite, PostgreSQL and OpenSearch suggest the same corrections.

Why computed lazily and cached in the process rather than a table
(``SearchTerm``) kept up to date on indexing: frequencies in a table must be
decremented and incremented for every edit, concurrently, and recounted on a
rebuild, all in the editor's publish transaction; and the edit distance cannot
be computed in portable SQL anyway, so every suggestion would load the
candidate words from the table again. Here a publish costs nothing; the
vocabulary (``cms.search.process_cache``) costs one aggregate query at most every
``SEARCH_VOCABULARY_CHECK_SECONDS`` (the language's document count, last id
and last ``updated_at``, an index-only scan since migration ``0004``: any insert,
update or delete of a search document changes it, including a rolled-back one,
since it is read in the same transaction; ``indexing.sync_objects`` sets
``updated_at`` on the rows it updates, which ``bulk_update`` alone would not), and
the vocabulary is rebuilt from the documents only when that fingerprint has changed (a few
milliseconds on the demo content, well under a second for thousands of
documents). A maximum age guards against clocks of
different app servers disagreeing about ``updated_at``.
"""

from __future__ import annotations

import logging
import unicodedata

from django.conf import settings

from cms.search import database_search
from cms.search.analysis import fold
from cms.search.expansion import MIN_TYPO_CHARS
from cms.search.indexing import is_database_backend
from cms.search.query import SearchRequest, filtered_documents, query_tokens
from cms.search.vocabulary import (  # noqa: F401 - re-exported: did-you-mean's vocabulary
    LETTERS,
    MIN_WORD_CHARS,
    Vocabulary,
    Word,
    distance,
    vocabularies,
    vocabulary,
    vocabulary_from_rows,
)

logger = logging.getLogger(__name__)

#: Suggest only when a search has fewer results than this (one page of the visitor search).
FEW_RESULTS = 10
#: A query with more unknown words than this is not a typo (and would cost a search each).
MAX_UNKNOWN_WORDS = 4


def cased(spelling: str, typed: str) -> str:
    """``spelling`` with the capitalisation the visitor typed (``Prague``, ``PRAGUE``)."""
    if len(typed) > 1 and typed.isupper():
        return spelling.upper()
    if typed[:1].isupper():
        return spelling[:1].upper() + spelling[1:]
    return spelling


def is_known(word: str, language: str, indexed: frozenset[str]) -> bool:
    """True when the word can match (or is a stopword, which is never corrected)."""
    tokens = query_tokens(word, language)
    return not tokens or any(token in indexed for token in tokens)


def correct(query: str, language: str) -> tuple[str, list[str]] | None:
    """(corrected query, replacement words), or None when every word is known or hopeless."""
    words = vocabulary(language)
    replacements: dict[tuple[int, int], str] = {}
    corrected_words = []
    text = unicodedata.normalize("NFC", query)
    matches = list(LETTERS.finditer(text))
    unknown = [match for match in matches if not is_known(match.group(), language, words.indexed)]
    if len(unknown) > MAX_UNKNOWN_WORDS:
        return None
    for match in unknown:
        typed = match.group()
        word = words.closest(fold(typed))
        if word is None:
            continue
        replacements[match.span()] = cased(word.spelling, typed)
        corrected_words.append(replacements[match.span()])
    if not replacements:
        return None
    for match in matches:  # the proper spelling of the right words typed without it
        typed = match.group()
        known = words.words.get(fold(typed))
        if match.span() in replacements or known is None or typed.lower() in words.spellings:
            continue
        replacements[match.span()] = cased(known.spelling, typed)
    out, position = [], 0
    for (start, end), replacement in sorted(replacements.items()):
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    corrected = " ".join("".join(out).split())
    if corrected.casefold() == " ".join(text.split()).casefold():
        return None
    return corrected, corrected_words


def count(text: str, request: SearchRequest, backend) -> int:
    """How many documents ``text`` finds with the request's language and filters.

    Counted in the database's own full-text index whatever the backend: the documents
    are the same published set there (an engine has them a worker's pass later), and a
    search on an engine stays one engine request, its correction included.
    """
    tokens = query_tokens(text, request.language)
    if not tokens:
        return 0
    database = is_database_backend(backend)
    if database_search.available():
        return database_search.count_matches(tokens, request)
    documents = filtered_documents(request, database=database)
    # Unranked on the database backends: ranking a count is wasted work there.
    results = backend.search(
        " ".join(tokens), documents, operator="or", order_by_relevance=not database
    )
    return results.count()


def found_by_tolerance(request: SearchRequest) -> bool:
    """True when no word of the query is known and one is long enough for typo-tolerant
    matching: what the search found is then the near spellings' results, not the words'.

    Reads the vocabulary that building the query has just checked (no statement); without
    one (no word long enough, or nothing cached), False.
    """
    cached = vocabularies.peek(request.language)
    if cached is None:
        return False
    indexed = cached.indexed
    words = [
        word
        for word in LETTERS.findall(unicodedata.normalize("NFC", request.query))
        if query_tokens(word, request.language)  # not a stopword
    ]
    return any(len(word) >= MIN_TYPO_CHARS for word in words) and not any(
        is_known(word, request.language, indexed) for word in words
    )


def did_you_mean(request: SearchRequest, total: int, backend) -> str | None:
    """The corrected query to offer for a search that found ``total``, or None.

    Never raises: a failure here must not cost the visitor their results.
    """
    if total >= FEW_RESULTS and not found_by_tolerance(request):
        return None  # enough results for the visitor's own words: nothing to correct
    # A query that found something may still hold a typo: typo-tolerant matching
    # (cms.search.expansion) finds near spellings of an unknown word. correct() tells.
    try:
        corrected = correct(request.query, request.language)
        if corrected is None:
            return None
        text, replaced = corrected
        if len(text) > settings.SEARCH_MAX_QUERY_CHARS:
            return None
        # Nothing found: the corrected query must find something. Something found: the
        # replaced words must find something, so the corrected query (its words OR-ed) finds
        # that and more. One full-text statement either way.
        if not count(" ".join(replaced) if total else text, request, backend):
            return None
        return text
    except Exception:  # noqa: BLE001 - suggestions are optional
        logger.exception("Could not compute a search suggestion")
        return None
