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
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from rapidfuzz import process
from rapidfuzz.distance import OSA

from cms.search import database_search
from cms.search.analysis import fold
from cms.search.fingerprints import fingerprint as rows_fingerprint
from cms.search.indexing import is_database_backend
from cms.search.models import SearchDocument
from cms.search.process_cache import CheckedCache
from cms.search.query import SearchRequest, filtered_documents, query_tokens

logger = logging.getLogger(__name__)

#: Suggest only when a search has fewer results than this (one page of the visitor search).
FEW_RESULTS = 10
#: A cached vocabulary is rebuilt after this many seconds even if its fingerprint is unchanged.
MAX_AGE_SECONDS = 15 * 60
#: Words shorter than this are never corrected (too many near neighbours).
MIN_WORD_CHARS = 3
#: A query with more unknown words than this is not a typo (and would cost a search each).
MAX_UNKNOWN_WORDS = 4

LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Word:
    spelling: str  # as visitors see it: "regionální", "Technologie"
    frequency: int
    native: bool  # seen in a document served in the vocabulary's own language


@dataclass(frozen=True)
class Vocabulary:
    indexed: frozenset[str]  # analysed tokens the search can match
    words: dict[str, Word]  # folded word -> its spelling
    spellings: frozenset[str]  # every form the texts use, lower-cased ("byt" and "být")
    by_length: dict[int, tuple[tuple[str, frozenset[str]], ...]]  # length -> (folded, letters)
    #: (first letter, length) -> indexed tokens, the most frequent first (typo-tolerant matching)
    by_start: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)
    #: indexed token -> the number of documents that have it
    frequency: dict[str, int] = field(default_factory=dict)

    def closest(self, folded: str) -> Word | None:
        """The vocabulary word nearest to ``folded`` within the distance allowed, or None."""
        if len(folded) < MIN_WORD_CHARS:
            return None
        limit = 1 if len(folded) <= 5 else 2
        letters = frozenset(folded)
        best_key, best = None, None
        for length in range(len(folded) - limit, len(folded) + limit + 1):
            for candidate, candidate_letters in self.by_length.get(length, ()):
                # An edit changes at most two letters of the set: a cheap filter first.
                if len(letters ^ candidate_letters) > 2 * limit:
                    continue
                found = distance(folded, candidate, limit)
                if found > limit:
                    continue
                word = self.words[candidate]
                key = (found, not word.native, -word.frequency, candidate)
                if best_key is None or key < best_key:
                    best_key, best = key, word
        return best

    def near(self, token: str, limit: int) -> list[tuple[int, int, str]]:
        """Indexed tokens within ``limit`` edits of ``token`` (an analysed token that is not
        indexed) that start with its letter, as (edits, -documents, token), nearest first,
        then the most frequent. For typo-tolerant matching (``cms.search.expansion``)."""
        found = []
        for length in range(len(token) - limit, len(token) + limit + 1):
            bucket = self.by_start.get((token[:1], length))
            if not bucket:
                continue
            for candidate, edits, _ in process.extract(
                token, bucket, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                if edits:
                    found.append((edits, -self.frequency[candidate], candidate))
        found.sort()
        return found


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition is one edit); ``limit + 1`` if above.

    rapidfuzz's C++ implementation: the same values as the dynamic programme this
    replaced, about 60 times faster per pair.
    """
    return OSA.distance(a, b, score_cutoff=limit)


def build_vocabulary(language: str) -> Vocabulary:
    """Read the language's search documents into a :class:`Vocabulary`."""
    rows = SearchDocument.objects.filter(language=language).values_list(
        "title", "body", "display_title", "display_text", "served_language"
    )
    return vocabulary_from_rows(rows.iterator(chunk_size=500), language)


def vocabulary_from_rows(rows, language: str) -> Vocabulary:
    """A :class:`Vocabulary` from (title, body, display_title, display_text,
    served_language) rows of the language's search documents."""
    frequency: Counter = Counter()
    forms: dict[str, Counter] = defaultdict(Counter)
    native: set[str] = set()
    for title, body, display_title, display_text, served in rows:
        frequency.update({*title.split(), *body.split()})
        text = unicodedata.normalize("NFC", f"{display_title} {display_text}")
        for form in LETTERS.findall(text):
            if len(form) < MIN_WORD_CHARS:
                continue
            folded = fold(form)
            forms[folded][form] += 1
            if served == language:
                native.add(folded)
    words = {}
    for folded, counts in forms.items():
        # The lower-case form when the text has it (not the sentence-initial capital),
        # else the commonest (German nouns, names).
        lower = [form for form in counts if form == form.lower()]
        spelling = max(lower or counts, key=lambda form: (counts[form], form))
        words[folded] = Word(spelling, sum(counts.values()), folded in native)
    by_length: dict[int, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for folded in words:
        by_length[len(folded)].append((folded, frozenset(folded)))
    by_start: dict[tuple[str, int], list[str]] = defaultdict(list)
    for token, _ in frequency.most_common():
        by_start[token[:1], len(token)].append(token)
    return Vocabulary(
        indexed=frozenset(frequency),
        frequency=dict(frequency),
        words=words,
        spellings=frozenset(form.lower() for counts in forms.values() for form in counts),
        by_length={length: tuple(group) for length, group in by_length.items()},
        by_start={key: tuple(group) for key, group in by_start.items()},
    )


def fingerprint(language: str) -> tuple:
    """Changes whenever a search document of ``language`` is added, changed or removed
    (an index-only scan of ``(language, updated_at)``, migration ``sitesearch.0004``)."""
    return rows_fingerprint(SearchDocument.objects.filter(language=language))


#: Per language. Reading every document of a language takes seconds at tens of thousands
#: of documents, and each publish changes the fingerprint; so a process that has a
#: vocabulary keeps serving it while a background thread builds the new one
#: (``SEARCH_VOCABULARY_BACKGROUND``), and checks the fingerprint at most every
#: ``SEARCH_VOCABULARY_CHECK_SECONDS`` (``cms.search.process_cache``). A word published a
#: moment ago may so be missing from typo matching and did-you-mean for that long; the
#: search itself never depends on the vocabulary. Only a process's first search in a
#: language waits for a build.
vocabularies: CheckedCache[Vocabulary] = CheckedCache(
    "vocabulary", build_vocabulary, fingerprint, max_age=MAX_AGE_SECONDS, background=True
)


def vocabulary(language: str) -> Vocabulary:
    """The language's vocabulary, rebuilt when its documents have changed."""
    return vocabularies.get(language)


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
    from cms.search.expansion import MIN_TYPO_CHARS

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
