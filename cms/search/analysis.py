"""Language-aware text analysis shared by every search backend.

Why this module exists
----------------------
The site is searched through several backends (SQLite FTS5, PostgreSQL
full-text search, OpenSearch).  Their built-in analysers differ and none of
them handles Czech, Slovak, Slovenian and Polish inflection *and* queries typed
without diacritics.  Instead of configuring each backend, we index
*pre-analysed* text: every field is turned into a space-separated string of
plain, lower-case, diacritic-free tokens by :func:`analyse_to_string`, and the
user's query goes through exactly the same function.  The backends then only
need a trivial whitespace/"simple" tokenizer, so ranking differs between them
but matching does not.

The pipeline (per token) is:

1. **Tokenise** on Unicode letters/digits (NFC-normalised; hyphens and
   apostrophes split words, so ``dell'informatica`` -> ``dell`` + ``informatica``).
   An e-mail address gives its domain's words only: its local part is a mailbox's
   name, not a word of the text (``it@clustercord.eu`` made every legal page a match
   for the abbreviation "IT"), and the domain still finds the organisation.
2. **Stopwords** (small per-language lists of function words, compared on the
   folded form) and one-letter words are dropped.
3. **Lemmatise** by exact dictionary lookup in simplemma's form->lemma tables
   (``potraviny`` -> ``potravina``, ``Miláně`` -> ``Milán``).  Only the
   dictionary is used: simplemma's guessing strategies produce garbage for
   unknown or diacritic-less words (``distancnich`` -> ``distancon``,
   ``podpalitelnejsi`` -> ``podpalitelbýt``).  For the
   Slavic languages a negated form is *not* mapped to its positive lemma
   (simplemma maps ``nealkoholický`` to ``alkoholický``, which would invert
   the meaning of a query).
4. **Fold** to lower-case ASCII-ish text (``ž`` -> ``z``, ``ł`` -> ``l``,
   ``ß`` -> ``ss``).  Characters without a Latin decomposition (Cyrillic,
   Greek, CJK) are kept as lower-case letters.
5. **Stem** the folded lemma: the Snowball stemmers for English, German and
   Italian, and a light inflectional suffix stripper for cs/sk/pl/sl written
   for *folded* text (there is no Snowball stemmer for Slovak or Slovenian, and
   the Czech/Polish ones expect diacritics).

Why lemmatise *and* stem: the lemmatiser only knows correctly spelled forms,
but users often type without diacritics (``kyberneticka bezpecnost``,
``zilinska univerzita``).  Such words miss the dictionary, so they reach the
stemmer as surface forms, while the document side reaches it as a lemma.  The
light stemmer strips case endings from both, so ``kyberneticka`` and
``kybernetický`` (the lemma of ``kybernetickou``) both become ``kybernetick``.
Stemming the lemma rather than the surface form keeps the lemmatiser's gains
(irregular forms such as ``Praze`` -> ``Praha``, ``žien`` -> ``žena``).

German compounds
----------------
German writes compounds as one word (``Kunststofftechnikcluster``); the index side
follows each German compound's token with the tokens of its parts (``cms.search.compounds``
splits them, :func:`compound_tokens` analyses the parts).

Changing anything here changes the tokens: the search index must be rebuilt
(documents and queries must always be analysed by the same version).

The module is deterministic, thread-safe, has no Django dependency, and loads
its heavy data (simplemma dictionaries, ~2-55 MB of RAM per language, ~100 MB
for all seven; ``cms.search.lexicon``) lazily, once per process and language
(:func:`release_tables` gives them back).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from cms.search.compounds import COMPOUND_LANGUAGES, MIN_COMPOUND, clear_caches, compound_parts
from cms.search.lexicon import (
    STOPWORDS,
    SUPPORTED_LANGUAGES,
    drop_tables,
    fold,
    lemma_lookup,
    loaded_languages,
    normalise_language,
    snowball_stem,
)

__all__ = [
    "COMPOUND_LANGUAGES",
    "SUPPORTED_LANGUAGES",
    "MAX_INPUT_CHARS",
    "MAX_TOKEN_CHARS",
    "analyse",
    "analyse_to_string",
    "compound_parts",
    "compound_tokens",
    "fold",
    "loaded_languages",
    "normalise_language",
    "release_tables",
    "words",
]

#: Input longer than this is truncated (at a whitespace boundary when one is
#: near).  It bounds the time and memory spent on a single field; ~500k
#: characters is roughly 70k words, far more than any page body.
MAX_INPUT_CHARS = 500_000

#: Longer "words" (URLs, base64, hashes glued together) are dropped: they are
#: never searched for and would only bloat the index.
MAX_TOKEN_CHARS = 64

_SLAVIC = frozenset({"cs", "sk", "pl", "sl"})

# ---------------------------------------------------------------------------
# Tokenising and folding
# ---------------------------------------------------------------------------

# A word is a run of Unicode letters/digits (no underscore) plus any combining
# marks that NFC could not compose.
_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")

# An e-mail address's local part and its "@" (the domain after it stays): dropped before
# tokenising (:func:`analyse`).
# Anchored by the lookbehind and at most 64 characters (RFC 5321's longest local part): an
# unanchored ``+`` restarted at every character of a long run and took 16 s on 100,000.
_EMAIL_LOCAL_RE = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]{1,64}@"
    r"(?=[^\W_](?:[\w-]*[^\W_])?\.[^\W_])"
)

# ---------------------------------------------------------------------------
# Light stemmer for folded Czech, Slovak, Polish and Slovenian
# ---------------------------------------------------------------------------
# Inflectional endings (noun, adjective and pronominal declension) written
# without diacritics, because the stemmer sees folded text.  Only one ending
# is removed (the longest that leaves a stem of >= 3 letters).  Verb
# conjugation is left to the lemmatiser on purpose: the endings collide with
# noun stems and search queries are overwhelmingly nominal.
# The lists follow Dolamic & Savoy's light stemmers for Czech (as used by
# Lucene's CzechStemmer) extended with the Slovak, Polish and Slovenian
# paradigms.  Measured on random noun/adjective form pairs from simplemma's
# form->lemma tables, lemmatise+fold+stem maps ~93 % (cs) to ~98 % (sk, pl, sl)
# of pairs to the same token even when one form is typed without diacritics.

_ENDINGS_TEXT = {
    "cs": """ech ich eho emi emu iho imi imu ach ych ama ami ovi ymi
             em es im um am mi ou ym  a e i o u y""",
    "sk": """iach iami ieho iemu  ach ami eho emu ich imi ych ymi och ovi iam iou
             ov om ej ia ie iu ii em im ym ou am mi um  a e i o u y""",
    "pl": """iach iami owie iego iemu  ach ami ego emu ych ich owi iej iom ymi imi
             ow om em ej ym im ie ia iu ii  a e i o u y""",
    "sl": """ama ema ami emi ega emu ima imi ovi evi oma
             om em ih im ov ev ah eh mi  a e i o u""",
}
# Longest first, so that e.g. "-ach" wins over "-a".
_ENDINGS: dict[str, tuple[str, ...]] = {
    lang: tuple(sorted(text.split(), key=len, reverse=True)) for lang, text in _ENDINGS_TEXT.items()
}
_COMPARATIVE = {"cs": ("ejs",), "sk": ("ejs",), "sl": ("ejs",), "pl": ("iejsz", "ejsz")}
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")
_MIN_STEM = 3
# Negation prefix: simplemma maps "nealkoholický" to "alkoholický"; we keep
# the negated word as it is instead.
_NEGATION_PREFIX = {"cs": "ne", "sk": "ne", "pl": "nie", "sl": "ne"}


def _slavic_stem(word: str, lang: str) -> str:
    """Strip one inflectional ending from a folded Slavic word and normalise
    the stem-final consonant alternations that declension produces.

    Examples (folded input): ``potraviny`` -> ``potravin``,
    ``turisticne``/``turisticen`` -> ``turisticn``, ``jakosci`` -> ``jakosk``.
    The stems are index keys, not words; they only have to be equal for the
    forms of one word and rarely equal for different words.
    """
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    for ending in _ENDINGS[lang]:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            word = word[: -len(ending)]
            break
    # comparative: "levnejsi" -> "levn", like the positive "levny"
    for comp in _COMPARATIVE[lang]:
        if word.endswith(comp) and len(word) - len(comp) >= _MIN_STEM:
            word = word[: -len(comp)]
            break
    if lang in ("cs", "sk"):
        # adjectival/possessive "-ov-"/"-uv": "zasahovy" ~ "zasah", "cisaruv" ~ "cisarova"
        if word.endswith(("ov", "uv")) and len(word) - 2 >= _MIN_STEM:
            word = word[:-2]
        # palatalisation before -e/-i: ruka/ruce, technik/technici, Praha/Praze
        if word.endswith("c"):
            word = word[:-1] + "k"
        elif lang == "cs" and word.endswith("z"):
            word = word[:-1] + "h"
    elif lang == "pl":
        # powietrze/powietrza, klaster/klastrze, woda/wodzie
        if word.endswith(("rz", "dz")):
            word = word[:-1]
        # turystyka/turystyce, projekt/projekcie, jakosc/jakosci
        if word[-1] in "tc":
            word = word[:-1] + "k"
    # mobile vowel: den/dne, turisticen/turisticna, klaster/klastra, stitok/stitka (sk)
    if (
        len(word) >= 4
        and word[-3] in _CONSONANTS
        and word[-1] in _CONSONANTS
        and (word[-2] == "e" or (lang == "sk" and word[-2:] == "ok"))
    ):
        word = word[:-2] + word[-1]
    return word


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def compound_tokens(word: str, language: str) -> tuple[str, ...]:
    """The search tokens of a compound word's parts (each analysed as a word of its own),
    without the word's own token: ``Kunststofftechnikcluster`` -> ``("kunststofftechnik",
    "kunststoff", "kunst", "stoff", "technik", "clust")``."""
    lang = normalise_language(language)
    own = _analyse_token(unicodedata.normalize("NFC", word), lang)
    tokens: list[str] = []
    for part in compound_parts(word, lang):
        token = _analyse_token(part, lang)
        if token and token != own and token not in tokens:
            tokens.append(token)
    return tuple(tokens)


def release_tables() -> frozenset[str]:
    """Drop the simplemma tables and the caches of looked-up words; return the languages.

    For a process that analyses now and then (the task worker, ``cms.ops.task_memory``):
    the ~90 MB of tables go back to the allocator, and the next analysis loads what it
    needs again. Call it while nothing in the process is analysing.
    """
    released = drop_tables()
    clear_caches()
    for cached in (compound_tokens, _analyse_token):
        cached.cache_clear()
    return released


@lru_cache(maxsize=131_072)
def _analyse_token(token: str, lang: str) -> str | None:
    """Analyse one surface token; ``None`` means "drop it".

    Cached because natural text is Zipf-distributed: a few thousand distinct
    words make up most tokens, so the dictionary lookup and stemming run once
    per distinct word and language.
    """
    if len(token) > MAX_TOKEN_CHARS:
        return None
    folded = fold(token)
    if (len(folded) < 2 and folded.isalpha()) or folded in STOPWORDS[lang]:
        return None
    if not token.isalpha():  # numbers, "covid19", "2011": keep as they are
        return folded
    lemma = lemma_lookup(lang).get_lemma(token, lang)
    if lemma and lemma != token:
        neg = _NEGATION_PREFIX.get(lang)
        if not lemma.isalpha() or (
            neg and folded.startswith(neg) and not fold(lemma).startswith(neg)
        ):
            lemma = None  # multi-word/odd lemma, or negation dropped: keep surface
        if lemma:
            folded = fold(lemma)
    if lang in _SLAVIC:
        stem = _slavic_stem(folded, lang)
    else:
        stem = snowball_stem(folded, lang)
    return stem or folded


def words(text: str, *, max_chars: int = MAX_INPUT_CHARS) -> list[str]:
    """The words of ``text`` as typed (NFC), split as :func:`analyse` splits them.

    For callers that keep each surface word beside its analysed form (the admin's
    search, which must also match a word's prefix while it is being typed).
    """
    if not text:
        return []
    return _TOKEN_RE.findall(unicodedata.normalize("NFC", _truncate(text, max_chars)))


def _truncate(text: str, max_chars: int) -> str:
    """Cut ``text`` to ``max_chars``, backing off to the last whitespace so the
    last word is not mutilated into a different token."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    space = cut.rfind(" ", max(0, max_chars - MAX_TOKEN_CHARS))
    return cut[:space] if space > 0 else cut


def analyse(
    text: str, language: str, *, max_chars: int = MAX_INPUT_CHARS, compounds: bool = False
) -> list[str]:
    """Turn ``text`` in ``language`` into a list of search tokens.

    The same function must be used for indexing and for queries.  Tokens are
    lower-case, diacritic-free stems (``"Regionální potraviny"`` in Czech ->
    ``["regionaln", "potravin"]``), in text order, duplicates kept (term
    frequency matters for ranking).  ``None``/empty text gives ``[]``; text
    longer than ``max_chars`` is truncated.  Raises :class:`ValueError` for an
    unsupported language.

    ``compounds=True`` (the index side, :func:`analyse_to_string`) follows each
    capitalised compound's token with its parts' tokens (:func:`compound_tokens`):
    German capitalises nouns, and splitting lower-case words (adjectives, verbs,
    participles) mostly finds false parts (``kulturellen`` -> ``Kultur`` + ``Ellen``).
    """
    lang = normalise_language(language)
    if not text:
        return []
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    text = unicodedata.normalize("NFC", _truncate(text, max_chars))
    if "@" in text:
        text = _EMAIL_LOCAL_RE.sub(" ", text)
    split = compounds and lang in COMPOUND_LANGUAGES
    out = []
    for token in _TOKEN_RE.findall(text):
        analysed = _analyse_token(token, lang)
        if analysed:
            out.append(analysed)
            # Only nouns are compounds worth splitting, and German writes nouns capitalised.
            if split and len(token) >= MIN_COMPOUND and token[0].isupper():
                out.extend(compound_tokens(token, lang))
    return out


def analyse_to_string(
    text: str, language: str, *, max_chars: int = MAX_INPUT_CHARS, compounds: bool = True
) -> str:
    """:func:`analyse` with compounds' parts, joined with single spaces: the string to
    store in the search index.  (A query is :func:`analyse`'d without the parts, which
    ``cms.search.expansion`` adds as weaker terms.)"""
    return " ".join(analyse(text, language, max_chars=max_chars, compounds=compounds))
