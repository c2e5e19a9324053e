"""Synonyms and abbreviations per language, which editors extend in the admin.

For whom: a visitor who types "ICT" where the news say "informační
technologie", "OZE" for "obnovitelné zdroje energie" or "F&E" for "Forschung
und Entwicklung". Each language's moderators keep groups of words, phrases
and abbreviations that mean the same (``SynonymGroup``; a first list per
language comes with migration ``0003``).

How a query is expanded
-----------------------
The query is analysed in its language (``cms.search.analysis``: lemmas,
stems, no stopwords, no diacritics, lower case), and so is every member of the
language's groups. A member *occurs* in the query when its tokens occur there
one after another ("informačních technologií" contains "informační
technologie": both are ``informacn technologi``). Then the group's other
members are added to the query as ``Term``s of origin ``"synonym"`` and weight
:data:`WEIGHT`, analysed over the language's fallback chain like the visitor's
own words (``query.query_analyses``): a member of one token as that token, a
member of several as a *phrase* per analysis (``Term.phrase``), which a document
matches only where those tokens stand one after another. Added token by token,
"tecnologie dell'informazione e della comunicazione" (for "informatica") found
every page that says "comunicazione" anywhere, and "mala in srednja podjetja"
(for "MSP") every page that says "podjetja". Because the expansion is a list of
terms in the ``Query``, it applies on every backend (SQLite, PostgreSQL,
OpenSearch). Synonyms are editors' deliberate equivalents,
so they rank in the first tier with the visitor's own words (``Term.first_tier``)
and count as much: at 0.8, PostgreSQL's ``ts_rank_cd`` (no term rarity) put pages
that say "ICT" in passing above the IT cluster (project judged set, synonym
kind, PostgreSQL: MRR@10 0.693 at 0.8, 0.850 at 1.0; SQLite and OpenSearch 1.000
either way).

A member that analysis leaves nothing of ("IT" in English is a stopword,
"R&D" is two one-letter words) occurs when its words are typed as written,
capitals included: "IT" and "R&D" are recognised, the English pronoun "it" is
not.

Cache
-----
The groups are read once per process and language and kept with a fingerprint
of the language's rows (count, last id, last change; ``cms.search.process_cache``),
read with one small aggregate query at most every ``SEARCH_VOCABULARY_CHECK_SECONDS``
(5 s in production, 0 in tests), not on every search: an editor's edit, addition or
deletion in any app server is seen by every other within that many seconds, whatever
the shared cache does (Django's cache may be down: it is not used). ``suggest.py``
keeps its vocabulary the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from cms.search.analysis import analyse, fold
from cms.search.fingerprints import fingerprint as rows_fingerprint
from cms.search.models import WORDS, SynonymGroup, split_phrases
from cms.search.process_cache import CheckedCache
from cms.search.query import Term, query_analyses

#: How much a match on a synonym counts against a match on the visitor's own word (1.0).
WEIGHT = 1.0
#: At most this many terms are added to one query, however many groups it touches.
MAX_TERMS = 24
#: A cached list is read again after this many seconds even if its fingerprint is unchanged.
MAX_AGE_SECONDS = 15 * 60


@dataclass(frozen=True)
class Member:
    """One word, phrase or abbreviation of a group, as the query is compared with it."""

    text: str
    #: Its analysed tokens in the group's language (what must occur in the query).
    tokens: tuple[str, ...]
    #: Its words as written, compared when analysis leaves no token ("IT", "R&D").
    words: tuple[str, ...]
    #: What the query gets: the member's analyses over the language's fallback chain, each
    #: a ``Term.token`` (a phrase's tokens joined).
    expansion: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    members: tuple[Member, ...]


def read_groups(language: str) -> tuple[Group, ...]:
    """The language's groups, each member analysed once."""
    groups = []
    for terms in SynonymGroup.objects.filter(language=language).values_list("terms", flat=True):
        members = tuple(
            Member(
                text=phrase,
                tokens=tuple(analyse(phrase, language)),
                words=tuple(WORDS.findall(phrase)),
                expansion=expansion(phrase, language),
            )
            for phrase in split_phrases(terms)
        )
        if len(members) > 1:
            groups.append(Group(members))
    return tuple(groups)


def expansion(phrase: str, language: str) -> tuple[str, ...]:
    """A member's ``Term.token``s: its analyses over the fallback chain. A phrase of several
    words is analysed as documents are, German compounds followed by their parts: documents
    hold "kreislaufwirtschaft kreislauf wirtschaft plattform", and the query's phrase
    "kreislaufwirtschaft plattform" would never stand there one word after the other."""
    analyses = query_analyses(phrase, language)
    if any(len(tokens) > 1 for tokens in analyses):
        analyses = query_analyses(phrase, language, compounds=True)
    return tuple(map(Term.joined, analyses))


def fingerprint(language: str) -> tuple:
    """Changes whenever a group of ``language`` is added, changed or removed."""
    return rows_fingerprint(SynonymGroup.objects.filter(language=language))


#: Per language, checked at most every ``SEARCH_VOCABULARY_CHECK_SECONDS``.
groups_cache: CheckedCache[tuple[Group, ...]] = CheckedCache(
    "synonyms", read_groups, fingerprint, max_age=MAX_AGE_SECONDS
)


def groups_for(language: str) -> tuple[Group, ...]:
    """The language's groups, read again when they have changed."""
    return groups_cache.get(language)


def contains(sequence: list[str] | tuple[str, ...], part: tuple[str, ...], same=None) -> bool:
    """True when ``part`` occurs in ``sequence`` as consecutive items."""
    same = same or (lambda a, b: a == b)
    size = len(part)
    return any(
        all(same(sequence[start + i], part[i]) for i in range(size))
        for start in range(len(sequence) - size + 1)
    )


def same_word(typed: str, written: str) -> bool:
    """A word as typed against a member's word: diacritics aside, and in capitals when the
    member is ("IT" is the abbreviation, "it" the pronoun)."""
    return fold(typed) == fold(written) and (not written.isupper() or typed.isupper())


def occurs(member: Member, tokens: list[str], words: list[str]) -> bool:
    if member.tokens:
        return contains(tokens, member.tokens)
    return bool(member.words) and contains(words, member.words, same_word)


def synonym_terms(text: str, language: str, exact: list[Term]) -> list[Term]:
    """Terms for the synonyms of the words and phrases of ``text`` (weight :data:`WEIGHT`):
    the members of each group one of which occurs in ``text``, except those that occur
    (the visitor's own words)."""
    groups = groups_for(language)
    if not groups:
        return []
    tokens = analyse(text, language)
    words = WORDS.findall(text)
    seen = {term.token for term in exact}
    added: list[Term] = []
    for group in groups:
        occurring = [occurs(member, tokens, words) for member in group.members]
        if not any(occurring):
            continue
        for member, typed in zip(group.members, occurring, strict=True):
            for token in () if typed else member.expansion:
                if token in seen:
                    continue
                seen.add(token)
                added.append(Term(token, weight=WEIGHT, origin="synonym"))
                if len(added) >= MAX_TERMS:
                    return added
    return added
