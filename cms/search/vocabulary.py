"""A language's vocabulary: the words its search documents show and the tokens they index.

Read from the search documents and kept in the process until they change
(``cms.search.process_cache``); see "The vocabulary" in ``cms.search.suggest``.
Two users: did-you-mean (``cms.search.suggest``: the closest known word to a
mistyped one) and typo-tolerant matching (``cms.search.expansion``: indexed
tokens near an unknown query token). Both import this module; neither imports
the other to reach it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from cms.core.languages import LANGUAGE_CODES
from cms.search.analysis import fold
from cms.search.fingerprints import fingerprint as rows_fingerprint
from cms.search.models import SearchDocument
from cms.search.process_cache import CheckedCache

#: A cached vocabulary is rebuilt after this many seconds even if its fingerprint is unchanged.
MAX_AGE_SECONDS = 15 * 60
#: Words shorter than this are never corrected (too many near neighbours).
MIN_WORD_CHARS = 3

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
#: language waits for a build, and not even that under gunicorn (``warm_vocabularies``).
vocabularies: CheckedCache[Vocabulary] = CheckedCache(
    "vocabulary", build_vocabulary, fingerprint, max_age=MAX_AGE_SECONDS, background=True
)


def vocabulary(language: str) -> Vocabulary:
    """The language's vocabulary, rebuilt when its documents have changed."""
    return vocabularies.get(language)


def warm_vocabularies() -> list[str]:
    """Build every language's vocabulary that this process has not built yet; the languages
    built. Called by gunicorn's master before it forks the workers (``cms.gunicorn_conf``),
    so that no visitor's search waits for a build (seconds at 100,000 documents): without
    it, each worker's first search in each language did, and workers are replaced every
    ``GUNICORN_MAX_REQUESTS`` requests."""
    return vocabularies.warm(LANGUAGE_CODES)
